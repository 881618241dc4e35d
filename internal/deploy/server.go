package deploy

import (
	"context"
	"crypto/hkdf"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"securemedia/internal/config"
	"securemedia/internal/secret"
	"securemedia/license"
	"securemedia/license/store"
	"securemedia/media"
	"securemedia/pki"
	"securemedia/protocol"
	"securemedia/server"
)

// defaultCRLReload is how often the server re-reads its CRL files when
// [pki] reload_interval does not say.
const defaultCRLReload = time.Minute

// storeOpenTimeout bounds opening (and migrating) the license store.
const storeOpenTimeout = 30 * time.Second

// ServerOptions tune NewServer beyond what server.toml says.
type ServerOptions struct {
	// Logger receives the server's log; nil discards it.
	Logger *slog.Logger
	// KeyPassphrase is asked only when a key file is encrypted.
	KeyPassphrase func() ([]byte, error)
	// Now is the clock of the server and the license service (tests).
	Now func() time.Time
}

// Server is a server assembled from server.toml, with the background work
// that keeps it fresh (CRL, trust anchor and master key reloads, warnings
// of CRLs about to go stale; reload.go). Close it when done: it holds the
// license store.
type Server struct {
	// Config is what server.New takes.
	Config server.Config
	// LicenseStore is the license store opened for users and licenses (nil
	// when server.toml configures neither).
	LicenseStore license.Store

	file string
	// crls is the set of CRL files served under /crl/ and fed to the
	// device validator; userCRLs feed the user validator: the
	// identity-card issuer's CRLs, kept apart from the server PKI's.
	crls *pki.CRLSet
	// chain is the server's own chain; stapled the CRLs of its CAs from
	// crls, which every server flight carries (DESIGN.md §4 "Stapled
	// CRLs"), recomputed on each reload.
	chain         [][]byte
	stapled       atomic.Pointer[[][]byte]
	devices       *pki.Validator
	userCRLs      *pki.CRLSet
	userValidator *pki.Validator
	reload        time.Duration
	crlWarning    time.Duration
	drainTimeout  time.Duration
	log           *slog.Logger
	state         reloadState
	// reloads asks for a Reload at each receive (SIGHUP); nil for none.
	reloads <-chan struct{}
	// running is the HTTP server Build made, whose live sessions each CRL
	// reload validates again.
	running atomic.Pointer[server.Server]
}

