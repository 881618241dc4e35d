package pki

import (
	"crypto/x509"
	"testing"
)

func TestSetTrustReplacesTheAnchorsAndKeepsTheCRLsAndTheirBound(t *testing.T) {
	root := newTestRoot(t, "Root A", nil)
	inter := root.subCA(t, "Intermediate A", nil)
	leaf := inter.leaf(t, nil)
	other := newTestRoot(t, "Root B", nil)
	v, err := NewValidator(ValidatorOptions{Roots: []*x509.Certificate{root.cert}, Intermediates: []*x509.Certificate{inter.cert},
		CRLs: [][]byte{root.crl(t, crlNumber(5)), inter.crl(t, crlNumber(5))}, CheckRevocation: true, Now: fixedClock})
	if err != nil {
		t.Fatal(err)
	}
	chain := ders(leaf.cert) // the intermediate comes from the validator's own
	if _, err := v.Verify(chain, UsageServer, ""); err != nil {
		t.Fatalf("under root A: %v", err)
	}

	// Root A withdrawn: the cached success goes with it.
	if err := v.SetTrust([]*x509.Certificate{other.cert}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(chain, UsageServer, ""); ReasonOf(err) != ReasonUnknownAuthority {
		t.Fatalf("after root A was withdrawn: %v (reason %v)", err, ReasonOf(err))
	}
	if err := v.VerifyCert(leaf.cert, nil, UsageServer, ""); err == nil {
		t.Fatal("VerifyCert still trusts root A")
	}

	// Root A back: the CRLs were kept, and so was their rollback bound.
	if err := v.SetTrust([]*x509.Certificate{root.cert}, []*x509.Certificate{inter.cert}); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(chain, UsageServer, ""); err != nil {
		t.Fatalf("root A trusted again: %v", err)
	}
	if err := v.SetCRLs([][]byte{root.crl(t, crlNumber(4)), inter.crl(t, crlNumber(4))}); ReasonOf(err) != ReasonCRLRollback {
		t.Fatalf("older CRLs after SetTrust: %v", err)
	}

	if err := v.SetTrust(nil, nil); err == nil {
		t.Fatal("SetTrust accepted no root")
	}
	if _, err := v.Verify(chain, UsageServer, ""); err != nil {
		t.Fatalf("a refused SetTrust changed the trust: %v", err)
	}
}
