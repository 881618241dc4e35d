package signature

import (
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"

	"golang.org/x/crypto/cryptobyte"
)

// The signed envelope is the one format of every signed object the system
// hands out: content manifests (DESIGN.md §8) and license tokens (§7). All
// integers are big-endian:
//
//	struct {
//	    uint8  version = 1;
//	    opaque body<0..2^32-1>;         // the object, in its own encoding
//	    uint8  chain_length;            // 1..EnvelopeLimits.MaxChain
//	    opaque certificate<1..2^24-1>;  // chain_length times: DER, leaf first
//	    uint16 scheme;                  // Scheme
//	    opaque signature<1..2^16-1>;
//	} SignedEnvelope;
//
// The signature covers Message(context, SHA-256(body)): each kind of object
// has its own context, so a manifest never verifies as a token nor the
// other way round. The chain is outside the signature: the caller's
// validator decides whether its leaf may sign this kind of object.
const envelopeVersion = 1

// Limits every envelope shares.
const (
	// MaxCertificateLen bounds one DER certificate of the chain.
	MaxCertificateLen = 16 << 10
	// MaxSignatureLen bounds the signature (RSA-8192 with room to spare).
	MaxSignatureLen = 1024
)

// EnvelopeLimits bound what one kind of object may carry.
type EnvelopeLimits struct {
	// MaxLen bounds the whole encoded envelope.
	MaxLen int
	// MaxChain bounds the certificates of the signer chain (1..255).
	MaxChain int
}

// ErrEnvelope is returned for an envelope that does not decode.
var ErrEnvelope = errors.New("signature: malformed signed envelope")

// Envelope is a decoded, not yet verified, signed envelope.
type Envelope struct {
	Body      []byte
	Chain     [][]byte
	Scheme    Scheme
	Signature []byte
}

// SignEnvelope signs body under context with signer and encodes it with the
// signer's chain (DER, leaf first) within l.
func SignEnvelope(signer crypto.Signer, context string, body []byte, chain [][]byte, l EnvelopeLimits) ([]byte, error) {
	digest := sha256.Sum256(body)
	scheme, sig, err := Sign(signer, context, digest[:], Options{})
	if err != nil {
		return nil, err
	}
	return (&Envelope{Body: body, Chain: chain, Scheme: scheme, Signature: sig}).Marshal(l)
}

// Marshal encodes the envelope; it refuses what ParseEnvelope would refuse.
func (e *Envelope) Marshal(l EnvelopeLimits) ([]byte, error) {
	if len(e.Chain) == 0 || len(e.Chain) > l.MaxChain || len(e.Chain) > 255 {
		return nil, fmt.Errorf("signature: signer chain of %d certificates (want 1..%d)", len(e.Chain), l.MaxChain)
	}
	if len(e.Signature) == 0 || len(e.Signature) > MaxSignatureLen {
		return nil, fmt.Errorf("signature: signature of %d bytes", len(e.Signature))
	}
	var b cryptobyte.Builder
	b.AddUint8(envelopeVersion)
	b.AddUint32LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(e.Body) })
	b.AddUint8(uint8(len(e.Chain)))
	for _, c := range e.Chain {
		if len(c) == 0 || len(c) > MaxCertificateLen {
			return nil, fmt.Errorf("signature: signer certificate of %d bytes", len(c))
		}
		b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(c) })
	}
	b.AddUint16(uint16(e.Scheme))
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(e.Signature) })
	out, err := b.Bytes()
	if err != nil {
		return nil, err
	}
	if len(out) > l.MaxLen {
		return nil, fmt.Errorf("signature: signed envelope of %d bytes exceeds %d", len(out), l.MaxLen)
	}
	return out, nil
}

// ParseEnvelope decodes b strictly within l: only the exact encoding
// Marshal produces is accepted. Nothing is verified yet.
func ParseEnvelope(b []byte, l EnvelopeLimits) (*Envelope, error) {
	if len(b) > l.MaxLen {
		return nil, ErrEnvelope
	}
	s := cryptobyte.String(b)
	var version, n uint8
	var bodyLen uint32
	var e Envelope
	if !s.ReadUint8(&version) || version != envelopeVersion ||
		!s.ReadUint32(&bodyLen) || !s.ReadBytes(&e.Body, int(bodyLen)) ||
		!s.ReadUint8(&n) || n == 0 || int(n) > l.MaxChain {
		return nil, ErrEnvelope
	}
	for range n {
		var c []byte
		if !s.ReadUint24LengthPrefixed((*cryptobyte.String)(&c)) || len(c) == 0 || len(c) > MaxCertificateLen {
			return nil, ErrEnvelope
		}
		e.Chain = append(e.Chain, c)
	}
	var scheme uint16
	if !s.ReadUint16(&scheme) || !s.ReadUint16LengthPrefixed((*cryptobyte.String)(&e.Signature)) ||
		len(e.Signature) == 0 || len(e.Signature) > MaxSignatureLen || !s.Empty() {
		return nil, ErrEnvelope
	}
	e.Scheme = Scheme(scheme)
	return &e, nil
}

// Verify has verifyChain validate the signer chain (the caller's validator
// checks the trust anchors, revocation and that the leaf may sign this kind
// of object) and checks the signature under the leaf's key for context. It
// returns the verified leaf. An error of verifyChain is wrapped; every
// other failure is ErrInvalid.
func (e *Envelope) Verify(context string, verifyChain func(chain [][]byte) (*x509.Certificate, error)) (*x509.Certificate, error) {
	leaf, err := verifyChain(e.Chain)
	if err != nil {
		return nil, fmt.Errorf("signer chain: %w", err)
	}
	if leaf == nil {
		return nil, ErrInvalid
	}
	digest := sha256.Sum256(e.Body)
	if err := Verify(leaf.PublicKey, e.Scheme, context, digest[:], e.Signature, false); err != nil {
		return nil, err
	}
	return leaf, nil
}
