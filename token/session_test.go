package token_test

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"securemedia/internal/signature"
	"securemedia/token"
	"securemedia/token/provision"
	"securemedia/token/provision/provisiontest"
)

// testPIN is the PIN of every test card.
const testPIN = provisiontest.PIN

// testContext is the signature context the tests sign under, as the
// handshake will with its own.
const testContext = "securemedia test user authentication"

func pinFunc(pin string) func() ([]byte, error) {
	return func() ([]byte, error) { return []byte(pin), nil }
}

// expectOpened checks the error of an open against a table row that wants
// it to succeed (wantErr nil and errText empty), to fail with wantErr, or
// to fail saying errText; it reports whether the open succeeded.
func expectOpened(t *testing.T, err, wantErr error, errText string) bool {
	t.Helper()
	switch {
	case wantErr == nil && errText == "":
		if err != nil {
			t.Fatalf("open: %v", err)
		}
		return true
	case wantErr != nil:
		if !errors.Is(err, wantErr) {
			t.Fatalf("err = %v, want %v", err, wantErr)
		}
	default:
		if err == nil || !strings.Contains(err.Error(), errText) {
			t.Fatalf("err = %v, want one saying %q", err, errText)
		}
	}
	return false
}

// assertFinalized checks that the module was finalized, by initializing it
// again: only a finalized module lets us be its owner.
func assertFinalized(t *testing.T, module string) {
	t.Helper()
	m, err := token.LoadModule(module)
	if err != nil {
		t.Fatalf("LoadModule: %v", err)
	}
	defer m.Close()
	if !m.Owns() {
		t.Fatal("the module was still initialized: a session leaked")
	}
}

func TestTheTokenSignsTheWayTheHandshakeVerifies(t *testing.T) {
	for _, tc := range []struct {
		name       string
		keyType    string
		allowPKCS1 bool
		want       signature.Scheme
		wantPSS    bool
	}{
		{"an RSA card signs with RSA-PSS", "rsa2048", false, signature.RSAPSSSHA256, true},
		{"an RSA card signs with PKCS#1 v1.5 when the handshake falls back", "rsa2048", true, signature.RSAPKCS1SHA256, true},
		{"a P-256 card signs with ECDSA", "p256", false, signature.ECDSAP256, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := provisiontest.NewCard(t, provision.DemoCardOptions{KeyType: tc.keyType})
			s := provisiontest.Open(t, d.Config())
			if got := s.SupportsPSS(); got != tc.wantPSS {
				t.Errorf("SupportsPSS = %v, want %v", got, tc.wantPSS)
			}
			transcript := sha256.Sum256([]byte("a handshake transcript"))
			scheme, sig, err := signature.Sign(s.Signer(), testContext, transcript[:], signature.Options{AllowPKCS1: tc.allowPKCS1})
			if err != nil {
				t.Fatalf("Sign: %v", err)
			}
			if scheme != tc.want {
				t.Errorf("scheme = %v, want %v", scheme, tc.want)
			}
			if err := signature.Verify(d.UserCert.PublicKey, scheme, testContext, transcript[:], sig, tc.allowPKCS1); err != nil {
				t.Errorf("the token's signature does not verify with the certificate: %v", err)
			}
			other := sha256.Sum256([]byte("another transcript"))
			if err := signature.Verify(d.UserCert.PublicKey, scheme, testContext, other[:], sig, tc.allowPKCS1); err == nil {
				t.Error("the signature verifies for another transcript")
			}
		})
	}
}

func TestTheChainIsLeafSubCARootAndValidates(t *testing.T) {
	d := provisiontest.NewCard(t, provision.DemoCardOptions{KeyType: "p256", HolderName: "Maria Silva", SerialNumber: "BI987654321"})
	s := provisiontest.Open(t, d.Config())
	chain := s.Chain()
	want := [][]byte{d.UserCert.Raw, d.SubCACert.Raw, d.RootCert.Raw}
	if len(chain) != len(want) {
		t.Fatalf("chain has %d certificates, want %d", len(chain), len(want))
	}
	for i := range want {
		if !bytes.Equal(chain[i], want[i]) {
			t.Errorf("chain[%d] is not the expected certificate", i)
		}
	}
	leaf, err := x509.ParseCertificate(chain[0])
	if err != nil {
		t.Fatal(err)
	}
	if leaf.Subject.SerialNumber != "BI987654321" || leaf.Subject.CommonName != "Maria Silva" {
		t.Errorf("subject = %v, want CN=Maria Silva, serialNumber=BI987654321", leaf.Subject)
	}
	roots, inter := x509.NewCertPool(), x509.NewCertPool()
	roots.AddCert(d.RootCert)
	inter.AddCert(d.SubCACert)
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}); err != nil {
		t.Errorf("the user certificate does not chain to the citizen root: %v", err)
	}
}

