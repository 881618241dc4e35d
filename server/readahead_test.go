package server_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"securemedia/client"
	"securemedia/content"
	"securemedia/internal/testbed"
	"securemedia/license"
	"securemedia/license/storetest"
	"securemedia/message"
	"securemedia/server"
)

// The server reads chunk i+1 at rest while it seals and writes chunk i
// (server/chunkpath.go); what it sends, counts and refunds is as if it
// read each chunk in its turn.

// hookedCatalog calls its hooks inside the server: list when it lists
// the catalog, chunk before it reads chunk i at rest (with read-ahead,
// while the chunk before it is sealed and written). A nil hook is not
// called.
type hookedCatalog struct {
	server.Catalog
	list  func()
	chunk func(i uint32)
}

// install puts the catalog in front of the server's own.
func (c *hookedCatalog) install(cfg *server.Config) { c.Catalog = cfg.Catalog; cfg.Catalog = c }

func (c *hookedCatalog) List() ([]content.Item, error) {
	if c.list != nil {
		c.list()
	}
	return c.Catalog.List()
}

func (c *hookedCatalog) Open(id content.ID) (content.ChunkReader, error) {
	rd, err := c.Catalog.Open(id)
	if err != nil {
		return nil, err
	}
	return &hookedReader{ChunkReader: rd, c: c}, nil
}

type hookedReader struct {
	content.ChunkReader
	c *hookedCatalog
}

func (r *hookedReader) Chunk(i uint32, dst []byte) ([]byte, error) {
	if r.c.chunk != nil {
		r.c.chunk(i)
	}
	return r.ChunkReader.Chunk(i, dst)
}

// hooked is a hookedCatalog that calls at, once, when chunk is read, and
// the server option that installs it.
func hooked(chunk uint32, at func()) (*hookedCatalog, func(*server.Config)) {
	var once sync.Once
	hc := &hookedCatalog{chunk: func(i uint32) {
		if i == chunk {
			once.Do(at)
		}
	}}
	return hc, hc.install
}

// gatedServer serves bed through a writer that holds the server's write
// of chunk record 2 until gate is closed (at most 10 s), so that the
// server is still writing chunk 2 when chunk 3 is read ahead. It returns
// the URL and the count of chunk records the server wrote.
func gatedServer(t *testing.T, bed *testbed.Bed, gate <-chan struct{}) (string, *atomic.Int32) {
	var chunks atomic.Int32
	h := bed.Server.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(&gatedWriter{ResponseWriter: w, gate: gate, chunks: &chunks}, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, &chunks
}

type gatedWriter struct {
	http.ResponseWriter
	gate   <-chan struct{}
	chunks *atomic.Int32
}

func (g *gatedWriter) Write(b []byte) (int, error) {
	if len(b) > testChunk && g.chunks.Add(1) == 3 {
		select {
		case <-g.gate:
		case <-time.After(10 * time.Second): // never with read-ahead: the test fails on what was sent
		}
	}
	return g.ResponseWriter.Write(b)
}

func (g *gatedWriter) Flush() { g.ResponseWriter.(http.Flusher).Flush() }

func TestAChunkDamagedAtRestWhileReadAheadEndsTheAnswerBeforeItWithTheRefund(t *testing.T) {
	readAhead := make(chan struct{})
	_, hook := hooked(3, func() { close(readAhead) })
	bed := testbed.New(t, testbed.Options{ChunkSize: testChunk, Users: &testbed.UsersOptions{}, Server: hook})
	data := randomMedia(t, 6*testChunk)
	id := bed.AddMediaWithPolicy(t, "Damaged Ahead", data, license.Policy{Views: 2})
	damageChunk(t, bed, id, 3, 6) // read ahead while chunk 2 is written
	url, written := gatedServer(t, bed, readAhead)
	cfg := bed.ClientConfig(t)
	cfg.Server = url
	got, st, err := playOnce(t, cfg, id, nil)
	var se *client.StatusError
	if !errors.As(err, &se) || se.Status != message.StatusIntegrity || !se.Refunded || !strings.Contains(se.Message, "chunk 3 failed") {
		t.Fatalf("err = %v, want the integrity failure of chunk 3 and the refund", err)
	}
	if st.Chunks != 3 || !bytes.Equal(got, data[:3*testChunk]) || written.Load() != 3 {
		t.Fatalf("%d chunks reached the sink, %d chunk records were sent; want chunks 0-2, nothing of chunk 3", st.Chunks, written.Load())
	}
	if n := viewsUsed(t, bed, id); n != 0 {
		t.Fatalf("%d views used after the refund, want 0", n)
	}
	ps := playsOf(t, bed, id)
	if len(ps) != 1 || ps[0].State != license.PlayRefunded || !strings.Contains(ps[0].Reason, "integrity") {
		t.Fatalf("plays %+v, want one refunded for the integrity failure", ps)
	}
}

// fetchGoroutines counts the goroutines running code of a fetch.
func fetchGoroutines() int {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	n := 0
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "server.(*fetching)") || strings.Contains(g, "server.(*fetchReads)") {
			n++
		}
	}
	return n
}

