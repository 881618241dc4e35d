package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"securemedia/internal/netlimit"
	"securemedia/license"
	"securemedia/pki"
	"securemedia/protocol"
)

const octetStream = "application/octet-stream"

// readBody reads at most limit bytes of the request body; it reports false
// (having answered the client) when the body is larger or unreadable.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, bool) {
	if r.ContentLength > limit {
		// A declared length over the limit is refused before a byte of
		// the body is read: the cheap check first (DESIGN.md §4
		// "Limits"), rather than waiting, up to the read timeout, for a
		// body that will be refused anyway (with Expect: 100-continue
		// the client is not even asked for it). The connection closes
		// after the answer: without that, net/http would first read and
		// discard a body of up to 256 KiB to keep the connection.
		w.Header().Set("Connection", "close")
		writeProblem(w, probTooLarge, "")
		return nil, false
	}
	// A declared length sizes the buffer at once (one allocation, no
	// regrowth); the limit still bounds what is read.
	var buf bytes.Buffer
	if n := r.ContentLength; n > 0 {
		buf.Grow(int(n) + bytes.MinRead)
	}
	_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, limit))
	body := buf.Bytes()
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			writeProblem(w, probTooLarge, "")
		} else {
			writeProblem(w, probMalformed, "could not read the request body")
		}
		return nil, false
	}
	return body, true
}

// handleHello answers a hello flight (DESIGN.md §4 "Handshake" and
// "Admission"). Reading the hello is cheap (parse, negotiate, check a
// cookie's MAC); the caps are decided next, and only an admitted hello
// costs the server a key exchange and a signature. A refused hello gets
// 429 with Retry-After; under load a hello without a cookie gets a
// HelloRetryRequest carrying one, and nothing is kept or signed for it.
func (s *Server) handleHello(w http.ResponseWriter, r *http.Request) {
	if s.Draining() {
		s.refuseDraining(w)
		return
	}
	body, ok := readBody(w, r, protocol.MaxHandshakeFlight)
	if !ok {
		return
	}
	client := remoteHost(r)
	h, err := protocol.ReadHello(s.proto, body, []byte(client))
	if err != nil {
		if errors.Is(err, protocol.ErrCookieRejected) {
			// Stale, from another address, or from a replica with another
			// key: the client starts over at once.
			s.refuse(w, r, "cookie rejected", retryAfterNow)
			return
		}
		s.handshakeProblem(w, r, err)
		return
	}
	needsShare := h.NeedsShare()
	decision, place := s.sessions.admit(client, h.Cookie(), !needsShare)
	switch {
	case decision == refused:
		s.refuse(w, r, "session table full", retryAfterFull)
	case decision == challenged && h.Retried():
		// A retry for a share, made before the load: no cookie to echo.
		s.refuse(w, r, "cookie required", retryAfterNow)
	case decision == challenged:
		s.writeRetry(w, r, h, true)
	case needsShare:
		s.writeRetry(w, r, h, false)
	default:
		defer place.release() // a no-op once committed
		hs, reply, err := h.Respond()
		if err != nil {
			s.handshakeProblem(w, r, err)
			return
		}
		if err := place.commit(hs); err != nil {
			hs.Erase()
			s.refuse(w, r, err.Error(), retryAfterFull)
			return
		}
		s.metrics.handshakes.WithLabelValues("server_flight").Inc()
		writeFlight(w, reply)
	}
}

// writeRetry answers a hello with a HelloRetryRequest: a share request, a
// cookie, or both.
func (s *Server) writeRetry(w http.ResponseWriter, r *http.Request, h *protocol.Hello, cookie bool) {
	hrr, err := h.Retry(cookie)
	if err != nil {
		s.handshakeProblem(w, r, err)
		return
	}
	outcome := "retry"
	if cookie {
		outcome = "cookie"
	}
	s.metrics.handshakes.WithLabelValues(outcome).Inc()
	writeFlight(w, hrr)
}

// Retry-After values of a refused hello, in seconds: a full table frees
// places as handshakes finish or expire; a rejected or missing cookie
// wants a fresh hello at once (the client still backs off).
const (
	retryAfterFull = 1
	retryAfterNow  = 0
)

// refuse answers 429 with Retry-After, having done no work for the hello.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, reason string, retryAfter int) {
	s.log.Warn("handshake refused", "reason", reason, "remote", r.RemoteAddr)
	s.metrics.handshakes.WithLabelValues("refused").Inc()
	w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
	writeProblem(w, probBusy, "try again later")
}

// writeFlight writes a handshake answer. Its length is declared: a server
// flight with its chain and stapled CRLs is larger than net/http buffers
// before it falls back to chunked encoding.
func writeFlight(w http.ResponseWriter, b []byte) {
	h := w.Header()
	h.Set("Content-Type", octetStream)
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	_, _ = w.Write(b)
}