func TestAWrongPINIsRefusedAndTheRightOneStillWorks(t *testing.T) {
	d := provisiontest.NewCard(t, provision.DemoCardOptions{KeyType: "p256"})
	c := d.Config()
	c.PIN = pinFunc("000000")
	_, err := token.Open(c)
	if !errors.Is(err, token.ErrWrongPIN) {
		t.Fatalf("Open with a wrong PIN: err = %v, want ErrWrongPIN", err)
	}
	if !strings.Contains(err.Error(), d.Label) {
		t.Errorf("the error %q does not name the token", err)
	}
	assertFinalized(t, d.Module)
	// One wrong try must not have locked the card.
	s := provisiontest.Open(t, d.Config())
	if s.Certificate() == nil {
		t.Fatal("no certificate after login")
	}
}

func TestAPINIsRequired(t *testing.T) {
	d := provisiontest.NewCard(t, provision.DemoCardOptions{KeyType: "p256"})
	c := d.Config()
	c.PIN = nil
	if _, err := token.Open(c); err == nil || !strings.Contains(err.Error(), "needs a PIN") {
		t.Fatalf("Open without a PIN source: err = %v", err)
	}
	c.PIN = func() ([]byte, error) { return nil, errors.New("no terminal") }
	if _, err := token.Open(c); err == nil || !strings.Contains(err.Error(), "no terminal") {
		t.Fatalf("Open with a failing PIN source: err = %v", err)
	}
}

func TestTheTokenIsSelectedByLabelOrURI(t *testing.T) {
	d := provisiontest.NewCard(t, provision.DemoCardOptions{KeyType: "p256", Label: "CARTAO TESTE"})
	for _, tc := range []struct {
		name    string
		label   string
		uri     string
		profile token.Profile
		wantErr error // nil: opens
		errText string
	}{
		{name: "the right label opens the card", label: "CARTAO TESTE", profile: token.CitizenCard},
		{name: "a wrong label finds no token", label: "OTHER CARD", profile: token.CitizenCard, wantErr: token.ErrTokenNotFound},
		{name: "a URI with the right token opens the card", uri: "pkcs11:token=CARTAO%20TESTE", profile: token.CitizenCard},
		{name: "a URI with the module path opens the card", uri: "pkcs11:token=CARTAO%20TESTE?module-path=" + d.Module, profile: token.CitizenCard},
		{name: "a URI with a wrong token finds no token", uri: "pkcs11:token=NOPE", profile: token.CitizenCard, wantErr: token.ErrTokenNotFound},
		{name: "a URI with a wrong serial finds no token", uri: "pkcs11:token=CARTAO%20TESTE;serial=0000", profile: token.CitizenCard, wantErr: token.ErrTokenNotFound},
		{name: "a generic URI names the key by label", uri: "pkcs11:token=CARTAO%20TESTE;object=CITIZEN%20AUTHENTICATION%20KEY;type=private", profile: token.Generic},
		{name: "a generic URI names the key by id", uri: "pkcs11:token=CARTAO%20TESTE;id=%45%01", profile: token.Generic},
		{name: "a generic URI naming no such key fails", uri: "pkcs11:token=CARTAO%20TESTE;object=NOPE;type=private", profile: token.Generic, wantErr: token.ErrObjectNotFound},
		{name: "a URI carrying a PIN is refused", uri: "pkcs11:token=CARTAO%20TESTE?pin-value=" + testPIN, profile: token.CitizenCard, errText: "never taken from a URI"},
		{name: "a URI and a label that disagree are refused", label: "CARTAO TESTE", uri: "pkcs11:token=OTHER", profile: token.CitizenCard, errText: "differ"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := token.Config{Module: d.Module, Label: tc.label, URI: tc.uri, Profile: tc.profile, PIN: pinFunc(testPIN)}
			s, err := token.Open(c)
			if !expectOpened(t, err, tc.wantErr, tc.errText) {
				return
			}
			defer s.Close()
			if !bytes.Equal(s.Chain()[0], d.UserCert.Raw) {
				t.Error("opened the wrong certificate")
			}
			if tc.profile == token.Generic && len(s.Chain()) != 1 {
				t.Errorf("generic chain has %d certificates, want the leaf only", len(s.Chain()))
			}
		})
	}
	assertFinalized(t, d.Module)
}

