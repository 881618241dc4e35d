// Package postgres is the license store for several server replicas: one
// PostgreSQL database shared by all of them (pgx/v5 through database/sql).
// Writers serialize on the audit chain head row (SELECT ... FOR UPDATE), so
// counters and the audit chain stay exact across replicas.
package postgres

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"securemedia/license"
	"securemedia/license/internal/sqlstore"
)

// maxConns bounds the connections one store opens.
const maxConns = 16

// migrationLockKey is the advisory lock that serializes migrations of
// concurrent openers (an arbitrary constant: "SMLIC").
const migrationLockKey = 0x534d4c4943

// connectTimeout bounds the first connection, so a wrong host fails fast.
const connectTimeout = 10 * time.Second

// dialect is PostgreSQL's flavour of the shared store.
func dialect() sqlstore.Dialect {
	return sqlstore.Dialect{
		Name:            "postgres",
		Numbered:        true,
		Blob:            "BYTEA",
		LockHead:        "FOR UPDATE",
		LockRow:         "FOR UPDATE",
		MigrationLock:   fmt.Sprintf("SELECT pg_advisory_xact_lock(%d)", migrationLockKey),
		ListTables:      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
		Snapshot:        sql.LevelRepeatableRead,
		BinaryCollation: ` COLLATE "C"`,
		Retryable:       retryable,
	}
}

// Store is the PostgreSQL license store.
type Store struct {
	*sqlstore.Store
}

var _ license.Store = (*Store)(nil)

// Open connects to the database at url ("postgres://..."; parameters such
// as search_path are passed to the server) and migrates it.
func Open(ctx context.Context, url string) (*Store, error) {
	return open(ctx, url, 0, nil)
}

// open connects to the database at url and migrates it to schema version
// (0: the latest); wrap, if set, wraps the driver's connector (tests count
// what the connections parse).
func open(ctx context.Context, url string, version int, wrap func(driver.Connector) driver.Connector) (*Store, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		// The URL may hold a password: do not echo it.
		return nil, errors.New("postgres: invalid database url")
	}
	c := stdlib.GetConnector(*cfg) // what stdlib.OpenDB opens
	if wrap != nil {
		c = wrap(c)
	}
	db := sql.OpenDB(c)
	db.SetMaxOpenConns(maxConns)
	// Every connection keeps its prepared statements (sqlstore): one
	// closed when idle would parse them all again on its return.
	db.SetMaxIdleConns(maxConns)
	pingCtx, cancel := context.WithTimeout(ctx, connectTimeout)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: connect to %s:%d: %w", cfg.Host, cfg.Port, err)
	}
	s, err := sqlstore.NewAtVersion(ctx, db, dialect(), version)
	if err != nil {
		db.Close()
		return nil, err
	}
	return &Store{Store: s}, nil
}

// retryable reports serialization failures and deadlocks, which a rerun of
// the transaction resolves.
func retryable(err error) bool {
	var e *pgconn.PgError
	if !errors.As(err, &e) {
		return false
	}
	return e.Code == "40001" || e.Code == "40P01"
}
