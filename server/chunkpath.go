package server

import (
	"context"
	"runtime"
	"slices"
	"sync"

	"securemedia/content"
	"securemedia/protocol"
)

// fetchReads reads the chunks of one fetch at rest (DESIGN.md §3), each
// into the buffer its record is then sealed in and written from, and
// overlaps the two halves of the chunk path: while the fetch seals and
// writes chunk i on the request's goroutine, chunk i+1 is read and
// opened on a helper goroutine. At most one chunk is read ahead per
// fetch, and only in a free read-ahead place (chunkBuffers), so that the
// memory stays that of the chunks in hand, not of the plays. A chunk read
// ahead is only read: the fetch checks, counts and seals it in its order,
// as if it had been read then; one never sent is erased and dropped. stop
// waits for the helper, so that nothing the fetch started outlives it.
type fetchReads struct {
	bufs      *chunkBuffers
	rd        content.ChunkReader
	chunkSize int
	ctx       context.Context
	cancel    context.CancelFunc
	// ahead carries the chunk read ahead; its room for one lets the
	// helper end without waiting for the fetch to take it.
	ahead   chan atRest
	pending bool
	// aheadOf is the chunk the helper reads; helper is the helper's
	// function, made once per fetch so that starting one costs no
	// allocation.
	aheadOf uint32
	helper  func()
}

// atRest is chunk i as read at rest: its plaintext, at
// (*buf)[protocol.RecordHeaderSize:] where SealChunk seals it in place,
// or why it could not be read (gone: the fetch's context ended while the
// read waited for its turn). Until it is sealed, a chunk read holds what
// bounds it (chunkBuffers): the turn it was read in, or, read ahead, its
// read-ahead place.
type atRest struct {
	i     uint32
	buf   *[]byte
	plain []byte
	err   error
	gone  bool
	hold  holding
}

// holding is what an unsealed chunk holds.
type holding uint8

const (
	holdsNothing holding = iota
	holdsTurn
	holdsPlace
)

// newFetchReads reads rd's chunks for a fetch whose request context is
// ctx; the caller calls stop.
func newFetchReads(ctx context.Context, bufs *chunkBuffers, rd content.ChunkReader) *fetchReads {
	ctx, cancel := context.WithCancel(ctx)
	r := &fetchReads{bufs: bufs, rd: rd, chunkSize: rd.Item().ChunkSize, ctx: ctx, cancel: cancel, ahead: make(chan atRest, 1)}
	r.helper = func() { r.ahead <- r.read(r.aheadOf, false) }
	return r
}

// next returns chunk i: the one read ahead, or read now in a turn that
// it keeps until sealed. A chunk that failed holds nothing.
func (r *fetchReads) next(i uint32) atRest {
	if r.pending {
		c := r.take()
		if c.i == i && c.err == nil {
			return c
		}
		r.drop(&c)
		if c.i == i {
			return c
		}
		// never: the fetch reads ahead only the chunk it sends next
	}
	return r.read(i, true)
}

// readAhead starts reading chunk i on a helper goroutine, if no chunk is
// being read ahead for this fetch and a read-ahead place is free; else
// next reads it when it is needed.
func (r *fetchReads) readAhead(i uint32) {
	if r.pending || !r.bufs.reserveAhead() {
		return
	}
	r.pending, r.aheadOf = true, i
	go r.helper()
}

// read reads and opens chunk i in a turn, into the record position of a
// buffer of its own; keep keeps the turn for the seal.
func (r *fetchReads) read(i uint32, keep bool) atRest {
	if err := r.bufs.turn(r.ctx); err != nil {
		return atRest{i: i, err: err, gone: true}
	}
	buf := r.bufs.get(r.chunkSize)
	p, err := r.rd.Chunk(i, (*buf)[:protocol.RecordHeaderSize])
	if err != nil || !keep {
		r.bufs.done()
	}
	if err != nil {
		r.bufs.erase(buf)
		return atRest{i: i, err: err}
	}
	*buf = p
	c := atRest{i: i, buf: buf, plain: p[protocol.RecordHeaderSize:]}
	if keep {
		c.hold = holdsTurn
	}
	return c
}

// take waits for the chunk read ahead, which holds its place.
func (r *fetchReads) take() atRest {
	c := <-r.ahead
	r.pending = false
	c.hold = holdsPlace
	return c
}

// unhold gives back the turn or the place of a chunk once it is sealed
// (or dropped): a record waiting for its write holds neither.
func (r *fetchReads) unhold(c *atRest) {
	switch c.hold {
	case holdsTurn:
		r.bufs.done()
	case holdsPlace:
		r.bufs.releaseAhead()
	}
	c.hold = holdsNothing
}

// done gives back chunk c after its record rec was written (or never
// was: rec nil): sealed in place, its buffer holds no plaintext.
func (r *fetchReads) done(c *atRest, rec []byte) {
	if c.buf != nil && len(rec) > 0 && &rec[0] == &(*c.buf)[0] {
		r.unhold(c)
		r.bufs.put(c.buf)
		c.buf = nil
		return
	}
	r.drop(c)
}

// drop erases and gives back a chunk that is not sent.
func (r *fetchReads) drop(c *atRest) {
	r.unhold(c)
	if c.buf != nil {
		r.bufs.erase(c.buf)
		c.buf = nil
	}
}

// stop ends the fetch's reads: a chunk still being read ahead is waited
// for (a read waiting for its turn ends at once) and dropped.
func (r *fetchReads) stop() {
	r.cancel()
	if r.pending {
		c := r.take()
		r.drop(&c)
	}
}

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
