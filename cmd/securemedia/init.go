package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"securemedia/internal/config"
	"securemedia/internal/secret"
	"securemedia/license"
	licstore "securemedia/license/store"
	"securemedia/media"
	"securemedia/pki"
	"securemedia/token/provision"
)

// Workspace file names, relative to the workspace directory.
const (
	wsServerConfig = "server.toml"
	wsClientConfig = "client.toml"
	wsPKI          = "pki"
	wsData         = "data"
	wsMasterPass   = "master-passphrase"
	wsToken        = "token"
	defaultListen  = "127.0.0.1:8443"
)

func newInitCommand() *cobra.Command {
	var o initOptions
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
			if o.dir == "" {
				return withHint(usageErrorf("no workspace directory"), "give one with --dir W")
			}
			ws, err := initWorkspace(cmd.Context(), o, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "workspace ready in %s\n  server: securemedia server --config %s\n  client: securemedia catalog --config %s\n",
				o.dir, ws.serverConfig, ws.clientConfig)
			return nil
		},
	}
	cmd.Flags().StringVar(&o.dir, "dir", "", "the workspace directory to create")
	cmd.Flags().StringVar(&o.listen, "listen", defaultListen, "the address the server will listen on")
	cmd.Flags().BoolVar(&o.softwareToken, "software-token", false, "use a software token even when SoftHSM2 is installed")
	cmd.Flags().BoolVar(&o.force, "force", false, "overwrite an existing workspace's configuration")
	cmd.Flags().StringVar(&o.keyAlg, "key-alg", "", "key algorithm of the PKI (ecdsa-p256, ecdsa-p384, ed25519, rsa-3072)")
	return cmd
}

type initOptions struct {
	dir           string
	listen        string
	softwareToken bool
	force         bool
	keyAlg        string
	// argon2 overrides the master-key costs (tests).
	argon2 *media.Argon2Params
	// protocol adjusts the generated [protocol] section (the demo lowers
	// the rekey threshold so that a short file shows a rekey).
	protocol config.Protocol
}

type workspace struct {
	dir, serverConfig, clientConfig string
	tokenKind                       string
	userID                          string
}

