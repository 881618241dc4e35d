package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"

	"github.com/spf13/cobra"

	"securemedia/internal/deploy"
	"securemedia/pki"
)

func newInitCommand() *cobra.Command {
	var o deploy.InitOptions
	var keyAlg string
	cmd := &cobra.Command{
		Use:   "init --dir W",
		Short: "Create a workspace: PKI, server.toml, client.toml, media store, demo identity card",
		Long: `init creates everything a server and a client need in directory W:

  W/pki/                 a root CA and an intermediate (offline tooling: securemedia pki),
                         the server, client-device, content-signing and license-signing
                         certificates, and the CRLs
  W/data/                the encrypted media store and the license database
  W/master-passphrase    a generated master passphrase (0600) for the demo; in
                         production keep it elsewhere or use the prompt
  W/token/               a demo identity card (SoftHSM2 when installed, otherwise
                         a software token) issued by a throwaway citizen CA, its
                         holder registered as a user, and its PIN (0600)
  W/server.toml, W/client.toml

Keys are written with mode 0600.

On an existing workspace, --force rewrites its configuration (PKI, demo
card, server.toml, client.toml) and refuses where it holds data (media
items, licenses, plays, registered users): they would be orphaned.
--force-data replaces such a workspace too, after a confirmation on a
terminal: the previous workspace is moved, whole, to W/replaced-TIME/, and
nothing is deleted.`,
		Example: `  securemedia init --dir W
  securemedia init --dir W --listen 127.0.0.1:9000 --software-token
  securemedia init --dir W --force --key-alg ed25519
  securemedia init --dir W --force-data`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.Dir == "" {
				return withHint(usageErrorf("no workspace directory"), "give one with --dir W")
			}
			alg, err := pki.ParseKeyAlgorithm(keyAlg)
			if err != nil {
				return withHint(err, "use ecdsa-p256, ecdsa-p384, ed25519 or rsa-3072")
			}
			o.KeyAlgorithm = alg
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt)
			defer stop()
			if o.ForceData {
				if err := confirmReplace(ctx, cmd, o.Dir); err != nil {
					return err
				}
			}
			ws, err := deploy.InitWorkspace(ctx, o, cmd.ErrOrStderr())
			var (
				exists *deploy.ExistsError
				held   *deploy.DataExistsError
			)
			switch {
			case errors.As(err, &exists):
				return withHint(err, "choose another --dir, or --force to rewrite its configuration")
			case errors.As(err, &held):
				return withHint(err, "nothing was changed; init another --dir, or give --force-data to move the previous workspace aside (nothing is deleted)")
			case err != nil:
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "workspace ready in %s\n  server: securemedia server --config %s\n  client: securemedia catalog --config %s\n",
				o.Dir, ws.ServerConfig, ws.ClientConfig)
			return nil
		},
	}
	cmd.Flags().StringVar(&o.Dir, "dir", "", "the workspace directory to create")
	cmd.Flags().StringVar(&o.Listen, "listen", deploy.DefaultListen, "the address the server will listen on")
	cmd.Flags().BoolVar(&o.SoftwareToken, "software-token", false, "use a software token even when SoftHSM2 is installed")
	cmd.Flags().BoolVar(&o.Force, "force", false, "rewrite an existing workspace's configuration (refused where it holds data)")
	cmd.Flags().BoolVar(&o.ForceData, "force-data", false, "replace a workspace that holds data, moving it aside (asks on a terminal)")
	cmd.Flags().StringVar(&keyAlg, "key-alg", "", "key algorithm of the PKI (ecdsa-p256, ecdsa-p384, ed25519, rsa-3072)")
	return cmd
}

// confirmReplace asks on a terminal before init --force-data replaces a
// workspace that holds data; without a terminal the flag is the consent
// (and InitWorkspace says where the data went).
func confirmReplace(ctx context.Context, cmd *cobra.Command, dir string) error {
	if !isTerminal(cmd.InOrStdin()) || !isTerminal(cmd.ErrOrStderr()) {
		return nil
	}
	data, err := deploy.InspectWorkspace(ctx, dir)
	if err != nil || !data.Any() {
		return err
	}
	out := cmd.ErrOrStderr()
	fmt.Fprintf(out, "%s holds %s. Move that workspace aside to %s/replaced-TIME and create a new one? [y/N] ", dir, data, dir)
	line, err := readLine(ctx, bufio.NewReader(cmd.InOrStdin()))
	if ctx.Err() != nil {
		fmt.Fprintln(out)
		return &exitCodeError{code: exitInterrupted, err: errors.New("interrupted; nothing was changed")}
	}
	if err != nil {
		fmt.Fprintln(out)
	}
	if a := strings.ToLower(strings.TrimSpace(line)); a != "y" && a != "yes" {
		return errors.New("not confirmed; nothing was changed")
	}
	return nil
}
