package server

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/protocol/webauthncose"
	"github.com/go-webauthn/webauthn/webauthn"

	"securemedia/license"
	smprotocol "securemedia/protocol"
)

// Browser viewers (DESIGN.md §11). A browser's device identity is a
// non-extractable WebCrypto key, which the page wraps in a self-signed
// certificate: such a certificate is trusted only by the registry, never by
// the PKI. A session from a browser device without a user may only
// register a viewer with an invite (register.go), which binds the device
// to the new user; a session with a user is a WebAuthn login over the
// handshake transcript from a device bound to that user. Everything else
// about devices and users is as for cards: a disabled user or a removed
// device cannot log in, and their sessions end at their next fetch.

// BrowserDeviceCommonName is the subject common name of a browser device's
// self-signed certificate: a single self-signed certificate with it is a
// browser device, whatever else it says.
const BrowserDeviceCommonName = "securemedia browser device"

// Defaults of WebConfig.
const (
	// DefaultRegistrationTimeout is how long the creation options of a
	// registration stay valid.
	DefaultRegistrationTimeout = 5 * time.Minute
	// rpDisplayName is the relying party's name authenticators show.
	rpDisplayName = "securemedia"
	// userHandleSize is the size of a new WebAuthn user handle (random).
	userHandleSize = 32
)

// WebConfig is the relying party of the browsers' WebAuthn credentials.
type WebConfig struct {
	// RPID is the WebAuthn relying party id, the page's host name
	// ("localhost", or the server's domain); authenticator data naming
	// another is refused.
	RPID string
	// Origins are the page's origins ("http://localhost:8443"); client data
	// naming another is refused.
	Origins []string
	// RequireUserVerification makes registrations and logins need the
	// authenticator's user verification (a PIN, a fingerprint); without
	// it, user presence (a touch) is required and verification preferred.
	RequireUserVerification bool
	// RegistrationTimeout bounds the time from register-options to
	// register; zero means DefaultRegistrationTimeout.
	RegistrationTimeout time.Duration
}

// browsers is the server's side of browser viewers: the WebAuthn relying
// party (github.com/go-webauthn/webauthn) and the registry.
type browsers struct {
	cfg   WebConfig
	rp    *webauthn.WebAuthn
	store license.Store
	log   *slog.Logger
	now   func() time.Time
}

func newBrowsers(cfg WebConfig, store license.Store, log *slog.Logger, now func() time.Time) (*browsers, error) {
	if store == nil {
		return nil, errors.New("server: browser viewers need the license store")
	}
	if cfg.RegistrationTimeout <= 0 {
		cfg.RegistrationTimeout = DefaultRegistrationTimeout
	}
	uv := protocol.VerificationPreferred
	if cfg.RequireUserVerification {
		uv = protocol.VerificationRequired
	}
	rp, err := webauthn.New(&webauthn.Config{
		RPID:                  cfg.RPID,
		RPDisplayName:         rpDisplayName,
		RPOrigins:             cfg.Origins,
		AttestationPreference: protocol.PreferNoAttestation,
		AuthenticatorSelection: protocol.AuthenticatorSelection{
			ResidentKey:      protocol.ResidentKeyRequirementPreferred,
			UserVerification: uv,
		},
		Timeouts: webauthn.TimeoutsConfig{Registration: webauthn.TimeoutConfig{Timeout: cfg.RegistrationTimeout, TimeoutUVD: cfg.RegistrationTimeout}},
	})
	if err != nil {
		return nil, fmt.Errorf("server: web: %w", err)
	}
	return &browsers{cfg: cfg, rp: rp, store: store, log: log, now: now}, nil
}

// isBrowserDevice reports whether chain is a browser device's: one
// self-signed certificate naming itself BrowserDeviceCommonName.
func isBrowserDevice(chain [][]byte) (*x509.Certificate, bool) {
	if len(chain) != 1 {
		return nil, false
	}
	c, err := x509.ParseCertificate(chain[0])
	if err != nil || !isBrowserCert(c) {
		return nil, false
	}
	return c, true
}

