package license

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Browser viewers (DESIGN.md §11). The operator invites a viewer with a
// one-time code; the viewer's browser registers a WebAuthn credential with
// it, inside a session made with the browser's device key, which the
// registration binds to the new user. Each login is then a WebAuthn
// assertion from a bound device. The store keeps the invites (by the hash
// of their code, never the code), the credentials and the devices.

// Errors of the browser viewers' registry.
var (
	// ErrUnknownInvite means no invite has that code.
	ErrUnknownInvite = errors.New("license: unknown invite code")
	// ErrInviteUsed means the invite registered a viewer already.
	ErrInviteUsed = errors.New("license: invite already used")
	// ErrInviteExpired means the invite's time ran out.
	ErrInviteExpired = errors.New("license: invite expired")
	// ErrUnknownCredential means no WebAuthn credential has that id.
	ErrUnknownCredential = errors.New("license: unknown WebAuthn credential")
	// ErrCredentialExists means a credential with that id is registered.
	ErrCredentialExists = errors.New("license: WebAuthn credential already registered")
	// ErrSignCount means an assertion's signature counter is not above
	// the stored one: the credential may have been cloned, or the
	// assertion is a replay (W3C Web Authentication §6.1.1).
	ErrSignCount = errors.New("license: WebAuthn signature counter went back")
	// ErrUnknownDevice means no browser device has that key.
	ErrUnknownDevice = errors.New("license: unknown browser device")
	// ErrDeviceExists means the device is bound to a user already (or was,
	// and was removed: a removed device is never bound again).
	ErrDeviceExists = errors.New("license: browser device already registered")
	// ErrDeviceRemoved means the operator removed the device: it cannot log
	// in, and its sessions stop at their next fetch.
	ErrDeviceRemoved = errors.New("license: browser device removed")
)

// Limits of the browser viewers' registry.
const (
	// InviteCodeBytes is the entropy of an invite code: 128 bits.
	InviteCodeBytes = 16
	// MaxCredentialIDLen bounds a WebAuthn credential id (W3C Web
	// Authentication §4).
	MaxCredentialIDLen = 1023
	// MaxCredentialKeyLen bounds a COSE public key (an RSA-4096 key is
	// about 550 bytes).
	MaxCredentialKeyLen = 2048
	// MaxUserHandleLen bounds a WebAuthn user handle (§5.4.3).
	MaxUserHandleLen = 64
	// WebUserPrefix begins the id of every browser viewer.
	WebUserPrefix = "web-"
)

// inviteEncoding writes invite codes: lower-case RFC 4648 base32 without
// padding, easy to read out and safe in a URL fragment.
var inviteEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// NewInviteCode returns a fresh one-time invite code (InviteCodeBytes
// random bytes, base32) and the hash the store keeps of it.
func NewInviteCode() (code string, hash [32]byte, err error) {
	b := make([]byte, InviteCodeBytes)
	if _, err := rand.Read(b); err != nil {
		return "", hash, err
	}
	code = inviteEncoding.EncodeToString(b)
	return code, InviteHash(code), nil
}

// InviteHash is what the store keeps of an invite code: SHA-256 of the
// code as typed, lower-cased and trimmed, so that a code read out in upper
// case still matches.
func InviteHash(code string) [32]byte {
	return sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(code))))
}

// NewWebUserID returns a fresh browser viewer id: "web-" and 16 hex
// digits (64 random bits).
func NewWebUserID() (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return WebUserPrefix + hex.EncodeToString(b[:]), nil
}

// Invite is a one-time invitation of a browser viewer.
type Invite struct {
	// CodeHash is InviteHash of the code; the code itself is never stored.
	CodeHash [32]byte
	// Name is the viewer's display name the operator gave, or empty.
	Name      string
	CreatedAt time.Time
	ExpiresAt time.Time
	// UsedAt is when it registered a viewer (zero until then), UserID who.
	UsedAt time.Time
	UserID string
}

