package server

import (
	"context"
	"crypto/rand"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path"
	"strings"
	"sync/atomic"
	"time"

	"securemedia/content"
	"securemedia/license"
	"securemedia/protocol"
)

// Catalog is the media the server streams; the at-rest media store
// (*media.Store) implements it. Its errors are package content's:
// ErrNotFound for an unknown id, *IntegrityError for an item damaged at
// rest, and a *DamagedError from List beside the items that are sound.
type Catalog interface {
	// List describes every sound item.
	List() ([]content.Item, error)
	// Stat describes one item.
	Stat(id content.ID) (content.Item, error)
	// Describe is Stat and the item's signed manifest, as the client gets
	// it, in one reading.
	Describe(id content.ID) (content.Item, []byte, error)
	// Open opens an item's chunks; the session keeps it open while it plays.
	Open(id content.ID) (content.ChunkReader, error)
}

// Limits bound the server's state and its readers (DESIGN.md §4 "Limits").
// Zero fields take the defaults.
type Limits struct {
	// MaxSessions caps established plus half-open sessions.
	MaxSessions int
	// MaxHalfOpen caps half-open sessions (hellos awaiting their finish).
	MaxHalfOpen int
	// MaxHalfOpenPerClient caps the half-open sessions of one remote host.
	MaxHalfOpenPerClient int
	// MaxSessionsPerUser and MaxSessionsPerDevice cap the established
	// sessions of one user and of one client device: beyond, the oldest is
	// closed, so that one viewer cannot fill the table.
	MaxSessionsPerUser   int
	MaxSessionsPerDevice int
	// HandshakeExpiry is how long a half-open session may wait for its finish.
	HandshakeExpiry time.Duration
	// IdleTimeout closes a session after this long without a request.
	IdleTimeout time.Duration
	// SessionLifetime closes a session this long after its handshake.
	SessionLifetime time.Duration
	// MaxRequestRecord bounds one request record.
	MaxRequestRecord int64
	// MaxRequestsPerSession caps the authenticated requests of one
	// established session in flight at once (each is a goroutine and a
	// connection until its handler returns, a fetch's whole stream
	// included); one beyond is answered inside the channel,
	// StatusUnavailable. Only records that opened count: someone who
	// knows just the session id cannot take the session's places.
	MaxRequestsPerSession int
}

// Default limits.
const (
	DefaultMaxSessions          = 10000
	DefaultMaxHalfOpen          = 1000
	DefaultMaxHalfOpenPerClient = 128
	DefaultMaxSessionsPerUser   = 8
	DefaultMaxSessionsPerDevice = 8
	DefaultHandshakeExpiry      = 10 * time.Second
	DefaultIdleTimeout          = 5 * time.Minute
	DefaultLifetime             = 12 * time.Hour
	DefaultMaxRequestRecord     = 64<<10 + protocol.MaxRecordOverhead // a request padded to the 64 KiB bucket
	// DefaultMaxRequestsPerSession: our clients have one request of a
	// session in flight at a time while they play (a fetch, or the rekey
	// between two; client/play.go reads ahead within one fetch answer,
	// not with a second request), beside which a program may ask for the
	// catalog or its licenses; a browser opens at most 6 connections to
	// one server over HTTP/1.1, whatever the page asks. Eight is above
	// all of them, and keeps a session that misbehaves to a few
	// goroutines and connections.
	DefaultMaxRequestsPerSession = 8
	// readHeaderTimeout and friends guard the listener against slow clients.
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 10 * time.Minute
	idleConnTimeout   = 2 * time.Minute
	maxHeaderBytes    = 16 << 10
	// shutdownGrace is how long a stopping server lets requests in flight
	// finish; drainedShutdownGrace the same after a drain.
	shutdownGrace        = 10 * time.Second
	drainedShutdownGrace = time.Second
)