func TestAClientThatGoesAwayMidFetchLeavesNoGoroutineOfTheFetch(t *testing.T) {
	// 64 chunks of 256 KiB in one fetch: 16 MiB, more than the sockets
	// hold, so the server is mid-answer when the client goes.
	const chunk = 256 << 10
	bed := testbed.New(t, testbed.Options{ChunkSize: chunk})
	id := bed.AddMedia(t, "Walked Out", randomMedia(t, 64*chunk))
	tr := &http.Transport{}
	cfg := bed.ClientConfig(t)
	cfg.HTTPClient = &http.Client{Transport: tr}
	baseline := runtime.NumGoroutine()
	conn := bed.Dial(t, cfg)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var sink bytes.Buffer
	st, err := conn.Play(ctx, mediaID(t, id), &sink, client.PlayOptions{ChunksPerRequest: 64, Progress: func(st client.PlayStats) {
		if st.Chunks == 2 {
			cancel()
		}
	}})
	if err == nil || st.Chunks >= 64 {
		t.Fatalf("a play whose client went away at chunk 2: %d chunks, %v", st.Chunks, err)
	}
	for deadline := time.Now().Add(10 * time.Second); fetchGoroutines() > 0 || runtime.NumGoroutine() > baseline; {
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines of the fetch, %d in all against %d before the play", fetchGoroutines(), runtime.NumGoroutine(), baseline)
		}
		tr.CloseIdleConnections()
		time.Sleep(10 * time.Millisecond)
	}
}

func TestARevocationWhileTheNextChunkIsReadAheadStopsThePlayAtThatChunk(t *testing.T) {
	// Chunk 3 is read ahead while chunk 2 is written; the revocation
	// comes after that read and before chunk 3 would go out.
	t.Run("a license period that ends", func(t *testing.T) {
		clock := storetest.NewClock()
		revoked := make(chan struct{})
		_, hook := hooked(3, func() { clock.Advance(time.Hour); close(revoked) })
		bed := testbed.New(t, testbed.Options{ChunkSize: testChunk, Users: &testbed.UsersOptions{Now: clock.Now}, Server: hook,
			Limits: server.Limits{IdleTimeout: 24 * time.Hour, SessionLifetime: 24 * time.Hour}})
		data := randomMedia(t, 6*testChunk)
		id := bed.AddMediaWithPolicy(t, "Read Too Soon", data, license.Policy{Period: time.Hour})
		url, written := gatedServer(t, bed, revoked)
		cfg := bed.ClientConfig(t)
		cfg.Server = url
		got, st, err := playWith(t, cfg, id, client.PlayOptions{ChunksPerRequest: 6})
		var pe *client.PaymentRequiredError
		if !errors.As(err, &pe) || !strings.Contains(pe.Message, "expired") {
			t.Fatalf("err = %v, want payment required: the period expired", err)
		}
		if st.Chunks != 3 || !bytes.Equal(got, data[:3*testChunk]) || written.Load() != 3 {
			t.Fatalf("%d chunks reached the sink, %d chunk records were sent; want chunks 0-2", st.Chunks, written.Load())
		}
	})
	t.Run("a device revoked", func(t *testing.T) {
		reading, revoked := make(chan struct{}), make(chan struct{})
		_, hook := hooked(3, func() { close(reading) })
		bed := testbed.New(t, testbed.Options{ChunkSize: testChunk, Server: hook})
		data := randomMedia(t, 6*testChunk)
		id := bed.AddMedia(t, "Revoked Ahead", data)
		url, written := gatedServer(t, bed, revoked)
		cfg := bed.ClientConfig(t)
		cfg.Server = url
		c := bed.Dial(t, cfg)
		type result struct {
			st  *client.PlayStats
			err error
		}
		var sink bytes.Buffer
		done := make(chan result, 1)
		go func() {
			st, err := c.Play(context.Background(), mediaID(t, id), &sink, client.PlayOptions{ChunksPerRequest: 6})
			done <- result{st, err}
		}()
		var r result
		select {
		case <-reading:
			revokeDevice(t, bed)
			close(revoked)
			r = <-done
		case r = <-done:
			t.Fatalf("the play ended (%v) without reading chunk 3", r.err)
		}
		if r.err == nil || r.st.Chunks != 3 || !bytes.Equal(sink.Bytes(), data[:3*testChunk]) || written.Load() != 3 {
			t.Fatalf("a device revoked while chunk 3 was read ahead: %d chunks, %d chunk records sent, %v; want chunks 0-2 and an error",
				r.st.Chunks, written.Load(), r.err)
		}
	})
}
