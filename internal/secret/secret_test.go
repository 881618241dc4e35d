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

func TestAnEntryIsEditedAndCancelledAsOnATerminal(t *testing.T) {
	cases := []struct {
		name, keys, want string
		err              error
	}{
		{"Enter ends the entry", "1234\r", "1234", nil},
		{"a newline ends it too", "1234\nmore", "1234", nil},
		{"backspace removes the last character", "12x\x7f34\r", "1234", nil},
		{"Ctrl-H is a backspace", "12x\x0834\r", "1234", nil},
		{"backspace removes a whole multi-byte character", "pã\x7fa\r", "pa", nil},
		{"Ctrl-U erases the entry", "wrong\x15right\r", "right", nil},
		{"other control keys do nothing", "12\x1a34\r", "1234", nil},
		{"Ctrl-C interrupts", "12\x03", "", ErrInterrupted},
		{"Ctrl-C interrupts even after text and before Enter", "1234\x03\r", "", ErrInterrupted},
		{"Ctrl-\\ interrupts", "\x1c", "", ErrInterrupted},
		{"Ctrl-D on an empty entry cancels", "\x04", "", ErrCancelled},
		{"Ctrl-D after some characters cancels too", "12\x0434\r", "", ErrCancelled},
		{"the end of input cancels", "12", "", ErrCancelled},
		{"an entry longer than the limit is refused", strings.Repeat("x", maxEntry+1) + "\r", "", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := readEntry(strings.NewReader(c.keys))
			switch {
			case c.err != nil && !errors.Is(err, c.err):
				t.Fatalf("got %q, %v; want %v", got, err, c.err)
			case c.err == nil && c.want == "" && err == nil:
				t.Fatalf("got %q; want an error", got)
			case c.want != "" && (err != nil || string(got) != c.want):
				t.Fatalf("got %q, %v; want %q", got, err, c.want)
			}
		})
	}
}
