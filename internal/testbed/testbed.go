// Package testbed assembles a real securemedia deployment for tests: a PKI
// made by pki.Bootstrap, an encrypted media store, a server on a loopback
// httptest listener, and client configurations; with Options.Users, also
// identity-card login (a throwaway citizen CA and cards) and licenses (a
// SQLite or PostgreSQL license store, the license service). Tests of the server, the
// client and the CLI share it so that they exercise the same wiring as the
// binary. It is imported only from _test files.
package testbed

import (
	"bytes"
	"context"
	"crypto/x509"
	"io"
	"log/slog"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"securemedia/client"
	"securemedia/internal/config"
	"securemedia/internal/deploy"
	"securemedia/media"
	"securemedia/pki"
	"securemedia/protocol"
	"securemedia/server"
)

// FreeAddr returns a loopback address that was free a moment ago, for a
// server that a test starts as a separate process.
func FreeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// TestArgon2 returns Argon2id costs small enough for tests.
func TestArgon2() media.Argon2Params { return media.Argon2Params{Time: 1, Memory: 64, Threads: 1} }

// Options tune New.
type Options struct {
	// Protocol adjusts the server's protocol config (rekey thresholds, ...)
	// after the assembly.
	Protocol func(*protocol.Config)
	// Limits of the server.
	Limits server.Limits
	// Server adjusts the server's configuration (replica name, cookie key,
	// ...) last, before the server starts.
	Server func(*server.Config)
	// Log receives the server log (nil discards it).
	Log io.Writer
	// ChunkSize of added media (0 = default).
	ChunkSize int
	// Users, when set, enables identity-card login and licenses (see
	// users.go).
	Users *UsersOptions
}

// Bed is a running deployment.
type Bed struct {
	Dir   string
	WS    *pki.Workspace
	Store *media.Store
	// Deploy is the server as the assembly layer built it from Config.
	Deploy *deploy.Server
	Server *server.Server
	HTTP   *httptest.Server
	URL    string
	// AdminURL serves the admin endpoints (/healthz, /readyz, /metrics)
	// with the assembly's readiness checks.
	AdminURL string
	// Validator is the client side's: it checks the server's chain.
	Validator *pki.Validator
	// Config is the bed's server.toml, built in memory.
	Config    *config.Server
	chunkSize int

	// Users and licenses (Options.Users), nil fields otherwise.
	Users *UsersBed

	// What starting the server again needs.
	o      Options
	logger *slog.Logger
}

