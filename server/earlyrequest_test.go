package server_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"securemedia/client"
	"securemedia/content"
	"securemedia/internal/testbed"
	"securemedia/protocol"
)

// The client's first request may travel with its finish (DESIGN.md §4
// "Handshake"; client.Config.FinishWithFirstRequest): these tests run it
// over real HTTP through a man in the middle that logs, and for some
// tampers with, every exchange.

// finishPaths lists the paths of a proxy's exchanges, the session id
// replaced by "ID", so that a test can compare the exchanges made.
func finishPaths(p *testbed.Proxy) []string {
	var out []string
	for _, e := range p.Log() {
		path := e.Path
		if rest, ok := strings.CutPrefix(path, "/v1/session/"); ok {
			_, tail, _ := strings.Cut(rest, "/")
			path = "/v1/session/ID"
			if tail != "" {
				path += "/" + tail
			}
		}
		out = append(out, path)
	}
	return out
}

// assertExchanges checks that the proxy saw exactly the exchanges want,
// in order (paths as finishPaths writes them).
func assertExchanges(t *testing.T, p *testbed.Proxy, want ...string) {
	t.Helper()
	if got := finishPaths(p); !slices.Equal(got, want) {
		t.Fatalf("exchanges %q, want %q", got, want)
	}
}

func earlyConfig(t *testing.T, bed *testbed.Bed, url string) client.Config {
	cfg := bed.ClientConfig(t)
	cfg.Server, cfg.FinishWithFirstRequest = url, true
	return cfg
}

