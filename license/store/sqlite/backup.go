package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	sqlite3 "modernc.org/sqlite"
	sqlite3lib "modernc.org/sqlite/lib"

	"securemedia/internal/fsutil"
	"securemedia/license"
	"securemedia/license/internal/sqlstore"
)

// maxProblems bounds the findings CheckFile returns.
const maxProblems = 10

// Backup is a verified copy of the database, as Store.Backup made it.
type Backup struct {
	Path  string
	Bytes int64
	// Events and Head are the copy's audit log, verified (license.VerifyStore).
	Events int64
	Head   [32]byte
}

// Backup writes a consistent copy of the database to path, which must not
// exist (fs.ErrExist: a backup never replaces a file), while this and
// other connections and processes go on reading and writing. VACUUM INTO
// reads the database in one read transaction (a snapshot under WAL), so the
// copy holds exactly the transactions committed before it began, in one
// compact self-contained file (rollback journal, no -wal beside it).
//
// The copy is written to a temporary file beside path, synced (VACUUM INTO
// does not sync), verified (every page, then the audit log's hash chain,
// through a read-only handle) and only then linked to path, so that path
// never names a partial or unverified copy. The file is 0600, as the
// database is.
func (s *Store) Backup(ctx context.Context, path string) (Backup, error) {
	fail := func(err error) (Backup, error) { return Backup{}, fmt.Errorf("sqlite: backup to %s: %w", path, err) }
	if _, err := os.Lstat(path); err == nil {
		return fail(fs.ErrExist)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fail(err)
	}
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fail(err)
	}
	tmp := f.Name()
	f.Close()
	defer os.Remove(tmp)
	// VACUUM INTO writes into an empty file as into a new one.
	if _, err := s.DB().ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		return fail(err)
	}
	if err := fsutil.SyncFile(tmp); err != nil {
		return fail(err)
	}
	b, err := verifyCopy(ctx, tmp)
	if err != nil {
		return fail(err)
	}
	// A link, unlike a rename, never replaces what appeared at path
	// meanwhile.
	if err := os.Link(tmp, path); err != nil {
		return fail(err)
	}
	if err := fsutil.SyncDir(dir); err != nil {
		return fail(err)
	}
	b.Path = path
	return b, nil
}

// verifyCopy checks a fresh copy: every page, then the audit log.
func verifyCopy(ctx context.Context, path string) (Backup, error) {
	problems, err := CheckFile(ctx, path)
	if err != nil {
		return Backup{}, err
	}
	if len(problems) > 0 {
		return Backup{}, fmt.Errorf("the copy is damaged: %s", strings.Join(problems, "; "))
	}
	ro, err := OpenReadOnly(ctx, path)
	if err != nil {
		return Backup{}, err
	}
	defer ro.Close()
	n, head, err := license.VerifyStore(ctx, ro)
	if err != nil {
		return Backup{}, fmt.Errorf("the copy's audit log: %w", err)
	}
	st, err := os.Stat(path)
	if err != nil {
		return Backup{}, err
	}
	return Backup{Bytes: st.Size(), Events: n, Head: head}, nil
}

// readOnlyDSN is the data source name of a read-only handle on path: it
// creates nothing and writes nothing (a -shm file aside, which SQLite
// makes for a database in WAL mode).
func readOnlyDSN(path string) string {
	q := url.Values{}
	q.Set("mode", "ro")
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeoutMS))
	q.Add("_pragma", "query_only(1)")
	return "file:" + path + "?" + q.Encode()
}

// OpenReadOnly opens the database at path for reading only, as it is:
// nothing is created, migrated or written (a backup being verified, a
// check beside a running server). Its schema must be this program's.
func OpenReadOnly(ctx context.Context, path string) (*Store, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	db, err := sql.Open("sqlite", readOnlyDSN(path))
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	db.SetMaxOpenConns(maxConns)
	s, err := sqlstore.Existing(ctx, db, dialect())
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return &Store{Store: s}, nil
}

// CheckFile checks every page of the database file at path (PRAGMA
// integrity_check) through a read-only handle, beside any writer, and
// returns SQLite's first findings: none for a sound file. A file SQLite
// finds malformed or not a database at all is a finding too; an error is
// a failure to check.
func CheckFile(ctx context.Context, path string) ([]string, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	db, err := sql.Open("sqlite", readOnlyDSN(path))
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return damagedOr(err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return damagedOr(err)
		}
		if line != "ok" && len(problems) < maxProblems {
			problems = append(problems, oneLine(line))
		}
	}
	if err := rows.Err(); err != nil {
		return damagedOr(err)
	}
	return problems, nil
}

// damagedOr returns SQLite's "malformed" and "not a database" errors as a
// finding, other errors as they are.
func damagedOr(err error) ([]string, error) {
	if finding, ok := Damage(err); ok {
		return []string{finding}, nil
	}
	return nil, err
}

// Damage reports SQLite's answer to a damaged file (malformed, or not a
// database at all) in err, and SQLite's words for it.
func Damage(err error) (finding string, ok bool) {
	var e *sqlite3.Error
	if errors.As(err, &e) {
		switch e.Code() & 0xff {
		case sqlite3lib.SQLITE_CORRUPT, sqlite3lib.SQLITE_NOTADB:
			return oneLine(e.Error()), true
		}
	}
	return "", false
}

// oneLine joins the lines of a message.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
