package deploy_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"securemedia/internal/deploy"
	"securemedia/internal/testbed"
)

// runServer runs `securemedia server` on the bed's configuration, as
// adjusted, on loopback ports, and returns its URL and its admin URL; it
// stops with the test.
func runServer(t *testing.T, bed *testbed.Bed, adjust func(*deploy.RunOptions)) (string, string) {
	t.Helper()
	cfg := *bed.Config
	cfg.Media.DemoPassphraseBesideData = true // the bed's passphrase file is beside its data
	argon2 := testbed.TestArgon2()
	urls, admins := make(chan string, 1), make(chan string, 1)
	o := deploy.RunOptions{Listen: "127.0.0.1:0", AdminListen: "127.0.0.1:0", Argon2: &argon2,
		Ready: func(u string) { urls <- u }, AdminReady: func(u string) { admins <- u }}
	if adjust != nil {
		adjust(&o)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- deploy.RunServer(ctx, &cfg, o) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("the server: %v", err)
		}
	})
	select {
	case u := <-urls:
		return u, <-admins
	case err := <-done:
		t.Fatalf("the server did not start: %v", err)
	}
	return "", ""
}

// heldConnection is a connection to the server at u that was answered
// once and stays open, idle (HTTP keep-alive).
type heldConnection struct {
	net.Conn
	r *bufio.Reader
}

func dialServer(t *testing.T, u string) *heldConnection {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(u, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return &heldConnection{Conn: conn, r: bufio.NewReader(conn)}
}

// ask sends one request for a path the public listener does not serve
// (answered 404, the connection kept) and returns the answer's status.
func (c *heldConnection) ask() (int, error) {
	if _, err := fmt.Fprintf(c, "GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		return 0, err
	}
	resp, err := http.ReadResponse(c.r, nil)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, err
}

// TestThePublicListenerServesAtMostMaxConnectionsAndTheRestWait: with
// [limits] max_connections = 2, two connections open (each answered
// once, then idle) are all the server serves: a third one is made (the
// kernel's backlog takes it) but its request gets no answer while the
// two stay open, and gets it once one of them closes; it is never
// refused. The admin listener is apart and not capped. Before, any
// client could open any number of connections.
//
// The wait for "no answer" is the only time in the test: on a machine
// too slow to answer within it the test would pass without the cap,
// never fail with it.
func TestThePublicListenerServesAtMostMaxConnectionsAndTheRestWait(t *testing.T) {
	bed := testbed.New(t, testbed.Options{})
	bed.Config.Limits.MaxConnections = 2
	u, admin := runServer(t, bed, nil)

	held := []*heldConnection{dialServer(t, u), dialServer(t, u)}
	for i, c := range held {
		if st, err := c.ask(); err != nil || st != http.StatusNotFound {
			t.Fatalf("connection %d: answered %d, %v", i, st, err)
		}
	}

	extra := dialServer(t, u)
	answered := make(chan error, 1)
	go func() {
		st, err := extra.ask()
		if err == nil && st != http.StatusNotFound {
			err = fmt.Errorf("answered %d", st)
		}
		answered <- err
	}()
	select {
	case err := <-answered:
		t.Fatalf("a connection beyond max_connections was served while the others were open (%v)", err)
	case <-time.After(300 * time.Millisecond):
	}

	// The admin listener is not capped.
	resp, err := http.Get(admin + "/healthz")
	if err != nil {
		t.Fatalf("the admin listener while the public one is at its cap: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/healthz answered %d", resp.StatusCode)
	}

	held[0].Close()
	select {
	case err := <-answered:
		if err != nil {
			t.Fatalf("the waiting connection, once another closed: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the waiting connection got no answer after another closed")
	}
	// The other held connection is still served, and the one let in too.
	for i, c := range []*heldConnection{held[1], extra} {
		if st, err := c.ask(); err != nil || st != http.StatusNotFound {
			t.Fatalf("connection %d after: answered %d, %v", i, st, err)
		}
	}
}

// TestMaxRequestsPerSessionReachesTheServer: [limits]
// max_requests_per_session is the server's per-session cap (the
// listener's max_connections is tested above, through RunServer).
func TestMaxRequestsPerSessionReachesTheServer(t *testing.T) {
	bed := testbed.New(t, testbed.Options{})
	cfg := *bed.Config
	cfg.Limits.MaxRequestsPerSession = 3
	d, err := deploy.NewServer(&cfg, bed.Store, deploy.ServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if got := d.Config.Limits.MaxRequestsPerSession; got != 3 {
		t.Fatalf("the server's MaxRequestsPerSession = %d, want 3", got)
	}
}

// TestOneHostCannotFillTheListener: with [limits] max_connections = 4 and
// max_connections_per_client = 2, a host holding its two connections
// has a third one closed at once, before a byte of it is read, while
// another host (127.0.0.2) is still served. Without the share, one host
// holding max_connections idle connections locked every other viewer
// out.
func TestOneHostCannotFillTheListener(t *testing.T) {
	bed := testbed.New(t, testbed.Options{})
	bed.Config.Limits.MaxConnections = 4
	bed.Config.Limits.MaxConnectionsPerClient = 2
	u, _ := runServer(t, bed, nil)
	for i, c := range []*heldConnection{dialServer(t, u), dialServer(t, u)} {
		if st, err := c.ask(); err != nil || st != http.StatusNotFound {
			t.Fatalf("connection %d: answered %d, %v", i, st, err)
		}
	}
	third := dialServer(t, u)
	third.SetDeadline(time.Now().Add(10 * time.Second))
	if st, err := third.ask(); err == nil {
		t.Fatalf("a host's third connection was answered %d, want it closed", st)
	}

	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 2)}}
	conn, err := d.Dial("tcp", strings.TrimPrefix(u, "http://"))
	if err != nil {
		t.Skipf("no second loopback address to dial from: %v", err)
	}
	defer conn.Close()
	other := &heldConnection{Conn: conn, r: bufio.NewReader(conn)}
	other.SetDeadline(time.Now().Add(10 * time.Second))
	if st, err := other.ask(); err != nil || st != http.StatusNotFound {
		t.Fatalf("another host while the first holds its share: %d, %v", st, err)
	}
}
