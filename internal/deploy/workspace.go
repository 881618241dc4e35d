package deploy

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"securemedia/internal/config"
	"securemedia/internal/secret"
	"securemedia/media"
	"securemedia/pki"
	"securemedia/token/provision"
)

// Workspace file names, relative to the workspace directory.
const (
	ServerConfigFile = "server.toml"
	ClientConfigFile = "client.toml"
	PKIDir           = "pki"
	DataDir          = "data"
	MasterPassFile   = "master-passphrase"
	TokenDir         = "token"
	// DefaultListen is where a new workspace's server listens.
	DefaultListen = "127.0.0.1:8443"
)

// InitOptions say what workspace to create.
type InitOptions struct {
	Dir    string
	Listen string
	// SoftwareToken makes the demo card a software token even when
	// SoftHSM2 is installed.
	SoftwareToken bool
	// Force overwrites an existing workspace.
	Force bool
	// KeyAlgorithm of the PKI ("" is the default, ECDSA P-256).
	KeyAlgorithm pki.KeyAlgorithm
	// Argon2 overrides the master-key costs (tests, the demo).
	Argon2 *media.Argon2Params
	// Protocol is the generated [protocol] section of both files (the demo
	// lowers the rekey threshold so that a short file shows a rekey).
	Protocol config.Protocol
}

// Workspace is a created workspace.
type Workspace struct {
	Dir, ServerConfig, ClientConfig string
	// TokenKind says what the demo card is ("SoftHSM2 token", ...).
	TokenKind string
	// UserID is the registered demo user (the card's serialNumber).
	UserID string
	// UserName is the card holder's name.
	UserName string
}

// ExistsError means the directory already holds a workspace.
type ExistsError struct{ Path string }

func (e *ExistsError) Error() string { return e.Path + " already exists" }

