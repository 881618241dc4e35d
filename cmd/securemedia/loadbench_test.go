package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"securemedia/internal/config"
	"securemedia/internal/loadtest"
)

// The load figures of the README (DESIGN.md §9: 1,000 concurrent plays
// within 128 MiB of server memory), measured on the real processes: a
// `securemedia server` child with the default settings of `init`, driven
// by a `securemedia loadtest` child, and beside it Go's net/http and
// crypto/tls serving the same file to as many concurrent HTTPS GETs from
// a child of its own. Peak RSS is the child server's VmHWM. Run with
//
//	go test ./cmd/securemedia -run '^$' -bench ThousandConcurrent -benchtime 1x
//
// (BENCH_PLAYS overrides the 1,000).

// roomForOneViewer lets the one viewer of a load test hold n sessions and
// n plays not yet counted at once: the per-user and per-device caps (8
// sessions) and the open plays (64) are per person, and a load test is
// one person.
func roomForOneViewer(t testing.TB, ws string, n int, edit func(*config.Server)) {
	t.Helper()
	path := filepath.Join(ws, "server.toml")
	cfg, err := config.LoadServer(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Limits.MaxSessionsPerUser, cfg.Limits.MaxSessionsPerDevice = n, n
	cfg.License.MaxOpenPlays = n
	if edit != nil {
		edit(cfg)
	}
	if err := config.Write(path, cfg); err != nil {
		t.Fatal(err)
	}
}

func benchPlays() int {
	var n int
	if _, err := fmt.Sscan(os.Getenv("BENCH_PLAYS"), &n); err != nil || n <= 0 {
		return 1000
	}
	return n
}

// runLoadtest runs `securemedia loadtest --json` against url and returns
// its report.
func runLoadtest(t testing.TB, ws, url, id string, plays int) *loadtest.Report {
	t.Helper()
	r := runCLI(t, "", nil, nil, "loadtest", "--config", filepath.Join(ws, "client.toml"), "--server", url,
		"--media", id, "--plays", fmt.Sprint(plays), "--concurrency", fmt.Sprint(plays), "--json")
	var rep loadtest.Report
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("loadtest: exit %d, %v\n%s\n%s", r.code, err, r.stdout, r.stderr)
	}
	return &rep
}

// rssSampler records the highest VmRSS of pid while it runs.
type rssSampler struct {
	stop chan struct{}
	done chan int64
}

func sampleRSS(t testing.TB, pid int) *rssSampler {
	s := &rssSampler{stop: make(chan struct{}), done: make(chan int64, 1)}
	go func() {
		var most int64
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
			if err == nil {
				var v int64
				for _, line := range strings.Split(string(b), "\n") {
					if n, _ := fmt.Sscanf(line, "VmRSS: %d kB", &v); n == 1 && v > most {
						most = v
					}
				}
			}
			select {
			case <-s.stop:
				s.done <- most
				return
			case <-tick.C:
			}
		}
	}()
	return s
}

func (s *rssSampler) end() int64 { close(s.stop); return <-s.done }

func BenchmarkThousandConcurrentPlaysOfA4MiBItem(b *testing.B) {
	plays := benchPlays()
	ws := newWorkspace(b)
	roomForOneViewer(b, ws, plays, nil)
	file, _ := randomFile(b, 4<<20)
	id := addMedia(b, ws, file, "--views", "1000000")

	b.Run("securemedia", func(b *testing.B) {
		for range b.N {
			srv := startServer(b, ws)
			pid := srv.cmd.Process.Pid
			idle := statusKiB(b, pid, "VmRSS")
			s := sampleRSS(b, pid)
			rep := runLoadtest(b, ws, srv.url, id, plays)
			during := s.end()
			peak := statusKiB(b, pid, "VmHWM")
			srv.stop(b)
			b.ReportMetric(float64(rep.Succeeded), "succeeded")
			b.ReportMetric(rep.MBPerS, "MB/s")
			b.ReportMetric(float64(peak)/1024, "peak-RSS-MiB")
			b.ReportMetric(float64(during)/1024, "load-RSS-MiB")
			b.ReportMetric(float64(idle)/1024, "idle-RSS-MiB")
			b.ReportMetric(rep.HandshakeMsP50, "handshake-p50-ms")
			b.ReportMetric(rep.HandshakeMsP99, "handshake-p99-ms")
			if rep.Succeeded != plays {
				b.Errorf("%d of %d plays succeeded: %v", rep.Succeeded, plays, rep.Failed)
			}
		}
	})
	b.Run("net/http+crypto/tls", func(b *testing.B) {
		for range b.N {
			base := startHTTPSBaseline(b, ws, file)
			pid := base.cmd.Process.Pid
			s := sampleRSS(b, pid)
			ok, mbps := concurrentGETs(b, ws, base.url, plays, 4<<20)
			during := s.end()
			peak := statusKiB(b, pid, "VmHWM")
			base.cmd.Process.Kill()
			base.cmd.Wait()
			b.ReportMetric(float64(ok), "succeeded")
			b.ReportMetric(mbps, "MB/s")
			b.ReportMetric(float64(peak)/1024, "peak-RSS-MiB")
			b.ReportMetric(float64(during)/1024, "load-RSS-MiB")
		}
	})
}

