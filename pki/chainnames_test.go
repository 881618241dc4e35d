package pki

import (
	"crypto/x509"
	"testing"
	"time"
)

// withName returns ca's certificate under another encoding of its name,
// with its key: what it issues and signs then carries that issuer name.
func (ca *testCA) withName(raw []byte) *testCA {
	c := *ca.cert
	c.RawSubject = raw
	return &testCA{cert: &c, key: ca.key}
}

// named sets a template's subject to a hand-built name.
func named(raw []byte, more ...func(*x509.Certificate)) func(*x509.Certificate) {
	return func(c *x509.Certificate) {
		c.RawSubject = raw
		for _, f := range more {
			f(c)
		}
	}
}

func keyID(id byte) func(*x509.Certificate) {
	return func(c *x509.Certificate) { c.SubjectKeyId = []byte{id, 0xa, 0xb, 0xc} }
}

// chainCase is one row of the chain tables below.
type chainCase struct {
	name          string
	chain         []*x509.Certificate
	roots         []*x509.Certificate
	intermediates []*x509.Certificate
	crls          [][]byte
	want          Reason
}

func runChainCases(t *testing.T, defaultRoots []*x509.Certificate, defaultCRLs [][]byte, tests []chainCase) {
	t.Helper()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			roots, crls := tc.roots, tc.crls
			if roots == nil {
				roots = defaultRoots
			}
			if crls == nil {
				crls = defaultCRLs
			}
			v, err := NewValidator(ValidatorOptions{Roots: roots, Intermediates: tc.intermediates, CRLs: crls, CheckRevocation: true, Now: fixedClock})
			if err != nil {
				t.Fatal(err)
			}
			_, err = v.Verify(ders(tc.chain...), UsageServer, "media.example")
			if got := ReasonOf(err); got != tc.want {
				t.Fatalf("Verify: reason %v, want %v (err: %v)", got, tc.want, err)
			}
			err = v.VerifyCert(tc.chain[0], tc.chain[1:], UsageServer, "media.example")
			if got := ReasonOf(err); got != tc.want {
				t.Fatalf("VerifyCert: reason %v, want %v (err: %v)", got, tc.want, err)
			}
			if err != nil {
				t.Logf("refused: %v", err)
			}
		})
	}
}

