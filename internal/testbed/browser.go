package testbed

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"testing"
	"time"

	"securemedia/client"
	"securemedia/internal/webauthntest"
	"securemedia/license"
	"securemedia/protocol"
	"securemedia/server"
)

// Browser viewers in a bed (DESIGN.md §11): what the page does, in Go.

// The relying party of UsersOptions.Web beds.
const (
	WebRPID   = "localhost"
	WebOrigin = "http://localhost:8443"
)

// BrowserDevice is a browser's device identity as the page makes it: an
// ECDSA P-256 key and a self-signed certificate naming
// server.BrowserDeviceCommonName, for clientAuth, valid ten years.
type BrowserDevice struct {
	Chain [][]byte
	Key   *ecdsa.PrivateKey
	// Name is how the registry names it (license.DeviceName).
	Name string
}

// NewBrowserDevice makes a fresh browser device identity.
func NewBrowserDevice(t testing.TB) *BrowserDevice {
	t.Helper()
	d, err := MakeBrowserDevice()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// MakeBrowserDevice makes a fresh browser device identity.
func MakeBrowserDevice() (*BrowserDevice, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	serial := make([]byte, 8)
	rand.Read(serial)
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: new(big.Int).SetBytes(serial),
		Subject:      pkix.Name{CommonName: server.BrowserDeviceCommonName},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.AddDate(10, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &BrowserDevice{Chain: [][]byte{der}, Key: key, Name: license.DeviceName(sha256.Sum256(cert.RawSubjectPublicKeyInfo))}, nil
}

// NewAuthenticator is a software authenticator for the bed's relying
// party.
func NewAuthenticator(t testing.TB) *webauthntest.Authenticator {
	t.Helper()
	a, err := webauthntest.New(WebRPID, WebOrigin)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// BrowserConfig is a client configuration of a browser device d: without
// a user when auth is nil (a session that may only register), else a
// WebAuthn login with auth as user (license tokens must name them).
func (b *Bed) BrowserConfig(t testing.TB, d *BrowserDevice, auth *webauthntest.Authenticator, user string) client.Config {
	t.Helper()
	return AsBrowser(b.ClientConfig(t), d, auth, user)
}

// AsBrowser makes cfg a browser device d's configuration, as BrowserConfig
// does.
func AsBrowser(cfg client.Config, d *BrowserDevice, auth *webauthntest.Authenticator, user string) client.Config {
	pc := *cfg.Protocol
	cfg.Protocol = &pc
	cfg.Protocol.Certificate, cfg.Protocol.PrivateKey, cfg.Protocol.User, cfg.Protocol.WebAuthn = d.Chain, d.Key, nil, nil
	cfg.UserID = ""
	if auth != nil {
		cfg.Protocol.WebAuthn = func(challenge []byte) (*protocol.WebAuthnAssertion, error) {
			a, err := auth.Assert(challenge)
			if err != nil {
				return nil, err
			}
			return &protocol.WebAuthnAssertion{CredentialID: a.CredentialID, AuthenticatorData: a.AuthenticatorData,
				ClientDataJSON: a.ClientDataJSON, Signature: a.Signature}, nil
		}
		cfg.UserID = user
	}
	return cfg
}

// Invite stores an invite valid for d and returns its code, as `user
// invite` does.
func (u *UsersBed) Invite(t testing.TB, name string, d time.Duration) string {
	t.Helper()
	code, hash, err := license.NewInviteCode()
	if err != nil {
		t.Fatal(err)
	}
	now := u.now()
	if err := u.Store.CreateInvite(context.Background(), license.Invite{CodeHash: hash, Name: name, CreatedAt: now, ExpiresAt: now.Add(d)}); err != nil {
		t.Fatal(err)
	}
	return code
}

func (u *UsersBed) now() time.Time {
	if u.o.Now != nil {
		return u.o.Now()
	}
	return time.Now()
}

// RegisterBrowser registers a browser viewer as the page does: a session
// of device d without a user, the invite's creation options, auth's
// credential made with them, and the registration; it returns the new
// user's id, or the error of the step that failed.
func (b *Bed) RegisterBrowser(t testing.TB, d *BrowserDevice, auth *webauthntest.Authenticator, invite, name string) (string, error) {
	t.Helper()
	return RegisterBrowser(context.Background(), b.BrowserConfig(t, d, nil, ""), auth, invite, name)
}

// RegisterBrowser registers a browser viewer with cfg, a browser device's
// configuration without a user (AsBrowser), as Bed.RegisterBrowser does.
func RegisterBrowser(ctx context.Context, cfg client.Config, auth *webauthntest.Authenticator, invite, name string) (string, error) {
	c, err := client.Dial(ctx, cfg)
	if err != nil {
		return "", err
	}
	defer c.Close(ctx)
	options, err := c.RegisterOptions(ctx, invite)
	if err != nil {
		return "", err
	}
	cred, err := auth.Register(options)
	if err != nil {
		return "", err
	}
	r, err := c.Register(ctx, invite, cred, name)
	if err != nil {
		return "", err
	}
	return r.User, nil
}
