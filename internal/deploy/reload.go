package deploy

import (
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"securemedia/internal/config"
	"securemedia/pki"
)

// defaultCRLWarning is how long before a CRL goes stale the server warns
// when [pki] crl_warning does not say: `pki crl` reissues CRLs valid for 7
// days, so a timer that stopped a few days ago shows here.
const defaultCRLWarning = 3 * 24 * time.Hour

// keyRefresher is a catalog whose master key can follow a rekey made by
// another process (*media.Store).
type keyRefresher interface {
	RefreshKEK() (bool, error)
}

// trustFiles are the certificate files a validator of the server was
// built from, and what they looked like when read, to notice a change.
type trustFiles struct {
	what                 string // "device trust", "users"
	roots, intermediates []string
	v                    *pki.Validator
	stamp                string
}

// stampOf describes files by size and modification time: it changes when
// one is replaced or rewritten ("" entries for missing files).
func stampOf(paths ...[]string) string {
	var b strings.Builder
	for _, ps := range paths {
		for _, p := range ps {
			if st, err := os.Stat(p); err == nil {
				fmt.Fprintf(&b, "%s %d %d;", p, st.Size(), st.ModTime().UnixNano())
			} else {
				fmt.Fprintf(&b, "%s -;", p)
			}
		}
	}
	return b.String()
}

// reload re-reads the files into the validator when force or when they
// changed; on error the validator keeps its trust.
func (t *trustFiles) reload(force bool) (bool, error) {
	stamp := stampOf(t.roots, t.intermediates)
	if !force && stamp == t.stamp {
		return false, nil
	}
	roots, err := pki.LoadCertificates(t.roots...)
	if err != nil {
		return false, fmt.Errorf("%s: roots: %w", t.what, err)
	}
	var inter []*x509.Certificate
	if len(t.intermediates) > 0 {
		if inter, err = pki.LoadCertificates(t.intermediates...); err != nil {
			return false, fmt.Errorf("%s: intermediates: %w", t.what, err)
		}
	}
	if err := t.v.SetTrust(roots, inter); err != nil {
		return false, fmt.Errorf("%s: %w", t.what, err)
	}
	t.stamp = stamp
	return true, nil
}

// reloadState is what the server's reloads share between the timer and
// SIGHUP.
type reloadState struct {
	mu    sync.Mutex
	trust []*trustFiles
	// warned holds the CRL states already warned of, so that each is
	// logged once, not at every tick.
	warned map[string]bool
}

// watchTrust records the files of a validator for reloads.
func (s *Server) watchTrust(what string, roots, intermediates []string, v *pki.Validator) {
	t := &trustFiles{what: what, roots: roots, intermediates: intermediates, v: v, stamp: stampOf(roots, intermediates)}
	s.state.trust = append(s.state.trust, t)
}

// Reload re-reads what the server trusts and the key it holds, as SIGHUP
// asks: the trust anchors and intermediates of [trust] and [users], the
// CRL files, and the media store's master key after a `media rekey` made
// beside the running server. What fails to load is logged and returned,
// and the previous state kept. Live sessions whose device or user chain
// no longer validates are closed (ReloadCRLs); the others go on.
func (s *Server) Reload() error {
	return s.refresh(true)
}

// refresh is Reload (force) or the periodic check, which reads the trust
// files only when they changed.
func (s *Server) refresh(force bool) error {
	s.state.mu.Lock()
	defer s.state.mu.Unlock()
	var errs []error
	for _, t := range s.state.trust {
		changed, err := t.reload(force)
		switch {
		case err != nil:
			s.log.Warn("trust reload failed; keeping the previous trust", "err", err)
			errs = append(errs, err)
		case changed && !force:
			s.log.Info("trust anchors reloaded: the files changed", "trust", t.what)
		}
	}
	if err := s.ReloadCRLs(); err != nil {
		s.log.Warn("CRL reload failed; keeping the previous CRLs", "err", err)
		errs = append(errs, err)
	}
	if kr, ok := s.Config.Catalog.(keyRefresher); ok {
		changed, err := kr.RefreshKEK()
		switch {
		case err != nil:
			s.log.Error("the media store was rekeyed and its new master key could not be opened; plays of items fail until it can", "err", err)
			errs = append(errs, err)
		case changed:
			s.log.Info("the media store was rekeyed: now under its new master key")
		}
	}
	s.warnStaleCRLs()
	if force {
		s.log.Info("reloaded trust anchors, CRLs and the media store's master key", "errors", len(errs))
	}
	return errors.Join(errs...)
}

// Stale returns the CRLs the server relies on (the device CRLs it also
// serves, and [users] crls) that are stale now or go stale within the
// warning window ([pki] crl_warning, three days by default), soonest
// first: what a readiness check reports. A user CRL's source starts with
// "users: ". After a stale CRL, revocation checking refuses every chain
// it covers.
func (s *Server) Stale() pki.CRLStatuses {
	now := s.now()
	out := s.crls.StaleWithin(now, s.crlWarning)
	if s.userCRLs != nil {
		for _, st := range s.userCRLs.StaleWithin(now, s.crlWarning) {
			st.Source = "users: " + st.Source
			out = append(out, st)
		}
	}
	return out
}

func (s *Server) now() time.Time {
	if s.Config.Now != nil {
		return s.Config.Now()
	}
	return time.Now()
}

// warnStaleCRLs logs each CRL of Stale once as it enters the warning
// window, and once more when it goes stale. Called with state.mu held.
func (s *Server) warnStaleCRLs() {
	now := s.now()
	for _, st := range s.Stale() {
		stale := st.StaleAt(now)
		key := fmt.Sprintf("%s|%s|%v|%v", st.Source, st.Issuer, st.Number, stale)
		if s.state.warned[key] {
			continue
		}
		s.state.warned[key] = true
		if stale {
			s.log.Warn("a CRL the server relies on is stale: every chain it covers is refused; run `securemedia pki crl` (deploy/securemedia-crl.timer)",
				"crl", st.String())
		} else {
			s.log.Warn("a CRL the server relies on goes stale soon: run `securemedia pki crl` (deploy/securemedia-crl.timer)",
				"crl", st.String(), "stale_in", st.NextUpdate.Sub(now).Round(time.Minute).String())
		}
	}
}

// crlWarningOf is [pki] crl_warning, or its default.
func crlWarningOf(c *config.Server) time.Duration {
	if c.PKI.CRLWarning > 0 {
		return c.PKI.CRLWarning
	}
	return defaultCRLWarning
}
