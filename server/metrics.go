package server

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are what an operator watches (DESIGN.md §1): sessions, handshakes
// by outcome, rejected records, plays and the bytes streamed. Each server
// has its own registry (no package-level state), served at GET /metrics.
// The labels carry no identity, media id or key material.
type metrics struct {
	registry        *prometheus.Registry
	handshakes      *prometheus.CounterVec
	recordsRejected prometheus.Counter
	chunks          prometheus.Counter
	bytes           prometheus.Counter
	rekeys          prometheus.Counter
	plays           *prometheus.CounterVec
	movedSessions   prometheus.Counter
	requestsRefused prometheus.Counter
}

func newMetrics(s *Server) *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		handshakes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "securemedia_handshakes_total", Help: "Handshakes by outcome: server_flight, established, retry (a share asked for), cookie (a cookie asked for under load), refused (429), draining (503), unavailable (503: the user registry did not answer), or the class of a failure.",
		}, []string{"outcome"}),
		recordsRejected: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "securemedia_records_rejected_total", Help: "Request records that failed authentication, framing or the replay window.",
		}),
		chunks: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "securemedia_chunks_sent_total", Help: "Chunk records sent.",
		}),
		bytes: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "securemedia_media_bytes_sent_total", Help: "Media bytes sent in chunk records (plaintext size).",
		}),
		rekeys: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "securemedia_rekeys_total", Help: "In-session rekeys completed.",
		}),
		plays: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "securemedia_plays_total", Help: "Play requests by outcome (granted, payment_required, refused) and plays resumed after a transport fault (resumed).",
		}, []string{"outcome"}),
		movedSessions: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "securemedia_sessions_moved_total", Help: "Sessions a draining replica told to go elsewhere (their plays resume on another replica).",
		}),
		requestsRefused: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "securemedia_requests_refused_in_flight_total", Help: "Authenticated requests refused inside the channel because their session had [limits] max_requests_per_session in flight.",
		}),
	}
	sessions := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "securemedia_sessions", Help: "Established sessions.",
	}, func() float64 { e, _ := s.Sessions(); return float64(e) })
	halfOpen := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "securemedia_sessions_half_open", Help: "Handshakes waiting for the client's finish.",
	}, func() float64 { _, h := s.Sessions(); return float64(h) })
	draining := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "securemedia_draining", Help: "1 while the server drains (SIGTERM): it takes no new sessions and hands its plays off.",
	}, func() float64 {
		if s.Draining() {
			return 1
		}
		return 0
	})
	m.registry.MustRegister(m.handshakes, m.recordsRejected, m.chunks, m.bytes, m.rekeys, m.plays, m.movedSessions, m.requestsRefused, sessions, halfOpen, draining,
		prometheus.NewGoCollector(), prometheus.NewProcessCollector(prometheus.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
}
