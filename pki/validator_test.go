package pki

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"strings"
	"testing"
	"time"
)

var oidUnknownCritical = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 59999, 9, 9}

func TestValidatorRefusesEachFlawWithItsOwnReason(t *testing.T) {
	root := newTestRoot(t, "Test Root", nil)
	inter := root.subCA(t, "Test Intermediate", nil)
	rootCRL := root.crl(t, nil)
	interCRL := inter.crl(t, nil)
	defaultCRLs := [][]byte{rootCRL, interCRL}

	good := inter.leaf(t, nil)
	expired := inter.leaf(t, func(c *x509.Certificate) { c.NotAfter = testNow.Add(-time.Minute) })
	notYet := inter.leaf(t, func(c *x509.Certificate) { c.NotBefore = testNow.Add(time.Hour) })
	clientOnly := inter.leaf(t, func(c *x509.Certificate) { c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth} })
	content := inter.leaf(t, func(c *x509.Certificate) {
		c.ExtKeyUsage, c.UnknownExtKeyUsage = nil, []asn1.ObjectIdentifier{OIDContentSigning}
	})
	user := inter.leaf(t, func(c *x509.Certificate) {
		c.ExtKeyUsage, c.UnknownExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}, []asn1.ObjectIdentifier{OIDUser}
	})
	noDigitalSignature := inter.leaf(t, func(c *x509.Certificate) { c.KeyUsage = x509.KeyUsageKeyEncipherment })

	expiredInter := root.subCA(t, "Expired Intermediate", func(c *x509.Certificate) { c.NotAfter = testNow.Add(-time.Hour) })
	underExpiredInter := expiredInter.leaf(t, nil)

	deepInter := inter.subCA(t, "Too Deep Intermediate", nil)
	tooDeep := deepInter.leaf(t, nil)

	otherRoot := newTestRoot(t, "Other Root", nil)
	foreign := otherRoot.leaf(t, nil)

	notCA := inter.leaf(t, func(c *x509.Certificate) { c.KeyUsage |= x509.KeyUsageCertSign })
	underNotCA := notCA.leaf(t, nil)

	revoked := inter.leaf(t, nil)
	revokedCRL := inter.crl(t, nil, revoked.cert.SerialNumber)

	revokedInter := root.subCA(t, "Revoked Intermediate", nil)
	underRevokedInter := revokedInter.leaf(t, nil)
	rootCRLRevokingInter := root.crl(t, nil, revokedInter.cert.SerialNumber)

	staleCRL := inter.crl(t, func(r *x509.RevocationList) {
		r.ThisUpdate, r.NextUpdate = testNow.Add(-48*time.Hour), testNow.Add(-time.Hour)
	})
	futureCRL := inter.crl(t, func(r *x509.RevocationList) {
		r.ThisUpdate, r.NextUpdate = testNow.Add(time.Hour), testNow.Add(48*time.Hour)
	})
	wrongKeyCRL := crlBy(t, inter.cert, newKey(t), nil)
	renamed := *inter.cert
	renamed.RawSubject, renamed.Subject = nil, pkix.Name{CommonName: "Somebody Else"}
	wrongIssuerCRL := crlBy(t, &renamed, inter.key, nil)
	criticalCRL := inter.crl(t, func(r *x509.RevocationList) {
		r.ExtraExtensions = []pkix.Extension{{Id: oidUnknownCritical, Critical: true, Value: []byte{0x05, 0x00}}}
	})
	criticalEntryCRL := inter.crl(t, func(r *x509.RevocationList) {
		r.RevokedCertificateEntries = []x509.RevocationListEntry{{
			SerialNumber: big.NewInt(42), RevocationTime: testNow.Add(-time.Minute),
			ExtraExtensions: []pkix.Extension{{Id: oidUnknownCritical, Critical: true, Value: []byte{0x05, 0x00}}},
		}}
	})

	// A delegated CRL signer: a second, non-CA key of the intermediate,
	// certified by it under its own name, holding cRLSign, signing CRLs
	// that name the intermediate as their issuer.
	delegateOf := func(ca *testCA, usage x509.KeyUsage, keyID byte, mutate func(*x509.Certificate)) *testCA {
		return ca.leaf(t, func(c *x509.Certificate) {
			c.KeyUsage, c.ExtKeyUsage, c.DNSNames = usage, nil, nil
			c.RawSubject = ca.cert.RawSubject
			c.SubjectKeyId = []byte{keyID, 2, 3, 4, 5, 6, 7, 8}
			if mutate != nil {
				mutate(c)
			}
		})
	}
	asIssuer := func(d *testCA) *x509.Certificate {
		return &x509.Certificate{RawSubject: inter.cert.RawSubject, SubjectKeyId: d.cert.SubjectKeyId, KeyUsage: x509.KeyUsageCRLSign}
	}
	delegate := delegateOf(inter, x509.KeyUsageCRLSign, 1, nil)
	delegatedCRL := crlBy(t, asIssuer(delegate), delegate.key, nil)
	delegatedRevokingCRL := crlBy(t, asIssuer(delegate), delegate.key, nil, revoked.cert.SerialNumber)
	weakDelegate := delegateOf(inter, x509.KeyUsageDigitalSignature, 2, nil)
	weakDelegatedCRL := crlBy(t, asIssuer(weakDelegate), weakDelegate.key, nil)
	otherNameDelegate := delegateOf(inter, x509.KeyUsageCRLSign, 3, func(c *x509.Certificate) {
		c.RawSubject, c.Subject = nil, pkix.Name{CommonName: "CRL Signer"}
	})
	otherNameDelegatedCRL := crlBy(t, asIssuer(otherNameDelegate), otherNameDelegate.key, nil)
	caDelegate := inter.subCA(t, "", func(c *x509.Certificate) {
		c.RawSubject = inter.cert.RawSubject
		c.SubjectKeyId = []byte{4, 2, 3, 4, 5, 6, 7, 8}
	})
	caDelegatedCRL := crlBy(t, asIssuer(caDelegate), caDelegate.key, nil)
	caDelegatedRevokingItself := crlBy(t, asIssuer(caDelegate), caDelegate.key, nil, caDelegate.cert.SerialNumber)
	delegatedRevokingItself := crlBy(t, asIssuer(delegate), delegate.key, nil, delegate.cert.SerialNumber)

	// Serials that differ from good's only by sign or by leading bytes.
	negative := new(big.Int).Neg(good.cert.SerialNumber)
	long := new(big.Int).Lsh(big.NewInt(1), 8*24)
	long.Add(long, good.cert.SerialNumber)
	lookalikeCRL := inter.crl(t, nil, negative, long, big.NewInt(-1))
	lookalikeAndRealCRL := inter.crl(t, nil, negative, long, good.cert.SerialNumber)

	tests := []struct {
		name          string
		chain         []*x509.Certificate
		intermediates []*x509.Certificate
		crls          [][]byte
		noRevocation  bool
		usage         Usage
		serverName    string
		want          Reason
		wantText      string
	}{
		{name: "a valid server chain is accepted", chain: []*x509.Certificate{good.cert, inter.cert}, usage: UsageServer, serverName: "media.example"},
		{name: "a valid client chain is accepted", chain: []*x509.Certificate{good.cert, inter.cert}, usage: UsageClient},
		{name: "an intermediate known to the validator completes the chain", chain: []*x509.Certificate{good.cert}, intermediates: []*x509.Certificate{inter.cert}, usage: UsageClient},
		{name: "a content signer is accepted for content", chain: []*x509.Certificate{content.cert, inter.cert}, usage: UsageContent},
		{name: "a user certificate is accepted for user use", chain: []*x509.Certificate{user.cert, inter.cert}, usage: UsageUser},
		{name: "an expired leaf is refused", chain: []*x509.Certificate{expired.cert, inter.cert}, usage: UsageServer, want: ReasonExpired},
		{name: "a not yet valid leaf is refused", chain: []*x509.Certificate{notYet.cert, inter.cert}, usage: UsageServer, want: ReasonNotYetValid},
		{name: "an expired intermediate is refused", chain: []*x509.Certificate{underExpiredInter.cert, expiredInter.cert}, usage: UsageServer, want: ReasonExpired, wantText: "Expired Intermediate"},
		{name: "a client certificate used as a server is refused", chain: []*x509.Certificate{clientOnly.cert, inter.cert}, usage: UsageServer, want: ReasonWrongEKU},
		{name: "a content signer used for licenses is refused", chain: []*x509.Certificate{content.cert, inter.cert}, usage: UsageLicense, want: ReasonWrongEKU},
		{name: "a client device used as a user is refused", chain: []*x509.Certificate{good.cert, inter.cert}, usage: UsageUser, want: ReasonWrongEKU},
		{name: "a leaf without digitalSignature is refused", chain: []*x509.Certificate{noDigitalSignature.cert, inter.cert}, usage: UsageClient, want: ReasonWrongKeyUsage},
		{name: "a CA below a pathLen 0 intermediate is refused", chain: []*x509.Certificate{tooDeep.cert, deepInter.cert, inter.cert}, usage: UsageServer, want: ReasonPathLength},
		{name: "a wrong server name is refused", chain: []*x509.Certificate{good.cert, inter.cert}, usage: UsageServer, serverName: "evil.example", want: ReasonNameMismatch},
		{name: "a leaf from another root is refused", chain: []*x509.Certificate{foreign.cert}, usage: UsageServer, want: ReasonUnknownAuthority},
		{name: "a certificate issued by a non-CA is refused", chain: []*x509.Certificate{underNotCA.cert, notCA.cert, inter.cert}, usage: UsageServer, want: ReasonNotCA},
		{name: "a revoked leaf is refused", chain: []*x509.Certificate{revoked.cert, inter.cert}, crls: [][]byte{rootCRL, revokedCRL}, usage: UsageClient, want: ReasonRevoked, wantText: "certificate revoked: CN=device-1 serial " + revoked.cert.SerialNumber.Text(16) + " (keyCompromise"},
		{name: "a revoked server certificate is refused by a client", chain: []*x509.Certificate{revoked.cert, inter.cert}, crls: [][]byte{rootCRL, revokedCRL}, usage: UsageServer, serverName: "media.example", want: ReasonRevoked, wantText: "certificate revoked"},
		{name: "everything under a revoked intermediate is refused", chain: []*x509.Certificate{underRevokedInter.cert, revokedInter.cert}, crls: [][]byte{rootCRLRevokingInter, revokedInter.crl(t, nil)}, usage: UsageServer, want: ReasonRevoked, wantText: "Revoked Intermediate"},
		{name: "a stale crl is refused", chain: []*x509.Certificate{good.cert, inter.cert}, crls: [][]byte{rootCRL, staleCRL}, usage: UsageServer, want: ReasonCRLStale},
		{name: "a crl from the future is refused", chain: []*x509.Certificate{good.cert, inter.cert}, crls: [][]byte{rootCRL, futureCRL}, usage: UsageServer, want: ReasonCRLStale},
		{name: "a crl signed by the wrong key is refused", chain: []*x509.Certificate{good.cert, inter.cert}, crls: [][]byte{rootCRL, wrongKeyCRL}, usage: UsageServer, want: ReasonCRLBadSignature},
		{name: "a crl from the wrong issuer is refused", chain: []*x509.Certificate{good.cert, inter.cert}, crls: [][]byte{rootCRL, wrongIssuerCRL}, usage: UsageServer, want: ReasonCRLWrongIssuer},
		{name: "a crl with an unknown critical extension is refused", chain: []*x509.Certificate{good.cert, inter.cert}, crls: [][]byte{rootCRL, criticalCRL}, usage: UsageServer, want: ReasonCRLUnknownCritical},
		{name: "a crl entry with an unknown critical extension is refused", chain: []*x509.Certificate{good.cert, inter.cert}, crls: [][]byte{rootCRL, criticalEntryCRL}, usage: UsageServer, want: ReasonCRLUnknownCritical},
		{name: "a delegated crl signer holding cRLSign is accepted", chain: []*x509.Certificate{good.cert, inter.cert}, intermediates: []*x509.Certificate{delegate.cert}, crls: [][]byte{rootCRL, delegatedCRL}, usage: UsageServer},
		{name: "a revocation by a delegated crl signer is honoured", chain: []*x509.Certificate{revoked.cert, inter.cert}, intermediates: []*x509.Certificate{delegate.cert}, crls: [][]byte{rootCRL, delegatedRevokingCRL}, usage: UsageServer, want: ReasonRevoked},
		{name: "a delegated signer without cRLSign is refused", chain: []*x509.Certificate{good.cert, inter.cert}, intermediates: []*x509.Certificate{weakDelegate.cert}, crls: [][]byte{rootCRL, weakDelegatedCRL}, usage: UsageServer, want: ReasonCRLBadSignature},
		{name: "a crl signer with a name other than the issuer's is refused", chain: []*x509.Certificate{good.cert, inter.cert}, intermediates: []*x509.Certificate{otherNameDelegate.cert}, crls: [][]byte{rootCRL, otherNameDelegatedCRL}, usage: UsageServer, want: ReasonCRLBadSignature},
		{name: "a second CA key of the issuer, certified by it under its own name, signs its crls", chain: []*x509.Certificate{good.cert, inter.cert}, intermediates: []*x509.Certificate{caDelegate.cert}, crls: [][]byte{rootCRL, caDelegatedCRL}, usage: UsageServer},
		{name: "a second CA key of the issuer listed on the crl it signs is refused", chain: []*x509.Certificate{good.cert, inter.cert}, intermediates: []*x509.Certificate{caDelegate.cert}, crls: [][]byte{rootCRL, caDelegatedRevokingItself}, usage: UsageServer, want: ReasonCRLBadSignature},
		{name: "a delegated crl signer listed on the crl it signs is refused", chain: []*x509.Certificate{good.cert, inter.cert}, intermediates: []*x509.Certificate{delegate.cert}, crls: [][]byte{rootCRL, delegatedRevokingItself}, usage: UsageServer, want: ReasonCRLBadSignature},
		{name: "a delegated crl signer sent by the peer is not used", chain: []*x509.Certificate{good.cert, inter.cert, delegate.cert}, crls: [][]byte{rootCRL, delegatedCRL}, usage: UsageServer, want: ReasonCRLWrongIssuer},
		{name: "negative and long serials do not revoke a lookalike", chain: []*x509.Certificate{good.cert, inter.cert}, crls: [][]byte{rootCRL, lookalikeCRL}, usage: UsageServer},
		{name: "the exact serial among lookalikes revokes", chain: []*x509.Certificate{good.cert, inter.cert}, crls: [][]byte{rootCRL, lookalikeAndRealCRL}, usage: UsageServer, want: ReasonRevoked},
		{name: "a missing crl with revocation on is refused", chain: []*x509.Certificate{good.cert, inter.cert}, crls: [][]byte{rootCRL}, usage: UsageServer, want: ReasonCRLMissing},
		{name: "a missing root crl with revocation on is refused", chain: []*x509.Certificate{good.cert, inter.cert}, crls: [][]byte{interCRL}, usage: UsageServer, want: ReasonCRLMissing},
		{name: "a missing crl with revocation off is accepted", chain: []*x509.Certificate{good.cert, inter.cert}, crls: [][]byte{}, noRevocation: true, usage: UsageServer},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			crls := tc.crls
			if crls == nil {
				crls = defaultCRLs
			}
			v, err := NewValidator(ValidatorOptions{
				Roots:           []*x509.Certificate{root.cert},
				Intermediates:   tc.intermediates,
				CRLs:            crls,
				CheckRevocation: !tc.noRevocation,
				Now:             fixedClock,
			})
			if err != nil {
				t.Fatal(err)
			}
			for _, via := range []string{"Verify", "VerifyCert"} {
				if via == "Verify" {
					_, err = v.Verify(ders(tc.chain...), tc.usage, tc.serverName)
				} else {
					err = v.VerifyCert(tc.chain[0], tc.chain[1:], tc.usage, tc.serverName)
				}
				if err != nil && via == "Verify" {
					t.Logf("refused: %v", err)
				}
				if got := ReasonOf(err); got != tc.want {
					t.Fatalf("%s: reason %v, want %v (err: %v)", via, got, tc.want, err)
				}
				if tc.want != 0 && !strings.HasPrefix(err.Error(), tc.want.String()) {
					t.Errorf("%s: error %q does not start with %q", via, err, tc.want)
				}
				if tc.wantText != "" && !strings.Contains(err.Error(), tc.wantText) {
					t.Errorf("%s: error %q does not contain %q", via, err, tc.wantText)
				}
			}
		})
	}
}

