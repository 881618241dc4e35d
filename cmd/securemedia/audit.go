package main

import (
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

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
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Verify the hash chain of the audit log (detects removed, altered or reordered events)",
		Long: `verify reads the whole audit log, recomputes every event's hash and checks
that each links to the one before and that the log ends at the recorded
chain head. It prints "audit log ok: N events, head HASH" and exits 0, or
names the first broken event and exits 1.`,
		Example: `  securemedia audit verify --config W/server.toml`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, _, err := openLicenseStore(cmd.Context(), configPath)
			if err != nil {
				return err
			}
			defer s.Close()
			n, head, err := license.VerifyStore(cmd.Context(), s)
			if err != nil {
				var ae *license.AuditError
				if errors.As(err, &ae) {
					return withHint(err, fmt.Sprintf("the audit log was tampered with at or before event %d; restore the database from a backup and investigate", ae.Seq))
				}
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "audit log ok: %d events, head %s\n", n, hex.EncodeToString(head[:]))
			return nil
		},
	}
	cmd.Flags().StringVar(&configPath, "config", "", "server configuration file (server.toml)")
	return cmd
}
