package server_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"securemedia/client"
	"securemedia/internal/testbed"
	"securemedia/license"
	"securemedia/message"
)

// Plays (DESIGN.md §7): one view is one pass, enforced against a client
// that drives the protocol itself, and fair to an honest client when the
// network or the server fails.

func TestAClientThatDrivesTheProtocolGetsEachChunkAtMostOncePlusTheWindow(t *testing.T) {
	bed := userBed(t, testbed.UsersOptions{}, nil)
	const chunks = 12
	data := randomMedia(t, chunks*testChunk)
	id := bed.AddMediaWithPolicy(t, "One Pass", data, license.Policy{Views: 5})
	mid := mediaID(t, id)
	ctx := context.Background()
	c := bed.Dial(t, bed.ClientConfig(t))
	defer c.Close(ctx)
	g, err := c.StartPlay(ctx, mid)
	if err != nil {
		t.Fatal(err)
	}
	// fetch asks for chunks [first, end) under the one grant, as a
	// modified client would, and checks what arrives.
	fetch := func(first, end uint32) (int, error) {
		t.Helper()
		var sink bytes.Buffer
		st, err := c.Play(ctx, mid, &sink, client.PlayOptions{Grant: g.Grant, FirstChunk: first, EndChunk: end, ChunksPerRequest: 4})
		if st == nil {
			t.Fatalf("fetch %d..%d: %v", first, end, err)
		}
		if !bytes.Equal(sink.Bytes(), data[int(first)*testChunk:int(first)*testChunk+sink.Len()]) {
			t.Fatalf("fetch %d..%d: the sink got other bytes", first, end)
		}
		return st.Chunks, err
	}
	secondPass := func(what string, err error) {
		t.Helper()
		var se *client.StatusError
		if !errors.As(err, &se) || se.Status != message.StatusPlayEnded || !strings.Contains(se.Message, "start a new play") {
			t.Fatalf("%s: err = %v, want the play ended, saying to start a new one", what, err)
		}
	}
	if got, err := fetch(0, 0); err != nil || got != chunks {
		t.Fatalf("the first pass: %d chunks, %v", got, err)
	}
	// Every chunk again, one fetch each: only the retransmission window
	// is delivered a second time.
	again := 0
	for first := uint32(0); first < chunks; first++ {
		got, err := fetch(first, first+1)
		if err != nil {
			secondPass(fmt.Sprintf("chunk %d again", first), err)
		}
		again += got
	}
	if again != license.RetransmitWindow {
		t.Fatalf("%d chunks delivered again, want the window of %d", again, license.RetransmitWindow)
	}
	got, err := fetch(0, 0)
	secondPass("a second pass", err)
	if got != 0 {
		t.Fatalf("a second pass delivered %d chunks", got)
	}
	if n := viewsUsed(t, bed, id); n != 1 {
		t.Fatalf("%d views used by one pass, want 1", n)
	}
	// A new play is a new view and starts over.
	if g, err = c.StartPlay(ctx, mid); err != nil || g.Next != 0 {
		t.Fatalf("a new play: %+v, %v", g, err)
	}
	if got, err := fetch(0, 0); err != nil || got != chunks {
		t.Fatalf("the new play: %d chunks, %v", got, err)
	}
	if n := viewsUsed(t, bed, id); n != 2 {
		t.Fatalf("%d views used by two plays, want 2", n)
	}
}

func TestAPlayAnswerDroppedThreeTimesThenDeliveredCostsOneView(t *testing.T) {
	bed := userBed(t, testbed.UsersOptions{}, nil)
	data := randomMedia(t, 3*testChunk)
	id := bed.AddMediaWithPolicy(t, "Lost and Found", data, license.Policy{Views: 4})
	// Session records: 1 is the info request, 2 the play request; the
	// answers to it and to its next two retries are lost after the server
	// answered.
	var records, dropped atomic.Int32
	proxy := testbed.NewProxy(t, bed.URL, testbed.Tamper{Drop: func(_ int, path string, _ int, _ []byte) bool {
		if !sessionRecordPath(path) {
			return false
		}
		if n := records.Add(1); n >= 2 && n <= 4 {
			dropped.Add(1)
			return true
		}
		return false
	}})
	cfg := bed.ClientConfig(t)
	cfg.Server = proxy.URL
	got, st, err := playOnce(t, cfg, id, nil)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("the play: %v, %d bytes", err, len(got))
	}
	if dropped.Load() != 3 || st.Remaining != "3 views left" {
		t.Fatalf("%d answers dropped, remaining %q", dropped.Load(), st.Remaining)
	}
	if n := viewsUsed(t, bed, id); n != 1 {
		t.Fatalf("%d views used, want 1", n)
	}
	if ps := playsOf(t, bed, id); len(ps) != 1 || ps[0].State != license.PlayCompleted {
		t.Fatalf("plays %+v, want the one play, completed", ps)
	}
}

