package protocol

import (
	"bytes"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"time"

	"securemedia/internal/signature"
	"securemedia/protocol/internal/kdf"
)

// ServerHandshake is a half-open session: the server has sent its flight
// and waits for the client's finish. It holds the handshake secrets and
// the transcript, nothing else; the server keeps it in a bounded table
// that expires it quickly (DESIGN.md §4 "Limits").
type ServerHandshake struct {
	cfg        *Config
	suite      *suite
	group      *group
	sessionID  [SessionIDSize]byte
	transcript transcript
	hs         handshakeSecret
	clientHS   trafficSecret
	serverHS   trafficSecret
	created    time.Time
	done       bool
}

// Accept runs the server's side of the hellos (DESIGN.md §4 "Handshake"):
// it parses the client's flight (a ClientHello, or ClientHello ‖
// HelloRetryRequest ‖ ClientHello after a retry), negotiates, and answers.
// When the client sent no share for the chosen group it returns a nil
// handshake and a HelloRetryRequest, keeping no state. Otherwise it returns
// the half-open handshake and the flight ServerHello ‖ Certificate ‖
// CertificateVerify.
func Accept(cfg *Config, flight []byte) (*ServerHandshake, []byte, error) {
	if err := cfg.check(); err != nil {
		return nil, nil, &Error{Code: AlertInternal, Err: err}
	}
	msgs, err := parseFlight(flight)
	if err != nil {
		return nil, nil, err
	}
	var ch *clientHello
	var tr transcript
	switch {
	case len(msgs) == 1 && msgs[0].typ == typeClientHello:
		if ch, err = parseClientHello(msgs[0].body); err != nil {
			return nil, nil, err
		}
		s, g, err := cfg.negotiate(ch)
		if err != nil {
			return nil, nil, err
		}
		if shareFor(ch, g.id) == nil {
			hrr := &helloRetryRequest{version: Version, suite: s.id, group: g.id}
			return nil, hrr.marshal(), nil
		}
		tr.add(msgs[0].raw)
	case len(msgs) == 3 && msgs[0].typ == typeClientHello && msgs[1].typ == typeHelloRetryRequest && msgs[2].typ == typeClientHello:
		if ch, err = cfg.checkRetry(msgs); err != nil {
			return nil, nil, err
		}
		tr.add(msgs[0].raw, msgs[1].raw, msgs[2].raw)
	default:
		return nil, nil, newError(AlertDecodeError, "unexpected hello flight")
	}
	return cfg.respond(ch, tr)
}

// negotiate picks the first of the server's suites, and of its groups, that
// the client offers (DESIGN.md §4 "Negotiation").
func (cfg *Config) negotiate(ch *clientHello) (*suite, *group, error) {
	var s *suite
	for _, id := range cfg.suites() {
		if containsSuite(ch.suites, id) {
			s = suiteByID(id)
			break
		}
	}
	if s == nil {
		return nil, nil, newError(AlertHandshakeFailure, "no common cipher suite")
	}
	var g *group
	for _, id := range cfg.groups() {
		if containsGroup(ch.groups, id) {
			g = groupByID(id)
			break
		}
	}
	if g == nil {
		return nil, nil, newError(AlertHandshakeFailure, "no common key-exchange group")
	}
	return s, g, nil
}

// checkRetry validates a retry flight statelessly: the HelloRetryRequest
// must be exactly the one this server computes from the first hello, and
// the second hello must repeat the offer and carry the requested share.
func (cfg *Config) checkRetry(msgs []message) (*clientHello, error) {
	ch1, err := parseClientHello(msgs[0].body)
	if err != nil {
		return nil, err
	}
	s, g, err := cfg.negotiate(ch1)
	if err != nil {
		return nil, err
	}
	if shareFor(ch1, g.id) != nil {
		return nil, newError(AlertHandshakeFailure, "retry flight although the first hello had a usable share")
	}
	want := (&helloRetryRequest{version: Version, suite: s.id, group: g.id}).marshal()
	if !bytes.Equal(want, msgs[1].raw) {
		return nil, newError(AlertHandshakeFailure, "HelloRetryRequest in the retry flight is not this server's")
	}
	ch2, err := parseClientHello(msgs[2].body)
	if err != nil {
		return nil, err
	}
	if !sameOffer(ch1, ch2) {
		return nil, newError(AlertHandshakeFailure, "second ClientHello changed the offer")
	}
	if len(ch2.shares) != 1 || ch2.shares[0].group != g.id {
		return nil, newError(AlertHandshakeFailure, "second ClientHello lacks the requested share")
	}
	return ch2, nil
}

