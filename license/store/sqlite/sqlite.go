// Package sqlite is the embedded license store: one SQLite file in the
// server's data directory (modernc.org/sqlite, pure Go). It uses WAL, a busy
// timeout and BEGIN IMMEDIATE for every write, so several connections and
// several processes on one file serialize their changes in SQLite itself.
package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	sqlite3 "modernc.org/sqlite"
	sqlite3lib "modernc.org/sqlite/lib"

	"securemedia/license"
	"securemedia/license/internal/sqlstore"
)

// Implementation limits.
const (
	// busyTimeoutMS is how long SQLite waits for another writer before it
	// answers SQLITE_BUSY (then the store retries the transaction).
	busyTimeoutMS = 10000
	// maxConns bounds the connections to the file; writers queue on the
	// database lock anyway, readers run in parallel under WAL.
	maxConns = 8
)

// FileName is the database file's name in the data directory.
const FileName = "licenses.db"

// dialect is SQLite's flavour of the shared store.
func dialect() sqlstore.Dialect {
	return sqlstore.Dialect{
		Name:       "sqlite",
		Blob:       "BLOB",
		ListTables: `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'`,
		// Snapshot is the default level: a read transaction under WAL
		// reads one snapshot, from its first read on.
		Retryable: retryable,
	}
}

// Store is the SQLite license store.
type Store struct {
	*sqlstore.Store
}

// Open opens (creating and migrating if needed) the SQLite database at path.
func Open(ctx context.Context, path string) (*Store, error) {
	return open(ctx, path, 0, nil)
}

// open opens the database at path migrated to schema version (0: the
// latest); wrap, if set, wraps the driver's connector (tests count what
// the connections parse).
func open(ctx context.Context, path string, version int, wrap func(driver.Connector) driver.Connector) (*Store, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("sqlite: %w", err)
		}
	}
	// Create the file 0600 before SQLite does: it holds user identities and
	// counters, and SQLite gives its -wal and -shm files the database
	// file's mode.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	f.Close()
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeoutMS))
	q.Add("_pragma", "journal_mode(WAL)")
	// FULL: a committed view survives power loss too, not only a crash.
	q.Add("_pragma", "synchronous(FULL)")
	q.Set("_txlock", "immediate")
	// The same as sql.Open("sqlite", ...), with a connector to wrap.
	c, err := sqlite3.NewConnector("file:" + path + "?" + q.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if wrap != nil {
		c = wrap(c)
	}
	db := sql.OpenDB(c)
	db.SetMaxOpenConns(maxConns)
	// Every connection keeps its prepared statements (sqlstore): one
	// closed when idle would parse them all again on its return.
	db.SetMaxIdleConns(maxConns)
	s, err := sqlstore.NewAtVersion(ctx, db, dialect(), version)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return &Store{Store: s}, nil
}

var _ license.Store = (*Store)(nil)

// retryable reports SQLITE_BUSY and SQLITE_LOCKED, which a rerun of the
// transaction resolves.
func retryable(err error) bool {
	var e *sqlite3.Error
	if !errors.As(err, &e) {
		return false
	}
	switch e.Code() & 0xff {
	case sqlite3lib.SQLITE_BUSY, sqlite3lib.SQLITE_LOCKED:
		return true
	}
	return false
}