// isBrowserCert is isBrowserDevice for a leaf already parsed (the
// handshake's validated one), without parsing it again.
func isBrowserCert(c *x509.Certificate) bool {
	return bytes.Equal(c.RawIssuer, c.RawSubject) && c.Subject.CommonName == BrowserDeviceCommonName
}

// verifyDevice checks a browser device's certificate: self-signed by
// its own key (an ECDSA P-256 WebCrypto key), for client authentication,
// within its validity. The key is trusted only as far as the registry
// says: by AdmitPeer (no user: a registration) or the WebAuthn verifier (a
// login from a device bound to the user).
func (b *browsers) verifyDevice(c *x509.Certificate) (*x509.Certificate, error) {
	pub, ok := c.PublicKey.(*ecdsa.PublicKey)
	switch now := b.now(); {
	case !ok || pub.Curve != elliptic.P256():
		return nil, errors.New("browser device certificate: not an ECDSA P-256 key")
	case c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature) != nil:
		return nil, errors.New("browser device certificate: not self-signed by its key")
	case !slices.Contains(c.ExtKeyUsage, x509.ExtKeyUsageClientAuth):
		return nil, errors.New("browser device certificate: no clientAuth usage")
	case now.Before(c.NotBefore) || now.After(c.NotAfter):
		return nil, errors.New("browser device certificate: outside its validity")
	}
	return c, nil
}

// admitPeer is protocol.Config.AdmitPeer with browsers: a browser device
// logs in with WebAuthn or comes without a user to register one, never
// with a card; every other device as before (a user when requireUser).
func admitPeer(requireUser bool) func(p *smprotocol.PeerInfo) error {
	return func(p *smprotocol.PeerInfo) error {
		browser := isBrowserCert(p.Certificate)
		switch {
		case browser && p.User != nil:
			return &userRefusedError{reason: "a browser device logs in with WebAuthn, not a card"}
		case browser:
			return nil
		case p.WebAuthnUser != "":
			// The verifier found no browser device bound to the user.
			return &userRefusedError{reason: "browser device not registered for this user"}
		case requireUser && p.User == nil:
			return smprotocol.ErrUserRequired
		}
		return nil
	}
}

// Reasons of a refused WebAuthn login, as the peer sees them (they name
// no identity). Every failure of the assertion itself is one reason, so
// that nobody probes the registry with made-up credentials; only a login
// whose assertion verified learns more.
const (
	reasonWebAuthnRefused = "user authentication refused"
	reasonDeviceUnbound   = "browser device not registered for this user"
	reasonDeviceRemoved   = "browser device removed"
)