// remoteHost is the unit of the per-client half-open cap: the client's
// IPv4 address, or its IPv6 /64 (one host can rotate addresses within
// it), as for the listener's per-client connection share (netlimit.Host).
// Behind a reverse proxy every client shares the proxy's address; raise
// [limits] max_half_open_per_client there.
func remoteHost(r *http.Request) string { return netlimit.Host(r.RemoteAddr) }

// handleFinish authenticates the client (and user) and establishes the
// session. The client's first request may follow the finish in the same
// body (DESIGN.md §4 "Handshake"; protocol's doc, "The message flow"): it
// is opened only once the finish is verified, and answered after the
// server's Finished, in the same answer. A request that fails to open
// ends the new session before it is used.
func (s *Server) handleFinish(w http.ResponseWriter, r *http.Request) {
	if s.Draining() {
		s.refuseDraining(w)
		return
	}
	id, ok := parseSessionID(r.PathValue("id"))
	if !ok {
		writeProblem(w, probNoSession, "")
		return
	}
	h := s.sessions.halfOpen(id)
	if h == nil {
		writeProblem(w, probNoSession, "")
		return
	}
	body, ok := readBody(w, r, protocol.MaxHandshakeFlight+s.limits.MaxRequestRecord)
	if !ok {
		return
	}
	fin, early, err := protocol.SplitRecord(body)
	if err != nil {
		fin, early = body, nil // Finish refuses it as any unreadable finish
	}
	if len(fin) > protocol.MaxHandshakeFlight || len(early) > int(s.limits.MaxRequestRecord) {
		writeProblem(w, probTooLarge, "")
		return
	}
	h.mu.Lock()
	reply, sess, peer, err := h.hs.Finish(fin)
	h.mu.Unlock()
	if err != nil {
		s.handshakeProblem(w, r, err)
		return
	}
	var seq uint64
	var payload []byte
	if len(early) > 0 {
		if payload, seq, err = sess.Open(early, protocol.RecordRequest); err != nil {
			// The same answer as any record that fails (records.go); the
			// session never starts, and its place is freed at once.
			sess.Close()
			s.sessions.dropHalf(id, h)
			s.log.Info("record rejected", "session", id.String(), "remote", r.RemoteAddr, "err", err)
			s.metrics.recordsRejected.Inc()
			writeProblem(w, probRecord, "")
			return
		}
	}
	sess.SetPeer(peer)
	now := s.now()
	device := sha256.Sum256(peer.Certificate.Raw)
	l := &live{sess: sess, peer: peer, device: hex.EncodeToString(device[:]), created: now}
	if s.browsers != nil && isBrowserCert(peer.Certificate) {
		l.browser, l.device = true, license.DeviceName(deviceSPKIHash(peer.Certificate))
	}
	if s.cfg.StillValid != nil && !l.browser {
		l.deviceChain, l.userChain = s.chains.chainOf(peer.Certificate), s.chains.chainOf(peer.User)
	}
	l.touch(now)
	switch {
	case peer.User != nil:
		l.user = peer.User.Subject.SerialNumber
	case peer.WebAuthnUser != "":
		l.user = peer.WebAuthnUser
	}
	ok, dropped := s.sessions.promote(id, h, l)
	if !ok {
		sess.Close()
		writeProblem(w, probNoSession, "the handshake expired")
		return
	}
	for _, old := range dropped {
		old.close() // a request of it in flight answers 404 from here on
	}
	if len(dropped) > 0 {
		s.log.Info("oldest sessions closed: their user or device holds more than its share", "closed", len(dropped), "user", l.user)
	}
	s.logEstablished(r, id, l)
	if l.browser {
		s.log.Debug("browser session", "session", id.String(), "user", l.user, "device", l.device)
	}
	s.metrics.handshakes.WithLabelValues("established").Inc()
	if len(early) == 0 {
		writeFlight(w, reply)
		return
	}
	s.serveRequest(&flightFirst{ResponseWriter: w, flight: reply}, r, id, l, seq, payload)
}

// flightFirst writes the server's Finished ahead of the answer to the
// request that travelled with the finish, at that answer's first byte. An
// answer that is a problem document instead (its status is not 200: the
// session was closed meanwhile, or the answer could not be sealed) goes
// out alone, as the per-session endpoint would send it.
type flightFirst struct {
	http.ResponseWriter
	flight []byte
	state  flightState
}

type flightState int

const (
	flightPending flightState = iota
	flightWritten
	flightDropped // the answer is a problem document
)

