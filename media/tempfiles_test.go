package media

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// tempNames lists the temporary entries of the store directory.
func tempNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dir, mediaDirName))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if isTempName(e.Name()) {
			out = append(out, e.Name())
		}
	}
	return out
}

func TestAnEmptyInputIsRefusedAndLeavesNothing(t *testing.T) {
	s, dir := newTestStore(t, newTestPKI(t), AES256GCM)
	if _, err := s.Add(bytes.NewReader(nil), AddOptions{Title: "empty"}); !errors.Is(err, ErrEmpty) {
		t.Fatalf("Add of an empty input = %v, want ErrEmpty", err)
	}
	if items, _ := s.List(); len(items) != 0 {
		t.Fatalf("an empty input left an item: %+v", items)
	}
	if left := tempNames(t, dir); len(left) != 0 {
		t.Fatalf("an empty input left %q", left)
	}
	if _, err := s.Add(bytes.NewReader([]byte{0}), AddOptions{Title: "one byte"}); err != nil {
		t.Fatalf("a one-byte input: %v", err)
	}
}

// gatedReader yields its bytes, then waits for the test before it ends.
type gatedReader struct {
	r       io.Reader
	reached chan struct{}
	release chan struct{}
	failed  error
}

func (g *gatedReader) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	if err == io.EOF {
		close(g.reached)
		<-g.release
		if g.failed != nil {
			return 0, g.failed
		}
	}
	return n, err
}

func TestCleanTemporaryRemovesWhatNoOperationHolds(t *testing.T) {
	s, dir := newTestStore(t, newTestPKI(t), AES256GCM)
	store := filepath.Join(dir, mediaDirName)

	// An add in progress: its directory is locked and stays.
	g := &gatedReader{r: newGenReader(1, 100_000), reached: make(chan struct{}), release: make(chan struct{})}
	done := make(chan error, 1)
	go func() { _, err := s.Add(g, AddOptions{Title: "in progress"}); done <- err }()
	<-g.reached
	// What processes that died left behind: an add whose lock is free,
	// an old add directory without a lock, an old removal's trash, an old
	// atomic write's temporary file; and fresh lockless ones, which an
	// operation may be about to use.
	dead, unlock, err := s.newAddDir()
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dead, contentName), make([]byte, 4096), 0o600)
	unlock() // the process is gone: its lock with it
	old := time.Now().Add(-2 * StaleTempAge)
	for _, name := range []string{addTempPrefix + "nolock-old", rmTempPrefix + "old", addTempPrefix + "nolock-new", rmTempPrefix + "new"} {
		if err := os.Mkdir(filepath.Join(store, name), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(store, ".kek-check.tmp123"), nil, 0o600)
	for _, name := range []string{addTempPrefix + "nolock-old", rmTempPrefix + "old", ".kek-check.tmp123"} {
		os.Chtimes(filepath.Join(store, name), old, old)
	}

	// StaleTemporary names what CleanTemporary removes, and leaves it.
	found, err := s.StaleTemporary()
	if err != nil {
		t.Fatal(err)
	}
	before := tempNames(t, dir)
	removed, err := s.CleanTemporary()
	if err != nil {
		t.Fatal(err)
	}
	if len(before) != len(removed)+3 { // the add in progress and the two fresh ones stay
		t.Errorf("before the clean-up %q, removed %d", before, len(removed))
	}
	if !reflect.DeepEqual(found, removed) {
		t.Errorf("StaleTemporary found %+v, CleanTemporary removed %+v", found, removed)
	}
	var names []string
	for _, r := range removed {
		names = append(names, filepath.Base(r.Path))
	}
	want := []string{filepath.Base(dead), addTempPrefix + "nolock-old", rmTempPrefix + "old", ".kek-check.tmp123"}
	for _, w := range want {
		if !strings.Contains(strings.Join(names, " "), w) {
			t.Errorf("%s was not removed (removed %q)", w, names)
		}
	}
	if len(removed) != len(want) {
		t.Errorf("removed %q, want %q", names, want)
	}
	for _, r := range removed {
		if filepath.Base(r.Path) == filepath.Base(dead) && r.Size != 4096 {
			t.Errorf("the dead add's size is %d, want 4096", r.Size)
		}
	}
	left := strings.Join(tempNames(t, dir), " ")
	if !strings.Contains(left, addTempPrefix+"nolock-new") || !strings.Contains(left, rmTempPrefix+"new") {
		t.Errorf("fresh temporary directories were removed; left %q", left)
	}

	// The add in progress was not disturbed: it completes.
	close(g.release)
	if err := <-done; err != nil {
		t.Fatalf("the add in progress failed after the clean-up: %v", err)
	}
	items, err := s.List()
	if err != nil || len(items) != 1 {
		t.Fatalf("items after the add: %+v, %v", items, err)
	}
	if _, err := os.Stat(filepath.Join(store, items[0].ID.String(), addLockName)); !os.IsNotExist(err) {
		t.Errorf("the add's lock file stayed in the item: %v", err)
	}
}

func TestAFailedAddRemovesItsTemporaryDirectory(t *testing.T) {
	s, dir := newTestStore(t, newTestPKI(t), AES256GCM)
	interrupted := errors.New("interrupted")
	g := &gatedReader{r: newGenReader(2, 700_000), reached: make(chan struct{}), release: make(chan struct{}), failed: interrupted}
	done := make(chan error, 1)
	go func() { _, err := s.Add(g, AddOptions{Title: "interrupted"}); done <- err }()
	<-g.reached
	if left := tempNames(t, dir); len(left) != 1 {
		t.Fatalf("while adding: %q, want one temporary directory", left)
	}
	close(g.release)
	if err := <-done; !errors.Is(err, interrupted) {
		t.Fatalf("Add = %v, want the reader's error", err)
	}
	if left := tempNames(t, dir); len(left) != 0 {
		t.Fatalf("a failed add left %q", left)
	}
}
