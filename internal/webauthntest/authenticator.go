// Package webauthntest is a software WebAuthn authenticator for tests: an
// ECDSA P-256 credential that registers with attestation "none" (its
// public key COSE-encoded in the attested credential data) and signs
// assertions, following the formats of W3C Web Authentication Level 2
// (§6.1 authenticator data, §6.5 attestation object, §5.8.1 client data,
// §6.3.3 assertion signature). It plays the part a security key and the
// browser play together; tests can make it misbehave (another origin or
// RP ID, a counter going back) to see the server refuse.
//
// It imports nothing of securemedia, so that the protocol's own tests can
// use it; it is imported only from _test files.
package webauthntest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/fxamacker/cbor/v2"
)

// Authenticator flags (§6.1).
const (
	FlagUserPresent  = 0x01
	FlagUserVerified = 0x04
	FlagAttestedData = 0x40
)

// Authenticator is one credential on a software authenticator, with what
// the browser adds (the origin in the client data). Its fields may be
// changed between calls to misbehave.
type Authenticator struct {
	// Key is the credential's private key; ID its credential id.
	Key *ecdsa.PrivateKey
	ID  []byte
	// RPID is the relying party id the authenticator data's hash names;
	// Origin the origin the client data names.
	RPID, Origin string
	// Counter is the signature counter; each assertion increments it first
	// unless it is zero and NoCounter is set (an authenticator that keeps
	// no counter).
	Counter   uint32
	NoCounter bool
	// Flags of the next assertions (default: user present and verified).
	Flags byte
	// UserHandle is the user handle the registration gave it.
	UserHandle []byte

	mu sync.Mutex
}

// New returns an authenticator with a fresh P-256 key and a random
// 32-byte credential id for rpID, used from origin.
func New(rpID, origin string) (*Authenticator, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	id := make([]byte, 32)
	if _, err := rand.Read(id); err != nil {
		return nil, err
	}
	return &Authenticator{Key: key, ID: id, RPID: rpID, Origin: origin}, nil
}

// Assertion is what navigator.credentials.get returns, in raw bytes.
type Assertion struct {
	CredentialID, AuthenticatorData, ClientDataJSON, Signature []byte
}

// ClientData is the client data a browser collects (§5.8.1).
type ClientData struct {
	Type        string `json:"type"`
	Challenge   string `json:"challenge"`
	Origin      string `json:"origin"`
	CrossOrigin bool   `json:"crossOrigin"`
}

func (a *Authenticator) flags() byte {
	if a.Flags == 0 {
		return FlagUserPresent | FlagUserVerified
	}
	return a.Flags
}

// authData is rpIdHash ‖ flags ‖ signCount ‖ attested (§6.1).
func (a *Authenticator) authData(flags byte, attested []byte) []byte {
	rp := sha256.Sum256([]byte(a.RPID))
	out := append(rp[:], flags)
	out = binary.BigEndian.AppendUint32(out, a.Counter)
	return append(out, attested...)
}

// Assert signs an assertion over challenge: authenticator data, client
// data {"type":"webauthn.get","challenge":b64url,"origin":...} and the
// ECDSA signature (DER) over authenticatorData ‖ SHA-256(clientDataJSON).
func (a *Authenticator) Assert(challenge []byte) (*Assertion, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.NoCounter {
		a.Counter++
	}
	cd, err := json.Marshal(ClientData{Type: "webauthn.get", Challenge: base64.RawURLEncoding.EncodeToString(challenge), Origin: a.Origin})
	if err != nil {
		return nil, err
	}
	data := a.authData(a.flags(), nil)
	sig, err := a.sign(data, cd)
	if err != nil {
		return nil, err
	}
	return &Assertion{CredentialID: append([]byte(nil), a.ID...), AuthenticatorData: data, ClientDataJSON: cd, Signature: sig}, nil
}

// sign is the assertion and attestation signature (§6.3.3 step 11).
func (a *Authenticator) sign(data, clientDataJSON []byte) ([]byte, error) {
	h := sha256.Sum256(clientDataJSON)
	msg := sha256.Sum256(append(append([]byte(nil), data...), h[:]...))
	return ecdsa.SignASN1(rand.Reader, a.Key, msg[:])
}

// COSEKey is the credential's public key as a COSE_Key (RFC 9053 §7.1.1:
// kty EC2 (2), alg ES256 (-7), crv P-256 (1), x, y).
func (a *Authenticator) COSEKey() ([]byte, error) {
	pub, err := a.Key.PublicKey.Bytes() // 0x04 ‖ x ‖ y
	if err != nil {
		return nil, err
	}
	return cbor.Marshal(map[int]any{1: 2, 3: -7, -1: 1, -2: pub[1:33], -3: pub[33:]})
}