func TestChainsWhoseNamesMatchPerRFC5280(t *testing.T) {
	rootName := rawName(rdn(printable(oidCountry, "PT")), rdn(printable(oidOrg, "Acme Corp")), rdn(printable(oidCN, "Acme Root CA")))
	interName := rawName(rdn(printable(oidCountry, "PT")), rdn(printable(oidOrg, "Acme Corp")), rdn(printable(oidCN, "Acme Devices CA")))
	root := newTestRoot(t, "", named(rootName))
	inter := root.subCA(t, "", named(interName))
	rootCRL, interCRL := root.crl(t, nil), inter.crl(t, nil)

	// under issues a leaf from inter naming its issuer as given.
	under := func(issuer []byte) *x509.Certificate { return inter.withName(issuer).leaf(t, nil).cert }
	interAs := func(o, cn attr) []byte {
		return rawName(rdn(printable(oidCountry, "PT")), rdn(o), rdn(cn))
	}

	lowerUTF8Root := rawName(rdn(utf8s(oidCountry, "pt")), rdn(utf8s(oidOrg, "acme corp")), rdn(utf8s(oidCN, "acme root ca")))
	interUnderVariantRoot := root.withName(lowerUTF8Root).subCA(t, "", named(interName))

	multiName := rawName(rdn(printable(oidCountry, "PT")), rdn(printable(oidOrg, "Acme Corp"), printable(oidOrgUnit, "Devices")))
	multiInter := root.subCA(t, "", named(multiName))
	underMulti := multiInter.withName(rawName(rdn(printable(oidCountry, "PT")), rdn(utf8s(oidOrgUnit, "DEVICES"), utf8s(oidOrg, "acme corp")))).leaf(t, nil)

	revoked := under(interName)
	variantCRLName := interAs(utf8s(oidOrg, "ACME CORP"), bmp(oidCN, "acme devices ca"))
	variantCRL := crlBy(t, inter.withName(variantCRLName).cert, inter.key, nil)
	variantRevokingCRL := crlBy(t, inter.withName(variantCRLName).cert, inter.key, nil, revoked.SerialNumber)
	otherNameCRL := crlBy(t, inter.withName(interAs(printable(oidOrg, "Acme Corp"), printable(oidCN, "Acme Devices CA 2"))).cert, inter.key, nil)

	// A delegated crl signer of inter whose name is another encoding of
	// inter's, and one whose name differs.
	delegateNamed := func(raw []byte, id byte) *testCA {
		return inter.leaf(t, func(c *x509.Certificate) {
			c.KeyUsage, c.ExtKeyUsage, c.DNSNames = x509.KeyUsageCRLSign, nil, nil
			named(raw, keyID(id))(c)
		})
	}
	variantDelegate := delegateNamed(interAs(utf8s(oidOrg, "acme  corp"), utf8s(oidCN, "ACME DEVICES CA")), 1)
	variantDelegatedCRL := crlBy(t, variantDelegate.cert, variantDelegate.key, nil, revoked.SerialNumber)
	otherDelegate := delegateNamed(interAs(utf8s(oidOrg, "acme corp"), utf8s(oidCN, "acme device ca")), 2)
	otherDelegatedCRL := crlBy(t, otherDelegate.withName(interName).cert, otherDelegate.key, nil)

	// Name constraints are checked on byte-identical paths, and refused
	// on paths whose names match only after preparation.
	constrained := func(domain string) *testCA {
		return root.subCA(t, "", named(interName, func(c *x509.Certificate) { c.PermittedDNSDomains = []string{domain} }))
	}
	allowing, forbidding := constrained("media.example"), constrained("example.org")
	underAllowing, underForbidding := allowing.leaf(t, nil), forbidding.leaf(t, nil)
	underAllowingVariant := allowing.withName(variantCRLName).leaf(t, nil)
	constrainedCRLs := func(ca *testCA) [][]byte { return [][]byte{rootCRL, ca.crl(t, nil)} }

	tests := []chainCase{
		{name: "a leaf naming its issuer byte for byte is accepted", chain: []*x509.Certificate{under(interName), inter.cert}},
		{name: "a leaf naming its issuer in lower case is accepted",
			chain: []*x509.Certificate{under(interAs(printable(oidOrg, "acme corp"), printable(oidCN, "ACME DEVICES CA"))), inter.cert}},
		{name: "a leaf naming its issuer with extra leading, trailing and inner spaces is accepted",
			chain: []*x509.Certificate{under(interAs(printable(oidOrg, " Acme  Corp "), printable(oidCN, "Acme   Devices CA  "))), inter.cert}},
		{name: "a leaf naming its issuer in UTF8String where the CA uses PrintableString is accepted",
			chain: []*x509.Certificate{under(interAs(utf8s(oidOrg, "Acme Corp"), utf8s(oidCN, "Acme Devices CA"))), inter.cert}},
		{name: "a leaf naming its issuer in BMPString and TeletexString is accepted",
			chain: []*x509.Certificate{under(interAs(bmp(oidOrg, "Acme Corp"), teletex(oidCN, "acme devices ca"))), inter.cert}},
		{name: "a leaf naming its issuer in full-width letters is accepted",
			chain: []*x509.Certificate{under(interAs(utf8s(oidOrg, "Ａｃｍｅ Corp"), utf8s(oidCN, "Acme Devices CA"))), inter.cert}},
		{name: "an intermediate naming the root in another case and string type is accepted",
			chain: []*x509.Certificate{interUnderVariantRoot.leaf(t, nil).cert, interUnderVariantRoot.cert}, crls: [][]byte{rootCRL, interUnderVariantRoot.crl(t, nil)}},
		{name: "a leaf naming a multi-valued RDN of its issuer in another order is accepted",
			chain: []*x509.Certificate{underMulti.cert, multiInter.cert}, crls: [][]byte{rootCRL, multiInter.crl(t, nil)}},
		{name: "a leaf naming its issuer with one letter changed is refused",
			chain: []*x509.Certificate{under(interAs(printable(oidOrg, "Acme Corp"), printable(oidCN, "Acme Devices CB"))), inter.cert}, want: ReasonUnknownAuthority},
		{name: "a leaf naming its issuer without an inner space is refused",
			chain: []*x509.Certificate{under(interAs(printable(oidOrg, "AcmeCorp"), printable(oidCN, "Acme Devices CA"))), inter.cert}, want: ReasonUnknownAuthority},
		{name: "a leaf naming its issuer's organization as an organizational unit is refused",
			chain: []*x509.Certificate{under(interAs(printable(oidOrgUnit, "Acme Corp"), printable(oidCN, "Acme Devices CA"))), inter.cert}, want: ReasonUnknownAuthority},
		{name: "a leaf naming its issuer's RDNs in another order is refused",
			chain: []*x509.Certificate{under(rawName(rdn(printable(oidOrg, "Acme Corp")), rdn(printable(oidCountry, "PT")), rdn(printable(oidCN, "Acme Devices CA")))), inter.cert}, want: ReasonUnknownAuthority},
		{name: "a leaf naming its issuer without the country is refused",
			chain: []*x509.Certificate{under(rawName(rdn(printable(oidOrg, "Acme Corp")), rdn(printable(oidCN, "Acme Devices CA")))), inter.cert}, want: ReasonUnknownAuthority},
		{name: "a leaf naming its issuer's RDNs merged into one is refused",
			chain: []*x509.Certificate{under(rawName(rdn(printable(oidCountry, "PT"), printable(oidOrg, "Acme Corp")), rdn(printable(oidCN, "Acme Devices CA")))), inter.cert}, want: ReasonUnknownAuthority},
		{name: "a crl naming the issuer in another case and string type is used",
			chain: []*x509.Certificate{under(interName), inter.cert}, crls: [][]byte{rootCRL, variantCRL}},
		{name: "a crl naming the issuer in another case and string type revokes",
			chain: []*x509.Certificate{revoked, inter.cert}, crls: [][]byte{rootCRL, variantRevokingCRL}, want: ReasonRevoked},
		{name: "a crl naming the issuer differently in a significant way is not used",
			chain: []*x509.Certificate{under(interName), inter.cert}, crls: [][]byte{rootCRL, otherNameCRL}, want: ReasonCRLWrongIssuer},
		{name: "a delegated crl signer named in another encoding of its issuer's name is used",
			chain: []*x509.Certificate{revoked, inter.cert}, intermediates: []*x509.Certificate{variantDelegate.cert}, crls: [][]byte{rootCRL, variantDelegatedCRL}, want: ReasonRevoked},
		{name: "a delegated crl signer whose name differs from its issuer's in one letter is refused",
			chain: []*x509.Certificate{under(interName), inter.cert}, intermediates: []*x509.Certificate{otherDelegate.cert}, crls: [][]byte{rootCRL, otherDelegatedCRL}, want: ReasonCRLBadSignature},
		{name: "a name-constrained path that allows the leaf's name is accepted",
			chain: []*x509.Certificate{underAllowing.cert, allowing.cert}, crls: constrainedCRLs(allowing)},
		{name: "a name-constrained path that excludes the leaf's name is refused",
			chain: []*x509.Certificate{underForbidding.cert, forbidding.cert}, crls: constrainedCRLs(forbidding), want: ReasonNameConstraints},
		{name: "a name-constrained path whose names match only after preparation is refused",
			chain: []*x509.Certificate{underAllowingVariant.cert, allowing.cert}, crls: constrainedCRLs(allowing), want: ReasonNameConstraints},
	}
	runChainCases(t, []*x509.Certificate{root.cert}, [][]byte{rootCRL, interCRL}, tests)
}

