package server_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"securemedia/client"
	"securemedia/content"
	"securemedia/internal/testbed"
	"securemedia/message"
	"securemedia/server"
)

func serverLimits(max int) server.Limits { return server.Limits{MaxSessions: max} }

// heldCatalog holds, while a round is open, every catalog listing and
// every chunk read inside the server, and tells which entered ("list",
// "chunk"): the requests they serve stay in flight until the round ends.
type heldCatalog struct {
	entered chan string
	mu      sync.Mutex
	release chan struct{} // nil: nothing is held
}

// hold opens a round: from now on, listings and chunk reads wait.
func (c *heldCatalog) hold() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.release = make(chan struct{})
}

// let ends the round: what waits goes on, and nothing waits any more.
func (c *heldCatalog) let() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.release != nil {
		close(c.release)
		c.release = nil
	}
}

func (c *heldCatalog) wait(what string) {
	c.mu.Lock()
	release := c.release
	c.mu.Unlock()
	if release != nil {
		c.entered <- what
		<-release
	}
}

// install puts a catalog that waits so in front of the server's own.
func (c *heldCatalog) install(cfg *server.Config) {
	(&hookedCatalog{list: func() { c.wait("list") }, chunk: func(uint32) { c.wait("chunk") }}).install(cfg)
}

// TestASessionsRequestsInFlightAreCappedInsideTheChannel: a session with
// max_requests_per_session requests in flight (here a fetch held in its
// stream and a catalog held in its listing) gets the next one answered
// inside the channel, under HTTP 200 as every authenticated record
// (DESIGN.md §4 "Statuses"), StatusUnavailable "too many requests in
// flight in this session"; the honest client fails that one request
// plainly, once, and the session goes on. Once the held requests end,
// their places are free again: a second round holds as many, and error
// paths give theirs back. Records that do not open never take a place:
// someone who knows only the session id holds records of it half sent,
// past the session lookup, and the session still gets its full count.
// Before, a session could have any number of requests (each a goroutine
// and a connection) in flight.
func TestASessionsRequestsInFlightAreCappedInsideTheChannel(t *testing.T) {
	const perSession = 2
	hc := &heldCatalog{entered: make(chan string, 16)}
	bed := testbed.New(t, testbed.Options{ChunkSize: testChunk, Limits: server.Limits{MaxRequestsPerSession: perSession},
		Server: hc.install})
	t.Cleanup(hc.let) // a test that fails mid-round lets the server stop
	data := randomMedia(t, 3*testChunk+5)
	id, err := content.ParseID(bed.AddMedia(t, "Held", data))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	c := bed.Dial(t, bed.ClientConfig(t))
	defer c.Close(ctx)

	// perSession forged records of the session, each past the session
	// lookup (the server asked for its body: 100 Continue) and half sent.
	for range perSession {
		conn := halfSentRecord(t, bed, sessionURL(bed, c))
		defer conn.Close()
	}

	refused := 0
	for round := range 2 {
		hc.hold()
		var played bytes.Buffer
		playDone, listDone := make(chan error, 1), make(chan error, 1)
		go func() {
			_, err := c.Play(ctx, id, &played, client.PlayOptions{ChunksPerRequest: 2})
			playDone <- err
		}()
		go func() {
			_, err := c.Catalog(ctx)
			listDone <- err
		}()
		for got := map[string]bool{}; !got["chunk"] || !got["list"]; {
			select {
			case what := <-hc.entered:
				got[what] = true
			case err := <-playDone:
				t.Fatalf("round %d: the play ended before its fetch was held: %v", round, err)
			case err := <-listDone:
				t.Fatalf("round %d: the catalog ended before it was held: %v", round, err)
			}
		}

		// The session has perSession requests in flight: one more is
		// refused inside the channel, and the session lives on.
		_, err := c.Info(ctx, id)
		refused++
		var se *client.StatusError
		if !errors.As(err, &se) || se.Status != message.StatusUnavailable || se.Message != "too many requests in flight in this session" {
			t.Fatalf("round %d: a request beyond %d in flight: %v, want unavailable, too many requests in flight", round, perSession, err)
		}
		if errors.Is(err, client.ErrTransport) || errors.Is(err, client.ErrChannel) || !c.Usable() {
			t.Fatalf("round %d: the refusal was taken as a fault of the connection: %v (usable %v)", round, err, c.Usable())
		}
		// On the wire it is a 200, as every authenticated record.
		if st, typ, err := postRecord(sessionURL(bed, c), sealRequest(t, c, message.OpInfo, (&message.InfoRequest{Media: id}).Marshal())); err != nil || st != http.StatusOK {
			t.Fatalf("round %d: a raw request beyond the cap answered %d %s (%v), want 200", round, st, typ, err)
		}
		refused++

		hc.let()
		if err := <-playDone; err != nil {
			t.Fatalf("round %d: the held play: %v", round, err)
		}
		if !bytes.Equal(played.Bytes(), data) {
			t.Fatalf("round %d: the held play delivered %d of %d bytes", round, played.Len(), len(data))
		}
		if err := <-listDone; err != nil {
			t.Fatalf("round %d: the held catalog: %v", round, err)
		}
		if _, err := c.Info(ctx, id); err != nil {
			t.Fatalf("round %d: a request once the held ones ended: %v", round, err)
		}
		// Requests that end on an error path give their place back too:
		// more of them, one after another, than the session has places.
		for i := range perSession + 1 {
			st, typ, err := postRecord(sessionURL(bed, c), sealRequest(t, c, message.OpFetch,
				(&message.FetchRequest{Media: id, First: 1000, Count: 1}).Marshal()))
			if err != nil || st != http.StatusOK {
				t.Fatalf("round %d: fetch %d outside the media answered %d %s (%v)", round, i, st, typ, err)
			}
		}
	}
	resp, err := http.Get(bed.AdminURL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	// Each refusal was one request: the client did not try again.
	if want := fmt.Sprintf("securemedia_requests_refused_in_flight_total %d\n", refused); !strings.Contains(string(b), want) {
		t.Errorf("the metrics lack %q", want)
	}
}

// halfSentRecord opens a connection to the session endpoint u and sends
// a request record's headers, waits until the server asks for the body
// (100 Continue: the handler found the session and reads the body), sends
// half of a forged body, and leaves the connection so.
func halfSentRecord(t *testing.T, bed *testbed.Bed, u string) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(bed.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	const length = 1000
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n",
		strings.TrimPrefix(u, bed.URL), length)
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "HTTP/1.1 100 ") {
		conn.Close()
		t.Fatalf("the server did not ask for the body: %q, %v", line, err)
	}
	if _, err := conn.Write(make([]byte, length/2)); err != nil {
		conn.Close()
		t.Fatal(err)
	}
	return conn
}

