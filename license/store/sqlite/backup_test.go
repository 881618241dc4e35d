package sqlite_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"securemedia/license"
	"securemedia/license/store/sqlite"
	"securemedia/license/storetest"
)

// backupSource is a SQLite store with a user and n licenses.
func backupSource(t *testing.T, n int) (*sqlite.Store, string) {
	t.Helper()
	path := storetest.SQLitePath(t)
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	ctx := context.Background()
	if err := s.AddUser(ctx, license.User{ID: "PNOBE-1", Name: "Ana", Added: time.Now()}); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if _, err := s.Grant(ctx, "PNOBE-1", fmt.Sprintf("media-%d", i), license.DefaultPolicy, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	return s, path
}

// leftovers lists what is in dir besides the names given.
func leftovers(t *testing.T, dir string, known ...string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		isKnown := false
		for _, k := range known {
			isKnown = isKnown || name == k
		}
		if !isKnown {
			out = append(out, name)
		}
	}
	return out
}

func TestABackupHoldsTheSameRowsAndVerifies(t *testing.T) {
	ctx := context.Background()
	s, _ := backupSource(t, 5)
	dir := t.TempDir()
	path := filepath.Join(dir, "backup.db")
	b, err := s.Backup(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	n, head, err := license.VerifyStore(ctx, s)
	if err != nil || b.Path != path || b.Events != n || b.Head != head || n != 6 || b.Bytes == 0 {
		t.Fatalf("backup %+v; the source has %d events, head %x (%v)", b, n, head, err)
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 || st.Size() != b.Bytes {
		t.Fatalf("backup file: %v, %v; want mode 0600 and %d bytes", st, err, b.Bytes)
	}
	if left := leftovers(t, dir, "backup.db"); len(left) > 0 {
		t.Fatalf("the backup left %v beside it", left)
	}
	ro, err := sqlite.OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	src, err := s.Dump(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	copied, err := ro.Dump(ctx, nil)
	if err != nil || fmt.Sprint(src) != fmt.Sprint(copied) {
		t.Fatalf("the backup's tables %v (%v), the source's %v", copied, err, src)
	}
	// Restored (copied into place), it is a store again, in WAL mode.
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	restored := filepath.Join(t.TempDir(), sqlite.FileName)
	if err := os.WriteFile(restored, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := sqlite.Open(ctx, restored)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := r.Grant(ctx, "PNOBE-1", "media-new", license.DefaultPolicy, time.Now()); err != nil {
		t.Fatal(err)
	}
	if rn, _, err := license.VerifyStore(ctx, r); err != nil || rn != n+1 {
		t.Fatalf("the restored store after a grant: %d events, %v; want %d", rn, err, n+1)
	}
}

func TestABackupBesideAWriterIsOneSnapshot(t *testing.T) {
	ctx := context.Background()
	s, path := backupSource(t, 3)
	// Another process's store on the same file, writing all along.
	w, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	stop := storetest.WriteBeside(t, w, "PNOBE-1")
	b, err := s.Backup(ctx, filepath.Join(t.TempDir(), "backup.db"))
	stop()
	if err != nil {
		t.Fatalf("backup beside a writer: %v", err)
	}
	evs, err := s.Events(ctx, b.Events-1, 1)
	if err != nil || len(evs) != 1 || evs[0].Hash != b.Head || b.Events < 4+3 {
		t.Fatalf("the backup's head (%d, %x) is not an event of the source after the writer's first grants: %+v, %v", b.Events, b.Head, evs, err)
	}
}

func TestABackupNeverReplacesAFile(t *testing.T) {
	ctx := context.Background()
	s, _ := backupSource(t, 1)
	dir := t.TempDir()
	path := filepath.Join(dir, "backup.db")
	old := []byte("yesterday's backup")
	if err := os.WriteFile(path, old, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Backup(ctx, path); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("backup over a file: got %v, want fs.ErrExist", err)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, old) {
		t.Fatal("a refused backup changed the file")
	}
	if left := leftovers(t, dir, "backup.db"); len(left) > 0 {
		t.Fatalf("a refused backup left %v", left)
	}
}

func TestOpenReadOnlyWritesNothing(t *testing.T) {
	ctx := context.Background()
	s, _ := backupSource(t, 2)
	path := filepath.Join(t.TempDir(), "backup.db")
	if _, err := s.Backup(ctx, path); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ro, err := sqlite.OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := license.VerifyStore(ctx, ro); err != nil {
		t.Fatal(err)
	}
	if err := ro.AddUser(ctx, license.User{ID: "PNOBE-2", Name: "Rui", Added: time.Now()}); err == nil {
		t.Fatal("a read-only store registered a user")
	}
	ro.Close()
	if after, _ := os.ReadFile(path); !bytes.Equal(after, before) {
		t.Fatal("reading through a read-only store changed the file")
	}
	if _, err := sqlite.OpenReadOnly(ctx, filepath.Join(t.TempDir(), "none.db")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("read-only open of no file: got %v, want fs.ErrNotExist", err)
	}
}
