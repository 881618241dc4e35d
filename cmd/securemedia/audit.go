package main

import (
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"securemedia/internal/deploy"
	"securemedia/license"
)

func newAuditCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Check the audit log of license and user events",
		Long: `Every license and user change (issue, play, renew, revoke, reset, grant,
user-add, user-disable) is appended to an audit log in the license database,
each event chained to the previous one by a SHA-256 hash.`,
		Example: `  securemedia audit verify --config W/server.toml`,
	}
	cmd.AddCommand(newAuditVerifyCommand())
	return cmd
}

func newAuditVerifyCommand() *cobra.Command {
	var configPath string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Verify the hash chain of the audit log (detects removed, altered or reordered events)",
		Long: `verify first checks every page of a SQLite license database file (damage
there, in the licenses table say, leaves the audit log's chain intact),
then reads the whole audit log, recomputes every event's hash and checks
that each links to the one before and that the log ends at the recorded
chain head. It says "audit log ok: N events, head HASH" on stderr and exits
0, or names the damage or the first broken event and exits 1. --json
prints the verdict on stdout as well: {"ok", "database", "events",
"head"} or {"ok": false, "database", "broken_at", "error"}.`,
		Example: `  securemedia audit verify --config W/server.toml
  securemedia audit verify --config W/server.toml --json`,
		Args: cobra.NoArgs,
		RunE: onLicenseStore(&configPath, func(c *storeCall) error {
			cmd := c.cmd
			// The file first: damage outside the audit log (a licenses
			// table, an index) leaves the hash chain intact.
			checked, err := deploy.CheckLicenseDatabase(cmd.Context(), c.cfg)
			var n int64
			var head [32]byte
			if err == nil {
				n, head, err = license.VerifyStore(cmd.Context(), c.store)
			}
			var (
				ae *license.AuditError
				de *deploy.DamagedDatabaseError
			)
			if asJSON {
				v := auditVerdictJSON{OK: err == nil}
				switch {
				case errors.As(err, &de):
					v.Database = "damaged"
				case checked:
					v.Database = "ok"
				}
				if err == nil {
					v.Events, v.Head = &n, hex.EncodeToString(head[:])
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
			if checked && de == nil {
				fmt.Fprintln(cmd.ErrOrStderr(), "license database ok: every page checked")
			}
			if err != nil {
				if errors.As(err, &ae) {
					return withHint(err, fmt.Sprintf("the audit log was tampered with at or before event %d; restore the database from a backup and investigate", ae.Seq))
				}
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "audit log ok: %d events, head %s\n", n, hex.EncodeToString(head[:]))
			return nil
		}),
	}
	serverConfigFlag(cmd, &configPath)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the verdict as JSON on stdout")
	return cmd
}

// auditVerdictJSON is the output of `audit verify --json`.
type auditVerdictJSON struct {
	OK bool `json:"ok"`
	// Database is "ok" or "damaged" for a SQLite file, empty for
	// PostgreSQL (which checks its own pages).
	Database string `json:"database,omitempty"`
	Events   *int64 `json:"events,omitempty"`
	Head     string `json:"head,omitempty"`
	BrokenAt int64  `json:"broken_at,omitempty"`
	Error    string `json:"error,omitempty"`
}
