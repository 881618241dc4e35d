package token

import (
	"errors"

	"github.com/miekg/pkcs11"
)

// Errors callers branch on.
var (
	// ErrWrongPIN means the token refused the PIN. Retrying with the same
	// PIN counts against the token's retry counter.
	ErrWrongPIN = errors.New("token: wrong PIN")
	// ErrPINLocked means the token's PIN is blocked after too many wrong
	// tries; it must be unblocked with the PUK or the SO PIN.
	ErrPINLocked = errors.New("token: PIN is locked")
	// ErrTokenNotFound means no slot holds a token matching the selection.
	ErrTokenNotFound = errors.New("token: no matching token")
	// ErrTokenRemoved means the token went away (or its session was closed)
	// while it was in use; the session cannot be used any more.
	ErrTokenRemoved = errors.New("token: token removed or session closed")
	// ErrModuleNotLoaded means the PKCS#11 module file could not be loaded
	// (not installed, or not a PKCS#11 library).
	ErrModuleNotLoaded = errors.New("token: cannot load the PKCS#11 module")
	// ErrObjectNotFound means the token lacks the key or certificate asked for.
	ErrObjectNotFound = errors.New("token: object not found")
)

// isRemoval reports whether a PKCS#11 error means the token or the session
// is gone, as opposed to a failure of one operation.
func isRemoval(err error) bool {
	var e pkcs11.Error
	if !errors.As(err, &e) {
		return false
	}
	switch uint(e) {
	case pkcs11.CKR_DEVICE_REMOVED, pkcs11.CKR_TOKEN_NOT_PRESENT,
		pkcs11.CKR_SESSION_HANDLE_INVALID, pkcs11.CKR_SESSION_CLOSED,
		pkcs11.CKR_TOKEN_NOT_RECOGNIZED, pkcs11.CKR_SLOT_ID_INVALID:
		return true
	}
	return false
}

// isCode reports whether err is the PKCS#11 return value code.
func isCode(err error, code uint) bool {
	var e pkcs11.Error
	return errors.As(err, &e) && uint(e) == code
}
