package pki

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"testing"
	"time"
)

// forgedLoop builds a leaf and n CA certificates that all share one name
// and one key, so that each of them verifies the signature of every other:
// a chain anyone can forge, which no root anchors.
func forgedLoop(t testing.TB, n int) (leaf *x509.Certificate, loop []*x509.Certificate) {
	t.Helper()
	pub, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	name := pkix.Name{CommonName: "Loop"}
	parent := &x509.Certificate{Subject: name, PublicKey: pub}
	leaf = sign(t, &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "device-1"},
		NotBefore:    testNow.Add(-time.Hour),
		NotAfter:     testNow.Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}, parent, pub, key)
	for i := range n {
		tmpl := caTemplate(t, "Loop")
		tmpl.SerialNumber = big.NewInt(int64(i + 2))
		loop = append(loop, sign(t, tmpl, parent, pub, key))
	}
	return leaf, loop
}

func TestAForgedLoopOfIssuersIsRefusedWithBoundedWork(t *testing.T) {
	root := newTestRoot(t, "Test Root", nil)
	v, err := NewValidator(ValidatorOptions{Roots: []*x509.Certificate{root.cert}, CRLs: [][]byte{root.crl(t, nil)}, CheckRevocation: true, Now: fixedClock})
	if err != nil {
		t.Fatal(err)
	}

	t.Run("a peer's chain of the most certificates allowed is refused as unknown", func(t *testing.T) {
		leaf, loop := forgedLoop(t, maxChainCerts-1)
		if _, err := v.Verify(ders(append([]*x509.Certificate{leaf}, loop...)...), UsageClient, ""); ReasonOf(err) != ReasonUnknownAuthority {
			t.Fatalf("got %v, want unknown authority", err)
		}
	})

	t.Run("a loop too large to walk stops at the signature check budget", func(t *testing.T) {
		leaf, loop := forgedLoop(t, 3*maxSignatureChecks/2)
		b := &pathBuilder{now: testNow, anchors: v.anchors, issuers: []*certIndex{v.configured, newCertIndex(loop)}}
		if _, err := b.buildPaths(leaf); ReasonOf(err) != ReasonUnknownAuthority {
			t.Fatalf("got %v, want unknown authority", err)
		}
		if b.checks != maxSignatureChecks {
			t.Fatalf("%d signature checks, want the budget of %d", b.checks, maxSignatureChecks)
		}
		if err := v.VerifyCert(leaf, loop, UsageClient, ""); ReasonOf(err) != ReasonUnknownAuthority {
			t.Fatalf("VerifyCert: got %v, want unknown authority", err)
		}
	})
}

func TestPathBuildingTriesConfiguredCertificatesFirst(t *testing.T) {
	root := newTestRoot(t, "Test Root", nil)
	inter := root.subCA(t, "Test Intermediate", nil)
	leaf := inter.leaf(t, nil)
	// The peer sends an expired certificate of the same intermediate (same
	// name and key): the configured one is tried first and completes the
	// path, so the peer's flaw is not what decides.
	expired := &testCA{cert: sign(t, func() *x509.Certificate {
		c := caTemplate(t, "Test Intermediate")
		c.NotAfter = testNow.Add(-time.Hour)
		return c
	}(), root.cert, inter.cert.PublicKey, root.key), key: inter.key}
	v, err := NewValidator(ValidatorOptions{Roots: []*x509.Certificate{root.cert}, Intermediates: []*x509.Certificate{inter.cert}, Now: fixedClock})
	if err != nil {
		t.Fatal(err)
	}
	b := &pathBuilder{now: testNow, anchors: v.anchors, issuers: []*certIndex{v.configured, newCertIndex([]*x509.Certificate{expired.cert})}}
	paths, err := b.buildPaths(leaf.cert)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 1 || paths[0][1] != inter.cert || paths[0][2] != root.cert {
		t.Fatalf("got %d paths, want one through the configured intermediate", len(paths))
	}
	if ReasonOf(b.fault) != ReasonExpired {
		t.Fatalf("the peer's expired copy should have been considered after the configured one, fault %v", b.fault)
	}
	if err := v.VerifyCert(leaf.cert, []*x509.Certificate{expired.cert}, UsageClient, ""); err != nil {
		t.Fatalf("VerifyCert: %v", err)
	}
}

// BenchmarkVerifyForgedLoop measures the refusal of a forged chain of the
// largest size a peer may send, whose CA certificates all sign each other.
func BenchmarkVerifyForgedLoop(b *testing.B) {
	root := newTestRoot(b, "Bench Root", nil)
	v, err := NewValidator(ValidatorOptions{Roots: []*x509.Certificate{root.cert}, Now: fixedClock})
	if err != nil {
		b.Fatal(err)
	}
	leaf, loop := forgedLoop(b, maxChainCerts-1)
	chain := ders(append([]*x509.Certificate{leaf}, loop...)...)
	for b.Loop() {
		if _, err := v.Verify(chain, UsageClient, ""); ReasonOf(err) != ReasonUnknownAuthority {
			b.Fatal(err)
		}
	}
}
