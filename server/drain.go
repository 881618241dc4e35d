package server

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"securemedia/message"
)

// Draining (DESIGN.md §10): a replica about to stop (SIGTERM) moves its
// plays to the others without failing one. Readiness fails at once, so
// the balancer stops sending it hellos; hellos and finishes that still
// reach it are answered 503 with Retry-After, which the client retries
// through the balancer. Fetches running finish; a session that asks for
// more is answered, inside the channel, StatusGoElsewhere and closed: the
// client takes that as a transport fault, handshakes again through the
// balancer and resumes its play on another replica for no view. Drain
// returns once nothing is left to hand off.

// retryAfterDraining is the Retry-After of a hello refused while draining:
// at once, for the balancer sends the retry to another replica.
const retryAfterDraining = 0

// drainPoll is how often Drain looks whether the replica is quiet.
const drainPoll = 50 * time.Millisecond

// Drain stops this replica taking sessions and hands its plays off (see
// above). It returns when no session request is in flight and no session
// is in the middle of a play, or with ctx's error when ctx is done first.
// Serve goes on until its own context ends.
func (s *Server) Drain(ctx context.Context) error {
	if !s.draining.Swap(true) {
		close(s.drainStarted)
		s.log.Info("draining: refusing new sessions, handing plays off")
	}
	tick := time.NewTicker(drainPoll)
	defer tick.Stop()
	for {
		if s.inFlight.Load() == 0 && !s.sessions.anyMidPlay() {
			s.log.Info("drained: no play left on this replica")
			return nil
		}
		select {
		case <-ctx.Done():
			s.log.Warn("drain timeout: ending the plays left", "in_flight", s.inFlight.Load())
			return ctx.Err()
		case <-tick.C:
		}
	}
}

// Draining reports whether Drain was called.
func (s *Server) Draining() bool { return s.draining.Load() }

// counted counts the session requests in flight, for Drain.
func (s *Server) counted(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.inFlight.Add(1)
		defer s.inFlight.Add(-1)
		h(w, r)
	}
}

// refuseDraining answers a hello or a finish while draining: 503 with
// Retry-After, before any work.
func (s *Server) refuseDraining(w http.ResponseWriter) {
	s.metrics.handshakes.WithLabelValues("draining").Inc()
	w.Header().Set("Retry-After", strconv.Itoa(retryAfterDraining))
	writeProblem(w, probDraining, "this server is stopping; connect again")
}

// goElsewhere answers an authenticated request while draining: the
// session is closed and the client told so inside the channel.
func (s *Server) goElsewhere(w http.ResponseWriter, l *live, id sessionID, seq uint64) {
	s.reply(w, l, seq, message.StatusGoElsewhere, errorBody("this server is stopping: connect again and resume"))
	s.sessions.remove(id)
	s.metrics.movedSessions.Inc()
	s.log.Info("session told to go elsewhere: draining", "session", id.String())
}
