package server

import (
	"context"

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
