package sqlstore

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"securemedia/license"
)

// Plays (DESIGN.md §7). Every transition runs in a write transaction
// (chain head locked, rows read FOR UPDATE on PostgreSQL) with its audit
// event; a progress update that does not complete the play is one
// conditional UPDATE and no event.

const playColumns = `id, user_id, device, media_id, license_id, session, state, next_chunk, chunks, resume_hash, resumes,
	created_ns, counted_ns, updated_ns, ended_ns, expires_ns, reason`

// playRow receives the playColumns of one row.
type playRow struct {
	p                                         license.Play
	state                                     string
	next, chunks, resumes                     int64
	hash                                      []byte
	created, counted, updated, ended, expires int64
}

func (r *playRow) dest() []any {
	return []any{&r.p.ID, &r.p.UserID, &r.p.Device, &r.p.MediaID, &r.p.LicenseID, &r.p.Session, &r.state,
		&r.next, &r.chunks, &r.hash, &r.resumes, &r.created, &r.counted, &r.updated, &r.ended, &r.expires, &r.p.Reason}
}

func (r *playRow) play() (license.Play, error) {
	p := r.p
	st, err := license.ParsePlayState(r.state)
	if err != nil {
		return license.Play{}, fmt.Errorf("play %s: %w", p.ID, err)
	}
	if len(r.hash) != len(p.ResumeHash) || r.next < 0 || r.chunks < 0 || r.next > r.chunks || r.chunks > 1<<32-1 {
		return license.Play{}, fmt.Errorf("play %s: malformed row", p.ID)
	}
	p.State = st
	p.NextChunk, p.Chunks, p.Resumes = uint32(r.next), uint32(r.chunks), int(r.resumes)
	copy(p.ResumeHash[:], r.hash)
	p.CreatedAt = license.FromUnixNano(r.created)
	p.CountedAt = license.FromUnixNano(r.counted)
	p.UpdatedAt = license.FromUnixNano(r.updated)
	p.EndedAt = license.FromUnixNano(r.ended)
	p.ExpiresAt = license.FromUnixNano(r.expires)
	return p, nil
}

func scanPlay(r scanner) (license.Play, error) {
	var row playRow
	if err := r.Scan(row.dest()...); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return license.Play{}, license.ErrUnknownPlay
		}
		return license.Play{}, err
	}
	return row.play()
}

func (s *Store) getPlay(ctx context.Context, q querier, id string) (license.Play, error) {
	return scanPlay(q.row(ctx, `SELECT `+playColumns+` FROM plays WHERE id = ?`+s.lock(q), id))
}

// prefixed qualifies each of a column list's names with table.
func prefixed(table, columns string) string {
	names := strings.Split(columns, ",")
	for i, n := range names {
		names[i] = table + "." + strings.TrimSpace(n)
	}
	return strings.Join(names, ", ")
}

// playDetail begins the detail of every event of play p.
func playDetail(p license.Play, format string, args ...any) string {
	return license.PlayDetail(p.ID) + "; " + fmt.Sprintf(format, args...)
}

// playEvent appends the audit event of a transition of p.
func (w *writeTx) playEvent(ctx context.Context, kind string, p license.Play, now time.Time, detail string) error {
	_, err := w.appendEvent(ctx, license.Event{Time: now, Kind: kind, UserID: p.UserID, MediaID: p.MediaID, LicenseID: p.LicenseID, Detail: detail})
	return err
}

// checkPlayID validates a play id from outside.
func checkPlayID(id string) error { return license.CheckID("play id", id) }

