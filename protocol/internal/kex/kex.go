// Package kex holds the key-exchange groups of the session protocol
// (DESIGN.md §4, "Groups"): x25519, p256, p384, ffdhe2048, ffdhe3072 and the
// hybrid x25519mlkem768, behind one interface so that a Diffie-Hellman group
// and a KEM look the same to the handshake of package protocol.
//
// The flow is the one of a TLS 1.3 key share: the client generates an
// ephemeral key and sends its share; the server validates that share,
// responds with its own and gets the shared secret; the client validates the
// server's share and finishes. Every invalid peer value is ErrInvalidShare.
//
// Our own private values come from the rand the caller injects, so that a
// handshake replays exactly under a fixed source (DESIGN.md §4: the protocol
// uses no randomness it was not given). The one exception is ML-KEM
// encapsulation, which crypto/mlkem always draws from the system CSPRNG.
package kex

import (
	"errors"
	"fmt"
	"io"
)

// Group is one key-exchange group.
type Group interface {
	// Name returns the group's protocol name, as listed by Names.
	Name() string
	// GenerateShare makes the client's ephemeral key from rand and
	// returns it with its public share.
	GenerateShare(rand io.Reader) (Private, []byte, error)
	// Respond validates the client's share, makes the server's ephemeral
	// key from rand (erased before returning) and returns the server's
	// share and the shared secret.
	Respond(rand io.Reader, peerShare []byte) (share, secret []byte, err error)
}

// Private is the client's ephemeral key, kept between GenerateShare and
// Finish.
type Private interface {
	// Finish validates the server's share and returns the shared secret.
	// It may be called once: the key is erased whatever the outcome, so
	// a second call fails.
	Finish(peerShare []byte) (secret []byte, err error)
	// Erase zeroes the private key material we hold. It is safe to call
	// more than once.
	Erase()
}

// Group names, as they appear in the handshake.
const (
	NameX25519MLKEM768 = "x25519mlkem768"
	NameX25519         = "x25519"
	NameP256           = "p256"
	NameP384           = "p384"
	NameFFDHE2048      = "ffdhe2048"
	NameFFDHE3072      = "ffdhe3072"
)

// ErrInvalidShare reports a peer key share that is not a valid element of
// the group: wrong length, a point not on the curve, a low-order point, a
// finite-field value outside the prime-order subgroup, an invalid ML-KEM
// encapsulation key or ciphertext.
var ErrInvalidShare = errors.New("kex: invalid key share")

// errKeyUsed reports a second Finish on the same private key.
var errKeyUsed = errors.New("kex: private key already used or erased")

// Names returns all group names in the default preference order: the
// post-quantum hybrid first, then the elliptic curves, then the finite
// fields, strongest first.
func Names() []string {
	return []string{
		NameX25519MLKEM768,
		NameX25519,
		NameP256,
		NameP384,
		NameFFDHE3072,
		NameFFDHE2048,
	}
}

// ByName returns the group called name.
func ByName(name string) (Group, error) {
	switch name {
	case NameX25519MLKEM768:
		return hybridGroup{}, nil
	case NameX25519:
		return newX25519(), nil
	case NameP256:
		return newP256(), nil
	case NameP384:
		return newP384(), nil
	case NameFFDHE2048:
		return newFFDHE2048(), nil
	case NameFFDHE3072:
		return newFFDHE3072(), nil
	default:
		return nil, fmt.Errorf("kex: unknown group %q", name)
	}
}