// TestTheFirstRequestTravelsWithTheFinish: a play of a whole item (Info,
// one fetch of every chunk, checked against the signed manifest) and the
// close take four HTTP exchanges, not five: the finish carries Info, and
// its answer brings the server's Finished and then Info's answer. The
// played bytes are the item's.
func TestTheFirstRequestTravelsWithTheFinish(t *testing.T) {
	bed := testbed.New(t, testbed.Options{ChunkSize: testChunk})
	media := randomMedia(t, 3*testChunk+100)
	id := bed.AddMedia(t, "Early", media)
	mid, _ := content.ParseID(id)
	proxy := testbed.NewProxy(t, bed.URL, testbed.Tamper{})
	conn, err := client.Dial(context.Background(), earlyConfig(t, bed, proxy.URL))
	if err != nil {
		t.Fatal(err)
	}
	assertExchanges(t, proxy, "/v1/handshake") // Dial: the hello alone
	if est, half := bed.Server.Sessions(); est != 0 || half != 1 {
		t.Fatalf("after Dial the server holds %d established and %d half-open sessions, want 0 and 1", est, half)
	}
	var sink bytes.Buffer
	st, err := conn.Play(context.Background(), mid, &sink, client.PlayOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(sink.Bytes(), media) || !st.Verified {
		t.Fatalf("played %d bytes (verified %v), want the item's %d", sink.Len(), st.Verified, len(media))
	}
	if err := conn.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	assertExchanges(t, proxy, "/v1/handshake", "/v1/session/ID/finish", "/v1/session/ID", "/v1/session/ID")
	if est, half := bed.Server.Sessions(); est != 0 || half != 0 {
		t.Fatalf("after Close the server holds %d established and %d half-open sessions", est, half)
	}
}

// TestACloseBeforeAnyRequestSendsTheFinishWithIt: a connection that made
// no request sends its finish with its close, so that the server frees
// the half-open session at once rather than at its expiry; two exchanges
// in all.
func TestACloseBeforeAnyRequestSendsTheFinishWithIt(t *testing.T) {
	bed := testbed.New(t, testbed.Options{})
	proxy := testbed.NewProxy(t, bed.URL, testbed.Tamper{})
	conn, err := client.Dial(context.Background(), earlyConfig(t, bed, proxy.URL))
	if err != nil {
		t.Fatal(err)
	}
	if err := conn.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	assertExchanges(t, proxy, "/v1/handshake", "/v1/session/ID/finish") // the finish with the close
	if est, half := bed.Server.Sessions(); est != 0 || half != 0 {
		t.Fatalf("after Close the server holds %d established and %d half-open sessions", est, half)
	}
}

// TestRequestsMadeTogetherWaitForTheOneThatCarriesTheFinish: requests
// made at once on a new connection all succeed; one carries the finish,
// the others are sent only once its answer established the session.
func TestRequestsMadeTogetherWaitForTheOneThatCarriesTheFinish(t *testing.T) {
	bed := testbed.New(t, testbed.Options{})
	bed.AddMedia(t, "One", randomMedia(t, 1000))
	const n = 6
	var (
		started  sync.WaitGroup
		answered atomic.Bool
		early    atomic.Int32 // session requests that came before the finish's answer
	)
	started.Add(n)
	proxy := testbed.NewProxy(t, bed.URL, testbed.Tamper{
		Request: func(_ int, path string, body []byte) []byte {
			switch {
			case strings.HasSuffix(path, "/finish"):
				started.Wait() // every request has been made: the others wait now
			case strings.HasPrefix(path, "/v1/session/") && !answered.Load():
				early.Add(1)
			}
			return body
		},
		Response: func(_ int, path string, _ int, body []byte) []byte {
			if strings.HasSuffix(path, "/finish") {
				answered.Store(true)
			}
			return body
		},
	})
	conn, err := client.Dial(context.Background(), earlyConfig(t, bed, proxy.URL))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			started.Done()
			items, err := conn.Catalog(context.Background())
			if err == nil && len(items) != 1 {
				err = errors.New("not the one item")
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
	}
	finishes, records := 0, 0
	for _, p := range finishPaths(proxy) {
		switch p {
		case "/v1/session/ID/finish":
			finishes++
		case "/v1/session/ID":
			records++
		}
	}
	if finishes != 1 || records != n-1 {
		t.Fatalf("%d finishes and %d session requests, want 1 and %d", finishes, records, n-1)
	}
	if e := early.Load(); e != 0 {
		t.Fatalf("%d session requests were sent before the finish was answered", e)
	}
}

// TestARefusedDeviceLearnsItAtItsFirstRequest: with the finish held back,
// Dial of a revoked device succeeds (the server is authenticated); its
// first request gets the server's refusal as Dial would have (403, the
// reason alone, as a *client.FinishError), not a transport fault a play
// would retry, and the connection is unusable. The server keeps no session of it.
func TestARefusedDeviceLearnsItAtItsFirstRequest(t *testing.T) {
	bed := testbed.New(t, testbed.Options{})
	revokeDevice(t, bed)
	conn, err := client.Dial(context.Background(), earlyConfig(t, bed, bed.URL))
	if err != nil {
		t.Fatal(err)
	}
	_, err = conn.Catalog(context.Background())
	var pe *client.ProblemError
	if !errors.As(err, &pe) || pe.Status != http.StatusForbidden || pe.Detail != "certificate revoked" {
		t.Fatalf("a revoked device's first request: %v", err)
	}
	if fe := (*client.FinishError)(nil); !errors.As(err, &fe) {
		t.Fatalf("a refused finish is not a *client.FinishError: %v", err)
	}
	if errors.Is(err, client.ErrTransport) || errors.Is(err, client.ErrChannel) {
		t.Fatalf("a frontRefusal classed as a fault: %v", err)
	}
	if conn.Usable() {
		t.Fatal("the connection is still usable after its finish was refused")
	}
	if _, err := conn.Catalog(context.Background()); !errors.As(err, &pe) {
		t.Fatalf("a second request: %v, want the frontRefusal again", err)
	}
	if est, _ := bed.Server.Sessions(); est != 0 {
		t.Fatalf("the server established %d sessions", est)
	}
}

// TestATamperedFirstRequestEndsTheSessionBeforeItStarts: a man in the
// middle who flips a byte of the request behind a valid finish gets the
// answer of any record that fails (400 record-rejected) and no session:
// the server frees the handshake's place at once, and the client's
// request fails closed, as a channel failure.
func TestATamperedFirstRequestEndsTheSessionBeforeItStarts(t *testing.T) {
	bed := testbed.New(t, testbed.Options{})
	proxy := testbed.NewProxy(t, bed.URL, testbed.Tamper{Request: func(_ int, path string, body []byte) []byte {
		if strings.HasSuffix(path, "/finish") {
			fin, early, err := protocol.SplitRecord(body)
			if err == nil && len(early) > 0 {
				body = append(append([]byte(nil), fin...), early...)
				body[len(body)-1] ^= 1
			}
		}
		return body
	}})
	conn, err := client.Dial(context.Background(), earlyConfig(t, bed, proxy.URL))
	if err != nil {
		t.Fatal(err)
	}
	_, err = conn.Catalog(context.Background())
	var pe *client.ProblemError
	if !errors.Is(err, client.ErrChannel) || !errors.As(err, &pe) || pe.Status != http.StatusBadRequest ||
		pe.Type != "urn:securemedia:problem:record-rejected" {
		t.Fatalf("a tampered first request: %v, want a channel failure on 400 record-rejected", err)
	}
	if conn.Usable() {
		t.Fatal("the connection is still usable")
	}
	// The finish alone, as to a server that takes no request with it
	// (TestAServerThatTakesNoRequestWithTheFinishGetsTheFinishAlone),
	// finds the handshake gone.
	assertExchanges(t, proxy, "/v1/handshake", "/v1/session/ID/finish", "/v1/session/ID/finish")
	if est, half := bed.Server.Sessions(); est != 0 || half != 0 {
		t.Fatalf("the server holds %d established and %d half-open sessions, want none", est, half)
	}
}

// TestATamperedServerFinishedFailsTheChannel: a flipped byte in the
// server's Finished at the head of the answer fails the connection as a
// channel failure, and no answer behind it is taken.
func TestATamperedServerFinishedFailsTheChannel(t *testing.T) {
	bed := testbed.New(t, testbed.Options{})
	proxy := testbed.NewProxy(t, bed.URL, testbed.Tamper{Response: func(_ int, path string, status int, body []byte) []byte {
		if strings.HasSuffix(path, "/finish") && status == http.StatusOK && len(body) > protocol.RecordHeaderSize {
			body = append([]byte(nil), body...)
			body[protocol.RecordHeaderSize] ^= 1
		}
		return body
	}})
	conn, err := client.Dial(context.Background(), earlyConfig(t, bed, proxy.URL))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Catalog(context.Background()); !errors.Is(err, client.ErrChannel) {
		t.Fatalf("a tampered server Finished: %v, want a channel failure", err)
	}
	if conn.Usable() {
		t.Fatal("the connection is still usable")
	}
}

// TestAFinishWhoseAnswerIsLostLeavesNoSessionOnTheServer: the server
// established the session and answered the request that carried the
// finish, but the client never took that answer: it was lost on the way,
// or the request was cancelled while it waited. The connection fails (the finish cannot be
// sent twice), and it closes the session on the server with an
// authenticated close, as a connection that fails after its handshake
// does, rather than leave it in the table, counted against the user's
// and the device's caps, until its idle timeout. Before, it stayed.
func TestAFinishWhoseAnswerIsLostLeavesNoSessionOnTheServer(t *testing.T) {
	bed := testbed.New(t, testbed.Options{})
	bed.AddMedia(t, "One", randomMedia(t, 1000))
	finish := func(path string) bool { return strings.HasSuffix(path, "/finish") }
	for _, tc := range []struct {
		name   string
		tamper func(cancel func()) testbed.Tamper
		want   error
	}{
		{"lost", func(func()) testbed.Tamper {
			return testbed.Tamper{Drop: func(_ int, path string, _ int, _ []byte) bool { return finish(path) }}
		}, client.ErrTransport},
		{"cancelled", func(cancel func()) testbed.Tamper {
			return testbed.Tamper{Response: func(_ int, path string, _ int, body []byte) []byte {
				if finish(path) {
					cancel() // once the server answered
				}
				return body
			}}
		}, client.ErrTransport},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			proxy := testbed.NewProxy(t, bed.URL, tc.tamper(cancel))
			conn, err := client.Dial(context.Background(), earlyConfig(t, bed, proxy.URL))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := conn.Catalog(ctx); !errors.Is(err, tc.want) {
				t.Fatalf("the first request: %v, want %v", err, tc.want)
			}
			if conn.Usable() {
				t.Fatal("the connection is still usable")
			}
			if est, half := bed.Server.Sessions(); est != 0 || half != 0 {
				t.Fatalf("the server holds %d established and %d half-open sessions, want none", est, half)
			}
		})
	}
}

