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

	t.Run("each certificate of an 8-certificate loop is walked once", func(t *testing.T) {
		const n = 8
		leaf, loop := forgedLoop(t, n)
		d := v.newDiagnosis(loop, testNow)
		if err := d.issuersOf(leaf, 0); err != nil {
			t.Fatalf("the loop has no concrete fault to name, got %v", err)
		}
		// The leaf and each loop certificate have their n possible issuers
		// checked at most once: n+1 walks of at most n checks each. An
		// unmemoised walk to depth 8 makes about n^8 checks.
		if d.checks == 0 || d.checks > (n+1)*n {
			t.Fatalf("%d signature checks, want between 1 and %d", d.checks, (n+1)*n)
		}
		if len(d.visited) > n+1 {
			t.Fatalf("%d certificates walked, want at most %d", len(d.visited), n+1)
		}
	})

	t.Run("a loop too large to walk stops at the signature check budget", func(t *testing.T) {
		leaf, loop := forgedLoop(t, 3*maxDiagnoseChecks/2)
		d := v.newDiagnosis(loop, testNow)
		if err := d.issuersOf(leaf, 0); err != nil {
			t.Fatalf("got %v, want no diagnosis", err)
		}
		if d.checks != maxDiagnoseChecks {
			t.Fatalf("%d signature checks, want the budget of %d", d.checks, maxDiagnoseChecks)
		}
		if err := v.VerifyCert(leaf, loop, UsageClient, ""); ReasonOf(err) != ReasonUnknownAuthority {
			t.Fatalf("VerifyCert: got %v, want unknown authority", err)
		}
	})
}

func TestDiagnosisTriesConfiguredCertificatesFirstAndOnce(t *testing.T) {
	root := newTestRoot(t, "Test Root", nil)
	inter := root.subCA(t, "Test Intermediate", nil)
	v, err := NewValidator(ValidatorOptions{Roots: []*x509.Certificate{root.cert}, Intermediates: []*x509.Certificate{inter.cert}, Now: fixedClock})
	if err != nil {
		t.Fatal(err)
	}
	peer := root.subCA(t, "Peer Intermediate", nil)
	d := v.newDiagnosis([]*x509.Certificate{peer.cert, inter.cert, root.cert, nil}, testNow)
	want := []*x509.Certificate{root.cert, inter.cert, peer.cert}
	if len(d.candidates) != len(want) {
		t.Fatalf("%d candidates, want %d", len(d.candidates), len(want))
	}
	for i, c := range want {
		if d.candidates[i] != c {
			t.Errorf("candidate %d is %s, want %s", i, describe(d.candidates[i]), describe(c))
		}
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