func TestExportCertificateNeedsNoLoginAndMatchesTheIssuedOne(t *testing.T) {
	d := provisiontest.NewCard(t, provision.DemoCardOptions{KeyType: "p256"})
	c := d.Config()
	c.PIN = func() ([]byte, error) { t.Error("ExportCertificate asked for a PIN"); return nil, errors.New("no") }
	der, err := token.ExportCertificate(c)
	if err != nil {
		t.Fatalf("ExportCertificate: %v", err)
	}
	if !bytes.Equal(der, d.UserCert.Raw) {
		t.Error("the exported certificate is not the issued one")
	}
	c.Label = "NOT THERE"
	if _, err := token.ExportCertificate(c); !errors.Is(err, token.ErrTokenNotFound) {
		t.Errorf("export from a missing token: err = %v, want ErrTokenNotFound", err)
	}
}

func TestListShowsTheCardsObjectsAndNoPrivateValue(t *testing.T) {
	d := provisiontest.NewCard(t, provision.DemoCardOptions{KeyType: "rsa2048"})
	slots, err := token.List(d.Module)
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	var tok *token.TokenInfo
	for _, s := range slots {
		if s.Token != nil && s.Token.Label == d.Label {
			tok = s.Token
		}
	}
	if tok == nil {
		t.Fatalf("List does not show the token %q: %+v", d.Label, slots)
	}
	if !tok.Initialized || !tok.LoginRequired || tok.PINLocked {
		t.Errorf("flags: initialized=%v login=%v locked=%v", tok.Initialized, tok.LoginRequired, tok.PINLocked)
	}
	seen := map[string]string{}
	for _, o := range tok.Objects {
		seen[o.Class+"/"+o.Label] = o.KeyType
		if o.Class == "private-key" {
			t.Errorf("a private key is listed without a login: %+v", o)
		}
	}
	for _, want := range []string{
		"certificate/" + token.LabelAuthCertificate,
		"certificate/" + token.LabelSubCA,
		"certificate/" + token.LabelRootCA,
		"public-key/" + token.LabelAuthKey,
	} {
		if _, ok := seen[want]; !ok {
			t.Errorf("List lacks %s; it has %v", want, seen)
		}
	}
	if kt := seen["public-key/"+token.LabelAuthKey]; kt != "rsa" {
		t.Errorf("public key type = %q, want rsa", kt)
	}
	// Nothing of the key's value reaches the listing, not even the public
	// modulus: only class, label, id and key type are read.
	modulus := fmt.Sprintf("%x", d.UserCert.PublicKey.(*rsa.PublicKey).N.Bytes()[:16])
	var listing strings.Builder
	for _, sl := range slots {
		if sl.Token != nil {
			for _, o := range sl.Token.Objects {
				fmt.Fprintf(&listing, "%x %x %x;", o.Class, o.Label, o.ID)
			}
		}
	}
	if strings.Contains(listing.String(), modulus) {
		t.Error("the listing carries key material")
	}
	assertFinalized(t, d.Module)
}

func TestSessionsOfOneModuleShareIt(t *testing.T) {
	d := provisiontest.NewCard(t, provision.DemoCardOptions{KeyType: "p256"})
	m, err := token.LoadModule(d.Module)
	if err != nil {
		t.Fatal(err)
	}
	s1, err := m.Open(d.Config())
	if err != nil {
		t.Fatal(err)
	}
	s2, err := m.Open(d.Config())
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s1.Close(); err != nil {
		t.Fatal(err)
	}
	digest := sha256.Sum256([]byte("still here"))
	if _, err := s2.Signer().Sign(nil, digest[:], crypto.SHA256); err != nil {
		t.Fatalf("the second session stopped working when the first closed: %v", err)
	}
	if err := s2.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s2.Close(); err != nil {
		t.Fatalf("a second Close: %v", err)
	}
	assertFinalized(t, d.Module)
}

