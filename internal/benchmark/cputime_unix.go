//go:build unix

package benchmark

import (
	"syscall"
	"time"
)

// processCPU is the CPU time (user plus system) this process has used so
// far, all its threads, whatever else the machine is doing. The servers of
// a run and its clients are in two processes (ServeServers), so each
// process's difference over a round is one side's work.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
