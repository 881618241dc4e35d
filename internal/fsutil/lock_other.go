//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd)

package fsutil

import "os"

// Lock does nothing where the system has no flock: the calls go
// unserialized.
func Lock(*os.File, bool) {}

// TryLock cannot tell here: ErrNoLocks.
func TryLock(*os.File) (bool, error) { return false, ErrNoLocks }

// SameFilesystem cannot tell here; it says false.
func SameFilesystem(a, b string) (bool, error) { return false, nil }
