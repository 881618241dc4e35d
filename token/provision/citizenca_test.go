package provision_test

import (
	"crypto/x509"
	"os"
	"path/filepath"
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
	for _, p := range []string{provision.FileRootKey, provision.FileSubCAKey} {
		st, err := os.Stat(filepath.Join(dir, p))
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, err %v; want 0600", p, st.Mode().Perm(), err)
		}
	}

	// The written CA is loaded back and revokes the card.
	ca, err := provision.LoadCitizenCA(dir)
	if err != nil {
		t.Fatal(err)
	}
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
