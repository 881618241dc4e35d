package server_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"
	"time"

	"securemedia/client"
	"securemedia/internal/testbed"
	"securemedia/server"
)

// replicaAt is one replica behind the stand-in balancer.
type replicaAt struct{ name, url, admin string }

// newBalancer stands in for HAProxy as deploy/haproxy.cfg sets it up: a
// session path goes to the replica its prefix names, anything else to the
// first replica whose /readyz answers 200 (asked at each request, where
// HAProxy asks every second).
func newBalancer(t *testing.T, replicas ...replicaAt) string {
	t.Helper()
	proxyTo := func(raw string) *httputil.ReverseProxy {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		p := httputil.NewSingleHostReverseProxy(u)
		p.FlushInterval = -1
		return p
	}
	proxies := map[string]*httputil.ReverseProxy{}
	for _, r := range replicas {
		proxies[r.name] = proxyTo(r.url)
	}
	lb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rest, ok := strings.CutPrefix(r.URL.Path, "/v1/session/"); ok {
			name, _, _ := strings.Cut(rest, ".")
			if p := proxies[name]; p != nil {
				p.ServeHTTP(w, r)
				return
			}
		}
		for _, rp := range replicas {
			if resp, err := http.Get(rp.admin + "/readyz"); err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					proxies[rp.name].ServeHTTP(w, r)
					return
				}
			}
		}
		http.Error(w, "no replica ready", http.StatusServiceUnavailable)
	}))
	t.Cleanup(lb.Close)
	return lb.URL
}

func TestADrainingReplicaHandsItsPlayToAnotherWithoutFailingItOrCostingAView(t *testing.T) {
	bed := testbed.New(t, testbed.Options{ChunkSize: testChunk, Users: &testbed.UsersOptions{},
		Server: func(c *server.Config) { c.Replica = "a" }})
	b := bed.StartReplica(t, "b")
	cfg := bed.ClientConfig(t)
	cfg.Server = newBalancer(t, replicaAt{"a", bed.URL, bed.AdminURL}, replicaAt{"b", b.URL, b.AdminURL})
	data := randomMedia(t, 6*testChunk+5)
	id := bed.AddMedia(t, "Handed off", data)
	ctx := context.Background()

	// At chunk 2 replica a starts draining (the call returns at once under
	// a context already done; the drain goes on).
	done, cancel := context.WithCancel(ctx)
	cancel()
	drain := func(st client.PlayStats) {
		if st.Chunks == 2 {
			bed.Server.Drain(done)
		}
	}
	got, st, err := playWith(t, cfg, id, client.PlayOptions{ChunksPerRequest: 1, Progress: drain})
	resumedOnce(t, bed, id, data, got, st, err, "a play whose replica drained")
	wait, stop := context.WithTimeout(ctx, 5*time.Second)
	defer stop()
	if err := bed.Server.Drain(wait); err != nil {
		t.Fatalf("replica a still has plays after handing its one off: %v", err)
	}
	if est, _ := bed.Server.Sessions(); est != 0 {
		t.Fatalf("replica a keeps %d sessions", est)
	}

	// What the balancer and the monitoring see of a, and of b.
	resp, err := http.Post(bed.URL+"/v1/handshake", "application/octet-stream", strings.NewReader("hello"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("a hello to the draining replica: %d, Retry-After %q; want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	for _, c := range []struct {
		admin     string
		status    int
		draining  bool
		movedLine string
	}{{bed.AdminURL, http.StatusServiceUnavailable, true, "securemedia_sessions_moved_total 1"}, {b.AdminURL, http.StatusOK, false, "securemedia_sessions_moved_total 0"}} {
		rd := readiness(t, c.admin, c.status)
		if rd.Checks[0].Name != "draining" || rd.Checks[0].OK == c.draining {
			t.Errorf("%s/readyz: %+v", c.admin, rd)
		}
		if m := get(t, c.admin+"/metrics"); !strings.Contains(m, c.movedLine) {
			t.Errorf("%s/metrics lack %q", c.admin, c.movedLine)
		}
	}
}

// readiness GETs admin/readyz, wants status and returns the body.
func readiness(t *testing.T, admin string, status int) server.Readiness {
	t.Helper()
	resp, err := http.Get(admin + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var rd server.Readiness
	if err := json.NewDecoder(resp.Body).Decode(&rd); err != nil || resp.StatusCode != status || rd.Ready != (status == http.StatusOK) {
		t.Fatalf("%s/readyz: %d %+v %v, want %d", admin, resp.StatusCode, rd, err, status)
	}
	return rd
}

func get(t *testing.T, u string) string {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// TestADrainingServerKeepsNoConnectionIdle: once a drain starts, the
// server closes its idle keep-alive connections and answers every
// request with Connection: close, so that a draining replica's
// connections free their places of [limits] max_connections and a
// client's next request goes through the balancer again. Before, an idle
// connection stayed open until its idle timeout (2 minutes).
func TestADrainingServerKeepsNoConnectionIdle(t *testing.T) {
	bed := testbed.New(t, testbed.Options{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- bed.Server.Serve(ctx, ln) }()
	t.Cleanup(func() { cancel(); <-served })
	u := "http://" + ln.Addr().String()

	idle, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	r := bufio.NewReader(idle)
	fmt.Fprintf(idle, "GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n")
	resp, err := http.ReadResponse(r, nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.Close {
		t.Fatal("a connection was closed before the drain")
	}

	if err := bed.Server.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	idle.SetReadDeadline(time.Now().Add(10 * time.Second))
	if n, err := r.Read(make([]byte, 1)); n != 0 || err != io.EOF {
		t.Fatalf("the idle connection after the drain started: read %d, %v; want it closed (EOF)", n, err)
	}
	resp, err = http.Get(u + "/nothing")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if !resp.Close {
		t.Fatal("an answer of a draining server keeps its connection open")
	}
}
