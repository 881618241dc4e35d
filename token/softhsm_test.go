package token

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
	"time"

	"github.com/miekg/pkcs11"

	"securemedia/internal/signature"
)

// testPIN is the PIN of every test card.
const testPIN = "246810"

// testContext is the signature context the tests sign under, as the
// handshake will with its own.
const testContext = "securemedia test user authentication"

// requireSoftHSM returns the SoftHSM2 module or skips the test.
func requireSoftHSM(t testing.TB) string {
	t.Helper()
	mod, ok := SoftHSMModule()
	if !ok {
		t.Skip("SoftHSM2 is not installed (apt-get install softhsm2); skipping the PKCS#11 test")
	}
	return mod
}

// newTestCard creates a demo card in a fresh directory. SOFTHSM2_CONF is
// restored when the test ends.
func newTestCard(t testing.TB, o DemoCardOptions) *DemoCard {
	t.Helper()
	requireSoftHSM(t)
	t.Setenv(SoftHSMConfigEnv, os.Getenv(SoftHSMConfigEnv))
	if o.PIN == nil {
		o.PIN = []byte(testPIN)
	}
	if o.SerialNumber == "" {
		o.SerialNumber = "BI123456789"
	}
	d, err := CreateDemoCard(t.TempDir(), o)
	if err != nil {
		t.Fatalf("CreateDemoCard: %v", err)
	}
	return d
}

func pinFunc(pin string) func() ([]byte, error) {
	return func() ([]byte, error) { return []byte(pin), nil }
}

func openCard(t *testing.T, c Config) *Session {
	t.Helper()
	s, err := Open(c)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// assertFinalized checks that the module was finalized, by initializing it
// again: only a finalized module lets us be its owner.
func assertFinalized(t *testing.T, module string) {
	t.Helper()
	m, err := LoadModule(module)
	if err != nil {
		t.Fatalf("LoadModule: %v", err)
	}
	defer m.Close()
	if !m.owns {
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
			d := newTestCard(t, DemoCardOptions{KeyType: tc.keyType})
			s := openCard(t, d.Config())
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
	d := newTestCard(t, DemoCardOptions{KeyType: "p256", HolderName: "Maria Silva", SerialNumber: "BI987654321"})
	s := openCard(t, d.Config())
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
	d := newTestCard(t, DemoCardOptions{KeyType: "p256"})
	c := d.Config()
	c.PIN = pinFunc("000000")
	_, err := Open(c)
	if !errors.Is(err, ErrWrongPIN) {
		t.Fatalf("Open with a wrong PIN: err = %v, want ErrWrongPIN", err)
	}
	if !strings.Contains(err.Error(), d.Label) {
		t.Errorf("the error %q does not name the token", err)
	}
	assertFinalized(t, d.Module)
	// One wrong try must not have locked the card.
	s := openCard(t, d.Config())
	if s.Certificate() == nil {
		t.Fatal("no certificate after login")
	}
}

func TestAPINIsRequired(t *testing.T) {
	d := newTestCard(t, DemoCardOptions{KeyType: "p256"})
	c := d.Config()
	c.PIN = nil
	if _, err := Open(c); err == nil || !strings.Contains(err.Error(), "needs a PIN") {
		t.Fatalf("Open without a PIN source: err = %v", err)
	}
	c.PIN = func() ([]byte, error) { return nil, errors.New("no terminal") }
	if _, err := Open(c); err == nil || !strings.Contains(err.Error(), "no terminal") {
		t.Fatalf("Open with a failing PIN source: err = %v", err)
	}
}

func TestTheTokenIsSelectedByLabelOrURI(t *testing.T) {
	d := newTestCard(t, DemoCardOptions{KeyType: "p256", Label: "CARTAO TESTE"})
	for _, tc := range []struct {
		name    string
		label   string
		uri     string
		profile Profile
		wantErr error // nil: opens
		errText string
	}{
		{name: "the right label opens the card", label: "CARTAO TESTE", profile: CitizenCard},
		{name: "a wrong label finds no token", label: "OTHER CARD", profile: CitizenCard, wantErr: ErrTokenNotFound},
		{name: "a URI with the right token opens the card", uri: "pkcs11:token=CARTAO%20TESTE", profile: CitizenCard},
		{name: "a URI with the module path opens the card", uri: "pkcs11:token=CARTAO%20TESTE?module-path=" + d.Module, profile: CitizenCard},
		{name: "a URI with a wrong token finds no token", uri: "pkcs11:token=NOPE", profile: CitizenCard, wantErr: ErrTokenNotFound},
		{name: "a URI with a wrong serial finds no token", uri: "pkcs11:token=CARTAO%20TESTE;serial=0000", profile: CitizenCard, wantErr: ErrTokenNotFound},
		{name: "a generic URI names the key by label", uri: "pkcs11:token=CARTAO%20TESTE;object=CITIZEN%20AUTHENTICATION%20KEY;type=private", profile: Generic},
		{name: "a generic URI names the key by id", uri: "pkcs11:token=CARTAO%20TESTE;id=%45%01", profile: Generic},
		{name: "a generic URI naming no such key fails", uri: "pkcs11:token=CARTAO%20TESTE;object=NOPE;type=private", profile: Generic, wantErr: ErrObjectNotFound},
		{name: "a URI carrying a PIN is refused", uri: "pkcs11:token=CARTAO%20TESTE?pin-value=" + testPIN, profile: CitizenCard, errText: "never taken from a URI"},
		{name: "a URI and a label that disagree are refused", label: "CARTAO TESTE", uri: "pkcs11:token=OTHER", profile: CitizenCard, errText: "differ"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := Config{Module: d.Module, Label: tc.label, URI: tc.uri, Profile: tc.profile, PIN: pinFunc(testPIN)}
			s, err := Open(c)
			switch {
			case tc.wantErr == nil && tc.errText == "":
				if err != nil {
					t.Fatalf("Open: %v", err)
				}
				defer s.Close()
				if !bytes.Equal(s.Chain()[0], d.UserCert.Raw) {
					t.Error("opened the wrong certificate")
				}
				if tc.profile == Generic && len(s.Chain()) != 1 {
					t.Errorf("generic chain has %d certificates, want the leaf only", len(s.Chain()))
				}
			case tc.wantErr != nil:
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err = %v, want %v", err, tc.wantErr)
				}
			default:
				if err == nil || !strings.Contains(err.Error(), tc.errText) {
					t.Fatalf("err = %v, want one saying %q", err, tc.errText)
				}
			}
		})
	}
	assertFinalized(t, d.Module)
}