// NewServer builds the server side of the protocol from c: the server's
// chain and key, the device validator (with revocation, fed by the CRL
// files that are also served under /crl/), suites, groups, rekey
// thresholds and limits. With [users] trust_anchors, users must log in
// with their identity card (validated against those anchors and [users]
// crls, mapped to registered users); with [license] signing_certificate,
// licenses are enforced. Either opens the license store ([license]
// database), which Close releases.
func NewServer(c *config.Server, catalog server.Catalog, o ServerOptions) (*Server, error) {
	file := c.File()
	chain, key, err := pki.LoadIdentity(c.Path(c.Identity.Certificate), c.Path(c.Identity.Key), o.KeyPassphrase)
	if err != nil {
		return nil, configError(file, fmt.Errorf("server identity: %w", err), "[identity] certificate", "[identity] key")
	}
	crls, err := pki.NewCRLSet(deviceCRLPaths(c))
	if err != nil {
		return nil, configError(file, fmt.Errorf("crls: %w", err), "[pki] crls", "[trust] crls")
	}
	devices, err := NewValidator(Trust{Roots: c.Paths(c.Trust.Roots), Intermediates: c.Paths(c.Trust.Intermediates), CRLs: crls.Bytes(), CheckRevocation: c.Trust.RevocationEnabled()})
	if err != nil {
		return nil, configError(file, fmt.Errorf("device trust: %w", err), "[trust] roots", "[trust] intermediates")
	}
	pc, err := protocolConfig(c.Protocol)
	if err != nil {
		return nil, configError(file, err, "[protocol] suites", "[protocol] groups")
	}
	pc.Certificate, pc.PrivateKey = chain, key
	pc.VerifyPeer = func(ch, _ [][]byte) (*x509.Certificate, error) { return devices.Verify(ch, pki.UsageClient, "") }
	s := &Server{
		Config: server.Config{
			Protocol: pc,
			Catalog:  catalog,
			Logger:   o.Logger,
			Now:      o.Now,
			Limits: server.Limits{
				MaxSessions:          c.Limits.MaxSessions,
				MaxHalfOpen:          c.Limits.MaxHalfOpen,
				MaxHalfOpenPerClient: c.Limits.MaxHalfOpenPerClient,
				MaxSessionsPerUser:   c.Limits.MaxSessionsPerUser,
				MaxSessionsPerDevice: c.Limits.MaxSessionsPerDevice,
				HandshakeExpiry:      c.Limits.HandshakeExpiry,
				IdleTimeout:          c.Limits.IdleTimeout,
				SessionLifetime:      c.Limits.SessionLifetime,
				// [limits] max_connections is the listener's (listen).
				MaxRequestsPerSession: c.Limits.MaxRequestsPerSession,
			},
			// /crl itself is the index too, rather than the mux's
			// redirect to /crl/.
			Extra: map[string]http.Handler{"GET /crl/": pki.CRLHandler(crls), "GET /crl": pki.CRLHandler(crls)},
		},
		file:         file,
		crls:         crls,
		chain:        chain,
		devices:      devices,
		reload:       c.PKI.ReloadInterval,
		crlWarning:   crlWarningOf(c),
		drainTimeout: c.Cluster.DrainTimeout,
		log:          o.Logger,
		state:        reloadState{warned: map[string]bool{}},
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.reload <= 0 {
		s.reload = defaultCRLReload
	}
	if s.drainTimeout <= 0 {
		s.drainTimeout = defaultDrainTimeout
	}
	if err := s.restaple(); err != nil {
		return nil, configError(file, err, "[pki] crls", "[trust] crls")
	}
	pc.StapledCRLs = func() [][]byte { return *s.stapled.Load() }
	s.Config.StillValid = s.stillValid
	if err := s.wireCluster(c); err != nil {
		return nil, err
	}
	s.watchTrust("device trust", c.Paths(c.Trust.Roots), c.Paths(c.Trust.Intermediates), devices)
	if err := s.wireUsersAndLicenses(c, o); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// wireCluster adds what [cluster] configures: the replica name of the
// session URLs and the cookie key shared with the other replicas.
func (s *Server) wireCluster(c *config.Server) error {
	if r := c.Cluster.Replica; r != "" {
		if err := protocol.CheckReplicaName(r); err != nil {
			return configError(s.file, err, "[cluster] replica")
		}
		s.Config.Replica = r
	}
	if c.Cluster.CookieKeyFile == "" {
		return nil
	}
	shared, err := secret.FromFile(c.Path(c.Cluster.CookieKeyFile))
	if err != nil {
		return configError(s.file, fmt.Errorf("cookie key: %w", err), "[cluster] cookie_key_file")
	}
	defer secret.Erase(shared)
	if len(shared) < protocol.MinCookieKeySize {
		return configError(s.file, fmt.Errorf("cookie key file holds %d bytes, want at least %d (for example: head -c 32 /dev/urandom | base64)", len(shared), protocol.MinCookieKeySize),
			"[cluster] cookie_key_file")
	}
	key, err := hkdf.Key(sha256.New, shared, nil, cookieKeyInfo, protocol.MinCookieKeySize)
	if err != nil {
		return err
	}
	s.Config.CookieKey = key
	return nil
}

// cookieKeyInfo labels the derivation of the cookie key from the shared
// secret of [cluster] cookie_key_file.
const cookieKeyInfo = "securemedia v1 cookie key"

// wireUsersAndLicenses adds what [users], [license] and [web] configure:
// the user validator (users must log in with their card when trust
// anchors are set), license enforcement (when a license-signing
// certificate is set) and browser viewers (when a relying party is set),
// all backed by the license store.
func (s *Server) wireUsersAndLicenses(c *config.Server, o ServerOptions) error {
	users := len(c.Users.TrustAnchors) > 0
	licensing := c.License.SigningCertificate != ""
	web := c.Web.Enabled()
	if !users && !licensing && !web {
		return nil
	}
	st, err := OpenLicenseStore(context.Background(), c)
	if err != nil {
		return err
	}
	s.LicenseStore = st
	s.Config.LicenseStore = st
	if users {
		if err := s.wireUsers(c); err != nil {
			return err
		}
	}
	if web {
		w, err := WebConfig(c)
		if err != nil {
			return err
		}
		s.Config.Web = w
		page, err := PageRoutes(c, w)
		if err != nil {
			return err
		}
		for pattern, h := range page {
			s.Config.Extra[pattern] = h
		}
	}
	if licensing {
		return s.wireLicenses(c, o)
	}
	return nil
}

func (s *Server) wireUsers(c *config.Server) error {
	set, v, err := userTrust(c, s.log)
	if err != nil {
		return err
	}
	s.userCRLs, s.userValidator = set, v
	s.watchTrust("users", c.Paths(c.Users.TrustAnchors), c.Paths(c.Users.Intermediates), v)
	s.Config.Protocol.VerifyUser = server.NewUserVerifier(v, s.LicenseStore, s.log)
	s.Config.Protocol.RequireUser = true
	return nil
}

func (s *Server) wireLicenses(c *config.Server, o ServerOptions) error {
	keys := []string{"[license] signing_certificate", "[license] signing_key"}
	chain, key, err := pki.LoadIdentity(c.Path(c.License.SigningCertificate), c.Path(c.License.SigningKey), o.KeyPassphrase)
	if err != nil {
		return configError(s.file, fmt.Errorf("license signing identity: %w", err), keys...)
	}
	def, err := license.ParsePolicy(c.License.Views(), c.License.DefaultPeriod)
	if err != nil {
		return configError(s.file, fmt.Errorf("default license policy: %w", err), "[license] default_views", "[license] default_period")
	}
	svc, err := license.New(license.Config{Store: s.LicenseStore, Signer: key, Chain: chain, PlayWindow: c.License.PlayWindow,
		MaxOpenPlays: c.License.MaxOpenPlays, Now: o.Now})
	if err != nil {
		return configError(s.file, err, "[license] play_window", "[license] max_open_plays")
	}
	s.Config.Licenses = svc
	s.Config.DefaultPolicy = &def
	return nil
}

// stillValid validates again the chains a live session was admitted on
// (server.Config.StillValid): the device's with the device validator, the
// user's with the user validator (the registry is read at every fetch).
func (s *Server) stillValid(device, user [][]byte) error {
	if _, err := s.devices.Verify(device, pki.UsageClient, ""); err != nil {
		return fmt.Errorf("device: %w", err)
	}
	if user == nil {
		return nil
	}
	if s.userValidator == nil {
		return errors.New("user: no user trust")
	}
	if _, err := s.userValidator.Verify(user, pki.UsageClient, ""); err != nil {
		return fmt.Errorf("user: %w", err)
	}
	return nil
}

// Build makes the HTTP server from Config, as adjusted since NewServer,
// and keeps it: each CRL reload then closes its live sessions whose
// device or user no longer validates.
func (s *Server) Build() (*server.Server, error) {
	srv, err := server.New(s.Config)
	if err != nil {
		return nil, err
	}
	s.running.Store(srv)
	return srv, nil
}

// OpenLicenseStore opens the license store of [license] database (SQLite
// in data_dir by default, or PostgreSQL), migrating its schema.
func OpenLicenseStore(ctx context.Context, c *config.Server) (license.Store, error) {
	ctx, cancel := context.WithTimeout(ctx, storeOpenTimeout)
	defer cancel()
	st, err := store.Open(ctx, c.License.Database, c.Path(c.DataDir))
	if err != nil {
		if path, ok := sqlitePath(c.License.Database, c.Path(c.DataDir)); ok {
			if d := damagedOr(path, err); d != err {
				return nil, d
			}
		}
		return nil, configError(c.File(), fmt.Errorf("license store: %w", err), "[license] database", "data_dir")
	}
	return st, nil
}

// Close releases the license store, if one was opened.
func (s *Server) Close() error {
	if s.LicenseStore == nil {
		return nil
	}
	err := s.LicenseStore.Close()
	s.LicenseStore = nil
	return err
}

// restaple picks from the CRL set those of the server's own chain, the
// ones its handshake flights carry, and checks that they fit in one.
func (s *Server) restaple() error {
	crls, err := pki.CRLsOfChain(s.crls.Bytes(), s.chain)
	if err != nil {
		return fmt.Errorf("stapled crls: %w", err)
	}
	if err := protocol.CheckStapledCRLs(crls); err != nil {
		return fmt.Errorf("stapled crls of the server's chain: %w", err)
	}
	s.stapled.Store(&crls)
	return nil
}

// ReloadCRLs re-reads the CRL files and hands them to the validators and
// to the handshake (the CRLs it staples), so a revocation takes effect
// without a restart, on live sessions too: those whose device or user no
// longer validates are closed (Build's server).
func (s *Server) ReloadCRLs() error {
	if err := s.crls.Reload(); err != nil {
		return err
	}
	// The device validator refuses a rollback of the files; only what it
	// took is stapled.
	if err := s.devices.SetCRLs(s.crls.Bytes()); err != nil {
		return err
	}
	if err := s.restaple(); err != nil {
		return err
	}
	defer s.revalidate()
	if s.userCRLs == nil {
		return nil
	}
	if err := s.userCRLs.Reload(); err != nil {
		return fmt.Errorf("users: %w", err)
	}
	if err := s.userValidator.SetCRLs(s.userCRLs.Bytes()); err != nil {
		return fmt.Errorf("users: %w", err)
	}
	return nil
}

// revalidate closes the running server's live sessions whose device or
// user chain no longer validates (revocation reaches live sessions).
func (s *Server) revalidate() {
	srv := s.running.Load()
	if srv == nil {
		return
	}
	if n := srv.Revalidate(); n > 0 {
		s.log.Warn("live sessions closed after the reload: their device or user certificate no longer validates", "sessions", n)
	}
}

// every runs fn every d, and at once at each receive on asks (nil: only
// every d), until ctx is done; asked tells fn which it was.
func every(ctx context.Context, d time.Duration, asks <-chan struct{}, fn func(ctx context.Context, asked bool)) {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			fn(ctx, false)
		case <-asks:
			fn(ctx, true)
		}
	}
}

