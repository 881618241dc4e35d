package license

import (
	"context"
	"errors"
	"fmt"
)

// withOffer completes a store's *PaymentRequiredError with a stored offer
// that restores p (the media's policy; nil: the license's own); any other
// error is returned as it is.
func (s *Service) withOffer(ctx context.Context, err error, p *Policy) error {
	var pr *PaymentRequiredError
	if !errors.As(err, &pr) {
		return err
	}
	policy := pr.License.Policy
	if p != nil {
		policy = *p
	}
	o, oerr := s.createOffer(ctx, pr.License, policy, false)
	if oerr != nil {
		return fmt.Errorf("license %s: renewal offer: %w", pr.License.ID, oerr)
	}
	pr.Offer = o
	return pr
}

// createOffer stores an offer of p for l, reusing an open one of the same
// kind that has at least half its lifetime left.
func (s *Service) createOffer(ctx context.Context, l License, p Policy, extends bool) (Offer, error) {
	now := s.now()
	return s.store.CreateOffer(ctx, NewOffer{UserID: l.UserID, LicenseID: l.ID, Amount: s.price, Policy: p,
		Extends: extends, ExpiresAt: now.Add(s.offerLife), ReuseUntil: now.Add(s.offerLife / 2)}, now)
}

// Offer proposes a renewal of the user's license of mediaID under p (the
// media's policy) on request, as for a viewer who renews before the
// license runs out: for a license that can still play, the offer extends
// it by p (Offer.Apply); otherwise it restores p. A revoked license gets no
// offer (ErrRevoked); a user without a license of the media ErrNotFound.
func (s *Service) Offer(ctx context.Context, userID, mediaID string, p Policy) (Offer, error) {
	if err := checkID("media id", mediaID); err != nil {
		return Offer{}, err
	}
	if err := p.Validate(); err != nil {
		return Offer{}, err
	}
	if err := s.checkUser(ctx, userID); err != nil {
		return Offer{}, err
	}
	l, err := s.store.Find(ctx, userID, mediaID)
	if err != nil {
		return Offer{}, err
	}
	if l.Revoked {
		return Offer{}, ErrRevoked
	}
	return s.createOffer(ctx, l, p, l.Playable(s.now()) == nil)
}

// Renewal is the result of an accepted offer.
type Renewal struct {
	License License
	Offer   Offer
	// Token is the signed renewed license.
	Token []byte
}

// Renew renews a license against an offer (DESIGN.md §7): the offer must
// be the user's (ErrUnknownOffer), open (ErrOfferUsed once accepted) and
// unexpired (ErrOfferExpired); the reference bounded printable text
// (ErrInvalidInput) that the PaymentVerifier confirms
// (ErrPaymentNotConfirmed) and that was never used (ErrDuplicatePayment).
// The store then accepts the offer once, atomically, refusing a revoked
// license (ErrRevoked) and a playable one unless the offer extends it
// (ErrStillPlayable); the audit event names the offer and the reference.
func (s *Service) Renew(ctx context.Context, userID, offerID, reference string) (Renewal, error) {
	if err := CheckPaymentReference(reference); err != nil {
		return Renewal{}, err
	}
	if err := checkID("offer id", offerID); err != nil {
		return Renewal{}, err
	}
	if err := s.checkUser(ctx, userID); err != nil {
		return Renewal{}, err
	}
	o, err := s.store.GetOffer(ctx, offerID)
	switch {
	case errors.Is(err, ErrUnknownOffer) || err == nil && o.UserID != userID:
		return Renewal{}, ErrUnknownOffer
	case err != nil:
		return Renewal{}, err
	case o.State == OfferAccepted:
		return Renewal{}, ErrOfferUsed
	case !o.OpenAt(s.now()):
		return Renewal{}, ErrOfferExpired
	}
	if err := s.payments.Verify(ctx, o, reference); err != nil {
		return Renewal{}, fmt.Errorf("%w: %w", ErrPaymentNotConfirmed, err)
	}
	now := s.now()
	l, o, err := s.store.AcceptOffer(ctx, offerID, userID, reference, now)
	if err != nil {
		return Renewal{}, err
	}
	tok, err := SignToken(l, s.signer, s.chain, now)
	if err != nil {
		return Renewal{}, err
	}
	return Renewal{License: l, Offer: o, Token: tok}, nil
}
