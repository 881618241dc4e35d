package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// migration is one schema step; its statements run in one transaction with
// the schema_version update, so a crash mid-migration leaves the old version.
type migration struct {
	statements []string
	// args for the statement at the same index, if any.
	args map[int][]any
}

// migrations returns the schema history; index i brings version i to i+1.
// Never edit a released step: append a new one.
func (d Dialect) migrations() []migration {
	blob := func(s string) string { return strings.ReplaceAll(s, "BLOB", d.Blob) }
	return []migration{{
		statements: []string{
			blob(`CREATE TABLE users (
				id TEXT PRIMARY KEY,
				name TEXT NOT NULL,
				cert_sha256 BLOB NOT NULL,
				disabled INTEGER NOT NULL DEFAULT 0,
				added_ns BIGINT NOT NULL)`),
			`CREATE TABLE licenses (
				id TEXT PRIMARY KEY,
				user_id TEXT NOT NULL,
				media_id TEXT NOT NULL,
				views INTEGER NOT NULL,
				period_ns BIGINT NOT NULL,
				views_used INTEGER NOT NULL,
				issued_ns BIGINT NOT NULL,
				expires_ns BIGINT NOT NULL,
				revoked INTEGER NOT NULL DEFAULT 0,
				revoke_reason TEXT NOT NULL DEFAULT '',
				UNIQUE (user_id, media_id))`,
			`CREATE INDEX licenses_media ON licenses (media_id)`,
			`CREATE TABLE payments (
				reference TEXT PRIMARY KEY,
				license_id TEXT NOT NULL,
				amount TEXT NOT NULL,
				paid_ns BIGINT NOT NULL)`,
			blob(`CREATE TABLE audit_events (
				seq BIGINT PRIMARY KEY,
				time_ns BIGINT NOT NULL,
				kind TEXT NOT NULL,
				user_id TEXT NOT NULL,
				media_id TEXT NOT NULL,
				license_id TEXT NOT NULL,
				detail TEXT NOT NULL,
				prev_hash BLOB NOT NULL,
				hash BLOB NOT NULL)`),
			blob(`CREATE TABLE audit_head (
				id INTEGER PRIMARY KEY CHECK (id = 1),
				seq BIGINT NOT NULL,
				hash BLOB NOT NULL)`),
			`INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, ?)`,
		},
		args: map[int][]any{6: {make([]byte, 32)}},
	}, {
		// Version 2: durable plays and renewal offers (DESIGN.md §7).
		statements: []string{
			blob(`CREATE TABLE plays (
				id TEXT PRIMARY KEY,
				user_id TEXT NOT NULL,
				device TEXT NOT NULL,
				media_id TEXT NOT NULL,
				license_id TEXT NOT NULL,
				session TEXT NOT NULL,
				state TEXT NOT NULL,
				next_chunk BIGINT NOT NULL,
				chunks BIGINT NOT NULL,
				resume_hash BLOB NOT NULL,
				resumes INTEGER NOT NULL DEFAULT 0,
				created_ns BIGINT NOT NULL,
				counted_ns BIGINT NOT NULL DEFAULT 0,
				updated_ns BIGINT NOT NULL,
				ended_ns BIGINT NOT NULL DEFAULT 0,
				expires_ns BIGINT NOT NULL,
				reason TEXT NOT NULL DEFAULT '')`),
			`CREATE INDEX plays_session ON plays (session, media_id)`,
			`CREATE INDEX plays_user ON plays (user_id, state, created_ns)`,
			`CREATE INDEX plays_media ON plays (media_id, created_ns)`,
			`CREATE INDEX plays_expiry ON plays (state, expires_ns)`,
			`CREATE TABLE offers (
				id TEXT PRIMARY KEY,
				user_id TEXT NOT NULL,
				media_id TEXT NOT NULL,
				license_id TEXT NOT NULL,
				amount TEXT NOT NULL,
				views INTEGER NOT NULL,
				period_ns BIGINT NOT NULL,
				extends INTEGER NOT NULL,
				state TEXT NOT NULL,
				created_ns BIGINT NOT NULL,
				expires_ns BIGINT NOT NULL,
				accepted_ns BIGINT NOT NULL DEFAULT 0,
				payment_reference TEXT NOT NULL DEFAULT '')`,
			`CREATE INDEX offers_license ON offers (license_id, state, expires_ns)`,
			`CREATE INDEX offers_expiry ON offers (state, expires_ns)`,
			`ALTER TABLE payments ADD COLUMN offer_id TEXT NOT NULL DEFAULT ''`,
			`CREATE INDEX audit_events_user ON audit_events (user_id, seq)`,
			`CREATE INDEX audit_events_media ON audit_events (media_id, seq)`,
			`CREATE INDEX audit_events_license ON audit_events (license_id, seq)`,
		},
	}, {
		// Version 3: browser viewers (DESIGN.md §11): invites by the hash
		// of their code, WebAuthn credentials, browser devices by the hash
		// of their key (plays name the device by the same hex).
		statements: []string{
			blob(`CREATE TABLE invites (
				code_sha256 BLOB PRIMARY KEY,
				name TEXT NOT NULL,
				created_ns BIGINT NOT NULL,
				expires_ns BIGINT NOT NULL,
				used_ns BIGINT NOT NULL DEFAULT 0,
				user_id TEXT NOT NULL DEFAULT '')`),
			blob(`CREATE TABLE webauthn_credentials (
				id BLOB PRIMARY KEY,
				user_id TEXT NOT NULL,
				user_handle BLOB NOT NULL,
				public_key BLOB NOT NULL,
				sign_count BIGINT NOT NULL,
				aaguid BLOB NOT NULL,
				backup_eligible INTEGER NOT NULL,
				created_ns BIGINT NOT NULL,
				last_used_ns BIGINT NOT NULL DEFAULT 0)`),
			`CREATE INDEX webauthn_credentials_user ON webauthn_credentials (user_id)`,
			`CREATE TABLE devices (
				spki_sha256 TEXT PRIMARY KEY,
				user_id TEXT NOT NULL,
				created_ns BIGINT NOT NULL,
				removed_ns BIGINT NOT NULL DEFAULT 0)`,
			`CREATE INDEX devices_user ON devices (user_id, created_ns)`,
		},
	}}
}