// CreationOptions is what this authenticator reads of
// PublicKeyCredentialCreationOptionsJSON (§5.4, base64url buffers).
type CreationOptions struct {
	RP struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"rp"`
	User struct {
		ID          string `json:"id"`
		Name        string `json:"name"`
		DisplayName string `json:"displayName"`
	} `json:"user"`
	Challenge        string `json:"challenge"`
	PubKeyCredParams []struct {
		Type string `json:"type"`
		Alg  int    `json:"alg"`
	} `json:"pubKeyCredParams"`
	Attestation string `json:"attestation"`
}

// Register answers creation options (their JSON) as
// navigator.credentials.create and PublicKeyCredential.toJSON() do: the
// registration response JSON with attestation "none", the attested
// credential data holding the credential id and the COSE key. It refuses
// options that do not offer ES256.
func (a *Authenticator) Register(optionsJSON []byte) ([]byte, error) {
	var o CreationOptions
	if err := json.Unmarshal(optionsJSON, &o); err != nil {
		return nil, fmt.Errorf("creation options: %w", err)
	}
	es256 := false
	for _, p := range o.PubKeyCredParams {
		es256 = es256 || p.Type == "public-key" && p.Alg == -7
	}
	if !es256 {
		return nil, errors.New("creation options do not offer ES256")
	}
	challenge, err := base64.RawURLEncoding.DecodeString(o.Challenge)
	if err != nil {
		return nil, fmt.Errorf("challenge: %w", err)
	}
	handle, err := base64.RawURLEncoding.DecodeString(o.User.ID)
	if err != nil {
		return nil, fmt.Errorf("user id: %w", err)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.UserHandle = handle
	key, err := a.COSEKey()
	if err != nil {
		return nil, err
	}
	// Attested credential data (§6.5.1): aaguid (zero for "none") ‖
	// credentialIdLength ‖ credentialId ‖ credentialPublicKey.
	attested := make([]byte, 16, 16+2+len(a.ID)+len(key))
	attested = binary.BigEndian.AppendUint16(attested, uint16(len(a.ID)))
	attested = append(append(attested, a.ID...), key...)
	data := a.authData(a.flags()|FlagAttestedData, attested)
	obj, err := cbor.Marshal(map[string]any{"fmt": "none", "attStmt": map[string]any{}, "authData": data})
	if err != nil {
		return nil, err
	}
	cd, err := json.Marshal(ClientData{Type: "webauthn.create", Challenge: base64.RawURLEncoding.EncodeToString(challenge), Origin: a.Origin})
	if err != nil {
		return nil, err
	}
	b64 := base64.RawURLEncoding.EncodeToString
	return json.Marshal(map[string]any{
		"id": b64(a.ID), "rawId": b64(a.ID), "type": "public-key",
		"response": map[string]any{
			"clientDataJSON": b64(cd), "attestationObject": b64(obj), "transports": []string{"usb"},
		},
		"clientExtensionResults":  map[string]any{},
		"authenticatorAttachment": "cross-platform",
	})
}

// Check verifies an assertion as a relying party must (§7.2, the steps
// about these bytes): the client data's type, challenge and origin, the RP
// ID hash, user presence, and the signature with pub. It is the tests'
// independent reference for what a server checks.
func Check(pub *ecdsa.PublicKey, rpID, origin string, challenge []byte, as *Assertion) error {
	var cd ClientData
	if err := json.Unmarshal(as.ClientDataJSON, &cd); err != nil {
		return fmt.Errorf("client data: %w", err)
	}
	switch {
	case cd.Type != "webauthn.get":
		return fmt.Errorf("client data type %q", cd.Type)
	case cd.Challenge != base64.RawURLEncoding.EncodeToString(challenge):
		return errors.New("client data names another challenge")
	case cd.Origin != origin:
		return fmt.Errorf("origin %q", cd.Origin)
	case len(as.AuthenticatorData) < 37:
		return errors.New("short authenticator data")
	}
	rp := sha256.Sum256([]byte(rpID))
	if string(as.AuthenticatorData[:32]) != string(rp[:]) {
		return errors.New("authenticator data names another RP ID")
	}
	if as.AuthenticatorData[32]&FlagUserPresent == 0 {
		return errors.New("user not present")
	}
	h := sha256.Sum256(as.ClientDataJSON)
	msg := sha256.Sum256(append(append([]byte(nil), as.AuthenticatorData...), h[:]...))
	if !ecdsa.VerifyASN1(pub, msg[:], as.Signature) {
		return errors.New("signature does not verify")
	}
	return nil
}
