package secret

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSecretsComeFromAFileThenTheEnvironment(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "pass")
	if err := WriteFile(file, []byte("from file")); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(file); st.Mode().Perm() != 0o600 {
		t.Fatalf("secret file mode %v, want 0600", st.Mode().Perm())
	}
	if err := WriteFile(file, []byte("again")); err == nil {
		t.Fatal("WriteFile overwrote an existing secret")
	}
	env := map[string]string{"SM_TEST": "from env"}
	getenv := func(k string) string { return env[k] }
	tests := []struct {
		name string
		src  Source
		want string
	}{
		{"a file wins over the environment", Source{File: file, Env: "SM_TEST", Getenv: getenv}, "from file"},
		{"the environment when no file is given", Source{Env: "SM_TEST", Getenv: getenv}, "from env"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Read(tt.src)
			if err != nil || string(got) != tt.want {
				t.Fatalf("got %q, %v", got, err)
			}
		})
	}
	if _, err := Read(Source{What: "PIN", Env: "UNSET", Getenv: getenv}); !errors.Is(err, ErrNoSecret) || !strings.Contains(err.Error(), "PIN") {
		t.Fatalf("no source and no prompt: %v", err)
	}
}

func TestSecretFilesAreTrimmedAndBounded(t *testing.T) {
	dir := t.TempDir()
	cases := map[string]struct {
		content string
		want    string
		ok      bool
	}{
		"one trailing LF is removed":   {"pass\n", "pass", true},
		"one trailing CRLF is removed": {"pass\r\n", "pass", true},
		"inner spaces are kept":        {" a b \n", " a b ", true},
		"an empty file is refused":     {"\n", "", false},
		"a huge file is refused":       {strings.Repeat("x", maxSecretFile+1), "", false},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(dir, strings.ReplaceAll(name, " ", "-"))
			os.WriteFile(p, []byte(c.content), 0o600)
			got, err := FromFile(p)
			if (err == nil) != c.ok || string(got) != c.want {
				t.Fatalf("got %q, %v", got, err)
			}
		})
	}
}

func TestEraseZeroes(t *testing.T) {
	b := []byte("secret")
	Erase(b)
	if string(b) != string(make([]byte, 6)) {
		t.Fatal("not zeroed")
	}
}
