package main

import (
	"encoding/hex"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"securemedia/internal/deploy"
)

func newCheckCommand() *cobra.Command {
	var (
		configPath, passphraseFile string
		asJSON                     bool
	)
	cmd := &cobra.Command{
		Use:   "check --config W/server.toml",
		Short: "Check the license database, the audit log, every media item and the CRLs, in one report",
		Long: `check looks at everything the server relies on, changing nothing, beside a
running server:

  license database  every page of a SQLite file (PostgreSQL checks its own)
  audit log         the hash chain, from the first event to the recorded head
  media store       every chunk of every item against its signed manifest,
                    and the temporary files an interrupted add left behind
  crl NAME          each CRL the server serves and checks devices against,
  users crl NAME    and each of [users] crls: stale, or stale within
                    [pki] crl_warning (3 days)

It prints one line per check on stderr ("ok", "warn" or "FAIL", what was
checked, what was found), the problems under it and their fix, and exits 1
when a check failed; a warning alone exits 0. --json prints the report on
stdout as well: {"ok", "checks": [{"name", "status", "summary", "problems",
"hint"}]}, status one of ok, warn, fail, skipped. The media check decrypts
every chunk: on a large store it takes as long as reading it all.`,
		Example: `  securemedia check --config W/server.toml
  securemedia check --config W/server.toml --json | jq '.checks[] | select(.status != "ok")'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadServerConfig(configPath)
			if err != nil {
				return err
			}
			results := deploy.Check(cmd.Context(), cfg, deploy.CheckOptions{Media: deploy.StoreOptions{PassphraseFile: passphraseFile}})
			report := checkReport(results)
			if asJSON {
				if err := writeJSON(cmd.OutOrStdout(), report); err != nil {
					return err
				}
			}
			printCheckReport(cmd.ErrOrStderr(), report)
			var failed []string
			for _, c := range report.Checks {
				if c.Status == deploy.CheckFail.String() {
					failed = append(failed, c.Name)
				}
			}
			if len(failed) > 0 {
				return withHint(fmt.Errorf("%d of %d checks failed: %s", len(failed), len(report.Checks), strings.Join(failed, ", ")),
					"each FAIL line above says what failed and how to fix it")
			}
			return nil
		},
	}
	serverConfigFlag(cmd, &configPath)
	cmd.Flags().StringVar(&passphraseFile, "passphrase-file", "", "file holding the master passphrase (else "+deploy.MasterPassphraseEnv+", [media] master_passphrase_file, or a prompt)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON on stdout")
	return cmd
}

// checkJSON is one check of `check --json`.
type checkJSON struct {
	Name     string   `json:"name"`
	Status   string   `json:"status"`
	Summary  string   `json:"summary"`
	Problems []string `json:"problems,omitempty"`
	Hint     string   `json:"hint,omitempty"`
	Events   *int64   `json:"events,omitempty"`
	Head     string   `json:"head,omitempty"`
}

// checkReportJSON is the output of `check --json`.
type checkReportJSON struct {
	OK     bool        `json:"ok"`
	Checks []checkJSON `json:"checks"`
}

// checkReport renders the results, with the hint of each failure: the one
// the check knows, else the one its error implies.
func checkReport(results []deploy.CheckResult) checkReportJSON {
	report := checkReportJSON{OK: true, Checks: make([]checkJSON, 0, len(results))}
	for _, r := range results {
		c := checkJSON{Name: r.Name, Status: r.Status.String(), Summary: oneLine(r.Summary), Problems: r.Problems, Hint: r.Hint}
		if c.Hint == "" && r.Err != nil {
			c.Hint = hintFor(r.Err)
		}
		if r.Name == "audit log" && r.Status == deploy.CheckOK {
			events := r.Events
			c.Events, c.Head = &events, hex.EncodeToString(r.Head[:])
		}
		if r.Status == deploy.CheckFail {
			report.OK = false
		}
		report.Checks = append(report.Checks, c)
	}
	return report
}

// printCheckReport writes the report for a person: a line per check, its
// problems and its hint indented under it.
func printCheckReport(w io.Writer, report checkReportJSON) {
	warned := 0
	for _, c := range report.Checks {
		status := c.Status
		switch status {
		case deploy.CheckFail.String():
			status = "FAIL"
		case deploy.CheckWarn.String():
			warned++
		}
		fmt.Fprintf(w, "%-7s %s: %s\n", status, c.Name, printable(c.Summary))
		for _, p := range c.Problems {
			fmt.Fprintf(w, "        %s\n", printable(oneLine(p)))
		}
		if c.Hint != "" && c.Status != deploy.CheckOK.String() {
			fmt.Fprintf(w, "        hint: %s\n", c.Hint)
		}
	}
	if report.OK && warned == 0 {
		fmt.Fprintln(w, "check: everything ok")
	} else if report.OK {
		fmt.Fprintf(w, "check: ok, %d warnings\n", warned)
	}
}
