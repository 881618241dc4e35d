package token

import (
	"fmt"
	"unsafe"

	"github.com/miekg/pkcs11"

	"securemedia/internal/secret"
)

// tokenSession is the one PKCS#11 session lifecycle of this package: find
// the selected token, open a session on it, log in, and close. The identity
// card's Session and the KEK are built on it; each adds what it looks up
// once logged in.
type tokenSession struct {
	m    *Module
	sh   pkcs11.SessionHandle
	slot uint
	info pkcs11.TokenInfo // as read when the session was opened

	// guarded by m.mu
	closed   bool
	removed  bool
	released bool
}

// openSession takes a reference on m, finds the token sel selects, opens
// a session on it with flags, refuses a locked PIN and logs in when the
// token asks for a login. On error the session is closed and the
// reference released.
func (m *Module) openSession(c Config, sel *selection, flags uint) (*tokenSession, error) {
	if err := m.acquire(); err != nil {
		return nil, err
	}
	t := &tokenSession{m: m}
	if err := t.open(c, sel, flags); err != nil {
		t.close()
		return nil, err
	}
	return t, nil
}

func (t *tokenSession) open(c Config, sel *selection, flags uint) error {
	m := t.m
	m.lock()
	slot, ti, err := m.findSlotLocked(sel)
	if err == nil {
		t.slot, t.info = slot, ti
		t.sh, err = m.ctx.OpenSession(slot, flags)
		if err != nil {
			err = fmt.Errorf("token: open session on %q: %w", ti.Label, err)
		}
	}
	if err != nil {
		t.closed = true // there is no session to close
	}
	m.unlock()
	if err != nil {
		return err
	}
	if ti.Flags&pkcs11.CKF_USER_PIN_LOCKED != 0 {
		return fmt.Errorf("%w on token %q", ErrPINLocked, ti.Label)
	}
	if ti.Flags&pkcs11.CKF_LOGIN_REQUIRED != 0 {
		return t.login(c.PIN)
	}
	return nil
}

// login logs the session in as the user with the PIN from pin, or through
// the reader's PIN pad. The PIN is asked for before any lock is taken (a
// prompt must not block other sessions, or other processes) and erased
// as soon as C_Login returns. It is never logged nor put in an error.
func (t *tokenSession) login(pin func() ([]byte, error)) error {
	ti := t.info
	var p []byte
	if ti.Flags&pkcs11.CKF_PROTECTED_AUTHENTICATION_PATH == 0 {
		if pin == nil {
			return fmt.Errorf("token %q needs a PIN and none was given", ti.Label)
		}
		var err error
		p, err = pin()
		if err != nil {
			return fmt.Errorf("token: PIN for %q: %w", ti.Label, err)
		}
		defer secret.Erase(p)
	}
	t.m.lock()
	defer t.m.unlock()
	// The binding takes the PIN as a string. Aliasing our slice (instead
	// of converting, which copies) means the Erase above also clears what
	// the binding saw; the binding copies it to C memory only for the call.
	var s string
	if len(p) > 0 {
		s = unsafe.String(&p[0], len(p))
	}
	return loginError(t.m.ctx.Login(t.sh, pkcs11.CKU_USER, s), ti)
}

// loginError classifies the result of C_Login for the user.
func loginError(err error, ti pkcs11.TokenInfo) error {
	switch {
	case err == nil, isCode(err, pkcs11.CKR_USER_ALREADY_LOGGED_IN):
		// PKCS#11 logs in per application and token, so another session
		// of this process may have done it already.
		return nil
	case isCode(err, pkcs11.CKR_PIN_INCORRECT), isCode(err, pkcs11.CKR_PIN_LEN_RANGE), isCode(err, pkcs11.CKR_PIN_INVALID):
		if ti.Flags&pkcs11.CKF_USER_PIN_FINAL_TRY != 0 {
			return fmt.Errorf("%w for token %q (that was the last try before the PIN locks)", ErrWrongPIN, ti.Label)
		}
		return fmt.Errorf("%w for token %q", ErrWrongPIN, ti.Label)
	case isCode(err, pkcs11.CKR_PIN_LOCKED):
		return fmt.Errorf("%w on token %q", ErrPINLocked, ti.Label)
	case isCode(err, pkcs11.CKR_USER_PIN_NOT_INITIALIZED):
		return fmt.Errorf("token: %q has no user PIN yet; set one with the token's tools (pkcs11-tool --init-pin): %w", ti.Label, err)
	case isRemoval(err):
		return fmt.Errorf("token: login to %q: %w", ti.Label, ErrTokenRemoved)
	}
	return fmt.Errorf("token: login to %q: %w", ti.Label, err)
}

// wrap adds context to a PKCS#11 error and records a token removal, so
// that later calls and Close know the session is gone. m.mu is held.
func (t *tokenSession) wrap(what string, err error) error {
	if isRemoval(err) {
		t.removed = true
		return fmt.Errorf("token: %s: %w (%v)", what, ErrTokenRemoved, err)
	}
	return fmt.Errorf("token: %s: %w", what, err)
}

// close closes the session and releases the module; it is idempotent. It
// does not call C_Logout: login state is shared by every session of the
// process on the token, and closing the last session logs out (PKCS#11
// §5.6, C_CloseSession). The PIN was erased right after login and keys
// never leave the token, so nothing secret remains in memory.
func (t *tokenSession) close() error {
	t.m.lock()
	if t.released {
		t.m.unlock()
		return nil
	}
	t.released = true
	var err error
	if !t.closed {
		// Closed even after a removal, so that the module frees it; an
		// error then is expected and not reported.
		if e := t.m.ctx.CloseSession(t.sh); e != nil && !t.removed && !isRemoval(e) {
			err = fmt.Errorf("token: close session: %w", e)
		}
	}
	t.closed = true
	t.m.unlock()
	if e := t.m.release(); e != nil && err == nil {
		err = e
	}
	return err
}
