package deploy

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"securemedia/internal/config"
	"securemedia/internal/secret"
	"securemedia/license/store"
	"securemedia/license/store/sqlite"
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
	// Force rewrites an existing workspace's configuration: its PKI, demo
	// card, server.toml and client.toml. It refuses where the workspace
	// holds data (WorkspaceData) unless ForceData.
	Force bool
	// ForceData lets Force replace a workspace that holds data: the
	// previous workspace is moved, whole, into a directory of its own
	// inside Dir (Workspace.Replaced); nothing is deleted.
	ForceData bool
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
	// Replaced is where the previous workspace went (ForceData), "" when
	// there was none or it held no data.
	Replaced string
}

// ExistsError means the directory already holds a workspace.
type ExistsError struct{ Path string }

func (e *ExistsError) Error() string { return e.Path + " already exists" }

// WorkspaceData is what a workspace holds beyond its configuration: what
// init --force must not destroy.
type WorkspaceData struct {
	// Dir is the workspace.
	Dir string
	// MediaItems counts the items of the media store.
	MediaItems int
	// LicenseEvents counts the events of the license database's audit
	// log beyond the demo card holder's registration that init makes:
	// licenses, plays, renewals, users. Zero when there is none.
	LicenseEvents int64
}

// Any reports whether there is data to lose.
func (d WorkspaceData) Any() bool { return d.MediaItems > 0 || d.LicenseEvents > 0 }

// String reads e.g. "2 media items and 7 license database events".
func (d WorkspaceData) String() string {
	var parts []string
	if d.MediaItems > 0 {
		parts = append(parts, plural(d.MediaItems, "media item"))
	}
	if d.LicenseEvents > 0 {
		parts = append(parts, plural(int(d.LicenseEvents), "license database event"))
	}
	if len(parts) == 0 {
		return "no data"
	}
	return strings.Join(parts, " and ")
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// DataExistsError refuses init --force on a workspace that holds data
// without ForceData.
type DataExistsError struct{ Data WorkspaceData }

func (e *DataExistsError) Error() string {
	return fmt.Sprintf("%s holds %s: init --force rewrites configuration only and would orphan them", e.Data.Dir, e.Data)
}

// workspaceEventsOfInit is the audit log of a fresh workspace: the demo
// card holder's registration.
const workspaceEventsOfInit = 1

// InspectWorkspace says what data the workspace in dir holds: the items
// of its media store (counted without the master key) and the audit
// events of its SQLite license database (opened only if it exists).
func InspectWorkspace(ctx context.Context, dir string) (WorkspaceData, error) {
	d := WorkspaceData{Dir: dir}
	dataDir := filepath.Join(dir, DataDir)
	n, err := media.CountItems(dataDir)
	if err != nil {
		return d, err
	}
	d.MediaItems = n
	if _, err := os.Stat(filepath.Join(dataDir, sqlite.FileName)); err != nil {
		return d, nil
	}
	st, err := store.Open(ctx, "", dataDir)
	if err != nil {
		return d, fmt.Errorf("license database: %w", err)
	}
	defer st.Close()
	seq, _, err := st.AuditHead(ctx)
	if err != nil {
		return d, fmt.Errorf("license database: %w", err)
	}
	d.LicenseEvents = max(seq-workspaceEventsOfInit, 0)
	return d, nil
}

// workspaceEntries are what init writes in a workspace directory.
var workspaceEntries = [...]string{PKIDir, DataDir, TokenDir, MasterPassFile, ServerConfigFile, ClientConfigFile}

// moveWorkspaceAside moves the workspace's entries into a new directory
// inside it, named for now, and returns it: the previous workspace, whole
// and usable (its paths are relative), deleted by nobody.
func moveWorkspaceAside(dir string, now time.Time) (string, error) {
	aside := filepath.Join(dir, "replaced-"+now.UTC().Format("20060102T150405Z"))
	if err := os.Mkdir(aside, 0o700); err != nil {
		return "", err
	}
	for _, name := range workspaceEntries {
		err := os.Rename(filepath.Join(dir, name), filepath.Join(aside, name))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return aside, err
		}
	}
	return aside, nil
}

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
	force := o.Force || o.ForceData
	if _, err := os.Stat(ws.ServerConfig); err == nil && !force {
		return nil, &ExistsError{Path: ws.ServerConfig}
	}
	if err := os.MkdirAll(o.Dir, 0o700); err != nil {
		return nil, err
	}
	if force {
		if err := clearWorkspace(ctx, ws, o, log); err != nil {
			return nil, err
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
			ContentCertificate: rel(pw.ContentChain), ContentKey: rel(pw.ContentKey),
			// The workspace keeps the passphrase beside the data: a demo.
			DemoPassphraseBesideData: true},
		Users: config.UsersSection{TrustAnchors: []string{rel(card.RootCertPath)}, Intermediates: []string{rel(card.SubCACertPath)},
			CRLs: []string{rel(card.RootCRLPath), rel(card.SubCACRLPath)}},
		License: config.LicenseSection{SigningCertificate: rel(pw.LicenseChain), SigningKey: rel(pw.LicenseKey)},
		Web:     DemoWebSection(o.Listen),
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

// DemoWebSection is the [web] section of a new workspace: browser viewers
// on this machine, the page at http://localhost:PORT (a secure context
// without TLS), PORT being the listen address's. WebAuthn needs the page's
// host name, so the origin names localhost whatever loopback address the
// server listens on.
func DemoWebSection(listen string) config.WebSection {
	_, port, err := net.SplitHostPort(listen)
	if err != nil || port == "" || port == "0" {
		return config.WebSection{} // no port known yet: no page
	}
	return config.WebSection{RPID: "localhost", Origins: []string{"http://localhost:" + port}}
}

// clearWorkspace makes room for a new workspace in ws.Dir. Where the old
// one holds no data (only what init itself made), its PKI, card, store
// and passphrase are removed; where it holds data, it refuses unless
// ForceData, and then moves the whole old workspace aside, saying where on
// log. Data is never deleted.
func clearWorkspace(ctx context.Context, ws *Workspace, o InitOptions, log io.Writer) error {
	data, err := InspectWorkspace(ctx, o.Dir)
	if err != nil {
		return fmt.Errorf("init --force: cannot tell what %s holds, so nothing was changed: %w", o.Dir, err)
	}
	if data.Any() {
		if !o.ForceData {
			return &DataExistsError{Data: data}
		}
		aside, err := moveWorkspaceAside(o.Dir, time.Now())
		if err != nil {
			return fmt.Errorf("init --force-data: move the previous workspace aside: %w", err)
		}
		ws.Replaced = aside
		fmt.Fprintf(log, "moved the previous workspace (%s) to %s; nothing was deleted\n", data, aside)
		return nil
	}
	for _, p := range []string{PKIDir, DataDir, TokenDir, MasterPassFile} {
		if err := os.RemoveAll(filepath.Join(o.Dir, p)); err != nil {
			return err
		}
	}
	return nil
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
