package protocol

import (
	"golang.org/x/crypto/cryptobyte"
)

// The person's part of the ClientFinish (DESIGN.md §4 "Handshake", §6,
// §11): after the device's Certificate and CertificateVerify comes one
// byte, the user kind, then what that kind carries.
//
//	uint8 user_kind;               // none 0, certificate 1, webauthn 2
//	select (user_kind) {
//	case none:        ;            // nothing
//	case certificate: UserCertificate ‖ UserCertificateVerify;   // framed, types 21 and 22
//	case webauthn:    opaque credential_id<1..1023>;
//	                  opaque authenticator_data<37..2^16-1>;
//	                  opaque client_data_json<1..2^16-1>;
//	                  opaque signature<1..1023>;
//	} user;
//
// The kind byte and the user part are in the transcript as sent, like the
// framed messages around them.
type userKind uint8

const (
	userNone        userKind = 0
	userCertificate userKind = 1
	userWebAuthn    userKind = 2
)

func (k userKind) String() string {
	switch k {
	case userNone:
		return "none"
	case userCertificate:
		return "certificate"
	case userWebAuthn:
		return "webauthn"
	}
	return "unknown"
}

// Bounds of a WebAuthn assertion's fields on the wire (spec constants).
const (
	// maxWebAuthnCredentialID is the longest credential id WebAuthn allows
	// (W3C Web Authentication §4 "Credential ID": at most 1023 bytes).
	maxWebAuthnCredentialID = 1023
	// minWebAuthnAuthenticatorData is rpIdHash (32) ‖ flags (1) ‖
	// signCount (4), the shortest authenticator data (§6.1).
	minWebAuthnAuthenticatorData = 37
	// maxWebAuthnSignature bounds the signature: an RSA-4096 signature is
	// 512 bytes, a DER ECDSA P-521 one at most 139.
	maxWebAuthnSignature = 1023
)

// contextWebAuthn separates the WebAuthn challenge from every signature
// context (constants.go).
const contextWebAuthn = "securemedia v1 webauthn login"

// WebAuthnAssertion is a WebAuthn authentication assertion (W3C Web
// Authentication §5.2.2, AuthenticatorAssertionResponse) as the
// ClientFinish carries it. The authenticator signed
// AuthenticatorData ‖ SHA-256(ClientDataJSON), and ClientDataJSON names the
// challenge, base64url, which is the handshake's (webAuthnChallenge).
type WebAuthnAssertion struct {
	// CredentialID is the credential's raw id (rawId).
	CredentialID []byte
	// AuthenticatorData is rpIdHash ‖ flags ‖ signCount [‖ extensions].
	AuthenticatorData []byte
	// ClientDataJSON is the client data as the browser serialized it, e.g.
	// {"type":"webauthn.get","challenge":"...","origin":"http://localhost:8443"}.
	ClientDataJSON []byte
	// Signature is the authenticator's signature (DER for ECDSA).
	Signature []byte
}

// check reports whether a fits its wire bounds.
func (a *WebAuthnAssertion) check() error {
	switch {
	case len(a.CredentialID) == 0 || len(a.CredentialID) > maxWebAuthnCredentialID:
		return newError(AlertDecodeError, "WebAuthn credential id of %d bytes", len(a.CredentialID))
	case len(a.AuthenticatorData) < minWebAuthnAuthenticatorData || len(a.AuthenticatorData) > 0xffff:
		return newError(AlertDecodeError, "WebAuthn authenticator data of %d bytes", len(a.AuthenticatorData))
	case len(a.ClientDataJSON) == 0 || len(a.ClientDataJSON) > 0xffff:
		return newError(AlertDecodeError, "WebAuthn client data of %d bytes", len(a.ClientDataJSON))
	case len(a.Signature) == 0 || len(a.Signature) > maxWebAuthnSignature:
		return newError(AlertDecodeError, "WebAuthn signature of %d bytes", len(a.Signature))
	}
	return nil
}

// marshal encodes the webauthn user part, without the kind byte.
func (a *WebAuthnAssertion) marshal() []byte {
	b := cryptobyte.NewBuilder(nil)
	for _, v := range [][]byte{a.CredentialID, a.AuthenticatorData, a.ClientDataJSON, a.Signature} {
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(v) })
	}
	return b.BytesOrPanic()
}

// readWebAuthnAssertion reads a webauthn user part from s.
func readWebAuthnAssertion(s *cryptobyte.String) (*WebAuthnAssertion, error) {
	var id, data, client, sig cryptobyte.String
	if !s.ReadUint16LengthPrefixed(&id) || !s.ReadUint16LengthPrefixed(&data) ||
		!s.ReadUint16LengthPrefixed(&client) || !s.ReadUint16LengthPrefixed(&sig) {
		return nil, newError(AlertDecodeError, "malformed WebAuthn assertion")
	}
	a := &WebAuthnAssertion{CredentialID: []byte(id), AuthenticatorData: []byte(data), ClientDataJSON: []byte(client), Signature: []byte(sig)}
	if err := a.check(); err != nil {
		return nil, err
	}
	return a, nil
}

// webAuthnChallenge is the challenge of a WebAuthn login (DESIGN.md §4,
// §11): Hash("securemedia v1 webauthn login" ‖ 0x00 ‖ th), Hash being
// the suite's hash and th the transcript hash over everything before the
// user part (the hellos, the server flight, the device's Certificate and
// CertificateVerify). The client passes it to navigator.credentials.get
// as the challenge; the authenticator's signature covers the client data
// that names it, so an assertion proves the person took part in this
// handshake and no other.
func (s *suite) webAuthnChallenge(th []byte) []byte {
	h := s.hash.New()
	h.Write([]byte(contextWebAuthn))
	h.Write([]byte{0})
	h.Write(th)
	return h.Sum(nil)
}