// TestRequestsWaitingForACancelledFinishAreNotCancelled: the request
// that carries the finish is cancelled while others wait for it. It
// fails with its context's error (and as a transport fault); the others,
// whose contexts are live, fail at once as a transport fault, a play's
// cue to dial again, but not with context.Canceled, which a caller takes
// for an interruption of its own (the CLI exits as interrupted); nor does
// a request made afterwards. Before, every one of them was "canceled".
func TestRequestsWaitingForACancelledFinishAreNotCancelled(t *testing.T) {
	bed := testbed.New(t, testbed.Options{})
	release, arrived := make(chan struct{}), make(chan struct{}, 1)
	proxy := testbed.NewProxy(t, bed.URL, testbed.Tamper{Request: func(_ int, path string, body []byte) []byte {
		if strings.HasSuffix(path, "/finish") {
			arrived <- struct{}{}
			<-release
		}
		return body
	}})
	defer close(release)
	conn, err := client.Dial(context.Background(), earlyConfig(t, bed, proxy.URL))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	carrier := make(chan error, 1)
	go func() { _, err := conn.Catalog(ctx); carrier <- err }()
	<-arrived
	const n = 3
	waiters := make(chan error, n)
	for range n {
		go func() { _, err := conn.Catalog(context.Background()); waiters <- err }()
	}
	time.Sleep(20 * time.Millisecond) // let them wait
	cancel()
	if err := <-carrier; !errors.Is(err, context.Canceled) || !errors.Is(err, client.ErrTransport) {
		t.Fatalf("the cancelled request: %v", err)
	}
	for range n {
		select {
		case err := <-waiters:
			if !errors.Is(err, client.ErrTransport) || errors.Is(err, context.Canceled) {
				t.Fatalf("a waiting request: %v, want a transport fault that is not context.Canceled", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("a request still waits for the cancelled finish")
		}
	}
	if _, err := conn.Catalog(context.Background()); !errors.Is(err, client.ErrTransport) || errors.Is(err, context.Canceled) {
		t.Fatalf("a later request: %v", err)
	}
}

// frontRefusal is a problem document a front answers in the server's stead.
type frontRefusal struct {
	status     int
	problem    string // the type's last part: record-rejected, busy, no-session
	retryAfter string
}

// refusingFront stands in front of bed's server, logged by a Proxy: a
// request for which refuse returns a refusal gets it, without reaching
// the server; everything else passes.
func refusingFront(t *testing.T, bed *testbed.Bed, refuse func(path string, body []byte) *frontRefusal) *testbed.Proxy {
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if no := refuse(r.URL.Path, body); no != nil {
			w.Header().Set("Content-Type", "application/problem+json")
			if no.retryAfter != "" {
				w.Header().Set("Retry-After", no.retryAfter)
			}
			w.WriteHeader(no.status)
			fmt.Fprintf(w, `{"type":"urn:securemedia:problem:%s","title":"refused","status":%d}`, no.problem, no.status)
			return
		}
		req, _ := http.NewRequestWithContext(r.Context(), r.Method, bed.URL+r.URL.RequestURI(), bytes.NewReader(body))
		req.Header = r.Header.Clone()
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(resp.StatusCode)
		io.Copy(w, resp.Body)
	}))
	t.Cleanup(front.Close)
	return testbed.NewProxy(t, front.URL, testbed.Tamper{})
}

