// Package aead is the record protection of the session protocol
// (DESIGN.md §4, "Suites" and "Records"): one Cipher per direction and
// epoch seals and opens records under the key and IV that the key schedule
// of package protocol derived, with a per-record nonce computed from the
// 64-bit sequence number, so no nonce travels on the wire.
//
// Four kinds cover the seven suites: ChaCha20-Poly1305, AES-128-GCM and
// AES-256-GCM (nonce as RFC 8446, Section 5.3), and AES-128-CBC with
// HMAC-SHA-256 or HMAC-SHA-384 in the encrypt-then-MAC composition of
// RFC 7518, Section 5.2.
package aead

import (
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"errors"
	"fmt"

	"golang.org/x/crypto/chacha20poly1305"
)

// Kind names the record protection algorithm of a suite.
type Kind uint8

// The record protection algorithms of DESIGN.md §4.
const (
	ChaCha20Poly1305 Kind = iota + 1
	AES128GCM
	AES256GCM
	AES128CBCHMAC
)

// String returns the algorithm's name.
func (k Kind) String() string {
	switch k {
	case ChaCha20Poly1305:
		return "ChaCha20-Poly1305"
	case AES128GCM:
		return "AES-128-GCM"
	case AES256GCM:
		return "AES-256-GCM"
	case AES128CBCHMAC:
		return "AES-128-CBC-HMAC"
	default:
		return fmt.Sprintf("Kind(%d)", uint8(k))
	}
}

// ErrAuthentication is the one error Open returns, whatever failed (length,
// tag, padding), so that a peer learns nothing from the kind of failure.
var ErrAuthentication = errors.New("aead: message authentication failed")

// Sizes of the per-record nonce inputs.
const (
	// aeadIVLen is the static IV of the AEAD kinds (RFC 8446, Section 5.3).
	aeadIVLen = 12
	// cbcIVKeyLen is the AES-128 key that turns a sequence number into the
	// CBC IV of a record.
	cbcIVKeyLen = 16
	// seqLen is the width of a sequence number.
	seqLen = 8
	// maxKeyLen is the longest key of any kind: CBC with SHA-384's 24-byte
	// MAC key and its 16-byte AES key.
	maxKeyLen = 24 + 16
)

// Sizes returns the key and IV lengths that the key schedule must derive
// for kind k under the suite hash h (crypto.SHA256 or crypto.SHA384).
func Sizes(k Kind, h crypto.Hash) (keyLen, ivLen int, err error) {
	if h != crypto.SHA256 && h != crypto.SHA384 {
		return 0, 0, fmt.Errorf("aead: unsupported hash %v", h)
	}
	switch k {
	case ChaCha20Poly1305:
		return chacha20poly1305.KeySize, aeadIVLen, nil
	case AES128GCM:
		return 16, aeadIVLen, nil
	case AES256GCM:
		return 32, aeadIVLen, nil
	case AES128CBCHMAC:
		macLen, err := cbcMACKeyLen(h)
		if err != nil {
			return 0, 0, err
		}
		return macLen + 16, cbcIVKeyLen, nil
	default:
		return 0, 0, fmt.Errorf("aead: unknown kind %v", k)
	}
}

// Cipher seals and opens the records of one direction and epoch. The nonce
// of each record is derived from its 64-bit sequence number, so the caller
// must never seal two records with the same number under one Cipher (the
// record layer's counter and rekey guarantee it). A Cipher is safe for
// concurrent use until Erase; it must not be used after Erase.
type Cipher struct {
	kind Kind
	aead cipher.AEAD
	// key is our copy of the key, kept only so that Erase can clear it.
	key []byte
	// iv is the static IV XORed with the sequence number (AEAD kinds).
	iv []byte
	// ivBlock encrypts the sequence number into the CBC IV (CBC kind).
	ivBlock cipher.Block
	// ivKey is the key of ivBlock, kept only so that Erase can clear it.
	ivKey []byte
	// material holds key and iv or ivKey inside the Cipher, so that they
	// cost no allocation of their own (the chunk path makes a Cipher per
	// chunk on both sides).
	material [maxKeyLen + cbcIVKeyLen]byte
}