// A CA may sign its CRLs with another key (RFC 5280 §6.3.3 (f)): after a
// key rollover, the CA's new certificate, issued by the root under the
// same name, signs the CRL that covers what the old key issued.
func TestCRLsSignedByAnotherKeyOfTheCA(t *testing.T) {
	root := newTestRoot(t, "Test Root", keyID(1))
	inter := root.subCA(t, "Test Intermediate", keyID(2))
	leaf := inter.leaf(t, nil)
	revoked := inter.leaf(t, nil)
	interName := inter.cert.RawSubject
	rootCRL := root.crl(t, nil)

	rolled := root.subCA(t, "", named(interName, keyID(3)))
	byRolled := crlBy(t, rolled.cert, rolled.key, nil)
	byRolledRevoking := crlBy(t, rolled.cert, rolled.key, nil, revoked.cert.SerialNumber)
	rootRevokingRolled := root.crl(t, nil, rolled.cert.SerialNumber)

	otherRoot := newTestRoot(t, "Other Root", keyID(4))
	foreign := otherRoot.subCA(t, "", named(interName, keyID(5)))
	byForeign := crlBy(t, foreign.cert, foreign.key, nil)

	expired := root.subCA(t, "", named(interName, keyID(6), func(c *x509.Certificate) { c.NotAfter = testNow.Add(-time.Hour) }))
	byExpired := crlBy(t, expired.withName(interName).cert, expired.key, nil)

	noCRLSign := root.subCA(t, "", named(interName, keyID(7), func(c *x509.Certificate) { c.KeyUsage = x509.KeyUsageCertSign }))
	byNoCRLSign := crlBy(t, withCRLSign(noCRLSign.cert), noCRLSign.key, nil)

	variantName := rawName(rdn(utf8s(oidCN, "TEST  INTERMEDIATE")))
	rolledVariant := root.subCA(t, "", named(variantName, keyID(8)))
	byRolledVariant := crlBy(t, rolledVariant.cert, rolledVariant.key, nil, revoked.cert.SerialNumber)

	renamed := root.subCA(t, "Test Intermediate 2", keyID(9))
	byRenamedInInterName := crlBy(t, withCRLSign(renamed.withName(interName).cert), renamed.key, nil)

	selfIssued := inter.subCA(t, "", named(interName, keyID(10)))
	bySelfIssued := crlBy(t, selfIssued.cert, selfIssued.key, nil, revoked.cert.SerialNumber)

	good := []*x509.Certificate{leaf.cert, inter.cert}
	tests := []chainCase{
		{name: "a crl signed by the CA's rolled-over key, certified by the root, is accepted",
			chain: good, intermediates: []*x509.Certificate{rolled.cert}, crls: [][]byte{rootCRL, byRolled}},
		{name: "a revocation on a crl signed by the rolled-over key is honoured",
			chain: []*x509.Certificate{revoked.cert, inter.cert}, intermediates: []*x509.Certificate{rolled.cert}, crls: [][]byte{rootCRL, byRolledRevoking}, want: ReasonRevoked},
		{name: "a crl signed by the rolled-over key is refused when the root revoked that key",
			chain: good, intermediates: []*x509.Certificate{rolled.cert}, crls: [][]byte{rootRevokingRolled, byRolled}, want: ReasonCRLBadSignature},
		{name: "a crl signed by the rolled-over key is refused when the root's crl is missing",
			chain: good, intermediates: []*x509.Certificate{rolled.cert}, crls: [][]byte{byRolled}, want: ReasonCRLBadSignature},
		{name: "the rolled-over key's certificate sent by the peer is not used",
			chain: []*x509.Certificate{leaf.cert, inter.cert, rolled.cert}, crls: [][]byte{rootCRL, byRolled}, want: ReasonCRLWrongIssuer},
		{name: "a key with the CA's name certified by an untrusted root cannot sign its crls",
			chain: good, intermediates: []*x509.Certificate{foreign.cert}, crls: [][]byte{rootCRL, byForeign}, want: ReasonCRLBadSignature},
		{name: "a key with the CA's name certified by another trusted root cannot sign crls for this root's path",
			chain: good, roots: []*x509.Certificate{root.cert, otherRoot.cert}, intermediates: []*x509.Certificate{foreign.cert}, crls: [][]byte{rootCRL, otherRoot.crl(t, nil), byForeign}, want: ReasonCRLBadSignature},
		{name: "an expired certificate of another key cannot sign crls",
			chain: good, intermediates: []*x509.Certificate{expired.cert}, crls: [][]byte{rootCRL, byExpired}, want: ReasonCRLBadSignature},
		{name: "another key without cRLSign cannot sign crls",
			chain: good, intermediates: []*x509.Certificate{noCRLSign.cert}, crls: [][]byte{rootCRL, byNoCRLSign}, want: ReasonCRLBadSignature},
		{name: "a rolled-over key named in another encoding of the CA's name signs its crls",
			chain: []*x509.Certificate{revoked.cert, inter.cert}, intermediates: []*x509.Certificate{rolledVariant.cert}, crls: [][]byte{rootCRL, byRolledVariant}, want: ReasonRevoked},
		{name: "a key certified under another name cannot sign crls in the CA's name",
			chain: good, intermediates: []*x509.Certificate{renamed.cert}, crls: [][]byte{rootCRL, byRenamedInInterName}, want: ReasonCRLWrongIssuer},
		{name: "a new key certified by the CA's old key under its own name signs its crls",
			chain: []*x509.Certificate{revoked.cert, inter.cert}, intermediates: []*x509.Certificate{selfIssued.cert}, crls: [][]byte{rootCRL, bySelfIssued}, want: ReasonRevoked},
	}
	runChainCases(t, []*x509.Certificate{root.cert}, [][]byte{rootCRL, inter.crl(t, nil)}, tests)
}