// initWorkspace creates a workspace; log receives progress lines.
func initWorkspace(ctx context.Context, o initOptions, log io.Writer) (*workspace, error) {
	if o.listen == "" {
		o.listen = defaultListen
	}
	ws := &workspace{dir: o.dir, serverConfig: filepath.Join(o.dir, wsServerConfig), clientConfig: filepath.Join(o.dir, wsClientConfig)}
	if _, err := os.Stat(ws.serverConfig); err == nil && !o.force {
		return nil, withHint(fmt.Errorf("%s already exists", ws.serverConfig), "choose another --dir, or --force to overwrite its configuration")
	}
	if err := os.MkdirAll(o.dir, 0o700); err != nil {
		return nil, err
	}
	if o.force {
		for _, p := range []string{wsPKI, wsData, wsToken, wsMasterPass} {
			if err := os.RemoveAll(filepath.Join(o.dir, p)); err != nil {
				return nil, err
			}
		}
	}

	// The PKI, with the offline tooling of `securemedia pki`.
	alg, err := pki.ParseKeyAlgorithm(o.keyAlg)
	if err != nil {
		return nil, withHint(err, "use ecdsa-p256, ecdsa-p384, ed25519 or rsa-3072")
	}
	pw, err := pki.Bootstrap(filepath.Join(o.dir, wsPKI), pki.BootstrapOptions{KeyAlgorithm: alg})
	if err != nil {
		return nil, fmt.Errorf("pki: %w", err)
	}
	fmt.Fprintf(log, "pki: root and intermediate CA, server, client device, content and license certificates in %s\n", filepath.Join(o.dir, wsPKI))

	// The master passphrase and the media store.
	pass := make([]byte, 32)
	if _, err := rand.Read(pass); err != nil {
		return nil, err
	}
	passText := []byte(base64.RawURLEncoding.EncodeToString(pass))
	secret.Erase(pass)
	defer secret.Erase(passText)
	if err := secret.WriteFile(filepath.Join(o.dir, wsMasterPass), passText); err != nil {
		return nil, fmt.Errorf("master passphrase: %w", err)
	}
	dataDir := filepath.Join(o.dir, wsData)
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, err
	}
	params := media.DefaultArgon2Params()
	if o.argon2 != nil {
		params = *o.argon2
	}
	kek, err := media.PassphraseKEK(dataDir, passText, params)
	if err != nil {
		return nil, fmt.Errorf("media store: %w", err)
	}
	if _, err := media.OpenStore(dataDir, kek, media.StoreOptions{}); err != nil {
		return nil, fmt.Errorf("media store: %w", err)
	}
	fmt.Fprintf(log, "media store: %s (master key from %s, Argon2id)\n", dataDir, filepath.Join(o.dir, wsMasterPass))

	// The viewer's identity card, and its holder registered as a user.
	card, kind, err := createDemoCard(filepath.Join(o.dir, wsToken), provision.DemoCardOptions{HolderName: "Demo Viewer"}, o.softwareToken)
	if err != nil {
		return nil, fmt.Errorf("demo identity card: %w", err)
	}
	ws.tokenKind, ws.userID = kind, card.SerialNumber
	lic, err := licstore.Open(ctx, "", dataDir)
	if err != nil {
		return nil, fmt.Errorf("license store: %w", err)
	}
	defer lic.Close()
	err = lic.AddUser(ctx, license.User{ID: card.SerialNumber, Name: card.UserCert.Subject.CommonName, CertSHA256: sha256.Sum256(card.UserCert.Raw)})
	if err != nil && !errors.Is(err, license.ErrUserExists) {
		return nil, fmt.Errorf("register the demo user: %w", err)
	}
	fmt.Fprintf(log, "identity card: %s, holder %q (%s) registered as a user\n", kind, card.UserCert.Subject.CommonName, card.SerialNumber)

	rel := func(p string) string {
		r, err := filepath.Rel(o.dir, p)
		if err != nil {
			return p
		}
		return r
	}
	relAll := func(ps []string) []string {
		out := make([]string, len(ps))
		for i, p := range ps {
			out[i] = rel(p)
		}
		return out
	}
	trust := config.Trust{Roots: []string{rel(pw.Root)}, Intermediates: []string{rel(pw.Intermediate)}, CRLs: relAll(pw.CRLs)}
	srv := config.Server{
		Listen:   o.listen,
		DataDir:  wsData,
		Identity: config.Identity{Certificate: rel(pw.ServerChain), Key: rel(pw.ServerKey)},
		Trust:    trust,
		Protocol: o.protocol,
		PKI:      config.PKISection{CADir: rel(pw.CADir)},
		Media: config.MediaSection{MasterPassphraseFile: wsMasterPass,
			ContentCertificate: rel(pw.ContentChain), ContentKey: rel(pw.ContentKey)},
		Users: config.UsersSection{TrustAnchors: []string{rel(card.RootCertPath)}, Intermediates: []string{rel(card.SubCACertPath)},
			CRLs: []string{rel(card.RootCRLPath), rel(card.SubCACRLPath)}},
		License: config.LicenseSection{SigningCertificate: rel(pw.LicenseChain), SigningKey: rel(pw.LicenseKey)},
	}
	if err := config.Write(ws.serverConfig, &srv); err != nil {
		return nil, err
	}
	tok, err := demoTokenSection(o.dir, card)
	if err != nil {
		return nil, err
	}
	cli := config.Client{
		Server:   "http://" + o.listen,
		Identity: config.Identity{Certificate: rel(pw.ClientChain), Key: rel(pw.ClientKey)},
		Trust:    trust,
		Protocol: o.protocol,
		Token:    tok,
	}
	if err := config.Write(ws.clientConfig, &cli); err != nil {
		return nil, err
	}
	return ws, nil
}
