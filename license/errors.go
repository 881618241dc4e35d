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

	// ErrUnknownPlay means no such play.
	ErrUnknownPlay = errors.New("license: unknown play")
	// ErrPlayEnded means the play was refunded or abandoned: a new play
	// (a new view) starts over.
	ErrPlayEnded = errors.New("license: this play has ended: start a new play")
	// ErrPlayExpired means the play's window is over (its grant and its
	// resume ticket with it): a new play starts over.
	ErrPlayExpired = errors.New("license: this play's window is over: start a new play")
	// ErrAlreadyDelivered is matched by an *AlreadyDeliveredError: the
	// fetch asks for a chunk this play delivered before, below the
	// retransmission window (a second pass).
	ErrAlreadyDelivered = errors.New("license: chunk already delivered by this play")
	// ErrSuperseded means a newer fetch of the same play took over; the
	// older one stops at its next chunk.
	ErrSuperseded = errors.New("license: a newer fetch of this play took over")
	// ErrBadTicket covers every refused resume ticket: malformed, unknown
	// play, another user's play, wrong secret. One error, so there is no
	// oracle.
	ErrBadTicket = errors.New("license: invalid resume ticket")
	// ErrTooManyResumes means the play was resumed MaxResumes times.
	ErrTooManyResumes = errors.New("license: this play was resumed too often: start a new play")

	// ErrUnknownOffer means no such offer for this user.
	ErrUnknownOffer = errors.New("license: unknown renewal offer")
	// ErrOfferUsed means the offer was accepted already (a replayed renewal).
	ErrOfferUsed = errors.New("license: renewal offer already used")
	// ErrOfferExpired means the offer's time ran out: a new refused play
	// (or an offer request) brings a fresh one.
	ErrOfferExpired = errors.New("license: renewal offer expired")
	// ErrStillPlayable means a renewal of a license that can still play
	// under an offer that does not extend it.
	ErrStillPlayable = errors.New("license: the license is still playable; this offer does not extend it")
)

// AlreadyDeliveredError refuses a fetch that starts below the play's
// retransmission window: one view is one pass (DESIGN.md §7).
type AlreadyDeliveredError struct {
	// Chunk is the first chunk asked for.
	Chunk uint32
	// Next is one past the highest chunk the play has delivered.
	Next uint32
}

// Error says what was delivered and what to do.
func (e *AlreadyDeliveredError) Error() string {
	return fmt.Sprintf("license: this play has already delivered chunk %d (up to chunk %d); start a new play", e.Chunk, e.Next-1)
}

// Unwrap returns ErrAlreadyDelivered.
func (e *AlreadyDeliveredError) Unwrap() error { return ErrAlreadyDelivered }

// PaymentRequiredError refuses a play (or stops one) whose license is
// exhausted or expired. Offer is the renewal the server stored for it
// (status 402 inside the encrypted reply); errors.Is matches ErrExhausted or
// ErrExpired. A store returns it with a zero Offer; the Service fills it in.
type PaymentRequiredError struct {
	License License
	Offer   Offer
	// Reason is ErrExhausted or ErrExpired.
	Reason error
}

// Error describes the refusal and the offer.
func (e *PaymentRequiredError) Error() string {
	return fmt.Sprintf("license %s: payment required: %v (renewal: %s for %s)",
		e.License.ID, e.Reason, e.Offer.Policy, e.Offer.Amount)
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
