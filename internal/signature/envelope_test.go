package signature

import (
	"bytes"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"testing"
	"time"
)

var testLimits = EnvelopeLimits{MaxLen: 4 << 10, MaxChain: 2}

// selfSigned is a throwaway Ed25519 signer and its certificate.
func selfSigned(t testing.TB) (crypto.Signer, []byte) {
	t.Helper()
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "signer"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	return key, der
}

// trustLeaf accepts exactly the chain whose leaf is der.
func trustLeaf(der []byte) func([][]byte) (*x509.Certificate, error) {
	return func(chain [][]byte) (*x509.Certificate, error) {
		if len(chain) == 0 || !bytes.Equal(chain[0], der) {
			return nil, errors.New("untrusted")
		}
		return x509.ParseCertificate(chain[0])
	}
}

func TestAnEnvelopeVerifiesOnlyUnderItsContextAndSigner(t *testing.T) {
	key, cert := selfSigned(t)
	otherKey, otherCert := selfSigned(t)
	body := []byte("the object")
	signed, err := SignEnvelope(key, "ctx A", body, [][]byte{cert}, testLimits)
	if err != nil {
		t.Fatal(err)
	}
	e, err := ParseEnvelope(signed, testLimits)
	if err != nil {
		t.Fatal(err)
	}
	if leaf, err := e.Verify("ctx A", trustLeaf(cert)); err != nil || !bytes.Equal(leaf.Raw, cert) || !bytes.Equal(e.Body, body) {
		t.Fatalf("a genuine envelope: leaf %v, err %v", leaf, err)
	}
	if _, err := e.Verify("ctx B", trustLeaf(cert)); !errors.Is(err, ErrInvalid) {
		t.Fatalf("an envelope for one context verified for another: %v", err)
	}
	if _, err := e.Verify("ctx A", trustLeaf(otherCert)); err == nil || errors.Is(err, ErrInvalid) {
		t.Fatalf("an untrusted chain: %v, want the validator's error", err)
	}
	if _, err := e.Verify("ctx A", func([][]byte) (*x509.Certificate, error) { return nil, nil }); !errors.Is(err, ErrInvalid) {
		t.Fatalf("a validator that returns no leaf: %v", err)
	}
	impostor, err := SignEnvelope(otherKey, "ctx A", body, [][]byte{cert}, testLimits)
	if err != nil {
		t.Fatal(err)
	}
	if e, err := ParseEnvelope(impostor, testLimits); err != nil {
		t.Fatal(err)
	} else if _, err := e.Verify("ctx A", trustLeaf(cert)); !errors.Is(err, ErrInvalid) {
		t.Fatalf("an envelope signed by another key than its leaf's: %v", err)
	}
	t.Run("every flipped bit is refused", func(t *testing.T) {
		for i := range signed {
			b := bytes.Clone(signed)
			b[i] ^= 0x01
			if e, err := ParseEnvelope(b, testLimits); err == nil {
				if _, err := e.Verify("ctx A", trustLeaf(cert)); err == nil {
					t.Fatalf("flipping byte %d still verifies", i)
				}
			}
		}
	})
}

func TestEnvelopeLimitsHoldBothWays(t *testing.T) {
	key, cert := selfSigned(t)
	for _, tc := range []struct {
		name  string
		body  []byte
		chain [][]byte
	}{
		{"no chain", []byte("x"), nil},
		{"a chain longer than the limit", []byte("x"), [][]byte{cert, cert, cert}},
		{"an empty certificate", []byte("x"), [][]byte{{}}},
		{"a certificate over MaxCertificateLen", []byte("x"), [][]byte{make([]byte, MaxCertificateLen+1)}},
		{"an envelope over MaxLen", make([]byte, testLimits.MaxLen), [][]byte{cert}},
	} {
		t.Run(tc.name+" is not signed", func(t *testing.T) {
			if _, err := SignEnvelope(key, "ctx", tc.body, tc.chain, testLimits); err == nil {
				t.Fatal("signed")
			}
		})
	}
	signed, err := SignEnvelope(key, "ctx", []byte("x"), [][]byte{cert, cert}, testLimits)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		b    []byte
		l    EnvelopeLimits
	}{
		{"a chain longer than the decoder's limit", signed, EnvelopeLimits{MaxLen: testLimits.MaxLen, MaxChain: 1}},
		{"an envelope longer than the decoder's limit", signed, EnvelopeLimits{MaxLen: len(signed) - 1, MaxChain: 2}},
		{"trailing bytes", append(bytes.Clone(signed), 0), testLimits},
		{"a truncated envelope", signed[:len(signed)-1], testLimits},
		{"another version", append([]byte{2}, signed[1:]...), testLimits},
		{"nothing", nil, testLimits},
	} {
		t.Run(tc.name+" is refused", func(t *testing.T) {
			if _, err := ParseEnvelope(tc.b, tc.l); !errors.Is(err, ErrEnvelope) {
				t.Fatalf("ParseEnvelope = %v", err)
			}
		})
	}
}

// FuzzParseEnvelope: the decoder never panics and accepts only the
// canonical encoding.
func FuzzParseEnvelope(f *testing.F) {
	key, cert := selfSigned(f)
	signed, err := SignEnvelope(key, "ctx", []byte("body"), [][]byte{cert}, testLimits)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(signed)
	f.Add([]byte{1, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0x04, 0x03, 0, 1, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := ParseEnvelope(b, testLimits)
		if err != nil {
			return
		}
		again, err := e.Marshal(testLimits)
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("re-encoding differs: %v", err)
		}
	})
}