func TestValidatorRefusesACRLNumberRollback(t *testing.T) {
	root := newTestRoot(t, "Test Root", nil)
	inter := root.subCA(t, "Test Intermediate", nil)
	leaf := inter.leaf(t, nil)
	v, err := NewValidator(ValidatorOptions{
		Roots:           []*x509.Certificate{root.cert},
		CRLs:            [][]byte{root.crl(t, nil), inter.crl(t, crlNumber(3)), inter.crl(t, crlNumber(5))},
		CheckRevocation: true,
		Now:             fixedClock,
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(ders(leaf.cert, inter.cert), UsageServer, ""); err != nil {
		t.Fatalf("with crls 3 and 5: %v", err)
	}
	err = v.SetCRLs([][]byte{root.crl(t, nil), inter.crl(t, crlNumber(4), leaf.cert.SerialNumber)})
	if ReasonOf(err) != ReasonCRLRollback {
		t.Fatalf("replacing crl 5 by crl 4: got %v, want a rollback error", err)
	}
	if _, err := v.Verify(ders(leaf.cert, inter.cert), UsageServer, ""); err != nil {
		t.Fatalf("after a refused rollback the previous crls must stay: %v", err)
	}
	if err := v.SetCRLs([][]byte{root.crl(t, nil), inter.crl(t, crlNumber(3)), inter.crl(t, crlNumber(5))}); err != nil {
		t.Fatalf("reloading the same crls, an old one among them: %v", err)
	}
	if err := v.SetCRLs([][]byte{root.crl(t, nil), inter.crl(t, crlNumber(6), leaf.cert.SerialNumber)}); err != nil {
		t.Fatalf("a newer crl: %v", err)
	}
	if _, err := v.Verify(ders(leaf.cert, inter.cert), UsageServer, ""); ReasonOf(err) != ReasonRevoked {
		t.Fatalf("after loading crl 6 revoking the leaf: got %v, want revoked", err)
	}
}

// cacheFixture is a validator with revocation on, a root and an
// intermediate with their CRLs, a leaf under them and the chain of the
// two; the validator's clock reads *now.
type cacheFixture struct {
	v                 *Validator
	root, inter, leaf *testCA
	chain             [][]byte
	now               *time.Time
}

func newCacheFixture(t *testing.T) *cacheFixture {
	t.Helper()
	f := &cacheFixture{root: newTestRoot(t, "Test Root", nil), now: new(time.Time)}
	*f.now = testNow
	f.inter = f.root.subCA(t, "Test Intermediate", nil)
	f.leaf = f.inter.leaf(t, nil)
	v, err := NewValidator(ValidatorOptions{
		Roots:           []*x509.Certificate{f.root.cert},
		CRLs:            [][]byte{f.root.crl(t, nil), f.inter.crl(t, nil)},
		CheckRevocation: true,
		Now:             func() time.Time { return *f.now },
	})
	if err != nil {
		t.Fatal(err)
	}
	f.v, f.chain = v, ders(f.leaf.cert, f.inter.cert)
	return f
}

func TestValidatorCacheFollowsCRLsAndTime(t *testing.T) {
	f := newCacheFixture(t)
	v, root, inter, leaf, chain := f.v, f.root, f.inter, f.leaf, f.chain
	first, err := v.Verify(chain, UsageServer, "media.example")
	if err != nil {
		t.Fatal(err)
	}
	second, err := v.Verify(chain, UsageServer, "media.example")
	if err != nil || second != first {
		t.Fatalf("a repeated verification should come from the cache: %v, same leaf %v", err, second == first)
	}
	if _, err := v.Verify(chain, UsageServer, "evil.example"); ReasonOf(err) != ReasonNameMismatch {
		t.Fatalf("the cache must be keyed by name: got %v", err)
	}
	*f.now = testNow.Add(25 * time.Hour) // past the CRLs' nextUpdate
	if _, err := v.Verify(chain, UsageServer, "media.example"); ReasonOf(err) != ReasonCRLStale {
		t.Fatalf("a cached result must expire with the crl: got %v", err)
	}
	*f.now = testNow
	if _, err := v.Verify(chain, UsageServer, "media.example"); err != nil {
		t.Fatal(err)
	}
	if err := v.SetCRLs([][]byte{root.crl(t, nil), inter.crl(t, nil, leaf.cert.SerialNumber)}); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(chain, UsageServer, "media.example"); ReasonOf(err) != ReasonRevoked {
		t.Fatalf("replacing the crls must drop cached results: got %v", err)
	}
}

func TestValidatorRefusesMalformedChains(t *testing.T) {
	root := newTestRoot(t, "Test Root", nil)
	v, err := NewValidator(ValidatorOptions{Roots: []*x509.Certificate{root.cert}, CheckRevocation: true, Now: fixedClock})
	if err != nil {
		t.Fatal(err)
	}
	tooMany := make([][]byte, maxChainCerts+1)
	for i := range tooMany {
		tooMany[i] = root.cert.Raw
	}
	for name, chain := range map[string][][]byte{
		"an empty chain is refused":                   nil,
		"garbage is refused":                          {[]byte("garbage")},
		"a truncated certificate is refused":          {root.cert.Raw[:len(root.cert.Raw)/2]},
		"a chain of too many certificates is refused": tooMany,
		"an oversized chain is refused":               {make([]byte, maxChainBytes+1)},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := v.Verify(chain, UsageAny, ""); ReasonOf(err) != ReasonMalformed {
				t.Fatalf("got %v, want malformed", err)
			}
		})
	}
}