// withCRLSign is c as a CRL issuer for crypto/x509, which will not sign a
// CRL for a certificate without cRLSign: the CRL's bytes are the same.
func withCRLSign(c *x509.Certificate) *x509.Certificate {
	d := *c
	d.KeyUsage |= x509.KeyUsageCRLSign
	return &d
}

func TestTheCRLRollbackBoundHoldsAcrossEncodingsOfTheIssuerName(t *testing.T) {
	root := newTestRoot(t, "Test Root", nil)
	inter := root.subCA(t, "Test Intermediate", nil)
	leaf := inter.leaf(t, nil)
	variant := inter.withName(rawName(rdn(utf8s(oidCN, "test intermediate"))))
	v, err := NewValidator(ValidatorOptions{Roots: []*x509.Certificate{root.cert}, CRLs: [][]byte{root.crl(t, nil), inter.crl(t, crlNumber(5))}, CheckRevocation: true, Now: fixedClock})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(ders(leaf.cert, inter.cert), UsageServer, ""); err != nil {
		t.Fatal(err)
	}
	older := crlBy(t, variant.cert, variant.key, crlNumber(4))
	if err := v.SetCRLs([][]byte{root.crl(t, nil), older}); ReasonOf(err) != ReasonCRLRollback {
		t.Fatalf("crl 4 under another encoding of the issuer's name after crl 5: got %v, want a rollback error", err)
	}
	newer := crlBy(t, variant.cert, variant.key, crlNumber(6), leaf.cert.SerialNumber)
	if err := v.SetCRLs([][]byte{root.crl(t, nil), newer}); err != nil {
		t.Fatalf("crl 6 under another encoding: %v", err)
	}
	if _, err := v.Verify(ders(leaf.cert, inter.cert), UsageServer, ""); ReasonOf(err) != ReasonRevoked {
		t.Fatalf("after crl 6 revoking the leaf: got %v, want revoked", err)
	}
}
