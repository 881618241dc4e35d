package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"securemedia/license"
)

// Renewal offers (DESIGN.md §7): stored when a play is refused for
// payment, accepted at most once.

const offerColumns = `id, user_id, media_id, license_id, amount, views, period_ns, extends, state,
	created_ns, expires_ns, accepted_ns, payment_reference`

func scanOffer(r scanner) (license.Offer, error) {
	var (
		o                          license.Offer
		views, period, extends     int64
		state                      string
		created, expires, accepted int64
	)
	if err := r.Scan(&o.ID, &o.UserID, &o.MediaID, &o.LicenseID, &o.Amount, &views, &period, &extends, &state,
		&created, &expires, &accepted, &o.PaymentReference); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return license.Offer{}, license.ErrUnknownOffer
		}
		return license.Offer{}, err
	}
	st, err := license.ParseOfferState(state)
	if err != nil {
		return license.Offer{}, fmt.Errorf("offer %s: %w", o.ID, err)
	}
	o.State = st
	o.Policy = license.Policy{Views: int(views), Period: time.Duration(period)}
	o.Extends = extends != 0
	o.CreatedAt = license.FromUnixNano(created)
	o.ExpiresAt = license.FromUnixNano(expires)
	o.AcceptedAt = license.FromUnixNano(accepted)
	return o, nil
}

func (s *Store) getOffer(ctx context.Context, q querier, id string) (license.Offer, error) {
	return scanOffer(q.row(ctx, `SELECT `+offerColumns+` FROM offers WHERE id = ?`+s.lock(q), id))
}

// CreateOffer stores a renewal offer, or returns an open one that will do.
func (s *Store) CreateOffer(ctx context.Context, no license.NewOffer, now time.Time) (license.Offer, error) {
	if err := license.CheckID("user id", no.UserID); err != nil {
		return license.Offer{}, err
	}
	if err := license.CheckID("license id", no.LicenseID); err != nil {
		return license.Offer{}, err
	}
	if err := license.CheckPrintable("amount", no.Amount, 1, license.MaxAmountLen); err != nil {
		return license.Offer{}, err
	}
	if err := no.Policy.Validate(); err != nil {
		return license.Offer{}, err
	}
	if !no.ExpiresAt.After(now) {
		return license.Offer{}, fmt.Errorf("%w: an offer that expires before it is made", license.ErrInvalidInput)
	}
	var o license.Offer
	err := s.write(ctx, func(ctx context.Context, w *writeTx) error {
		l, err := s.getLicense(ctx, w.querier, no.LicenseID)
		if err != nil {
			return err
		}
		if l.UserID != no.UserID {
			return license.ErrNotFound
		}
		if l.Revoked {
			return license.ErrRevoked
		}
		o, err = scanOffer(w.row(ctx, `SELECT `+offerColumns+` FROM offers
			WHERE license_id = ? AND user_id = ? AND state = ? AND extends = ? AND expires_ns > ? ORDER BY expires_ns DESC LIMIT 1`,
			l.ID, no.UserID, license.OfferOpen.String(), boolInt(no.Extends), no.ReuseUntil.UnixNano()))
		if err == nil && o.Policy == no.Policy && o.Amount == no.Amount {
			return nil // still open long enough: the same offer again
		}
		if err != nil && !errors.Is(err, license.ErrUnknownOffer) {
			return err
		}
		id, err := newID()
		if err != nil {
			return err
		}
		at := now.Round(0).UTC()
		o = license.Offer{ID: id, UserID: l.UserID, MediaID: l.MediaID, LicenseID: l.ID, Amount: no.Amount, Policy: no.Policy,
			Extends: no.Extends, State: license.OfferOpen, CreatedAt: at, ExpiresAt: no.ExpiresAt.Round(0).UTC()}
		if _, err := w.exec(ctx, `INSERT INTO offers (`+offerColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			o.ID, o.UserID, o.MediaID, o.LicenseID, o.Amount, o.Policy.Views, int64(o.Policy.Period), boolInt(o.Extends),
			o.State.String(), at.UnixNano(), o.ExpiresAt.UnixNano(), 0, ""); err != nil {
			return fmt.Errorf("insert offer: %w", err)
		}
		kind := "restores"
		if o.Extends {
			kind = "extends by"
		}
		_, err = w.appendEvent(ctx, license.Event{Time: now, Kind: license.EventOffer, UserID: o.UserID, MediaID: o.MediaID, LicenseID: o.LicenseID,
			Detail: fmt.Sprintf("offer %s; %s %s for %q, open until %s", o.ID, kind, o.Policy, o.Amount, o.ExpiresAt.Format(time.RFC3339))})
		return err
	})
	if err != nil {
		return license.Offer{}, s.wrap("create offer", err)
	}
	return o, nil
}

