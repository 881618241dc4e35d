package license_test

import (
	"bytes"
	"crypto/x509"
	"errors"
	"fmt"
	"testing"
	"time"

	"securemedia/license"
	"securemedia/license/storetest"
)

func testLicense() license.License {
	now := time.Date(2030, 1, 2, 3, 4, 5, 6, time.UTC)
	return license.License{ID: "0123456789abcdef", UserID: "PNOBE-1", MediaID: "media-1"}.
		Renewed(license.Policy{Views: 5, Period: 48 * time.Hour}, now)
}

// trustOnly returns a verifyChain that accepts exactly the given leaf.
func trustOnly(t *testing.T, chain [][]byte) func([][]byte) (*x509.Certificate, error) {
	return func(got [][]byte) (*x509.Certificate, error) {
		if len(got) != 1 || !bytes.Equal(got[0], chain[0]) {
			return nil, errors.New("untrusted chain")
		}
		return x509.ParseCertificate(got[0])
	}
}

func TestTokenRoundTrip(t *testing.T) {
	signer, chain := storetest.NewSigner(t)
	l := testLicense()
	l.ViewsUsed = 2
	now := l.IssuedAt.Add(time.Minute)
	tok, err := license.SignToken(l, signer, chain, now)
	if err != nil {
		t.Fatal(err)
	}
	got, err := license.VerifyToken(tok, trustOnly(t, chain))
	if err != nil {
		t.Fatal(err)
	}
	if got.LicenseID != l.ID || got.UserID != l.UserID || got.MediaID != l.MediaID || got.Policy != l.Policy ||
		got.ViewsLeftAtIssue != 3 || !got.IssuedAt.Equal(l.IssuedAt) || !got.ExpiresAt.Equal(l.ExpiresAt) || !got.SignedAt.Equal(now) {
		t.Fatalf("verified token %+v does not match license %+v", got, l)
	}
}

func TestTokenUnlimited(t *testing.T) {
	signer, chain := storetest.NewSigner(t)
	l := testLicense().Renewed(license.Policy{}, time.Unix(1, 0))
	tok, err := license.SignToken(l, signer, chain, time.Unix(2, 0))
	if err != nil {
		t.Fatal(err)
	}
	got, err := license.VerifyToken(tok, trustOnly(t, chain))
	if err != nil {
		t.Fatal(err)
	}
	if got.ViewsLeftAtIssue != -1 || !got.ExpiresAt.IsZero() {
		t.Fatalf("unlimited token decoded as %+v", got)
	}
}

func TestTokenRefusals(t *testing.T) {
	signer, chain := storetest.NewSigner(t)
	otherSigner, otherChain := storetest.NewSigner(t)
	l := testLicense()
	now := l.IssuedAt
	tok, err := license.SignToken(l, signer, chain, now)
	if err != nil {
		t.Fatal(err)
	}
	// A token signed by another key but carrying the trusted chain.
	impostor, err := license.SignToken(l, otherSigner, chain, now)
	if err != nil {
		t.Fatal(err)
	}
	selfSigned, err := license.SignToken(l, otherSigner, otherChain, now)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		tok  []byte
	}{
		{"an empty token", nil},
		{"a truncated token", tok[:len(tok)-1]},
		{"a token with trailing bytes", append(append([]byte(nil), tok...), 0)},
		{"a token signed by a key that does not match its chain", impostor},
		{"a token whose chain is not trusted", selfSigned},
	}
	// Flip every byte of the body in turn: nothing may verify.
	for i := 2; i < 2+60; i++ {
		altered := append([]byte(nil), tok...)
		altered[i] ^= 0x01
		cases = append(cases, struct {
			name string
			tok  []byte
		}{fmt.Sprintf("a token altered at byte %d", i), altered})
	}
	sigAltered := append([]byte(nil), tok...)
	sigAltered[len(sigAltered)-5] ^= 0x80
	cases = append(cases, struct {
		name string
		tok  []byte
	}{"a token with an altered signature", sigAltered})
	for _, c := range cases {
		if _, err := license.VerifyToken(c.tok, trustOnly(t, chain)); err == nil {
			t.Errorf("%s: verified, want refused", c.name)
		}
	}
}

func TestSignTokenRefusesBadLicenses(t *testing.T) {
	signer, chain := storetest.NewSigner(t)
	good := testLicense()
	noID := good
	noID.ID = ""
	badPolicy := good
	badPolicy.Policy.Views = -1
	for name, c := range map[string]struct {
		l     license.License
		chain [][]byte
	}{
		"a license without an id": {noID, chain},
		"a negative view count":   {badPolicy, chain},
		"no chain":                {good, nil},
	} {
		if _, err := license.SignToken(c.l, signer, c.chain, time.Now()); err == nil {
			t.Errorf("%s: signed, want an error", name)
		}
	}
}

func FuzzVerifyToken(f *testing.F) {
	signer, chain := storetest.NewSigner(f)
	tok, err := license.SignToken(testLicense(), signer, chain, time.Unix(1e9, 0))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(tok)
	f.Add([]byte{})
	f.Add([]byte{0, 1, 1})
	f.Add(tok[:40])
	accept := func(c [][]byte) (*x509.Certificate, error) { return x509.ParseCertificate(c[0]) }
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := license.VerifyToken(b, accept)
		if err != nil {
			return
		}
		// Only the signer can make a token that verifies, and it signed
		// one license: whatever verifies must carry exactly that.
		want := testLicense()
		if got.LicenseID != want.ID || got.UserID != want.UserID || got.MediaID != want.MediaID || got.Policy != want.Policy {
			t.Fatalf("a token for another license verified: %+v", got)
		}
	})
}

func TestTokenRemaining(t *testing.T) {
	signer, chain := storetest.NewSigner(t)
	l := testLicense()
	l.ViewsUsed = 4
	tok, err := license.SignToken(l, signer, chain, l.IssuedAt)
	if err != nil {
		t.Fatal(err)
	}
	got, err := license.VerifyToken(tok, trustOnly(t, chain))
	if err != nil {
		t.Fatal(err)
	}
	if s := got.Remaining(l.IssuedAt.Add(time.Hour)); s != "1 view left, 47h0m0s left" {
		t.Fatalf("Remaining = %q", s)
	}
}
