package main

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"securemedia/internal/deploy"
	"securemedia/license"
	"securemedia/pki"
)

func newUserCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "user",
		Short: "Register viewers: card holders (add) and browser viewers (invite); list, disable, enable, devices",
		Long: `A card holder is registered offline from their authentication certificate
(the identity card's CITIZEN AUTHENTICATION CERTIFICATE). The identity is
the certificate's subject serialNumber attribute, as the card carries it;
the server maps every login to a registered, enabled user.

A browser viewer is invited: "user invite" prints a one-time code and the
page's link with the code in its fragment (which no browser sends to a
server). The viewer's browser registers a WebAuthn credential (a security
key, a platform authenticator or a passkey) with it and binds its own
device key to the new user, whose id is web- and 16 hex digits; each login
is a WebAuthn assertion from that device. "user devices" lists the
browser devices, "user remove-device" removes one for good.

A disabled user, or a removed device, cannot log in, and their sessions
end at their next fetch. Users live in the license database named in
server.toml.`,
		Example: `  securemedia user add --config W/server.toml --cert alice-auth.crt --name "Alice"
  securemedia user invite --config W/server.toml --name "Bob" --expires 48h
  securemedia user list --config W/server.toml
  securemedia user devices --config W/server.toml web-0123456789abcdef
  securemedia user remove-device --config W/server.toml 5c1e...
  securemedia user disable --config W/server.toml PNOBE-12345678
  securemedia user enable --config W/server.toml PNOBE-12345678`,
	}
	cmd.AddCommand(newUserAddCommand(), newUserInviteCommand(), newUserListCommand(), newUserDevicesCommand(), newUserRemoveDeviceCommand(),
		newUserSetDisabledCommand(true), newUserSetDisabledCommand(false))
	return cmd
}

