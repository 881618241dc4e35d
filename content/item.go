package content

import (
	"encoding/json"
	"time"
)

// Item describes a stored item as a store lists it and the server
// catalogs it: what a manifest says of it without the chunk hashes, plus
// when it was added and the license policy it was added with.
type Item struct {
	ID          ID
	Title       string
	ContentType string
	Size        int64
	ChunkSize   int
	Chunks      uint32
	Duration    time.Duration
	Added       time.Time
	// Policy is the license policy given when the item was added, opaque to
	// the store and to this package (package license decodes it).
	Policy json.RawMessage
}

// ChunkReader reads the plaintext chunks of one opened item, in any order:
// the first step of the steady per-chunk path of the server (DESIGN.md §3).
// The media store's reader opens each chunk from the at-rest container.
// Chunk may be called from several goroutines at once.
type ChunkReader interface {
	// Item describes the item.
	Item() Item
	// Chunk appends the plaintext of chunk i to dst. A chunk that fails
	// its integrity check at rest is an *IntegrityError naming it, and no
	// byte of it is returned.
	Chunk(i uint32, dst []byte) ([]byte, error)
	// Close erases the item's keys; Chunk fails after it.
	Close() error
}
