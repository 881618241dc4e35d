package license

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"time"
)

const (
	// GrantLifetime bounds how long one play grant lasts; a play longer than
	// this starts again (and, by design, uses another view).
	GrantLifetime = 12 * time.Hour
	// simulatedPrice is what a renewal offer quotes; payments are simulated.
	simulatedPrice = "1.00 EUR (simulated)"
)

// PlayResult is what a started play hands to the client.
type PlayResult struct {
	// Grant must accompany every chunk request of this play.
	Grant []byte
	// Token is the signed license as it stands after this play.
	Token []byte
	// License is the state after the view was consumed.
	License License
}

// Service runs the license operations of the protocol: play, chunk checks
// and renewals. It is safe for concurrent use.
type Service struct {
	store  Store
	signer crypto.Signer
	chain  [][]byte
	grants *Grants
	now    func() time.Time
}

// NewService wires a store, the license-signing key and its chain (DER, leaf
// first), a grant issuer and a clock (nil means time.Now).
func NewService(s Store, signer crypto.Signer, chain [][]byte, grants *Grants, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{store: s, signer: signer, chain: chain, grants: grants, now: now}
}

// Play starts a play of mediaID by userID in session sessionID: it issues
// the license on the first play (under p, the media's policy), consumes one
// view atomically and returns a grant bound to the session and the media
// plus a signed token. An exhausted or expired license yields a
// *PaymentRequiredError with a renewal offer.
func (s *Service) Play(ctx context.Context, userID, mediaID string, sessionID []byte, p Policy) (PlayResult, error) {
	if err := checkID("media id", mediaID); err != nil {
		return PlayResult{}, err
	}
	if len(sessionID) == 0 || len(sessionID) > MaxIDLen {
		return PlayResult{}, fmt.Errorf("%w: session id length %d", ErrInvalidInput, len(sessionID))
	}
	if err := s.checkUser(ctx, userID); err != nil {
		return PlayResult{}, err
	}
	now := s.now()
	l, err := s.store.GetOrIssue(ctx, userID, mediaID, p, now)
	if err != nil {
		return PlayResult{}, fmt.Errorf("license for %s/%s: %w", userID, mediaID, err)
	}
	l2, err := s.store.ConsumeView(ctx, l.ID, now)
	if err != nil {
		if errors.Is(err, ErrExhausted) || errors.Is(err, ErrExpired) {
			if cur, gerr := s.store.Get(ctx, l.ID); gerr == nil {
				l = cur
			}
			reason := ErrExhausted
			if errors.Is(err, ErrExpired) {
				reason = ErrExpired
			}
			return PlayResult{}, &PaymentRequiredError{License: l, Offer: RenewalOffer{Policy: l.Policy, Price: simulatedPrice}, Reason: reason}
		}
		return PlayResult{}, fmt.Errorf("license %s: %w", l.ID, err)
	}
	tok, err := SignToken(l2, s.signer, s.chain, now)
	if err != nil {
		return PlayResult{}, err
	}
	expires := now.Add(GrantLifetime)
	if !l2.ExpiresAt.IsZero() && l2.ExpiresAt.Before(expires) {
		expires = l2.ExpiresAt
	}
	return PlayResult{Grant: s.grants.Issue(sessionID, mediaID, l2.ID, expires), Token: tok, License: l2}, nil
}

// CheckChunk authorizes one chunk request: the grant must be valid for this
// session and media, and its license neither revoked nor expired. It reads
// the store each time, so an operator's revocation stops a play at its next
// chunk.
func (s *Service) CheckChunk(ctx context.Context, grant, sessionID []byte, mediaID string) error {
	now := s.now()
	id, err := s.grants.Check(grant, sessionID, mediaID, now)
	if err != nil {
		return err
	}
	l, err := s.store.Get(ctx, id)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return ErrBadGrant
		}
		return fmt.Errorf("license %s: %w", id, err)
	}
	if l.MediaID != mediaID {
		return ErrBadGrant
	}
	if l.Revoked {
		return ErrRevoked
	}
	if l.Expired(now) {
		return ErrExpired
	}
	return nil
}

// Renew restores the license of (userID, mediaID) after a confirmed
// (simulated) payment, recorded in the audit log. A payment reference can
// be used once.
func (s *Service) Renew(ctx context.Context, userID, mediaID string, payment Payment) (License, error) {
	if !payment.Confirmed {
		return License{}, ErrPaymentNotConfirmed
	}
	if err := checkID("payment reference", payment.Reference); err != nil {
		return License{}, err
	}
	if err := CheckText("payment amount", payment.Amount); err != nil {
		return License{}, err
	}
	if err := s.checkUser(ctx, userID); err != nil {
		return License{}, err
	}
	l, err := s.store.Find(ctx, userID, mediaID)
	if err != nil {
		return License{}, fmt.Errorf("renew %s/%s: %w", userID, mediaID, err)
	}
	if l.Revoked {
		return License{}, fmt.Errorf("renew license %s: %w", l.ID, ErrRevoked)
	}
	return s.store.Renew(ctx, l.ID, payment, s.now())
}

// Offer returns the renewal offer for a license.
func (s *Service) Offer(l License) RenewalOffer {
	return RenewalOffer{Policy: l.Policy, Price: simulatedPrice}
}

func (s *Service) checkUser(ctx context.Context, userID string) error {
	if err := checkID("user id", userID); err != nil {
		return err
	}
	u, err := s.store.GetUser(ctx, userID)
	if err != nil {
		return err
	}
	if u.Disabled {
		return ErrUserDisabled
	}
	return nil
}