// damageChunk flips a byte inside chunk i of an item of n full chunks in
// the bed's media store.
func damageChunk(t *testing.T, bed *testbed.Bed, id string, i, n int) {
	t.Helper()
	stored := filepath.Join(bed.Dir, "data", "media", id, "content")
	b, err := os.ReadFile(stored)
	if err != nil {
		t.Fatal(err)
	}
	const sealedChunk = testChunk + 16
	b[len(b)-(n-i)*sealedChunk+testChunk/2] ^= 0x01
	if err := os.WriteFile(stored, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestAChunkDamagedAtRestEndsThePlayWithTheIntegrityMessageAndRefundsTheView(t *testing.T) {
	bed := userBed(t, testbed.UsersOptions{}, nil)
	data := randomMedia(t, 6*testChunk)
	id := bed.AddMediaWithPolicy(t, "Damaged at Rest", data, license.Policy{Views: 2})
	damageChunk(t, bed, id, 3, 6)
	got, st, err := playOnce(t, bed.ClientConfig(t), id, nil)
	var se *client.StatusError
	if !errors.As(err, &se) || se.Status != message.StatusIntegrity || !se.Refunded ||
		!strings.Contains(se.Message, "chunk 3 failed its integrity check") || !strings.Contains(se.Message, "view refunded") {
		t.Fatalf("err = %v, want the integrity failure of chunk 3 and the refund", err)
	}
	if st.Chunks != 3 || !bytes.Equal(got, data[:3*testChunk]) {
		t.Fatalf("%d chunks reached the sink, want chunks 0-2", st.Chunks)
	}
	if n := viewsUsed(t, bed, id); n != 0 {
		t.Fatalf("%d views used after the refund, want 0", n)
	}
	ps := playsOf(t, bed, id)
	if len(ps) != 1 || ps[0].State != license.PlayRefunded || !strings.Contains(ps[0].Reason, "integrity") {
		t.Fatalf("plays %+v, want one refunded for the integrity failure", ps)
	}
	events, err := bed.Users.Store.ListEvents(context.Background(), license.EventFilter{Kind: license.EventPlayRefund, PlayID: ps[0].ID})
	if err != nil || len(events) != 1 || !strings.Contains(events[0].Detail, "failed its integrity check") || !strings.Contains(events[0].Detail, "view restored") {
		t.Fatalf("the audit log: %+v, %v", events, err)
	}
}

func TestAPlayCutOffMidAnswerResumesByItselfAndCostsOneView(t *testing.T) {
	bed := userBed(t, testbed.UsersOptions{}, nil)
	data := randomMedia(t, 8*testChunk)
	id := bed.AddMediaWithPolicy(t, "Cut Off", data, license.Policy{Views: 3})
	// Session records: 1 info, 2 play, 3 and 4 the first two fetches;
	// the second fetch answer is cut in the middle of its chunks.
	var records atomic.Int32
	proxy := testbed.NewProxy(t, bed.URL, testbed.Tamper{Response: func(_ int, path string, _ int, b []byte) []byte {
		if sessionRecordPath(path) && records.Add(1) == 4 {
			return b[:len(b)/2]
		}
		return b
	}})
	cfg := bed.ClientConfig(t)
	cfg.Server = proxy.URL
	var dials atomic.Int32
	redial := func(ctx context.Context) (*client.Conn, error) {
		dials.Add(1)
		return client.Dial(ctx, cfg)
	}
	got, st, err := playWith(t, cfg, id, client.PlayOptions{ChunksPerRequest: 2, Redial: redial})
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("the play: %v; the sink got %d bytes of %d, equal %v", err, len(got), len(data), bytes.Equal(got, data))
	}
	if st.Resumes != 1 || dials.Load() != 1 {
		t.Fatalf("%d resumes and %d redials, want 1 and 1", st.Resumes, dials.Load())
	}
	if n := viewsUsed(t, bed, id); n != 1 {
		t.Fatalf("%d views used, want 1", n)
	}
	ps := playsOf(t, bed, id)
	if len(ps) != 1 || ps[0].State != license.PlayCompleted || ps[0].Resumes != 1 {
		t.Fatalf("plays %+v, want one, completed after one resume", ps)
	}
	if est, _ := bed.Server.Sessions(); est != 0 {
		t.Fatalf("%d sessions left open", est)
	}
}

func TestAPlayNeverResumesAfterAChannelFailure(t *testing.T) {
	bed := userBed(t, testbed.UsersOptions{}, nil)
	id := bed.AddMediaWithPolicy(t, "Tampered", randomMedia(t, 4*testChunk), license.Policy{Views: 3})
	var records atomic.Int32
	proxy := testbed.NewProxy(t, bed.URL, testbed.Tamper{Response: func(_ int, path string, _ int, b []byte) []byte {
		if sessionRecordPath(path) && records.Add(1) == 3 {
			b[len(b)-100] ^= 0x40 // inside the last chunk record of the first fetch
		}
		return b
	}})
	cfg := bed.ClientConfig(t)
	cfg.Server = proxy.URL
	var dials atomic.Int32
	redial := func(ctx context.Context) (*client.Conn, error) { dials.Add(1); return client.Dial(ctx, cfg) }
	_, _, err := playWith(t, cfg, id, client.PlayOptions{ChunksPerRequest: 2, Redial: redial})
	if !errors.Is(err, client.ErrChannel) || errors.Is(err, client.ErrTransport) || dials.Load() != 0 {
		t.Fatalf("err = %v after %d redials, want a channel failure and none", err, dials.Load())
	}
}

// statuses returns the status codes of the HTTP answers in a capture.
func statuses(wire []byte) []string {
	var out []string
	for _, m := range regexp.MustCompile(`HTTP/1\.1 (\d{3}) `).FindAllSubmatch(wire, -1) {
		out = append(out, string(m[1]))
	}
	return out
}

func TestARefusedPlayAndAGrantedPlayShowTheSameHTTPStatusOnTheWire(t *testing.T) {
	bed := userBed(t, testbed.UsersOptions{}, nil)
	id := bed.AddMediaWithPolicy(t, "Well Respected Man", randomMedia(t, 2*testChunk), license.Policy{Views: 1})
	tap := testbed.NewWiretap(t, strings.TrimPrefix(bed.URL, "http://"))
	cfg := bed.ClientConfig(t)
	cfg.Server = "http://" + tap.Addr
	if _, _, err := playOnce(t, cfg, id, nil); err != nil {
		t.Fatal(err)
	}
	granted := tap.Bytes()
	if _, _, err := playOnce(t, cfg, id, nil); !errors.As(err, new(*client.PaymentRequiredError)) {
		t.Fatalf("the second play of a one-view license: %v", err)
	}
	refused := tap.Bytes()[len(granted):]
	for name, capture := range map[string][]byte{"granted": granted, "refused": refused} {
		got := statuses(capture)
		// hello, finish, info, play, (fetch,) close
		if len(got) < 5 || slices.ContainsFunc(got, func(s string) bool { return s != "200" }) {
			t.Fatalf("the %s play answered %v, want 200 to everything", name, got)
		}
	}
}

func TestAFaultThatRecursAtOnceEndsThePlayInsteadOfLoopingOnIt(t *testing.T) {
	bed := userBed(t, testbed.UsersOptions{}, nil)
	id := bed.AddMediaWithPolicy(t, "Never Arrives", randomMedia(t, 4*testChunk), license.Policy{Views: 3})
	// Every fetch answer is cut before its first chunk record ends.
	var fetches atomic.Int32
	proxy := testbed.NewProxy(t, bed.URL, testbed.Tamper{Response: func(_ int, path string, _ int, b []byte) []byte {
		if sessionRecordPath(path) && len(b) > 2*testChunk {
			fetches.Add(1)
			return b[:testChunk/2]
		}
		return b
	}})
	cfg := bed.ClientConfig(t)
	cfg.Server = proxy.URL
	retry := client.RetryPolicy{Tries: 3, Initial: time.Millisecond, Max: 2 * time.Millisecond}
	got, st, err := playWith(t, cfg, id, client.PlayOptions{ChunksPerRequest: 4, Retry: retry})
	if !errors.Is(err, client.ErrTransport) || len(got) != 0 || st.Resumes != 3 || fetches.Load() != 4 {
		t.Fatalf("err = %v after %d resumes and %d fetches, %d bytes; want a transport fault after 3 resumes", err, st.Resumes, fetches.Load(), len(got))
	}
	// The play was counted at its first chunk, which never arrived: it
	// stays resumable within its window, for no other view.
	if n := viewsUsed(t, bed, id); n != 1 {
		t.Fatalf("%d views used, want 1", n)
	}
}

func TestWithoutLicensesAPlayCutOffMidAnswerGoesOnFromWhereItWas(t *testing.T) {
	bed := testbed.New(t, testbed.Options{ChunkSize: testChunk})
	data := randomMedia(t, 6*testChunk)
	id := bed.AddMedia(t, "Free", data)
	var records atomic.Int32
	proxy := testbed.NewProxy(t, bed.URL, testbed.Tamper{Response: func(_ int, path string, _ int, b []byte) []byte {
		if sessionRecordPath(path) && records.Add(1) == 4 { // info, play, fetch, fetch
			return b[:len(b)/2]
		}
		return b
	}})
	cfg := bed.ClientConfig(t)
	cfg.Server = proxy.URL
	got, _, err := playWith(t, cfg, id, client.PlayOptions{ChunksPerRequest: 2})
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("the play: %v, %d bytes", err, len(got))
	}
}
