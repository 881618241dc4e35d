//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package token

import (
	"errors"
	"os"
	"syscall"
)

// flock takes (exclusive) or releases the advisory lock on f. It cannot
// fail on a local file but for an interrupt, which it retries; on a file
// system without locks the calls simply go unserialized.
func flock(f *os.File, exclusive bool) {
	how := syscall.LOCK_UN
	if exclusive {
		how = syscall.LOCK_EX
	}
	for {
		if err := syscall.Flock(int(f.Fd()), how); !errors.Is(err, syscall.EINTR) {
			return
		}
	}
}
