package main

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"securemedia/internal/deploy"
	"securemedia/license"
)

func newAuditCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Read, export and verify the audit log of license, play and user events",
		Long: `Every license, play and user change (issue, grant, revoke, reset, renew,
offer, play-start, play-count, play-complete, play-abandon, play-refund,
play-resume, user-add, user-disable, user-enable) is appended to an audit
log in the license database, each event chained to the previous one by a
SHA-256 hash. list reads it, export writes it out as JSON lines that verify
offline, verify checks the chain (of the database, or of an export).`,
		Example: `  securemedia audit list --config W/server.toml --kind play-refund
  securemedia audit export --config W/server.toml > audit.jsonl
  securemedia audit verify --config W/server.toml
  securemedia audit verify --export audit.jsonl`,
	}
	cmd.AddCommand(newAuditListCommand(), newAuditExportCommand(), newAuditVerifyCommand())
	return cmd
}

func newAuditListCommand() *cobra.Command {
	var configPath string
	var f license.EventFilter
	var since string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List audit events in order, optionally by kind, user, media, license, play or time",
		Example: `  securemedia audit list --config W/server.toml
  securemedia audit list --config W/server.toml --user PNOBE-12345678 --kind play-count --json
  securemedia audit list --config W/server.toml --play 6f1c0d2e3f405162738495a6b7c8d9e0
  securemedia audit list --config W/server.toml --since 24h --limit 50`,
		Args: cobra.NoArgs,
		RunE: onLicenseStore(&configPath, func(c *storeCall) error {
			if since != "" {
				d, err := time.ParseDuration(since)
				if err != nil || d <= 0 {
					return withHint(usageErrorf("--since %q", since), "--since is a duration back from now, such as 30m or 24h")
				}
				f.Since = time.Now().Add(-d)
			}
			evs, err := c.store.ListEvents(c.cmd.Context(), f)
			if err != nil {
				return err
			}
			return printEvents(c.cmd.OutOrStdout(), evs, asJSON)
		}),
	}
	serverConfigFlag(cmd, &configPath)
	cmd.Flags().StringVar(&f.Kind, "kind", "", "only events of this kind (e.g. play-refund)")
	cmd.Flags().StringVar(&f.UserID, "user", "", "only events of this user")
	cmd.Flags().StringVar(&f.MediaID, "media", "", "only events of this media id")
	cmd.Flags().StringVar(&f.LicenseID, "license", "", "only events of this license id")
	cmd.Flags().StringVar(&f.PlayID, "play", "", "only events of this play id")
	cmd.Flags().StringVar(&since, "since", "", "only events of the last DURATION (e.g. 24h)")
	cmd.Flags().Int64Var(&f.After, "after", 0, "only events after this sequence number (the next page)")
	cmd.Flags().IntVar(&f.Limit, "limit", 0, fmt.Sprintf("at most this many events (default and at most %d)", license.MaxListed))
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON, the events as an export spells them")
	return cmd
}

func printEvents(w io.Writer, evs []license.Event, asJSON bool) error {
	return writeListing(w, evs, asJSON, func(e license.Event) license.Event { return e },
		"no events", "SEQ\tTIME\tKIND\tUSER\tMEDIA\tDETAIL", func(e license.Event) string {
			return fmt.Sprintf("%d\t%s\t%s\t%s\t%s\t%s\n", e.Seq, e.Time.Local().Format(time.DateTime), e.Kind,
				orDash(e.UserID), orDash(e.MediaID), printable(orDash(e.Detail)))
		})
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func newAuditExportCommand() *cobra.Command {
	var configPath, out string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write the whole audit log as JSON lines that verify offline",
		Long: `export writes every event of the audit log, in order, one JSON object per
line, with every field its hash covers, to stdout or --out FILE; it checks
the chain as it goes. "securemedia audit verify --export FILE" verifies the
file anywhere, without the database. An export cannot prove it is whole:
compare the head it ends at, which export prints on stderr (or as JSON on
stdout with --out and --json), with the one "audit verify" prints for the
database. A broken chain is exported all the same (it is evidence) and
export then exits 1.`,
		Example: `  securemedia audit export --config W/server.toml > audit.jsonl
  securemedia audit export --config W/server.toml --out audit.jsonl --json`,
		Args: cobra.NoArgs,
		RunE: onLicenseStore(&configPath, func(c *storeCall) error {
			cmd := c.cmd
			if asJSON && out == "" {
				return withHint(usageErrorf("--json needs --out: the export itself goes to stdout"), "add --out FILE")
			}
			var w io.Writer = cmd.OutOrStdout()
			var file *os.File
			if out != "" {
				var err error
				if file, err = os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600); err != nil {
					return withHint(err, "export to a new file: it is not overwritten")
				}
				w = file
			}
			n, head, err := license.ExportAudit(cmd.Context(), c.store, w)
			if file != nil {
				if cerr := file.Close(); cerr != nil && err == nil {
					err = cerr
				}
			}
			var ae *license.AuditError
			if errors.As(err, &ae) {
				return withHint(err, fmt.Sprintf("the export holds every event, but the chain is broken at event %d; restore the database from a backup and investigate", ae.Seq))
			}
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(cmd.OutOrStdout(), auditVerdictJSON{OK: true, Events: &n, Head: hex.EncodeToString(head[:]), File: out})
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "exported %d events, head %s\n", n, hex.EncodeToString(head[:]))
			return nil
		}),
	}
	serverConfigFlag(cmd, &configPath)
	cmd.Flags().StringVar(&out, "out", "", "write the export to this new file instead of stdout")
	cmd.Flags().BoolVar(&asJSON, "json", false, "with --out, print the summary as JSON on stdout")
	return cmd
}

