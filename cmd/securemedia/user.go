package main

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"securemedia/internal/deploy"
	"securemedia/license"
	"securemedia/pki"
)

func newUserCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "user",
		Short: "Register viewers from their authentication certificates: add, list, disable, enable",
		Long: `A viewer is registered offline from their authentication certificate (the
identity card's CITIZEN AUTHENTICATION CERTIFICATE). The identity is the
certificate's subject serialNumber attribute, as the card carries it; the
server maps every login to a registered, enabled user. Users live in the
license database named in server.toml.`,
		Example: `  securemedia user add --config W/server.toml --cert alice-auth.crt --name "Alice"
  securemedia user list --config W/server.toml
  securemedia user disable --config W/server.toml PNOBE-12345678
  securemedia user enable --config W/server.toml PNOBE-12345678`,
	}
	cmd.AddCommand(newUserAddCommand(), newUserListCommand(), newUserSetDisabledCommand(true), newUserSetDisabledCommand(false))
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
				if errors.Is(err, license.ErrUserExists) {
					return withHint(fmt.Errorf("user %s: %w", u.ID, err), "securemedia user list shows the registered users")
				}
				return err
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
		verb, short = "disable", "Disable a user: the server refuses their logins and plays"
	}
	cmd := &cobra.Command{
		Use:     verb + " ID",
		Short:   short,
		Example: "  securemedia user " + verb + " --config W/server.toml PNOBE-12345678",
		Args:    cobra.ExactArgs(1),
		RunE: onLicenseStore(&configPath, func(c *storeCall) error {
			id := c.args[0]
			if err := c.store.SetUserDisabled(c.cmd.Context(), id, disable, time.Now()); err != nil {
				if errors.Is(err, license.ErrUnknownUser) {
					return withHint(fmt.Errorf("user %s: %w", id, err), "securemedia user list shows the registered users")
				}
				return err
			}
			fmt.Fprintf(c.cmd.ErrOrStderr(), "%sd user %s\n", verb, id)
			return nil
		}),
	}
	serverConfigFlag(cmd, &configPath)
	return cmd
}

type userJSON struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	CertSHA256 string    `json:"cert_sha256"`
	Disabled   bool      `json:"disabled"`
	Added      time.Time `json:"added"`
}

func printUsers(w io.Writer, us []license.User, asJSON bool) error {
	return writeListing(w, us, asJSON, func(u license.User) userJSON {
		return userJSON{ID: u.ID, Name: u.Name, CertSHA256: hex.EncodeToString(u.CertSHA256[:]), Disabled: u.Disabled, Added: u.Added}
	}, "no users", "ID\tNAME\tSTATE\tADDED\tCERT SHA-256", func(u license.User) string {
		state := "enabled"
		if u.Disabled {
			state = "disabled"
		}
		return fmt.Sprintf("%s\t%s\t%s\t%s\t%s\n", u.ID, u.Name, state, u.Added.Local().Format(time.DateTime), hex.EncodeToString(u.CertSHA256[:8]))
	})
}