// What can be simulated of a token that disappears: SoftHSM2 has no
// removable slots, so the tests remove the token's files under an open
// session (the module then reports the key handle invalid) and close the
// PKCS#11 session under the Session (CKR_SESSION_HANDLE_INVALID, what a
// middleware reports after a card is pulled).
func TestATokenThatDisappearsFailsCleanly(t *testing.T) {
	for _, tc := range []struct {
		name   string
		remove func(t *testing.T, d *provision.DemoCard, s *token.Session)
	}{
		{"the token's files are deleted", func(t *testing.T, d *provision.DemoCard, s *token.Session) {
			if err := os.RemoveAll(d.TokenDir); err != nil {
				t.Fatal(err)
			}
		}},
		{"the module session is closed under it", func(t *testing.T, d *provision.DemoCard, s *token.Session) {
			if err := token.CloseSessionUnder(s); err != nil {
				t.Fatal(err)
			}
		}},
		{"all sessions of the slot are closed", func(t *testing.T, d *provision.DemoCard, s *token.Session) {
			if err := token.CloseAllSessionsUnder(s); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := provisiontest.NewCard(t, provision.DemoCardOptions{KeyType: "p256"})
			s, err := token.Open(d.Config())
			if err != nil {
				t.Fatal(err)
			}
			digest := sha256.Sum256([]byte("before"))
			if _, err := s.Signer().Sign(nil, digest[:], crypto.SHA256); err != nil {
				t.Fatalf("Sign before removal: %v", err)
			}
			tc.remove(t, d, s)
			for i := range 2 {
				sig, err := s.Signer().Sign(nil, digest[:], crypto.SHA256)
				if !errors.Is(err, token.ErrTokenRemoved) {
					t.Fatalf("Sign %d after removal: err = %v, want ErrTokenRemoved", i+1, err)
				}
				if sig != nil {
					t.Fatal("a signature came back with the error")
				}
			}
			if err := s.Close(); err != nil {
				t.Errorf("Close after removal: %v", err)
			}
			// SoftHSM2 will not initialize without its token directory.
			if err := os.MkdirAll(d.TokenDir, 0o700); err != nil {
				t.Fatal(err)
			}
			assertFinalized(t, d.Module)
		})
	}
}

func TestSignRefusesMismatchedInput(t *testing.T) {
	d := provisiontest.NewCard(t, provision.DemoCardOptions{KeyType: "p256"})
	s := provisiontest.Open(t, d.Config())
	digest := sha256.Sum256([]byte("x"))
	for _, tc := range []struct {
		name   string
		digest []byte
		opts   crypto.SignerOpts
	}{
		{"a digest of the wrong length", digest[:31], crypto.SHA256},
		{"no hash", digest[:], crypto.Hash(0)},
		{"nil options", digest[:], nil},
	} {
		t.Run(tc.name+" is refused", func(t *testing.T) {
			if _, err := s.Signer().Sign(nil, tc.digest, tc.opts); err == nil {
				t.Fatal("Sign succeeded")
			}
		})
	}
	if _, err := s.Signer().Sign(nil, digest[:], crypto.SHA256); err != nil {
		t.Fatalf("the session broke after refused input: %v", err)
	}
}

func TestASessionSignsFromManyGoroutines(t *testing.T) {
	d := provisiontest.NewCard(t, provision.DemoCardOptions{KeyType: "p256"})
	s := provisiontest.Open(t, d.Config())
	errs := make(chan error, 16)
	for i := range cap(errs) {
		go func() {
			h := sha256.Sum256([]byte{byte(i)})
			scheme, sig, err := signature.Sign(s.Signer(), testContext, h[:], signature.Options{})
			if err == nil {
				err = signature.Verify(d.UserCert.PublicKey, scheme, testContext, h[:], sig, false)
			}
			errs <- err
		}()
	}
	for range cap(errs) {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