// verifyAssertion is protocol.Config.VerifyWebAuthn: the credential by
// id, then go-webauthn's checks (client data type "webauthn.get", the
// challenge, the origin, the RP ID hash, user presence and verification
// when required, the backup flags, the signature with the stored key, the
// counter), then the user enabled and the device bound to them and not
// removed, and last the counter stored, moving forward only. The refusals
// are logged with their detail at debug level: the log at info level holds
// nothing of the user's identity.
func (b *browsers) verifyAssertion(challenge []byte, a smprotocol.WebAuthnAssertion, spki [32]byte) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), userLookupTimeout)
	defer cancel()
	refuse := func(reason string, err error) (string, error) {
		b.log.Info("WebAuthn login refused", "reason", reason)
		b.log.Debug("WebAuthn login refused", "credential", base64.RawURLEncoding.EncodeToString(a.CredentialID), "err", err)
		return "", &userRefusedError{reason: reason, err: err}
	}
	cred, err := b.store.GetWebAuthnCredential(ctx, a.CredentialID)
	if err != nil {
		if !errors.Is(err, license.ErrUnknownCredential) {
			return refuse("user registry unavailable", err)
		}
		return refuse(reasonWebAuthnRefused, err)
	}
	u, err := b.store.GetUser(ctx, cred.UserID)
	if err != nil {
		return refuse(reasonWebAuthnRefused, err)
	}
	parsed, err := protocol.CredentialAssertionResponse{
		PublicKeyCredential: protocol.PublicKeyCredential{
			Credential: protocol.Credential{ID: base64.RawURLEncoding.EncodeToString(a.CredentialID), Type: string(protocol.PublicKeyCredentialType)},
			RawID:      a.CredentialID,
		},
		AssertionResponse: protocol.AuthenticatorAssertionResponse{
			AuthenticatorResponse: protocol.AuthenticatorResponse{ClientDataJSON: a.ClientDataJSON},
			AuthenticatorData:     a.AuthenticatorData,
			Signature:             a.Signature,
		},
	}.Parse()
	if err != nil {
		return refuse(reasonWebAuthnRefused, err)
	}
	session := webauthn.SessionData{
		Challenge:        base64.RawURLEncoding.EncodeToString(challenge),
		RelyingPartyID:   b.cfg.RPID,
		UserID:           cred.UserHandle,
		UserVerification: b.rp.Config.AuthenticatorSelection.UserVerification,
	}
	checked, err := b.rp.ValidateLogin(webAuthnUser{cred: cred, name: u.Name}, session, parsed)
	if err != nil {
		return refuse(reasonWebAuthnRefused, err)
	}
	if checked.Authenticator.CloneWarning {
		return refuse(reasonWebAuthnRefused, license.ErrSignCount)
	}
	if u.Disabled {
		return refuse("user disabled", license.ErrUserDisabled)
	}
	d, err := b.store.GetDevice(ctx, license.DeviceName(spki))
	switch {
	case errors.Is(err, license.ErrUnknownDevice):
		return refuse(reasonDeviceUnbound, err)
	case err != nil:
		return refuse("user registry unavailable", err)
	case d.UserID != u.ID:
		return refuse(reasonDeviceUnbound, fmt.Errorf("device of user %s", d.UserID))
	case !d.RemovedAt.IsZero():
		return refuse(reasonDeviceRemoved, license.ErrDeviceRemoved)
	}
	if err := b.store.UseWebAuthnCredential(ctx, cred.ID, checked.Authenticator.SignCount, b.now()); err != nil {
		if errors.Is(err, license.ErrSignCount) {
			return refuse(reasonWebAuthnRefused, err)
		}
		return refuse("user registry unavailable", err)
	}
	return u.ID, nil
}

// webAuthnUser is one stored credential as go-webauthn's webauthn.User.
type webAuthnUser struct {
	cred license.WebAuthnCredential
	name string
}

func (u webAuthnUser) WebAuthnID() []byte          { return u.cred.UserHandle }
func (u webAuthnUser) WebAuthnName() string        { return u.name }
func (u webAuthnUser) WebAuthnDisplayName() string { return u.name }
func (u webAuthnUser) WebAuthnCredentials() []webauthn.Credential {
	return []webauthn.Credential{{
		ID:        u.cred.ID,
		PublicKey: u.cred.PublicKey,
		Flags:     webauthn.CredentialFlags{BackupEligible: u.cred.BackupEligible},
		Authenticator: webauthn.Authenticator{
			AAGUID:    u.cred.AAGUID,
			SignCount: u.cred.SignCount,
		},
	}}
}

// credentialParameters are the algorithms a registration offers: ES256,
// what security keys and WebCrypto do, and RS256 for the platform
// authenticators that do only that.
func credentialParameters() []protocol.CredentialParameter {
	return []protocol.CredentialParameter{
		{Type: protocol.PublicKeyCredentialType, Algorithm: webauthncose.AlgES256},
		{Type: protocol.PublicKeyCredentialType, Algorithm: webauthncose.AlgRS256},
	}
}

// deviceSPKIHash is the SHA-256 of a certificate's SubjectPublicKeyInfo.
func deviceSPKIHash(c *x509.Certificate) [32]byte { return sha256.Sum256(c.RawSubjectPublicKeyInfo) }
