package protocol

import (
	"bytes"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

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

// Hello is a client's hello flight as the server read it: parsed,
// negotiated, its cookie (if any) checked, and nothing else done. Reading a
// hello costs the server no allocation beyond the message, no key exchange
// and no signature, so that admission (DESIGN.md §4 "Admission": caps, and
// under load a cookie) is decided before any expensive work: the caller
// answers Retry, or admits the client and calls Respond, or refuses.
type Hello struct {
	cfg    *Config
	client []byte
	suite  *suite
	group  *group
	// first is the first ClientHello (framed), ch the one to answer: the
	// same, or the second after a retry.
	first []byte
	ch    *clientHello
	// raws are the flight's framed messages, the start of the transcript.
	raws [][]byte
	// retried: the flight is ClientHello ‖ HelloRetryRequest ‖
	// ClientHello; cookie: its retry request carried a valid cookie.
	retried, cookie bool
}

// ReadHello reads a hello flight (DESIGN.md §4 "Handshake"): a ClientHello,
// or after a retry ClientHello ‖ HelloRetryRequest ‖ ClientHello, where the
// HelloRetryRequest is the one this server sent, echoed. client is the
// client's address as the server sees it, bound into cookies (opaque
// here). A retry request is not trusted: ReadHello recomputes it from the
// first hello and checks its cookie, in constant time, against client, the
// first hello and its age; a cookie that fails is an *Error wrapping
// ErrCookieRejected.
func ReadHello(cfg *Config, flight, client []byte) (*Hello, error) {
	if err := cfg.check(); err != nil {
		return nil, &Error{Code: AlertInternal, Err: err}
	}
	msgs, err := parseFlight(flight)
	if err != nil {
		return nil, err
	}
	h := &Hello{cfg: cfg, client: client}
	switch {
	case len(msgs) == 1 && msgs[0].typ == typeClientHello:
		if h.ch, err = parseClientHello(msgs[0].body); err != nil {
			return nil, err
		}
		if h.suite, h.group, err = cfg.negotiate(h.ch); err != nil {
			return nil, err
		}
	case len(msgs) == 3 && msgs[0].typ == typeClientHello && msgs[1].typ == typeHelloRetryRequest && msgs[2].typ == typeClientHello:
		if err := h.readRetry(msgs); err != nil {
			return nil, err
		}
	default:
		return nil, newError(AlertDecodeError, "unexpected hello flight")
	}
	h.first = msgs[0].raw
	for _, m := range msgs {
		h.raws = append(h.raws, m.raw)
	}
	return h, nil
}

// Accept reads a hello flight and answers it without admission control:
// a HelloRetryRequest (and a nil handshake) when the client sent no share
// for the chosen group, otherwise the half-open handshake and the server
// flight (see Respond). It binds no client address into cookies. A server
// facing the network uses ReadHello, decides admission, then Respond.
func Accept(cfg *Config, flight []byte) (*ServerHandshake, []byte, error) {
	h, err := ReadHello(cfg, flight, nil)
	if err != nil {
		return nil, nil, err
	}
	if h.NeedsShare() {
		hrr, err := h.Retry(false)
		return nil, hrr, err
	}
	return h.Respond()
}

// NeedsShare reports whether the client sent no share for the chosen
// group: the answer must be a HelloRetryRequest, whatever the load.
func (h *Hello) NeedsShare() bool { return shareFor(h.ch, h.group.id) == nil }

// Retried reports whether the flight is a retry flight: it cannot be
// answered with another HelloRetryRequest.
func (h *Hello) Retried() bool { return h.retried }

// Cookie reports whether the flight echoed a valid cookie: the client
// received the server's answer at its address, moments ago.
func (h *Hello) Cookie() bool { return h.cookie }

// Retry returns the HelloRetryRequest that answers a first hello: it asks
// for a share of the chosen group when the client sent none, and carries a
// cookie when withCookie (a server under load). The server keeps nothing.
func (h *Hello) Retry(withCookie bool) ([]byte, error) {
	if h.retried {
		return nil, newError(AlertInternal, "a retry flight cannot be answered with another retry")
	}
	if !withCookie && !h.NeedsShare() {
		return nil, newError(AlertInternal, "a retry without a cookie for a hello that has the share")
	}
	hrr := &helloRetryRequest{version: Version, suite: h.suite.id, group: h.group.id}
	if withCookie {
		c, err := h.cfg.makeCookie(h.client, h.first, h.suite.id, h.group.id)
		if err != nil {
			return nil, &Error{Code: AlertInternal, Err: err}
		}
		hrr.cookie = c
	}
	return hrr.marshal(), nil
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

// readRetry validates a retry flight statelessly: the HelloRetryRequest
// must be exactly the one this server computes from the first hello, its
// cookie (when it has one) must verify, and the second hello must repeat
// the first's random and offer and carry exactly one share, for the
// requested group.
func (h *Hello) readRetry(msgs []message) error {
	ch1, err := parseClientHello(msgs[0].body)
	if err != nil {
		return err
	}
	s, g, err := h.cfg.negotiate(ch1)
	if err != nil {
		return err
	}
	hrr, err := parseHelloRetryRequest(msgs[1].body)
	if err != nil {
		return err
	}
	if hrr.suite != s.id || hrr.group != g.id {
		return newError(AlertHandshakeFailure, "HelloRetryRequest in the retry flight is not this server's")
	}
	if len(hrr.cookie) == 0 && shareFor(ch1, g.id) != nil {
		return newError(AlertHandshakeFailure, "retry flight although the first hello had a usable share")
	}
	if len(hrr.cookie) > 0 {
		if err := h.cfg.checkCookie(hrr.cookie, h.client, msgs[0].raw, s.id, g.id); err != nil {
			return err
		}
	}
	ch2, err := parseClientHello(msgs[2].body)
	if err != nil {
		return err
	}
	if ch2.random != ch1.random || !sameOffer(ch1, ch2) {
		return newError(AlertHandshakeFailure, "second ClientHello changed the offer")
	}
	if len(ch2.shares) != 1 || ch2.shares[0].group != g.id {
		return newError(AlertHandshakeFailure, "second ClientHello lacks the requested share")
	}
	h.ch, h.suite, h.group = ch2, s, g
	h.retried, h.cookie = true, len(hrr.cookie) > 0
	return nil
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

// Respond is the expensive step, for an admitted hello only: the server's
// ephemeral exchange and its signature over the transcript. It returns the
// half-open handshake and the server flight ServerHello ‖ Certificate ‖
// StapledCRLs ‖ CertificateVerify.
func (h *Hello) Respond() (*ServerHandshake, []byte, error) {
	if h.NeedsShare() {
		return nil, nil, newError(AlertInternal, "Respond to a hello without the share")
	}
	cfg, s, g := h.cfg, h.suite, h.group
	var crls [][]byte
	if cfg.StapledCRLs != nil {
		crls = cfg.StapledCRLs()
	}
	if err := CheckStapledCRLs(crls); err != nil {
		return nil, nil, &Error{Code: AlertInternal, Err: err}
	}
	rnd := cfg.rand()
	sh := &serverHello{version: Version, suite: s.id, group: g.id, replica: cfg.Replica}
	if _, err := io.ReadFull(rnd, sh.sessionID[:]); err != nil {
		return nil, nil, &Error{Code: AlertInternal, Err: err}
	}
	if _, err := io.ReadFull(rnd, sh.random[:]); err != nil {
		return nil, nil, &Error{Code: AlertInternal, Err: err}
	}
	share, shared, err := g.kex.Respond(rnd, shareFor(h.ch, g.id))
	if err != nil {
		return nil, nil, &Error{Code: AlertHandshakeFailure, Err: fmt.Errorf("client %s share: %w", g.name, err)}
	}
	defer kdf.Erase(shared)
	sh.share = share

	var tr transcript
	tr.add(h.raws...)
	tr.start(s)
	shRaw := sh.marshal()
	certRaw := marshalCertificate(typeCertificate, cfg.Certificate)
	crlRaw := marshalStapledCRLs(crls)
	tr.add(shRaw, certRaw, crlRaw)
	scheme, sig, err := signature.Sign(cfg.PrivateKey, contextServerSignature, tr.sum(), signature.Options{Rand: rnd})
	if err != nil {
		return nil, nil, &Error{Code: AlertInternal, Err: err}
	}
	cvRaw := (&certificateVerify{scheme: uint16(scheme), signature: sig}).marshal(typeCertificateVerify)
	tr.add(cvRaw)

	hs := &ServerHandshake{cfg: cfg, suite: s, group: g, sessionID: sh.sessionID, transcript: tr, created: cfg.now()}
	hs.hs = s.deriveHandshakeSecret(shared)
	hs.clientHS, hs.serverHS = s.handshakeTrafficSecrets(hs.hs, tr.sum())

	reply := make([]byte, 0, len(shRaw)+len(certRaw)+len(crlRaw)+len(cvRaw))
	reply = append(append(append(append(reply, shRaw...), certRaw...), crlRaw...), cvRaw...)
	if len(reply) > MaxHandshakeFlight {
		hs.Erase()
		return nil, nil, newError(AlertInternal, "server flight of %d bytes exceeds %d", len(reply), MaxHandshakeFlight)
	}
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
	plain, err := hs.suite.openHandshakeRecord(hs.clientHS, record)
	if err != nil {
		return nil, nil, nil, err
	}
	f, err := parseClientFinish(plain)
	if err != nil {
		return nil, nil, nil, err
	}
	tr, err := hs.transcript.clone() // a failed attempt must not advance the real one
	if err != nil {
		return nil, nil, nil, &Error{Code: AlertInternal, Err: err}
	}
	peer, err := hs.verifyClient(&tr, f)
	if err != nil {
		return nil, nil, nil, err
	}
	fin := &f.finished
	if !equalMAC(fin.body, hs.suite.finishedMAC(hs.clientHS, tr.sum())) {
		return nil, nil, nil, newError(AlertDecryptError, "client Finished does not match")
	}
	tr.add(fin.raw)
	th := tr.sum()

	ms := hs.suite.deriveMasterSecret(hs.hs)
	cAP, sAP := hs.suite.applicationTrafficSecrets(ms, th)
	finished := frame(typeFinished, hs.suite.finishedMAC(hs.serverHS, th))
	reply, err := hs.suite.sealHandshakeRecord(hs.serverHS, finished)
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

// verifyClient authenticates the client's finish f, advancing tr: the
// device, then the person by the user kind (DESIGN.md §4, §6, §11), then
// AdmitPeer or RequireUser decide on the pair.
func (hs *ServerHandshake) verifyClient(tr *transcript, f *clientFinish) (*PeerInfo, error) {
	cfg := hs.cfg
	peer := &PeerInfo{}
	verifyDevice := func(chain [][]byte) (*x509.Certificate, error) { return cfg.VerifyPeer(chain, nil) }
	var err error
	if peer.Certificate, err = verifyIdentity(tr, f.deviceCert, f.deviceVerify, verifyDevice, contextClientSignature, false); err != nil {
		return nil, err
	}
	// The WebAuthn challenge covers everything before the user part.
	challenge := hs.suite.webAuthnChallenge(tr.sum())
	tr.add(f.user[:1])
	switch f.kind {
	case userCertificate:
		if cfg.VerifyUser == nil {
			return nil, &Error{Code: AlertBadCertificate, Err: ErrUserNotAccepted}
		}
		if peer.User, err = verifyIdentity(tr, f.userCert, f.userVerify, cfg.VerifyUser, contextUserSignature, true); err != nil {
			return nil, err
		}
	case userWebAuthn:
		if cfg.VerifyWebAuthn == nil {
			return nil, &Error{Code: AlertBadCertificate, Err: ErrUserNotAccepted}
		}
		if peer.WebAuthnUser, err = cfg.VerifyWebAuthn(challenge, *f.webauthn, sha256.Sum256(peer.Certificate.RawSubjectPublicKeyInfo)); err != nil {
			return nil, &Error{Code: AlertBadCertificate, Err: err}
		}
		if peer.WebAuthnUser == "" {
			return nil, &Error{Code: AlertInternal, Err: errors.New("the WebAuthn verifier returned no user")}
		}
		tr.add(f.user[1:])
	}
	switch {
	case cfg.AdmitPeer != nil:
		if err := cfg.AdmitPeer(peer); err != nil {
			return nil, &Error{Code: AlertBadCertificate, Err: err}
		}
	case cfg.RequireUser && f.kind == userNone:
		return nil, &Error{Code: AlertBadCertificate, Err: ErrUserRequired}
	}
	return peer, nil
}

// verifyIdentity checks one Certificate/CertificateVerify pair with
// verify, the transcript up to the certificate being what the signature
// covers, and adds both to it.
func verifyIdentity(tr *transcript, certMsg, cvMsg message, verify func([][]byte) (*x509.Certificate, error),
	context string, allowPKCS1 bool) (*x509.Certificate, error) {
	chain, err := parseCertificate(certMsg.body)
	if err != nil {
		return nil, err
	}
	tr.add(certMsg.raw)
	cv, err := parseCertificateVerify(cvMsg.body)
	if err != nil {
		return nil, err
	}
	leaf, err := authenticate(chain, cv, context, tr.sum(), allowPKCS1, func() (*x509.Certificate, error) { return verify(chain) })
	if err != nil {
		return nil, err
	}
	tr.add(cvMsg.raw)
	return leaf, nil
}

// authenticate checks a peer's identity: first its signature over the
// transcript hash th, with the key of the leaf as sent, then the chain
// (and anything else the signature covered, such as stapled CRLs) through
// verify, whose leaf must be the one sent. The order matters: only a peer
// that holds the leaf's private key learns anything from the chain's
// validation (revoked, expired, not registered), so nobody can probe a
// server with someone else's public certificate; and nothing the
// signature covers reaches the validator unless the signature verified, so
// a man in the middle cannot feed it (stapled CRLs above all).
func authenticate(chain [][]byte, cv *certificateVerify, context string, th []byte, allowPKCS1 bool,
	verify func() (*x509.Certificate, error)) (*x509.Certificate, error) {
	spki, claimed, err := leafPublicKey(chain[0])
	if err != nil {
		return nil, &Error{Code: AlertBadCertificate, Err: errors.New("malformed certificate")}
	}
	if err := signature.Verify(claimed, signature.Scheme(cv.scheme), context, th, cv.signature, allowPKCS1); err != nil {
		return nil, &Error{Code: AlertDecryptError, Err: errors.New("CertificateVerify signature does not verify")}
	}
	leaf, err := verify()
	if err != nil {
		return nil, &Error{Code: AlertBadCertificate, Err: err}
	}
	if !bytes.Equal(leaf.Raw, chain[0]) || !bytes.Equal(leaf.RawSubjectPublicKeyInfo, spki) {
		return nil, &Error{Code: AlertBadCertificate, Err: errors.New("the validated leaf is not the certificate sent")}
	}
	return leaf, nil
}

// leafPublicKey returns the subjectPublicKeyInfo of a DER certificate
// (RFC 5280 §4.1: Certificate → tbsCertificate → the seventh field, after
// the optional version) and the key it holds, without parsing the rest:
// the signature is checked with it before the chain is validated, and the
// validated leaf must then be these bytes with this key (authenticate).
func leafPublicKey(der []byte) ([]byte, crypto.PublicKey, error) {
	s := cryptobyte.String(der)
	var cert, tbs, spki cryptobyte.String
	if !s.ReadASN1(&cert, cbasn1.SEQUENCE) || !s.Empty() || !cert.ReadASN1(&tbs, cbasn1.SEQUENCE) ||
		!tbs.SkipOptionalASN1(cbasn1.Tag(0).Constructed().ContextSpecific()) ||
		!tbs.SkipASN1(cbasn1.INTEGER) || // serialNumber
		!tbs.SkipASN1(cbasn1.SEQUENCE) || // signature
		!tbs.SkipASN1(cbasn1.SEQUENCE) || // issuer
		!tbs.SkipASN1(cbasn1.SEQUENCE) || // validity
		!tbs.SkipASN1(cbasn1.SEQUENCE) || // subject
		!tbs.ReadASN1Element(&spki, cbasn1.SEQUENCE) {
		return nil, nil, errors.New("malformed certificate")
	}
	key, err := x509.ParsePKIXPublicKey(spki)
	if err != nil {
		return nil, nil, err
	}
	return spki, key, nil
}

// Erase zeroes the handshake secrets; the handshake can no longer finish
// (a finish under erased, all-zero secrets must never succeed).
func (hs *ServerHandshake) Erase() {
	kdf.Erase(hs.hs, hs.clientHS, hs.serverHS)
	hs.done = true
}
