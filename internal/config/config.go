// Package config holds the on-disk configuration of the server (server.toml)
// and of the client (client.toml). Relative paths in a file are resolved
// against the directory that holds it, so a workspace made by `securemedia
// init` can be moved as a whole.
//
// Each component owns its own section type (one file per section), so the
// sections can grow independently.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"securemedia/internal/fsutil"
)

// maxConfigSize bounds the size of a configuration file we are willing to read.
const maxConfigSize = 1 << 20

// Server is server.toml.
type Server struct {
	// Listen is the host:port the HTTP listener binds (default 127.0.0.1:8443).
	Listen string `toml:"listen,omitempty,omitzero"`
	// DataDir holds the media store, the license database and the audit log.
	DataDir string `toml:"data_dir,omitempty,omitzero"`

	Identity Identity       `toml:"identity,omitempty,omitzero"`
	Trust    Trust          `toml:"trust,omitempty,omitzero"`
	Protocol Protocol       `toml:"protocol,omitempty,omitzero"`
	Limits   ServerLimits   `toml:"limits,omitempty,omitzero"`
	PKI      PKISection     `toml:"pki,omitempty,omitzero"`
	Media    MediaSection   `toml:"media,omitempty,omitzero"`
	Users    UsersSection   `toml:"users,omitempty,omitzero"`
	License  LicenseSection `toml:"license,omitempty,omitzero"`
	Cluster  ClusterSection `toml:"cluster,omitempty,omitzero"`
	Admin    AdminSection   `toml:"admin,omitempty,omitzero"`
	TLS      ServerTLS      `toml:"tls,omitempty,omitzero"`
	Web      WebSection     `toml:"web,omitempty,omitzero"`

	// dir is the directory of the file, for resolving relative paths;
	// file is the file itself.
	dir, file string
}

// Client is client.toml.
type Client struct {
	// Server is the base URL of the server, e.g. http://127.0.0.1:8443.
	Server string `toml:"server,omitempty,omitzero"`
	// ServerName is the name the server certificate must carry (a DNS SAN or
	// an IP SAN). Empty means the host of Server.
	ServerName string `toml:"server_name,omitempty,omitzero"`

	Identity Identity      `toml:"identity,omitempty,omitzero"`
	Trust    Trust         `toml:"trust,omitempty,omitzero"`
	Protocol Protocol      `toml:"protocol,omitempty,omitzero"`
	Token    TokenSection  `toml:"token,omitempty,omitzero"`
	Player   PlayerSection `toml:"player,omitempty,omitzero"`
	TLS      ClientTLS     `toml:"tls,omitempty,omitzero"`

	dir, file string
}

// Identity is a certificate chain (PEM, leaf first) and its private key.
type Identity struct {
	Certificate string `toml:"certificate,omitempty,omitzero"`
	Key         string `toml:"key,omitempty,omitzero"`
	// KeyPassphraseFile, when set, holds the passphrase of an encrypted key.
	KeyPassphraseFile string `toml:"key_passphrase_file,omitempty,omitzero"`
}

// Trust is what a peer's chain is validated against.
type Trust struct {
	// Roots are the trust anchors (PEM or DER files).
	Roots []string `toml:"roots,omitempty,omitzero"`
	// Intermediates are extra CA certificates that may complete a chain.
	Intermediates []string `toml:"intermediates,omitempty,omitzero"`
	// CRLs are the revocation lists to check (PEM or DER files).
	CRLs []string `toml:"crls,omitempty,omitzero"`
	// CheckRevocation turns revocation checking on. A nil value means on.
	CheckRevocation *bool `toml:"check_revocation,omitempty,omitzero"`
}

// RevocationEnabled reports whether revocation checking is on (the default).
func (t Trust) RevocationEnabled() bool { return t.CheckRevocation == nil || *t.CheckRevocation }

