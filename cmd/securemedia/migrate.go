package main

import (
	"encoding/hex"
	"fmt"

	"github.com/spf13/cobra"

	"securemedia/internal/deploy"
)

func newLicenseMigrateCommand() *cobra.Command {
	var (
		configPath, to string
		asJSON         bool
	)
	cmd := &cobra.Command{
		Use:   "migrate --config W/server.toml --to postgres://...",
		Short: "Copy the whole license store into a new, empty database (SQLite to PostgreSQL for several replicas)",
		Long: `migrate copies the license store that server.toml names ([license] database)
into the empty database --to names: every user, license, play, offer and
payment, the browser viewers' invites, WebAuthn credentials and devices,
and the audit log with its sequence numbers and hashes, so that
"audit verify" on the target ends at the same head. The source is checked
first (its pages, its audit chain) and only read. A target that holds
anything is refused. The copy is one snapshot of the source, written in one
transaction, then read back and compared table by table, and its audit log
verified.

Stop the servers first: what they write after the copy began is not in the
target. Then set [license] database in server.toml to the --to URL and
start the servers again. --to takes what [license] database takes:
postgres://USER@HOST:PORT/DB (a search_path=SCHEMA parameter selects a
schema), or sqlite:PATH. Give a PostgreSQL password in PGPASSWORD or
~/.pgpass rather than in the URL, which the shell's history would keep.

It says what it copied on stderr; --json prints {"target", "tables":
[{"table", "rows"}], "events", "head"} on stdout.`,
		Example: `  createdb -h db.example -U securemedia licenses
  securemedia license migrate --config W/server.toml --to postgres://securemedia@db.example:5432/licenses
  securemedia license migrate --config W/server.toml --to 'postgres://securemedia@127.0.0.1/media?search_path=prod' --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if to == "" {
				return withHint(usageErrorf("license migrate needs --to"), "give the target database, e.g. --to postgres://USER@HOST:5432/DB")
			}
			cfg, err := loadServerConfig(configPath)
			if err != nil {
				return err
			}
			if deploy.DatabaseHasPassword(to) {
				fmt.Fprintln(cmd.ErrOrStderr(), "warning: the --to URL holds a password, which your shell's history now keeps; prefer PGPASSWORD or ~/.pgpass")
			}
			m, err := deploy.MigrateLicenseStore(cmd.Context(), cfg, to)
			if err != nil {
				return err
			}
			out := migrationJSON{Target: m.Target, Events: m.Events, Head: hex.EncodeToString(m.Head[:])}
			for _, t := range m.Tables {
				out.Tables = append(out.Tables, tableJSON{Table: t.Table, Rows: t.Rows})
				fmt.Fprintf(cmd.ErrOrStderr(), "copied %s: %d rows\n", t.Table, t.Rows)
			}
			if asJSON {
				if err := writeJSON(cmd.OutOrStdout(), out); err != nil {
					return err
				}
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "migrated the license store to %s: every table read back identical, audit log ok: %d events, head %s\n",
				m.Target, m.Events, out.Head)
			fmt.Fprintln(cmd.ErrOrStderr(), "next: set [license] database in "+cfg.File()+" to the --to URL, then start the servers")
			return nil
		},
	}
	serverConfigFlag(cmd, &configPath)
	cmd.Flags().StringVar(&to, "to", "", "the target database: postgres://USER@HOST:PORT/DB, or sqlite:PATH")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print what was copied as JSON on stdout")
	return cmd
}

// migrationJSON is the output of `license migrate --json`.
type migrationJSON struct {
	Target string      `json:"target"`
	Tables []tableJSON `json:"tables"`
	Events int64       `json:"events"`
	Head   string      `json:"head"`
}

type tableJSON struct {
	Table string `json:"table"`
	Rows  int64  `json:"rows"`
}