func newUserInviteCommand() *cobra.Command {
	var configPath, name string
	var expires time.Duration
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "invite",
		Short: "Invite a browser viewer: print a one-time code and the page's link with it",
		Long: `Prints a one-time invite code, then the page's link with the code in the
URL fragment, on stdout (with --json, both in one document). The viewer
opens the link, or types the code into the page, and registers a WebAuthn
credential; the code works once, until it expires. The database keeps only
its hash. Needs [web] rp_id and origins in server.toml; the link is on the
first origin.`,
		Example: `  securemedia user invite --config W/server.toml
  securemedia user invite --config W/server.toml --name "Bob Martin" --expires 72h --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, cfg, err := openLicenseStore(cmd.Context(), configPath)
			if err != nil {
				return err
			}
			defer s.Close()
			inv, err := deploy.Invite(cmd.Context(), cfg, s, name, expires, time.Now())
			switch {
			case errors.Is(err, deploy.ErrNoWeb):
				return withHint(err, "add a [web] section to "+cfg.File()+`: rp_id = "localhost" and origins = ["http://localhost:8443"], the page's host and origin`)
			case errors.Is(err, license.ErrInvalidInput):
				return withHint(err, "give a shorter --name")
			case errors.Is(err, deploy.ErrInviteValidity):
				return withHint(fmt.Errorf("--expires: %w", err), "give --expires between 1m and 720h")
			case err != nil:
				return err
			}
			if asJSON {
				return writeJSON(cmd.OutOrStdout(), inviteJSON{Code: inv.Code, URL: inv.URL, Name: inv.Name, Expires: inv.Expires})
			}
			fmt.Fprintln(cmd.OutOrStdout(), inv.Code)
			fmt.Fprintln(cmd.OutOrStdout(), inv.URL)
			who := "a viewer"
			if inv.Name != "" {
				who = inv.Name
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "invited %s: the code works once, until %s; give them the code or the link\n", who, inv.Expires.Local().Format(time.DateTime))
			return nil
		},
	}
	serverConfigFlag(cmd, &configPath)
	cmd.Flags().StringVar(&name, "name", "", "the viewer's display name (default: the one their browser gives)")
	cmd.Flags().DurationVar(&expires, "expires", 24*time.Hour, "how long the code works (1m to 720h)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

type inviteJSON struct {
	Code    string    `json:"code"`
	URL     string    `json:"url"`
	Name    string    `json:"name"`
	Expires time.Time `json:"expires"`
}

func newUserDevicesCommand() *cobra.Command {
	var configPath string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "devices [USER]",
		Short: "List browser devices (all, or one user's)",
		Long: `Lists the browser devices bound to viewers at registration: each is named
by the SHA-256 of its key (what "user remove-device" takes), with its
user, when it was registered and whether it was removed.`,
		Example: `  securemedia user devices --config W/server.toml
  securemedia user devices --config W/server.toml web-0123456789abcdef --json`,
		Args: cobra.MaximumNArgs(1),
		RunE: onLicenseStore(&configPath, func(c *storeCall) error {
			user := ""
			if len(c.args) == 1 {
				user = c.args[0]
				if _, err := c.store.GetUser(c.cmd.Context(), user); err != nil {
					return userError(user, err, license.ErrUnknownUser)
				}
			}
			ds, err := c.store.ListDevices(c.cmd.Context(), user)
			if err != nil {
				return err
			}
			return printDevices(c.cmd.OutOrStdout(), ds, asJSON)
		}),
	}
	serverConfigFlag(cmd, &configPath)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

type deviceJSON struct {
	Device  string     `json:"device"`
	User    string     `json:"user"`
	Added   time.Time  `json:"added"`
	Removed *time.Time `json:"removed,omitempty"`
}

func printDevices(w io.Writer, ds []license.Device, asJSON bool) error {
	return writeListing(w, ds, asJSON, func(d license.Device) deviceJSON {
		j := deviceJSON{Device: d.SPKI, User: d.UserID, Added: d.CreatedAt}
		if !d.RemovedAt.IsZero() {
			j.Removed = &d.RemovedAt
		}
		return j
	}, "no browser devices", "DEVICE (SHA-256 OF ITS KEY)\tUSER\tSTATE\tADDED", func(d license.Device) string {
		state := "active"
		if !d.RemovedAt.IsZero() {
			state = "removed " + d.RemovedAt.Local().Format(time.DateTime)
		}
		return fmt.Sprintf("%s\t%s\t%s\t%s\n", d.SPKI, d.UserID, state, d.CreatedAt.Local().Format(time.DateTime))
	})
}

func newUserRemoveDeviceCommand() *cobra.Command {
	var configPath string
	cmd := &cobra.Command{
		Use:     "remove-device SPKI-HASH",
		Short:   "Remove a browser device for good: it cannot log in, its sessions end at their next fetch",
		Example: `  securemedia user remove-device --config W/server.toml 5c1e0f...   # as "user devices" lists it`,
		Args:    cobra.ExactArgs(1),
		RunE: onLicenseStore(&configPath, func(c *storeCall) error {
			name := strings.ToLower(c.args[0])
			d, err := c.store.RemoveDevice(c.cmd.Context(), name, time.Now())
			switch {
			case errors.Is(err, license.ErrInvalidInput):
				return withHint(fmt.Errorf("device %q: %w", c.args[0], err), "securemedia user devices lists the devices by the SHA-256 of their key")
			case errors.Is(err, license.ErrUnknownDevice), errors.Is(err, license.ErrDeviceRemoved):
				return withHint(fmt.Errorf("device %s: %w", name, err), "securemedia user devices lists the devices")
			case err != nil:
				return err
			}
			fmt.Fprintf(c.cmd.ErrOrStderr(), "removed device %s of user %s\n", d.SPKI, d.UserID)
			return nil
		}),
	}
	serverConfigFlag(cmd, &configPath)
	return cmd
}

func newUserAddCommand() *cobra.Command {
	var configPath, certPath, name string
	cmd := &cobra.Command{
		Use:   "add",
		Short: "Register a user from an authentication certificate (PEM or DER)",
		Long: `add registers the holder of an authentication certificate (PEM or DER,
leaf first, possibly followed by its sub-CA) as a user. The certificate is
validated first as the server validates a login: against [users]
trust_anchors, intermediates and crls in server.toml, with revocation; a
certificate the server would refuse is not registered.`,
		Example: `  securemedia user add --config W/server.toml --cert alice-auth.crt
  securemedia user add --config W/server.toml --cert card.der --name "Alice Martin"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if certPath == "" {
				return withHint(usageErrorf("user add needs --cert"), "export the card's authentication certificate to a file first")
			}
			certs, err := pki.LoadCertificates(certPath)
			if err != nil {
				return withHint(fmt.Errorf("certificate %s: %w", certPath, err), "give the path of a PEM or DER X.509 certificate with --cert")
			}
			// The user's certificate is the first (leaf) of the file.
			u, err := deploy.UserFromCertificate(certs[0], name, time.Now())
			if err != nil {
				return withHint(fmt.Errorf("certificate %s has %w", certPath, err),
					"register the user's authentication certificate, which carries their identity number")
			}
			s, cfg, err := openLicenseStore(cmd.Context(), configPath)
			if err != nil {
				return err
			}
			defer s.Close()
			// The server would refuse a card its [users] trust does not
			// validate: registering it would only look like it worked.
			var ue *deploy.UserCertificateError
			if err := deploy.VerifyUserCertificate(cfg, certs); errors.As(err, &ue) {
				return withHint(fmt.Errorf("certificate %s: %w", certPath, err),
					"register a certificate of the identity-card issuer named in [users] trust_anchors and intermediates, valid and not revoked")
			} else if err != nil {
				return err
			}
			if err := s.AddUser(cmd.Context(), u); err != nil {
				return userError(u.ID, err, license.ErrUserExists)
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "registered user %s (%s)\n", u.ID, u.Name)
			return nil
		},
	}
	serverConfigFlag(cmd, &configPath)
	cmd.Flags().StringVar(&certPath, "cert", "", "the user's authentication certificate (PEM or DER)")
	cmd.Flags().StringVar(&name, "name", "", "display name (default: the certificate's common name)")
	return cmd
}

func newUserListCommand() *cobra.Command {
	var configPath string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List registered users",
		Example: `  securemedia user list --config W/server.toml
  securemedia user list --config W/server.toml --json`,
		Args: cobra.NoArgs,
		RunE: onLicenseStore(&configPath, func(c *storeCall) error {
			us, err := c.store.ListUsers(c.cmd.Context())
			if err != nil {
				return err
			}
			return printUsers(c.cmd.OutOrStdout(), us, asJSON)
		}),
	}
	serverConfigFlag(cmd, &configPath)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func newUserSetDisabledCommand(disable bool) *cobra.Command {
	var configPath string
	verb, short := "enable", "Enable a disabled user again"
	if disable {
		verb, short = "disable", "Disable a user: the server refuses their logins, and their sessions end at their next fetch"
	}
	cmd := &cobra.Command{
		Use:     verb + " ID",
		Short:   short,
		Example: "  securemedia user " + verb + " --config W/server.toml PNOBE-12345678",
		Args:    cobra.ExactArgs(1),
		RunE: onLicenseStore(&configPath, func(c *storeCall) error {
			id := c.args[0]
			if err := c.store.SetUserDisabled(c.cmd.Context(), id, disable, time.Now()); err != nil {
				return userError(id, err, license.ErrUnknownUser)
			}
			fmt.Fprintf(c.cmd.ErrOrStderr(), "%sd user %s\n", verb, id)
			return nil
		}),
	}
	serverConfigFlag(cmd, &configPath)
	return cmd
}

// userError names the user in err and, when err is the refusal about
// user, hints at the list of users.
func userError(id string, err, refusal error) error {
	if errors.Is(err, refusal) {
		return withHint(fmt.Errorf("user %s: %w", id, err), "securemedia user list shows the registered users")
	}
	return err
}

type userJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// CertSHA256 is empty for a browser viewer, who has no certificate.
	CertSHA256 string    `json:"cert_sha256"`
	Disabled   bool      `json:"disabled"`
	Added      time.Time `json:"added"`
	// Login is "card" or "webauthn".
	Login string `json:"login"`
}

func printUsers(w io.Writer, us []license.User, asJSON bool) error {
	return writeListing(w, us, asJSON, func(u license.User) userJSON {
		j := userJSON{ID: u.ID, Name: u.Name, Login: "card", Disabled: u.Disabled, Added: u.Added}
		if u.Browser() {
			j.Login = "webauthn"
		} else {
			j.CertSHA256 = hex.EncodeToString(u.CertSHA256[:])
		}
		return j
	}, "no users", "ID\tNAME\tSTATE\tADDED\tCERT SHA-256", func(u license.User) string {
		state := "enabled"
		if u.Disabled {
			state = "disabled"
		}
		cert := hex.EncodeToString(u.CertSHA256[:8])
		if u.Browser() {
			cert = "(webauthn)"
		}
		return fmt.Sprintf("%s\t%s\t%s\t%s\t%s\n", u.ID, u.Name, state, u.Added.Local().Format(time.DateTime), cert)
	})
}
