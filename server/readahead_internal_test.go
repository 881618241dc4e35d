package server

import (
	"context"
	"errors"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"securemedia/content"
	"securemedia/protocol"
)

// fakeChunks is a ChunkReader of four 16-byte chunks, chunk i all bytes
// i+1; chunk bad fails at rest; a read of chunk hold waits for release.
type fakeChunks struct {
	reads       chan uint32
	bad, hold   uint32
	release     chan struct{}
	lastWritten []byte
}

func newFakeChunks() *fakeChunks {
	return &fakeChunks{reads: make(chan uint32, 16), bad: 99, hold: 99, release: make(chan struct{})}
}

func (f *fakeChunks) Item() content.Item { return content.Item{ChunkSize: 16, Chunks: 4, Size: 64} }
func (f *fakeChunks) Close() error       { return nil }

func (f *fakeChunks) Chunk(i uint32, dst []byte) ([]byte, error) {
	f.reads <- i
	if i == f.hold {
		<-f.release
	}
	if i == f.bad {
		return dst, &content.IntegrityError{Chunk: int(i), Reason: "damaged"}
	}
	out := append(dst, slices.Repeat([]byte{byte(i + 1)}, 16)...)
	f.lastWritten = out
	return out, nil
}

// fetchGoroutines counts the goroutines running code of fetchReads.
func fetchGoroutines() int {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	n := 0
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "server.(*fetchReads)") {
			n++
		}
	}
	return n
}

// noFetchGoroutines waits, within a bound, for every goroutine of
// fetchReads to end.
func noFetchGoroutines(t *testing.T) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); fetchGoroutines() > 0; {
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines of a fetch's reads still run", fetchGoroutines())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestTheChunkReadAheadIsTheOneSentNextAtTheRecordsPlaceAndItsPlaceIsGivenBack(t *testing.T) {
	var b chunkBuffers
	fc := newFakeChunks()
	r := newFetchReads(context.Background(), &b, fc)
	defer r.stop()
	c0 := r.next(0)
	if c0.err != nil || c0.hold != holdsTurn || len(b.turns) != 1 {
		t.Fatalf("chunk 0 read now: %+v, %d turns taken; want it to keep its turn until sealed", c0, len(b.turns))
	}
	r.readAhead(1)
	if !r.pending {
		t.Fatal("no chunk read ahead with every place free")
	}
	r.readAhead(2) // one ahead per fetch: ignored
	r.unhold(&c0)
	r.done(&c0, nil)
	c1 := r.next(1)
	if c1.err != nil || c1.i != 1 || string(c1.plain) != strings.Repeat("\x02", 16) || c1.hold != holdsPlace || len(b.ahead) != 1 {
		t.Fatalf("chunk 1 read ahead: %+v; want it, holding its place until sealed", c1)
	}
	if &c1.plain[0] != &(*c1.buf)[protocol.RecordHeaderSize] {
		t.Fatal("the chunk is not at its record's payload, where it is sealed in place")
	}
	if got := []uint32{<-fc.reads, <-fc.reads}; !slices.Equal(got, []uint32{0, 1}) || len(fc.reads) != 0 {
		t.Fatalf("reads %v, then %d more, want chunks 0 and 1 once each", got, len(fc.reads))
	}
	r.unhold(&c1) // sealed
	if len(b.ahead) != 0 || len(b.turns) != 0 {
		t.Fatalf("%d places, %d turns held by chunks sealed", len(b.ahead), len(b.turns))
	}
	r.done(&c1, nil)
}

func TestAChunkDamagedAtRestAndReadAheadIsTheErrorOfItsTurnWithNoBuffer(t *testing.T) {
	var b chunkBuffers
	fc := newFakeChunks()
	fc.bad = 2
	r := newFetchReads(context.Background(), &b, fc)
	defer r.stop()
	r.readAhead(2)
	c := r.next(2)
	var ie *content.IntegrityError
	if !errors.As(c.err, &ie) || c.gone || c.buf != nil || c.plain != nil || c.hold != holdsNothing || len(b.ahead) != 0 || len(b.turns) != 0 {
		t.Fatalf("a damaged chunk read ahead: %+v", c)
	}
}

func TestStoppingAFetchLeavesNoReadRunningAndErasesTheChunkNeverSent(t *testing.T) {
	t.Run("a read ahead waiting for its turn", func(t *testing.T) {
		var b chunkBuffers
		for range max(8, turnsPerCPU*runtime.GOMAXPROCS(0)) {
			if err := b.turn(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		r := newFetchReads(context.Background(), &b, newFakeChunks())
		r.readAhead(1)
		r.stop() // returns although no turn is free
		noFetchGoroutines(t)
		if len(b.ahead) != 0 {
			t.Fatalf("%d read-ahead places still held", len(b.ahead))
		}
	})
	t.Run("a read ahead in progress", func(t *testing.T) {
		var b chunkBuffers
		fc := newFakeChunks()
		fc.hold = 1
		ctx, cancel := context.WithCancel(context.Background())
		r := newFetchReads(ctx, &b, fc)
		r.readAhead(1)
		<-fc.reads
		cancel() // the client went away
		stopped := make(chan struct{})
		go func() { r.stop(); close(stopped) }()
		close(fc.release) // the disk answers
		<-stopped
		noFetchGoroutines(t)
		if len(b.ahead) != 0 || len(b.turns) != 0 {
			t.Fatalf("%d places, %d turns still held", len(b.ahead), len(b.turns))
		}
		if w := fc.lastWritten; len(w) == 0 || strings.Trim(string(w[:cap(w)]), "\x00") != "" {
			t.Fatal("the plaintext of the chunk never sent was not erased")
		}
	})
}

func TestAFetchWithoutAFreePlaceReadsItsNextChunkWhenItIsNeeded(t *testing.T) {
	var b chunkBuffers
	for b.reserveAhead() {
	}
	fc := newFakeChunks()
	r := newFetchReads(context.Background(), &b, fc)
	defer r.stop()
	r.readAhead(1)
	if r.pending || len(fc.reads) != 0 {
		t.Fatal("a chunk read ahead without a free place")
	}
	c := r.next(1)
	if c.err != nil || c.i != 1 || len(c.plain) != 16 || c.hold != holdsTurn {
		t.Fatalf("chunk 1 read when needed: %+v", c)
	}
	r.done(&c, nil)
}
