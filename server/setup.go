package server

import (
	"context"
	"crypto/x509"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"securemedia/internal/config"
	"securemedia/internal/setup"
	"securemedia/pki"
)

// defaultCRLReload is how often the server re-reads its CRL files when the
// configuration does not say.
const defaultCRLReload = time.Minute

// Setup is a server configuration loaded from server.toml, with the
// background work that keeps it fresh.
type Setup struct {
	Config Config
	// crls is the set of CRL files served and fed to the validators.
	crls       *pki.CRLSet
	validators []*pki.Validator
	reload     time.Duration
	log        *slog.Logger
}

// FromConfig builds the server side of the protocol from server.toml: the
// server's chain and key, the device validator (with revocation, fed by the
// CRL files that are also served under /crl/), suites, groups, rekey
// thresholds and limits. keyPassphrase is asked only if the key is
// encrypted.
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
				MaxSessions:     c.Limits.MaxSessions,
				HandshakeExpiry: c.Limits.HandshakeExpiry.Duration,
				IdleTimeout:     c.Limits.IdleTimeout.Duration,
				SessionLifetime: c.Limits.SessionLifetime.Duration,
			},
			Extra: map[string]http.Handler{"GET /crl/": pki.CRLHandler(crls)},
		},
		crls:       crls,
		validators: []*pki.Validator{devices},
		reload:     c.PKI.ReloadInterval.Duration,
		log:        log,
	}
	if s.reload <= 0 {
		s.reload = defaultCRLReload
	}
	return s, nil
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
