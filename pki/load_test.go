package pki

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseCertificatesAcceptsPEMAndDER(t *testing.T) {
	root := newTestRoot(t, "Test Root", nil)
	inter := root.subCA(t, "Test Intermediate", nil)
	leaf := inter.leaf(t, nil)
	chainPEM := certPEM(leaf.cert, inter.cert)
	tests := []struct {
		name  string
		data  []byte
		count int
	}{
		{"a PEM chain gives every certificate in order", chainPEM, 2},
		{"a PEM chain with explanatory text between blocks is accepted", append([]byte("subject=CN=device-1\n"), chainPEM...), 2},
		{"a DER certificate is accepted", leaf.cert.Raw, 1},
		{"concatenated DER certificates are accepted", append(append([]byte{}, leaf.cert.Raw...), inter.cert.Raw...), 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			certs, err := ParseCertificates(tc.data)
			if err != nil {
				t.Fatal(err)
			}
			if len(certs) != tc.count || !certs[0].Equal(leaf.cert) {
				t.Fatalf("got %d certificates, want %d with the leaf first", len(certs), tc.count)
			}
		})
	}
}

func TestParseCertificatesRefusesBadInputClearly(t *testing.T) {
	root := newTestRoot(t, "Test Root", nil)
	p := certPEM(root.cert)
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty input is refused", nil, "empty input"},
		{"text garbage is refused", []byte("hello world"), "neither PEM nor DER"},
		{"a truncated PEM block is refused", p[:len(p)-30], "truncated or malformed PEM"},
		{"truncated DER is refused", root.cert.Raw[:len(root.cert.Raw)-10], "certificate 1"},
		{"PEM followed by DER is refused", append(append([]byte{}, p...), root.cert.Raw...), "mixed PEM and DER"},
		{"DER followed by PEM is refused", append(append([]byte{}, root.cert.Raw...), p...), "mixed PEM and DER"},
		{"a private key block is refused", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{1}}), `unexpected PEM block "PRIVATE KEY"`},
		{"a PEM block with garbage inside is refused", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte("garbage")}), "certificate 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseCertificates(tc.data)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestLoadCRLsReadsPEMAndDERFiles(t *testing.T) {
	root := newTestRoot(t, "Test Root", nil)
	der := root.crl(t, nil)
	dir := t.TempDir()
	derPath := filepath.Join(dir, "a.crl")
	pemPath := filepath.Join(dir, "b.crl")
	badPath := filepath.Join(dir, "bad.crl")
	os.WriteFile(derPath, der, 0o644)
	os.WriteFile(pemPath, pem.EncodeToMemory(&pem.Block{Type: pemCRL, Bytes: der}), 0o644)
	os.WriteFile(badPath, der[:len(der)/2], 0o644)
	crls, err := LoadCRLs(derPath, pemPath)
	if err != nil {
		t.Fatal(err)
	}
	if len(crls) != 2 || !bytes.Equal(crls[0], der) || !bytes.Equal(crls[1], der) {
		t.Fatal("the two encodings should give the same DER")
	}
	if _, err := LoadCRLs(badPath); err == nil || !strings.Contains(err.Error(), "bad.crl") {
		t.Fatalf("a truncated crl: got %v, want an error naming the file", err)
	}
	if _, err := LoadCertificates(derPath); err == nil {
		t.Fatal("a crl is not a certificate")
	}
}

func FuzzParseCertificates(f *testing.F) {
	root := newTestRoot(f, "Fuzz Root", nil)
	f.Add(root.cert.Raw)
	f.Add(certPEM(root.cert))
	f.Add([]byte("-----BEGIN CERTIFICATE-----\n"))
	f.Add([]byte{0x30, 0x82, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, data []byte) {
		certs, err := ParseCertificates(data)
		if err == nil && len(certs) == 0 {
			t.Fatal("no error and no certificate")
		}
	})
}

func FuzzParseCRLs(f *testing.F) {
	root := newTestRoot(f, "Fuzz Root", nil)
	der := root.crl(f, nil, mustSerial(f))
	f.Add(der)
	f.Add(pem.EncodeToMemory(&pem.Block{Type: pemCRL, Bytes: der}))
	f.Add([]byte("-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		crls, err := ParseCRLs(data)
		if err != nil {
			return
		}
		// Whatever parses must also load into a validator without panic.
		v, err := NewValidator(ValidatorOptions{Roots: []*x509.Certificate{root.cert}, CRLs: crls, CheckRevocation: true, Now: fixedClock})
		if err != nil {
			return
		}
		v.VerifyCert(root.cert, nil, UsageAny, "")
	})
}
