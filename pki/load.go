package pki

import (
	"securemedia/internal/fsutil"

	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
)

// Size limits for files read from disk or from peers.
const (
	// maxCertFile bounds a certificate file (a chain of a few certificates).
	maxCertFile = 1 << 20
	// maxCRLFile bounds a CRL file; large enough for ~200,000 entries.
	maxCRLFile = 16 << 20
	// maxKeyFile bounds a private key file.
	maxKeyFile = 64 << 10
)

const (
	pemCertificate = "CERTIFICATE"
	pemCRL         = "X509 CRL"
)

// ParseCertificates parses one or more certificates from PEM (any number of
// CERTIFICATE blocks) or DER (one or more concatenated certificates). Mixed
// PEM and binary data, other PEM block types and truncated input are errors.
func ParseCertificates(data []byte) ([]*x509.Certificate, error) {
	ders, err := splitObjects(data, pemCertificate)
	if err != nil {
		return nil, err
	}
	var out []*x509.Certificate
	for i, der := range ders {
		certs, err := x509.ParseCertificates(der)
		if err != nil {
			return nil, fmt.Errorf("certificate %d: %w", i+1, err)
		}
		out = append(out, certs...)
	}
	if len(out) == 0 {
		return nil, errors.New("no certificate found")
	}
	return out, nil
}

// ParseCRLs parses one or more CRLs from PEM (X509 CRL blocks) or DER and
// returns their DER encodings; each is checked to parse.
func ParseCRLs(data []byte) ([][]byte, error) {
	ders, err := splitObjects(data, pemCRL)
	if err != nil {
		return nil, err
	}
	for i, der := range ders {
		if _, err := x509.ParseRevocationList(der); err != nil {
			return nil, fmt.Errorf("crl %d: %w", i+1, err)
		}
	}
	return ders, nil
}

// LoadCertificates reads certificates from files, each PEM or DER.
func LoadCertificates(paths ...string) ([]*x509.Certificate, error) {
	var out []*x509.Certificate
	for _, p := range paths {
		data, err := fsutil.ReadFileLimit(p, maxCertFile)
		if err != nil {
			return nil, err
		}
		certs, err := ParseCertificates(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		out = append(out, certs...)
	}
	return out, nil
}

// LoadCRLs reads CRLs from files, each PEM or DER, and returns their DER.
func LoadCRLs(paths ...string) ([][]byte, error) {
	var out [][]byte
	for _, p := range paths {
		data, err := fsutil.ReadFileLimit(p, maxCRLFile)
		if err != nil {
			return nil, err
		}
		crls, err := ParseCRLs(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		out = append(out, crls...)
	}
	return out, nil
}

// splitObjects returns the DER objects in data: the bodies of PEM blocks of
// type want, or data itself when it is not PEM. Explanatory text between
// PEM blocks is allowed (RFC 7468 §5.2) but binary data is not.
func splitObjects(data []byte, want string) ([][]byte, error) {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, errors.New("empty input")
	}
	if !bytes.Contains(trimmed, []byte("-----BEGIN ")) {
		if trimmed[0] != 0x30 {
			return nil, errors.New("neither PEM nor DER (a DER object starts with a SEQUENCE)")
		}
		return [][]byte{data}, nil
	}
	var out [][]byte
	rest := trimmed
	for len(bytes.TrimSpace(rest)) > 0 {
		start := bytes.Index(rest, []byte("-----BEGIN "))
		if start < 0 {
			if !isText(rest) {
				return nil, errors.New("binary data after the last PEM block (mixed PEM and DER?)")
			}
			break
		}
		if !isText(rest[:start]) {
			return nil, errors.New("binary data before a PEM block (mixed PEM and DER?)")
		}
		block, next := pem.Decode(rest[start:])
		if block == nil {
			return nil, errors.New("truncated or malformed PEM block")
		}
		if block.Type != want {
			return nil, fmt.Errorf("unexpected PEM block %q (want %q)", block.Type, want)
		}
		if len(block.Headers) > 0 {
			return nil, fmt.Errorf("unexpected headers in PEM block %q", block.Type)
		}
		out = append(out, block.Bytes)
		rest = next
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no %s PEM block found", want)
	}
	return out, nil
}

// isText reports whether b is printable ASCII text (explanatory lines).
func isText(b []byte) bool {
	for _, c := range b {
		if c != '\n' && c != '\r' && c != '\t' && (c < 0x20 || c > 0x7e) {
			return false
		}
	}
	return true
}
