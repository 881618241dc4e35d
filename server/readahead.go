package server

import (
	"context"

	"securemedia/content"
	"securemedia/protocol"
)

// fetchReads reads the chunks of one fetch at rest (DESIGN.md §3), each
// into the buffer its record is then sealed in and written from, and
// overlaps the two halves of the chunk path: while the fetch counts,
// seals and writes chunk i on the request's goroutine, chunk i+1 is read
// and opened on a helper goroutine. At most one chunk is read ahead per
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
// read waited for its turn).
type atRest struct {
	i     uint32
	buf   *[]byte
	plain []byte
	err   error
	gone  bool
}

// newFetchReads reads rd's chunks for a fetch whose request context is
// ctx; the caller calls stop.
func newFetchReads(ctx context.Context, bufs *chunkBuffers, rd content.ChunkReader) *fetchReads {
	ctx, cancel := context.WithCancel(ctx)
	r := &fetchReads{bufs: bufs, rd: rd, chunkSize: rd.Item().ChunkSize, ctx: ctx, cancel: cancel, ahead: make(chan atRest, 1)}
	r.helper = func() { r.ahead <- r.read(r.aheadOf) }
	return r
}

// next returns chunk i: the one read ahead, or read now.
func (r *fetchReads) next(i uint32) atRest {
	if r.pending {
		c := r.take()
		if c.i == i {
			return c
		}
		r.drop(c) // never: the fetch reads ahead only the chunk it sends next
	}
	return r.read(i)
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
// buffer of its own.
func (r *fetchReads) read(i uint32) atRest {
	if err := r.bufs.turn(r.ctx); err != nil {
		return atRest{i: i, err: err, gone: true}
	}
	defer r.bufs.done()
	buf := r.bufs.get(r.chunkSize)
	p, err := r.rd.Chunk(i, (*buf)[:protocol.RecordHeaderSize])
	if err != nil {
		r.bufs.erase(buf)
		return atRest{i: i, err: err}
	}
	*buf = p
	return atRest{i: i, buf: buf, plain: p[protocol.RecordHeaderSize:]}
}

// take waits for the chunk read ahead and gives its place back: from
// here it is the fetch's one chunk in hand.
func (r *fetchReads) take() atRest {
	c := <-r.ahead
	r.pending = false
	r.bufs.releaseAhead()
	return c
}

// sealed gives back the buffer of chunk c, whose record rec was sealed
// from it and written: sealed in place, it holds no plaintext any more.
func (r *fetchReads) sealed(c atRest, rec []byte) {
	if len(rec) > 0 && &rec[0] == &(*c.buf)[0] {
		r.bufs.put(c.buf)
		return
	}
	r.drop(c)
}

// drop erases and gives back a chunk that is not sent.
func (r *fetchReads) drop(c atRest) {
	if c.buf != nil {
		r.bufs.erase(c.buf)
	}
}

// stop ends the fetch's reads: a chunk still being read ahead is waited
// for (a read waiting for its turn ends at once) and dropped.
func (r *fetchReads) stop() {
	r.cancel()
	if r.pending {
		r.drop(r.take())
	}
}
