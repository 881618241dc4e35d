package server

import (
	"context"
	"runtime"
	"sync"

	"securemedia/content"
	"securemedia/protocol"
)

// chunkBuffers are the per-chunk buffers of the streaming path, recycled
// so that a fetch costs O(chunk) memory and little garbage, and taken in
// turns so that the server's memory follows the chunks it works on, not
// the plays it serves (DESIGN.md §9: 1,000 concurrent plays within
// 128 MiB). A chunk is read at rest into a plaintext buffer during a turn
// (turn, done): reading, opening and sealing are CPU work, which more
// turns than cores would not speed up. The sealed record (get, put) lives
// until its write returns, outside any turn, so that a viewer whose player
// paused holds one record and keeps no one else waiting.
type chunkBuffers struct {
	pool  sync.Pool
	once  sync.Once
	turns chan *[]byte
}

// turnsPerCPU is how many chunks each core may have read and sealed at
// once; the few beyond one cover reads that wait for the disk.
const turnsPerCPU = 4

// turn waits for a turn, or for ctx, and returns the turn's plaintext
// buffer, empty.
func (b *chunkBuffers) turn(ctx context.Context) (*[]byte, error) {
	b.once.Do(func() {
		n := max(8, turnsPerCPU*runtime.GOMAXPROCS(0))
		b.turns = make(chan *[]byte, n)
		for range n {
			buf := make([]byte, 0, content.DefaultChunkSize+1024)
			b.turns <- &buf
		}
	})
	select {
	case p := <-b.turns:
		return p, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// done ends the turn of p.
func (b *chunkBuffers) done(p *[]byte) {
	if cap(*p) > protocol.MaxRecordPayload+1024 {
		buf := make([]byte, 0, content.DefaultChunkSize+1024)
		p = &buf
	}
	*p = (*p)[:0]
	b.turns <- p
}

// get returns a buffer for a sealed record.
func (b *chunkBuffers) get() *[]byte {
	if p, ok := b.pool.Get().(*[]byte); ok {
		return p
	}
	buf := make([]byte, 0, content.DefaultChunkSize+1024)
	return &buf
}

// put recycles a sealed record's buffer.
func (b *chunkBuffers) put(p *[]byte) {
	if cap(*p) > protocol.MaxRecordPayload+1024 {
		return
	}
	*p = (*p)[:0]
	b.pool.Put(p)
}