func sameOffer(a, b *clientHello) bool {
	if len(a.suites) != len(b.suites) || len(a.groups) != len(b.groups) {
		return false
	}
	for i := range a.suites {
		if a.suites[i] != b.suites[i] {
			return false
		}
	}
	for i := range a.groups {
		if a.groups[i] != b.groups[i] {
			return false
		}
	}
	return true
}

func shareFor(ch *clientHello, g GroupID) []byte {
	for _, ks := range ch.shares {
		if ks.group == g {
			return ks.data
		}
	}
	return nil
}

// respond completes the exchange and signs the transcript.
func (cfg *Config) respond(ch *clientHello, tr transcript) (*ServerHandshake, []byte, error) {
	s, g, err := cfg.negotiate(ch)
	if err != nil {
		return nil, nil, err
	}
	rnd := cfg.rand()
	sh := &serverHello{version: Version, suite: s.id, group: g.id}
	if _, err := io.ReadFull(rnd, sh.sessionID[:]); err != nil {
		return nil, nil, &Error{Code: AlertInternal, Err: err}
	}
	if _, err := io.ReadFull(rnd, sh.random[:]); err != nil {
		return nil, nil, &Error{Code: AlertInternal, Err: err}
	}
	share, shared, err := g.kex.Respond(rnd, shareFor(ch, g.id))
	if err != nil {
		return nil, nil, &Error{Code: AlertHandshakeFailure, Err: fmt.Errorf("client %s share: %w", g.name, err)}
	}
	defer kdf.Erase(shared)
	sh.share = share

	tr.start(s)
	shRaw := sh.marshal()
	certRaw := marshalCertificate(typeCertificate, cfg.Certificate)
	tr.add(shRaw, certRaw)
	scheme, sig, err := signature.Sign(cfg.PrivateKey, contextServerSignature, tr.sum(), signature.Options{Rand: rnd})
	if err != nil {
		return nil, nil, &Error{Code: AlertInternal, Err: err}
	}
	cvRaw := (&certificateVerify{scheme: uint16(scheme), signature: sig}).marshal(typeCertificateVerify)
	tr.add(cvRaw)

	hs := &ServerHandshake{cfg: cfg, suite: s, group: g, sessionID: sh.sessionID, transcript: tr, created: cfg.now()}
	hs.hs = s.deriveHandshakeSecret(shared)
	hs.clientHS, hs.serverHS = s.handshakeTrafficSecrets(hs.hs, tr.sum())

	reply := make([]byte, 0, len(shRaw)+len(certRaw)+len(cvRaw))
	reply = append(append(append(reply, shRaw...), certRaw...), cvRaw...)
	return hs, reply, nil
}

// SessionID is the id the server chose; it names the session in URLs.
func (hs *ServerHandshake) SessionID() [SessionIDSize]byte { return hs.sessionID }

// Created is when the half-open handshake began (for expiry).
func (hs *ServerHandshake) Created() time.Time { return hs.created }

