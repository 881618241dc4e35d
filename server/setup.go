package server

import (
	"context"
	"crypto/rand"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"securemedia/internal/config"
	"securemedia/internal/setup"
	"securemedia/license"
	"securemedia/license/store"
	"securemedia/pki"
)

// defaultCRLReload is how often the server re-reads its CRL files when the
// configuration does not say.
const defaultCRLReload = time.Minute

// Setup is a server configuration loaded from server.toml, with the
// background work that keeps it fresh. Close it when done: it holds the
// license store.
type Setup struct {
	Config Config
	// crls is the set of CRL files served and fed to the validators.
	crls       *pki.CRLSet
	validators []*pki.Validator
	// userCRLs feed the user validator: the identity-card issuer's CRLs,
	// kept apart from the server PKI's (nil when none are configured).
	userCRLs      *pki.CRLSet
	userValidator *pki.Validator
	store         license.Store
	reload        time.Duration
	log           *slog.Logger
}

// FromConfig builds the server side of the protocol from server.toml: the
// server's chain and key, the device validator (with revocation, fed by the
// CRL files that are also served under /crl/), suites, groups, rekey
// thresholds and limits. With [users] trust_anchors, users must log in with
// their identity card (validated against those anchors and [users] crls,
// mapped to registered users); with [license] signing_certificate, licenses
// are enforced. Either opens the license store ([license] database), which
// Close releases. keyPassphrase is asked only if a key is encrypted.
func FromConfig(c *config.Server, catalog Catalog, keyPassphrase func() ([]byte, error), log *slog.Logger) (*Setup, error) {
	chain, key, err := setup.LoadIdentity(c.Path(c.Identity.Certificate), c.Path(c.Identity.Key), keyPassphrase)
	if err != nil {
		return nil, err
	}
	crlPaths := c.Paths(c.PKI.CRLs)
	if len(crlPaths) == 0 {
		crlPaths = c.Paths(c.Trust.CRLs)
	}
	crls, err := pki.NewCRLSet(crlPaths)
	if err != nil {
		return nil, fmt.Errorf("crls: %w", err)
	}
	devices, err := setup.NewValidator(c.Paths(c.Trust.Roots), c.Paths(c.Trust.Intermediates), crls.Bytes(), c.Trust.RevocationEnabled())
	if err != nil {
		return nil, fmt.Errorf("device trust: %w", err)
	}
	pc, err := setup.ProtocolConfig(c.Protocol)
	if err != nil {
		return nil, err
	}
	pc.Certificate, pc.PrivateKey = chain, key
	pc.VerifyPeer = func(ch [][]byte) (*x509.Certificate, error) { return devices.Verify(ch, pki.UsageClient, "") }
	s := &Setup{
		Config: Config{
			Protocol: pc,
			Catalog:  catalog,
			Logger:   log,
			Limits: Limits{
				MaxSessions:          c.Limits.MaxSessions,
				MaxHalfOpen:          c.Limits.MaxHalfOpen,
				MaxHalfOpenPerClient: c.Limits.MaxHalfOpenPerClient,
				HandshakeExpiry:      c.Limits.HandshakeExpiry,
				IdleTimeout:          c.Limits.IdleTimeout,
				SessionLifetime:      c.Limits.SessionLifetime,
			},
			Extra: map[string]http.Handler{"GET /crl/": pki.CRLHandler(crls)},
		},
		crls:       crls,
		validators: []*pki.Validator{devices},
		reload:     c.PKI.ReloadInterval,
		log:        log,
	}
	if s.reload <= 0 {
		s.reload = defaultCRLReload
	}
	if err := s.wireUsersAndLicenses(c, keyPassphrase); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// wireUsersAndLicenses adds what [users] and [license] configure: the user
// validator (users must log in with their card when trust anchors are
// set) and license enforcement (when a license-signing certificate is set),
// both backed by the license store.
func (s *Setup) wireUsersAndLicenses(c *config.Server, keyPassphrase func() ([]byte, error)) error {
	users := len(c.Users.TrustAnchors) > 0
	licensing := c.License.SigningCertificate != ""
	if !users && !licensing {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), storeOpenTimeout)
	defer cancel()
	st, err := store.Open(ctx, c.License.Database, c.Path(c.DataDir))
	if err != nil {
		return fmt.Errorf("license store: %w", err)
	}
	s.store = st
	s.Config.LicenseStore = st
	if users {
		if err := s.wireUsers(c); err != nil {
			return err
		}
	}
	if licensing {
		return s.wireLicenses(c, keyPassphrase)
	}
	return nil
}

func (s *Setup) wireUsers(c *config.Server) error {
	var crls [][]byte
	if len(c.Users.CRLs) > 0 {
		set, err := pki.NewCRLSet(c.Paths(c.Users.CRLs))
		if err != nil {
			return fmt.Errorf("users: %w", err)
		}
		s.userCRLs, crls = set, set.Bytes()
	} else if c.Users.RevocationEnabled() {
		// Fail closed: without CRLs a revoked identity card would log in.
		return errors.New("users: [users] crls is empty; give the card issuer's CRLs, or set [users] check_revocation = false to accept that revoked cards are not detected")
	} else if s.log != nil {
		s.log.Warn("users: revocation checking is off ([users] check_revocation = false); revoked identity cards are not detected")
	}
	v, err := setup.NewValidator(c.Paths(c.Users.TrustAnchors), c.Paths(c.Users.Intermediates), crls, s.userCRLs != nil)
	if err != nil {
		return fmt.Errorf("users: %w", err)
	}
	s.userValidator = v
	s.Config.Protocol.VerifyUser = NewUserVerifier(v, s.store, s.log)
	s.Config.Protocol.RequireUser = true
	return nil
}

func (s *Setup) wireLicenses(c *config.Server, keyPassphrase func() ([]byte, error)) error {
	chain, key, err := setup.LoadIdentity(c.Path(c.License.SigningCertificate), c.Path(c.License.SigningKey), keyPassphrase)
	if err != nil {
		return fmt.Errorf("license signing identity: %w", err)
	}
	def, err := license.ParsePolicy(c.License.Views(), c.License.DefaultPeriod)
	if err != nil {
		return fmt.Errorf("[license] default policy: %w", err)
	}
	grants, err := license.NewGrants(rand.Reader)
	if err != nil {
		return err
	}
	s.Config.Licenses = license.NewService(s.store, key, chain, grants, nil)
	s.Config.LicenseSigner, s.Config.LicenseChain = key, chain
	s.Config.DefaultPolicy = &def
	return nil
}

// storeOpenTimeout bounds opening (and migrating) the license store.
const storeOpenTimeout = 30 * time.Second

// Close releases the license store, if one was opened.
func (s *Setup) Close() error {
	if s.store == nil {
		return nil
	}
	err := s.store.Close()
	s.store = nil
	return err
}

// ReloadCRLs re-reads the CRL files and hands them to every validator, so
// a revocation takes effect without a restart.
func (s *Setup) ReloadCRLs() error {
	if err := s.crls.Reload(); err != nil {
		return err
	}
	for _, v := range s.validators {
		if err := v.SetCRLs(s.crls.Bytes()); err != nil {
			return err
		}
	}
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

// WatchCRLs reloads the CRLs every reload interval until ctx is done.
func (s *Setup) WatchCRLs(ctx context.Context) {
	t := time.NewTicker(s.reload)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.ReloadCRLs(); err != nil && s.log != nil {
				s.log.Warn("CRL reload failed; keeping the previous CRLs", "err", err)
			}
		}
	}
}