// olderServer stands in front of bed's server as a server that takes no
// request with its finish: a finish body with a record behind it gets
// that server's answer to an unreadable finish (400 record-rejected,
// before it touches its half-open session); everything else passes.
func olderServer(t *testing.T, bed *testbed.Bed) *testbed.Proxy {
	return refusingFront(t, bed, func(path string, body []byte) *frontRefusal {
		if strings.HasSuffix(path, "/finish") {
			if _, rest, err := protocol.SplitRecord(body); err == nil && len(rest) > 0 {
				return &frontRefusal{status: http.StatusBadRequest, problem: "record-rejected"}
			}
		}
		return nil
	})
}

// TestAFinishRefusedForLoadOrGoneIsRetriedWithANewHandshake: a finish
// that went with the first request and was refused before the server
// read the request (503 from a replica that began to drain, 429, or 404:
// the handshake expired or its replica restarted) is followed by a new
// handshake, after Dial's backoff, and the request goes with the new
// finish: the operation succeeds, as Dial's retries made it succeed when
// the finish was sent on its own.
func TestAFinishRefusedForLoadOrGoneIsRetriedWithANewHandshake(t *testing.T) {
	for _, no := range []frontRefusal{
		{status: http.StatusServiceUnavailable, problem: "draining", retryAfter: "0"},
		{status: http.StatusTooManyRequests, problem: "busy", retryAfter: "0"},
		{status: http.StatusNotFound, problem: "no-session"},
	} {
		t.Run(no.problem, func(t *testing.T) {
			bed := testbed.New(t, testbed.Options{})
			bed.AddMedia(t, "One", randomMedia(t, 1000))
			var refused atomic.Int32
			front := refusingFront(t, bed, func(path string, _ []byte) *frontRefusal {
				if strings.HasSuffix(path, "/finish") && refused.Add(1) == 1 {
					return &no
				}
				return nil
			})
			cfg := earlyConfig(t, bed, front.URL)
			cfg.Backoff = client.Backoff{Initial: time.Millisecond, Max: 5 * time.Millisecond}
			conn, err := client.Dial(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close(context.Background())
			if items, err := conn.Catalog(context.Background()); err != nil || len(items) != 1 {
				t.Fatalf("catalog after a refused finish: %d items, %v", len(items), err)
			}
			assertExchanges(t, front, "/v1/handshake", "/v1/session/ID/finish", "/v1/handshake", "/v1/session/ID/finish")
			if est, half := bed.Server.Sessions(); est != 1 || half != 1 {
				t.Fatalf("the server holds %d established and %d half-open sessions, want 1 and the first handshake's", est, half)
			}
		})
	}
}

// TestAServerThatTakesNoRequestWithTheFinishGetsTheFinishAlone: behind a
// balancer, replicas are upgraded one at a time (DESIGN.md §10), so a
// client may meet a server that takes no request with its finish. It
// refuses the body as an unreadable finish and leaves its half-open
// session as it was; the client then sends the finish alone, and the
// request on its own: the play works, one round trip longer, and a
// revoked device is still refused. Against a server that takes requests
// with the finish, the same refusal means the request behind a valid
// finish failed, the handshake is gone, and the channel fails
// (TestATamperedFirstRequestEndsTheSessionBeforeItStarts).
func TestAServerThatTakesNoRequestWithTheFinishGetsTheFinishAlone(t *testing.T) {
	bed := testbed.New(t, testbed.Options{ChunkSize: testChunk})
	media := randomMedia(t, 2*testChunk+7)
	mid, _ := content.ParseID(bed.AddMedia(t, "Older", media))
	front := olderServer(t, bed)
	conn, err := client.Dial(context.Background(), earlyConfig(t, bed, front.URL))
	if err != nil {
		t.Fatal(err)
	}
	var sink bytes.Buffer
	if _, err := conn.Play(context.Background(), mid, &sink, client.PlayOptions{}); err != nil || !bytes.Equal(sink.Bytes(), media) {
		t.Fatalf("played %d of %d bytes: %v", sink.Len(), len(media), err)
	}
	if err := conn.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	assertExchanges(t, front, "/v1/handshake", "/v1/session/ID/finish", "/v1/session/ID/finish", "/v1/session/ID", "/v1/session/ID", "/v1/session/ID")
	if est, half := bed.Server.Sessions(); est != 0 || half != 0 {
		t.Fatalf("after Close the server holds %d established and %d half-open sessions", est, half)
	}

	revokeDevice(t, bed)
	conn, err = client.Dial(context.Background(), earlyConfig(t, bed, front.URL))
	if err != nil {
		t.Fatal(err)
	}
	_, err = conn.Catalog(context.Background())
	var pe *client.ProblemError
	if fe := (*client.FinishError)(nil); !errors.As(err, &fe) || !errors.As(err, &pe) || pe.Detail != "certificate revoked" {
		t.Fatalf("a revoked device through the older server: %v", err)
	}
}
