package deploy

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"securemedia/internal/config"
	"securemedia/license"
	"securemedia/pki"
)

// CheckStatus is the verdict of one check of a deployment.
type CheckStatus int

const (
	// CheckOK: sound.
	CheckOK CheckStatus = iota
	// CheckWarn: sound now, but soon not, or untidy (a CRL about to go
	// stale, temporary files to remove).
	CheckWarn
	// CheckFail: broken now.
	CheckFail
	// CheckSkipped: not applicable here, or not reached.
	CheckSkipped
)

func (s CheckStatus) String() string {
	switch s {
	case CheckOK:
		return "ok"
	case CheckWarn:
		return "warn"
	case CheckFail:
		return "fail"
	case CheckSkipped:
		return "skipped"
	}
	return fmt.Sprintf("CheckStatus(%d)", int(s))
}

// CheckResult is one check of Check.
type CheckResult struct {
	// Name says what was checked: "license database", "audit log",
	// "media store", "crl SOURCE" (a CRL the server serves and checks
	// devices against), "users crl SOURCE".
	Name   string
	Status CheckStatus
	// Summary says in one line what was found.
	Summary string
	// Problems name each thing that failed or needs attention.
	Problems []string
	// Hint is the fix, where the check knows it.
	Hint string
	// Err is the failure (nil unless Status is CheckFail), for a caller
	// to find its own hint.
	Err error
	// Events and Head are the audit log's, for the audit check.
	Events int64
	Head   [32]byte
}

// CheckOptions tune Check.
type CheckOptions struct {
	// Media says how to open the media store (its master key).
	Media StoreOptions
	// Now is the clock of the CRL checks (tests).
	Now func() time.Time
}

// Check checks the state of the deployment of c, changing nothing, beside
// a running server: the pages of a SQLite license database, the audit
// log's hash chain, every media item (each chunk against its signed
// manifest) and the store's stale temporary files, and every CRL the
// server relies on: stale (every chain it covers is refused) fails, going
// stale within [pki] crl_warning warns.
func Check(ctx context.Context, c *config.Server, o CheckOptions) []CheckResult {
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	db := checkDatabase(ctx, c)
	out := []CheckResult{db, checkAudit(ctx, c, db), checkMedia(c, o.Media)}
	out = append(out, checkCRLs(c, "crl ", deviceCRLPaths(c), now())...)
	return append(out, checkCRLs(c, "users crl ", c.Paths(c.Users.CRLs), now())...)
}

// fail records err as the check's failure; the summary does not repeat
// the check's name where the error begins with it.
func (r *CheckResult) fail(err error) {
	r.Status, r.Err = CheckFail, err
	r.Summary = strings.TrimPrefix(err.Error(), r.Name+": ")
}

func checkDatabase(ctx context.Context, c *config.Server) CheckResult {
	r := CheckResult{Name: "license database"}
	path, _ := sqlitePath(c.License.Database, c.Path(c.DataDir))
	checked, err := CheckLicenseDatabase(ctx, c)
	switch {
	case err != nil:
		r.fail(err)
		var d *DamagedDatabaseError
		if errors.As(err, &d) {
			r.Summary, r.Problems = "the file "+d.Path+" is damaged", d.Problems
		}
	case !checked:
		r.Status, r.Summary = CheckSkipped, "PostgreSQL checks its own pages"
	default:
		r.Status, r.Summary = CheckOK, "every page of "+path+" checked"
	}
	return r
}

func checkAudit(ctx context.Context, c *config.Server, db CheckResult) CheckResult {
	r := CheckResult{Name: "audit log"}
	if db.Status == CheckFail {
		// Opening would create a missing file, and a damaged one says
		// nothing more.
		r.Status, r.Summary = CheckSkipped, "not read: the license database failed its check"
		return r
	}
	st, err := OpenLicenseStore(ctx, c)
	if err == nil {
		defer st.Close()
		r.Events, r.Head, err = license.VerifyStore(ctx, st)
	}
	if err != nil {
		r.fail(err)
		return r
	}
	r.Status, r.Summary = CheckOK, fmt.Sprintf("%d events, head %x", r.Events, r.Head)
	return r
}

