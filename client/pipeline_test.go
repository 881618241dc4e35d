package client_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"securemedia/client"
	"securemedia/content"
	"securemedia/internal/testbed"
	"securemedia/protocol"
)

// The pipelined fetch of play.go against a real server: an opener
// goroutine reads and opens chunk i+1 while the fetch's goroutine hashes
// and delivers chunk i.

const pipeChunk = 16 << 10

func pipeMedia(t *testing.T, bed *testbed.Bed, chunks int) (content.ID, []byte) {
	t.Helper()
	data := make([]byte, chunks*pipeChunk-100) // a short last chunk
	if _, err := rand.Read(data); err != nil {
		t.Fatal(err)
	}
	id, err := content.ParseID(bed.AddMedia(t, "Pipelined", data))
	if err != nil {
		t.Fatal(err)
	}
	return id, data
}

// writes records every Write as its own chunk; fail, when set, answers
// write n (from 0) instead.
type writes struct {
	chunks [][]byte
	fail   func(n int) error
}

func (w *writes) Write(b []byte) (int, error) {
	if w.fail != nil {
		if err := w.fail(len(w.chunks)); err != nil {
			return 0, err
		}
	}
	w.chunks = append(w.chunks, bytes.Clone(b))
	return len(b), nil
}

func (w *writes) joined() []byte { return bytes.Join(w.chunks, nil) }

func TestChunksReachTheSinkInOrderAndByteExactAcrossFetches(t *testing.T) {
	bed := testbed.New(t, testbed.Options{ChunkSize: pipeChunk})
	id, data := pipeMedia(t, bed, 11)
	conn := bed.Dial(t, bed.ClientConfig(t))
	defer conn.Close(context.Background())
	// Fetches of 4, 4 and 3 chunks: the ring of buffers is reused by
	// every fetch.
	var sink writes
	st, err := conn.Play(context.Background(), id, &sink, client.PlayOptions{ChunksPerRequest: 4})
	if err != nil {
		t.Fatal(err)
	}
	if len(sink.chunks) != 11 || st.Chunks != 11 {
		t.Fatalf("%d writes, %d chunks in the stats; want 11", len(sink.chunks), st.Chunks)
	}
	for i, c := range sink.chunks {
		want := data[i*pipeChunk : min((i+1)*pipeChunk, len(data))]
		if !bytes.Equal(c, want) {
			t.Fatalf("write %d is not chunk %d (%d bytes, want %d)", i, i, len(c), len(want))
		}
	}
}

// TestATamperedChunkIsNeverDeliveredWhileTheOneBeforeItIs: a man in the
// middle flips a byte of chunk record 3. The sink holds the play at chunk 1
// until the opener has read record 3, so chunk 3 fails to open while
// chunk 2 still waits for its check: chunk 2 passes and is delivered,
// nothing of chunk 3 is, and the channel ends.
func TestATamperedChunkIsNeverDeliveredWhileTheOneBeforeItIs(t *testing.T) {
	bed := testbed.New(t, testbed.Options{ChunkSize: pipeChunk})
	id, data := pipeMedia(t, bed, 6)
	const tampered = 3
	proxy := testbed.NewProxy(t, bed.URL, testbed.Tamper{Response: func(_ int, _ string, _ int, body []byte) []byte {
		r := bytes.NewReader(body)
		var end int64
		for chunk := -1; ; {
			rec, err := protocol.ReadRecord(r, nil)
			if err != nil {
				return body // not a fetch answer with that many chunks
			}
			end += int64(len(rec))
			if typ, _ := protocol.RecordTypeOf(rec); typ == protocol.RecordChunk {
				chunk++
			}
			if chunk == tampered {
				body = bytes.Clone(body)
				body[end-20] ^= 1 // inside the ciphertext
				return body
			}
		}
	}})
	cfg := bed.ClientConfig(t)
	cfg.Server = proxy.URL
	read := &recordsRead{rt: http.DefaultTransport}
	cfg.HTTPClient = &http.Client{Transport: read}
	conn := bed.Dial(t, cfg)
	defer conn.Close(context.Background())
	// The answer is the response record, then chunks 0, 1, ...
	sink := writes{fail: read.holdAt(tampered-2, 1+tampered+1, nil)}
	st, err := conn.Play(context.Background(), id, &sink, client.PlayOptions{})
	if !errors.Is(err, client.ErrChannel) || !strings.Contains(err.Error(), fmt.Sprintf("chunk %d", tampered)) {
		t.Fatalf("err = %v, want a channel failure at chunk %d", err, tampered)
	}
	if got := sink.joined(); st.Chunks != tampered || !bytes.Equal(got, data[:tampered*pipeChunk]) {
		t.Fatalf("%d chunks, %d bytes reached the sink; want exactly chunks 0-%d", st.Chunks, len(got), tampered-1)
	}
	if conn.Usable() {
		t.Fatal("the connection is still usable after a chunk that did not authenticate")
	}
}

