package license

import (
	"errors"
	"fmt"
)

// Errors that callers branch on.
var (
	// ErrExhausted means every view of the license has been used.
	ErrExhausted = errors.New("license: no views left")
	// ErrExpired means the rental period of the license is over.
	ErrExpired = errors.New("license: rental period expired")
	// ErrRevoked means the operator revoked the license.
	ErrRevoked = errors.New("license: revoked")
	// ErrBadGrant covers every refused play grant: missing, forged, expired,
	// or bound to another session or media. One error, so there is no oracle.
	ErrBadGrant = errors.New("license: invalid play grant")
	// ErrNotFound means no such license.
	ErrNotFound = errors.New("license: not found")
	// ErrUnknownUser means the identity is not registered.
	ErrUnknownUser = errors.New("license: unknown user")
	// ErrUserDisabled means the operator disabled the user.
	ErrUserDisabled = errors.New("license: user disabled")
	// ErrUserExists means a user with that identity is already registered.
	ErrUserExists = errors.New("license: user already registered")
	// ErrPaymentNotConfirmed means a renewal came without a confirmed payment.
	ErrPaymentNotConfirmed = errors.New("license: payment not confirmed")
	// ErrDuplicatePayment means the payment reference was already used.
	ErrDuplicatePayment = errors.New("license: payment reference already used")
	// ErrInvalidInput means an identifier or text is empty or too long.
	ErrInvalidInput = errors.New("license: invalid input")
)

// RenewalOffer is what the server proposes when a license runs out.
type RenewalOffer struct {
	// Policy is what a renewal restores.
	Policy Policy
	// Price is a human-readable price; payments are simulated.
	Price string
}

// PaymentRequiredError is returned by Service.Play when the license is
// exhausted or expired. The server answers HTTP 402 with the offer; errors.Is
// matches ErrExhausted or ErrExpired.
type PaymentRequiredError struct {
	License License
	Offer   RenewalOffer
	// Reason is ErrExhausted or ErrExpired.
	Reason error
}

// Error describes the refusal and the offer.
func (e *PaymentRequiredError) Error() string {
	return fmt.Sprintf("license %s: payment required: %v (renewal: %s for %s)",
		e.License.ID, e.Reason, e.Offer.Policy, e.Offer.Price)
}

// Unwrap returns ErrExhausted or ErrExpired.
func (e *PaymentRequiredError) Unwrap() error { return e.Reason }

// AuditError reports the first event of the audit log that breaks the chain.
type AuditError struct {
	// Seq is the sequence number where the chain breaks.
	Seq    int64
	Reason string
}

// Error names the broken event and why.
func (e *AuditError) Error() string {
	return fmt.Sprintf("audit log broken at event %d: %s", e.Seq, e.Reason)
}

// checkID validates an identifier from outside.
func checkID(what, s string) error {
	if s == "" || len(s) > MaxIDLen {
		return fmt.Errorf("%w: %s must be 1..%d bytes", ErrInvalidInput, what, MaxIDLen)
	}
	return nil
}

// CheckID validates an identifier (user, media, license, payment reference)
// before it reaches a store: non-empty and at most MaxIDLen bytes.
func CheckID(what, s string) error { return checkID(what, s) }

// CheckText validates free text (names, reasons, details): at most
// MaxTextLen bytes.
func CheckText(what, s string) error {
	if len(s) > MaxTextLen {
		return fmt.Errorf("%w: %s longer than %d bytes", ErrInvalidInput, what, MaxTextLen)
	}
	return nil
}
