package main

import "github.com/spf13/cobra"

// commandSet lists the subcommands; each lives in its own file.
func commandSet() []func() *cobra.Command {
	return []func() *cobra.Command{
		newPKICommand,
		newLicenseCommand, newUserCommand, newAuditCommand, newCheckCommand, newBackupCommand,
		newTokenCommand,
		newMediaCommand,
		newInitCommand, newServerCommand, newCatalogCommand, newPlayCommand, newDemoCommand, newLicensesCommand, newBenchCommand, newBenchServerCommand, newLoadtestCommand,
	}
}
