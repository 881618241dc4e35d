package pki

import (
	"crypto/x509"
	"encoding/asn1"
	"math/big"
	"testing"
	"time"
)

func TestStapledCRLsAreCheckedAndUsedLikeConfiguredOnes(t *testing.T) {
	root := newTestRoot(t, "Test Root", nil)
	inter := root.subCA(t, "Test Intermediate", nil)
	server := inter.leaf(t, nil)
	content := inter.leaf(t, func(c *x509.Certificate) {
		c.ExtKeyUsage, c.UnknownExtKeyUsage = nil, []asn1.ObjectIdentifier{OIDContentSigning}
	})
	chain := ders(server.cert, inter.cert)
	// A client with no local CRLs and revocation on.
	v, err := NewValidator(ValidatorOptions{Roots: []*x509.Certificate{root.cert}, CheckRevocation: true, Now: fixedClock})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(chain, UsageServer, ""); ReasonOf(err) != ReasonCRLMissing {
		t.Fatalf("without CRLs: got %v, want a missing CRL", err)
	}
	fresh := [][]byte{root.crl(t, crlNumber(2)), inter.crl(t, crlNumber(2))}
	if _, err := v.VerifyStapled(chain, fresh, UsageServer, ""); err != nil {
		t.Fatalf("with the stapled CRLs: %v", err)
	}
	// They stay for the chains that follow the handshake.
	if _, err := v.Verify(ders(content.cert, inter.cert), UsageContent, ""); err != nil {
		t.Fatalf("a content chain after the stapled handshake: %v", err)
	}
	// A reload of the (empty) local CRLs keeps them.
	if err := v.SetCRLs(nil); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(chain, UsageServer, ""); err != nil {
		t.Fatalf("after a reload of the local CRLs: %v", err)
	}

	tests := []struct {
		name string
		crls [][]byte
		want Reason
	}{
		{"a stapled CRL revoking the server", [][]byte{root.crl(t, crlNumber(3)), inter.crl(t, crlNumber(3), server.cert.SerialNumber)}, ReasonRevoked},
		{"a stapled CRL older than one already seen", [][]byte{root.crl(t, crlNumber(2)), inter.crl(t, crlNumber(1))}, ReasonCRLRollback},
		{"a stapled CRL signed by someone else", [][]byte{root.crl(t, crlNumber(4)), crlBy(t, inter.cert, newKey(t), crlNumber(4))}, ReasonCRLBadSignature},
		{"a stale stapled CRL", [][]byte{root.crl(t, crlNumber(5)), inter.crl(t, func(r *x509.RevocationList) {
			r.Number, r.ThisUpdate, r.NextUpdate = big.NewInt(5), testNow.Add(-2*time.Hour), testNow.Add(-time.Minute)
		})}, ReasonCRLStale},
		{"no stapled CRLs", nil, ReasonCRLMissing},
	}
	for _, tt := range tests {
		t.Run(tt.name+" refuses the server", func(t *testing.T) {
			if _, err := v.VerifyStapled(chain, tt.crls, UsageServer, ""); ReasonOf(err) != tt.want {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func TestCRLsOfChainAreThoseOfItsIssuers(t *testing.T) {
	root := newTestRoot(t, "Test Root", nil)
	inter := root.subCA(t, "Test Intermediate", nil)
	server := inter.leaf(t, nil)
	other := newTestRoot(t, "Partner Root", nil)
	rootCRL, interCRL, otherCRL := root.crl(t, nil), inter.crl(t, nil), other.crl(t, nil)
	all := [][]byte{otherCRL, interCRL, rootCRL}
	got, err := CRLsOfChain(all, ders(server.cert, inter.cert))
	if err != nil {
		t.Fatal(err)
	}
	if !equalDERs(got, [][]byte{interCRL, rootCRL}) {
		t.Fatalf("%d CRLs for leaf and intermediate, want the intermediate's and the root's", len(got))
	}
	if got, _ := CRLsOfChain(all, ders(server.cert)); !equalDERs(got, [][]byte{interCRL}) {
		t.Fatalf("%d CRLs for the leaf alone, want the intermediate's", len(got))
	}
	if _, err := CRLsOfChain([][]byte{[]byte("not a crl")}, ders(server.cert)); err == nil {
		t.Fatal("garbage accepted as a CRL")
	}
}
