package pki

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"testing"
	"time"
)

// testNow is the fixed validation time of the table tests.
var testNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

func fixedClock() time.Time { return testNow }

// testCA is a CA certificate and its key, built on the fly for a test.
type testCA struct {
	cert *x509.Certificate
	key  crypto.Signer
}

func newKey(t testing.TB) crypto.Signer {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func mustSerial(t testing.TB) *big.Int {
	t.Helper()
	s, err := randomSerial()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func sign(t testing.TB, tmpl, parent *x509.Certificate, pub crypto.PublicKey, key crypto.Signer) *x509.Certificate {
	t.Helper()
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func caTemplate(t testing.TB, name string) *x509.Certificate {
	return &x509.Certificate{
		SerialNumber:          mustSerial(t),
		Subject:               pkix.Name{CommonName: name},
		NotBefore:             testNow.Add(-24 * time.Hour),
		NotAfter:              testNow.Add(365 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLen:            -1,
	}
}

// newTestRoot makes a self-signed root; mutate may change the template.
func newTestRoot(t testing.TB, name string, mutate func(*x509.Certificate)) *testCA {
	t.Helper()
	key := newKey(t)
	tmpl := caTemplate(t, name)
	tmpl.MaxPathLen = 1
	if mutate != nil {
		mutate(tmpl)
	}
	return &testCA{cert: sign(t, tmpl, tmpl, key.Public(), key), key: key}
}

// subCA makes an intermediate CA (pathLen 0 unless mutate says otherwise).
func (ca *testCA) subCA(t testing.TB, name string, mutate func(*x509.Certificate)) *testCA {
	t.Helper()
	key := newKey(t)
	tmpl := caTemplate(t, name)
	tmpl.MaxPathLen, tmpl.MaxPathLenZero = 0, true
	if mutate != nil {
		mutate(tmpl)
	}
	return &testCA{cert: sign(t, tmpl, ca.cert, key.Public(), ca.key), key: key}
}

// leaf issues a leaf valid for server and client authentication with the
// SAN media.example; mutate may introduce a flaw.
func (ca *testCA) leaf(t testing.TB, mutate func(*x509.Certificate)) *testCA {
	t.Helper()
	key := newKey(t)
	tmpl := &x509.Certificate{
		SerialNumber:          mustSerial(t),
		Subject:               pkix.Name{CommonName: "device-1"},
		NotBefore:             testNow.Add(-time.Hour),
		NotAfter:              testNow.Add(30 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		BasicConstraintsValid: true,
		DNSNames:              []string{"media.example"},
	}
	if mutate != nil {
		mutate(tmpl)
	}
	return &testCA{cert: sign(t, tmpl, ca.cert, key.Public(), ca.key), key: key}
}

// crl makes a CRL signed by ca listing serials (reason keyCompromise);
// mutate may change the template (times, number, extensions).
func (ca *testCA) crl(t testing.TB, mutate func(*x509.RevocationList), serials ...*big.Int) []byte {
	t.Helper()
	return crlBy(t, ca.cert, ca.key, mutate, serials...)
}

// crlNumber makes a CRL mutation setting its CRLNumber.
func crlNumber(n int64) func(*x509.RevocationList) {
	return func(r *x509.RevocationList) { r.Number = big.NewInt(n) }
}

func crlBy(t testing.TB, issuer *x509.Certificate, key crypto.Signer, mutate func(*x509.RevocationList), serials ...*big.Int) []byte {
	t.Helper()
	tmpl := &x509.RevocationList{
		Number:     big.NewInt(1),
		ThisUpdate: testNow.Add(-time.Hour),
		NextUpdate: testNow.Add(24 * time.Hour),
	}
	for _, s := range serials {
		tmpl.RevokedCertificateEntries = append(tmpl.RevokedCertificateEntries, x509.RevocationListEntry{
			SerialNumber: s, RevocationTime: testNow.Add(-time.Minute), ReasonCode: 1,
		})
	}
	if mutate != nil {
		mutate(tmpl)
	}
	der, err := x509.CreateRevocationList(rand.Reader, tmpl, issuer, key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func ders(certs ...*x509.Certificate) [][]byte {
	out := make([][]byte, len(certs))
	for i, c := range certs {
		out[i] = c.Raw
	}
	return out
}
