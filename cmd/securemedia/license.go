package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"securemedia/internal/config"
	"securemedia/internal/deploy"
	"securemedia/license"
)

// licenseFlags are the flags shared by the license subcommands.
type licenseFlags struct {
	config string
	user   string
	media  string
	views  int
	period string
	reason string
	json   bool
}

func newLicenseCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "license",
		Short: "Inspect and manage licenses and plays: list, show, grant, revoke, reset, plays, migrate",
		Long: `Operator commands on the license store named in server.toml ([license]
database: the SQLite file in data_dir by default, or PostgreSQL). A license
belongs to one user and one media item and grants views, a rental period, or
both. A play is one view of one item: started free, counted when its first
chunk is delivered, then completed, abandoned or refunded. Every change is
recorded in the audit log (see "securemedia audit").`,
		Example: `  securemedia license list --config W/server.toml
  securemedia license list --config W/server.toml --user PNOBE-12345678 --json
  securemedia license show --config W/server.toml --user PNOBE-12345678 --media 3f2a9c0123456789abcdef0123456789
  securemedia license grant --config W/server.toml --user PNOBE-12345678 --media 3f2a9c --views 3 --period 48h
  securemedia license revoke --config W/server.toml 9b1c0d2e3f405162738495a6b7c8d9e0 --reason chargeback
  securemedia license reset --config W/server.toml --user PNOBE-12345678 --media 3f2a9c0123456789abcdef0123456789
  securemedia license plays --config W/server.toml --user PNOBE-12345678 --json
  securemedia license migrate --config W/server.toml --to postgres://securemedia@db.example:5432/licenses`,
	}
	cmd.AddCommand(newLicenseListCommand(), newLicenseShowCommand(), newLicenseGrantCommand(),
		newLicenseRevokeCommand(), newLicenseResetCommand(), newLicensePlaysCommand(), newLicenseMigrateCommand())
	return cmd
}

func (f *licenseFlags) addCommon(cmd *cobra.Command) {
	serverConfigFlag(cmd, &f.config)
	cmd.Flags().StringVar(&f.user, "user", "", "user identity (the certificate's serialNumber)")
	cmd.Flags().StringVar(&f.media, "media", "", "media id")
	cmd.Flags().BoolVar(&f.json, "json", false, "print JSON")
}

func newLicenseListCommand() *cobra.Command {
	var f licenseFlags
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List licenses, optionally of one user or one media item",
		Example: `  securemedia license list --config W/server.toml
  securemedia license list --config W/server.toml --media 3f2a9c --json`,
		Args: cobra.NoArgs,
		RunE: onLicenseStore(&f.config, func(c *storeCall) error {
			ls, err := c.store.List(c.cmd.Context(), license.Filter{UserID: f.user, MediaID: f.media})
			if err != nil {
				return err
			}
			return printLicenses(c.cmd.OutOrStdout(), ls, f.json)
		}),
	}
	f.addCommon(cmd)
	return cmd
}

func newLicenseShowCommand() *cobra.Command {
	var f licenseFlags
	cmd := &cobra.Command{
		Use:   "show [LICENSE-ID]",
		Short: "Show one license, by id or by --user and --media",
		Example: `  securemedia license show --config W/server.toml --user PNOBE-12345678 --media 3f2a9c
  securemedia license show --config W/server.toml 9b1c0d2e3f405162738495a6b7c8d9e0 --json`,
		Args: cobra.MaximumNArgs(1),
		RunE: onLicense(&f, func(c *storeCall, l license.License) error {
			return printLicenses(c.cmd.OutOrStdout(), []license.License{l}, f.json)
		}),
	}
	f.addCommon(cmd)
	return cmd
}