// StartPlay starts a play, or returns the open one of the same session
// and media.
func (s *Store) StartPlay(ctx context.Context, np license.NewPlay, now time.Time) (license.Play, license.License, error) {
	if err := checkPair(np.UserID, np.MediaID); err != nil {
		return license.Play{}, license.License{}, err
	}
	if err := license.CheckID("session", np.Session); err != nil {
		return license.Play{}, license.License{}, err
	}
	if len(np.Device) > license.MaxIDLen {
		return license.Play{}, license.License{}, fmt.Errorf("%w: device longer than %d bytes", license.ErrInvalidInput, license.MaxIDLen)
	}
	if np.Chunks == 0 {
		return license.Play{}, license.License{}, fmt.Errorf("%w: a play of no chunks", license.ErrInvalidInput)
	}
	if err := np.Policy.Validate(); err != nil {
		return license.Play{}, license.License{}, err
	}
	var (
		p license.Play
		l license.License
	)
	err := s.write(ctx, func(ctx context.Context, w *writeTx) error {
		u, err := scanUser(w.row(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, np.UserID))
		if err != nil {
			return err
		}
		if u.Disabled {
			return license.ErrUserDisabled
		}
		if l, err = s.findLicense(ctx, w.querier, np.UserID, np.MediaID); errors.Is(err, license.ErrNotFound) {
			if l, err = s.insertLicense(ctx, w, np.UserID, np.MediaID, np.Policy, now); err != nil {
				return err
			}
			_, err = w.appendEvent(ctx, license.Event{Time: now, Kind: license.EventIssue, UserID: np.UserID, MediaID: np.MediaID, LicenseID: l.ID, Detail: "policy " + np.Policy.String()})
		}
		if err != nil {
			return err
		}
		if err := playable(l, now); err != nil {
			return err
		}
		open, err := s.openPlay(ctx, w.querier, np)
		switch {
		case err == nil && !open.Expired(now):
			// A retried request: the same play, a fresh ticket.
			if _, err := w.exec(ctx, `UPDATE plays SET resume_hash = ?, updated_ns = ? WHERE id = ?`, np.ResumeHash[:], now.UnixNano(), open.ID); err != nil {
				return fmt.Errorf("update play: %w", err)
			}
			p = open
			p.ResumeHash, p.UpdatedAt = np.ResumeHash, now.UTC()
			return nil
		case err == nil:
			if _, err := s.abandon(ctx, w, open, "its window ended before its first chunk", now); err != nil {
				return err
			}
		case !errors.Is(err, license.ErrUnknownPlay):
			return err
		}
		if err := s.capOpenPlays(ctx, w, np.UserID, np.MaxOpen, now); err != nil {
			return err
		}
		p, err = s.insertPlay(ctx, w, np, l, now)
		return err
	})
	if err != nil {
		return license.Play{}, license.License{}, s.wrap("start play", err)
	}
	return p, l, nil
}

// playable refuses a license that cannot start or count a play: ErrRevoked
// as it is, exhausted or expired as a *PaymentRequiredError (no offer: the
// Service makes it).
func playable(l license.License, now time.Time) error {
	err := l.Playable(now)
	if err == nil || errors.Is(err, license.ErrRevoked) {
		return err
	}
	return &license.PaymentRequiredError{License: l, Reason: err}
}

// openPlay returns the newest started play of the request's user, session
// and media, or ErrUnknownPlay.
func (s *Store) openPlay(ctx context.Context, q querier, np license.NewPlay) (license.Play, error) {
	return scanPlay(q.row(ctx, `SELECT `+playColumns+` FROM plays
		WHERE session = ? AND media_id = ? AND user_id = ? AND state = ? ORDER BY created_ns DESC, id LIMIT 1`+s.lock(q),
		np.Session, np.MediaID, np.UserID, license.PlayStarted.String()))
}

