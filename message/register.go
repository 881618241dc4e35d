package message

import (
	"golang.org/x/crypto/cryptobyte"
)

// A browser viewer's registration (DESIGN.md §11) runs inside a session,
// so that nothing of it is in clear: the browser makes its device key, a
// self-signed device certificate, and a session with it and no user. Such
// a session may only register (besides rekey and close); every other
// operation answers StatusForbidden "login required".
//
//   - OpRegisterOptions (RegisterOptionsRequest → RegisterOptionsResponse):
//     the WebAuthn creation options for the invite, as the JSON of
//     PublicKeyCredentialCreationOptions (W3C Web Authentication Level 3
//     §5.4, PublicKeyCredentialCreationOptionsJSON: binary members in
//     base64url), which PublicKeyCredential.parseCreationOptionsFromJSON
//     takes for navigator.credentials.create. The server keeps the
//     challenge in the session; a new request replaces it.
//   - OpRegister (RegisterRequest → RegisterResponse): the credential the
//     browser made, as the JSON of PublicKeyCredential.toJSON()
//     (RegistrationResponseJSON); the server verifies it against the kept
//     challenge, consumes the invite, registers the viewer with their
//     credential and binds the session's device key to them. The browser
//     then logs in with a fresh handshake.
//
// Refusals: StatusForbidden for an invite that is unknown, used or expired
// and for a device registered already; StatusBadRequest for a credential
// that does not verify.

// Operations of the registration.
const (
	OpRegisterOptions Op = 11 // WebAuthn creation options for an invite
	OpRegister        Op = 12 // register the credential the browser made
)

// Limits of the registration encodings.
const (
	// MaxInviteCode bounds an invite code (the server's are 26 bytes).
	MaxInviteCode = 255
	// maxRegistrationJSON bounds the options and the credential JSON: a
	// request record holds 64 KiB.
	maxRegistrationJSON = 0xffff
	// maxDisplayName bounds a viewer's display name.
	maxDisplayName = 1024
)

// RegisterOptionsRequest asks for the creation options of an invite.
type RegisterOptionsRequest struct {
	Invite string
}

// Marshal encodes invite_code<1..255>.
func (r *RegisterOptionsRequest) Marshal() []byte {
	b := cryptobyte.NewBuilder(nil)
	addString8(b, r.Invite)
	return b.BytesOrPanic()
}

// ParseRegisterOptionsRequest decodes a register-options request body.
func ParseRegisterOptionsRequest(data []byte) (*RegisterOptionsRequest, error) {
	s := cryptobyte.String(data)
	r := &RegisterOptionsRequest{}
	if !readString8(&s, &r.Invite) || !s.Empty() || r.Invite == "" {
		return nil, errMalformed
	}
	return r, nil
}

// RegisterOptionsResponse is the creation options, JSON.
type RegisterOptionsResponse struct {
	Options []byte
}

// Marshal encodes options_json<1..2^16-1>.
func (r *RegisterOptionsResponse) Marshal() []byte {
	b := cryptobyte.NewBuilder(nil)
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(r.Options) })
	return b.BytesOrPanic()
}

// ParseRegisterOptionsResponse decodes a register-options response body.
func ParseRegisterOptionsResponse(data []byte) (*RegisterOptionsResponse, error) {
	s := cryptobyte.String(data)
	var v cryptobyte.String
	if !s.ReadUint16LengthPrefixed(&v) || !s.Empty() || len(v) == 0 {
		return nil, errMalformed
	}
	return &RegisterOptionsResponse{Options: []byte(v)}, nil
}

// RegisterRequest registers the credential the browser made under the
// invite, with the viewer's display name (empty: the invite's name).
type RegisterRequest struct {
	Invite     string
	Credential []byte
	Name       string
}

// Marshal encodes invite_code<1..255> ‖ credential_json<1..2^16-1> ‖
// display_name<0..2^16-1> (UTF-8, at most 1024 bytes).
func (r *RegisterRequest) Marshal() []byte {
	b := cryptobyte.NewBuilder(nil)
	addString8(b, r.Invite)
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(r.Credential) })
	addString16(b, truncateUTF8(r.Name, maxDisplayName))
	return b.BytesOrPanic()
}

// ParseRegisterRequest decodes a register request body.
func ParseRegisterRequest(data []byte) (*RegisterRequest, error) {
	s := cryptobyte.String(data)
	r := &RegisterRequest{}
	var cred cryptobyte.String
	if !readString8(&s, &r.Invite) || !s.ReadUint16LengthPrefixed(&cred) || !readString16(&s, &r.Name, maxDisplayName) ||
		!s.Empty() || r.Invite == "" || len(cred) == 0 {
		return nil, errMalformed
	}
	r.Credential = []byte(cred)
	return r, nil
}

// RegisterResponse names the registered viewer.
type RegisterResponse struct {
	User string
	Name string
}

// Marshal encodes user_id<1..255> ‖ display_name<0..2^16-1>.
func (r *RegisterResponse) Marshal() []byte {
	b := cryptobyte.NewBuilder(nil)
	addString8(b, r.User)
	addString16(b, truncateUTF8(r.Name, maxDisplayName))
	return b.BytesOrPanic()
}

// ParseRegisterResponse decodes a register response body.
func ParseRegisterResponse(data []byte) (*RegisterResponse, error) {
	s := cryptobyte.String(data)
	r := &RegisterResponse{}
	if !readString8(&s, &r.User) || !readString16(&s, &r.Name, maxDisplayName) || !s.Empty() || r.User == "" {
		return nil, errMalformed
	}
	return r, nil
}
