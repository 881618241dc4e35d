package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"securemedia/license"
)

// Implementation limits.
const (
	// maxRetries bounds how often a transaction reruns after a transient
	// error before giving up.
	maxRetries = 50
	// maxEventsPage bounds one Events call.
	maxEventsPage = 10000
)

// Store implements license.Store over a database/sql handle.
type Store struct {
	db    *sql.DB
	d     Dialect
	stmts *stmtCache
}

var _ license.Store = (*Store)(nil)

// New migrates db to the current schema and returns the store; it takes
// ownership of db (Close closes it).
func New(ctx context.Context, db *sql.DB, d Dialect) (*Store, error) {
	return NewAtVersion(ctx, db, d, 0)
}

// NewAtVersion is New migrating only up to schema version (0: the latest),
// so that tests can make a database as an older release left it; only
// the operations of that schema's tables then work.
func NewAtVersion(ctx context.Context, db *sql.DB, d Dialect, version int) (*Store, error) {
	s := newStore(db, d)
	if err := s.migrate(ctx, version); err != nil {
		return nil, fmt.Errorf("%s: migrate: %w", d.Name, err)
	}
	return s, nil
}

func newStore(db *sql.DB, d Dialect) *Store {
	return &Store{db: db, d: d, stmts: newStmtCache(db, d.bind)}
}

// DB exposes the database handle for tests that tamper with rows.
func (s *Store) DB() *sql.DB { return s.db }

// Close closes the prepared statements and the database.
func (s *Store) Close() error {
	return errors.Join(s.stmts.close(), s.db.Close())
}

// retry runs fn again while it fails with a transient error.
func (s *Store) retry(ctx context.Context, fn func() error) error {
	var err error
	for attempt := 0; attempt < maxRetries; attempt++ {
		err = fn()
		if err == nil || s.d.Retryable == nil || !s.d.Retryable(err) {
			return err
		}
		// Back off a little, more each time, so that racing writers spread.
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(attempt+1) * time.Millisecond):
		}
	}
	return err
}

// writeTx is one state change: the transaction and the locked chain head.
type writeTx struct {
	querier
	headSeq  int64
	headHash [32]byte
	appended bool
}

// write runs fn in a transaction that holds the chain-head lock, then moves
// the head if fn appended events, and commits; transient failures rerun it.
func (s *Store) write(ctx context.Context, fn func(ctx context.Context, w *writeTx) error) error {
	// The statements this transaction ran as text, now that it holds no
	// connection (stmts.go).
	defer s.stmts.prepareWanted(ctx)
	return s.retry(ctx, func() error {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		w := &writeTx{querier: querier{s: s, tx: tx}}
		var hash []byte
		if err := w.row(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1 `+s.d.LockHead).Scan(&w.headSeq, &hash); err != nil {
			return fmt.Errorf("lock audit head: %w", err)
		}
		if len(hash) != 32 {
			return fmt.Errorf("audit head hash of %d bytes", len(hash))
		}
		copy(w.headHash[:], hash)
		if err := fn(ctx, w); err != nil {
			return err
		}
		if w.appended {
			if _, err := w.exec(ctx, `UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1`, w.headSeq, w.headHash[:]); err != nil {
				return fmt.Errorf("move audit head: %w", err)
			}
		}
		return tx.Commit()
	})
}

// appendEvent seals e after the current head and inserts it.
func (w *writeTx) appendEvent(ctx context.Context, e license.Event) (license.Event, error) {
	e = e.Seal(w.headSeq, w.headHash)
	_, err := w.exec(ctx, `INSERT INTO audit_events (seq, time_ns, kind, user_id, media_id, license_id, detail, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Seq, e.Time.UnixNano(), e.Kind, e.UserID, e.MediaID, e.LicenseID, e.Detail, e.PrevHash[:], e.Hash[:])
	if err != nil {
		return license.Event{}, fmt.Errorf("append audit event: %w", err)
	}
	w.headSeq, w.headHash, w.appended = e.Seq, e.Hash, true
	return e, nil
}

// newID returns 128 random bits in hex: the ids of licenses, plays and
// offers, unguessable so that they grant nothing by themselves.
func newID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}

// errorf wraps err with the dialect name, keeping sentinels matchable.
func (s *Store) errorf(format string, args ...any) error {
	return fmt.Errorf(s.d.Name+": "+format, args...)
}

// isSentinel reports errors that are answers, not failures, so they are
// returned unwrapped by dialect context.
func isSentinel(err error) bool {
	for _, s := range []error{license.ErrNotFound, license.ErrExhausted, license.ErrExpired,
		license.ErrRevoked, license.ErrUnknownUser, license.ErrUserExists, license.ErrUserDisabled,
		license.ErrDuplicatePayment, license.ErrPaymentNotConfirmed, license.ErrInvalidInput, license.ErrInvalidPolicy,
		license.ErrUnknownPlay, license.ErrPlayEnded, license.ErrPlayExpired, license.ErrBadGrant, license.ErrBadTicket,
		license.ErrTooManyResumes, license.ErrUnknownOffer, license.ErrOfferUsed, license.ErrOfferExpired, license.ErrStillPlayable,
		license.ErrUnknownInvite, license.ErrInviteUsed, license.ErrInviteExpired, license.ErrUnknownCredential,
		license.ErrCredentialExists, license.ErrSignCount, license.ErrUnknownDevice, license.ErrDeviceExists, license.ErrDeviceRemoved} {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

// wrap adds context to infrastructure errors only.
func (s *Store) wrap(op string, err error) error {
	if err == nil || isSentinel(err) {
		return err
	}
	return s.errorf("%s: %w", op, err)
}

// Existing returns the store of a database that is migrated already,
// without writing to it (a read-only handle): its schema must be this
// program's version.
func Existing(ctx context.Context, db *sql.DB, d Dialect) (*Store, error) {
	var version int
	if err := db.QueryRowContext(ctx, `SELECT version FROM schema_version`).Scan(&version); err != nil {
		return nil, fmt.Errorf("%s: schema version: %w", d.Name, err)
	}
	if want := len(d.migrations()); version != want {
		return nil, fmt.Errorf("%s: schema version %d, this program's is %d", d.Name, version, want)
	}
	return newStore(db, d), nil
}