// capOpenPlays abandons the user's oldest started plays so that one more
// stays within limit (0: license.MaxOpenPlays).
func (s *Store) capOpenPlays(ctx context.Context, w *writeTx, userID string, limit int, now time.Time) error {
	if limit <= 0 {
		limit = license.MaxOpenPlays
	}
	started := license.PlayStarted.String()
	var n int
	if err := w.row(ctx, `SELECT COUNT(*) FROM plays WHERE user_id = ? AND state = ?`, userID, started).Scan(&n); err != nil {
		return err
	}
	if n < limit {
		return nil
	}
	oldest, err := queryAll(ctx, w.querier, "open plays", `SELECT `+playColumns+` FROM plays WHERE user_id = ? AND state = ?
		ORDER BY created_ns, id LIMIT ?`+s.lock(w.querier), []any{userID, started, n - limit + 1}, scanPlay)
	if err != nil {
		return err
	}
	reason := fmt.Sprintf("superseded: more than %d plays open before their first chunk", limit)
	for _, p := range oldest {
		if _, err := s.abandon(ctx, w, p, reason, now); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) insertPlay(ctx context.Context, w *writeTx, np license.NewPlay, l license.License, now time.Time) (license.Play, error) {
	id, err := newID()
	if err != nil {
		return license.Play{}, err
	}
	at := now.UTC()
	p := license.Play{ID: id, UserID: np.UserID, Device: np.Device, MediaID: np.MediaID, LicenseID: l.ID, Session: np.Session,
		State: license.PlayStarted, Chunks: np.Chunks, ResumeHash: np.ResumeHash, CreatedAt: at, UpdatedAt: at,
		ExpiresAt: np.ExpiresAt.Round(0).UTC()}
	_, err = w.exec(ctx, `INSERT INTO plays (`+playColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ID, p.UserID, p.Device, p.MediaID, p.LicenseID, p.Session, p.State.String(), 0, int64(p.Chunks), p.ResumeHash[:], 0,
		at.UnixNano(), 0, at.UnixNano(), 0, p.ExpiresAt.UnixNano(), "")
	if err != nil {
		return license.Play{}, fmt.Errorf("insert play: %w", err)
	}
	return p, w.playEvent(ctx, license.EventPlayStart, p, now, playDetail(p, "%d chunks, until %s", p.Chunks, p.ExpiresAt.Format(time.RFC3339)))
}

// updatePlay writes the mutable fields of p.
func (w *writeTx) updatePlay(ctx context.Context, p license.Play) error {
	_, err := w.exec(ctx, `UPDATE plays SET session = ?, state = ?, next_chunk = ?, resumes = ?, counted_ns = ?, updated_ns = ?, ended_ns = ?, reason = ? WHERE id = ?`,
		p.Session, p.State.String(), int64(p.NextChunk), p.Resumes, license.UnixNano(p.CountedAt), license.UnixNano(p.UpdatedAt),
		license.UnixNano(p.EndedAt), p.Reason, p.ID)
	if err != nil {
		return fmt.Errorf("update play %s: %w", p.ID, err)
	}
	return nil
}

// end moves p to a final state at now with reason.
func end(p license.Play, st license.PlayState, reason string, now time.Time) license.Play {
	p.State, p.Reason = st, reason
	p.UpdatedAt, p.EndedAt = now.UTC(), now.UTC()
	return p
}

// abandon ends an open play without a refund, with its event, and
// returns it as it ended.
func (s *Store) abandon(ctx context.Context, w *writeTx, p license.Play, reason string, now time.Time) (license.Play, error) {
	was := p.State
	p = end(p, license.PlayAbandoned, reason, now)
	if err := w.updatePlay(ctx, p); err != nil {
		return license.Play{}, err
	}
	return p, w.playEvent(ctx, license.EventPlayAbandon, p, now, playDetail(p, "%s at chunk %d/%d: %s", was, p.NextChunk, p.Chunks, reason))
}

// changePlay runs fn in a write transaction on the play playID and its
// license, both read (and locked) first; fn changes them in place. It
// returns them as fn left them; op names the operation in errors.
func (s *Store) changePlay(ctx context.Context, op, playID string, fn func(ctx context.Context, w *writeTx, p *license.Play, l *license.License) error) (license.Play, license.License, error) {
	if err := checkPlayID(playID); err != nil {
		return license.Play{}, license.License{}, err
	}
	var (
		p license.Play
		l license.License
	)
	err := s.write(ctx, func(ctx context.Context, w *writeTx) error {
		var err error
		if p, err = s.getPlay(ctx, w.querier, playID); err != nil {
			return err
		}
		if l, err = s.getLicense(ctx, w.querier, p.LicenseID); err != nil {
			return err
		}
		return fn(ctx, w, &p, &l)
	})
	if err != nil {
		return license.Play{}, license.License{}, s.wrap(op, err)
	}
	return p, l, nil
}

// CountPlay consumes the view of a started play.
func (s *Store) CountPlay(ctx context.Context, playID, session string, now time.Time) (license.Play, license.License, error) {
	return s.changePlay(ctx, "count play", playID, func(ctx context.Context, w *writeTx, p *license.Play, l *license.License) error {
		if p.Session != session {
			return license.ErrBadGrant
		}
		switch p.State {
		case license.PlayCounted, license.PlayCompleted:
			return nil // counted before: no second view
		case license.PlayAbandoned, license.PlayRefunded:
			return p.EndedError()
		}
		if err := playable(*l, now); err != nil {
			return err
		}
		if p.Expired(now) {
			return license.ErrPlayExpired
		}
		l.ViewsUsed++
		if err := s.updateLicense(ctx, w, *l); err != nil {
			return err
		}
		p.State, p.CountedAt, p.UpdatedAt = license.PlayCounted, now.UTC(), now.UTC()
		if err := w.updatePlay(ctx, *p); err != nil {
			return err
		}
		return w.playEvent(ctx, license.EventPlayCount, *p, now, playDetail(*p, "%s", viewsDetail(*l)))
	})
}

// RecordProgress moves a counted play's next chunk up.
func (s *Store) RecordProgress(ctx context.Context, playID string, next uint32, now time.Time) (license.Play, error) {
	if err := checkPlayID(playID); err != nil {
		return license.Play{}, err
	}
	// The common case, a play not yet at its end: one conditional UPDATE
	// (monotonic by its WHERE), no chain-head lock, no event.
	var p license.Play
	err := s.retry(ctx, func() error {
		var err error
		p, err = scanPlay(s.onDB().row(ctx, `UPDATE plays SET next_chunk = ?, updated_ns = ?
			WHERE id = ? AND state = ? AND next_chunk < ? AND chunks > ? RETURNING `+playColumns,
			int64(next), now.UnixNano(), playID, license.PlayCounted.String(), int64(next), int64(next)))
		return err
	})
	if !errors.Is(err, license.ErrUnknownPlay) {
		return p, s.wrap("record progress", err)
	}
	// Nothing updated: the play is unknown, not counted, already further,
	// or this completes it.
	p, _, err = s.changePlay(ctx, "record progress", playID, func(ctx context.Context, w *writeTx, p *license.Play, _ *license.License) error {
		if p.State != license.PlayCounted || next <= p.NextChunk {
			return nil
		}
		p.NextChunk, p.UpdatedAt = min(next, p.Chunks), now.UTC()
		if p.NextChunk < p.Chunks {
			return w.updatePlay(ctx, *p) // raced with another update
		}
		*p = end(*p, license.PlayCompleted, "", now)
		if err := w.updatePlay(ctx, *p); err != nil {
			return err
		}
		return w.playEvent(ctx, license.EventPlayComplete, *p, now, playDetail(*p, "%d chunks delivered", p.Chunks))
	})
	return p, err
}

// RefundPlay ends a play the server failed.
func (s *Store) RefundPlay(ctx context.Context, playID string, next uint32, reason string, now time.Time) (license.Play, license.License, error) {
	if err := license.CheckText("reason", reason); err != nil {
		return license.Play{}, license.License{}, err
	}
	return s.changePlay(ctx, "refund play", playID, func(ctx context.Context, w *writeTx, p *license.Play, l *license.License) error {
		if !p.State.Open() {
			return p.EndedError()
		}
		p.NextChunk = max(p.NextChunk, min(next, p.Chunks))
		if p.State == license.PlayStarted {
			var err error
			*p, err = s.abandon(ctx, w, *p, "failed before its first chunk: "+reason, now)
			return err
		}
		// A renewal, reset or grant since the count restored every view.
		restore := l.ViewsUsed > 0 && !l.IssuedAt.After(p.CountedAt)
		outcome := "view not restored: the license was renewed since"
		if restore {
			l.ViewsUsed--
			if err := s.updateLicense(ctx, w, *l); err != nil {
				return err
			}
			outcome = "view restored, " + viewsDetail(*l)
		}
		*p = end(*p, license.PlayRefunded, reason, now)
		if err := w.updatePlay(ctx, *p); err != nil {
			return err
		}
		return w.playEvent(ctx, license.EventPlayRefund, *p, now, playDetail(*p, "at chunk %d/%d: %s; %s", p.NextChunk, p.Chunks, reason, outcome))
	})
}

// AbandonPlay ends an open play without a refund.
func (s *Store) AbandonPlay(ctx context.Context, playID, reason string, now time.Time) (license.Play, error) {
	if err := license.CheckText("reason", reason); err != nil {
		return license.Play{}, err
	}
	p, _, err := s.changePlay(ctx, "abandon play", playID, func(ctx context.Context, w *writeTx, p *license.Play, _ *license.License) error {
		if !p.State.Open() {
			return p.EndedError()
		}
		var err error
		*p, err = s.abandon(ctx, w, *p, reason, now)
		return err
	})
	return p, err
}

// AbandonExpiredPlays abandons open plays whose window is over.
func (s *Store) AbandonExpiredPlays(ctx context.Context, now time.Time, limit int) (int, error) {
	ids, err := queryAll(ctx, s.onDB(), "expired plays", `SELECT id FROM plays WHERE state IN (?, ?) AND expires_ns <= ? ORDER BY expires_ns LIMIT ?`,
		[]any{license.PlayStarted.String(), license.PlayCounted.String(), now.UnixNano(), listLimit(limit)},
		func(r scanner) (id string, err error) { return id, r.Scan(&id) })
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		_, err := s.AbandonPlay(ctx, id, "its window ended", now)
		switch {
		case err == nil:
			n++
		case !errors.Is(err, license.ErrPlayEnded): // ended meanwhile: fine
			return n, err
		}
	}
	return n, nil
}

