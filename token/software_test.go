package token

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"securemedia/internal/signature"
)

func TestASoftwareCardSignsLikeAToken(t *testing.T) {
	for _, tc := range []struct {
		name       string
		keyType    string
		allowPKCS1 bool
		want       signature.Scheme
	}{
		{"an RSA software card signs with RSA-PSS", "rsa2048", false, signature.RSAPSSSHA256},
		{"an RSA software card signs with PKCS#1 v1.5 when allowed", "rsa2048", true, signature.RSAPKCS1SHA256},
		{"a P-256 software card signs with ECDSA", "p256", false, signature.ECDSAP256},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			d, err := CreateSoftwareCard(dir, DemoCardOptions{KeyType: tc.keyType, SerialNumber: "BI555555555"})
			if err != nil {
				t.Fatal(err)
			}
			if !d.Software() {
				t.Error("Software() = false for a software card")
			}
			tok, err := d.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer tok.Close()
			if got, want := tok.SupportsPSS(), tc.keyType == "rsa2048"; got != want {
				t.Errorf("SupportsPSS = %v, want %v", got, want)
			}
			chain := tok.Chain()
			if len(chain) != 3 || !bytes.Equal(chain[0], d.UserCert.Raw) || !bytes.Equal(chain[2], d.RootCert.Raw) {
				t.Fatalf("the chain is not leaf, sub-CA, root")
			}
			h := sha256.Sum256([]byte("transcript"))
			scheme, sig, err := signature.Sign(tok.Signer(), testContext, h[:], signature.Options{AllowPKCS1: tc.allowPKCS1})
			if err != nil {
				t.Fatal(err)
			}
			if scheme != tc.want {
				t.Errorf("scheme = %v, want %v", scheme, tc.want)
			}
			if err := signature.Verify(d.UserCert.PublicKey, scheme, testContext, h[:], sig, tc.allowPKCS1); err != nil {
				t.Errorf("verify: %v", err)
			}
			st, err := os.Stat(d.KeyPath)
			if err != nil {
				t.Fatal(err)
			}
			if st.Mode().Perm() != 0o600 {
				t.Errorf("key file mode %v, want 0600", st.Mode().Perm())
			}
			if err := tok.Close(); err != nil {
				t.Fatal(err)
			}
			if _, err := tok.Signer().Sign(nil, h[:], nil); err == nil {
				t.Error("a closed software token still signs")
			}
		})
	}
}

func TestOpenSoftwareRefusesAKeyThatIsNotTheCertificates(t *testing.T) {
	dir := t.TempDir()
	a, err := CreateSoftwareCard(filepath.Join(dir), DemoCardOptions{KeyType: "p256", SerialNumber: "BI1"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := CreateSoftwareCard(dir, DemoCardOptions{KeyType: "p256", SerialNumber: "BI2", CA: a.CA})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := OpenSoftware(a.KeyPath, b.ChainPath); err == nil || !strings.Contains(err.Error(), "not the key") {
		t.Fatalf("err = %v, want a key mismatch", err)
	}
	if _, err := OpenSoftware(a.ChainPath, a.ChainPath); err == nil {
		t.Fatal("a certificate file was accepted as a key")
	}
	if _, err := OpenSoftware(a.KeyPath, a.KeyPath); err == nil {
		t.Fatal("a key file was accepted as a chain")
	}
}

func TestDemoCardOptionsAreChecked(t *testing.T) {
	for _, tc := range []struct {
		name string
		o    DemoCardOptions
	}{
		{"an unknown key type is refused", DemoCardOptions{KeyType: "rsa1024"}},
		{"a citizen id that would escape the directory is refused", DemoCardOptions{SerialNumber: "../../x"}},
		{"a validity that ends before it starts is refused", DemoCardOptions{KeyType: "p256", Validity: -time.Hour}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := CreateSoftwareCard(t.TempDir(), tc.o); err == nil {
				t.Fatal("CreateSoftwareCard succeeded")
			}
		})
	}
}

func TestTheCitizenCAIssuesAndRevokes(t *testing.T) {
	dir := t.TempDir()
	now := time.Now()
	d, err := CreateSoftwareCard(dir, DemoCardOptions{KeyType: "p256", HolderName: "Ana Costa", SerialNumber: "BI424242424", Now: func() time.Time { return now }})
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
	for _, p := range []string{FileRootKey, FileSubCAKey} {
		st, err := os.Stat(filepath.Join(dir, p))
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, err %v; want 0600", p, st.Mode().Perm(), err)
		}
	}

	// The written CA is loaded back and revokes the card.
	ca, err := LoadCitizenCA(dir)
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
