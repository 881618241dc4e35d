package pki

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"fmt"
	"strings"
)

// KeyAlgorithm selects the key type of a CA and of the keys it generates.
type KeyAlgorithm string

// The supported key algorithms. RSA keys sign with RSA-PSS.
const (
	ECDSAP256 KeyAlgorithm = "ecdsa-p256"
	ECDSAP384 KeyAlgorithm = "ecdsa-p384"
	Ed25519   KeyAlgorithm = "ed25519"
	RSA3072   KeyAlgorithm = "rsa-3072"
)

// KeyAlgorithms lists the accepted names, default first.
func KeyAlgorithms() []KeyAlgorithm { return []KeyAlgorithm{ECDSAP256, ECDSAP384, Ed25519, RSA3072} }

// ParseKeyAlgorithm parses a key algorithm name; "" means ECDSAP256.
func ParseKeyAlgorithm(s string) (KeyAlgorithm, error) {
	if s == "" {
		return ECDSAP256, nil
	}
	for _, a := range KeyAlgorithms() {
		if strings.EqualFold(s, string(a)) {
			return a, nil
		}
	}
	names := make([]string, 0, 4)
	for _, a := range KeyAlgorithms() {
		names = append(names, string(a))
	}
	return "", fmt.Errorf("unknown key algorithm %q (want one of %s)", s, strings.Join(names, ", "))
}

// GenerateKey returns a fresh key of algorithm a.
func GenerateKey(a KeyAlgorithm) (crypto.Signer, error) {
	switch a {
	case ECDSAP256, "":
		return ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case ECDSAP384:
		return ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	case Ed25519:
		_, k, err := ed25519.GenerateKey(rand.Reader)
		return k, err
	case RSA3072:
		return rsa.GenerateKey(rand.Reader, 3072)
	}
	return nil, fmt.Errorf("unknown key algorithm %q", a)
}

// algorithmOf names the algorithm of a key.
func algorithmOf(k crypto.PublicKey) (KeyAlgorithm, error) {
	switch k := k.(type) {
	case *ecdsa.PublicKey:
		switch k.Curve {
		case elliptic.P256():
			return ECDSAP256, nil
		case elliptic.P384():
			return ECDSAP384, nil
		}
	case ed25519.PublicKey:
		return Ed25519, nil
	case *rsa.PublicKey:
		if k.N.BitLen() >= 2048 {
			return RSA3072, nil
		}
	}
	return "", fmt.Errorf("unsupported public key %T", k)
}

// signatureAlgorithm picks the signature algorithm for a CA key: RSA-PSS
// for RSA (never PKCS#1 v1.5 for what we issue), the natural hash otherwise.
func signatureAlgorithm(k crypto.PublicKey) x509.SignatureAlgorithm {
	switch k := k.(type) {
	case *rsa.PublicKey:
		return x509.SHA256WithRSAPSS
	case *ecdsa.PublicKey:
		if k.Curve == elliptic.P384() {
			return x509.ECDSAWithSHA384
		}
		return x509.ECDSAWithSHA256
	case ed25519.PublicKey:
		return x509.PureEd25519
	}
	return x509.UnknownSignatureAlgorithm
}
