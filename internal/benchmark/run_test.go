package benchmark

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// pidFileEnv names the file where the test binary, run as the server
// process, writes its pid, so that a test can check it is gone.
const pidFileEnv = "BENCHMARK_TEST_SERVER_PIDFILE"

// TestMain runs the test binary as the server process when Run starts it
// (ServerProgram below), else the tests.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == ServerCommand {
		if f := os.Getenv(pidFileEnv); f != "" {
			if err := os.WriteFile(f, []byte(strconv.Itoa(os.Getpid())), 0o600); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
		}
		if err := ServeServers(context.Background(), os.Args[2:], os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// testProgram is this test binary as the server program.
func testProgram() []string { return []string{os.Args[0], ServerCommand} }

// newTestWorkspace is a throwaway workspace, closed at the test's end.
func newTestWorkspace(t *testing.T) (*Deployment, string) {
	t.Helper()
	dir := t.TempDir()
	d, err := NewWorkspace(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d, dir
}

// quickOptions is a run small enough for a test: 1 MiB, one round, a
// few handshakes and plays, no chunk cost.
func quickOptions(dir string) Options {
	return Options{Size: 1 << 20, Rounds: 1, SkipChunkCost: true, Handshakes: 2, WholePlays: 1,
		WholePlaySize: 300_000, Dir: dir, ServerProgram: testProgram()}
}

// serverPID reads the pid the server process wrote.
func serverPID(t *testing.T, file string) int {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("the server process did not write its pid: %v", err)
	}
	pid, err := strconv.Atoi(string(b))
	if err != nil {
		t.Fatal(err)
	}
	return pid
}

// requireGone fails unless pid is no process (not even a zombie: Run
// waited for it).
func requireGone(t *testing.T, pid int) {
	t.Helper()
	if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
		syscall.Kill(pid, syscall.SIGKILL)
		t.Fatalf("the server process %d is still there after Run returned (kill: %v)", pid, err)
	}
}

