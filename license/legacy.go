package license

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// The operations below are the protocol's play path before durable plays:
// the view is consumed when the play starts, each chunk is checked against
// the license in the store, and a renewal names a media and any fresh
// payment reference. They stay until the server moves to StartPlay,
// Authorize, Count, Progress and Renew; nothing else uses them.

// GrantLifetime bounds how long one license grant (Play) lasts.
const GrantLifetime = 12 * time.Hour

// PlayResult is what Play hands to the client.
type PlayResult struct {
	// Grant must accompany every chunk request of this play.
	Grant []byte
	// Token is the signed license as it stands after this play.
	Token []byte
	// License is the state after the view was consumed.
	License License
}

// Play starts a play of mediaID by userID in session sessionID and
// consumes its view at once: it issues the license on the first play
// (under p), consumes one view atomically and returns a license grant
// bound to the session and the media plus a signed token. An exhausted or
// expired license yields a *PaymentRequiredError whose offer is not stored
// (RenewLegacy needs none).
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
			return PlayResult{}, &PaymentRequiredError{License: l, Reason: reason,
				Offer: Offer{UserID: l.UserID, MediaID: l.MediaID, LicenseID: l.ID, Policy: l.Policy, Amount: s.price}}
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

// CheckChunk authorizes one chunk request under a license grant: the grant
// must be valid for this session and media, and its license neither
// revoked nor expired. It reads the store each time.
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

// RenewLegacy restores the license of (userID, mediaID) after a confirmed
// payment, at any time; a payment reference can be used once. An empty
// amount is the service's price.
func (s *Service) RenewLegacy(ctx context.Context, userID, mediaID string, payment Payment) (License, error) {
	if !payment.Confirmed {
		return License{}, ErrPaymentNotConfirmed
	}
	if payment.Amount == "" {
		payment.Amount = s.price
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