// watch keeps the server fresh until ctx is done: every reload interval
// it re-reads the CRLs, reloads trust anchor files that changed, follows
// a rekey of the media store and warns of CRLs about to go stale; each
// receive on reload (SIGHUP) does all of it at once, trust files included.
func (s *Server) watch(ctx context.Context, reload <-chan struct{}) {
	s.state.mu.Lock()
	s.warnStaleCRLs()
	s.state.mu.Unlock()
	every(ctx, s.reload, reload, func(_ context.Context, asked bool) {
		_ = s.refresh(asked) // logged
	})
}

// sweepInterval is how often a server with licenses abandons the plays
// whose window is over and expires the offers past theirs
// (license.Service.Sweep).
const sweepInterval = time.Minute

// sweep is the periodic license sweep.
func (s *Server) sweep(ctx context.Context, _ bool) {
	plays, offers, err := s.Config.Licenses.Sweep(ctx)
	switch {
	case err != nil && ctx.Err() == nil:
		s.log.Warn("license sweep failed; retrying at the next one", "err", err)
	case plays+offers > 0:
		s.log.Info("license sweep", "plays_abandoned", plays, "offers_expired", offers)
	}
}

// Serve runs the server on ln until ctx is done, keeping it fresh in the
// background (see watch) and, with licenses, sweeping plays and offers
// past their time; on return every session key is erased. ln serves as
// given: RunServer's is capped at [limits] max_connections and
// max_connections_per_client (listen).
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	return s.serve(ctx, ln, nil, nil)
}

