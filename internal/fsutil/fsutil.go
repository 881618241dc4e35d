// Package fsutil holds the file primitives every component uses: the
// bounded reader for the small files it trusts only so far (certificates,
// CRLs, keys, secrets, metadata), refusing a file larger than its limit
// before it is read into memory; the atomic writer for the files whose
// loss or tearing would lose a key or a record (keys, CRLs, the store's
// metadata, configuration); advisory locks between processes (a token
// store, a media add in progress); and whether two paths share a file
// system (a secret beside the data it protects).
package fsutil

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// ErrNoLocks means the system has no advisory file locks (TryLock).
var ErrNoLocks = errors.New("no advisory file locks on this system")

// ReadFileLimit reads the whole file at path, refusing one larger than
// limit bytes.
func ReadFileLimit(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(b)) > limit {
		clear(b) // it may be a secret
		return nil, fmt.Errorf("%s: larger than %d bytes", path, limit)
	}
	return b, nil
}

// WriteFileAtomic writes data to path so that, whatever happens, path holds
// either its old content or data, whole. The data goes to a fresh temporary
// file in the same directory (created 0600 under an unpredictable name, so
// no one can plant a file or a symbolic link there, and a key is never
// readable by others even for a moment), which is given mode, synced to
// disk and renamed over path; the directory is then synced so that the
// rename itself survives a crash.
func WriteFileAtomic(path string, data []byte, mode os.FileMode) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	fail := func(err error) error {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := f.Write(data); err != nil {
		return fail(err)
	}
	if err := f.Chmod(mode); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := SyncDir(dir); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// SyncDir flushes a directory's entries (new names, renames, removals) to
// disk.
func SyncDir(dir string) error { return SyncFile(dir) }

// SyncFile flushes what was written to the file at path to disk, by
// whichever process wrote it (a file SQLite wrote without syncing).
func SyncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
