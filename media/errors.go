package media

import (
	"errors"
	"fmt"
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
	Item  string
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
