// Package kdf holds the key-schedule primitives of the session protocol
// (DESIGN.md §4): HKDF-Extract, HKDF-Expand-Label, Derive-Secret and the
// Finished MAC, modelled on RFC 8446, Section 7.1.
//
// It sits under the handshake and record layers of package protocol, which
// chain these functions into the key schedule; this package knows nothing of
// messages or states, only of secrets, labels and transcript hashes.
//
// The only difference from TLS 1.3 is the label prefix (LabelPrefix instead
// of "tls13 "), so keys derived here can never collide with a TLS 1.3
// session that happens to share a secret.
package kdf

import (
	"crypto"
	"crypto/hkdf"
	"crypto/hmac"
	_ "crypto/sha256" // registers crypto.SHA256 for crypto.Hash.New
	_ "crypto/sha512" // registers crypto.SHA384 for crypto.Hash.New
	"fmt"
	"hash"
)

// LabelPrefix is the prefix of every HkdfLabel label in this protocol, in the
// place where TLS 1.3 writes "tls13 " (RFC 8446, Section 7.1).
const LabelPrefix = "securemedia1 "

// Limits of the HkdfLabel encoding (RFC 8446, Section 7.1):
// opaque label<7..255>, opaque context<0..255>.
const (
	maxLabelLen   = 255
	maxContextLen = 255
	// maxExpandBlocks is HKDF's limit on output length in hash blocks
	// (RFC 5869, Section 2.3).
	maxExpandBlocks = 255
)

// Extract is HKDF-Extract (RFC 5869, Section 2.2) with the hash h. A nil salt
// stands for h.Size() zero bytes, as in RFC 8446, Section 7.1.
func Extract(h crypto.Hash, salt, ikm []byte) []byte {
	newHash := hashFunc(h)
	if salt == nil {
		salt = make([]byte, h.Size())
	}
	prk, err := hkdf.Extract(newHash, ikm, salt)
	if err != nil {
		// hkdf.Extract fails only in FIPS 140-only mode for short keys,
		// which this product does not run in: a broken invariant.
		panic(fmt.Sprintf("kdf: hkdf extract: %v", err))
	}
	return prk
}

// ExpandLabel is HKDF-Expand-Label (RFC 8446, Section 7.1) with LabelPrefix.
// It panics when length exceeds 255*h.Size(), the label is too long or the
// context exceeds 255 bytes: all three are programmer errors, since labels
// are constants and contexts are transcript hashes.
func ExpandLabel(h crypto.Hash, secret []byte, label string, context []byte, length int) []byte {
	return expandLabel(h, LabelPrefix, secret, label, context, length)
}

// DeriveSecret is Derive-Secret (RFC 8446, Section 7.1): ExpandLabel of the
// transcript hash with an output as long as the hash.
func DeriveSecret(h crypto.Hash, secret []byte, label string, transcriptHash []byte) []byte {
	return deriveSecret(h, LabelPrefix, secret, label, transcriptHash)
}

// Finished computes the Finished MAC of RFC 8446, Section 4.4.4:
// HMAC(finished_key, transcriptHash) with
// finished_key = ExpandLabel(baseKey, "finished", "", h.Size()).
// Callers compare it with hmac.Equal, never with ==.
func Finished(h crypto.Hash, baseKey, transcriptHash []byte) []byte {
	return finished(h, LabelPrefix, baseKey, transcriptHash)
}

// Erase overwrites every byte of each slice with zero. Go may have left
// copies elsewhere (moved stacks, hash states); this clears the ones we hold.
func Erase(b ...[]byte) {
	for _, s := range b {
		clear(s)
	}
}

// expandLabel is ExpandLabel with the prefix as a parameter, so that the
// known-answer tests can run the same code with TLS 1.3's "tls13 ".
func expandLabel(h crypto.Hash, prefix string, secret []byte, label string, context []byte, length int) []byte {
	newHash := hashFunc(h)
	if length < 0 || length > maxExpandBlocks*h.Size() {
		panic(fmt.Sprintf("kdf: expand length %d out of range for %v", length, h))
	}
	info := hkdfLabel(prefix, label, context, length)
	out, err := hkdf.Expand(newHash, secret, string(info), length)
	if err != nil {
		panic(fmt.Sprintf("kdf: hkdf expand: %v", err))
	}
	return out
}

// hkdfLabel encodes the HkdfLabel structure of RFC 8446, Section 7.1:
//
//	struct {
//	    uint16 length = Length;
//	    opaque label<7..255> = prefix + Label;
//	    opaque context<0..255> = Context;
//	} HkdfLabel;
func hkdfLabel(prefix, label string, context []byte, length int) []byte {
	fullLen := len(prefix) + len(label)
	if fullLen > maxLabelLen {
		panic(fmt.Sprintf("kdf: label %q too long", label))
	}
	if len(context) > maxContextLen {
		panic(fmt.Sprintf("kdf: context of %d bytes too long", len(context)))
	}
	b := make([]byte, 0, 2+1+fullLen+1+len(context))
	b = append(b, byte(length>>8), byte(length))
	b = append(b, byte(fullLen))
	b = append(b, prefix...)
	b = append(b, label...)
	b = append(b, byte(len(context)))
	b = append(b, context...)
	return b
}

func deriveSecret(h crypto.Hash, prefix string, secret []byte, label string, transcriptHash []byte) []byte {
	return expandLabel(h, prefix, secret, label, transcriptHash, h.Size())
}

func finished(h crypto.Hash, prefix string, baseKey, transcriptHash []byte) []byte {
	finishedKey := expandLabel(h, prefix, baseKey, "finished", nil, h.Size())
	defer Erase(finishedKey)
	mac := hmac.New(hashFunc(h), finishedKey)
	mac.Write(transcriptHash)
	return mac.Sum(nil)
}

// hashFunc returns the constructor of h, restricted to the two hashes the
// suites use (DESIGN.md §4). Any other value is a programmer error.
func hashFunc(h crypto.Hash) func() hash.Hash {
	switch h {
	case crypto.SHA256, crypto.SHA384:
		return h.New
	default:
		panic(fmt.Sprintf("kdf: unsupported hash %v", h))
	}
}
