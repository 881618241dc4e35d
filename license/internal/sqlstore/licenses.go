package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"securemedia/license"
)

const licenseColumns = `id, user_id, media_id, views, period_ns, views_used, issued_ns, expires_ns, revoked, revoke_reason`

type scanner interface{ Scan(dest ...any) error }

// licenseRow receives the licenseColumns of one row.
type licenseRow struct {
	l                       license.License
	views, used, revoked    int64
	period, issued, expires int64
}

func (r *licenseRow) dest() []any {
	return []any{&r.l.ID, &r.l.UserID, &r.l.MediaID, &r.views, &r.period, &r.used, &r.issued, &r.expires, &r.revoked, &r.l.RevokeReason}
}

func (r *licenseRow) license() license.License {
	l := r.l
	l.Policy = license.Policy{Views: int(r.views), Period: time.Duration(r.period)}
	l.ViewsUsed = int(r.used)
	l.IssuedAt = license.FromUnixNano(r.issued)
	l.ExpiresAt = license.FromUnixNano(r.expires)
	l.Revoked = r.revoked != 0
	return l
}

func scanLicense(r scanner) (license.License, error) {
	var row licenseRow
	if err := r.Scan(row.dest()...); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return license.License{}, license.ErrNotFound
		}
		return license.License{}, err
	}
	return row.license(), nil
}

func (s *Store) getLicense(ctx context.Context, q querier, id string) (license.License, error) {
	return scanLicense(q.row(ctx, `SELECT `+licenseColumns+` FROM licenses WHERE id = ?`+s.lock(q), id))
}

func (s *Store) findLicense(ctx context.Context, q querier, userID, mediaID string) (license.License, error) {
	return scanLicense(q.row(ctx, `SELECT `+licenseColumns+` FROM licenses WHERE user_id = ? AND media_id = ?`+s.lock(q), userID, mediaID))
}

// lock returns the row-lock clause for a read inside a write transaction,
// nothing for a plain read.
func (s *Store) lock(q querier) string {
	if q.tx != nil && s.d.LockRow != "" {
		return " " + s.d.LockRow
	}
	return ""
}

// Get returns a license by ID.
func (s *Store) Get(ctx context.Context, licenseID string) (license.License, error) {
	if err := license.CheckID("license id", licenseID); err != nil {
		return license.License{}, err
	}
	l, err := s.getLicense(ctx, s.onDB(), licenseID)
	return l, s.wrap("get license", err)
}

// Find returns the license of (user, media).
func (s *Store) Find(ctx context.Context, userID, mediaID string) (license.License, error) {
	if err := checkPair(userID, mediaID); err != nil {
		return license.License{}, err
	}
	l, err := s.findLicense(ctx, s.onDB(), userID, mediaID)
	return l, s.wrap("find license", err)
}

// List returns the licenses matching f.
func (s *Store) List(ctx context.Context, f license.Filter) ([]license.License, error) {
	var c conditions
	c.equal("user_id", f.UserID)
	c.equal("media_id", f.MediaID)
	return queryAll(ctx, s.listing(), "list licenses", `SELECT `+licenseColumns+` FROM licenses`+c.clause()+` ORDER BY user_id, media_id`, c.args, scanLicense)
}

// GetOrIssue returns the license of (user, media), issuing one under p on
// the first play. The common case is one read; issuing re-checks under the
// write lock so that racing first plays create one license.
func (s *Store) GetOrIssue(ctx context.Context, userID, mediaID string, p license.Policy, now time.Time) (license.License, error) {
	if err := checkPair(userID, mediaID); err != nil {
		return license.License{}, err
	}
	if err := p.Validate(); err != nil {
		return license.License{}, err
	}
	l, err := s.findLicense(ctx, s.onDB(), userID, mediaID)
	if !errors.Is(err, license.ErrNotFound) {
		return l, s.wrap("find license", err)
	}
	err = s.write(ctx, func(ctx context.Context, w *writeTx) error {
		var err error
		l, err = s.findLicense(ctx, w.querier, userID, mediaID)
		if !errors.Is(err, license.ErrNotFound) {
			return err
		}
		l, err = s.insertLicense(ctx, w, userID, mediaID, p, now)
		if err != nil {
			return err
		}
		_, err = w.appendEvent(ctx, license.Event{Time: now, Kind: license.EventIssue, UserID: userID, MediaID: mediaID, LicenseID: l.ID, Detail: "policy " + p.String()})
		return err
	})
	return l, s.wrap("issue license", err)
}

