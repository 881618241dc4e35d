package server

import (
	"context"
	"runtime"
	"slices"
	"sync"

	"securemedia/content"
	"securemedia/protocol"
)

// chunkBuffers are the per-chunk buffers of the streaming path, recycled
// so that a fetch costs O(chunk) memory and little garbage, and the turns
// and read-ahead places that bound how many of them are in use, so that
// the server's memory follows the chunks it works on, not the plays it
// serves (DESIGN.md §9: 1,000 concurrent plays within 128 MiB).
//
// One buffer serves a chunk from the disk to the connection: the chunk is
// read and opened at rest at the place of a record's payload, sealed there
// in place (protocol.Session.SealChunk) and written from it. Reading,
// opening and sealing are CPU work, done in turns (turn, done), which more
// turns than cores would not speed up; a fetch waiting for a turn holds no
// buffer. Between its turns a fetch holds its one chunk, while its play is
// counted and while its record is written, so that a viewer whose player
// paused holds one record and keeps no one else waiting.
//
// While a record is written, the next chunk of the same fetch may be read
// ahead (fetchReads), in a turn of its own, into a second buffer, which
// waits for the write to end: the read-ahead places (reserveAhead,
// releaseAhead) bound those waiting chunks server-wide to as many as
// there are turns. When none is free a fetch reads its next chunk after
// the write, as if there were no read-ahead, rather than wait: 1,000 slow
// clients hold 1,000 records and, beside them, as many chunks read ahead
// as there are places (8 of 257 KiB with 2 cores, 2 MiB), not 2,000
// buffers; and no more helper goroutines than places.
type chunkBuffers struct {
	pool  sync.Pool
	once  sync.Once
	turns chan struct{}
	ahead chan struct{}
}

// turnsPerCPU is how many chunks each core may have read or sealed at
// once; the few beyond one cover reads that wait for the disk.
const turnsPerCPU = 4

// recordSlack is the room a chunk's buffer has beyond the chunk: the
// record header before it, and after it the tag of the at-rest open and
// the record's length, padding and tag (protocol.MaxRecordOverhead and 4
// bytes of length), so that a chunk read into its buffer is sealed in
// place without growing it.
const recordSlack = 1024

// places makes the turns and the read-ahead places, once.
func (b *chunkBuffers) places() {
	b.once.Do(func() {
		n := max(8, turnsPerCPU*runtime.GOMAXPROCS(0))
		b.turns = make(chan struct{}, n)
		b.ahead = make(chan struct{}, n)
	})
}

// turn waits for a turn, or for ctx.
func (b *chunkBuffers) turn(ctx context.Context) error {
	b.places()
	select {
	case b.turns <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// done ends a turn.
func (b *chunkBuffers) done() { <-b.turns }

// reserveAhead takes a read-ahead place if one is free, without waiting.
func (b *chunkBuffers) reserveAhead() bool {
	b.places()
	select {
	case b.ahead <- struct{}{}:
		return true
	default:
		return false
	}
}

// releaseAhead gives a read-ahead place back.
func (b *chunkBuffers) releaseAhead() { <-b.ahead }

// get returns an empty buffer for a chunk of chunkSize bytes and its
// record.
func (b *chunkBuffers) get(chunkSize int) *[]byte {
	p, ok := b.pool.Get().(*[]byte)
	if !ok {
		buf := make([]byte, 0, max(chunkSize, content.DefaultChunkSize)+recordSlack)
		p = &buf
	}
	*p = slices.Grow((*p)[:0], chunkSize+recordSlack)
	return p
}

// put recycles a buffer. Its bytes must hold no plaintext: a sealed
// record, or a chunk erased (erase).
func (b *chunkBuffers) put(p *[]byte) {
	if cap(*p) > protocol.MaxRecordPayload+recordSlack {
		return
	}
	*p = (*p)[:0]
	b.pool.Put(p)
}

// erase clears a buffer that may hold plaintext, then recycles it.
func (b *chunkBuffers) erase(p *[]byte) {
	clear((*p)[:cap(*p)])
	b.put(p)
}