func TestExportCertificateNeedsNoLoginAndMatchesTheIssuedOne(t *testing.T) {
	d := newTestCard(t, DemoCardOptions{KeyType: "p256"})
	c := d.Config()
	c.PIN = func() ([]byte, error) { t.Error("ExportCertificate asked for a PIN"); return nil, errors.New("no") }
	der, err := ExportCertificate(c)
	if err != nil {
		t.Fatalf("ExportCertificate: %v", err)
	}
	if !bytes.Equal(der, d.UserCert.Raw) {
		t.Error("the exported certificate is not the issued one")
	}
	c.Label = "NOT THERE"
	if _, err := ExportCertificate(c); !errors.Is(err, ErrTokenNotFound) {
		t.Errorf("export from a missing token: err = %v, want ErrTokenNotFound", err)
	}
}

func TestListShowsTheCardsObjectsAndNoPrivateValue(t *testing.T) {
	d := newTestCard(t, DemoCardOptions{KeyType: "rsa2048"})
	slots, err := List(d.Module)
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	var tok *TokenInfo
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
		"certificate/" + LabelAuthCertificate,
		"certificate/" + LabelSubCA,
		"certificate/" + LabelRootCA,
		"public-key/" + LabelAuthKey,
	} {
		if _, ok := seen[want]; !ok {
			t.Errorf("List lacks %s; it has %v", want, seen)
		}
	}
	if kt := seen["public-key/"+LabelAuthKey]; kt != "rsa" {
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
	d := newTestCard(t, DemoCardOptions{KeyType: "p256"})
	m, err := LoadModule(d.Module)
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
		remove func(t *testing.T, d *DemoCard, s *Session)
	}{
		{"the token's files are deleted", func(t *testing.T, d *DemoCard, s *Session) {
			if err := os.RemoveAll(d.TokenDir); err != nil {
				t.Fatal(err)
			}
		}},
		{"the module session is closed under it", func(t *testing.T, d *DemoCard, s *Session) {
			s.m.mu.Lock()
			defer s.m.mu.Unlock()
			if err := s.m.ctx.CloseSession(s.sh); err != nil {
				t.Fatal(err)
			}
		}},
		{"all sessions of the slot are closed", func(t *testing.T, d *DemoCard, s *Session) {
			s.m.mu.Lock()
			defer s.m.mu.Unlock()
			if err := s.m.ctx.CloseAllSessions(s.slot); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newTestCard(t, DemoCardOptions{KeyType: "p256"})
			s, err := Open(d.Config())
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
				if !errors.Is(err, ErrTokenRemoved) {
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
	d := newTestCard(t, DemoCardOptions{KeyType: "p256"})
	s := openCard(t, d.Config())
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

func TestTwoCardsShareADirectoryAndACA(t *testing.T) {
	requireSoftHSM(t)
	t.Setenv(SoftHSMConfigEnv, os.Getenv(SoftHSMConfigEnv))
	dir := t.TempDir()
	a, err := CreateDemoCard(dir, DemoCardOptions{KeyType: "p256", Label: "CARD A", SerialNumber: "BI111111111", PIN: []byte(testPIN)})
	if err != nil {
		t.Fatal(err)
	}
	b, err := CreateDemoCard(dir, DemoCardOptions{KeyType: "p256", Label: "CARD B", SerialNumber: "BI222222222", PIN: []byte(testPIN), CA: a.CA})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := CreateDemoCard(dir, DemoCardOptions{KeyType: "p256", Label: "CARD B", SerialNumber: "BI333333333", CA: a.CA}); err == nil {
		t.Error("a second card with the same label was created")
	}
	for _, d := range []*DemoCard{a, b} {
		s := openCard(t, d.Config())
		if got := s.Certificate().Subject.SerialNumber; got != d.SerialNumber {
			t.Errorf("card %q carries %q, want %q", d.Label, got, d.SerialNumber)
		}
		if err := s.Certificate().CheckSignatureFrom(a.CA.SubCA); err != nil {
			t.Errorf("card %q is not issued by the shared sub-CA: %v", d.Label, err)
		}
		s.Close()
	}
}

func TestCreateDemoCardRefusesWhileSoftHSMIsInUse(t *testing.T) {
	d := newTestCard(t, DemoCardOptions{KeyType: "p256"})
	openCard(t, d.Config())
	if _, err := CreateDemoCard(t.TempDir(), DemoCardOptions{KeyType: "p256"}); err == nil || !strings.Contains(err.Error(), "already in use") {
		t.Fatalf("err = %v, want a refusal", err)
	}
}

func TestAnExpiredCardCanBeMade(t *testing.T) {
	past := time.Now().Add(-48 * time.Hour)
	d := newTestCard(t, DemoCardOptions{KeyType: "p256", NotBefore: past, Validity: time.Hour})
	if !d.UserCert.NotAfter.Before(time.Now()) {
		t.Fatalf("NotAfter = %v, want in the past", d.UserCert.NotAfter)
	}
	// The token still signs: refusing expired identities is the server's job.
	s := openCard(t, d.Config())
	if len(s.Chain()) != 3 {
		t.Fatal("no chain")
	}
}

func TestErrorClassification(t *testing.T) {
	for _, tc := range []struct {
		code    uint
		removal bool
	}{
		{pkcs11.CKR_DEVICE_REMOVED, true},
		{pkcs11.CKR_TOKEN_NOT_PRESENT, true},
		{pkcs11.CKR_SESSION_HANDLE_INVALID, true},
		{pkcs11.CKR_SESSION_CLOSED, true},
		{pkcs11.CKR_PIN_INCORRECT, false},
		{pkcs11.CKR_FUNCTION_FAILED, false},
	} {
		name := fmt.Sprintf("%v means removal: %v", pkcs11.Error(tc.code), tc.removal)
		t.Run(name, func(t *testing.T) {
			if got := isRemoval(fmt.Errorf("wrapped: %w", pkcs11.Error(tc.code))); got != tc.removal {
				t.Errorf("isRemoval = %v", got)
			}
		})
	}
}

// SoftHSM2 never locks a PIN, so the classification of C_Login's answers is
// tested on its own.
func TestLoginAnswersAreClassified(t *testing.T) {
	ti := pkcs11.TokenInfo{Label: "CARD"}
	final := pkcs11.TokenInfo{Label: "CARD", Flags: pkcs11.CKF_USER_PIN_FINAL_TRY}
	for _, tc := range []struct {
		name     string
		err      error
		ti       pkcs11.TokenInfo
		want     error // nil: success
		wantText string
	}{
		{"a successful login is accepted", nil, ti, nil, ""},
		{"a login another session made is accepted", pkcs11.Error(pkcs11.CKR_USER_ALREADY_LOGGED_IN), ti, nil, ""},
		{"an incorrect PIN is a wrong PIN", pkcs11.Error(pkcs11.CKR_PIN_INCORRECT), ti, ErrWrongPIN, `token "CARD"`},
		{"a PIN of the wrong length is a wrong PIN", pkcs11.Error(pkcs11.CKR_PIN_LEN_RANGE), ti, ErrWrongPIN, ""},
		{"a wrong PIN on the final try warns of the lock", pkcs11.Error(pkcs11.CKR_PIN_INCORRECT), final, ErrWrongPIN, "last try"},
		{"a locked PIN is reported as locked", pkcs11.Error(pkcs11.CKR_PIN_LOCKED), ti, ErrPINLocked, ""},
		{"a removed card is reported as removed", pkcs11.Error(pkcs11.CKR_DEVICE_REMOVED), ti, ErrTokenRemoved, ""},
		{"a token without a user PIN says so", pkcs11.Error(pkcs11.CKR_USER_PIN_NOT_INITIALIZED), ti, pkcs11.Error(pkcs11.CKR_USER_PIN_NOT_INITIALIZED), "no user PIN yet"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := loginError(tc.err, tc.ti)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("err = %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.wantText) {
				t.Errorf("err = %q, want it to say %q", err, tc.wantText)
			}
		})
	}
	if err := loginError(pkcs11.Error(pkcs11.CKR_FUNCTION_FAILED), ti); err == nil || errors.Is(err, ErrWrongPIN) {
		t.Errorf("a module failure: err = %v, want a plain error", err)
	}
}

func TestASessionSignsFromManyGoroutines(t *testing.T) {
	d := newTestCard(t, DemoCardOptions{KeyType: "p256"})
	s := openCard(t, d.Config())
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
