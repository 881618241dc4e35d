package main

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
)

// statusKiB reads a field of /proc/PID/status in KiB (VmRSS, VmHWM).
func statusKiB(t testing.TB, pid int, field string) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	var v int64
	for _, line := range strings.Split(string(b), "\n") {
		if n, _ := fmt.Sscanf(line, field+": %d kB", &v); n == 1 {
			return v
		}
	}
	t.Fatalf("no %s in /proc/%d/status", field, pid)
	return 0
}

func TestAnIdleServerHandsBackTheMemoryOfItsMasterKeyDerivation(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc: Linux only")
	}
	// init's master key uses RFC 9106's second recommended costs: 64 MiB
	// of Argon2id memory, garbage once the key is derived.
	ws := newWorkspace(t)
	srv := startServer(t, ws)
	pid := srv.cmd.Process.Pid
	rss, peak := statusKiB(t, pid, "VmRSS"), statusKiB(t, pid, "VmHWM")
	t.Logf("idle server: RSS %d KiB, peak %d KiB", rss, peak)
	if peak < 64<<10 {
		t.Fatalf("peak RSS %d KiB: the derivation did not use its 64 MiB, the test measures nothing", peak)
	}
	if rss > peak-48<<10 {
		t.Fatalf("idle RSS %d KiB of a peak of %d KiB: the Argon2id memory is still held", rss, peak)
	}
	srv.stop(t)
}
