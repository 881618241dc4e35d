package deploy

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"securemedia/internal/config"
	"securemedia/license"
	"securemedia/license/store"
)

// Migration is what MigrateLicenseStore copied and verified.
type Migration struct {
	// Target names the target database without its credentials.
	Target string
	license.CopyReport
}

// TargetError is a target database of a migration that could not be
// opened (unreachable, refused, not a database setting).
type TargetError struct {
	// Target names it without its credentials.
	Target string
	Err    error
}

func (e *TargetError) Error() string { return "target database " + e.Target + ": " + e.Err.Error() }
func (e *TargetError) Unwrap() error { return e.Err }

// MigrateLicenseStore copies the license store of c into the store of the
// database setting to ("postgres://...", or "sqlite:PATH" as [license]
// database reads it), which must be empty: users, licenses, plays, offers,
// payments and every other table of the store, the audit log with its
// sequence numbers and hashes. The source is checked first (the pages of
// a SQLite file, then the audit chain) and only read; the copy is
// verified (license.CopyStore: every table read back, the audit log
// verified to the source's head). Writes to the source after the copy's
// snapshot are not in the target: stop the servers first.
func MigrateLicenseStore(ctx context.Context, c *config.Server, to string) (Migration, error) {
	if _, err := CheckLicenseDatabase(ctx, c); err != nil {
		return Migration{}, err
	}
	src, err := OpenLicenseStore(ctx, c)
	if err != nil {
		return Migration{}, err
	}
	defer src.Close()
	if _, _, err := license.VerifyStore(ctx, src); err != nil {
		return Migration{}, fmt.Errorf("the source's audit log: %w", err)
	}
	m := Migration{Target: describeDatabase(to, c.Path(c.DataDir))}
	openCtx, cancel := context.WithTimeout(ctx, storeOpenTimeout)
	defer cancel()
	dst, err := store.Open(openCtx, to, c.Path(c.DataDir))
	if err != nil {
		return m, &TargetError{Target: m.Target, Err: err}
	}
	defer dst.Close()
	m.CopyReport, err = license.CopyStore(ctx, src, dst)
	return m, err
}

// describeDatabase names a database setting without what it may hold of
// credentials: host, port and database of a URL, the path of a file.
func describeDatabase(database, dataDir string) string {
	if path, ok := sqlitePath(database, dataDir); ok {
		return path
	}
	u, err := url.Parse(database)
	if err != nil || u.Host == "" && u.Path == "" {
		return "(" + strings.SplitN(database, ":", 2)[0] + ")"
	}
	out := u.Scheme + "://" + u.Host + u.Path
	if sp := u.Query().Get("search_path"); sp != "" {
		out += "?search_path=" + sp
	}
	return out
}

// DatabaseHasPassword reports a database URL that carries a password,
// which a command line leaves in the shell's history.
func DatabaseHasPassword(database string) bool {
	u, err := url.Parse(database)
	if err != nil || u.User == nil {
		return strings.Contains(database, "password=")
	}
	_, ok := u.User.Password()
	return ok || u.Query().Has("password")
}