func newLicenseGrantCommand() *cobra.Command {
	var f licenseFlags
	cmd := &cobra.Command{
		Use:   "grant",
		Short: "Create or replace the license of a user for a media item",
		Long: `Grant gives --user a license for --media with --views (0 = unlimited) and/or
--period (e.g. 90s, 30m, 48h, 7d). An existing license is replaced: its
counters restart from now. Without --views the server's default_views
applies (5 unless server.toml says otherwise).

The user must be registered (securemedia user list) and the media an item
of the store (securemedia media list); each may be named by its whole id
or by a prefix that begins no other.`,
		Example: `  securemedia license grant --config W/server.toml --user PNOBE-12345678 --media 3f2a9c --views 3
  securemedia license grant --config W/server.toml --user PNOBE-1 --media 3f2a9c0123456789abcdef0123456789 --views 0 --period 7d`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if f.user == "" || f.media == "" {
				return withHint(usageErrorf("license grant needs --user and --media"), "see securemedia license grant --help")
			}
			s, cfg, err := openLicenseStore(cmd.Context(), f.config)
			if err != nil {
				return err
			}
			defer s.Close()
			views := cfg.License.Views()
			if cmd.Flags().Changed("views") {
				views = f.views
			}
			period := cfg.License.DefaultPeriod
			if cmd.Flags().Changed("period") {
				period = f.period
			}
			p, err := license.ParsePolicy(views, period)
			if err != nil {
				return withHint(err, "--views is 0 (unlimited) or more; --period looks like 90s, 30m, 48h or 7d")
			}
			user, media, err := deploy.ResolveGrant(cmd.Context(), cfg, s, f.user, f.media)
			var ne *deploy.NameError
			if errors.As(err, &ne) {
				hint := map[string]string{"user": "securemedia user list shows the registered users",
					"media": "securemedia media list shows the media ids"}[ne.What]
				if len(ne.Candidates) > 0 {
					hint = "give more of the id"
				}
				return withHint(err, hint)
			}
			if err != nil {
				return err
			}
			l, err := s.Grant(cmd.Context(), user, media, p, time.Now())
			if err != nil {
				return err
			}
			return printLicenses(cmd.OutOrStdout(), []license.License{l}, f.json)
		},
	}
	f.addCommon(cmd)
	cmd.Flags().IntVar(&f.views, "views", 0, "views granted (0 = unlimited; default: the server's default_views)")
	cmd.Flags().StringVar(&f.period, "period", "", "rental period such as 90s, 30m, 48h, 7d (default: none)")
	return cmd
}

func newLicenseRevokeCommand() *cobra.Command {
	var f licenseFlags
	cmd := &cobra.Command{
		Use:   "revoke [LICENSE-ID]",
		Short: "Revoke a license; ongoing plays stop at their next chunk",
		Example: `  securemedia license revoke --config W/server.toml --user PNOBE-12345678 --media 3f2a9c --reason chargeback
  securemedia license revoke --config W/server.toml 9b1c0d2e3f405162738495a6b7c8d9e0`,
		Args: cobra.MaximumNArgs(1),
		RunE: onLicense(&f, func(c *storeCall, l license.License) error {
			ctx := c.cmd.Context()
			if err := c.store.Revoke(ctx, l.ID, f.reason, time.Now()); err != nil {
				return err
			}
			fmt.Fprintf(c.cmd.ErrOrStderr(), "revoked license %s (%s, %s)\n", l.ID, l.UserID, l.MediaID)
			if !f.json {
				return nil
			}
			l, err := c.store.Get(ctx, l.ID)
			if err != nil {
				return err
			}
			return printLicenses(c.cmd.OutOrStdout(), []license.License{l}, true)
		}),
	}
	f.addCommon(cmd)
	cmd.Flags().StringVar(&f.reason, "reason", "revoked by the operator", "reason recorded in the audit log")
	return cmd
}

func newLicenseResetCommand() *cobra.Command {
	var f licenseFlags
	cmd := &cobra.Command{
		Use:   "reset [LICENSE-ID]",
		Short: "Restore a license's policy from now (views used 0, a fresh period, not revoked)",
		Example: `  securemedia license reset --config W/server.toml --user PNOBE-12345678 --media 3f2a9c
  securemedia license reset --config W/server.toml 9b1c0d2e3f405162738495a6b7c8d9e0`,
		Args: cobra.MaximumNArgs(1),
		RunE: onLicense(&f, func(c *storeCall, l license.License) error {
			l, err := c.store.Reset(c.cmd.Context(), l.ID, time.Now())
			if err != nil {
				return err
			}
			return printLicenses(c.cmd.OutOrStdout(), []license.License{l}, f.json)
		}),
	}
	f.addCommon(cmd)
	return cmd
}

