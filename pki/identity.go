package pki

import (
	"crypto"
	"fmt"
)

// LoadIdentity reads a certificate chain (PEM or DER, leaf first) and its
// private key, and checks that the key is the leaf's. It returns the chain
// as DER, as the session protocol and the signed envelopes carry it.
// passphrase is asked only when the key file is encrypted.
func LoadIdentity(certPath, keyPath string, passphrase func() ([]byte, error)) ([][]byte, crypto.Signer, error) {
	certs, err := LoadCertificates(certPath)
	if err != nil {
		return nil, nil, fmt.Errorf("certificate: %w", err)
	}
	key, err := LoadSigner(keyPath, passphrase)
	if err != nil {
		return nil, nil, fmt.Errorf("key: %w", err)
	}
	pub, ok := key.Public().(interface{ Equal(crypto.PublicKey) bool })
	if !ok || !pub.Equal(certs[0].PublicKey) {
		return nil, nil, fmt.Errorf("key %s does not match certificate %s", keyPath, certPath)
	}
	chain := make([][]byte, len(certs))
	for i, c := range certs {
		chain[i] = c.Raw
	}
	return chain, key, nil
}