// Usable returns nil when the invite can register a viewer at now, else
// ErrInviteUsed or ErrInviteExpired.
func (i Invite) Usable(now time.Time) error {
	switch {
	case !i.UsedAt.IsZero():
		return ErrInviteUsed
	case !now.Before(i.ExpiresAt):
		return ErrInviteExpired
	}
	return nil
}

// Ref names the invite in audit details and listings: the first 8 bytes
// of its code's hash, in hex (nothing of the code).
func (i Invite) Ref() string { return hex.EncodeToString(i.CodeHash[:8]) }

// WebAuthnCredential is a viewer's registered WebAuthn credential (W3C
// Web Authentication §6.1: its id, public key and signature counter).
type WebAuthnCredential struct {
	// ID is the credential's raw id.
	ID     []byte
	UserID string
	// UserHandle is the random WebAuthn user handle given at registration.
	UserHandle []byte
	// PublicKey is the credential public key, COSE_Key encoded.
	PublicKey []byte
	// SignCount is the highest signature counter seen (0: the
	// authenticator keeps none).
	SignCount uint32
	// AAGUID names the authenticator model (16 bytes; zero with
	// attestation "none").
	AAGUID []byte
	// BackupEligible is the BE flag at registration; it must not change.
	BackupEligible bool
	CreatedAt      time.Time
	// LastUsedAt is the last login (zero before the first).
	LastUsedAt time.Time
}

// Check validates a credential before it reaches a store.
func (c WebAuthnCredential) Check() error {
	switch {
	case len(c.ID) == 0 || len(c.ID) > MaxCredentialIDLen:
		return fmt.Errorf("%w: credential id of %d bytes", ErrInvalidInput, len(c.ID))
	case len(c.PublicKey) == 0 || len(c.PublicKey) > MaxCredentialKeyLen:
		return fmt.Errorf("%w: credential key of %d bytes", ErrInvalidInput, len(c.PublicKey))
	case len(c.UserHandle) == 0 || len(c.UserHandle) > MaxUserHandleLen:
		return fmt.Errorf("%w: user handle of %d bytes", ErrInvalidInput, len(c.UserHandle))
	case len(c.AAGUID) != 0 && len(c.AAGUID) != 16:
		return fmt.Errorf("%w: AAGUID of %d bytes", ErrInvalidInput, len(c.AAGUID))
	}
	return checkID("user id", c.UserID)
}

// Device is a browser device bound to a viewer: the browser's
// non-extractable key, named by the SHA-256 of its SubjectPublicKeyInfo
// in hex (DeviceName).
type Device struct {
	SPKI      string
	UserID    string
	CreatedAt time.Time
	// RemovedAt is when the operator removed it (zero while in use).
	RemovedAt time.Time
}

// DeviceName is how the registry and the plays name a browser device:
// the SHA-256 of its SubjectPublicKeyInfo, in hex.
func DeviceName(spkiHash [32]byte) string { return hex.EncodeToString(spkiHash[:]) }

// CheckDeviceName reports whether s names a browser device: 64 lower-case
// hex digits.
func CheckDeviceName(s string) error {
	if b, err := hex.DecodeString(s); err != nil || len(b) != 32 || strings.ToLower(s) != s {
		return fmt.Errorf("%w: a browser device is named by 64 lower-case hex digits (the SHA-256 of its key)", ErrInvalidInput)
	}
	return nil
}

// WebRegistration is what a browser viewer's registration stores, in one
// transaction (Store.RegisterWebUser).
type WebRegistration struct {
	// InviteHash names the invite it consumes.
	InviteHash [32]byte
	// User is the new viewer (no certificate: CertSHA256 is zero).
	User User
	// Credential is their WebAuthn credential.
	Credential WebAuthnCredential
	// Device is the browser device to bind to them (DeviceName).
	Device string
}
