package fsutil

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadFileLimit(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	os.WriteFile(p, []byte("12345"), 0o600)
	if b, err := ReadFileLimit(p, 5); err != nil || string(b) != "12345" {
		t.Fatalf("at the limit: %q %v", b, err)
	}
	if _, err := ReadFileLimit(p, 4); err == nil || !strings.Contains(err.Error(), "larger than 4 bytes") {
		t.Fatalf("over the limit: %v", err)
	}
	if _, err := ReadFileLimit(filepath.Join(dir, "missing"), 4); !os.IsNotExist(err) {
		t.Fatalf("missing file: %v", err)
	}
}

func TestWriteFileAtomicReplacesTheFileWholeWithTheGivenMode(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "key")
	if err := WriteFileAtomic(p, []byte("first"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteFileAtomic(p, []byte("second"), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(p)
	if err != nil || string(b) != "second" {
		t.Fatalf("content %q, %v", b, err)
	}
	st, err := os.Stat(p)
	if err != nil || st.Mode().Perm() != 0o644 {
		t.Fatalf("mode %v, %v; want 0644", st.Mode(), err)
	}
	assertOnlyEntries(t, dir, "key")
}

func TestWriteFileAtomicLeavesNothingBehindWhenItFails(t *testing.T) {
	dir := t.TempDir()
	// A directory in the way: the rename fails after the temporary file
	// was written.
	target := filepath.Join(dir, "busy")
	if err := os.MkdirAll(filepath.Join(target, "child"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := WriteFileAtomic(target, []byte("x"), 0o600); err == nil || !strings.Contains(err.Error(), target) {
		t.Fatalf("writing over a directory: %v", err)
	}
	assertOnlyEntries(t, dir, "busy")
	if err := WriteFileAtomic(filepath.Join(dir, "missing", "f"), []byte("x"), 0o600); err == nil {
		t.Fatal("writing into a missing directory succeeded")
	}
}

// assertOnlyEntries fails unless dir holds exactly the names given.
func assertOnlyEntries(t *testing.T, dir string, names ...string) {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range es {
		got = append(got, e.Name())
	}
	if strings.Join(got, " ") != strings.Join(names, " ") {
		t.Fatalf("%s holds %v, want %v (a temporary file left behind?)", dir, got, names)
	}
}

func TestALockIsHeldUntilItsFileIsClosed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lock")
	holder, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	Lock(holder, true)
	other, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if ok, err := TryLock(other); ok || err != nil {
		t.Fatalf("TryLock while another file holds the lock = %v, %v", ok, err)
	}
	holder.Close() // as a process that dies
	if ok, err := TryLock(other); !ok || err != nil {
		t.Fatalf("TryLock after the holder closed = %v, %v", ok, err)
	}
}

func TestSameFilesystemComparesDevices(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	os.WriteFile(a, nil, 0o600)
	os.WriteFile(b, nil, 0o600)
	if same, err := SameFilesystem(a, b); !same || err != nil {
		t.Fatalf("two files of one directory: %v, %v", same, err)
	}
	if _, err := SameFilesystem(a, filepath.Join(dir, "missing")); err == nil {
		t.Fatal("a missing file was compared")
	}
	// /proc is a file system of its own wherever it exists.
	if _, err := os.Stat("/proc/self"); err == nil {
		if same, err := SameFilesystem(a, "/proc/self"); same || err != nil {
			t.Fatalf("a temporary file and /proc: %v, %v", same, err)
		}
	}
}
