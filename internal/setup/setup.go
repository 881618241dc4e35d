// Package setup turns the configuration files into the objects the server
// and the client share: an identity (chain and key), a chain validator with
// revocation, and the protocol preferences. It is wiring only; the logic
// lives in pki and protocol.
package setup

import (
	"crypto"
	"crypto/x509"
	"fmt"

	"securemedia/internal/config"
	"securemedia/pki"
	"securemedia/protocol"
)

// LoadIdentity reads a PEM chain (leaf first) and its key, and checks
// that they match.
func LoadIdentity(certPath, keyPath string, passphrase func() ([]byte, error)) ([][]byte, crypto.Signer, error) {
	certs, err := pki.LoadCertificates(certPath)
	if err != nil {
		return nil, nil, fmt.Errorf("certificate: %w", err)
	}
	key, err := pki.LoadSigner(keyPath, passphrase)
	if err != nil {
		return nil, nil, fmt.Errorf("key: %w", err)
	}
	if !samePublicKey(key.Public(), certs[0].PublicKey) {
		return nil, nil, fmt.Errorf("key %s does not match certificate %s", keyPath, certPath)
	}
	chain := make([][]byte, len(certs))
	for i, c := range certs {
		chain[i] = c.Raw
	}
	return chain, key, nil
}

// NewValidator builds a chain validator from trust files and CRLs.
func NewValidator(roots, intermediates []string, crls [][]byte, revocation bool) (*pki.Validator, error) {
	r, err := pki.LoadCertificates(roots...)
	if err != nil {
		return nil, fmt.Errorf("roots: %w", err)
	}
	var inter []*x509.Certificate
	if len(intermediates) > 0 {
		if inter, err = pki.LoadCertificates(intermediates...); err != nil {
			return nil, fmt.Errorf("intermediates: %w", err)
		}
	}
	return pki.NewValidator(pki.ValidatorOptions{Roots: r, Intermediates: inter, CRLs: crls, CheckRevocation: revocation})
}

// ProtocolConfig turns the [protocol] section into a protocol.Config
// without identity.
func ProtocolConfig(p config.Protocol) (*protocol.Config, error) {
	pc := &protocol.Config{Rekey: protocol.RekeyPolicy{Chunks: p.RekeyChunks, Bytes: p.RekeyBytes, Age: p.RekeyAge}}
	for _, n := range p.Suites {
		id, err := protocol.ParseSuite(n)
		if err != nil {
			return nil, err
		}
		pc.Suites = append(pc.Suites, id)
	}
	for _, n := range p.Groups {
		id, err := protocol.ParseGroup(n)
		if err != nil {
			return nil, err
		}
		pc.Groups = append(pc.Groups, id)
	}
	return pc, nil
}

// samePublicKey reports whether two public keys are equal.
func samePublicKey(a, b crypto.PublicKey) bool {
	ka, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && ka.Equal(b)
}
