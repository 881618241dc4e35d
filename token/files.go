package token

import (
	"securemedia/internal/fsutil"

	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
)

// maxPEMFile bounds a key or chain file read by this package.
const maxPEMFile = 256 << 10

// maxChainLength bounds the certificates in a chain file.
const maxChainLength = 8

// readKey reads a PKCS#8 PEM private key.
func readKey(path string) (crypto.Signer, error) {
	b, err := fsutil.ReadFileLimit(path, maxPEMFile)
	if err != nil {
		return nil, err
	}
	defer clear(b)
	block, _ := pem.Decode(b)
	if block == nil || block.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("%s: no PKCS#8 \"PRIVATE KEY\" PEM block", path)
	}
	defer clear(block.Bytes)
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	s, ok := k.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("%s: key of type %T cannot sign", path, k)
	}
	return s, nil
}

// readChain reads PEM certificates, leaf first.
func readChain(path string) ([]*x509.Certificate, error) {
	b, err := fsutil.ReadFileLimit(path, maxPEMFile)
	if err != nil {
		return nil, err
	}
	var out []*x509.Certificate
	for {
		var block *pem.Block
		block, b = pem.Decode(b)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		if len(out) == maxChainLength {
			return nil, fmt.Errorf("%s: more than %d certificates", path, maxChainLength)
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%s: certificate %d: %w", path, len(out)+1, err)
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, errors.New(path + ": no certificate")
	}
	return out, nil
}
