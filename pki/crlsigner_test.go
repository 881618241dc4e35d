package pki

import (
	"crypto/x509"
	"math/big"
	"testing"
)

// A revoked intermediate holds a key that can sign CRLs. It must not be
// able to sign a CRL in its root's name (a huge CRLNumber, no entries) that
// wins as the newest root CRL, un-revokes it, and then blocks the root's
// genuine CRLs as a rollback.
func TestARevokedIntermediateCannotSignACRLInItsRootsName(t *testing.T) {
	root := newTestRoot(t, "Test Root", func(c *x509.Certificate) { c.SubjectKeyId = []byte{1} })
	inter := root.subCA(t, "Test Intermediate", func(c *x509.Certificate) { c.SubjectKeyId = []byte{2} })
	leaf := inter.leaf(t, nil)
	chain := ders(leaf.cert, inter.cert)
	number := func(n *big.Int) func(*x509.RevocationList) {
		return func(r *x509.RevocationList) { r.Number = n }
	}
	rootRevokingInter := root.crl(t, number(big.NewInt(5)), inter.cert.SerialNumber)
	interCRL := inter.crl(t, nil)
	huge := new(big.Int).Lsh(big.NewInt(1), 40)
	rootName := root.cert.RawSubject

	for _, forgery := range []struct {
		name  string
		keyID []byte
	}{
		{"a forged root crl carrying the intermediate's key id", inter.cert.SubjectKeyId},
		{"a forged root crl carrying the root's key id", root.cert.SubjectKeyId},
	} {
		t.Run(forgery.name+" neither un-revokes nor blocks genuine crls", func(t *testing.T) {
			inRootsName := &x509.Certificate{
				RawSubject: root.cert.RawSubject, SubjectKeyId: forgery.keyID,
				KeyUsage: x509.KeyUsageCRLSign, BasicConstraintsValid: true, IsCA: true,
			}
			forged := crlBy(t, inRootsName, inter.key, number(huge))
			v, err := NewValidator(ValidatorOptions{
				Roots:           []*x509.Certificate{root.cert},
				Intermediates:   []*x509.Certificate{inter.cert},
				CRLs:            [][]byte{rootRevokingInter, interCRL, forged},
				CheckRevocation: true,
				Now:             fixedClock,
			})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := v.Verify(chain, UsageServer, ""); ReasonOf(err) != ReasonRevoked {
				t.Fatalf("with the forged crl beside the genuine one: got %v, want revoked", err)
			}
			if hi := v.highest[nameKey(rootName)]; hi == nil || hi.Cmp(big.NewInt(5)) != 0 {
				t.Fatalf("highest root crl number %v, want 5: the forged crl must not count", hi)
			}

			if err := v.SetCRLs([][]byte{interCRL, forged}); err != nil {
				t.Fatalf("loading the forged crl alone: %v", err)
			}
			if _, err := v.Verify(chain, UsageServer, ""); err == nil || ReasonOf(err) == ReasonRevoked {
				t.Fatalf("with only the forged root crl: got %v, want a crl failure", err)
			}
			if hi := v.highest[nameKey(rootName)]; hi.Cmp(big.NewInt(5)) != 0 {
				t.Fatalf("highest root crl number %v after a refused crl, want 5", hi)
			}

			if err := v.SetCRLs([][]byte{root.crl(t, number(big.NewInt(6))), interCRL, forged}); err != nil {
				t.Fatalf("a genuine newer root crl: %v", err)
			}
			if _, err := v.Verify(chain, UsageServer, ""); err != nil {
				t.Fatalf("a genuine root crl no longer revoking the intermediate: %v", err)
			}
			if err := v.SetCRLs([][]byte{root.crl(t, number(big.NewInt(7)), inter.cert.SerialNumber), interCRL}); err != nil {
				t.Fatalf("a genuine newer root crl: %v", err)
			}
			if _, err := v.Verify(chain, UsageServer, ""); ReasonOf(err) != ReasonRevoked {
				t.Fatalf("a genuine root crl revoking the intermediate again: got %v, want revoked", err)
			}
		})
	}

	t.Run("a delegated root crl signer sent by the peer is not used", func(t *testing.T) {
		// A genuine delegate of the root, sent in the chain but not
		// configured, signs a root crl that does not revoke the
		// intermediate.
		signer := root.leaf(t, func(c *x509.Certificate) {
			c.KeyUsage, c.ExtKeyUsage, c.DNSNames = x509.KeyUsageCRLSign, nil, nil
			c.RawSubject, c.SubjectKeyId = root.cert.RawSubject, []byte{3}
		})
		asRoot := &x509.Certificate{RawSubject: root.cert.RawSubject, SubjectKeyId: signer.cert.SubjectKeyId, KeyUsage: x509.KeyUsageCRLSign}
		byPeerSigner := crlBy(t, asRoot, signer.key, number(huge))
		crls := [][]byte{rootRevokingInter, interCRL, byPeerSigner}
		v, err := NewValidator(ValidatorOptions{Roots: []*x509.Certificate{root.cert}, CRLs: crls, CheckRevocation: true, Now: fixedClock})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := v.Verify(ders(leaf.cert, inter.cert, signer.cert), UsageServer, ""); ReasonOf(err) != ReasonRevoked {
			t.Fatalf("got %v, want revoked", err)
		}
		// Configured by the operator, the same delegate is trusted.
		v, err = NewValidator(ValidatorOptions{Roots: []*x509.Certificate{root.cert}, Intermediates: []*x509.Certificate{signer.cert}, CRLs: crls, CheckRevocation: true, Now: fixedClock})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := v.Verify(chain, UsageServer, ""); err != nil {
			t.Fatalf("with the delegate configured: %v", err)
		}
	})
}
