package sqlstore

import (
	"context"
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
	rows, err := s.db.QueryContext(ctx, s.d.bind(`SELECT seq, time_ns, kind, user_id, media_id, license_id, detail, prev_hash, hash
		FROM audit_events WHERE seq > ? ORDER BY seq LIMIT ?`), after, limit)
	if err != nil {
		return nil, s.wrap("read events", err)
	}
	defer rows.Close()
	var out []license.Event
	for rows.Next() {
		var (
			e          license.Event
			t          int64
			prev, hash []byte
		)
		if err := rows.Scan(&e.Seq, &t, &e.Kind, &e.UserID, &e.MediaID, &e.LicenseID, &e.Detail, &prev, &hash); err != nil {
			return nil, s.wrap("read events", err)
		}
		if len(prev) != 32 || len(hash) != 32 {
			// A mangled hash column breaks the chain; report it as such.
			return nil, &license.AuditError{Seq: e.Seq, Reason: fmt.Sprintf("hash columns of %d and %d bytes", len(prev), len(hash))}
		}
		e.Time = time.Unix(0, t).UTC()
		copy(e.PrevHash[:], prev)
		copy(e.Hash[:], hash)
		out = append(out, e)
	}
	return out, s.wrap("read events", rows.Err())
}

// AuditHead returns the last event's sequence number and hash.
func (s *Store) AuditHead(ctx context.Context) (int64, [32]byte, error) {
	var (
		seq  int64
		hash []byte
		out  [32]byte
	)
	if err := s.db.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&seq, &hash); err != nil {
		return 0, out, s.wrap("read audit head", err)
	}
	if len(hash) != 32 {
		return 0, out, &license.AuditError{Seq: seq, Reason: "chain head hash is not 32 bytes"}
	}
	copy(out[:], hash)
	return seq, out, nil
}
