package token

import (
	"crypto"
	"crypto/rsa"
	"encoding/asn1"
	"errors"
	"fmt"
	"io"
	"math/big"

	"github.com/miekg/pkcs11"
)

// Signer returns a crypto.Signer that signs with the token's authentication
// key. Its Public key is the certificate's. It signs a digest the caller
// computed: ECDSA (CKM_ECDSA, result DER-encoded), RSA-PSS when opts is
// *rsa.PSSOptions (CKM_RSA_PKCS_PSS, MGF1 with the same hash) and RSA
// PKCS#1 v1.5 otherwise (CKM_RSA_PKCS over the DigestInfo-prefixed digest).
func (s *Session) Signer() crypto.Signer { return &tokenSigner{s: s} }

type tokenSigner struct{ s *Session }

// Public is the certificate's key, which the token key was checked against at Open.
func (t *tokenSigner) Public() crypto.PublicKey { return t.s.cert.PublicKey }

// Sign signs digest on the token. The rand argument is unused: the token
// draws its own randomness for ECDSA nonces and PSS salts.
func (t *tokenSigner) Sign(_ io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	s := t.s
	if opts == nil {
		return nil, errors.New("token: sign: no signer options")
	}
	h := opts.HashFunc()
	if h == 0 || !h.Available() || len(digest) != h.Size() {
		return nil, fmt.Errorf("token: sign: digest of %d bytes does not match hash %v", len(digest), h)
	}
	mech, data, err := s.mechanismFor(digest, opts)
	if err != nil {
		return nil, err
	}
	s.m.lock()
	defer s.m.unlock()
	if s.closed || s.removed {
		if s.removed {
			return nil, fmt.Errorf("token: sign: %w", ErrTokenRemoved)
		}
		return nil, errors.New("token: sign: session is closed")
	}
	if err := s.m.ctx.SignInit(s.sh, []*pkcs11.Mechanism{mech}, s.key); err != nil {
		return nil, s.signError(err)
	}
	sig, err := s.m.ctx.Sign(s.sh, data)
	if err != nil {
		return nil, s.signError(err)
	}
	if s.keyType == pkcs11.CKK_EC {
		return ecdsaDER(sig)
	}
	return sig, nil
}

// signError classifies a failed signature; a token that went away, or
// was re-inserted and so forgot our login, makes the session unusable.
// m.mu is held.
func (s *Session) signError(err error) error {
	switch {
	case isCode(err, pkcs11.CKR_USER_NOT_LOGGED_IN):
		s.removed = true
		return fmt.Errorf("token: sign: %w (the token forgot the login: %v)", ErrTokenRemoved, err)
	case isCode(err, pkcs11.CKR_KEY_HANDLE_INVALID), isCode(err, pkcs11.CKR_OBJECT_HANDLE_INVALID):
		// The key was there at Open: a handle that stops being valid
		// means the token was removed, replaced or re-initialized.
		s.removed = true
		return fmt.Errorf("token: sign: %w (the key disappeared: %v)", ErrTokenRemoved, err)
	}
	return s.wrap("sign", err)
}

// mechanismFor picks the PKCS#11 mechanism and the bytes to sign.
func (s *Session) mechanismFor(digest []byte, opts crypto.SignerOpts) (*pkcs11.Mechanism, []byte, error) {
	h := opts.HashFunc()
	pss, isPSS := opts.(*rsa.PSSOptions)
	switch s.keyType {
	case pkcs11.CKK_EC:
		if isPSS {
			return nil, nil, errors.New("token: sign: PSS options for an EC key")
		}
		if !s.mechs[pkcs11.CKM_ECDSA] {
			return nil, nil, errors.New("token: sign: the token does not offer ECDSA")
		}
		return pkcs11.NewMechanism(pkcs11.CKM_ECDSA, nil), digest, nil
	case pkcs11.CKK_RSA:
		if isPSS {
			if !s.mechs[pkcs11.CKM_RSA_PKCS_PSS] {
				return nil, nil, errors.New("token: sign: the token does not offer RSA-PSS (use PKCS#1 v1.5)")
			}
			hashMech, mgf, err := pssHash(h)
			if err != nil {
				return nil, nil, err
			}
			salt := pss.SaltLength
			if salt == rsa.PSSSaltLengthEqualsHash || salt == rsa.PSSSaltLengthAuto {
				// Auto lets the signer choose; the hash length is the
				// choice every verifier accepts.
				salt = h.Size()
			}
			if salt < 0 {
				return nil, nil, fmt.Errorf("token: sign: invalid PSS salt length %d", pss.SaltLength)
			}
			return pkcs11.NewMechanism(pkcs11.CKM_RSA_PKCS_PSS, pkcs11.NewPSSParams(hashMech, mgf, uint(salt))), digest, nil
		}
		if !s.mechs[pkcs11.CKM_RSA_PKCS] {
			return nil, nil, errors.New("token: sign: the token does not offer RSA PKCS#1 v1.5")
		}
		prefix, ok := digestInfoPrefix[h]
		if !ok {
			return nil, nil, fmt.Errorf("token: sign: hash %v is not supported for PKCS#1 v1.5", h)
		}
		data := make([]byte, 0, len(prefix)+len(digest))
		return pkcs11.NewMechanism(pkcs11.CKM_RSA_PKCS, nil), append(append(data, prefix...), digest...), nil
	}
	return nil, nil, fmt.Errorf("token: sign: key type %s is not supported", keyTypeName(s.keyType))
}

func pssHash(h crypto.Hash) (hashMech, mgf uint, err error) {
	switch h {
	case crypto.SHA256:
		return pkcs11.CKM_SHA256, pkcs11.CKG_MGF1_SHA256, nil
	case crypto.SHA384:
		return pkcs11.CKM_SHA384, pkcs11.CKG_MGF1_SHA384, nil
	case crypto.SHA512:
		return pkcs11.CKM_SHA512, pkcs11.CKG_MGF1_SHA512, nil
	}
	return 0, 0, fmt.Errorf("token: sign: hash %v is not supported for RSA-PSS", h)
}

// digestInfoPrefix is the DER DigestInfo header before the digest in an
// RSA PKCS#1 v1.5 signature (RFC 8017 §9.2, note 1).
var digestInfoPrefix = map[crypto.Hash][]byte{
	crypto.SHA256: {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20},
	crypto.SHA384: {0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30},
	crypto.SHA512: {0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40},
}

// ecdsaDER converts the r‖s output of CKM_ECDSA (PKCS#11 §2.3.1) to the
// ASN.1 Ecdsa-Sig-Value that crypto/ecdsa verifies.
func ecdsaDER(raw []byte) ([]byte, error) {
	if len(raw) == 0 || len(raw)%2 != 0 || len(raw) > 2*66 {
		return nil, fmt.Errorf("token: sign: ECDSA signature of %d bytes", len(raw))
	}
	half := len(raw) / 2
	return asn1.Marshal(struct{ R, S *big.Int }{
		new(big.Int).SetBytes(raw[:half]),
		new(big.Int).SetBytes(raw[half:]),
	})
}
