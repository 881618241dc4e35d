package kex

import (
	"crypto/ecdh"
	"fmt"
	"io"
)

// maxScalarTries bounds the rejection sampling of NIST scalars. A random
// 256- or 384-bit string falls outside [1, n-1] with probability below
// 2^-32, so running out of tries means rand is broken, not unlucky.
const maxScalarTries = 16

// ecdhGroup is an elliptic-curve Diffie-Hellman group from crypto/ecdh:
// X25519 (RFC 7748) or NIST P-256/P-384 with uncompressed points
// (RFC 8446, Section 4.2.8.2).
type ecdhGroup struct {
	name      string
	curve     ecdh.Curve
	scalarLen int
}

func newX25519() ecdhGroup { return ecdhGroup{NameX25519, ecdh.X25519(), 32} }
func newP256() ecdhGroup   { return ecdhGroup{NameP256, ecdh.P256(), 32} }
func newP384() ecdhGroup   { return ecdhGroup{NameP384, ecdh.P384(), 48} }

// Name returns the group's protocol name.
func (g ecdhGroup) Name() string { return g.name }

// GenerateShare returns a fresh ephemeral key drawn from rand and its
// public point.
func (g ecdhGroup) GenerateShare(rand io.Reader) (Private, []byte, error) {
	key, err := g.newPrivateKey(rand)
	if err != nil {
		return nil, nil, err
	}
	return &ecdhPrivate{key: key}, key.PublicKey().Bytes(), nil
}

// Respond validates the client's point, then makes the server's ephemeral
// key and the shared secret.
func (g ecdhGroup) Respond(rand io.Reader, peerShare []byte) (share, secret []byte, err error) {
	peer, err := g.curve.NewPublicKey(peerShare)
	if err != nil {
		return nil, nil, ErrInvalidShare
	}
	key, err := g.newPrivateKey(rand)
	if err != nil {
		return nil, nil, err
	}
	secret, err = key.ECDH(peer)
	if err != nil {
		// X25519 reports an all-zero result, that is a low-order peer
		// point (RFC 7748, Section 6.1).
		return nil, nil, ErrInvalidShare
	}
	return key.PublicKey().Bytes(), secret, nil
}

// newPrivateKey reads a scalar from rand. X25519 accepts any 32 bytes (the
// function clamps them); for P-256 and P-384 the bytes are a candidate
// scalar, rejected and redrawn while outside [1, n-1] (FIPS 186-5,
// Appendix A.4.2, rejection sampling). Our copy of the bytes is erased.
func (g ecdhGroup) newPrivateKey(rand io.Reader) (*ecdh.PrivateKey, error) {
	buf := make([]byte, g.scalarLen)
	defer clear(buf)
	for range maxScalarTries {
		if _, err := io.ReadFull(rand, buf); err != nil {
			return nil, fmt.Errorf("kex: %s: read random scalar: %w", g.name, err)
		}
		if key, err := g.curve.NewPrivateKey(buf); err == nil {
			return key, nil
		}
	}
	return nil, fmt.Errorf("kex: %s: no valid scalar in %d draws from rand", g.name, maxScalarTries)
}

// ecdhPrivate is the client's ephemeral ECDH key. crypto/ecdh keeps the
// scalar in unexported fields that cannot be zeroed from here; Erase drops
// our only reference so that it becomes garbage.
type ecdhPrivate struct {
	key *ecdh.PrivateKey
}

// Finish validates the server's point and returns the shared secret.
func (p *ecdhPrivate) Finish(peerShare []byte) ([]byte, error) {
	key := p.key
	if key == nil {
		return nil, errKeyUsed
	}
	p.Erase()
	peer, err := key.Curve().NewPublicKey(peerShare)
	if err != nil {
		return nil, ErrInvalidShare
	}
	secret, err := key.ECDH(peer)
	if err != nil {
		return nil, ErrInvalidShare
	}
	return secret, nil
}

// Erase drops the private key.
func (p *ecdhPrivate) Erase() { p.key = nil }