func TestRunReportKeepsTheOldFieldsAndAddsEachSide(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("per-process CPU time is read with getrusage")
	}
	d, dir := newTestWorkspace(t)
	pidFile := filepath.Join(t.TempDir(), "pid")
	t.Setenv(pidFileEnv, pidFile)
	r, err := Run(context.Background(), *d, quickOptions(dir))
	if err != nil {
		t.Fatal(err)
	}
	requireGone(t, serverPID(t, pidFile))

	var buf bytes.Buffer
	if err := r.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	// The fields scripts read (issue 13 keeps them and their meaning),
	// then the new ones.
	keys := []string{
		"add_mb_per_s", "at_rest_open_mb_per_s",
		"stream.ratio", "stream.securemedia_median_mb_per_s", "stream.baseline_median_mb_per_s",
		"stream.securemedia_median_cpu_s_per_gb", "stream.baseline_median_cpu_s_per_gb", "stream.like_for_like_median_cpu_s_per_gb",
		"stream.securemedia_cpu_s_per_gb", "stream.baseline_cpu_s_per_gb", "stream.like_for_like_cpu_s_per_gb",
		"stream.like_for_like_ratio", "stream.baseline_cipher",
		"handshake.securemedia_device_per_s", "handshake.tls_per_s", "handshake.ratio",
		"handshake.securemedia_device_median_per_s", "handshake.tls_median_per_s",
		"handshake.securemedia_device_without_close_per_s", "handshake.securemedia_device_without_close_median_per_s",
		"handshake.ratio_without_close",

		"stream.securemedia_server_median_cpu_s_per_gb", "stream.securemedia_client_median_cpu_s_per_gb",
		"stream.baseline_server_median_cpu_s_per_gb", "stream.baseline_client_median_cpu_s_per_gb",
		"stream.like_for_like_server_median_cpu_s_per_gb", "stream.like_for_like_client_median_cpu_s_per_gb",
		"stream.securemedia_server_cpu_s_per_gb", "stream.baseline_client_cpu_s_per_gb",
		"stream.cpu_ratio", "stream.server_cpu_ratio",
		"whole_play.securemedia_median_ms", "whole_play.securemedia_device_median_ms", "whole_play.https_get_median_ms",
		"whole_play.ratio", "whole_play.size",
		"handshake.securemedia_device_server_median_cpu_ms", "handshake.tls_client_median_cpu_ms",
		"handshake.securemedia_device_finish_apart_per_s", "handshake.securemedia_device_finish_apart_median_per_s",
		"handshake.ratio_finish_apart",
		"whole_play.securemedia_finish_apart_ms", "whole_play.securemedia_finish_apart_median_ms", "whole_play.finish_apart_ratio",
		"targets",
	}
	for _, k := range keys {
		if _, ok := lookup(doc, k); !ok {
			t.Errorf("the report has no %s", k)
		}
	}

	// Both sides together is, per round, the server's plus the client's;
	// each side did work.
	s := r.Stream
	for _, side := range []struct {
		name                 string
		both, server, client []float64
	}{
		{"securemedia", s.SecuremediaCPU, s.SecuremediaServerCPU, s.SecuremediaClientCPU},
		{"baseline", s.BaselineCPU, s.BaselineServerCPU, s.BaselineClientCPU},
		{"like for like", s.LikeForLikeCPU, s.LikeForLikeServerCPU, s.LikeForLikeClientCPU},
	} {
		if len(side.both) != 1 || len(side.server) != 1 || len(side.client) != 1 {
			t.Fatalf("%s: %d, %d, %d rounds of CPU figures, want 1", side.name, len(side.both), len(side.server), len(side.client))
		}
		if side.server[0] <= 0 || side.client[0] <= 0 {
			t.Errorf("%s: server %.3f, client %.3f CPU s/GB: a side measured nothing", side.name, side.server[0], side.client[0])
		}
		if math.Abs(side.both[0]-side.server[0]-side.client[0]) > 1e-9 {
			t.Errorf("%s: both sides %.3f != server %.3f + client %.3f", side.name, side.both[0], side.server[0], side.client[0])
		}
	}
	w := r.WholePlay
	if w.Size != 300_000 || !w.WithUser || w.SecuremediaMedian <= 0 || w.HTTPSGetMedian <= 0 || w.Ratio != w.SecuremediaMedian/w.HTTPSGetMedian {
		t.Errorf("whole play figures %+v", w)
	}
	// In the rounds with the finish sent on its own, the handshakes alone
	// take part of the time, the closes the rest: per round, a rate at
	// least the one with the closes.
	h := r.Handshake
	if len(h.DeviceWithoutClosePerSec) != 1 || len(h.DeviceFinishApartPerSec) != 1 ||
		h.DeviceWithoutClosePerSec[0] < h.DeviceFinishApartPerSec[0] ||
		h.WithoutCloseRatio != h.DeviceWithoutCloseMedian/h.TLSMedian || h.FinishApartRatio != h.DeviceFinishApartMedian/h.TLSMedian {
		t.Errorf("finish apart: handshakes without the closes %v /s (ratio %.2f), with them %v /s (ratio %.2f)",
			h.DeviceWithoutClosePerSec, h.WithoutCloseRatio, h.DeviceFinishApartPerSec, h.FinishApartRatio)
	}
	if len(h.DevicePerSec) != 1 || h.DevicePerSec[0] <= 0 || len(w.FinishApartMs) != 1 || w.FinishApartMs[0] <= 0 ||
		w.FinishApartRatio != w.FinishApartMedian/w.HTTPSGetMedian {
		t.Errorf("handshakes %v /s; whole play with the finish apart %v ms (ratio %.2f)", h.DevicePerSec, w.FinishApartMs, w.FinishApartRatio)
	}
	if len(r.Targets) != 6 { // no chunk cost in this run
		t.Errorf("%d targets, want 6: %+v", len(r.Targets), r.Targets)
	}
}

// lookup finds a dotted key in a decoded JSON object.
func lookup(doc map[string]any, key string) (any, bool) {
	var v any = doc
	for _, part := range strings.Split(key, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[part]; !ok {
			return nil, false
		}
	}
	return v, true
}

// onLine calls fn once, at the first progress line that starts with
// prefix.
type onLine struct {
	prefix string
	fn     func()
	once   sync.Once
}

func (w *onLine) Write(p []byte) (int, error) {
	if bytes.HasPrefix(p, []byte(w.prefix)) {
		w.once.Do(w.fn)
	}
	return len(p), nil
}

func TestRunStopsTheServerProcessOnEveryPath(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("per-process CPU time is read with getrusage")
	}
	t.Run("a failing measurement stops it", func(t *testing.T) {
		d, dir := newTestWorkspace(t)
		pidFile := filepath.Join(t.TempDir(), "pid")
		t.Setenv(pidFileEnv, pidFile)
		o := quickOptions(dir)
		// The small file goes away: the GET of the whole-play rounds
		// fails after the server process has served the stream.
		o.Progress = &onLine{prefix: "stream round 1/1", fn: func() { os.Remove(filepath.Join(dir, "bench-whole-play.bin")) }}
		_, err := Run(context.Background(), *d, o)
		if err == nil || !strings.Contains(err.Error(), "whole play") {
			t.Fatalf("Run = %v, want the whole play to fail", err)
		}
		requireGone(t, serverPID(t, pidFile))
	})
	t.Run("a cancelled run stops it", func(t *testing.T) {
		d, dir := newTestWorkspace(t)
		pidFile := filepath.Join(t.TempDir(), "pid")
		t.Setenv(pidFileEnv, pidFile)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		o := quickOptions(dir)
		o.Progress = &onLine{prefix: "stream round 1/1", fn: cancel}
		if _, err := Run(ctx, *d, o); err == nil {
			t.Fatal("a cancelled Run succeeded")
		}
		requireGone(t, serverPID(t, pidFile))
	})
	t.Run("a server process that cannot start says why", func(t *testing.T) {
		d, dir := newTestWorkspace(t)
		o := quickOptions(dir)
		o.ServerProgram = append(testProgram(), "--no-such-flag")
		_, err := Run(context.Background(), *d, o)
		if err == nil || !strings.Contains(err.Error(), "server process: start") || !strings.Contains(err.Error(), "no-such-flag") {
			t.Fatalf("Run = %v, want the server process's own error", err)
		}
	})
	t.Run("no server program is refused", func(t *testing.T) {
		d, dir := newTestWorkspace(t)
		o := quickOptions(dir)
		o.ServerProgram = nil
		if _, err := Run(context.Background(), *d, o); err == nil || !strings.Contains(err.Error(), "no server program") {
			t.Fatalf("Run = %v, want a refusal", err)
		}
	})
}