// openLicenseStore loads server.toml and opens the license store it names.
func openLicenseStore(ctx context.Context, path string) (license.Store, *config.Server, error) {
	if path == "" {
		return nil, nil, withHint(&usageError{err: config.ErrNoConfig}, "pass --config W/server.toml (made by securemedia init)")
	}
	cfg, err := config.LoadServer(path)
	if err != nil {
		return nil, nil, configLoadError(err, "check the path given to --config")
	}
	if ctx == nil {
		ctx = context.Background()
	}
	s, err := deploy.OpenLicenseStore(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	return s, cfg, nil
}

// storeCall is one run of an operator command on the license store.
type storeCall struct {
	cmd   *cobra.Command
	args  []string
	store license.Store
	cfg   *config.Server
}

// onLicenseStore is the RunE of a command on the license store that
// server.toml (*configPath) names: run runs with the store open.
func onLicenseStore(configPath *string, run func(c *storeCall) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		s, cfg, err := openLicenseStore(cmd.Context(), *configPath)
		if err != nil {
			return err
		}
		defer s.Close()
		return run(&storeCall{cmd: cmd, args: args, store: s, cfg: cfg})
	}
}

// onLicense is the RunE of a command on the one license that the
// LICENSE-ID argument or --user and --media name.
func onLicense(f *licenseFlags, run func(c *storeCall, l license.License) error) func(*cobra.Command, []string) error {
	return onLicenseStore(&f.config, func(c *storeCall) error {
		l, err := findLicense(c.cmd.Context(), c.store, *f, c.args)
		if err != nil {
			return err
		}
		return run(c, l)
	})
}

// serverConfigFlag registers --config, the server.toml of an operator
// command on the license store.
func serverConfigFlag(cmd *cobra.Command, path *string) {
	cmd.Flags().StringVar(path, "config", "", "server configuration file (server.toml)")
}

// findLicense resolves a license from an id argument or --user and --media.
func findLicense(ctx context.Context, s license.Store, f licenseFlags, args []string) (license.License, error) {
	ref := deploy.LicenseRef{User: f.user, Media: f.media}
	if len(args) == 1 {
		ref.ID = args[0]
	}
	l, err := deploy.FindLicense(ctx, s, ref)
	switch {
	case errors.Is(err, deploy.ErrNoLicenseRef):
		return l, withHint(usageErrorf("which license? give its id or --user and --media"), "securemedia license list shows them")
	case errors.Is(err, license.ErrNotFound):
		return l, withHint(err, "securemedia license list shows the licenses")
	}
	return l, err
}

