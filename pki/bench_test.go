package pki

import (
	"crypto/x509"
	"math/big"
	"testing"
)

// BenchmarkVerifyChain measures one chain verification (leaf and
// intermediate under a root, ECDSA P-256, revocation checked against both
// CRLs), cached (a repeated handshake with the same chain) and uncached.
func BenchmarkVerifyChain(b *testing.B) {
	root := newTestRoot(b, "Bench Root", nil)
	inter := root.subCA(b, "Bench Intermediate", nil)
	leaf := inter.leaf(b, nil)
	revoked := make([]*big.Int, 1000)
	for i := range revoked {
		revoked[i] = mustSerial(b)
	}
	crls := [][]byte{root.crl(b, nil), inter.crl(b, nil, revoked...)}
	chain := ders(leaf.cert, inter.cert)
	newV := func() *Validator {
		v, err := NewValidator(ValidatorOptions{Roots: []*x509.Certificate{root.cert}, CRLs: crls, CheckRevocation: true, Now: fixedClock})
		if err != nil {
			b.Fatal(err)
		}
		return v
	}
	b.Run("cached", func(b *testing.B) {
		v := newV()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := v.Verify(chain, UsageServer, "media.example"); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "verifications/s")
	})
	b.Run("uncached", func(b *testing.B) {
		v := newV()
		b.ReportAllocs()
		for b.Loop() {
			if err := v.VerifyCert(leaf.cert, []*x509.Certificate{inter.cert}, UsageServer, "media.example"); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "verifications/s")
	})
}