func newAuditVerifyCommand() *cobra.Command {
	var configPath, export string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Verify the hash chain of the audit log, or of an export (detects removed, altered or reordered events)",
		Long: `verify first checks every page of a SQLite license database file (damage
there, in the licenses table say, leaves the audit log's chain intact),
then reads the whole audit log, recomputes every event's hash and checks
that each links to the one before and that the log ends at the recorded
chain head. With --export FILE it verifies an export instead, offline; with
--config as well, it also checks the database file and that the export
ends where the database does (an export cut short is detected). It says
"audit log ok: N events, head HASH" on stderr and exits 0, or names the
damage or the first broken event and exits 1. --json prints the verdict on
stdout as well: {"ok", "database", "events", "head"} or {"ok": false,
"database", "broken_at", "error"} ("database" only where a SQLite file was
checked).`,
		Example: `  securemedia audit verify --config W/server.toml
  securemedia audit verify --config W/server.toml --json
  securemedia audit verify --export audit.jsonl
  securemedia audit verify --export audit.jsonl --config W/server.toml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if export != "" && configPath == "" {
				return verdict(cmd, asJSON, func() (auditChecked, error) {
					n, head, err := verifyExportFile(export)
					return auditChecked{events: n, head: head}, err
				})
			}
			return onLicenseStore(&configPath, func(c *storeCall) error {
				return verdict(cmd, asJSON, func() (v auditChecked, err error) {
					// The file first: damage outside the audit log (a
					// licenses table, an index) leaves the hash chain
					// intact.
					v.database, err = deploy.CheckLicenseDatabase(cmd.Context(), c.cfg)
					if err != nil {
						return v, err
					}
					if export == "" {
						v.events, v.head, err = license.VerifyStore(cmd.Context(), c.store)
						return v, err
					}
					v.events, v.head, err = verifyExportFile(export)
					if err != nil {
						return v, err
					}
					seq, want, err := c.store.AuditHead(cmd.Context())
					if err != nil {
						return v, err
					}
					if seq != v.events || want != v.head {
						return v, &license.AuditError{Seq: v.events + 1, Reason: fmt.Sprintf("the export ends at event %d, the database at %d (cut short, or of another database)", v.events, seq)}
					}
					return v, nil
				})
			})(cmd, nil)
		},
	}
	serverConfigFlag(cmd, &configPath)
	cmd.Flags().StringVar(&export, "export", "", "verify this export (audit export) instead of the database")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the verdict as JSON on stdout")
	return cmd
}

// verifyExportFile verifies the audit export in path.
func verifyExportFile(path string) (int64, [32]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, [32]byte{}, withHint(err, "give the file `securemedia audit export` wrote")
	}
	defer f.Close()
	return license.VerifyExport(f)
}

// auditChecked is what a verification saw: the chain's length and head,
// and whether a SQLite database file had its pages checked (true even
// when they were found damaged).
type auditChecked struct {
	events   int64
	head     [32]byte
	database bool
}

// verdict runs check and reports its verdict: on stderr, and as JSON on
// stdout with asJSON.
func verdict(cmd *cobra.Command, asJSON bool, check func() (auditChecked, error)) error {
	c, err := check()
	var (
		ae *license.AuditError
		de *deploy.DamagedDatabaseError
	)
	damaged := errors.As(err, &de)
	if asJSON {
		v := auditVerdictJSON{OK: err == nil}
		switch {
		case damaged:
			v.Database = "damaged"
		case c.database:
			v.Database = "ok"
		}
		if err == nil {
			v.Events, v.Head = &c.events, hex.EncodeToString(c.head[:])
		} else {
			v.Error = err.Error()
			if errors.As(err, &ae) {
				v.BrokenAt = ae.Seq
			}
		}
		if jerr := writeJSON(cmd.OutOrStdout(), v); jerr != nil {
			return jerr
		}
	}
	if c.database && !damaged {
		fmt.Fprintln(cmd.ErrOrStderr(), "license database ok: every page checked")
	}
	if err != nil {
		if errors.As(err, &ae) {
			return withHint(err, fmt.Sprintf("the audit log was tampered with at or before event %d; restore the database from a backup and investigate", ae.Seq))
		}
		return err
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "audit log ok: %d events, head %s\n", c.events, hex.EncodeToString(c.head[:]))
	return nil
}

// auditVerdictJSON is the output of `audit verify --json` and `audit
// export --out FILE --json`.
type auditVerdictJSON struct {
	OK bool `json:"ok"`
	// Database is "ok" or "damaged" for a SQLite file, empty for
	// PostgreSQL (which checks its own pages) and for an export alone.
	Database string `json:"database,omitempty"`
	Events   *int64 `json:"events,omitempty"`
	Head     string `json:"head,omitempty"`
	File     string `json:"file,omitempty"`
	BrokenAt int64  `json:"broken_at,omitempty"`
	Error    string `json:"error,omitempty"`
}