// InitWorkspace creates everything a server and a client need in o.Dir: a
// PKI (pki.Bootstrap), a generated master passphrase and the encrypted
// media store, a demo identity card issued by a throwaway citizen CA with
// its holder registered as a user, and server.toml and client.toml with
// paths relative to the directory. log receives one line per step.
func InitWorkspace(ctx context.Context, o InitOptions, log io.Writer) (*Workspace, error) {
	if o.Listen == "" {
		o.Listen = DefaultListen
	}
	ws := &Workspace{Dir: o.Dir, ServerConfig: filepath.Join(o.Dir, ServerConfigFile), ClientConfig: filepath.Join(o.Dir, ClientConfigFile)}
	if _, err := os.Stat(ws.ServerConfig); err == nil && !o.Force {
		return nil, &ExistsError{Path: ws.ServerConfig}
	}
	if err := os.MkdirAll(o.Dir, 0o700); err != nil {
		return nil, err
	}
	if o.Force {
		for _, p := range []string{PKIDir, DataDir, TokenDir, MasterPassFile} {
			if err := os.RemoveAll(filepath.Join(o.Dir, p)); err != nil {
				return nil, err
			}
		}
	}

	// The PKI, with the offline tooling of `securemedia pki`.
	pw, err := pki.Bootstrap(filepath.Join(o.Dir, PKIDir), pki.BootstrapOptions{KeyAlgorithm: o.KeyAlgorithm})
	if err != nil {
		return nil, fmt.Errorf("pki: %w", err)
	}
	fmt.Fprintf(log, "pki: root and intermediate CA, server, client device, content and license certificates in %s\n", filepath.Join(o.Dir, PKIDir))

	// The master passphrase and the media store.
	passFile := filepath.Join(o.Dir, MasterPassFile)
	dataDir := filepath.Join(o.Dir, DataDir)
	if err := createMediaStore(dataDir, passFile, o.Argon2); err != nil {
		return nil, err
	}
	fmt.Fprintf(log, "media store: %s (master key from %s, Argon2id)\n", dataDir, passFile)

	// The viewer's identity card, and its holder registered as a user.
	card, kind, err := DemoCard(filepath.Join(o.Dir, TokenDir), provision.DemoCardOptions{HolderName: "Demo Viewer"}, o.SoftwareToken)
	if err != nil {
		return nil, fmt.Errorf("demo identity card: %w", err)
	}
	ws.TokenKind, ws.UserID, ws.UserName = kind, card.SerialNumber, card.UserCert.Subject.CommonName
	rel := relativeTo(o.Dir)
	srv := config.Server{
		Listen:   o.Listen,
		DataDir:  DataDir,
		Identity: config.Identity{Certificate: rel(pw.ServerChain), Key: rel(pw.ServerKey)},
		Trust:    trustSection(pw, rel),
		Protocol: o.Protocol,
		PKI:      config.PKISection{CADir: rel(pw.CADir)},
		Media: config.MediaSection{MasterPassphraseFile: MasterPassFile,
			ContentCertificate: rel(pw.ContentChain), ContentKey: rel(pw.ContentKey)},
		Users: config.UsersSection{TrustAnchors: []string{rel(card.RootCertPath)}, Intermediates: []string{rel(card.SubCACertPath)},
			CRLs: []string{rel(card.RootCRLPath), rel(card.SubCACRLPath)}},
		License: config.LicenseSection{SigningCertificate: rel(pw.LicenseChain), SigningKey: rel(pw.LicenseKey)},
	}
	if err := registerCardHolder(ctx, srv.InDir(o.Dir), card.UserCert); err != nil {
		return nil, err
	}
	fmt.Fprintf(log, "identity card: %s, holder %q (%s) registered as a user\n", kind, ws.UserName, ws.UserID)
	if err := config.Write(ws.ServerConfig, &srv); err != nil {
		return nil, err
	}
	tok, err := DemoTokenSection(o.Dir, card)
	if err != nil {
		return nil, err
	}
	cli := config.Client{
		Server:   "http://" + o.Listen,
		Identity: config.Identity{Certificate: rel(pw.ClientChain), Key: rel(pw.ClientKey)},
		Trust:    trustSection(pw, rel),
		Protocol: o.Protocol,
		Token:    tok,
	}
	if err := config.Write(ws.ClientConfig, &cli); err != nil {
		return nil, err
	}
	return ws, nil
}

// createMediaStore writes a generated master passphrase to passFile (0600)
// and creates the store in dataDir under the key derived from it.
func createMediaStore(dataDir, passFile string, argon2 *media.Argon2Params) error {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return err
	}
	pass := []byte(base64.RawURLEncoding.EncodeToString(raw))
	secret.Erase(raw)
	defer secret.Erase(pass)
	if err := secret.WriteFile(passFile, pass); err != nil {
		return fmt.Errorf("master passphrase: %w", err)
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return err
	}
	params := media.DefaultArgon2Params()
	if argon2 != nil {
		params = *argon2
	}
	kek, err := media.PassphraseKEK(dataDir, pass, params)
	if err != nil {
		return fmt.Errorf("media store: %w", err)
	}
	if _, err := media.OpenStore(dataDir, kek, media.StoreOptions{}); err != nil {
		return fmt.Errorf("media store: %w", err)
	}
	return nil
}

// trustSection is the [trust] section of a workspace: its root,
// intermediate and CRLs.
func trustSection(pw *pki.Workspace, rel func(string) string) config.Trust {
	crls := make([]string, len(pw.CRLs))
	for i, p := range pw.CRLs {
		crls[i] = rel(p)
	}
	return config.Trust{Roots: []string{rel(pw.Root)}, Intermediates: []string{rel(pw.Intermediate)}, CRLs: crls}
}

// relativeTo returns a function that makes paths relative to dir (so that
// a workspace can be moved as a whole), keeping a path it cannot.
func relativeTo(dir string) func(string) string {
	return func(p string) string {
		r, err := filepath.Rel(dir, p)
		if err != nil {
			return p
		}
		return r
	}
}