// ResumePlay moves a resumable play to a new session.
func (s *Store) ResumePlay(ctx context.Context, playID, userID string, secretHash [32]byte, session, device string, now time.Time) (license.Play, license.License, error) {
	if checkPlayID(playID) != nil || license.CheckID("user id", userID) != nil {
		return license.Play{}, license.License{}, license.ErrBadTicket
	}
	if err := license.CheckID("session", session); err != nil {
		return license.Play{}, license.License{}, err
	}
	if len(device) > license.MaxIDLen {
		return license.Play{}, license.License{}, fmt.Errorf("%w: device longer than %d bytes", license.ErrInvalidInput, license.MaxIDLen)
	}
	p, l, err := s.changePlay(ctx, "resume play", playID, func(ctx context.Context, w *writeTx, p *license.Play, l *license.License) error {
		hashOK := subtle.ConstantTimeCompare(p.ResumeHash[:], secretHash[:]) == 1
		if !hashOK || p.UserID != userID {
			return license.ErrBadTicket
		}
		switch {
		case !p.State.Resumable():
			return p.EndedError()
		case p.Expired(now):
			return license.ErrPlayExpired
		case p.Resumes >= license.MaxResumes:
			return license.ErrTooManyResumes
		}
		u, err := scanUser(w.row(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, userID))
		if err != nil {
			return err
		}
		switch {
		case u.Disabled:
			return license.ErrUserDisabled
		case l.Revoked:
			return license.ErrRevoked
		case l.Expired(now):
			return &license.PaymentRequiredError{License: *l, Reason: license.ErrExpired}
		}
		p.Session, p.UpdatedAt = session, now.UTC()
		p.Resumes++
		if err := w.updatePlay(ctx, *p); err != nil {
			return err
		}
		from := ""
		if device != p.Device {
			from = ", from device " + device
		}
		return w.playEvent(ctx, license.EventPlayResume, *p, now, playDetail(*p, "%s at chunk %d/%d, resume %d%s", p.State, p.NextChunk, p.Chunks, p.Resumes, from))
	})
	if errors.Is(err, license.ErrUnknownPlay) {
		return license.Play{}, license.License{}, license.ErrBadTicket
	}
	return p, l, err
}

