package token

import (
	"errors"

	"github.com/miekg/pkcs11"
)

// The runtime of this package only reads tokens. Making them (demo
// identity cards, the media store's key-encryption key) is the job of
// securemedia/token/provision, which needs PKCS#11 calls this package does
// not wrap; the two doors below give it the module's context under the same
// locks as every other call, and the same session lifecycle.

// Owns reports whether this Module initialized the PKCS#11 library. It is
// false when another Module of the same path had already initialized it in
// this process; for SoftHSM2 that one's SOFTHSM2_CONF is then in force.
func (m *Module) Owns() bool { return m.owns }

// Do runs f with the module's PKCS#11 context, holding the module's mutex
// and, for SoftHSM2, the store's cross-process lock. f must not call back
// into this package.
func (m *Module) Do(f func(ctx *pkcs11.Ctx) error) error {
	m.lock()
	defer m.unlock()
	if m.closed {
		return errors.New("token: module closed")
	}
	return f(m.ctx)
}

// AdminSession is a read-write session on one token, logged in as its
// user, for provisioning.
type AdminSession struct {
	*tokenSession
	keyLabel string
	keyID    []byte
}

// OpenKEKAdmin loads c's module and opens an AdminSession on the token that
// OpenKEK(c, label) opens its key from, logged in with c.PIN. The session
// owns the module and finalizes it on Close.
func OpenKEKAdmin(c Config, label string) (*AdminSession, error) {
	sel, keyLabel, path, err := c.resolveKEK(label)
	if err != nil {
		return nil, err
	}
	return withModule(path, func(m *Module) (*AdminSession, error) {
		t, err := m.openSession(c, sel, pkcs11.CKF_SERIAL_SESSION|pkcs11.CKF_RW_SESSION)
		if err != nil {
			return nil, err
		}
		a := &AdminSession{tokenSession: t, keyLabel: keyLabel}
		if sel.uri != nil {
			a.keyID = sel.uri.ID
		}
		return a, nil
	})
}

// KeyLabel is the label of the key the session was opened for: the one
// given, or the URI's object.
func (a *AdminSession) KeyLabel() string { return a.keyLabel }

// KeyID is the CKA_ID the URI gives the key, or nil.
func (a *AdminSession) KeyID() []byte { return a.keyID }

// TokenLabel is the token's label.
func (a *AdminSession) TokenLabel() string { return a.info.Label }

// Do runs f with the module's PKCS#11 context, the session and its slot,
// under the module's locks (see Module.Do).
func (a *AdminSession) Do(f func(ctx *pkcs11.Ctx, sh pkcs11.SessionHandle, slot uint) error) error {
	a.m.lock()
	defer a.m.unlock()
	if a.released {
		return errors.New("token: session closed")
	}
	return f(a.m.ctx, a.sh, a.slot)
}

// Close closes the session and releases the module.
func (a *AdminSession) Close() error { return a.close() }