func (s *Store) insertLicense(ctx context.Context, w *writeTx, userID, mediaID string, p license.Policy, now time.Time) (license.License, error) {
	id, err := newID()
	if err != nil {
		return license.License{}, err
	}
	l := license.License{ID: id, UserID: userID, MediaID: mediaID}.Renewed(p, now)
	_, err = w.exec(ctx, `INSERT INTO licenses (`+licenseColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		l.ID, l.UserID, l.MediaID, l.Policy.Views, int64(l.Policy.Period), l.ViewsUsed,
		license.UnixNano(l.IssuedAt), license.UnixNano(l.ExpiresAt), 0, "")
	if err != nil {
		return license.License{}, fmt.Errorf("insert license: %w", err)
	}
	return l, nil
}

// updateLicense writes the mutable fields of l.
func (s *Store) updateLicense(ctx context.Context, w *writeTx, l license.License) error {
	revoked := 0
	if l.Revoked {
		revoked = 1
	}
	res, err := w.exec(ctx, `UPDATE licenses SET views = ?, period_ns = ?, views_used = ?, issued_ns = ?, expires_ns = ?, revoked = ?, revoke_reason = ? WHERE id = ?`,
		l.Policy.Views, int64(l.Policy.Period), l.ViewsUsed, license.UnixNano(l.IssuedAt), license.UnixNano(l.ExpiresAt), revoked, l.RevokeReason, l.ID)
	if err != nil {
		return fmt.Errorf("update license: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return fmt.Errorf("update license %s: %d rows (%v)", l.ID, n, err)
	}
	return nil
}

func viewsDetail(l license.License) string {
	if l.Policy.Views == 0 {
		return fmt.Sprintf("views used %d (unlimited)", l.ViewsUsed)
	}
	return fmt.Sprintf("views used %d/%d", l.ViewsUsed, l.Policy.Views)
}

// Revoke marks a license revoked.
func (s *Store) Revoke(ctx context.Context, licenseID, reason string, now time.Time) error {
	if err := license.CheckID("license id", licenseID); err != nil {
		return err
	}
	if err := license.CheckText("reason", reason); err != nil {
		return err
	}
	err := s.write(ctx, func(ctx context.Context, w *writeTx) error {
		l, err := s.getLicense(ctx, w.querier, licenseID)
		if err != nil {
			return err
		}
		l.Revoked, l.RevokeReason = true, reason
		if err := s.updateLicense(ctx, w, l); err != nil {
			return err
		}
		_, err = w.appendEvent(ctx, license.Event{Time: now, Kind: license.EventRevoke, UserID: l.UserID, MediaID: l.MediaID, LicenseID: l.ID, Detail: reason})
		return err
	})
	return s.wrap("revoke license", err)
}

// Reset restores a license's current policy from now and lifts a revocation.
func (s *Store) Reset(ctx context.Context, licenseID string, now time.Time) (license.License, error) {
	if err := license.CheckID("license id", licenseID); err != nil {
		return license.License{}, err
	}
	var l license.License
	err := s.write(ctx, func(ctx context.Context, w *writeTx) error {
		var err error
		l, err = s.getLicense(ctx, w.querier, licenseID)
		if err != nil {
			return err
		}
		l = l.Renewed(l.Policy, now)
		if err := s.updateLicense(ctx, w, l); err != nil {
			return err
		}
		_, err = w.appendEvent(ctx, license.Event{Time: now, Kind: license.EventReset, UserID: l.UserID, MediaID: l.MediaID, LicenseID: l.ID, Detail: "policy " + l.Policy.String()})
		return err
	})
	if err != nil {
		return license.License{}, s.wrap("reset license", err)
	}
	return l, nil
}

// Grant creates or replaces the license of (user, media) with policy p.
func (s *Store) Grant(ctx context.Context, userID, mediaID string, p license.Policy, now time.Time) (license.License, error) {
	if err := checkPair(userID, mediaID); err != nil {
		return license.License{}, err
	}
	if err := p.Validate(); err != nil {
		return license.License{}, err
	}
	var l license.License
	err := s.write(ctx, func(ctx context.Context, w *writeTx) error {
		var err error
		l, err = s.findLicense(ctx, w.querier, userID, mediaID)
		switch {
		case errors.Is(err, license.ErrNotFound):
			l, err = s.insertLicense(ctx, w, userID, mediaID, p, now)
		case err == nil:
			l = l.Renewed(p, now)
			err = s.updateLicense(ctx, w, l)
		}
		if err != nil {
			return err
		}
		_, err = w.appendEvent(ctx, license.Event{Time: now, Kind: license.EventGrant, UserID: userID, MediaID: mediaID, LicenseID: l.ID, Detail: "policy " + p.String()})
		return err
	})
	if err != nil {
		return license.License{}, s.wrap("grant license", err)
	}
	return l, nil
}

func checkPair(userID, mediaID string) error {
	if err := license.CheckID("user id", userID); err != nil {
		return err
	}
	return license.CheckID("media id", mediaID)
}