// recordsRead is a transport that counts the whole records the client has
// read from its answers, to know how far ahead the opener is.
type recordsRead struct {
	rt   http.RoundTripper
	mu   sync.Mutex
	n    int
	more chan struct{} // closed and replaced at every record
}

func (rr *recordsRead) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := rr.rt.RoundTrip(r)
	if err == nil {
		rr.mu.Lock()
		rr.n = 0 // the count is of the latest answer
		rr.mu.Unlock()
		resp.Body = &countedBody{ReadCloser: resp.Body, rr: rr}
	}
	return resp, err
}

// holdAt returns a sink failure function that holds write n until the
// answer being read has had want records read from it (bounded: an opener
// that never gets there fails the write), then returns then().
func (rr *recordsRead) holdAt(n, want int, then func() error) func(int) error {
	return func(w int) error {
		if w != n {
			return nil
		}
		timeout := time.After(30 * time.Second)
		for {
			rr.mu.Lock()
			got, more := rr.n, rr.more
			if more == nil {
				more = make(chan struct{})
				rr.more = more
			}
			rr.mu.Unlock()
			if got >= want {
				break
			}
			select {
			case <-more:
			case <-timeout:
				return fmt.Errorf("the opener read %d records while the sink held write %d, want %d", got, n, want)
			}
		}
		if then != nil {
			return then()
		}
		return nil
	}
}

// countedBody counts the records read through it: the length of each is
// the last field of its header (protocol/doc.go, "Records").
type countedBody struct {
	io.ReadCloser
	rr   *recordsRead
	hdr  []byte
	left int
}

func (b *countedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	for rest := p[:n]; len(rest) > 0; {
		if b.left == 0 {
			k := min(protocol.RecordHeaderSize-len(b.hdr), len(rest))
			b.hdr, rest = append(b.hdr, rest[:k]...), rest[k:]
			if len(b.hdr) == protocol.RecordHeaderSize {
				b.left = int(binary.BigEndian.Uint32(b.hdr[protocol.RecordHeaderSize-4:]))
				b.hdr = b.hdr[:0]
			}
			continue
		}
		k := min(b.left, len(rest))
		b.left, rest = b.left-k, rest[k:]
		if b.left == 0 {
			b.rr.mu.Lock()
			b.rr.n++
			if b.rr.more != nil {
				close(b.rr.more)
				b.rr.more = nil
			}
			b.rr.mu.Unlock()
		}
	}
	return n, err
}

// TestAFetchThatEndsEarlyLeavesNoGoroutineRunning: whatever ends a fetch
// in its middle (the sink, the viewer, a stalled server), the opener has
// returned and the connections are closed: the goroutines go back to the
// count of an idle process with the same server.
func TestAFetchThatEndsEarlyLeavesNoGoroutineRunning(t *testing.T) {
	bed := testbed.New(t, testbed.Options{ChunkSize: pipeChunk})
	id, _ := pipeMedia(t, bed, 8)
	// A man in the middle that forwards half of a fetch answer, then
	// stalls until the client hangs up.
	stalling := testbed.NewProxy(t, bed.URL, testbed.Tamper{Stall: func(_ int, _ string, _ int, answer []byte) bool {
		return len(answer) >= 4*pipeChunk // a fetch answer
	}})

	// The sink holds chunk 2 until the opener has read chunks 3 and 4
	// into the rest of the ring and waits for a free buffer.
	const at, ahead = 2, 1 + 2 + 3
	tests := []struct {
		name   string
		server string
		sink   func(read *recordsRead, cancel context.CancelFunc) *writes
		stall  time.Duration
		want   func(error) bool
		// delivered is how many chunks reach the sink (-1: not checked)
		delivered int
	}{
		{"a sink that fails at chunk 2", bed.URL, func(read *recordsRead, _ context.CancelFunc) *writes {
			return &writes{fail: read.holdAt(at, ahead, func() error { return errors.New("the player quit") })}
		}, 0, func(err error) bool { return errors.Is(err, client.ErrSink) }, at},
		{"a sink that fails at chunk 2 while the opener reads", bed.URL, func(*recordsRead, context.CancelFunc) *writes {
			return &writes{fail: func(n int) error {
				if n == at {
					return errors.New("the player quit")
				}
				return nil
			}}
		}, 0, func(err error) bool { return errors.Is(err, client.ErrSink) }, at},
		{"a viewer that cancels at chunk 2", bed.URL, func(read *recordsRead, cancel context.CancelFunc) *writes {
			return &writes{fail: read.holdAt(at, ahead, func() error { cancel(); return nil })}
		}, 0, func(err error) bool { return errors.Is(err, context.Canceled) }, at + 1},
		{"a server that stalls in the middle of the answer", stalling.URL, func(*recordsRead, context.CancelFunc) *writes {
			return &writes{}
		}, 200 * time.Millisecond, func(err error) bool {
			return errors.Is(err, client.ErrTransport) && strings.Contains(err.Error(), "sent nothing")
		}, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			transport := &http.Transport{}
			read := &recordsRead{rt: transport}
			cfg := bed.ClientConfig(t)
			cfg.Server, cfg.HTTPClient = tt.server, &http.Client{Transport: read}
			o := client.PlayOptions{StallTimeout: tt.stall}
			playAndClose := func(ctx context.Context, sink io.Writer) ([]byte, error) {
				conn := bed.Dial(t, cfg)
				var w writes
				_, err := conn.Play(ctx, id, io.MultiWriter(sink, &w), o)
				conn.Close(context.Background())
				transport.CloseIdleConnections()
				return w.joined(), err
			}
			// The baseline: the same client and server after a play, idle.
			playAndClose(context.Background(), io.Discard)
			baseline := goroutinesSettle(t, -1)

			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			got, err := playAndClose(ctx, tt.sink(read, cancel))
			if !tt.want(err) {
				t.Fatalf("err = %v", err)
			}
			if tt.delivered >= 0 && len(got) != tt.delivered*pipeChunk {
				t.Fatalf("%d bytes reached the sink, want chunks 0-%d", len(got), tt.delivered-1)
			}
			if n := goroutinesSettle(t, baseline); n > baseline {
				t.Fatalf("%d goroutines after the play, %d before:\n%s", n, baseline, stacks())
			}
		})
	}
}