func BenchmarkThousandConcurrentPlaysThroughHAProxyAndThreeReplicas(b *testing.B) {
	plays := benchPlays()
	c := newCluster(b, plays)
	file, _ := randomFile(b, 4<<20)
	id := addMedia(b, c.ws, file, "--views", "1000000")
	for _, target := range []struct{ name, url string }{{"haproxy+3", c.url}, {"one-replica", c.replicas[0].srv.url}} {
		b.Run(target.name, func(b *testing.B) {
			for range b.N {
				var samplers []*rssSampler
				for _, r := range c.replicas {
					samplers = append(samplers, sampleRSS(b, r.srv.cmd.Process.Pid))
				}
				rep := runLoadtest(b, c.ws, target.url, id, plays)
				var most int64
				for _, s := range samplers {
					most = max(most, s.end())
				}
				b.ReportMetric(float64(rep.Succeeded), "succeeded")
				b.ReportMetric(rep.MBPerS, "MB/s")
				b.ReportMetric(float64(most)/1024, "replica-load-RSS-MiB")
				b.ReportMetric(rep.HandshakeMsP50, "handshake-p50-ms")
				b.ReportMetric(rep.HandshakeMsP99, "handshake-p99-ms")
				if rep.Succeeded != plays {
					b.Errorf("%d of %d plays succeeded: %v", rep.Succeeded, plays, rep.Failed)
					for _, r := range c.replicas {
						for _, l := range strings.Split(r.srv.log.String(), "\n") {
							if strings.Contains(l, "user refused") {
								b.Log(r.name, l)
								break
							}
						}
					}
				}
			}
		})
	}
}

// httpsBaselineCommand is the helper command (registered in TestMain)
// that serves one file with net/http and crypto/tls: TLS 1.3, client
// certificates required, as securemedia requires a device. Arguments:
// server chain, key, client root, file. It prints its URL.
const httpsBaselineCommand = "securemedia-https-baseline"

func httpsBaseline(args []string) int {
	if len(args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: "+httpsBaselineCommand+" CERT KEY CLIENT-ROOT FILE")
		return 2
	}
	cert, err := tls.LoadX509KeyPair(args[0], args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	roots := x509.NewCertPool()
	pem, err := os.ReadFile(args[2])
	if err != nil || !roots.AppendCertsFromPEM(pem) {
		fmt.Fprintln(os.Stderr, "client root:", err)
		return 1
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	file := args[3]
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			f, err := os.Open(file)
			if err != nil {
				http.Error(w, "no file", http.StatusInternalServerError)
				return
			}
			defer f.Close()
			st, _ := f.Stat()
			http.ServeContent(w, r, "", st.ModTime(), f)
		}),
		TLSConfig: &tls.Config{MinVersion: tls.VersionTLS13, Certificates: []tls.Certificate{cert},
			ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: roots, SessionTicketsDisabled: true},
		ReadHeaderTimeout: 10 * time.Second,
	}
	fmt.Printf("https baseline listening on https://%s\n", ln.Addr())
	if err := srv.ServeTLS(ln, "", ""); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// baselineServer is the HTTPS baseline child.
type baselineServer struct {
	url string
	cmd *exec.Cmd
}

func startHTTPSBaseline(t testing.TB, ws, file string) *baselineServer {
	t.Helper()
	certs := filepath.Join(ws, "pki", "certs")
	cmd := exec.Command(httpsBaselineCommand, filepath.Join(certs, "server.crt"), filepath.Join(certs, "server.key"),
		filepath.Join(ws, "pki", "ca", "root.crt"), file)
	out := startChild(t, cmd, os.Stderr)
	var line string
	if _, err := fmt.Fscanf(out, "https baseline listening on %s\n", &line); err != nil {
		t.Fatalf("the baseline printed no URL: %v", err)
	}
	go io.Copy(io.Discard, out)
	return &baselineServer{url: line, cmd: cmd}
}

// concurrentGETs runs n GETs of url at once, each on a connection of its
// own (a full mutual TLS 1.3 handshake with the workspace's device
// certificate), and returns how many got size bytes and the aggregate
// MB/s.
func concurrentGETs(t testing.TB, ws, url string, n int, size int64) (int, float64) {
	t.Helper()
	certs := filepath.Join(ws, "pki", "certs")
	cert, err := tls.LoadX509KeyPair(filepath.Join(certs, "client.crt"), filepath.Join(certs, "client.key"))
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	pem, err := os.ReadFile(filepath.Join(ws, "pki", "ca", "root.crt"))
	if err != nil || !roots.AppendCertsFromPEM(pem) {
		t.Fatalf("root: %v", err)
	}
	tc := &tls.Config{MinVersion: tls.VersionTLS13, Certificates: []tls.Certificate{cert}, RootCAs: roots, ServerName: "127.0.0.1"}
	var ok, bytes atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			hc := &http.Client{Transport: &http.Transport{TLSClientConfig: tc, DisableKeepAlives: true}}
			for attempt := 0; attempt < 5; attempt++ { // a refused connection (the accept queue) is tried again
				req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, url, nil)
				resp, err := hc.Do(req)
				if err != nil {
					time.Sleep(100 * time.Millisecond << attempt)
					continue
				}
				got, err := io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if err == nil && resp.StatusCode == http.StatusOK && got == size {
					ok.Add(1)
					bytes.Add(got)
				}
				return
			}
		}()
	}
	wg.Wait()
	return int(ok.Load()), float64(bytes.Load()) / 1e6 / time.Since(start).Seconds()
}
