package media

import (
	"errors"
	"fmt"
	"strings"

	"securemedia/content"
)

// ErrNotFound means no item has the given id.
var ErrNotFound = errors.New("media: no such item")

// ErrWrongKEK means the key-encryption key does not open the store: a wrong
// master passphrase, or a token key other than the one the store was made with.
var ErrWrongKEK = errors.New("media: the master key does not open this store (wrong passphrase?)")

// IntegrityError reports stored or received content that failed
// authentication. Chunk is the index of the failing chunk, or -1 when the
// container header, the key or the metadata of the item failed.
type IntegrityError struct {
	Item  content.ID
	Chunk int
	// Reason is a short local description, for logs.
	Reason string
}

func (e *IntegrityError) Error() string {
	if e.Chunk < 0 {
		return fmt.Sprintf("media %s: integrity check failed: %s", e.Item, e.Reason)
	}
	return fmt.Sprintf("media %s: chunk %d: integrity check failed: %s", e.Item, e.Chunk, e.Reason)
}

// TooLargeError refuses an input to Add longer than MaxChunks chunks: its
// signed manifest would not fit in one record of the session protocol, so
// the item could be added but never played. A larger chunk size fits it.
type TooLargeError struct {
	// MaxChunks is the limit on the chunks of one item.
	MaxChunks int
	// ChunkSize is the chunk size the input was added with.
	ChunkSize int
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("input larger than %d chunks of %s (%s), the most one item may hold: add it with a larger chunk size (--chunk-size, up to %s)",
		e.MaxChunks, formatBytes(int64(e.ChunkSize)), formatBytes(int64(e.MaxChunks)*int64(e.ChunkSize)), formatBytes(content.MaxChunkSize))
}

// formatBytes writes a size in the largest binary unit that divides it.
func formatBytes(n int64) string {
	for _, u := range []struct {
		shift uint
		name  string
	}{{30, "GiB"}, {20, "MiB"}, {10, "KiB"}} {
		if n >= 1<<u.shift && n%(1<<u.shift) == 0 {
			return fmt.Sprintf("%d %s", n>>u.shift, u.name)
		}
	}
	return fmt.Sprintf("%d bytes", n)
}

// DamagedError lists the items that List could not read (damaged or
// tampered with on disk, or wrapped under another key), each with its
// error; List returns it together with the items that are sound. Like
// errors.Join, it unwraps to every item's error.
type DamagedError struct {
	IDs  []content.ID
	Errs []error
}

func (e *DamagedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "media: %d damaged item(s) left out of the list", len(e.IDs))
	for _, err := range e.Errs {
		b.WriteString("\n")
		b.WriteString(err.Error())
	}
	return b.String()
}

// Unwrap returns the error of every damaged item.
func (e *DamagedError) Unwrap() []error { return e.Errs }
