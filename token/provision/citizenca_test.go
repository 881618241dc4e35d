package provision_test

import (
	"crypto/x509"
	"fmt"
	"os"
	"securemedia/pki"
	"securemedia/token/provision"
	"testing"
	"time"
)

func TestTheCitizenCAIssuesAndRevokes(t *testing.T) {
	dir := t.TempDir()
	now := time.Now()
	d, err := provision.CreateSoftwareCard(dir, provision.DemoCardOptions{KeyType: "p256", HolderName: "Ana Costa", SerialNumber: "BI424242424", Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	u := d.UserCert
	if u.Subject.SerialNumber != "BI424242424" || u.Subject.CommonName != "Ana Costa" {
		t.Errorf("subject = %v", u.Subject)
	}
	if u.KeyUsage != x509.KeyUsageDigitalSignature || len(u.ExtKeyUsage) != 1 || u.ExtKeyUsage[0] != x509.ExtKeyUsageClientAuth {
		t.Errorf("key usage %v, extended %v", u.KeyUsage, u.ExtKeyUsage)
	}
	for _, p := range []string{d.CA.Files(dir).RootKey, d.CA.Files(dir).SubCAKey} {
		st, err := os.Stat(p)
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, err %v; want 0600", p, st.Mode().Perm(), err)
		}
	}

	// The written CA is loaded back and revokes the card.
	cas, err := provision.LoadCitizenCAs(dir)
	if err != nil {
		t.Fatal(err)
	}
	ca := cas[0]
	crlDER, err := ca.SubCACRL([]*x509.Certificate{u}, now, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	crl, err := x509.ParseRevocationList(crlDER)
	if err != nil {
		t.Fatal(err)
	}
	if err := crl.CheckSignatureFrom(d.SubCACert); err != nil {
		t.Errorf("the CRL is not signed by the sub-CA: %v", err)
	}
	if len(crl.RevokedCertificateEntries) != 1 || crl.RevokedCertificateEntries[0].SerialNumber.Cmp(u.SerialNumber) != 0 {
		t.Errorf("the CRL does not revoke the card")
	}

	// The empty CRLs written with the CA are signed and fresh.
	for _, tc := range []struct {
		path   string
		issuer *x509.Certificate
	}{{d.RootCRLPath, d.RootCert}, {d.SubCACRLPath, d.SubCACert}} {
		der, err := os.ReadFile(tc.path)
		if err != nil {
			t.Fatal(err)
		}
		crl, err := x509.ParseRevocationList(der)
		if err != nil {
			t.Fatal(err)
		}
		if err := crl.CheckSignatureFrom(tc.issuer); err != nil {
			t.Errorf("%s: %v", tc.path, err)
		}
		if len(crl.RevokedCertificateEntries) != 0 || !crl.NextUpdate.After(now.Add(6*24*time.Hour)) {
			t.Errorf("%s: not an empty CRL valid for a week", tc.path)
		}
	}
}

// Every demo card made without a shared CA gets a CA of its own: other
// names and other files, in the same directory or another, and a server
// trusting them all validates every card.
func TestEveryDemoCardCAHasItsOwnNameAndFiles(t *testing.T) {
	dir, other := t.TempDir(), t.TempDir()
	var cards []*provision.DemoCard
	for i, d := range []string{dir, dir, other} {
		card, err := provision.CreateSoftwareCard(d, provision.DemoCardOptions{KeyType: "p256", SerialNumber: fmt.Sprintf("BI%09d", i+1)})
		if err != nil {
			t.Fatalf("card %d: %v", i+1, err)
		}
		cards = append(cards, card)
	}
	seen := map[string]bool{}
	var roots, inters []*x509.Certificate
	var crlFiles []string
	for _, c := range cards {
		for _, v := range []string{c.RootCert.Subject.String(), c.SubCACert.Subject.String(),
			c.RootCertPath, c.SubCACertPath, c.RootCRLPath, c.SubCACRLPath} {
			if seen[v] {
				t.Errorf("two demo CAs share %q", v)
			}
			seen[v] = true
		}
		roots, inters = append(roots, c.RootCert), append(inters, c.SubCACert)
		crlFiles = append(crlFiles, c.RootCRLPath, c.SubCACRLPath)
	}
	if cas, err := provision.LoadCitizenCAs(dir); err != nil || len(cas) != 2 {
		t.Fatalf("LoadCitizenCAs found %d CAs in a directory holding two: %v", len(cas), err)
	}
	crls, err := pki.LoadCRLs(crlFiles...)
	if err != nil {
		t.Fatal(err)
	}
	v, err := pki.NewValidator(pki.ValidatorOptions{Roots: roots, Intermediates: inters, CRLs: crls, CheckRevocation: true})
	if err != nil {
		t.Fatalf("a validator trusting every demo CA: %v", err)
	}
	for i, c := range cards {
		if _, err := v.Verify([][]byte{c.UserCert.Raw}, pki.UsageClient, ""); err != nil {
			t.Errorf("card %d does not validate: %v", i+1, err)
		}
	}
}
