package sqlstore

import (
	"context"
	"encoding/hex"
	"fmt"
	"time"

	"securemedia/license"
)

// AppendEvent appends an event that records no state change.
func (s *Store) AppendEvent(ctx context.Context, e license.Event) (license.Event, error) {
	if err := license.CheckID("event kind", e.Kind); err != nil {
		return license.Event{}, err
	}
	for _, f := range []struct{ name, v string }{{"user id", e.UserID}, {"media id", e.MediaID}, {"license id", e.LicenseID}, {"detail", e.Detail}} {
		if err := license.CheckText(f.name, f.v); err != nil {
			return license.Event{}, err
		}
	}
	var out license.Event
	err := s.write(ctx, func(ctx context.Context, w *writeTx) error {
		var err error
		out, err = w.appendEvent(ctx, e)
		return err
	})
	if err != nil {
		return license.Event{}, s.wrap("append event", err)
	}
	return out, nil
}

// Events returns up to limit events after seq, in order.
func (s *Store) Events(ctx context.Context, after int64, limit int) ([]license.Event, error) {
	if limit <= 0 || limit > maxEventsPage {
		limit = maxEventsPage
	}
	var c conditions
	c.add("seq > ?", after)
	return s.events(ctx, c, limit)
}

// ListEvents returns the events matching f, in order.
func (s *Store) ListEvents(ctx context.Context, f license.EventFilter) ([]license.Event, error) {
	var c conditions
	c.add("seq > ?", f.After)
	c.equal("kind", f.Kind)
	c.equal("user_id", f.UserID)
	c.equal("media_id", f.MediaID)
	c.equal("license_id", f.LicenseID)
	if f.PlayID != "" {
		// Play ids are hex; anything else could be a LIKE pattern.
		if _, err := hex.DecodeString(f.PlayID); err != nil || len(f.PlayID) > license.MaxIDLen {
			return nil, fmt.Errorf("%w: play id %q", license.ErrInvalidInput, f.PlayID)
		}
		d := license.PlayDetail(f.PlayID)
		c.add("(detail = ? OR detail LIKE ?)", d, d+";%")
	}
	if !f.Since.IsZero() {
		c.add("time_ns >= ?", f.Since.UnixNano())
	}
	if !f.Until.IsZero() {
		c.add("time_ns < ?", f.Until.UnixNano())
	}
	return s.events(ctx, c, listLimit(f.Limit))
}

func (s *Store) events(ctx context.Context, c conditions, limit int) ([]license.Event, error) {
	return queryAll(ctx, s.listing(), "read events", `SELECT seq, time_ns, kind, user_id, media_id, license_id, detail, prev_hash, hash
		FROM audit_events`+c.clause()+` ORDER BY seq LIMIT ?`, append(c.args, limit), scanEvent)
}

func scanEvent(r scanner) (license.Event, error) {
	var (
		e          license.Event
		t          int64
		prev, hash []byte
	)
	if err := r.Scan(&e.Seq, &t, &e.Kind, &e.UserID, &e.MediaID, &e.LicenseID, &e.Detail, &prev, &hash); err != nil {
		return license.Event{}, err
	}
	if len(prev) != 32 || len(hash) != 32 {
		// A mangled hash column breaks the chain; report it as such.
		return license.Event{}, &license.AuditError{Seq: e.Seq, Reason: fmt.Sprintf("hash columns of %d and %d bytes", len(prev), len(hash))}
	}
	e.Time = time.Unix(0, t).UTC()
	copy(e.PrevHash[:], prev)
	copy(e.Hash[:], hash)
	return e, nil
}

// AuditHead returns the last event's sequence number and hash.
func (s *Store) AuditHead(ctx context.Context) (int64, [32]byte, error) {
	var (
		seq  int64
		hash []byte
		out  [32]byte
	)
	if err := s.onDB().row(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&seq, &hash); err != nil {
		return 0, out, s.wrap("read audit head", err)
	}
	if len(hash) != 32 {
		return 0, out, &license.AuditError{Seq: seq, Reason: "chain head hash is not 32 bytes"}
	}
	copy(out[:], hash)
	return seq, out, nil
}