// New builds and starts a deployment; everything is torn down with t.
func New(t testing.TB, o Options) *Bed {
	t.Helper()
	dir := t.TempDir()
	ws, err := pki.Bootstrap(filepath.Join(dir, "pki"), pki.BootstrapOptions{})
	if err != nil {
		t.Fatal(err)
	}
	passFile := filepath.Join(dir, "master-passphrase")
	if err := os.WriteFile(passFile, []byte("test master passphrase\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := config.Server{
		Identity: config.Identity{Certificate: ws.ServerChain, Key: ws.ServerKey},
		Trust:    config.Trust{Roots: []string{ws.Root}, Intermediates: []string{ws.Intermediate}, CRLs: ws.CRLs},
		Media:    config.MediaSection{MasterPassphraseFile: passFile, ContentCertificate: ws.ContentChain, ContentKey: ws.ContentKey},
	}
	logw := o.Log
	if logw == nil {
		logw = io.Discard
	}
	b := &Bed{Dir: dir, WS: ws, chunkSize: o.ChunkSize, o: o,
		logger: slog.New(slog.NewTextHandler(logw, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	if o.Users != nil {
		b.Users = newUsersBed(t, b, *o.Users, &cfg)
	}
	b.Config = cfg.InDir(dir)
	argon2 := TestArgon2()
	if b.Store, err = deploy.OpenMediaStore(b.Config, deploy.StoreOptions{WithSigner: true, Argon2: &argon2}); err != nil {
		t.Fatal(err)
	}
	crls, err := pki.LoadCRLs(ws.CRLs...)
	if err != nil {
		t.Fatal(err)
	}
	if b.Validator, err = pki.NewValidator(pki.ValidatorOptions{Roots: certs(t, ws.Root), Intermediates: certs(t, ws.Intermediate),
		CRLs: crls, CheckRevocation: true}); err != nil {
		t.Fatal(err)
	}
	b.start(t)
	return b
}

func certs(t testing.TB, path string) []*x509.Certificate {
	t.Helper()
	c, err := pki.LoadCertificates(path)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// start assembles the server from the bed's configuration, as the binary
// does (deploy.NewServer), and listens.
func (b *Bed) start(t testing.TB) {
	t.Helper()
	r := b.assemble(t, b.Config, b.o.Server)
	if b.Users != nil {
		b.Users.attach(t, r.Deploy)
	}
	b.Deploy, b.Server, b.HTTP, b.URL, b.AdminURL = r.Deploy, r.Server, r.HTTP, r.URL, r.AdminURL
}

// Replica is another server of a bed, as a replica behind a balancer: the
// same configuration, media store and license database, its own name,
// sessions and grant key.
type Replica struct {
	Deploy   *deploy.Server
	Server   *server.Server
	HTTP     *httptest.Server
	URL      string
	AdminURL string
}

// StartReplica starts another server of the bed's configuration, named
// name ([cluster] replica), with the bed's options.
func (b *Bed) StartReplica(t testing.TB, name string) *Replica {
	t.Helper()
	return b.assemble(t, b.Config, func(c *server.Config) {
		if b.o.Server != nil {
			b.o.Server(c)
		}
		c.Replica = name
	})
}

// assemble builds a server from cfg with the bed's options and adjust
// last, and listens; everything is torn down with t.
func (b *Bed) assemble(t testing.TB, cfg *config.Server, adjust func(*server.Config)) *Replica {
	t.Helper()
	so := deploy.ServerOptions{Logger: b.logger}
	if b.Users != nil {
		so.Now = b.Users.o.Now
	}
	d, err := deploy.NewServer(cfg, b.Store, so)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if b.o.Protocol != nil {
		b.o.Protocol(d.Config.Protocol)
	}
	d.Config.Limits = b.o.Limits
	if adjust != nil {
		adjust(&d.Config)
	}
	srv, err := d.Build()
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	admin := httptest.NewServer(srv.AdminHandler(d.ReadyChecks()...))
	t.Cleanup(admin.Close)
	return &Replica{Deploy: d, Server: srv, HTTP: hs, URL: hs.URL, AdminURL: admin.URL}
}

// ReloadCRLs has the server re-read its CRL files, as it does every minute.
func (b *Bed) ReloadCRLs(t testing.TB) {
	t.Helper()
	if err := b.Deploy.ReloadCRLs(); err != nil {
		t.Fatal(err)
	}
}

// AddMedia adds data under title and returns its id.
func (b *Bed) AddMedia(t testing.TB, title string, data []byte) string {
	t.Helper()
	info, err := b.Store.Add(bytes.NewReader(data), media.AddOptions{Title: title, ContentType: "audio/wav", ChunkSize: b.chunkSize})
	if err != nil {
		t.Fatal(err)
	}
	return info.ID.String()
}

// ClientConfig is a fresh client configuration for the bed's server: the
// demo device identity, the bed's trust, and the server name "localhost"
// (the httptest URL is 127.0.0.1, also in the certificate).
func (b *Bed) ClientConfig(t testing.TB) client.Config {
	t.Helper()
	chain, key, err := pki.LoadIdentity(b.WS.ClientChain, b.WS.ClientKey, nil)
	if err != nil {
		t.Fatal(err)
	}
	pc := &protocol.Config{Certificate: chain, PrivateKey: key,
		VerifyPeer: func(ch, stapled [][]byte) (*x509.Certificate, error) {
			return b.Validator.VerifyStapled(ch, stapled, pki.UsageServer, "127.0.0.1")
		}}
	cfg := client.Config{Server: b.URL, Protocol: pc, VerifyLicense: b.VerifyLicense, VerifyContent: b.VerifyContent}
	if b.Users != nil && b.Users.Card != nil {
		pc.User = client.UserCredentials(b.Users.Auth)
	}
	return cfg
}

// VerifyLicense validates license-signing chains with the bed's validator.
func (b *Bed) VerifyLicense(ch [][]byte) (*x509.Certificate, error) {
	return b.Validator.Verify(ch, pki.UsageLicense, "")
}

// VerifyContent validates content chains with the bed's validator.
func (b *Bed) VerifyContent(ch [][]byte) (*x509.Certificate, error) {
	return b.Validator.Verify(ch, pki.UsageContent, "")
}

// Dial connects with cfg (from ClientConfig, possibly adjusted).
func (b *Bed) Dial(t testing.TB, cfg client.Config) *client.Conn {
	t.Helper()
	c, err := client.Dial(context.Background(), cfg)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	return c
}
