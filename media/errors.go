package media

import (
	"errors"
	"fmt"

	"securemedia/content"
)

// ErrEmpty refuses an empty input to Add: an item of no bytes plays
// nothing, and is always a mistake (a truncated copy, the wrong file).
var ErrEmpty = errors.New("media: the input is empty")

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
