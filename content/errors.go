package content

import (
	"errors"
	"fmt"
	"strings"
)

// The errors a store of items returns that its callers branch on: the
// server answers "no such media" for ErrNotFound, stops a fetch with an
// integrity status on an *IntegrityError, and leaves damaged items out of
// its catalog (DamagedError) while an outage fails the whole listing.

// ErrNotFound means no item has the given id.
var ErrNotFound = errors.New("media: no such item")

// ErrWrongKEK means the key-encryption key does not open the store, or one
// item's data key: a wrong master passphrase, or a token key other than the
// one the store (or the item) was made with.
var ErrWrongKEK = errors.New("media: the master key does not open this store (wrong passphrase?)")

// IntegrityError reports content that failed its integrity check: an item
// damaged or tampered with at rest (a store's error), or a chunk that does
// not match its signed manifest (Manifest.CheckChunk). Chunk is the index
// of the failing chunk, or -1 when the container header, the key or the
// metadata of a stored item failed.
type IntegrityError struct {
	Item  ID
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

// DamagedError lists the items that a listing could not read (damaged or
// tampered with on disk, or wrapped under another key), each with its
// error; the listing returns it together with the items that are sound.
// Like errors.Join, it unwraps to every item's error.
type DamagedError struct {
	IDs  []ID
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

// OnlyDamage reports whether every error in d is damage to one item (a
// failed integrity check, or a data key under another master key), and
// none an outage such as a removed token or an I/O error.
func (e *DamagedError) OnlyDamage() bool {
	for _, err := range e.Errs {
		var ie *IntegrityError
		if !errors.As(err, &ie) && !errors.Is(err, ErrWrongKEK) {
			return false
		}
	}
	return true
}