// GetPlay returns a play.
func (s *Store) GetPlay(ctx context.Context, playID string) (license.Play, error) {
	if err := checkPlayID(playID); err != nil {
		return license.Play{}, err
	}
	p, err := s.getPlay(ctx, s.onDB(), playID)
	return p, s.wrap("get play", err)
}

// GetPlayRecord reads a play, its license, its user and its device in
// one query.
func (s *Store) GetPlayRecord(ctx context.Context, playID string) (license.PlayRecord, error) {
	if err := checkPlayID(playID); err != nil {
		return license.PlayRecord{}, err
	}
	var (
		pr       playRow
		lr       licenseRow
		disabled int64
		removed  int64
	)
	dest := append(append(pr.dest(), lr.dest()...), &disabled, &removed)
	err := s.onDB().row(ctx, `SELECT `+prefixed("p", playColumns)+`, `+prefixed("l", licenseColumns)+`, COALESCE(u.disabled, 1), COALESCE(d.removed_ns, 0)
		FROM plays p JOIN licenses l ON l.id = p.license_id LEFT JOIN users u ON u.id = p.user_id
		LEFT JOIN devices d ON d.spki_sha256 = p.device WHERE p.id = ?`, playID).Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return license.PlayRecord{}, license.ErrUnknownPlay
	}
	if err != nil {
		return license.PlayRecord{}, s.wrap("read play", err)
	}
	p, err := pr.play()
	if err != nil {
		return license.PlayRecord{}, s.wrap("read play", err)
	}
	return license.PlayRecord{Play: p, License: lr.license(), UserDisabled: disabled != 0, DeviceRemoved: removed != 0}, nil
}

// ListPlays returns the plays matching f, newest first.
func (s *Store) ListPlays(ctx context.Context, f license.PlayFilter) ([]license.Play, error) {
	var c conditions
	c.equal("user_id", f.UserID)
	c.equal("media_id", f.MediaID)
	if f.State != 0 {
		c.add("state = ?", f.State.String())
	}
	return queryAll(ctx, s.listing(), "list plays", `SELECT `+playColumns+` FROM plays`+c.clause()+` ORDER BY created_ns DESC, id LIMIT ?`,
		append(c.args, listLimit(f.Limit)), scanPlay)
}
