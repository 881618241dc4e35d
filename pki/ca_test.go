package pki

import (
	"crypto/x509"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// caValidator builds a validator that trusts ca's root and uses its CRLs.
func caValidator(t *testing.T, ca *CA, crls [][]byte) *Validator {
	t.Helper()
	v, err := NewValidator(ValidatorOptions{Roots: []*x509.Certificate{ca.Root()}, CRLs: crls, CheckRevocation: true})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestCAIssuesEveryProfileValidForItsUsageOnly(t *testing.T) {
	for _, alg := range []KeyAlgorithm{ECDSAP256, ECDSAP384, Ed25519} {
		t.Run(string(alg), func(t *testing.T) {
			dir := t.TempDir()
			if err := InitCA(dir, InitOptions{KeyAlgorithm: alg}); err != nil {
				t.Fatal(err)
			}
			ca, err := OpenCA(dir, nil)
			if err != nil {
				t.Fatal(err)
			}
			if ca.Intermediate().MaxPathLen != 0 || !ca.Intermediate().MaxPathLenZero {
				t.Fatal("the intermediate must have path length 0")
			}
			crls, err := LoadCRLs(ca.CRLPaths()...)
			if err != nil {
				t.Fatal(err)
			}
			v := caValidator(t, ca, crls)
			profiles := []IssueRequest{
				{Profile: UsageServer, CommonName: "media.example", DNSNames: []string{"media.example"}},
				{Profile: UsageClient, CommonName: "device-1"},
				{Profile: UsageContent, CommonName: "content signer"},
				{Profile: UsageLicense, CommonName: "license signer"},
				{Profile: UsageUser, CommonName: "Ana", SerialNumberAttr: "PT-1"},
			}
			for _, req := range profiles {
				is, err := ca.Issue(req)
				if err != nil {
					t.Fatalf("%s: %v", req.Profile, err)
				}
				if len(is.Cert.CRLDistributionPoints) != 1 || !strings.HasSuffix(is.Cert.CRLDistributionPoints[0], "/crl/intermediate.crl") {
					t.Fatalf("%s: crl distribution point %v", req.Profile, is.Cert.CRLDistributionPoints)
				}
				if is.Cert.SerialNumber.Sign() <= 0 || is.Cert.SerialNumber.BitLen() > 128 {
					t.Fatalf("%s: serial %v is not a positive 128-bit number", req.Profile, is.Cert.SerialNumber)
				}
				chain, err := ParseCertificates(is.ChainPEM)
				if err != nil || len(chain) != 2 {
					t.Fatalf("%s: chain PEM: %v", req.Profile, err)
				}
				for _, u := range []Usage{UsageServer, UsageClient, UsageContent, UsageLicense, UsageUser} {
					want := u == req.Profile || (req.Profile == UsageUser && u == UsageClient)
					_, err := v.Verify(ders(chain...), u, "")
					if (err == nil) != want {
						t.Errorf("%s certificate for %s use: err %v, want valid=%v", req.Profile, u, err, want)
					}
				}
			}
		})
	}
}

func TestCARevocationReachesTheValidator(t *testing.T) {
	dir := t.TempDir()
	if err := InitCA(dir, InitOptions{}); err != nil {
		t.Fatal(err)
	}
	ca, err := OpenCA(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	device, err := ca.Issue(IssueRequest{Profile: UsageClient, CommonName: "device-1"})
	if err != nil {
		t.Fatal(err)
	}
	other, err := ca.Issue(IssueRequest{Profile: UsageClient, CommonName: "device-2"})
	if err != nil {
		t.Fatal(err)
	}
	if err := ca.Revoke(device.Cert.SerialNumber, 1); err != nil {
		t.Fatal(err)
	}
	if err := ca.Revoke(device.Cert.SerialNumber, 1); err == nil {
		t.Fatal("revoking twice should be refused")
	}
	if err := ca.Revoke(big.NewInt(12345), 1); err == nil {
		t.Fatal("revoking a serial this CA never issued should be refused")
	}
	if err := ca.Revoke(ca.Root().SerialNumber, 1); err == nil {
		t.Fatal("revoking the root should be refused")
	}
	crls, err := ca.CRLs()
	if err != nil {
		t.Fatal(err)
	}
	for i, der := range crls {
		crl, err := x509.ParseRevocationList(der)
		if err != nil {
			t.Fatal(err)
		}
		if crl.Number.Cmp(big.NewInt(2)) != 0 {
			t.Errorf("crl %d: number %v, want 2 (init wrote 1)", i, crl.Number)
		}
		if d := crl.NextUpdate.Sub(crl.ThisUpdate); d < DefaultCRLPeriod || d > DefaultCRLPeriod+time.Hour {
			t.Errorf("crl %d: period %v, want about %v", i, d, DefaultCRLPeriod)
		}
	}
	v := caValidator(t, ca, crls)
	_, err = v.Verify(ders(device.Cert, ca.Intermediate()), UsageClient, "")
	if ReasonOf(err) != ReasonRevoked || !strings.Contains(err.Error(), "certificate revoked: CN=device-1") || !strings.Contains(err.Error(), "keyCompromise") {
		t.Fatalf("revoked device: got %v", err)
	}
	if _, err := v.Verify(ders(other.Cert, ca.Intermediate()), UsageClient, ""); err != nil {
		t.Fatalf("another device must stay valid: %v", err)
	}

	// Revoking the intermediate refuses everything under it.
	if err := ca.Revoke(ca.Intermediate().SerialNumber, 2); err != nil {
		t.Fatal(err)
	}
	crls, err = ca.CRLs()
	if err != nil {
		t.Fatal(err)
	}
	if err := v.SetCRLs(crls); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(ders(other.Cert, ca.Intermediate()), UsageClient, ""); ReasonOf(err) != ReasonRevoked || !strings.Contains(err.Error(), "Intermediate CA") {
		t.Fatalf("leaf under a revoked intermediate: got %v", err)
	}
}

func TestEncryptedCANeedsTheRightPassphrase(t *testing.T) {
	dir := t.TempDir()
	if err := InitCA(dir, InitOptions{Passphrase: []byte("s3cret"), KDF: cheapKDF}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{rootKeyFile, intermediateKeyFile} {
		st, err := os.Stat(filepath.Join(dir, f))
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("%s: mode %v (%v), want 0600", f, st.Mode().Perm(), err)
		}
		data, _ := os.ReadFile(filepath.Join(dir, f))
		if !IsEncryptedKey(data) {
			t.Fatalf("%s is not encrypted", f)
		}
	}
	if _, err := OpenCA(dir, passphrase("wrong")); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("wrong passphrase: got %v", err)
	}
	if _, err := OpenCA(dir, nil); err == nil {
		t.Fatal("opened an encrypted CA without a passphrase")
	}
	if _, err := OpenCA(dir, passphrase("s3cret")); err != nil {
		t.Fatal(err)
	}
	if err := InitCA(dir, InitOptions{}); err == nil {
		t.Fatal("InitCA overwrote an existing CA")
	}
}

func TestIssueRefusesIncompleteRequests(t *testing.T) {
	dir := t.TempDir()
	if err := InitCA(dir, InitOptions{}); err != nil {
		t.Fatal(err)
	}
	ca, err := OpenCA(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	for name, req := range map[string]IssueRequest{
		"a server without SANs is refused":               {Profile: UsageServer, CommonName: "x"},
		"a user without a serial number is refused":      {Profile: UsageUser, CommonName: "x"},
		"a certificate without a common name is refused": {Profile: UsageClient},
		"the any profile is refused":                     {Profile: UsageAny, CommonName: "x"},
		"a leaf outliving the intermediate is refused":   {Profile: UsageClient, CommonName: "x", Validity: 50 * 365 * 24 * time.Hour},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := ca.Issue(req); err == nil {
				t.Fatal("issued")
			}
		})
	}
}

func TestRSACAUsesPSS(t *testing.T) {
	if testing.Short() {
		t.Skip("RSA-3072 key generation is slow")
	}
	dir := t.TempDir()
	if err := InitCA(dir, InitOptions{KeyAlgorithm: RSA3072}); err != nil {
		t.Fatal(err)
	}
	ca, err := OpenCA(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ca.Root().SignatureAlgorithm != x509.SHA256WithRSAPSS || ca.Intermediate().SignatureAlgorithm != x509.SHA256WithRSAPSS {
		t.Fatalf("signature algorithms %v, %v; want RSA-PSS", ca.Root().SignatureAlgorithm, ca.Intermediate().SignatureAlgorithm)
	}
	dev := newKey(t)
	is, err := ca.Issue(IssueRequest{Profile: UsageClient, CommonName: "device-1", PublicKey: dev.Public()})
	if err != nil {
		t.Fatal(err)
	}
	if is.Key != nil {
		t.Fatal("a key was generated although a public key was given")
	}
	crls, err := LoadCRLs(ca.CRLPaths()...)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := caValidator(t, ca, crls).Verify(ders(is.Cert, ca.Intermediate()), UsageClient, ""); err != nil {
		t.Fatal(err)
	}
}
