package media

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"

	"securemedia/content"
)

// Reader reads the chunks of one item (Store.Open, open.go): the steady
// per-chunk path of the server, its content.ChunkReader. Chunk may be
// called from several goroutines at once.
type Reader struct {
	*item
	aad []byte
	// mu orders Close after every Chunk in progress: Close erases the
	// data key, which a running Chunk must not see half-erased.
	mu     sync.RWMutex
	closed bool
}

// ErrClosed is returned by Chunk after Close.
var ErrClosed = errors.New("media: reader closed")

// Item describes the item.
func (r *Reader) Item() content.Item { return r.info }

// Chunk reads and opens chunk i only (one positioned read of one sealed
// chunk) and appends its plaintext to dst. Any failure to authenticate is
// an *content.IntegrityError naming the chunk; the plaintext of a failed chunk is
// never returned. dst with spare capacity of ChunkSize+16 avoids allocation.
func (r *Reader) Chunk(i uint32, dst []byte) ([]byte, error) {
	if i >= r.info.Chunks {
		return dst, fmt.Errorf("media %s: chunk %d out of range 0..%d", r.id, i, r.info.Chunks-1)
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.closed {
		return dst, ErrClosed
	}
	plainLen := content.ChunkLen(r.h.Size, r.h.ChunkSize, i)
	n := plainLen + tagSize
	dst = slices.Grow(dst, n)
	sealed := dst[len(dst) : len(dst)+n]
	if _, err := r.f.ReadAt(sealed, r.h.chunkOffset(i)); err != nil {
		if errors.Is(err, io.EOF) {
			return dst, &content.IntegrityError{Item: r.id, Chunk: int(i), Reason: "stored chunk truncated"}
		}
		// An I/O error is an outage, not damage to the item.
		return dst, fmt.Errorf("media %s: read chunk %d: %w", r.id, i, err)
	}
	nonce := chunkNonce(i, i == r.info.Chunks-1)
	// Opening in place: the plaintext overwrites the ciphertext it came from.
	out, err := r.keys.chunks.Open(dst, nonce[:], sealed, r.aad)
	if err != nil {
		return dst, &content.IntegrityError{Item: r.id, Chunk: int(i), Reason: "stored chunk does not authenticate"}
	}
	return out, nil
}

// Close erases the item's keys and closes the file.
func (r *Reader) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil
	}
	r.closed = true
	return r.close()
}
