package content

import (
	"encoding/hex"
	"fmt"
)

// IDSize is the size of a media id: 128 random bits.
const IDSize = 16

// ID is a media id. Its text form is 32 lower-case hex characters: the
// name of the item in the store, in the catalog and on the command line.
// On the wire it is the 16 raw bytes.
type ID [IDSize]byte

// ParseID parses the 32-hex-character form of a media id.
func ParseID(s string) (ID, error) {
	var id ID
	if len(s) != 2*IDSize {
		return id, fmt.Errorf("media id %q: want %d hex characters", truncate(s, 40), 2*IDSize)
	}
	if _, err := hex.Decode(id[:], []byte(s)); err != nil {
		return id, fmt.Errorf("media id %q: not hex", s)
	}
	return id, nil
}

// String is the lower-case hex form.
func (id ID) String() string { return hex.EncodeToString(id[:]) }

// MarshalText encodes the id as String does (JSON listings).
func (id ID) MarshalText() ([]byte, error) { return []byte(id.String()), nil }

// UnmarshalText decodes what MarshalText encodes.
func (id *ID) UnmarshalText(b []byte) error {
	v, err := ParseID(string(b))
	if err != nil {
		return err
	}
	*id = v
	return nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
