package deploy

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	sqlite3 "modernc.org/sqlite"
	sqlite3lib "modernc.org/sqlite/lib"

	"securemedia/internal/config"
	"securemedia/license/store/sqlite"
)

// maxIntegrityProblems bounds the problems a damaged database reports.
const maxIntegrityProblems = 10

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
	q := url.Values{}
	q.Set("mode", "ro")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return false, err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return true, damagedOr(path, err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return true, damagedOr(path, err)
		}
		if line != "ok" && len(problems) < maxIntegrityProblems {
			problems = append(problems, oneLine(line))
		}
	}
	if err := rows.Err(); err != nil {
		return true, damagedOr(path, err)
	}
	if len(problems) > 0 {
		return true, &DamagedDatabaseError{Path: path, Problems: problems}
	}
	return true, nil
}

// damagedOr turns SQLite's "malformed" and "not a database" errors into a
// *DamagedDatabaseError and returns other errors as they are.
func damagedOr(path string, err error) error {
	var e *sqlite3.Error
	if errors.As(err, &e) {
		switch e.Code() & 0xff {
		case sqlite3lib.SQLITE_CORRUPT, sqlite3lib.SQLITE_NOTADB:
			return &DamagedDatabaseError{Path: path, Problems: []string{oneLine(e.Error())}}
		}
	}
	return err
}

// oneLine joins the lines of a message.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
