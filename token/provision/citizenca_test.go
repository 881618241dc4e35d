package provision_test

import (
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"securemedia/pki"
	"securemedia/token/provision"
	"slices"
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

// The demo CA's CRLs expire after a week; a refresh keeps what they revoke
// and moves them forward, and logins validate again.
func TestRefreshCRLsKeepsRevocationsAndMovesForward(t *testing.T) {
	dir := t.TempDir()
	t0 := time.Now().Add(-10 * 24 * time.Hour)
	clock := func() time.Time { return t0 }
	kept, err := provision.CreateSoftwareCard(dir, provision.DemoCardOptions{KeyType: "p256", SerialNumber: "BI1", Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	revoked, err := provision.CreateSoftwareCard(dir, provision.DemoCardOptions{KeyType: "p256", SerialNumber: "BI2", Now: clock, CA: kept.CA})
	if err != nil {
		t.Fatal(err)
	}
	crl, err := kept.CA.SubCACRL([]*x509.Certificate{revoked.UserCert}, t0.Add(time.Minute), t0.Add(7*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(kept.SubCACRLPath, crl, 0o644); err != nil {
		t.Fatal(err)
	}
	paths := []string{kept.RootCRLPath, kept.SubCACRLPath}
	before := parseCRLs(t, paths)
	validate := func(c *provision.DemoCard) error {
		crls, err := pki.LoadCRLs(paths...)
		if err != nil {
			t.Fatal(err)
		}
		v, err := pki.NewValidator(pki.ValidatorOptions{Roots: []*x509.Certificate{kept.RootCert},
			Intermediates: []*x509.Certificate{kept.SubCACert}, CRLs: crls, CheckRevocation: true})
		if err != nil {
			t.Fatal(err)
		}
		_, err = v.Verify([][]byte{c.UserCert.Raw}, pki.UsageClient, "")
		return err
	}
	if err := validate(kept); err == nil {
		t.Fatal("a card validated on CRLs past their nextUpdate")
	}

	now := time.Now()
	written, err := provision.RefreshCRLs(dir, now)
	if err != nil {
		t.Fatalf("RefreshCRLs: %v", err)
	}
	if !slices.Equal(written, paths) {
		t.Errorf("RefreshCRLs wrote %v, want %v", written, paths)
	}
	for i, c := range parseCRLs(t, paths) {
		if c.Number.Cmp(before[i].Number) <= 0 {
			t.Errorf("%s: CRL number %v after %v", paths[i], c.Number, before[i].Number)
		}
		if !c.ThisUpdate.Equal(now.UTC().Truncate(time.Second)) || !c.NextUpdate.After(now.Add(6*24*time.Hour)) {
			t.Errorf("%s: valid %v to %v, want from now for a week", paths[i], c.ThisUpdate, c.NextUpdate)
		}
		if len(c.RevokedCertificateEntries) != len(before[i].RevokedCertificateEntries) {
			t.Errorf("%s: revokes %d certificates, before %d", paths[i], len(c.RevokedCertificateEntries), len(before[i].RevokedCertificateEntries))
		}
	}
	if err := validate(kept); err != nil {
		t.Errorf("the card does not validate on the refreshed CRLs: %v", err)
	}
	if err := validate(revoked); pki.ReasonOf(err) != pki.ReasonRevoked {
		t.Errorf("the revoked card after the refresh: %v, want it revoked", err)
	}

	for _, d := range []string{t.TempDir(), filepath.Join(dir, "missing")} {
		if _, err := provision.RefreshCRLs(d, now); !errors.Is(err, provision.ErrNoCitizenCA) {
			t.Errorf("RefreshCRLs(%s): err = %v, want ErrNoCitizenCA", d, err)
		}
	}
}

// parseCRLs parses and returns the CRL in each file.
func parseCRLs(t *testing.T, paths []string) []*x509.RevocationList {
	t.Helper()
	var out []*x509.RevocationList
	for _, p := range paths {
		der, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		c, err := x509.ParseRevocationList(der)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}