// table is one table of the schema as Dump and Load copy it.
type table struct {
	name string
	// key is the primary key, which orders the rows of a dump alike on
	// every backend; kind says what it holds (text unless set).
	key  string
	kind keyKind
	// seeded: the schema itself creates the table's rows (the chain head),
	// so Load replaces them instead of requiring the table empty.
	seeded bool
}

// keyKind is the type of a table's key, which says how to order by it.
type keyKind int

const (
	keyText  keyKind = iota // in byte order, whatever the locale
	keyInt                  // a number
	keyBytes                // a BLOB or BYTEA, in byte order everywhere
)

// tables lists every table the migrations create but schema_version: what
// a copy of the store (Dump, Load: `license migrate`) carries, in this
// order (a table that references another comes after it). A migration
// that creates a table adds its line here; Dump and Load refuse a database
// holding a table that is not listed, so a missing line fails the store
// suite's copy tests instead of leaving the table's rows behind.
func tables() []table {
	return []table{
		{name: "users", key: "id"},
		{name: "licenses", key: "id"},
		{name: "payments", key: "reference"},
		{name: "audit_events", key: "seq", kind: keyInt},
		{name: "audit_head", key: "id", kind: keyInt, seeded: true},
		// Version 2.
		{name: "plays", key: "id"},
		{name: "offers", key: "id"},
		// Version 3.
		{name: "invites", key: "code_sha256", kind: keyBytes},
		{name: "webauthn_credentials", key: "id", kind: keyBytes},
		{name: "devices", key: "spki_sha256"},
	}
}

// versionTable records the schema version; it is not copied: each store
// keeps its own (both at this program's version once opened, so that
// their tables have the same columns).
const versionTable = "schema_version"

// migrate brings the schema to version target (0: the latest).
func (s *Store) migrate(ctx context.Context, target int) error {
	return s.retry(ctx, func() error {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		// Each statement runs once: as text, not kept prepared.
		q := querier{s: s, tx: tx, adhoc: true}
		if s.d.MigrationLock != "" {
			if _, err := tx.ExecContext(ctx, s.d.MigrationLock); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
			return err
		}
		var version int
		err = tx.QueryRowContext(ctx, `SELECT version FROM schema_version`).Scan(&version)
		if err == sql.ErrNoRows {
			if _, err := tx.ExecContext(ctx, `INSERT INTO schema_version (version) VALUES (0)`); err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
		steps := s.d.migrations()
		if version > len(steps) {
			return fmt.Errorf("database schema version %d is newer than this program (%d)", version, len(steps))
		}
		if target > 0 && target < len(steps) {
			steps = steps[:target]
		}
		for i := version; i < len(steps); i++ {
			for j, stmt := range steps[i].statements {
				if _, err := q.exec(ctx, stmt, steps[i].args[j]...); err != nil {
					return fmt.Errorf("migration %d: %w", i+1, err)
				}
			}
		}
		if version >= len(steps) {
			return nil
		}
		if _, err := q.exec(ctx, `UPDATE schema_version SET version = ?`, len(steps)); err != nil {
			return err
		}
		return tx.Commit()
	})
}
