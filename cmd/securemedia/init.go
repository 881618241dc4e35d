package main

import (
	"errors"
	"fmt"

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

Keys are written with mode 0600.`,
		Example: `  securemedia init --dir W
  securemedia init --dir W --listen 127.0.0.1:9000 --software-token`,
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
			ws, err := deploy.InitWorkspace(cmd.Context(), o, cmd.ErrOrStderr())
			var exists *deploy.ExistsError
			if errors.As(err, &exists) {
				return withHint(err, "choose another --dir, or --force to overwrite its configuration")
			}
			if err != nil {
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
	cmd.Flags().BoolVar(&o.Force, "force", false, "overwrite an existing workspace's configuration")
	cmd.Flags().StringVar(&keyAlg, "key-alg", "", "key algorithm of the PKI (ecdsa-p256, ecdsa-p384, ed25519, rsa-3072)")
	return cmd
}