func TestNewValidatorRefusesBadCRLsClearly(t *testing.T) {
	root := newTestRoot(t, "Test Root", nil)
	der := root.crl(t, nil)
	for name, crl := range map[string][]byte{
		"garbage is refused":             []byte("garbage"),
		"a truncated crl is refused":     der[:len(der)-5],
		"PEM followed by DER is refused": append([]byte("-----BEGIN X509 CRL-----\n-----END X509 CRL-----\n"), der...),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := NewValidator(ValidatorOptions{Roots: []*x509.Certificate{root.cert}, CRLs: [][]byte{crl}, CheckRevocation: true})
			if err == nil || !strings.Contains(err.Error(), "crl 1") {
				t.Fatalf("got %v, want an error naming crl 1", err)
			}
		})
	}
	if _, err := NewValidator(ValidatorOptions{}); err == nil {
		t.Fatal("a validator without roots was created")
	}
}

func TestSerialMatchingIsExact(t *testing.T) {
	base, _ := new(big.Int).SetString("0102030405060708090a0b0c0d0e0f10", 16)
	long := new(big.Int).Lsh(big.NewInt(0x7f), 8*21)
	long.Add(long, base)
	distinct := []*big.Int{base, new(big.Int).Neg(base), long, new(big.Int).Neg(long), big.NewInt(0), big.NewInt(-1), big.NewInt(1)}
	seen := map[string]int{}
	for i, s := range distinct {
		if j, dup := seen[serialKey(s)]; dup {
			t.Fatalf("serials %d and %d share the key %q", j, i, serialKey(s))
		}
		seen[serialKey(s)] = i
	}
}

func TestValidatorIsSafeForConcurrentUse(t *testing.T) {
	root := newTestRoot(t, "Test Root", nil)
	inter := root.subCA(t, "Test Intermediate", nil)
	leaves := []*testCA{inter.leaf(t, nil), inter.leaf(t, nil), inter.leaf(t, nil)}
	crls := [][]byte{root.crl(t, nil), inter.crl(t, nil)}
	v, err := NewValidator(ValidatorOptions{Roots: []*x509.Certificate{root.cert}, CRLs: crls, CheckRevocation: true, Now: fixedClock})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	for g := 0; g < 4; g++ {
		go func() {
			var err error
			for i := 0; i < 50 && err == nil; i++ {
				_, err = v.Verify(ders(leaves[i%len(leaves)].cert, inter.cert), UsageServer, "media.example")
				if i%10 == 0 && err == nil {
					err = v.SetCRLs(crls)
				}
			}
			done <- err
		}()
	}
	for g := 0; g < 4; g++ {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}
