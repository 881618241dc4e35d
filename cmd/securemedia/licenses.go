package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"securemedia/content"
	"securemedia/message"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

func newLicensesCommand() *cobra.Command {
	var f clientFlags
	var asJSON, yes bool
	var renewID string
	cmd := &cobra.Command{
		Use:   "licenses --config W/client.toml [--renew ID]",
		Short: "The viewer's own licenses: views or time left; renew one",
		Long: `licenses logs in with the identity card and lists the viewer's licenses as
the server keeps them: views left, time left, and whether a renewal is
needed. --renew ID renews one (a simulated payment, after a confirmation
on the terminal or --yes).`,
		Example: `  securemedia licenses --config W/client.toml
  securemedia licenses --config W/client.toml --json
  securemedia licenses --config W/client.toml --renew 3f2a... --yes`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt)
			defer stop()
			var id content.ID
			if renewID != "" {
				var err error
				if id, err = content.ParseID(renewID); err != nil {
					return withHint(err, "media ids are the 32 hex characters shown by `securemedia licenses`")
				}
				if !yes {
					if !isTerminal(cmd.InOrStdin()) {
						return withHint(errors.New("renewal not confirmed"), "add --yes to renew without a prompt")
					}
					fmt.Fprintf(cmd.ErrOrStderr(), "Renew the license of %s (a simulated payment)? [y/N] ", id)
					line, err := readLine(ctx, bufio.NewReader(cmd.InOrStdin()))
					if ctx.Err() != nil {
						fmt.Fprintln(cmd.ErrOrStderr())
						return &exitCodeError{code: exitInterrupted, err: errors.New("interrupted; nothing renewed")}
					}
					if err != nil {
						fmt.Fprintln(cmd.ErrOrStderr()) // Ctrl-D: no
					}
					if a := strings.ToLower(strings.TrimSpace(line)); a != "y" && a != "yes" {
						return &exitCodeError{code: exitLicense, err: errors.New("not renewed")}
					}
				}
			}
			v, err := f.connect(ctx, cmd)
			if err != nil {
				return err
			}
			defer v.Close()
			if renewID != "" {
				// A renewal names an offer the server made: asked for now,
				// it extends a license that can still play.
				offer, err := v.Conn.Offer(ctx, id)
				if err != nil {
					return playError(err)
				}
				tok, err := v.Conn.Renew(ctx, id, offer)
				if err != nil {
					return playError(err)
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "renewed (%s): %s\n", offerSummary(offer), tok.Remaining(time.Now()))
			}
			ls, err := v.Conn.Licenses(ctx)
			if err != nil {
				return err
			}
			if asJSON {
				return writeLicensesJSON(cmd.OutOrStdout(), ls)
			}
			writeLicensesTable(cmd.OutOrStdout(), ls, time.Now())
			return nil
		},
	}
	f.register(cmd, false)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON on stdout")
	cmd.Flags().StringVar(&renewID, "renew", "", "renew the license of this media id")
	cmd.Flags().BoolVar(&yes, "yes", false, "renew without asking")
	return cmd
}

type licenseEntry struct {
	Media        string     `json:"media"`
	Title        string     `json:"title"`
	ViewsLeft    int32      `json:"views_left"`
	Expires      *time.Time `json:"expires,omitempty"`
	NeedsRenewal bool       `json:"needs_renewal"`
	Revoked      bool       `json:"revoked"`
}

func writeLicensesJSON(w io.Writer, ls []message.LicenseInfo) error {
	out := make([]licenseEntry, 0, len(ls))
	for _, l := range ls {
		e := licenseEntry{Media: l.Media.String(), Title: l.Title, ViewsLeft: l.ViewsLeft, NeedsRenewal: l.NeedsRenewal, Revoked: l.Revoked}
		if !l.Expires.IsZero() {
			exp := l.Expires
			e.Expires = &exp
		}
		out = append(out, e)
	}
	return writeJSON(w, out)
}

func writeLicensesTable(w io.Writer, ls []message.LicenseInfo, now time.Time) {
	if len(ls) == 0 {
		fmt.Fprintln(w, "no licenses yet: the first play of a title rents it")
		return
	}
	tw := newTable(w, "MEDIA\tTITLE\tSTATE")
	for _, l := range ls {
		state := licenseSummary(message.LicenseState{Known: true, ViewsLeft: l.ViewsLeft, Expires: l.Expires, NeedsRenewal: l.NeedsRenewal}, now)
		if l.Revoked {
			state = "revoked by the operator"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", l.Media, printable(l.Title), state)
	}
	tw.Flush()
}
