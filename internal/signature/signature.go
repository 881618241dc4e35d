// Package signature signs and verifies with the key of a certificate, the one
// way the whole system does it: the handshake's CertificateVerify (DESIGN.md
// §4), content manifests (§8) and license tokens (§7).
//
// What is signed is never a bare value: it is a context string that names the
// purpose, a zero byte, and the content (usually a hash), as in RFC 8446
// §4.4.3. A signature made for one purpose therefore never verifies for
// another. The scheme follows the key: Ed25519, ECDSA P-256 with SHA-256,
// ECDSA P-384 with SHA-384, RSA-PSS with SHA-256; RSA PKCS#1 v1.5 with SHA-256
// only when the caller allows it (identity cards that cannot do PSS).
//
// Signed objects that travel or rest on their own (content manifests and
// license tokens) share one format, the Envelope: a body, the signer's
// chain, the scheme and the signature, each kind of object under its own
// context.
package signature

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"fmt"
	"io"
)

// Scheme identifies a signature algorithm; the values are the TLS
// SignatureScheme code points so that they are familiar in a hex dump.
type Scheme uint16

// The supported schemes.
const (
	RSAPKCS1SHA256 Scheme = 0x0401
	ECDSAP256      Scheme = 0x0403
	ECDSAP384      Scheme = 0x0503
	RSAPSSSHA256   Scheme = 0x0804
	Ed25519        Scheme = 0x0807
)

// ErrInvalid is returned for every signature that does not verify, whatever
// the reason, so that callers cannot become an oracle.
var ErrInvalid = errors.New("signature: invalid signature")

// minRSABits is the smallest RSA modulus accepted for signatures.
const minRSABits = 2048

func (s Scheme) String() string {
	switch s {
	case RSAPKCS1SHA256:
		return "rsa_pkcs1_sha256"
	case ECDSAP256:
		return "ecdsa_secp256r1_sha256"
	case ECDSAP384:
		return "ecdsa_secp384r1_sha384"
	case RSAPSSSHA256:
		return "rsa_pss_rsae_sha256"
	case Ed25519:
		return "ed25519"
	}
	return fmt.Sprintf("scheme(0x%04x)", uint16(s))
}

// Options tune Sign.
type Options struct {
	// AllowPKCS1 makes Sign use RSA PKCS#1 v1.5 for RSA keys (identity cards
	// whose middleware cannot do PSS).
	AllowPKCS1 bool
	// Rand is the randomness for the signature; nil means crypto/rand.
	Rand io.Reader
}

// Message builds the signed bytes: 64 spaces, the context, a zero byte, and
// the content (RFC 8446 §4.4.3 layout).
func Message(context string, content []byte) []byte {
	var b bytes.Buffer
	b.Grow(64 + len(context) + 1 + len(content))
	b.Write(bytes.Repeat([]byte{0x20}, 64))
	b.WriteString(context)
	b.WriteByte(0)
	b.Write(content)
	return b.Bytes()
}

// SchemeFor picks the scheme for a public key.
func SchemeFor(pub crypto.PublicKey, allowPKCS1 bool) (Scheme, error) {
	switch k := pub.(type) {
	case ed25519.PublicKey:
		return Ed25519, nil
	case *ecdsa.PublicKey:
		switch k.Curve {
		case elliptic.P256():
			return ECDSAP256, nil
		case elliptic.P384():
			return ECDSAP384, nil
		}
		return 0, fmt.Errorf("signature: unsupported ECDSA curve %s", k.Curve.Params().Name)
	case *rsa.PublicKey:
		if k.N.BitLen() < minRSABits {
			return 0, fmt.Errorf("signature: RSA key of %d bits is too short", k.N.BitLen())
		}
		if allowPKCS1 {
			return RSAPKCS1SHA256, nil
		}
		return RSAPSSSHA256, nil
	}
	return 0, fmt.Errorf("signature: unsupported key type %T", pub)
}

// Sign signs context‖0‖content with signer and returns the scheme used.
func Sign(signer crypto.Signer, context string, content []byte, o Options) (Scheme, []byte, error) {
	scheme, err := SchemeFor(signer.Public(), o.AllowPKCS1)
	if err != nil {
		return 0, nil, err
	}
	r := o.Rand
	if r == nil {
		r = rand.Reader
	}
	msg := Message(context, content)
	digest, opts := prepare(scheme, msg)
	sig, err := signer.Sign(r, digest, opts)
	if err != nil {
		return 0, nil, fmt.Errorf("signature: sign with %s: %w", scheme, err)
	}
	return scheme, sig, nil
}

// Verify checks sig over context‖0‖content under pub with scheme. The scheme
// must be the one the key type calls for (no algorithm substitution); PKCS#1
// v1.5 is accepted only when allowPKCS1 is set.
func Verify(pub crypto.PublicKey, scheme Scheme, context string, content, sig []byte, allowPKCS1 bool) error {
	want, err := SchemeFor(pub, scheme == RSAPKCS1SHA256 && allowPKCS1)
	if err != nil {
		return ErrInvalid
	}
	if want != scheme {
		return ErrInvalid
	}
	msg := Message(context, content)
	digest, opts := prepare(scheme, msg)
	switch k := pub.(type) {
	case ed25519.PublicKey:
		if !ed25519.Verify(k, msg, sig) {
			return ErrInvalid
		}
	case *ecdsa.PublicKey:
		if !ecdsa.VerifyASN1(k, digest, sig) {
			return ErrInvalid
		}
	case *rsa.PublicKey:
		var err error
		if scheme == RSAPSSSHA256 {
			err = rsa.VerifyPSS(k, crypto.SHA256, digest, sig, opts.(*rsa.PSSOptions))
		} else {
			err = rsa.VerifyPKCS1v15(k, crypto.SHA256, digest, sig)
		}
		if err != nil {
			return ErrInvalid
		}
	default:
		return ErrInvalid
	}
	return nil
}

// prepare returns what crypto.Signer.Sign takes for scheme: the digest (or
// the whole message for Ed25519) and the signer options.
func prepare(scheme Scheme, msg []byte) ([]byte, crypto.SignerOpts) {
	switch scheme {
	case Ed25519:
		return msg, crypto.Hash(0)
	case ECDSAP384:
		d := sha512.Sum384(msg)
		return d[:], crypto.SHA384
	case RSAPSSSHA256:
		d := sha256.Sum256(msg)
		return d[:], &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash, Hash: crypto.SHA256}
	default: // ECDSAP256, RSAPKCS1SHA256
		d := sha256.Sum256(msg)
		return d[:], crypto.SHA256
	}
}