// Protocol selects suites, groups and rekey thresholds (DESIGN.md §4).
type Protocol struct {
	// Suites in preference order; empty means the built-in order.
	Suites []string `toml:"suites,omitempty,omitzero"`
	// Groups in preference order; empty means the built-in order.
	Groups []string `toml:"groups,omitempty,omitzero"`
	// RekeyChunks, RekeyBytes and RekeyAge: zero means the DESIGN.md §4
	// defaults (500 chunks, 64 MiB, 10 minutes).
	RekeyChunks int           `toml:"rekey_chunks,omitempty,omitzero"`
	RekeyBytes  int64         `toml:"rekey_bytes,omitempty,omitzero"`
	RekeyAge    time.Duration `toml:"rekey_age,omitempty,omitzero"`
}

// ServerLimits are the server's resource bounds; zero means the default.
type ServerLimits struct {
	MaxSessions          int `toml:"max_sessions,omitempty,omitzero"`
	MaxHalfOpen          int `toml:"max_half_open,omitempty,omitzero"`
	MaxHalfOpenPerClient int `toml:"max_half_open_per_client,omitempty,omitzero"`
	// MaxSessionsPerUser and MaxSessionsPerDevice cap the established
	// sessions of one user and one client device; beyond, the oldest is
	// closed.
	MaxSessionsPerUser   int           `toml:"max_sessions_per_user,omitempty,omitzero"`
	MaxSessionsPerDevice int           `toml:"max_sessions_per_device,omitempty,omitzero"`
	HandshakeExpiry      time.Duration `toml:"handshake_expiry,omitempty,omitzero"`
	IdleTimeout          time.Duration `toml:"idle_timeout,omitempty,omitzero"`
	SessionLifetime      time.Duration `toml:"session_lifetime,omitempty,omitzero"`
	// MaxConnections caps the open connections of the public listener
	// (not the admin listener's); 0 means 4096
	// (deploy.DefaultMaxConnections). Beyond it the server accepts no
	// more until one closes: new ones wait in the kernel's listen
	// backlog, they are not refused.
	MaxConnections int `toml:"max_connections,omitempty,omitzero"`
	// MaxConnectionsPerClient is one client host's share of
	// MaxConnections (an IPv4 address or an IPv6 /64); 0 means 128
	// (deploy.DefaultMaxConnectionsPerClient). A connection beyond is
	// closed at once. Behind a balancer every connection is the
	// balancer's: raise it to what the balancer may open.
	MaxConnectionsPerClient int `toml:"max_connections_per_client,omitempty,omitzero"`
	// MaxRequestsPerSession caps the authenticated requests of one
	// session in flight at once; one beyond is answered inside the
	// channel, "too many requests in flight in this session"; 0 means 8
	// (server.DefaultMaxRequestsPerSession).
	MaxRequestsPerSession int `toml:"max_requests_per_session,omitempty,omitzero"`
}

// check refuses the [limits] values that cannot mean anything: a negative
// cap (0 is the default).
func (l ServerLimits) check(file string) error {
	for _, k := range []struct {
		key string
		v   int
	}{{"max_connections", l.MaxConnections}, {"max_connections_per_client", l.MaxConnectionsPerClient},
		{"max_requests_per_session", l.MaxRequestsPerSession}} {
		if k.v < 0 {
			return fmt.Errorf("config %s: [limits] %s = %d: want a positive number, or 0 for the default", file, k.key, k.v)
		}
	}
	return nil
}

// LoadServer reads and decodes server.toml.
func LoadServer(path string) (*Server, error) {
	var c Server
	dir, err := decodeFile(path, &c)
	if err != nil {
		return nil, otherKind(err, path, &Client{}, "client.toml")
	}
	c.dir, c.file = dir, filepath.Join(dir, filepath.Base(path))
	if err := c.Limits.check(c.file); err != nil {
		return nil, err
	}
	c.setDefaults()
	return &c, nil
}

// LoadClient reads and decodes client.toml.
func LoadClient(path string) (*Client, error) {
	var c Client
	dir, err := decodeFile(path, &c)
	if err != nil {
		return nil, otherKind(err, path, &Server{}, "server.toml")
	}
	c.dir, c.file = dir, filepath.Join(dir, filepath.Base(path))
	return &c, nil
}

// Path resolves a path from server.toml against the file's directory.
func (c *Server) Path(p string) string { return resolve(c.dir, p) }

// Paths resolves several paths from server.toml.
func (c *Server) Paths(ps []string) []string { return resolveAll(c.dir, ps) }

