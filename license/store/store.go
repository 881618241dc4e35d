// Package store opens the license store that server.toml names: the
// embedded SQLite file by default, or PostgreSQL for several replicas.
package store

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"

	"securemedia/license"
	"securemedia/license/store/postgres"
	"securemedia/license/store/sqlite"
)

// Open opens the store named by database (the [license] database setting):
//
//	""                  SQLite file dataDir/licenses.db
//	"sqlite:PATH"       SQLite file PATH (relative paths are under dataDir)
//	"postgres://..."    PostgreSQL (also "postgresql://...")
func Open(ctx context.Context, database, dataDir string) (license.Store, error) {
	switch {
	case database == "":
		return sqlite.Open(ctx, filepath.Join(dataDir, sqlite.FileName))
	case strings.HasPrefix(database, "sqlite:"):
		p := strings.TrimPrefix(database, "sqlite:")
		if !filepath.IsAbs(p) {
			p = filepath.Join(dataDir, p)
		}
		return sqlite.Open(ctx, p)
	case strings.HasPrefix(database, "postgres://"), strings.HasPrefix(database, "postgresql://"):
		return postgres.Open(ctx, database)
	}
	return nil, &UnknownDatabaseError{Scheme: scheme(database)}
}

// UnknownDatabaseError reports a database setting that names no known store.
type UnknownDatabaseError struct{ Scheme string }

// Error names the scheme only (the rest of a URL may hold a password).
func (e *UnknownDatabaseError) Error() string {
	return "license store: unknown database " + e.Scheme + ` (want "", "sqlite:PATH" or "postgres://...")`
}

// scheme returns the part of a database URL before ':' (never the rest,
// which may carry a password).
func scheme(s string) string {
	if i := strings.IndexByte(s, ':'); i >= 0 {
		return strconv.Quote(s[:i]) + " scheme"
	}
	return `without a scheme`
}
