package token

import (
	"crypto"
	"crypto/rsa"
	"errors"
	"fmt"
	"io"
	"sync"
)

// Authenticator is what the handshake needs from a user's token: a signer
// for the transcript, the certificate chain to send, and whether RSA-PSS is
// available. *Session and *SoftwareToken implement it.
type Authenticator interface {
	// Signer signs a digest with the user's authentication key.
	Signer() crypto.Signer
	// Chain is the DER certificate chain, leaf first.
	Chain() [][]byte
	// SupportsPSS reports whether an RSA key can sign with RSA-PSS.
	SupportsPSS() bool
	// Close releases the token.
	Close() error
	// Description names the token for logs and messages.
	Description() string
}

var (
	_ Authenticator = (*Session)(nil)
	_ Authenticator = (*SoftwareToken)(nil)
)

// SoftwareToken is a user key in a file, for machines without a PKCS#11
// module (demos only: the key is not protected by hardware or a PIN).
type SoftwareToken struct {
	mu    sync.Mutex
	key   crypto.Signer
	chain [][]byte
	desc  string
}

// OpenSoftware loads a PKCS#8 PEM key and a PEM chain (leaf first) and
// checks that the key is the leaf's.
func OpenSoftware(keyPath, chainPath string) (*SoftwareToken, error) {
	key, err := readKey(keyPath)
	if err != nil {
		return nil, fmt.Errorf("software token: %w", err)
	}
	certs, err := readChain(chainPath)
	if err != nil {
		return nil, fmt.Errorf("software token: %w", err)
	}
	type equaler interface{ Equal(crypto.PublicKey) bool }
	if pub, ok := key.Public().(equaler); !ok || !pub.Equal(certs[0].PublicKey) {
		return nil, fmt.Errorf("software token: the key in %s is not the key of the certificate in %s", keyPath, chainPath)
	}
	chain := make([][]byte, len(certs))
	for i, c := range certs {
		chain[i] = c.Raw
	}
	return &SoftwareToken{
		key:   key,
		chain: chain,
		desc:  fmt.Sprintf("software token %s (%q)", keyPath, certs[0].Subject.CommonName),
	}, nil
}

// Signer signs with the key from the file.
func (t *SoftwareToken) Signer() crypto.Signer { return softwareSigner{t} }

type softwareSigner struct{ t *SoftwareToken }

// Public is the key's public half, or nil once the token is closed.
func (s softwareSigner) Public() crypto.PublicKey { return s.t.chainLeafKey() }

// Sign signs with the key from the file, unless the token is closed.
func (s softwareSigner) Sign(r io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	s.t.mu.Lock()
	key := s.t.key
	s.t.mu.Unlock()
	if key == nil {
		return nil, errors.New("software token: closed")
	}
	return key.Sign(r, digest, opts)
}

func (t *SoftwareToken) chainLeafKey() crypto.PublicKey {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.key == nil {
		return nil
	}
	return t.key.Public()
}

// Chain is the chain from the file, leaf first.
func (t *SoftwareToken) Chain() [][]byte {
	out := make([][]byte, len(t.chain))
	copy(out, t.chain)
	return out
}

// SupportsPSS is true for RSA keys: software does both paddings.
func (t *SoftwareToken) SupportsPSS() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	_, ok := t.key.(*rsa.PrivateKey)
	return ok
}

// Description names the key file.
func (t *SoftwareToken) Description() string { return t.desc }

// Close drops the key. Go cannot reliably erase big.Int key material, so
// the key is only made unreachable.
func (t *SoftwareToken) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.key = nil
	return nil
}