func (f *flightFirst) WriteHeader(code int) {
	if f.state == flightPending && code != http.StatusOK {
		f.state = flightDropped
	}
	f.ResponseWriter.WriteHeader(code)
}

func (f *flightFirst) Write(p []byte) (int, error) {
	if f.state == flightPending {
		f.state = flightWritten
		f.Header().Set("Cache-Control", "no-store")
		if _, err := f.ResponseWriter.Write(f.flight); err != nil {
			return 0, err
		}
	}
	return f.ResponseWriter.Write(p)
}

// Flush passes a flush on (a fetch flushes its answer's end).
func (f *flightFirst) Flush() {
	if fl, ok := f.ResponseWriter.(http.Flusher); ok {
		fl.Flush()
	}
}

// Unwrap is for http.ResponseController.
func (f *flightFirst) Unwrap() http.ResponseWriter { return f.ResponseWriter }

// logEstablished logs a new session at info level; the record is built
// only when that level is on, a handshake being too short for the
// formatting of a record nobody reads.
func (s *Server) logEstablished(r *http.Request, id sessionID, l *live) {
	if !s.log.Enabled(r.Context(), slog.LevelInfo) {
		return
	}
	peer := l.peer
	attrs := []any{"session", id.String(), "suite", l.sess.Suite().String(), "group", l.sess.Group().String(),
		"device", peer.Certificate.Subject.CommonName, "remote", r.RemoteAddr}
	switch {
	case peer.User != nil:
		attrs = append(attrs, "user", l.user, "user_name", peer.User.Subject.CommonName)
	case peer.WebAuthnUser != "":
		// A browser viewer's identity stays out of the log at info level.
		attrs = append(attrs, "login", "webauthn")
	case l.browser:
		attrs = append(attrs, "login", "none: registration only")
	}
	s.log.Info("session established", attrs...)
}

// handshakeProblem maps a protocol error to a problem document. Only the
// class of failure reaches the client; for a refused certificate the reason
// (revoked, expired, ...) concerns the client's own certificate and tells
// the operator what to fix, so it is included.
func (s *Server) handshakeProblem(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Info("handshake failed", "remote", r.RemoteAddr, "err", err)
	if ur := (*userRefusedError)(nil); errors.As(err, &ur) && ur.unavailable {
		// The registry did not answer (an outage, or a store too busy to
		// answer in time): nothing is wrong with the person; the client
		// tries again.
		s.metrics.handshakes.WithLabelValues("unavailable").Inc()
		w.Header().Set("Retry-After", strconv.Itoa(retryAfterFull))
		writeProblem(w, probUnavailable, "the user registry did not answer; try again")
		return
	}
	s.metrics.handshakes.WithLabelValues(protocol.Code(err).String()).Inc()
	switch protocol.Code(err) {
	case protocol.AlertDecodeError:
		writeProblem(w, probMalformed, "the handshake message could not be decoded")
	case protocol.AlertProtocolVersion:
		writeProblem(w, probVersion, "this server speaks protocol version 1")
	case protocol.AlertHandshakeFailure:
		writeProblem(w, probNegotiation, negotiationDetail(err))
	case protocol.AlertBadCertificate:
		writeProblem(w, probCertificate, certificateDetail(err))
	case protocol.AlertDecryptError:
		writeProblem(w, probAuthentication, "")
	case protocol.AlertBadRecord:
		writeProblem(w, probRecord, "")
	default:
		writeProblem(w, probInternal, "")
	}
}

// negotiationDetail keeps the detail of a negotiation failure only where it
// names no secret: which list had nothing in common, or that a share was bad.
func negotiationDetail(err error) string {
	var pe *protocol.Error
	if errors.As(err, &pe) && pe.Err != nil {
		msg := pe.Err.Error()
		for _, known := range []string{"no common cipher suite", "no common key-exchange group"} {
			if msg == known {
				return known
			}
		}
	}
	return "the offer or the key share was refused"
}

// certificateDetail returns the validator's reason without wrapping noise.
//
// The problem document travels in clear, so it carries only the reason —
// "certificate revoked", "user not registered" — never the certificate's
// subject or serial, which crossed the wire encrypted (DESIGN.md §2.1). The
// details stay in the server's log.
func certificateDetail(err error) string {
	var ur *userRefusedError
	switch {
	case errors.As(err, &ur):
		return ur.reason
	case errors.Is(err, protocol.ErrUserRequired):
		return protocol.ErrUserRequired.Error()
	case errors.Is(err, protocol.ErrUserNotAccepted):
		return protocol.ErrUserNotAccepted.Error()
	}
	if r := pki.ReasonOf(err); r != 0 {
		return r.String()
	}
	return "certificate refused"
}