func (l Limits) withDefaults() Limits {
	if l.MaxSessions <= 0 {
		l.MaxSessions = DefaultMaxSessions
	}
	if l.MaxHalfOpen <= 0 {
		l.MaxHalfOpen = min(DefaultMaxHalfOpen, l.MaxSessions)
	}
	if l.MaxHalfOpenPerClient <= 0 {
		l.MaxHalfOpenPerClient = min(DefaultMaxHalfOpenPerClient, l.MaxHalfOpen)
	}
	if l.MaxSessionsPerUser <= 0 {
		l.MaxSessionsPerUser = DefaultMaxSessionsPerUser
	}
	if l.MaxSessionsPerDevice <= 0 {
		l.MaxSessionsPerDevice = DefaultMaxSessionsPerDevice
	}
	if l.HandshakeExpiry <= 0 {
		l.HandshakeExpiry = DefaultHandshakeExpiry
	}
	if l.IdleTimeout <= 0 {
		l.IdleTimeout = DefaultIdleTimeout
	}
	if l.SessionLifetime <= 0 {
		l.SessionLifetime = DefaultLifetime
	}
	if l.MaxRequestRecord <= 0 {
		l.MaxRequestRecord = DefaultMaxRequestRecord
	}
	if l.MaxRequestsPerSession <= 0 {
		l.MaxRequestsPerSession = DefaultMaxRequestsPerSession
	}
	return l
}

// Config is everything a Server needs.
type Config struct {
	// Protocol is the server side of the session protocol: its chain, key,
	// suites, groups, the client-device verifier and the user verifier.
	Protocol *protocol.Config
	// Catalog is the media store.
	Catalog Catalog
	// Limits bound the session table and request sizes.
	Limits Limits
	// Logger receives the server's log; nil discards it.
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Extra routes (the CRLs) mounted beside the protocol endpoints; the
	// admin endpoints are apart (AdminHandler).
	Extra map[string]http.Handler
	// Replica names this server among replicas behind one balancer
	// (DESIGN.md §10): its session URLs are /v1/session/<replica>.<hex>,
	// which a balancer routes by path; 1 to 32 bytes of [a-z0-9-]. Empty
	// for a single server: /v1/session/<hex>.
	Replica string
	// CookieKey is the key of the stateless cookies a server under load
	// asks for (DESIGN.md §4 "Admission"), at least
	// protocol.MinCookieKeySize bytes; replicas behind one balancer share
	// it, so that a cookie made by one verifies at another. Nil means a
	// random key of this process.
	CookieKey []byte

	// Licenses enforces licenses (DESIGN.md §7): a play is a durable
	// object whose view is consumed at its first chunk, and every fetch
	// needs its play grant. Nil enforces nothing: fetch needs no grant, as
	// without a license layer.
	Licenses *license.Service
	// LicenseStore is the store behind Licenses (and the user registry);
	// it fills the viewer's license state in the catalog and the license
	// list.
	LicenseStore license.Store
	// DefaultPolicy applies to media whose entry sets no policy; nil means
	// license.DefaultPolicy (5 views).
	DefaultPolicy *license.Policy

	// StillValid validates again the chains an established session was
	// admitted on, the device's and the user's (nil without a user), as
	// they were sent, after the trust or the CRLs changed
	// (Server.Revalidate); an error closes the session. Nil never
	// re-checks.
	StillValid func(device, user [][]byte) error

	// Web lets browser viewers in (DESIGN.md §11, browser.go): a browser
	// device's self-signed certificate, trusted only by the registry in
	// LicenseStore; a WebAuthn login over the transcript from a device
	// bound to the user; the registration of a viewer with an invite
	// inside a session of a new device without a user, which may do
	// nothing else. It sets Protocol's VerifyWebAuthn and AdmitPeer and
	// wraps its VerifyPeer. Nil refuses browser devices (the PKI refuses
	// their certificates) and WebAuthn logins.
	Web *WebConfig
}

