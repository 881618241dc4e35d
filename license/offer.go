package license

import (
	"context"
	"fmt"
	"time"
)

// Limits on what an offer and a payment may carry.
const (
	// MaxPaymentReferenceLen bounds a payment reference.
	MaxPaymentReferenceLen = 128
	// MaxAmountLen bounds an offer's amount text.
	MaxAmountLen = 64
)

// DefaultPrice is the amount an offer quotes unless Config.Price says
// otherwise; payments are simulated.
const DefaultPrice = "1.00 EUR (simulated)"

// OfferState is where a renewal offer is in its life: open, then accepted
// once, or expired.
type OfferState uint8

// The states of an offer.
const (
	OfferOpen OfferState = iota + 1
	OfferAccepted
	OfferExpired
)

var offerStateNames = [...]string{OfferOpen: "open", OfferAccepted: "accepted", OfferExpired: "expired"}

// String returns the state's name as stores spell it.
func (s OfferState) String() string { return enumName(offerStateNames[:], uint8(s), "OfferState") }

// ParseOfferState parses a state name.
func ParseOfferState(name string) (OfferState, error) {
	s, err := parseEnum(offerStateNames[:], name, "offer state")
	return OfferState(s), err
}

// Offer is a renewal the server proposed to one user for one license; it
// is stored, and a renewal must name it (DESIGN.md §7).
type Offer struct {
	// ID is 128 random bits in hex.
	ID        string
	UserID    string
	MediaID   string
	LicenseID string
	// Amount is what the renewal costs, as text for people.
	Amount string
	// Policy is what the renewal restores (or, if Extends, adds).
	Policy Policy
	// Extends marks an offer for a license that can still play: it adds
	// Policy's views and period to what is left instead of restoring.
	Extends   bool
	State     OfferState
	CreatedAt time.Time
	ExpiresAt time.Time
	// AcceptedAt and PaymentReference are set when the offer is accepted.
	AcceptedAt       time.Time
	PaymentReference string
}

// OpenAt reports whether the offer can still be accepted at now.
func (o Offer) OpenAt(now time.Time) bool { return o.State == OfferOpen && now.Before(o.ExpiresAt) }

// NewOffer is what a store needs to make an offer (Store.CreateOffer).
type NewOffer struct {
	UserID    string
	LicenseID string
	Amount    string
	Policy    Policy
	Extends   bool
	ExpiresAt time.Time
	// ReuseUntil lets the store return an open offer of the same license,
	// user and kind instead of a new one when it stays open past this
	// instant, so that repeated refusals do not grow the offers table.
	ReuseUntil time.Time
}

// Apply returns l after accepting o at now: an offer that extends adds its
// views to a view limit and its period to a time limit (from the later of
// now and the current end), leaving an unlimited dimension unlimited; any
// other offer restores its policy from now, as a fresh license.
func (o Offer) Apply(l License, now time.Time) License {
	if !o.Extends {
		return l.Renewed(o.Policy, now)
	}
	if l.Policy.Views != 0 && o.Policy.Views != 0 {
		l.Policy.Views = min(l.Policy.Views+o.Policy.Views, MaxViews)
	}
	if !l.ExpiresAt.IsZero() && o.Policy.Period != 0 {
		from := l.ExpiresAt
		if from.Before(now) {
			from = now
		}
		l.ExpiresAt = from.Add(o.Policy.Period)
		l.Policy.Period = min(l.Policy.Period+o.Policy.Period, MaxPeriod)
	}
	return l
}

// PaymentVerifier confirms that a payment reference pays for an offer. It
// runs before the store accepts the offer, outside any transaction; the
// store still refuses a reference used before (ErrDuplicatePayment).
type PaymentVerifier interface {
	// Verify returns nil when reference is a confirmed payment of offer.
	Verify(ctx context.Context, offer Offer, reference string) error
}

// SimulatedPayments is the default PaymentVerifier: there is no payment
// processor, and any well-formed reference confirms (the README's security
// model says so). The store still accepts each reference once.
type SimulatedPayments struct{}

// Verify accepts a well-formed reference.
func (SimulatedPayments) Verify(_ context.Context, _ Offer, reference string) error {
	return CheckPaymentReference(reference)
}

// CheckPaymentReference validates a payment reference from a client:
// 1..MaxPaymentReferenceLen bytes of printable ASCII.
func CheckPaymentReference(ref string) error {
	return CheckPrintable("payment reference", ref, 1, MaxPaymentReferenceLen)
}

// CheckPrintable validates text from outside: minLen..maxLen bytes, each
// printable ASCII (space to tilde), so that it is safe in logs and
// listings.
func CheckPrintable(what, s string, minLen, maxLen int) error {
	if len(s) < minLen || len(s) > maxLen {
		return fmt.Errorf("%w: %s must be %d..%d bytes", ErrInvalidInput, what, minLen, maxLen)
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return fmt.Errorf("%w: %s must be printable ASCII", ErrInvalidInput, what)
		}
	}
	return nil
}