// TestADrainingServerSendsASessionAtItsCapElsewhere: a session with all
// its places taken (a fetch and a catalog held) while the server drains
// gets its next request answered "go elsewhere" (DESIGN.md §10), which
// moves the client to another replica, not "too many requests in
// flight", which would stop its play.
func TestADrainingServerSendsASessionAtItsCapElsewhere(t *testing.T) {
	hc := &heldCatalog{entered: make(chan string, 16)}
	bed := testbed.New(t, testbed.Options{ChunkSize: testChunk, Limits: server.Limits{MaxRequestsPerSession: 2},
		Server: hc.install})
	t.Cleanup(hc.let)
	id, err := content.ParseID(bed.AddMedia(t, "Held", randomMedia(t, 3*testChunk)))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	c := bed.Dial(t, bed.ClientConfig(t))
	hc.hold()
	done := make(chan error, 2)
	go func() { _, err := c.Play(ctx, id, io.Discard, client.PlayOptions{ChunksPerRequest: 2}); done <- err }()
	go func() { _, err := c.Catalog(ctx); done <- err }()
	for got := map[string]bool{}; !got["chunk"] || !got["list"]; {
		got[<-hc.entered] = true
	}
	drained := make(chan error, 1)
	go func() { drained <- bed.Server.Drain(ctx) }()
	for !bed.Server.Draining() {
		runtime.Gosched()
	}
	_, err = c.Info(ctx, id)
	if !errors.Is(err, client.ErrTransport) || !strings.Contains(err.Error(), "sent us elsewhere") {
		t.Fatalf("a request of a session at its cap on a draining server: %v, want go elsewhere", err)
	}
	hc.let()
	<-done
	<-done
	if err := <-drained; err != nil {
		t.Fatalf("drain: %v", err)
	}
}
