//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd)

package token

import "os"

// flock does nothing where the system has no flock: SoftHSM2 calls from
// several processes then go unserialized.
func flock(*os.File, bool) {}