// Finish opens the client's finish record, authenticates the client device
// (and the user, when present) and the Finished MAC, and returns the server
// Finished record and the established session. Any failure leaves the
// half-open handshake unchanged, so that a forged record from someone who
// knows only the session id changes nothing; the caller discards it on
// expiry or on success.
func (hs *ServerHandshake) Finish(record []byte) ([]byte, *Session, *PeerInfo, error) {
	if hs.done {
		return nil, nil, nil, newError(AlertBadRecord, "handshake already finished or expired")
	}
	h, aad, ct, rest, err := parseRecord(record)
	if err != nil || len(rest) != 0 || h.typ != RecordHandshake || h.epoch != 0 || h.seq != 0 {
		return nil, nil, nil, &Error{Code: AlertBadRecord, Err: ErrRecordRejected}
	}
	c, err := hs.suite.recordCipher(hs.clientHS)
	if err != nil {
		return nil, nil, nil, &Error{Code: AlertInternal, Err: err}
	}
	defer c.Erase()
	plain, err := c.Open(nil, 0, aad, ct)
	if err != nil {
		return nil, nil, nil, &Error{Code: AlertBadRecord, Err: ErrRecordRejected}
	}
	msgs, err := parseFlight(plain)
	if err != nil {
		return nil, nil, nil, err
	}
	tr, err := hs.transcript.clone() // a failed attempt must not advance the real one
	if err != nil {
		return nil, nil, nil, &Error{Code: AlertInternal, Err: err}
	}
	peer := &PeerInfo{}

	i := 0
	next := func(t msgType) (*message, error) {
		if i >= len(msgs) || msgs[i].typ != t {
			return nil, newError(AlertDecodeError, "expected message type %d", t)
		}
		i++
		return &msgs[i-1], nil
	}
	// Device: Certificate, CertificateVerify.
	if peer.Certificate, err = hs.verifyIdentity(&tr, next, typeCertificate, typeCertificateVerify, hs.cfg.VerifyPeer, contextClientSignature, false); err != nil {
		return nil, nil, nil, err
	}
	// User: optional UserCertificate, UserCertificateVerify.
	if i < len(msgs) && msgs[i].typ == typeUserCertificate {
		if hs.cfg.VerifyUser == nil {
			return nil, nil, nil, &Error{Code: AlertBadCertificate, Err: ErrUserNotAccepted}
		}
		if peer.User, err = hs.verifyIdentity(&tr, next, typeUserCertificate, typeUserCertificateVerify, hs.cfg.VerifyUser, contextUserSignature, true); err != nil {
			return nil, nil, nil, err
		}
	} else if hs.cfg.RequireUser {
		return nil, nil, nil, &Error{Code: AlertBadCertificate, Err: ErrUserRequired}
	}
	fin, err := next(typeFinished)
	if err != nil {
		return nil, nil, nil, err
	}
	if i != len(msgs) {
		return nil, nil, nil, newError(AlertDecodeError, "trailing messages after Finished")
	}
	if !equalMAC(fin.body, hs.suite.finishedMAC(hs.clientHS, tr.sum())) {
		return nil, nil, nil, newError(AlertDecryptError, "client Finished does not match")
	}
	tr.add(fin.raw)
	th := tr.sum()

	ms := hs.suite.deriveMasterSecret(hs.hs)
	cAP, sAP := hs.suite.applicationTrafficSecrets(ms, th)
	sc, err := hs.suite.recordCipher(hs.serverHS)
	if err != nil {
		return nil, nil, nil, &Error{Code: AlertInternal, Err: err}
	}
	defer sc.Erase()
	finished := frame(typeFinished, hs.suite.finishedMAC(hs.serverHS, th))
	reply, err := hs.suite.sealRecord(nil, sc, RecordHandshake, 0, 0, finished)
	if err != nil {
		return nil, nil, nil, &Error{Code: AlertInternal, Err: err}
	}
	sess, err := newSession(roleServer, hs.cfg, hs.sessionID, hs.suite, hs.group, ms, sAP, cAP)
	if err != nil {
		return nil, nil, nil, &Error{Code: AlertInternal, Err: err}
	}
	hs.done = true
	hs.Erase()
	return reply, sess, peer, nil
}

// verifyIdentity checks one Certificate/CertificateVerify pair: first the
// signature over the transcript up to the certificate, with the key of the
// leaf as sent, then the chain through verify. The order matters: only a
// peer that holds the leaf's private key learns anything from the chain's
// validation (revoked, expired, not registered), so nobody can probe the
// server with someone else's public certificate.
func (hs *ServerHandshake) verifyIdentity(tr *transcript, next func(msgType) (*message, error), certType, cvType msgType,
	verify func([][]byte) (*x509.Certificate, error), context string, allowPKCS1 bool) (*x509.Certificate, error) {
	certMsg, err := next(certType)
	if err != nil {
		return nil, err
	}
	chain, err := parseCertificate(certMsg.body)
	if err != nil {
		return nil, err
	}
	claimed, err := x509.ParseCertificate(chain[0])
	if err != nil {
		return nil, &Error{Code: AlertBadCertificate, Err: errors.New("malformed certificate")}
	}
	tr.add(certMsg.raw)
	cvMsg, err := next(cvType)
	if err != nil {
		return nil, err
	}
	cv, err := parseCertificateVerify(cvMsg.body)
	if err != nil {
		return nil, err
	}
	if err := signature.Verify(claimed.PublicKey, signature.Scheme(cv.scheme), context, tr.sum(), cv.signature, allowPKCS1); err != nil {
		return nil, &Error{Code: AlertDecryptError, Err: errors.New("CertificateVerify signature does not verify")}
	}
	leaf, err := verify(chain)
	if err != nil {
		return nil, &Error{Code: AlertBadCertificate, Err: err}
	}
	if !leaf.Equal(claimed) {
		return nil, &Error{Code: AlertBadCertificate, Err: errors.New("the validated leaf is not the certificate sent")}
	}
	tr.add(cvMsg.raw)
	return leaf, nil
}

// Erase zeroes the handshake secrets; the handshake can no longer finish
// (a finish under erased, all-zero secrets must never succeed).
func (hs *ServerHandshake) Erase() {
	kdf.Erase(hs.hs, hs.clientHS, hs.serverHS)
	hs.done = true
}
