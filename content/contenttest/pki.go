// Package contenttest is a throwaway content-signing PKI for the tests of
// the packages that sign manifests (media) and check them (content): a
// root and two leaves, one that may sign content and one that may not,
// and a small stand-in for the PKI validator with the content usage.
package contenttest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"math/big"
	"testing"
	"time"
)

// contentEKU stands in for the PKI's content-signing EKU: VerifyChain
// accepts only leaves that carry it.
var contentEKU = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 55555, 1, 1}

// PKI is a root and two leaves: one for content signing, one not.
type PKI struct {
	Root                   *x509.Certificate
	ContentKey, OtherKey   crypto.Signer
	ContentLeaf, OtherLeaf []byte
}

// NewPKI makes a fresh PKI (ECDSA P-256 keys, valid for an hour).
func NewPKI(t testing.TB) *PKI {
	t.Helper()
	rootKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	rootTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test root"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	rootDER, err := x509.CreateCertificate(rand.Reader, rootTmpl, rootTmpl, rootKey.Public(), rootKey)
	if err != nil {
		t.Fatal(err)
	}
	root, _ := x509.ParseCertificate(rootDER)
	leaf := func(serial int64, ekus []asn1.ObjectIdentifier) (crypto.Signer, []byte) {
		k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: "leaf"},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
			KeyUsage: x509.KeyUsageDigitalSignature, UnknownExtKeyUsage: ekus,
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, root, k.Public(), rootKey)
		if err != nil {
			t.Fatal(err)
		}
		return k, der
	}
	p := &PKI{Root: root}
	p.ContentKey, p.ContentLeaf = leaf(2, []asn1.ObjectIdentifier{contentEKU})
	p.OtherKey, p.OtherLeaf = leaf(3, nil)
	return p
}

// VerifyChain is a small stand-in for the PKI validator with the content
// usage: the leaf must be issued by the root and carry the content EKU.
func (p *PKI) VerifyChain(chain [][]byte) (*x509.Certificate, error) {
	if len(chain) == 0 {
		return nil, errors.New("empty chain")
	}
	leaf, err := x509.ParseCertificate(chain[0])
	if err != nil {
		return nil, err
	}
	if err := leaf.CheckSignatureFrom(p.Root); err != nil {
		return nil, err
	}
	for _, u := range leaf.UnknownExtKeyUsage {
		if u.Equal(contentEKU) {
			return leaf, nil
		}
	}
	return nil, errors.New("not a content-signing certificate")
}
