package token

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/miekg/pkcs11"
)

func TestErrorClassification(t *testing.T) {
	for _, tc := range []struct {
		code    uint
		removal bool
	}{
		{pkcs11.CKR_DEVICE_REMOVED, true},
		{pkcs11.CKR_TOKEN_NOT_PRESENT, true},
		{pkcs11.CKR_SESSION_HANDLE_INVALID, true},
		{pkcs11.CKR_SESSION_CLOSED, true},
		{pkcs11.CKR_PIN_INCORRECT, false},
		{pkcs11.CKR_FUNCTION_FAILED, false},
	} {
		name := fmt.Sprintf("%v means removal: %v", pkcs11.Error(tc.code), tc.removal)
		t.Run(name, func(t *testing.T) {
			if got := isRemoval(fmt.Errorf("wrapped: %w", pkcs11.Error(tc.code))); got != tc.removal {
				t.Errorf("isRemoval = %v", got)
			}
		})
	}
}

// SoftHSM2 never locks a PIN, so the classification of C_Login's answers is
// tested on its own.
func TestLoginAnswersAreClassified(t *testing.T) {
	ti := pkcs11.TokenInfo{Label: "CARD"}
	final := pkcs11.TokenInfo{Label: "CARD", Flags: pkcs11.CKF_USER_PIN_FINAL_TRY}
	for _, tc := range []struct {
		name     string
		err      error
		ti       pkcs11.TokenInfo
		want     error // nil: success
		wantText string
	}{
		{"a successful login is accepted", nil, ti, nil, ""},
		{"a login another session made is accepted", pkcs11.Error(pkcs11.CKR_USER_ALREADY_LOGGED_IN), ti, nil, ""},
		{"an incorrect PIN is a wrong PIN", pkcs11.Error(pkcs11.CKR_PIN_INCORRECT), ti, ErrWrongPIN, `token "CARD"`},
		{"a PIN of the wrong length is a wrong PIN", pkcs11.Error(pkcs11.CKR_PIN_LEN_RANGE), ti, ErrWrongPIN, ""},
		{"a wrong PIN on the final try warns of the lock", pkcs11.Error(pkcs11.CKR_PIN_INCORRECT), final, ErrWrongPIN, "last try"},
		{"a locked PIN is reported as locked", pkcs11.Error(pkcs11.CKR_PIN_LOCKED), ti, ErrPINLocked, ""},
		{"a removed card is reported as removed", pkcs11.Error(pkcs11.CKR_DEVICE_REMOVED), ti, ErrTokenRemoved, ""},
		{"a token without a user PIN says so", pkcs11.Error(pkcs11.CKR_USER_PIN_NOT_INITIALIZED), ti, pkcs11.Error(pkcs11.CKR_USER_PIN_NOT_INITIALIZED), "no user PIN yet"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := loginError(tc.err, tc.ti)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("err = %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.wantText) {
				t.Errorf("err = %q, want it to say %q", err, tc.wantText)
			}
		})
	}
	if err := loginError(pkcs11.Error(pkcs11.CKR_FUNCTION_FAILED), ti); err == nil || errors.Is(err, ErrWrongPIN) {
		t.Errorf("a module failure: err = %v, want a plain error", err)
	}
}