// TestServeServersStopsAtTheEndOfItsInput runs the server side in this
// process: it answers CPU requests, and when its input ends (the bench
// closed the pipe, or died) it stops every server it started.
func TestServeServersStopsAtTheEndOfItsInput(t *testing.T) {
	d, dir := newTestWorkspace(t)
	for _, name := range []string{"a", "b"} {
		if err := writeSource(filepath.Join(dir, name), 1000, streamPlay); err != nil {
			t.Fatal(err)
		}
	}
	args := serverArgs{serverConfig: d.Server.File(), clientConfig: d.Client.File(), group: DefaultGroup,
		file: filepath.Join(dir, "a"), small: filepath.Join(dir, "b")}
	before := runtime.NumGoroutine()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- ServeServers(context.Background(), args.args(), inR, outW) }()
	out := bufio.NewReader(outR)
	line, err := out.ReadBytes('\n')
	if err != nil {
		t.Fatal(err)
	}
	var addrs serverAddrs
	if err := json.Unmarshal(line, &addrs); err != nil || addrs.Securemedia == "" || addrs.DeviceOnly == "" || addrs.HTTPS == "" || addrs.Handshake == "" {
		t.Fatalf("first line %q: %v", line, err)
	}
	for range 2 {
		io.WriteString(inW, cpuRequest+"\n")
		line, err := out.ReadBytes('\n')
		var a cpuAnswer
		if err != nil || json.Unmarshal(line, &a) != nil || a.CPUNanos <= 0 {
			t.Fatalf("cpu answer %q: %v", line, err)
		}
	}
	inW.Close()
	if err := <-done; err != nil {
		t.Fatalf("ServeServers at the end of its input: %v", err)
	}
	// Every server goroutine ends (the HTTP servers' connection
	// goroutines a moment after their listeners).
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<20)
		t.Fatalf("%d goroutines left, %d before:\n%s", n, before, buf[:runtime.Stack(buf, true)])
	}
}

func TestServeServersRefusesWhatItDoesNotKnow(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no arguments are refused", nil, "want --server-config"},
		{"an unknown flag is refused", []string{"--bogus"}, "bogus"},
		{"an unknown group is refused", []string{"--server-config", "s", "--client-config", "c", "--group", "p521", "--file", "f", "--small", "g"}, "p521"},
		{"a stray argument is refused", append(serverArgs{serverConfig: "s", clientConfig: "c", group: DefaultGroup, file: "f", small: "g"}.args(), "x"), "no arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ServeServers(context.Background(), tt.args, strings.NewReader(""), io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("ServeServers(%q) = %v, want an error about %q", tt.args, err, tt.want)
			}
		})
	}
	t.Run("an unknown request ends the control channel", func(t *testing.T) {
		var out bytes.Buffer
		err := answerCPU(strings.NewReader("cpu\nreboot\n"), &out)
		if err == nil || !strings.Contains(err.Error(), "reboot") || strings.Count(out.String(), "\n") != 1 {
			t.Fatalf("answerCPU = %v, output %q", err, out.String())
		}
	})
}

// TestACPURequestToAStuckServerProcessFailsInTime: a process that started
// (it printed its addresses) and then never answers a CPU request is
// killed when the answer is late, and the request fails, naming why.
func TestACPURequestToAStuckServerProcessFailsInTime(t *testing.T) {
	prog := []string{"sh", "-c", `echo '{"securemedia":"http://127.0.0.1:1","https":"https://127.0.0.1:1"}'; exec sleep 3600`}
	p, err := startServerProcess(context.Background(), prog, serverArgs{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.close()
	p.answerTimeout = 100 * time.Millisecond
	if _, err := p.cpu(); err == nil || !strings.Contains(err.Error(), "no answer within") {
		t.Fatalf("cpu() of a process that never answers: %v, want a failure for want of an answer", err)
	}
	if err := p.cmd.Wait(); err == nil {
		t.Fatal("the process that did not answer is still running")
	}
}
