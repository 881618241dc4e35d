// Package cost counts what a handshake costs a server, for tests that
// check that a refused or cookie-answered hello costs nothing: the
// signatures its key makes and the bytes it draws from its random source
// (session ids, randoms and every ephemeral key, an FFDHE exponent among
// them, come from it). It imports nothing of the module, so that the
// protocol's own tests can use it.
package cost

import (
	"crypto"
	"io"
	"sync/atomic"
)

// Signer counts the signatures of the key it wraps.
type Signer struct {
	crypto.Signer
	n atomic.Int64
}

// Sign signs with the wrapped key and counts.
func (s *Signer) Sign(r io.Reader, d []byte, o crypto.SignerOpts) ([]byte, error) {
	s.n.Add(1)
	return s.Signer.Sign(r, d, o)
}

// Signatures is how many signatures were made.
func (s *Signer) Signatures() int64 { return s.n.Load() }

// Reader counts the bytes read from the source it wraps.
type Reader struct {
	R io.Reader
	n atomic.Int64
}

func (c *Reader) Read(p []byte) (int, error) {
	n, err := c.R.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// Bytes is how many bytes were read.
func (c *Reader) Bytes() int64 { return c.n.Load() }