// defaultDrainTimeout bounds a drain when [cluster] drain_timeout does not
// say.
const defaultDrainTimeout = 30 * time.Second

// Timeouts of the admin listener, which serves small answers.
const (
	adminReadTimeout  = 10 * time.Second
	adminWriteTimeout = 30 * time.Second
)

// serve is Serve with the admin listener on admin (nil for none) and a
// drain at the first receive on drain (nil for never): the server stops
// taking sessions and hands its plays off (server.Server.Drain), for at
// most the drain timeout, then stops as when ctx is done.
func (s *Server) serve(ctx context.Context, ln, admin net.Listener, drain <-chan struct{}) error {
	srv, err := s.Build()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go s.watch(ctx, s.reloads)
	if s.Config.Licenses != nil {
		go every(ctx, sweepInterval, nil, s.sweep)
	}
	if admin != nil {
		as := &http.Server{Handler: srv.AdminHandler(s.ReadyChecks()...), ReadHeaderTimeout: adminReadTimeout,
			ReadTimeout: adminReadTimeout, WriteTimeout: adminWriteTimeout, MaxHeaderBytes: 16 << 10,
			ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelDebug)}
		go as.Serve(admin)
		defer as.Close()
	}
	sctx, stop := context.WithCancel(ctx)
	defer stop()
	done := make(chan error, 1)
	go func() { done <- srv.Serve(sctx, ln) }()
	select {
	case err = <-done:
	case <-drain:
		dctx, dcancel := context.WithTimeout(ctx, s.drainTimeout)
		_ = srv.Drain(dctx) // logged
		dcancel()
		stop()
		err = <-done
	}
	if errors.Is(err, context.Canceled) {
		err = nil
	}
	return err
}

