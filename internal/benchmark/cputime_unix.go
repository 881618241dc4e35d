//go:build unix

package benchmark

import (
	"syscall"
	"time"
)

// processCPU is the CPU time (user plus system) this process has used so
// far. Server and client run in the process, so a round's difference is
// the whole work of a transfer, whatever else the machine is doing.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