// Server serves the session protocol over HTTP.
type Server struct {
	cfg Config
	// proto is cfg.Protocol with the replica name and the cookie key.
	proto    *protocol.Config
	limits   Limits
	log      *slog.Logger
	now      func() time.Time
	sessions *table
	mux      *http.ServeMux
	buffers  chunkBuffers
	metrics  *metrics
	// chains are the chains the handshakes verified, for the sessions to
	// keep (revalidate.go).
	chains chainBook
	// draining and inFlight are Drain's (drain.go); drainStarted is
	// closed when the drain starts, for Serve to stop keeping connections.
	draining     atomic.Bool
	inFlight     atomic.Int64
	drainStarted chan struct{}
	// browsers is the WebAuthn relying party and the registry of browser
	// viewers; nil without Config.Web.
	browsers *browsers
}

// New builds a server from cfg.
func New(cfg Config) (*Server, error) {
	if cfg.Protocol == nil || cfg.Catalog == nil {
		return nil, errors.New("server: config needs a protocol config and a catalog")
	}
	if cfg.Licenses != nil && cfg.LicenseStore == nil {
		return nil, errors.New("server: license enforcement needs the license store")
	}
	proto := *cfg.Protocol
	proto.Replica = cfg.Replica
	if proto.CookieKey = cfg.CookieKey; proto.CookieKey == nil {
		proto.CookieKey = make([]byte, protocol.MinCookieKeySize)
		if _, err := rand.Read(proto.CookieKey); err != nil {
			return nil, err
		}
	}
	if len(proto.CookieKey) < protocol.MinCookieKeySize {
		return nil, fmt.Errorf("server: cookie key of %d bytes, want at least %d", len(proto.CookieKey), protocol.MinCookieKeySize)
	}
	if cfg.Replica != "" {
		if err := protocol.CheckReplicaName(cfg.Replica); err != nil {
			return nil, fmt.Errorf("server: %w", err)
		}
	}
	s := &Server{cfg: cfg, proto: &proto, limits: cfg.Limits.withDefaults(), log: cfg.Logger, now: cfg.Now,
		drainStarted: make(chan struct{})}
	if cfg.StillValid != nil {
		// Keep the chains each session was admitted on, to validate them
		// again after a reload.
		if verify := proto.VerifyPeer; verify != nil {
			device := s.chains.wrap(func(chain [][]byte) (*x509.Certificate, error) { return verify(chain, nil) })
			proto.VerifyPeer = func(chain, _ [][]byte) (*x509.Certificate, error) { return device(chain) }
		}
		proto.VerifyUser = s.chains.wrap(proto.VerifyUser)
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if cfg.Web != nil {
		if err := s.wireBrowsers(*cfg.Web); err != nil {
			return nil, err
		}
	}
	s.sessions = newTable(s.limits, s.now)
	s.metrics = newMetrics(s)
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("POST /v1/handshake", s.handleHello)
	s.mux.HandleFunc("POST /v1/session/{id}/finish", s.counted(s.routed(s.handleFinish)))
	s.mux.HandleFunc("POST /v1/session/{id}", s.counted(s.routed(s.handleRecord)))
	for pattern, h := range cfg.Extra {
		s.mux.Handle(pattern, h)
	}
	return s, nil
}

// wireBrowsers lets browser viewers in (Config.Web): a browser device's
// certificate is checked as such and never by the PKI; the WebAuthn
// verifier and AdmitPeer decide the rest.
func (s *Server) wireBrowsers(w WebConfig) error {
	b, err := newBrowsers(w, s.cfg.LicenseStore, s.log, s.now)
	if err != nil {
		return err
	}
	s.browsers = b
	pkiVerify := s.proto.VerifyPeer
	s.proto.VerifyPeer = func(chain, crls [][]byte) (*x509.Certificate, error) {
		if c, ok := isBrowserDevice(chain); ok {
			return b.verifyDevice(c)
		}
		return pkiVerify(chain, crls)
	}
	s.proto.VerifyWebAuthn = b.verifyAssertion
	s.proto.AdmitPeer = admitPeer(s.proto.RequireUser)
	return nil
}

// routed serves only the session paths of this replica: with a replica
// name, /v1/session/<replica>.<hex>, handed to h with the bare hex id;
// another replica's prefix, or none, answers 404 as an unknown session
// does. Without a name, the id is the bare hex.
func (s *Server) routed(h http.HandlerFunc) http.HandlerFunc {
	if s.cfg.Replica == "" {
		return h
	}
	prefix := s.cfg.Replica + "."
	return func(w http.ResponseWriter, r *http.Request) {
		id, ok := strings.CutPrefix(r.PathValue("id"), prefix)
		if !ok {
			writeProblem(w, probNoSession, "")
			return
		}
		r.SetPathValue("id", id)
		h(w, r)
	}
}

// Handler is the server's HTTP handler.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serveHTTP) }

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		// A panic is a bug; the client still must not see a 5xx caused by
		// its input without us noticing, so log it loudly.
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("panic in handler", "panic", fmt.Sprint(v), "path", r.URL.Path)
			writeProblem(w, probInternal, "")
		}
	}()
	if !cleanPath(r.URL.Path) {
		// The mux would answer a path that is not in its clean form
		// ("//v1/handshake", "/v1/session/x/../ID") with a redirect to
		// the clean one: an answer that is not a problem document
		// (DESIGN.md §4 "Over HTTP"), and a second request for nothing.
		// No client of ours sends such a path.
		writeProblem(w, probNotFound, "")
		return
	}
	if _, pattern := s.mux.Handler(r); pattern == "" {
		if strings.HasPrefix(r.URL.Path, "/v1/") && r.Method != http.MethodPost {
			writeProblem(w, probMethod, "")
			return
		}
		writeProblem(w, probNotFound, "")
		return
	}
	s.mux.ServeHTTP(w, r)
}

