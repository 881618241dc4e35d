package deploy

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"securemedia/pki"
	"securemedia/server"
)

// readableStore is a catalog that can say whether it serves
// (*media.Store).
type readableStore interface {
	Readable() error
}

// sqlBacked is a license store on database/sql (both of ours).
type sqlBacked interface {
	DB() *sql.DB
}

// ReadyChecks are the checks of the admin listener's /readyz beside
// draining (DESIGN.md §10): the license store answers a ping (within the
// check's second), the media store is readable under the master key held,
// and no CRL the server relies on or staples is stale; one that goes
// stale within [pki] crl_warning is noted, not failed, so that replicas
// sharing the CRL files do not all leave the balancer days early. The
// reasons are fixed texts with what the operator needs (a CRL's issuer
// and date); the errors behind them go to the log.
func (s *Server) ReadyChecks() []server.ReadyCheck {
	var checks []server.ReadyCheck
	if db, ok := s.LicenseStore.(sqlBacked); ok {
		checks = append(checks, server.ReadyCheck{Name: "license_store", Check: func(ctx context.Context) (string, error) {
			if err := db.DB().PingContext(ctx); err != nil {
				s.log.Warn("readiness: the license store does not answer", "err", err)
				return "", errors.New("the license store does not answer")
			}
			return "", nil
		}})
	}
	if ms, ok := s.Config.Catalog.(readableStore); ok {
		checks = append(checks, server.ReadyCheck{Name: "media_store", Check: func(context.Context) (string, error) {
			if err := ms.Readable(); err != nil {
				s.log.Warn("readiness: the media store is not readable", "err", err)
				return "", errors.New("the media store is not readable (see the server log)")
			}
			return "", nil
		}})
	}
	checks = append(checks, server.ReadyCheck{Name: "crls", Check: func(context.Context) (string, error) {
		now := s.now()
		var stale, soon pki.CRLStatuses
		for _, st := range s.Stale() {
			if st.StaleAt(now) {
				stale = append(stale, st)
			} else {
				soon = append(soon, st)
			}
		}
		note := ""
		if len(soon) > 0 {
			note = "goes stale soon, run `securemedia pki crl`: " + describeCRLs(soon)
		}
		if len(stale) > 0 {
			return note, fmt.Errorf("stale, every chain it covers is refused; run `securemedia pki crl`: %s", describeCRLs(stale))
		}
		return note, nil
	}})
	return checks
}

func describeCRLs(l pki.CRLStatuses) string {
	parts := make([]string, len(l))
	for i, st := range l {
		parts[i] = st.String()
	}
	return strings.Join(parts, "; ")
}
