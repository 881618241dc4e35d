package server

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"time"
)

// The admin listener's endpoints (DESIGN.md §10): what an operator and a
// balancer watch, kept off the public listener, which serves only the
// protocol and the CRLs. It is bound to loopback or a private interface.
//
//	GET /healthz   200 while the process serves
//	GET /readyz    200 when every readiness check passes and the server is
//	               not draining, else 503; a JSON body says which failed
//	GET /metrics   Prometheus metrics

// ReadyCheck is one readiness condition of the admin listener's /readyz.
type ReadyCheck struct {
	// Name names the check in the /readyz body ("license_store").
	Name string
	// Check returns an error when the server is not ready; note, when not
	// empty, is shown even when it passes (a CRL that goes stale soon).
	// It must return within ctx (readyCheckTimeout).
	Check func(ctx context.Context) (note string, err error)
}

// readyCheckTimeout bounds each readiness check.
const readyCheckTimeout = time.Second

// Readiness is the /readyz body.
type Readiness struct {
	Ready  bool          `json:"ready"`
	Checks []CheckResult `json:"checks"`
}

// CheckResult is one check of a Readiness.
type CheckResult struct {
	Name  string `json:"name"`
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
	Note  string `json:"note,omitempty"`
}

// Ready runs the readiness checks, "draining" first, each within
// readyCheckTimeout.
func (s *Server) Ready(ctx context.Context, checks ...ReadyCheck) Readiness {
	rd := Readiness{Ready: true, Checks: []CheckResult{{Name: "draining", OK: !s.Draining()}}}
	if s.Draining() {
		rd.Ready = false
		rd.Checks[0].Error = "the server is stopping (SIGTERM) and hands its plays off"
	}
	for _, c := range checks {
		cctx, cancel := context.WithTimeout(ctx, readyCheckTimeout)
		note, err := c.Check(cctx)
		if err == nil && cctx.Err() != nil {
			err = cctx.Err()
		}
		cancel()
		res := CheckResult{Name: c.Name, OK: err == nil, Note: note}
		if err != nil {
			rd.Ready = false
			res.Error = err.Error()
		}
		rd.Checks = append(rd.Checks, res)
	}
	return rd
}

// AdminHandler serves /healthz, /readyz (with checks) and /metrics. One
// readiness evaluation runs at a time.
func (s *Server) AdminHandler(checks ...ReadyCheck) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write([]byte("ok\n"))
	})
	var one sync.Mutex
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		one.Lock()
		rd := s.Ready(r.Context(), checks...)
		one.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		if !rd.Ready {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		_ = json.NewEncoder(w).Encode(rd)
	})
	mux.Handle("GET /metrics", s.metrics.handler())
	return mux
}
