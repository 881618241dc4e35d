package server

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"time"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"securemedia/license"
	"securemedia/message"
)

// The registration of a browser viewer (DESIGN.md §11, message/register.go),
// inside a session of a new browser device without a user: register-options
// answers the WebAuthn creation options of an invite and keeps their
// challenge in the session; register verifies the credential the browser
// made against it (go-webauthn: the client data's type, challenge and
// origin, the RP ID hash, the flags, the attestation "none", the
// algorithm), then the store consumes the invite, registers the viewer
// with the credential and binds the session's device to them, in one
// transaction. Nothing of the invite code, the credential or the viewer is
// logged at info level.

// pendingRegistration is the state register-options leaves in a session
// for register: one at a time, replaced by the next options request.
type pendingRegistration struct {
	invite  [32]byte // the invite's code hash
	user    registeringUser
	session webauthn.SessionData
	expires time.Time
}

// registeringUser is the viewer being registered, as go-webauthn's
// webauthn.User: a random user handle and a display name, no credential.
type registeringUser struct {
	handle []byte
	name   string
}

func (u registeringUser) WebAuthnID() []byte                         { return u.handle }
func (u registeringUser) WebAuthnName() string                       { return u.name }
func (u registeringUser) WebAuthnDisplayName() string                { return u.name }
func (u registeringUser) WebAuthnCredentials() []webauthn.Credential { return nil }

// defaultViewerName names a viewer whose invite and registration gave none.
const defaultViewerName = "securemedia viewer"

// registering reports whether the session is a browser device's without a
// user: it may only register (DESIGN.md §11).
func (l *live) registering() bool { return l.browser && l.user == "" }

// registrationOnly answers "login required" and reports true when the
// session may not run op: a registering session runs only the
// registration, rekey and close.
func (o *operation) registrationOnly() bool {
	if !o.l.registering() {
		return false
	}
	switch o.req.Op {
	case message.OpRegisterOptions, message.OpRegister, message.OpRekey, message.OpClose:
		return false
	}
	o.fail(message.StatusForbidden, "login required: this browser device is not logged in; register it with an invite, then log in")
	return true
}

// canRegister answers and reports false unless the server registers
// browser viewers and this is a registering session.
func (o *operation) canRegister() bool {
	switch {
	case o.srv.browsers == nil:
		o.fail(message.StatusBadRequest, "this server does not register browser viewers")
		return false
	case !o.l.registering():
		o.fail(message.StatusForbidden, "registration needs a session of a new browser device, without a user")
		return false
	}
	return true
}

// inviteRefused answers a refusal about an invite.
func (o *operation) inviteRefused(err error) {
	msg := "registration unavailable"
	st := message.StatusForbidden
	switch {
	case errors.Is(err, license.ErrUnknownInvite), errors.Is(err, license.ErrInvalidInput):
		msg = "unknown invite code"
	case errors.Is(err, license.ErrInviteUsed):
		msg = "this invite was used already"
	case errors.Is(err, license.ErrInviteExpired):
		msg = "this invite has expired: ask for a new one"
	case errors.Is(err, license.ErrDeviceExists):
		msg = "this browser device is registered already: log in"
	case errors.Is(err, license.ErrCredentialExists):
		msg = "this credential is registered already"
	default:
		st = message.StatusUnavailable
		o.srv.log.Error("registration", "session", o.id.String(), "err", err)
	}
	o.srv.log.Info("registration refused", "session", o.id.String(), "reason", msg)
	o.fail(st, msg)
}

// registerOptions answers the creation options of an invite.
func (o *operation) registerOptions() {
	req, ok := parsed(o, message.ParseRegisterOptionsRequest, "register-options")
	if !ok || !o.canRegister() {
		return
	}
	b := o.srv.browsers
	hash := license.InviteHash(req.Invite)
	inv, err := b.store.GetInvite(o.r.Context(), hash)
	if err == nil {
		err = inv.Usable(o.srv.now())
	}
	if err != nil {
		o.inviteRefused(err)
		return
	}
	u := registeringUser{handle: make([]byte, userHandleSize), name: inv.Name}
	if u.name == "" {
		u.name = defaultViewerName
	}
	if _, err := rand.Read(u.handle); err != nil {
		o.inviteRefused(err)
		return
	}
	creation, session, err := b.rp.BeginRegistration(u, webauthn.WithCredentialParameters(credentialParameters()),
		webauthn.WithExclusions(nil), webauthn.WithConveyancePreference(protocol.PreferNoAttestation))
	if err != nil {
		o.inviteRefused(err)
		return
	}
	options, err := json.Marshal(creation.Response)
	if err != nil {
		o.inviteRefused(err)
		return
	}
	o.l.mu.Lock()
	o.l.pending = &pendingRegistration{invite: hash, user: u, session: *session, expires: o.srv.now().Add(b.cfg.RegistrationTimeout)}
	o.l.mu.Unlock()
	o.ok((&message.RegisterOptionsResponse{Options: options}).Marshal())
}

// register verifies the browser's new credential and registers the viewer.
func (o *operation) register() {
	req, ok := parsed(o, message.ParseRegisterRequest, "register")
	if !ok || !o.canRegister() {
		return
	}
	b := o.srv.browsers
	hash := license.InviteHash(req.Invite)
	o.l.mu.Lock()
	p := o.l.pending
	o.l.mu.Unlock()
	if p == nil || subtle.ConstantTimeCompare(p.invite[:], hash[:]) != 1 || !o.srv.now().Before(p.expires) {
		o.fail(message.StatusForbidden, "ask for the registration options of this invite first (they last a few minutes)")
		return
	}
	cred, err := protocol.ParseCredentialCreationResponseBytes(req.Credential)
	if err != nil {
		o.srv.log.Debug("registration: credential unreadable", "session", o.id.String(), "err", err)
		o.fail(message.StatusBadRequest, "the credential could not be read")
		return
	}
	c, err := b.rp.CreateCredential(p.user, p.session, cred)
	if err != nil {
		o.srv.log.Info("registration refused", "session", o.id.String(), "reason", "the credential did not verify")
		o.srv.log.Debug("registration: credential refused", "session", o.id.String(), "err", err)
		o.fail(message.StatusBadRequest, "the credential did not verify")
		return
	}
	id, err := license.NewWebUserID()
	if err != nil {
		o.inviteRefused(err)
		return
	}
	name := req.Name
	if name == "" {
		name = p.user.name
	}
	u, err := b.store.RegisterWebUser(o.r.Context(), license.WebRegistration{
		InviteHash: hash,
		User:       license.User{ID: id, Name: name},
		Credential: license.WebAuthnCredential{ID: c.ID, UserHandle: p.user.handle, PublicKey: c.PublicKey,
			SignCount: c.Authenticator.SignCount, AAGUID: c.Authenticator.AAGUID, BackupEligible: c.Flags.BackupEligible},
		Device: o.l.device,
	}, o.srv.now())
	if err != nil {
		o.inviteRefused(err)
		return
	}
	o.l.mu.Lock()
	o.l.pending = nil
	o.l.mu.Unlock()
	o.srv.log.Info("browser viewer registered", "session", o.id.String())
	o.srv.log.Debug("browser viewer registered", "session", o.id.String(), "user", u.ID, "device", o.l.device)
	o.ok((&message.RegisterResponse{User: u.ID, Name: u.Name}).Marshal())
}
