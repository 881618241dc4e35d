package main

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"

	"github.com/spf13/cobra"

	"securemedia/internal/deploy"
)

func newBackupCommand() *cobra.Command {
	var (
		configPath string
		asJSON     bool
	)
	cmd := &cobra.Command{
		Use:   "backup --config W/server.toml FILE",
		Short: "Write a verified copy of the SQLite license database to a new file, beside a running server",
		Long: `backup copies the SQLite license database (users, licenses, plays, offers,
payments, browser viewers, the audit log) to FILE, a new file: it never
replaces one. The
copy is one consistent snapshot taken while servers go on playing (SQLite's
VACUUM INTO), synced to disk, and verified before it takes the name FILE:
every page, then the audit log's hash chain. It says "backed up ... audit
log ok: N events, head HASH" on stderr; --json prints {"file", "bytes",
"events", "head"} on stdout.

To restore, stop the server, put the copy in place of data_dir/licenses.db
(removing licenses.db-wal and licenses.db-shm beside it) and start it. The
media store needs no such copy: its items never change once added (copy
data_dir/media with cp -a or rsync, and keep the master passphrase apart).

A PostgreSQL license database is backed up with pg_dump (see the README).`,
		Example: `  securemedia backup --config W/server.toml /backups/licenses-$(date +%F).db
  securemedia backup --config W/server.toml --json licenses.db.bak`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadServerConfig(configPath)
			if err != nil {
				return err
			}
			b, err := deploy.BackupLicenseDatabase(cmd.Context(), cfg, args[0])
			switch {
			case errors.Is(err, deploy.ErrNotSQLite):
				return withHint(err, "back PostgreSQL up with pg_dump: pg_dump --format=custom --file=licenses.dump DATABASE (README: backups)")
			case errors.Is(err, fs.ErrExist):
				return withHint(err, "give a new file: a backup never replaces one")
			case err != nil:
				return err
			}
			if asJSON {
				if err := writeJSON(cmd.OutOrStdout(), backupJSON{File: b.Path, Bytes: b.Bytes, Events: b.Events, Head: hex.EncodeToString(b.Head[:])}); err != nil {
					return err
				}
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "backed up the license database to %s (%s): every page checked, audit log ok: %d events, head %x\n",
				b.Path, humanBytes(b.Bytes), b.Events, b.Head)
			return nil
		},
	}
	serverConfigFlag(cmd, &configPath)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print what was written as JSON on stdout")
	return cmd
}

// backupJSON is the output of `backup --json`.
type backupJSON struct {
	File   string `json:"file"`
	Bytes  int64  `json:"bytes"`
	Events int64  `json:"events"`
	Head   string `json:"head"`
}