// cleanPath reports whether p is in the clean form the mux routes
// without a redirect: as path.Clean makes it, keeping a trailing slash.
func cleanPath(p string) bool {
	c := path.Clean(p)
	if strings.HasSuffix(p, "/") && c != "/" {
		c += "/"
	}
	return c == p
}

// Sessions reports the number of established and half-open sessions.
func (s *Server) Sessions() (established, halfOpen int) { return s.sessions.counts() }

// Serve serves on l until ctx is done, then shuts down gracefully: new
// connections are refused, in-flight requests finish (within a grace
// period), sessions are erased. Drain hands the plays off first.
func (s *Server) Serve(ctx context.Context, l net.Listener) error {
	hs := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleConnTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
	}
	janitorDone := make(chan struct{})
	jctx, stopJanitor := context.WithCancel(ctx)
	go func() {
		defer close(janitorDone)
		s.sessions.janitor(jctx, s.log)
	}()
	go func() {
		// A draining replica keeps no connection: without keep-alives
		// net/http closes the idle ones and every other after its answer
		// (Connection: close), each freeing its place of [limits]
		// max_connections, and the client's next request goes through the
		// balancer, to another replica.
		select {
		case <-s.drainStarted:
			hs.SetKeepAlivesEnabled(false)
		case <-jctx.Done():
		}
	}()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(l) }()
	var err error
	select {
	case <-ctx.Done():
		// In-flight requests may finish; after a drain, which waited for
		// them already, a request still running is cut.
		grace := shutdownGrace
		if s.Draining() {
			grace = drainedShutdownGrace
		}
		sctx, cancel := context.WithTimeout(context.Background(), grace)
		if err = hs.Shutdown(sctx); err != nil {
			hs.Close()
		}
		cancel()
	case err = <-errc:
	}
	stopJanitor()
	<-janitorDone
	s.sessions.closeAll()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}
