package server_test

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"securemedia/client"
	"securemedia/internal/syncbuf"
	"securemedia/internal/testbed"
	"securemedia/message"
	"securemedia/protocol"
	"securemedia/server"
)

// A client that drives the session protocol itself, as a hostile one
// would: its own records, in parallel, at the limits.

// sessionURL is the URL of c's session endpoint.
func sessionURL(bed *testbed.Bed, c *client.Conn) string { return sessionIDURL(bed, c.Session().ID()) }

// sessionIDURL is the URL of the session endpoint of id, established or
// half-open.
func sessionIDURL(bed *testbed.Bed, id [protocol.SessionIDSize]byte) string {
	return bed.URL + "/v1/session/" + hex.EncodeToString(id[:])
}

// sealRequest seals one request record of op in c's session.
func sealRequest(t *testing.T, c *client.Conn, op message.Op, body []byte) []byte {
	t.Helper()
	rec, err := c.Session().Seal(nil, protocol.RecordRequest, (&message.Request{Op: op, Body: body}).Marshal())
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// postRecord posts body to u and returns the status and the problem type
// of a refusal ("" for a 200).
func postRecord(u string, body []byte) (int, string, error) {
	resp, err := http.Post(u, "application/octet-stream", bytes.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		_, err = io.Copy(io.Discard, resp.Body)
		return resp.StatusCode, "", err
	}
	var p struct{ Type string }
	err = json.NewDecoder(resp.Body).Decode(&p)
	return resp.StatusCode, p.Type, err
}

// TestParallelRekeysOfOneSessionAreAnsweredOneAtATime: a client sends
// several rekey requests of one epoch at once. The server runs one rekey
// at a time (protocol.Session.PrepareRekey): every record that
// authenticates is answered 200 (DESIGN.md §4 "Statuses"), a concurrent
// rekey is refused inside the channel, and only records of the epoch the
// server left are rejected, as records (400 record-rejected, each logged
// as such); the server logs no error. Before, two prepared rekeys could
// commit one's epoch under the other's answer and fail the other's
// commit (a 400 and an error for an authenticated record), and the next
// epoch was derived from the master secret outside the session lock (a
// data race: run with -race).
func TestParallelRekeysOfOneSessionAreAnsweredOneAtATime(t *testing.T) {
	var log syncbuf.Buffer
	bed := testbed.New(t, testbed.Options{Log: &log})
	const rounds, parallel = 20, 16
	rejected := 0
	for range rounds {
		c := bed.Dial(t, bed.ClientConfig(t))
		u := sessionURL(bed, c)
		recs := make([][]byte, parallel)
		for i := range recs {
			share, err := c.Session().RekeyRequest()
			if err != nil {
				t.Fatal(err)
			}
			recs[i] = sealRequest(t, c, message.OpRekey, protocol.MarshalShare(share))
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		for _, rec := range recs {
			wg.Go(func() {
				st, typ, err := postRecord(u, rec)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err != nil:
					t.Errorf("a rekey request: %v", err)
				case st == http.StatusBadRequest && typ == "urn:securemedia:problem:record-rejected":
					rejected++
				case st != http.StatusOK:
					t.Errorf("a rekey request answered %d %s", st, typ)
				}
			})
		}
		wg.Wait()
	}
	out := log.String()
	if logged := strings.Count(out, `msg="record rejected"`); logged != rejected {
		t.Errorf("%d rekey requests answered record-rejected, %d records rejected: an authenticated record was refused", rejected, logged)
	}
	for line := range strings.Lines(out) {
		if strings.Contains(line, "level=ERROR") {
			t.Errorf("the server logged an error: %s", line)
		}
	}
}

// halfOpenSession sends a hello and returns the session URL of the
// half-open session it made, awaiting its finish.
func halfOpenSession(t *testing.T, bed *testbed.Bed) string {
	t.Helper()
	hs, err := protocol.NewClientHandshake(bed.ClientConfig(t).Protocol)
	if err != nil {
		t.Fatal(err)
	}
	defer hs.Erase()
	hello, _ := hs.Hello()
	resp, err := http.Post(bed.URL+"/v1/handshake", "application/octet-stream", bytes.NewReader(hello))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	flight, _ := io.ReadAll(resp.Body)
	if retry, err := hs.ReadServerFlight(flight); err != nil || retry {
		t.Fatalf("the server flight: retry %v, %v", retry, err)
	}
	return sessionIDURL(bed, hs.SessionID())
}

// TestABodyDeclaredOverTheLimitIsRefusedBeforeItIsSent: a hello, a
// finish or a record whose Content-Length is over the endpoint's limit
// is answered 413 at once, from the headers, whether or not the client
// sends the body or waits for 100 Continue (DESIGN.md §4 "Limits": cheap
// checks first). Before, the server waited for the body, up to the read
// timeout, to refuse it once read.
func TestABodyDeclaredOverTheLimitIsRefusedBeforeItIsSent(t *testing.T) {
	bed := testbed.New(t, testbed.Options{})
	c := bed.Dial(t, bed.ClientConfig(t))
	for _, tt := range []struct {
		name  string
		url   func() string
		limit int64
	}{
		{"a hello", func() string { return bed.URL + "/v1/handshake" }, protocol.MaxHandshakeFlight},
		// A finish may carry the first request (DESIGN.md §4 "Handshake").
		{"a finish", func() string { return halfOpenSession(t, bed) + "/finish" }, protocol.MaxHandshakeFlight + server.DefaultMaxRequestRecord},
		{"a record", func() string { return sessionURL(bed, c) }, server.DefaultMaxRequestRecord},
	} {
		for _, expect := range []string{"", "Expect: 100-continue\r\n"} {
			t.Run(fmt.Sprintf("%s %q", tt.name, expect), func(t *testing.T) {
				conn, err := net.Dial("tcp", strings.TrimPrefix(bed.URL, "http://"))
				if err != nil {
					t.Fatal(err)
				}
				defer conn.Close()
				path := strings.TrimPrefix(tt.url(), bed.URL)
				fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nContent-Length: %d\r\n%s\r\n",
					path, tt.limit+1, expect)
				conn.SetReadDeadline(time.Now().Add(10 * time.Second))
				resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
				if err != nil {
					t.Fatalf("no answer before the body: %v", err)
				}
				defer resp.Body.Close()
				var p struct{ Type string }
				if err := json.NewDecoder(resp.Body).Decode(&p); err != nil || resp.StatusCode != http.StatusRequestEntityTooLarge ||
					p.Type != "urn:securemedia:problem:too-large" {
					t.Fatalf("answered %d %q (%v), want 413 too-large", resp.StatusCode, p.Type, err)
				}
			})
		}
	}
}