// RunOptions tune RunServer.
type RunOptions struct {
	ServerOptions
	// PassphraseFile holds the master passphrase (StoreOptions).
	PassphraseFile string
	// Listen overrides the configured listen address.
	Listen string
	// AdminListen overrides [admin] listen.
	AdminListen string
	// Ready, when set, receives the URL once the listener accepts
	// (https:// when [tls] configures a TLS listener).
	Ready func(url string)
	// AdminReady, when set, receives the admin listener's URL.
	AdminReady func(url string)
	// Argon2 overrides the master-key costs (tests, the demo).
	Argon2 *media.Argon2Params
	// Reload, when set, asks for a reload at each receive (SIGHUP):
	// Server.Reload.
	Reload <-chan struct{}
	// Drain, when set, asks for a drain at its first receive (SIGTERM):
	// the server hands its plays off to the other replicas and returns
	// (DESIGN.md §10), within [cluster] drain_timeout.
	Drain <-chan struct{}
}

// RunServer is `securemedia server`: it opens the media store under its
// master key (refusing to start without it, or with its passphrase file
// beside the data outside a demo: CheckPassphrasePlacement), assembles the
// server, listens (the public listener and the admin listener) and serves
// until ctx is done, or until a drain asked on o.Drain is over.
func RunServer(ctx context.Context, c *config.Server, o RunOptions) error {
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := CheckPassphrasePlacement(c, o.PassphraseFile, log); err != nil {
		return err
	}
	catalog, err := OpenMediaStore(c, StoreOptions{PassphraseFile: o.PassphraseFile, Argon2: o.Argon2})
	if err != nil {
		return err
	}
	s, err := NewServer(c, catalog, o.ServerOptions)
	if err != nil {
		return err
	}
	defer s.Close()
	addr := c.Listen
	if o.Listen != "" {
		addr = o.Listen
	}
	ln, url, err := listen(c, addr, o.KeyPassphrase)
	if err != nil {
		return err
	}
	adminAddr := c.Admin.Listen
	if o.AdminListen != "" {
		adminAddr = o.AdminListen
	}
	admin, err := net.Listen("tcp", adminAddr)
	if err != nil {
		ln.Close()
		return &ListenError{Addr: adminAddr, Err: err, Admin: true}
	}
	if o.Ready != nil {
		o.Ready(url)
	}
	if o.AdminReady != nil {
		o.AdminReady("http://" + admin.Addr().String())
	}
	s.reloads = o.Reload
	return s.serve(ctx, ln, admin, o.Drain)
}

// ListenError is a listener that could not be opened.
type ListenError struct {
	Addr string
	Err  error
	// Admin: the admin listener ([admin] listen), not the public one.
	Admin bool
}

func (e *ListenError) Error() string { return "listen on " + e.Addr + ": " + e.Err.Error() }
func (e *ListenError) Unwrap() error { return e.Err }