func checkMedia(c *config.Server, o StoreOptions) CheckResult {
	r := CheckResult{Name: "media store"}
	s, err := OpenMediaStore(c, o)
	if err != nil {
		r.fail(err)
		return r
	}
	verdicts, err := s.VerifyItems(nil)
	if err != nil {
		r.fail(err)
		return r
	}
	failed := 0
	for _, v := range verdicts {
		if v.Err != nil {
			failed++
			p := v.Err.Error()
			if !strings.Contains(p, v.ID.String()) {
				p = v.ID.String() + ": " + p
			}
			r.Problems = append(r.Problems, p)
		}
	}
	stale, err := s.StaleTemporary()
	for _, t := range stale {
		r.Problems = append(r.Problems, fmt.Sprintf("stale temporary %s (%d bytes, left %s by an add or removal that did not finish)",
			t.Path, t.Size, t.Modified.UTC().Format(time.RFC3339)))
	}
	if err != nil {
		r.Problems = append(r.Problems, "temporary files: "+err.Error())
	}
	r.Status, r.Summary = CheckOK, fmt.Sprintf("%d items verified", len(verdicts))
	switch {
	case failed > 0:
		r.Status, r.Summary = CheckFail, fmt.Sprintf("%d of %d items failed verification", failed, len(verdicts))
		r.Err = errors.New("media store: " + r.Summary)
		r.Hint = "a failed item was damaged or changed on disk: remove it (securemedia media rm ID) and add it again"
	case len(stale) > 0 || err != nil:
		r.Status = CheckWarn
		r.Summary += fmt.Sprintf(", %d stale temporary files", len(stale))
		r.Hint = "securemedia media verify removes the stale temporary files"
	}
	return r
}

// checkCRLs checks the freshness of the CRL files at paths, one result
// per CRL (one result for them all when they cannot be read).
func checkCRLs(c *config.Server, prefix string, paths []string, now time.Time) []CheckResult {
	if len(paths) == 0 {
		return nil
	}
	set, err := pki.NewCRLSet(paths)
	if err != nil {
		keys := []string{"[pki] crls", "[trust] crls"}
		if prefix != "crl " {
			keys = []string{"[users] crls"}
		}
		err = configError(c.File(), err, keys...)
		return []CheckResult{{Name: prefix[:len(prefix)-1] + "s", Status: CheckFail, Summary: err.Error(), Err: err}}
	}
	warning := crlWarningOf(c)
	var out []CheckResult
	for i, st := range set.Status() {
		// st.String() begins with the source, which r.Name holds.
		desc := strings.TrimPrefix(st.String(), st.Source+": ")
		r := CheckResult{Name: prefix + st.Source, Status: CheckOK, Summary: desc}
		switch {
		case st.StaleAt(now):
			r.Status = CheckFail
			r.Summary = desc + ": stale, every chain it covers is refused"
			r.Err = fmt.Errorf("%s: %s", r.Name, r.Summary)
		case st.StaleAt(now.Add(warning)):
			r.Status = CheckWarn
			r.Summary = fmt.Sprintf("%s: stale in %s", desc, st.NextUpdate.Sub(now).Round(time.Minute))
		}
		if r.Status != CheckOK {
			r.Hint = crlHint(c, prefix == "crl ", paths[i])
		}
		out = append(out, r)
	}
	return out
}

// crlHint says how to reissue the CRL file at path.
func crlHint(c *config.Server, device bool, path string) string {
	const timer = " (deploy/securemedia-crl.timer runs it daily)"
	if device && c.PKI.CADir != "" {
		return "reissue the CRLs: securemedia pki crl --dir " + c.Path(c.PKI.CADir) + timer
	}
	if device {
		return "reissue the CRLs with securemedia pki crl --dir CA-DIR" + timer
	}
	return "a demo card's CA: securemedia pki crl --dir " + filepath.Dir(path) + timer + "; an identity-card issuer's: fetch its current CRL into " + path
}

// deviceCRLPaths are the CRL files the server serves and validates device
// chains against: [pki] crls, or [trust] crls.
func deviceCRLPaths(c *config.Server) []string {
	if paths := c.Paths(c.PKI.CRLs); len(paths) > 0 {
		return paths
	}
	return c.Paths(c.Trust.CRLs)
}
