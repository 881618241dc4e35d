package kex

import (
	"crypto/ecdh"
	"crypto/mlkem"
	"fmt"
	"io"
)

// Sizes of the hybrid's parts (FIPS 203 ML-KEM-768, RFC 7748 X25519).
const (
	x25519ShareLen  = 32
	hybridClientLen = mlkem.EncapsulationKeySize768 + x25519ShareLen // 1216
	hybridServerLen = mlkem.CiphertextSize768 + x25519ShareLen       // 1120
	hybridSecretLen = mlkem.SharedKeySize + x25519ShareLen           // 64
)

// hybridGroup is X25519MLKEM768 exactly as crypto/tls and
// draft-ietf-tls-ecdhe-mlkem define it: the client share is the ML-KEM-768
// encapsulation key followed by an X25519 share; the server share is the
// ML-KEM ciphertext followed by an X25519 share; the shared secret is the
// ML-KEM shared secret followed by the X25519 shared secret. The session
// stays confidential as long as either part holds.
type hybridGroup struct{}

// Name returns the group's protocol name.
func (hybridGroup) Name() string { return NameX25519MLKEM768 }

// GenerateShare draws the ML-KEM seed and then the X25519 scalar from rand.
func (hybridGroup) GenerateShare(rand io.Reader) (Private, []byte, error) {
	seed := make([]byte, mlkem.SeedSize)
	defer clear(seed)
	if _, err := io.ReadFull(rand, seed); err != nil {
		return nil, nil, fmt.Errorf("kex: %s: read ml-kem seed: %w", NameX25519MLKEM768, err)
	}
	dk, err := mlkem.NewDecapsulationKey768(seed)
	if err != nil {
		return nil, nil, fmt.Errorf("kex: %s: %w", NameX25519MLKEM768, err)
	}
	x, err := newX25519().newPrivateKey(rand)
	if err != nil {
		return nil, nil, err
	}
	share := make([]byte, 0, hybridClientLen)
	share = append(share, dk.EncapsulationKey().Bytes()...)
	share = append(share, x.PublicKey().Bytes()...)
	return &hybridPrivate{dk: dk, x: x}, share, nil
}

// Respond validates both parts of the client's share (the encapsulation
// key's coefficients must be reduced mod q, FIPS 203, Section 7.2; the
// X25519 point must not be of low order), encapsulates to the ML-KEM key
// with the system CSPRNG and runs X25519 with a scalar from rand.
func (hybridGroup) Respond(rand io.Reader, peerShare []byte) (share, secret []byte, err error) {
	if len(peerShare) != hybridClientLen {
		return nil, nil, ErrInvalidShare
	}
	ek, err := mlkem.NewEncapsulationKey768(peerShare[:mlkem.EncapsulationKeySize768])
	if err != nil {
		return nil, nil, ErrInvalidShare
	}
	peerX, err := ecdh.X25519().NewPublicKey(peerShare[mlkem.EncapsulationKeySize768:])
	if err != nil {
		return nil, nil, ErrInvalidShare
	}
	x, err := newX25519().newPrivateKey(rand)
	if err != nil {
		return nil, nil, err
	}
	xSecret, err := x.ECDH(peerX)
	if err != nil {
		return nil, nil, ErrInvalidShare
	}
	defer clear(xSecret)
	kemSecret, ciphertext := ek.Encapsulate()
	defer clear(kemSecret)

	share = make([]byte, 0, hybridServerLen)
	share = append(share, ciphertext...)
	share = append(share, x.PublicKey().Bytes()...)
	secret = make([]byte, 0, hybridSecretLen)
	secret = append(secret, kemSecret...)
	secret = append(secret, xSecret...)
	return share, secret, nil
}

// hybridPrivate is the client's ML-KEM decapsulation key and X25519 key.
// Both libraries keep their secrets in unexported fields; Erase drops our
// references so that they become garbage.
type hybridPrivate struct {
	dk *mlkem.DecapsulationKey768
	x  *ecdh.PrivateKey
}

// Finish validates the server's share and combines both secrets. ML-KEM
// decapsulation rejects only a ciphertext of the wrong length; any other
// tampered ciphertext yields an unrelated secret (implicit rejection,
// FIPS 203, Section 6.3), which the handshake's Finished MAC then catches.
func (p *hybridPrivate) Finish(peerShare []byte) ([]byte, error) {
	dk, x := p.dk, p.x
	if dk == nil || x == nil {
		return nil, errKeyUsed
	}
	p.Erase()
	if len(peerShare) != hybridServerLen {
		return nil, ErrInvalidShare
	}
	peerX, err := ecdh.X25519().NewPublicKey(peerShare[mlkem.CiphertextSize768:])
	if err != nil {
		return nil, ErrInvalidShare
	}
	xSecret, err := x.ECDH(peerX)
	if err != nil {
		return nil, ErrInvalidShare
	}
	defer clear(xSecret)
	kemSecret, err := dk.Decapsulate(peerShare[:mlkem.CiphertextSize768])
	if err != nil {
		return nil, ErrInvalidShare
	}
	defer clear(kemSecret)
	secret := make([]byte, 0, hybridSecretLen)
	secret = append(secret, kemSecret...)
	secret = append(secret, xSecret...)
	return secret, nil
}

// Erase drops both private keys.
func (p *hybridPrivate) Erase() {
	p.dk = nil
	p.x = nil
}
