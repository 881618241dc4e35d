package pki

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// CRLSet is the current content of a list of CRL files, reloaded on demand
// (for example on a timer or on SIGHUP) without a restart. It is safe for
// concurrent use.
type CRLSet struct {
	paths []string

	mu     sync.RWMutex
	names  []string
	ders   [][]byte
	status CRLStatuses
}

// NewCRLSet loads the CRL files (PEM or DER, one CRL each).
func NewCRLSet(paths []string) (*CRLSet, error) {
	if len(paths) == 0 {
		return nil, errors.New("pki: no crl files")
	}
	s := &CRLSet{paths: append([]string(nil), paths...)}
	if err := s.Reload(); err != nil {
		return nil, err
	}
	return s, nil
}

// Reload rereads every file and replaces the set atomically; on error the
// previous CRLs stay in place.
func (s *CRLSet) Reload() error {
	names := make([]string, 0, len(s.paths))
	ders := make([][]byte, 0, len(s.paths))
	status := make(CRLStatuses, 0, len(s.paths))
	seen := map[string]bool{}
	for _, p := range s.paths {
		crls, err := LoadCRLs(p)
		if err != nil {
			return fmt.Errorf("pki: reload crls: %w", err)
		}
		if len(crls) != 1 {
			return fmt.Errorf("pki: reload crls: %s: want one crl, found %d", p, len(crls))
		}
		name := strings.TrimSuffix(filepath.Base(p), filepath.Ext(p))
		if seen[name] {
			return fmt.Errorf("pki: reload crls: two files named %q", name)
		}
		crl, err := x509.ParseRevocationList(crls[0])
		if err != nil {
			return fmt.Errorf("pki: reload crls: %s: %w", p, err)
		}
		seen[name] = true
		names = append(names, name)
		ders = append(ders, crls[0])
		status = append(status, statusOf(name, crl))
	}
	s.mu.Lock()
	s.names, s.ders, s.status = names, ders, status
	s.mu.Unlock()
	return nil
}

// Bytes returns the current CRLs (DER), in the order of the paths. The
// caller must not modify them.
func (s *CRLSet) Bytes() [][]byte {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return append([][]byte(nil), s.ders...)
}

// lookup finds a CRL by file name (without extension) or by index.
func (s *CRLSet) lookup(name string) ([]byte, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for i, n := range s.names {
		if n == name {
			return s.ders[i], true
		}
	}
	if i, err := strconv.Atoi(name); err == nil && i >= 0 && i < len(s.ders) && strconv.Itoa(i) == name {
		return s.ders[i], true
	}
	return nil, false
}

func (s *CRLSet) index() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return append([]string(nil), s.names...)
}

// CRLHandler serves the set's CRLs: GET /crl/{name}.crl (DER,
// application/pkix-crl), where name is a file's base name (root,
// intermediate) or its index, and GET /crl/ for a plain-text index. It can
// be mounted at any prefix that ends in /crl/. It answers 404 or 405 to
// anything else and never 5xx.
func CRLHandler(set *CRLSet) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		p := r.URL.Path
		if strings.HasSuffix(p, "/crl/") || strings.HasSuffix(p, "/crl") {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Header().Set("Cache-Control", "no-cache")
			for _, n := range set.index() {
				fmt.Fprintf(w, "%s.crl\n", n)
			}
			return
		}
		base := path.Base(p)
		if !strings.HasSuffix(base, ".crl") || !strings.Contains(p, "/crl/") {
			http.NotFound(w, r)
			return
		}
		der, ok := set.lookup(strings.TrimSuffix(base, ".crl"))
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/pkix-crl")
		w.Header().Set("Content-Length", strconv.Itoa(len(der)))
		w.Header().Set("Cache-Control", "no-cache")
		if r.Method == http.MethodHead {
			return
		}
		w.Write(der)
	})
}