// TestSessionsEndAtTheirIdleTimeoutLifetimeAndHandshakeExpiry: a session
// unused for its idle timeout, or older than its lifetime, and a
// half-open session not finished in time are gone (404, out of the
// table), and records that do not authenticate, which anyone who knows
// the session id can send, do not keep a session alive (DESIGN.md §4
// "Limits"; §2: a session id alone grants nothing).
func TestSessionsEndAtTheirIdleTimeoutLifetimeAndHandshakeExpiry(t *testing.T) {
	clk := &clock{}
	bed := testbed.New(t, testbed.Options{Users: &testbed.UsersOptions{Now: clk.Now},
		Limits: server.Limits{IdleTimeout: 2 * time.Minute, SessionLifetime: time.Hour, HandshakeExpiry: 10 * time.Second}})
	catalog := func(c *client.Conn) int {
		t.Helper()
		st, _, err := postRecord(sessionURL(bed, c), sealRequest(t, c, message.OpCatalog, nil))
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	t.Run("idle, kept only by forged records", func(t *testing.T) {
		c := bed.Dial(t, bed.ClientConfig(t))
		for range 3 {
			clk.Advance(50 * time.Second)
			if st, _, _ := postRecord(sessionURL(bed, c), []byte("forged")); st == http.StatusOK {
				t.Fatal("a forged record answered 200")
			}
		}
		if st := catalog(c); st != http.StatusNotFound {
			t.Fatalf("a request after 150 s idle answered %d, want 404", st)
		}
	})
	t.Run("in use past its lifetime", func(t *testing.T) {
		c := bed.Dial(t, bed.ClientConfig(t))
		for range 35 {
			clk.Advance(100 * time.Second)
			if st := catalog(c); st != http.StatusOK {
				t.Fatalf("a session in use within its lifetime answered %d", st)
			}
		}
		clk.Advance(110 * time.Second) // 35 × 100 s + 110 s: past the hour
		if st := catalog(c); st != http.StatusNotFound {
			t.Fatalf("a request past the lifetime answered %d, want 404", st)
		}
	})
	t.Run("a finish after the handshake expiry", func(t *testing.T) {
		u := halfOpenSession(t, bed)
		clk.Advance(11 * time.Second)
		if st, typ, _ := postRecord(u+"/finish", []byte("a finish")); st != http.StatusNotFound || typ != "urn:securemedia:problem:no-session" {
			t.Fatalf("a late finish answered %d %s, want 404 no-session", st, typ)
		}
	})
	if established, _ := bed.Server.Sessions(); established != 0 {
		t.Fatalf("%d sessions left in the table after their end", established)
	}
}

// TestASessionHasOneURL: the session id in a URL is the server's own
// lowercase hex; the same id in uppercase is no session (404), so that a
// balancer or a log sees one path per session.
func TestASessionHasOneURL(t *testing.T) {
	bed := testbed.New(t, testbed.Options{})
	c := bed.Dial(t, bed.ClientConfig(t))
	rec := sealRequest(t, c, message.OpCatalog, nil)
	id := c.Session().ID()
	upper := bed.URL + "/v1/session/" + strings.ToUpper(hex.EncodeToString(id[:]))
	if st, typ, err := postRecord(upper, rec); err != nil || st != http.StatusNotFound || typ != "urn:securemedia:problem:no-session" {
		t.Fatalf("the session's id in uppercase: %d %q (%v), want 404 no-session", st, typ, err)
	}
	if st, _, err := postRecord(sessionURL(bed, c), rec); err != nil || st != http.StatusOK {
		t.Fatalf("the same record at the session's URL: %d (%v), want 200", st, err)
	}
}
