package message

import (
	"bytes"
	"testing"

	"securemedia/content"
)

// TestKnownEncodings pins the encodings the golden transcripts of package
// protocol carry (its first request record is a catalog request) and the
// fixed layout of a fetch request.
func TestKnownEncodings(t *testing.T) {
	for _, tc := range []struct {
		name string
		got  []byte
		want []byte
	}{
		{"a catalog request is op 1 and an empty body", (&Request{Op: OpCatalog}).Marshal(), []byte{0x01, 0x00, 0x00, 0x00}},
		{"a fetch request is media, first, count and grant", (&FetchRequest{Media: content.ID{0xab}, First: 2, Count: 3, Grant: []byte{9}}).Marshal(),
			append(append([]byte{0xab}, make([]byte, 15)...), 0, 0, 0, 2, 0, 3, 0, 1, 9)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !bytes.Equal(tc.got, tc.want) {
				t.Fatalf("got %x, want %x", tc.got, tc.want)
			}
		})
	}
}
