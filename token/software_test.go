package token_test

import (
	"bytes"
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"securemedia/internal/signature"
	"securemedia/token"
	"securemedia/token/provision"
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
			d, err := provision.CreateSoftwareCard(dir, provision.DemoCardOptions{KeyType: tc.keyType, SerialNumber: "BI555555555"})
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
	a, err := provision.CreateSoftwareCard(filepath.Join(dir), provision.DemoCardOptions{KeyType: "p256", SerialNumber: "BI1"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := provision.CreateSoftwareCard(dir, provision.DemoCardOptions{KeyType: "p256", SerialNumber: "BI2", CA: a.CA})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := token.OpenSoftware(a.KeyPath, b.ChainPath); err == nil || !strings.Contains(err.Error(), "not the key") {
		t.Fatalf("err = %v, want a key mismatch", err)
	}
	if _, err := token.OpenSoftware(a.ChainPath, a.ChainPath); err == nil {
		t.Fatal("a certificate file was accepted as a key")
	}
	if _, err := token.OpenSoftware(a.KeyPath, a.KeyPath); err == nil {
		t.Fatal("a key file was accepted as a chain")
	}
}