// New returns the record Cipher of kind k under hash h with the given key
// and IV, whose lengths must be those of Sizes.
func New(k Kind, h crypto.Hash, key, iv []byte) (*Cipher, error) {
	keyLen, ivLen, err := Sizes(k, h)
	if err != nil {
		return nil, err
	}
	if len(key) != keyLen || len(iv) != ivLen {
		return nil, fmt.Errorf("aead: %v with %v: key and iv are %d and %d bytes, want %d and %d",
			k, h, len(key), len(iv), keyLen, ivLen)
	}
	c := &Cipher{kind: k}
	c.key = c.material[:keyLen:keyLen]
	copy(c.key, key)
	ivCopy := c.material[keyLen : keyLen+ivLen : keyLen+ivLen]
	copy(ivCopy, iv)
	switch k {
	case ChaCha20Poly1305:
		c.aead, err = chacha20poly1305.New(c.key)
	case AES128GCM, AES256GCM:
		var block cipher.Block
		if block, err = aes.NewCipher(c.key); err == nil {
			c.aead, err = cipher.NewGCM(block)
		}
	case AES128CBCHMAC:
		c.aead, err = NewCBCHMAC(c.key, h)
		if err == nil {
			c.ivKey = ivCopy
			c.ivBlock, err = aes.NewCipher(c.ivKey)
		}
	}
	if err != nil {
		c.Erase()
		return nil, fmt.Errorf("aead: new %v: %w", k, err)
	}
	if k != AES128CBCHMAC {
		c.iv = ivCopy
	}
	return c, nil
}

// Kind returns the algorithm of c.
func (c *Cipher) Kind() Kind { return c.kind }

// Seal encrypts and authenticates plaintext and the additional data aad
// (the record header) as record number seq, and appends the result to dst.
// Like cipher.AEAD, dst may be plaintext[:0] to seal in place.
func (c *Cipher) Seal(dst []byte, seq uint64, aad, plaintext []byte) []byte {
	var nonce [16]byte
	return c.aead.Seal(dst, c.nonce(&nonce, seq), plaintext, aad)
}

// Open authenticates and decrypts record number seq and appends the
// plaintext to dst. Any failure is ErrAuthentication. Like cipher.AEAD, dst
// may be ciphertext[:0] to open in place.
func (c *Cipher) Open(dst []byte, seq uint64, aad, ciphertext []byte) ([]byte, error) {
	var nonce [16]byte
	out, err := c.aead.Open(dst, c.nonce(&nonce, seq), ciphertext, aad)
	if err != nil {
		return nil, ErrAuthentication
	}
	return out, nil
}

// Overhead returns the largest number of bytes a record grows by when
// sealed: the tag, plus for CBC up to a full block of padding.
func (c *Cipher) Overhead() int { return c.aead.Overhead() }

// Erase zeroes every copy of key material that this package holds: the key,
// the IV, the CBC MAC key and IV key. The expanded AES key schedules inside
// crypto/aes and the key copy inside x/crypto's ChaCha20-Poly1305 cannot be
// reached from outside those packages; they become garbage once c is
// dropped.
func (c *Cipher) Erase() {
	clear(c.material[:])
	if cbc, ok := c.aead.(*cbcHMAC); ok {
		cbc.erase()
	}
}

// nonce writes the per-record nonce of seq into buf and returns it.
//
// AEAD kinds use RFC 8446, Section 5.3: the 64-bit sequence number,
// big-endian and right-aligned, XORed into the static 12-byte IV.
//
// The CBC kind needs an IV that an attacker cannot predict before the
// record is sealed: a predictable CBC IV lets a chosen-plaintext attacker
// test guesses of earlier blocks (the BEAST attack on TLS 1.0). The IV is
// therefore AES-128 under a separate IV key, applied to the block
// 0^8 || seq: a pseudorandom permutation of a counter, distinct for every
// record and unpredictable without the IV key, which never leaves the
// two endpoints and is never used for anything else.
func (c *Cipher) nonce(buf *[16]byte, seq uint64) []byte {
	if c.ivBlock != nil {
		binary.BigEndian.PutUint64(buf[seqLen:], seq)
		c.ivBlock.Encrypt(buf[:], buf[:])
		return buf[:]
	}
	n := buf[:len(c.iv)]
	copy(n, c.iv)
	var s [seqLen]byte
	binary.BigEndian.PutUint64(s[:], seq)
	for i := range seqLen {
		n[len(n)-seqLen+i] ^= s[i]
	}
	return n
}
