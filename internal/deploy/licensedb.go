package deploy

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"securemedia/internal/config"
	"securemedia/license/store/sqlite"
)

// DamagedDatabaseError is a license database file whose pages SQLite
// finds damaged: what the hash chain of the audit log cannot see (a
// licenses table, an index) as much as what it can.
type DamagedDatabaseError struct {
	Path string
	// Problems are SQLite's first findings.
	Problems []string
}

func (e *DamagedDatabaseError) Error() string {
	return fmt.Sprintf("the license database %s is damaged: %s", e.Path, strings.Join(e.Problems, "; "))
}

// sqlitePath is the SQLite file of a [license] database setting in
// dataDir, as license/store.Open reads it; ok is false for PostgreSQL.
func sqlitePath(database, dataDir string) (path string, ok bool) {
	switch {
	case database == "":
		return filepath.Join(dataDir, sqlite.FileName), true
	case strings.HasPrefix(database, "sqlite:"):
		p := strings.TrimPrefix(database, "sqlite:")
		if !filepath.IsAbs(p) {
			p = filepath.Join(dataDir, p)
		}
		return p, true
	}
	return "", false
}

// CheckLicenseDatabase checks the pages of the SQLite license database
// of c (PRAGMA integrity_check, read-only, beside a running server): a
// damaged file is a *DamagedDatabaseError. PostgreSQL keeps its own
// integrity: checked reports false.
func CheckLicenseDatabase(ctx context.Context, c *config.Server) (checked bool, err error) {
	path, ok := sqlitePath(c.License.Database, c.Path(c.DataDir))
	if !ok {
		return false, nil
	}
	if _, err := os.Stat(path); err != nil {
		return false, configError(c.File(), fmt.Errorf("license database: %w", err), "[license] database", "data_dir")
	}
	problems, err := sqlite.CheckFile(ctx, path)
	if err != nil {
		return true, err
	}
	if len(problems) > 0 {
		return true, &DamagedDatabaseError{Path: path, Problems: problems}
	}
	return true, nil
}

// damagedOr turns SQLite's "malformed" and "not a database" errors into a
// *DamagedDatabaseError and returns other errors as they are.
func damagedOr(path string, err error) error {
	if finding, ok := sqlite.Damage(err); ok {
		return &DamagedDatabaseError{Path: path, Problems: []string{finding}}
	}
	return err
}

// ErrNotSQLite means a backup of a license database that is not a SQLite
// file: PostgreSQL is backed up with its own tools (pg_dump).
var ErrNotSQLite = errors.New("the license database is PostgreSQL: securemedia backup copies a SQLite license database only")

// BackupLicenseDatabase writes a verified copy of the SQLite license
// database of c to path, a new file, beside a running server
// (sqlite.Store.Backup: one snapshot, every page and the audit chain of
// the copy checked before it takes the name path).
func BackupLicenseDatabase(ctx context.Context, c *config.Server, path string) (sqlite.Backup, error) {
	src, ok := sqlitePath(c.License.Database, c.Path(c.DataDir))
	if !ok {
		return sqlite.Backup{}, ErrNotSQLite
	}
	if _, err := os.Stat(src); err != nil {
		// Opening would create an empty database to back up.
		return sqlite.Backup{}, configError(c.File(), fmt.Errorf("license database: %w", err), "[license] database", "data_dir")
	}
	st, err := OpenLicenseStore(ctx, c)
	if err != nil {
		return sqlite.Backup{}, err
	}
	defer st.Close()
	s, ok := st.(*sqlite.Store)
	if !ok {
		return sqlite.Backup{}, fmt.Errorf("license database %s: opened as %T, not SQLite", src, st)
	}
	return s.Backup(ctx, path)
}