// Dir is the directory that holds server.toml.
func (c *Server) Dir() string { return c.dir }

// File is the path of the file the configuration was read from (for
// messages); a configuration built in memory names server.toml in Dir.
func (c *Server) File() string { return orDefault(c.file, filepath.Join(c.dir, "server.toml")) }

// InDir returns c with relative paths resolved against dir, as if it had
// been read from dir/server.toml (configurations built in memory).
func (c Server) InDir(dir string) *Server {
	c.dir, c.file = dir, ""
	c.setDefaults()
	return &c
}

func (c *Server) setDefaults() {
	if c.Listen == "" {
		c.Listen = "127.0.0.1:8443"
	}
	if c.DataDir == "" {
		c.DataDir = "data"
	}
	if c.Admin.Listen == "" {
		c.Admin.Listen = DefaultAdminListen
	}
}

// Path resolves a path from client.toml against the file's directory.
func (c *Client) Path(p string) string { return resolve(c.dir, p) }

// Paths resolves several paths from client.toml.
func (c *Client) Paths(ps []string) []string { return resolveAll(c.dir, ps) }

// Dir is the directory that holds client.toml.
func (c *Client) Dir() string { return c.dir }

// File is the path of the file the configuration was read from; a
// configuration built in memory names client.toml in Dir.
func (c *Client) File() string { return orDefault(c.file, filepath.Join(c.dir, "client.toml")) }

// InDir returns c with relative paths resolved against dir, as if it had
// been read from dir/client.toml (configurations built in memory).
func (c Client) InDir(dir string) *Client {
	c.dir, c.file = dir, ""
	return &c
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// Write encodes v (a *Server or *Client) as TOML to path with mode 0600,
// atomically: a crash leaves the old file or the new one.
func Write(path string, v any) error {
	var b bytes.Buffer
	if err := toml.NewEncoder(&b).Encode(v); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return fsutil.WriteFileAtomic(path, b.Bytes(), 0o600)
}

func decodeFile(path string, v any) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("config: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", fmt.Errorf("config: %w", err)
	}
	if st.Size() > maxConfigSize {
		return "", fmt.Errorf("config %s: larger than %d bytes", path, maxConfigSize)
	}
	md, err := toml.NewDecoder(f).Decode(v)
	if err != nil {
		return "", fmt.Errorf("config %s: %w", path, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		return "", newUnknownKeyError(path, und[0])
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	return filepath.Dir(abs), nil
}

func resolve(dir, p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}

func resolveAll(dir string, ps []string) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = resolve(dir, p)
	}
	return out
}

// UnknownKeyError is a key that the file's format does not have: a typing
// error, or a setting in the wrong file or section. It is refused rather
// than ignored, so that a misspelt security setting cannot go unnoticed.
type UnknownKeyError struct {
	// File is the configuration file.
	File string
	// Section is the key's table ("token", "media"; "" at the top level)
	// and Key its name there.
	Section, Key string
	// OtherKind is "client.toml" or "server.toml" when the whole file
	// reads as that other kind: the wrong file was given.
	OtherKind string
}

// otherKind marks an unknown-key error of path with the other kind of
// file when path decodes as other without a key left over.
func otherKind(err error, path string, other any, kind string) error {
	var uk *UnknownKeyError
	if errors.As(err, &uk) {
		if _, oerr := decodeFile(path, other); oerr == nil {
			uk.OtherKind = kind
		}
	}
	return err
}

func newUnknownKeyError(file string, k toml.Key) *UnknownKeyError {
	e := &UnknownKeyError{File: file}
	if len(k) > 0 {
		e.Section, e.Key = strings.Join(k[:len(k)-1], "."), k[len(k)-1]
	}
	return e
}

// Where names the key as it is written in the file: "bogus in [token]".
func (e *UnknownKeyError) Where() string {
	if e.Section == "" {
		return strconv.Quote(e.Key) + " at the top level"
	}
	return strconv.Quote(e.Key) + " in [" + e.Section + "]"
}

func (e *UnknownKeyError) Error() string {
	return "config " + e.File + ": unknown key " + e.Where()
}

// ErrNoConfig is returned by commands that need a configuration file and got none.
var ErrNoConfig = errors.New("no configuration file given (use --config)")