// goroutinesSettle waits, a bounded number of times, for the goroutine
// count to come down to at most want (want < 0: for it to stop changing)
// and returns the last count.
func goroutinesSettle(t *testing.T, want int) int {
	t.Helper()
	n := runtime.NumGoroutine()
	for range 500 {
		time.Sleep(10 * time.Millisecond)
		m := runtime.NumGoroutine()
		if (want >= 0 && m <= want) || (want < 0 && m == n) {
			return m
		}
		n = m
	}
	return n
}

func stacks() string {
	buf := make([]byte, 1<<20)
	return string(buf[:runtime.Stack(buf, true)])
}

// gatedTransport's bodies pass limit bytes of an answer, then block in
// Read until the request's context ends (or gate closes): Close does not
// end a Read in progress, as with some RoundTrippers' bodies.
type gatedTransport struct {
	rt    http.RoundTripper
	limit int
	gate  chan struct{}
	once  sync.Once
	// blocked is closed when a Read first blocks.
	blocked chan struct{}
}

func (g *gatedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := g.rt.RoundTrip(r)
	if err == nil {
		resp.Body = &gatedBody{ReadCloser: resp.Body, g: g, ctx: r.Context()}
	}
	return resp, err
}

type gatedBody struct {
	io.ReadCloser
	g    *gatedTransport
	ctx  context.Context
	read int
}

func (b *gatedBody) Read(p []byte) (int, error) {
	if b.read >= b.g.limit {
		b.g.once.Do(func() { close(b.g.blocked) })
		select {
		case <-b.g.gate:
		case <-b.ctx.Done():
			return 0, b.ctx.Err()
		}
	}
	if room := b.g.limit - b.read; room > 0 && len(p) > room {
		p = p[:room]
	}
	n, err := b.ReadCloser.Read(p)
	b.read += n
	return n, err
}

func (b *gatedBody) Close() error { return nil } // does not end a Read in progress

// A sink that fails while the opener is blocked reading the next chunk
// from a body whose Close does not end the Read: the fetch's request is
// ended too, so the play returns ErrSink at once, not at the stall
// timeout, with nothing left running.
func TestASinkFailureWhileTheOpenerIsBlockedInAReadEndsThePlayAtOnce(t *testing.T) {
	bed := testbed.New(t, testbed.Options{ChunkSize: pipeChunk})
	id, _ := pipeMedia(t, bed, 8)
	g := &gatedTransport{rt: &http.Transport{}, limit: pipeChunk + pipeChunk/2, gate: make(chan struct{}), blocked: make(chan struct{})}
	defer close(g.gate)
	cfg := bed.ClientConfig(t)
	cfg.HTTPClient = &http.Client{Transport: g}
	conn := bed.Dial(t, cfg)
	sink := &writes{fail: func(int) error {
		<-g.blocked // the opener is inside its Read of chunk 1
		return errors.New("the player quit")
	}}
	done := make(chan error, 1)
	go func() {
		_, err := conn.Play(context.Background(), id, sink, client.PlayOptions{StallTimeout: time.Hour})
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, client.ErrSink) {
			t.Fatalf("err = %v, want ErrSink", err)
		}
	case <-time.After(time.Minute): // a hang guard, not a timing: the play returns in milliseconds
		buf := make([]byte, 1<<20)
		t.Fatalf("the sink failed, but the play did not return:\n%s", buf[:runtime.Stack(buf, true)])
	}
	if len(sink.chunks) != 0 {
		t.Fatalf("%d chunks reached a sink that failed at the first", len(sink.chunks))
	}
}
