package media

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"securemedia/internal/fsutil"
)

// addLockName is the lock file inside an add's temporary directory: the
// adding process holds an exclusive advisory lock on it until it is done,
// so that CleanTemporary never removes the directory of an add in
// progress, and finds the directory of one whose process died unlocked.
const addLockName = ".lock"

// StaleTempAge is how old a temporary directory without a lock must be
// before CleanTemporary takes it for stale: an add creates its lock at
// once, a removal's trash lives for the time of one RemoveAll.
const StaleTempAge = 10 * time.Minute

// newAddDir creates the temporary directory of an add and locks it; unlock
// releases the lock (call it after the directory was renamed or removed).
func (s *Store) newAddDir() (dir string, unlock func(), err error) {
	dir, err = os.MkdirTemp(s.dir, addTempPrefix)
	if err != nil {
		return "", nil, err
	}
	f, err := os.OpenFile(filepath.Join(dir, addLockName), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		os.RemoveAll(dir)
		return "", nil, err
	}
	fsutil.Lock(f, true)
	return dir, func() { f.Close() }, nil
}

// TempEntry is a temporary file or directory of the store that no add or
// removal in progress holds: what an interrupted or killed `media add`
// (or a removal) left behind.
type TempEntry struct {
	// Path is its path.
	Path string
	// Size is the bytes it holds.
	Size int64
	// Modified is its modification time.
	Modified time.Time
}

// CleanTemporary removes the temporary directories and files left in the
// store by adds, removals and atomic writes that did not finish because
// their process died, and returns what it removed. An add's directory is
// stale when its lock is free (its process is gone); one without a lock,
// a removal's trash and a stray atomic-write temporary file are stale
// once older than StaleTempAge. Nothing an operation in progress holds is
// touched. Items themselves are never looked at.
func (s *Store) CleanTemporary() ([]TempEntry, error) {
	return s.staleTemporary(true)
}

// StaleTemporary returns what CleanTemporary would remove, and removes
// nothing.
func (s *Store) StaleTemporary() ([]TempEntry, error) {
	return s.staleTemporary(false)
}

// staleTemporary finds the stale temporary entries of the store, and
// removes them when remove is set.
func (s *Store) staleTemporary(remove bool) ([]TempEntry, error) {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, fmt.Errorf("media: list store: %w", err)
	}
	now := s.opts.Now()
	var found []TempEntry
	var errs []error
	for _, e := range entries {
		name := e.Name()
		if !isTempName(name) {
			continue
		}
		path := filepath.Join(s.dir, name)
		info, err := e.Info()
		if err != nil {
			continue // gone meanwhile
		}
		stale, release, err := staleTemp(path, name, info, now)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !stale {
			continue
		}
		t := TempEntry{Path: path, Size: sizeOf(path), Modified: info.ModTime()}
		if remove {
			err = os.RemoveAll(path)
		}
		release()
		if err != nil {
			errs = append(errs, fmt.Errorf("media: remove %s: %w", path, err))
			continue
		}
		found = append(found, t)
	}
	return found, errors.Join(errs...)
}

// isTempName reports whether a store entry is temporary: an add's or a
// removal's directory, or an atomic write's temporary file (".name.tmpN").
func isTempName(name string) bool {
	return strings.HasPrefix(name, addTempPrefix) || strings.HasPrefix(name, rmTempPrefix) ||
		(strings.HasPrefix(name, ".") && strings.Contains(name, ".tmp"))
}

// staleTemp decides whether the temporary entry at path is stale. For an
// add's directory whose lock it could take, release drops that lock once
// the directory is removed (so that no add can be mistaken for stale
// meanwhile); otherwise release does nothing.
func staleTemp(path, name string, info os.FileInfo, now time.Time) (stale bool, release func(), err error) {
	release = func() {}
	old := now.Sub(info.ModTime()) > StaleTempAge
	if !strings.HasPrefix(name, addTempPrefix) || !info.IsDir() {
		return old, release, nil
	}
	f, err := os.Open(filepath.Join(path, addLockName))
	if errors.Is(err, os.ErrNotExist) {
		return old, release, nil // between the directory and its lock, or killed there
	}
	if err != nil {
		return false, release, fmt.Errorf("media: %s: %w", path, err)
	}
	ok, err := fsutil.TryLock(f)
	switch {
	case errors.Is(err, fsutil.ErrNoLocks):
		f.Close()
		return old, release, nil
	case err != nil:
		f.Close()
		return false, release, fmt.Errorf("media: %s: %w", path, err)
	case !ok:
		f.Close()
		return false, release, nil // held: an add in progress
	}
	return true, func() { f.Close() }, nil
}

// sizeOf is the bytes of the regular files under path (best effort).
func sizeOf(path string) int64 {
	var n int64
	filepath.WalkDir(path, func(_ string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}