// licenseJSON is the JSON form of a license for scripts.
type licenseJSON struct {
	ID        string     `json:"id"`
	User      string     `json:"user"`
	Media     string     `json:"media"`
	Views     int        `json:"views"`
	Period    string     `json:"period,omitempty"`
	ViewsUsed int        `json:"views_used"`
	ViewsLeft int        `json:"views_left"`
	IssuedAt  time.Time  `json:"issued_at"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
	Revoked   bool       `json:"revoked"`
	Reason    string     `json:"revoke_reason,omitempty"`
}

func printLicenses(w io.Writer, ls []license.License, asJSON bool) error {
	now := time.Now()
	return writeListing(w, ls, asJSON, func(l license.License) licenseJSON {
		j := licenseJSON{ID: l.ID, User: l.UserID, Media: l.MediaID, Views: l.Policy.Views, ViewsUsed: l.ViewsUsed,
			ViewsLeft: l.ViewsLeft(), IssuedAt: l.IssuedAt, ExpiresAt: timeOrNil(l.ExpiresAt), Revoked: l.Revoked, Reason: l.RevokeReason}
		if l.Policy.Period != 0 {
			j.Period = l.Policy.Period.String()
		}
		return j
	}, "no licenses", "ID\tUSER\tMEDIA\tPOLICY\tUSED\tEXPIRES\tSTATE", func(l license.License) string {
		expires := "-"
		if !l.ExpiresAt.IsZero() {
			expires = l.ExpiresAt.Local().Format(time.DateTime)
		}
		state := "active"
		switch err := l.Playable(now); {
		case l.Revoked:
			state = "revoked: " + l.RevokeReason
		case errors.Is(err, license.ErrExpired):
			state = "expired"
		case errors.Is(err, license.ErrExhausted):
			state = "exhausted"
		}
		return fmt.Sprintf("%s\t%s\t%s\t%s\t%d\t%s\t%s\n", l.ID, l.UserID, l.MediaID, l.Policy, l.ViewsUsed, expires, state)
	})
}

func newLicensePlaysCommand() *cobra.Command {
	var f licenseFlags
	var state string
	cmd := &cobra.Command{
		Use:   "plays",
		Short: "List plays, newest first, optionally of one user, media item or state",
		Long: `plays lists the plays the license store keeps: who played what from which
device, how far it got (the next chunk to deliver of the item's chunks), its
state (started: requested, nothing delivered, no view used; counted: its
first chunk delivered and its view used; completed; abandoned: its window
ended; refunded: the server failed it and restored its view), how often it
resumed after a lost connection, and why it ended.`,
		Example: `  securemedia license plays --config W/server.toml
  securemedia license plays --config W/server.toml --user PNOBE-12345678 --media 3f2a9c0123456789abcdef0123456789
  securemedia license plays --config W/server.toml --state refunded --json`,
		Args: cobra.NoArgs,
		RunE: onLicenseStore(&f.config, func(c *storeCall) error {
			filter := license.PlayFilter{UserID: f.user, MediaID: f.media}
			if state != "" {
				st, err := license.ParsePlayState(state)
				if err != nil {
					return withHint(err, "states are started, counted, completed, abandoned and refunded")
				}
				filter.State = st
			}
			ps, err := c.store.ListPlays(c.cmd.Context(), filter)
			if err != nil {
				return err
			}
			return printPlays(c.cmd.OutOrStdout(), ps, f.json)
		}),
	}
	f.addCommon(cmd)
	cmd.Flags().StringVar(&state, "state", "", "only plays in this state")
	return cmd
}

// playJSON is the JSON form of a play for scripts.
type playJSON struct {
	ID        string     `json:"id"`
	User      string     `json:"user"`
	Device    string     `json:"device"`
	Media     string     `json:"media"`
	License   string     `json:"license"`
	State     string     `json:"state"`
	NextChunk uint32     `json:"next_chunk"`
	Chunks    uint32     `json:"chunks"`
	Resumes   int        `json:"resumes"`
	CreatedAt time.Time  `json:"created_at"`
	CountedAt *time.Time `json:"counted_at,omitempty"`
	EndedAt   *time.Time `json:"ended_at,omitempty"`
	ExpiresAt time.Time  `json:"expires_at"`
	Reason    string     `json:"reason,omitempty"`
}

// timeOrNil is t for JSON, nil when it is zero.
func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func printPlays(w io.Writer, ps []license.Play, asJSON bool) error {
	return writeListing(w, ps, asJSON, func(p license.Play) playJSON {
		return playJSON{ID: p.ID, User: p.UserID, Device: p.Device, Media: p.MediaID, License: p.LicenseID,
			State: p.State.String(), NextChunk: p.NextChunk, Chunks: p.Chunks, Resumes: p.Resumes, CreatedAt: p.CreatedAt,
			CountedAt: timeOrNil(p.CountedAt), EndedAt: timeOrNil(p.EndedAt), ExpiresAt: p.ExpiresAt, Reason: p.Reason}
	}, "no plays", "ID\tUSER\tMEDIA\tSTATE\tCHUNKS\tRESUMES\tSTARTED\tREASON", func(p license.Play) string {
		return fmt.Sprintf("%s\t%s\t%s\t%s\t%d/%d\t%d\t%s\t%s\n", p.ID, p.UserID, p.MediaID, p.State, p.NextChunk, p.Chunks,
			p.Resumes, p.CreatedAt.Local().Format(time.DateTime), printable(orDash(p.Reason)))
	})
}