// GetOffer returns an offer.
func (s *Store) GetOffer(ctx context.Context, offerID string) (license.Offer, error) {
	if err := license.CheckID("offer id", offerID); err != nil {
		return license.Offer{}, err
	}
	o, err := s.getOffer(ctx, s.onDB(), offerID)
	return o, s.wrap("get offer", err)
}

// AcceptOffer renews a license under an offer, once.
func (s *Store) AcceptOffer(ctx context.Context, offerID, userID, reference string, now time.Time) (license.License, license.Offer, error) {
	if err := license.CheckID("offer id", offerID); err != nil {
		return license.License{}, license.Offer{}, err
	}
	if err := license.CheckPaymentReference(reference); err != nil {
		return license.License{}, license.Offer{}, err
	}
	var (
		l license.License
		o license.Offer
	)
	err := s.write(ctx, func(ctx context.Context, w *writeTx) error {
		var err error
		if o, err = s.getOffer(ctx, w.querier, offerID); err != nil {
			return err
		}
		switch {
		case o.UserID != userID:
			return license.ErrUnknownOffer
		case o.State == license.OfferAccepted:
			return license.ErrOfferUsed
		case !o.OpenAt(now):
			return license.ErrOfferExpired
		}
		if l, err = s.getLicense(ctx, w.querier, o.LicenseID); err != nil {
			return err
		}
		if l.Revoked {
			return license.ErrRevoked
		}
		if !o.Extends && l.Playable(now) == nil {
			return license.ErrStillPlayable
		}
		var n int
		if err := w.row(ctx, `SELECT COUNT(*) FROM payments WHERE reference = ?`, reference).Scan(&n); err != nil {
			return err
		}
		if n != 0 {
			return license.ErrDuplicatePayment
		}
		if _, err := w.exec(ctx, `INSERT INTO payments (reference, license_id, amount, paid_ns, offer_id) VALUES (?, ?, ?, ?, ?)`,
			reference, l.ID, o.Amount, now.UnixNano(), o.ID); err != nil {
			return fmt.Errorf("record payment: %w", err)
		}
		l = o.Apply(l, now)
		if err := s.updateLicense(ctx, w, l); err != nil {
			return err
		}
		o.State, o.AcceptedAt, o.PaymentReference = license.OfferAccepted, now.Round(0).UTC(), reference
		if _, err := w.exec(ctx, `UPDATE offers SET state = ?, accepted_ns = ?, payment_reference = ? WHERE id = ?`,
			o.State.String(), now.UnixNano(), reference, o.ID); err != nil {
			return fmt.Errorf("accept offer: %w", err)
		}
		_, err = w.appendEvent(ctx, license.Event{Time: now, Kind: license.EventRenew, UserID: l.UserID, MediaID: l.MediaID, LicenseID: l.ID,
			Detail: fmt.Sprintf("offer %s; payment %q amount %q; policy %s", o.ID, reference, o.Amount, l.Policy)})
		return err
	})
	if err != nil {
		return license.License{}, license.Offer{}, s.wrap("accept offer", err)
	}
	return l, o, nil
}

// ExpireOffers marks open offers past their expiry as expired.
func (s *Store) ExpireOffers(ctx context.Context, now time.Time) (int, error) {
	var n int64
	err := s.retry(ctx, func() error {
		res, err := s.onDB().exec(ctx, `UPDATE offers SET state = ? WHERE state = ? AND expires_ns <= ?`,
			license.OfferExpired.String(), license.OfferOpen.String(), now.UnixNano())
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), s.wrap("expire offers", err)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
