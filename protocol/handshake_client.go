package protocol

import (
	"bytes"
	"crypto/x509"
	"errors"
	"fmt"
	"io"

	"securemedia/internal/signature"
	"securemedia/protocol/internal/kdf"
	"securemedia/protocol/internal/kex"
)

// clientState is the client handshake's position in the message flow.
type clientState uint8

const (
	clientStart clientState = iota
	clientWaitServer
	clientWaitServerAfterRetry
	clientSendFinish
	clientWaitFinished
	clientDone
	clientFailed
)

// ClientHandshake is the client's side of the handshake (DESIGN.md §4).
// Use it in message order:
//
//	hello := hs.Hello()                 // POST to the server
//	retry, err := hs.ReadServerFlight(reply)
//	if retry { hello = hs.Hello(); ... ReadServerFlight again }
//	fin := hs.Finish()                  // POST to the session's finish endpoint
//	sess, err := hs.ReadServerFinished(reply)
//
// A client whose first request travels with its finish (DESIGN.md §4
// "Handshake") calls EarlySession after Finish, seals that request with
// the session it returns, and posts both; ReadServerFinished then
// confirms the same session.
type ClientHandshake struct {
	cfg   *Config
	state clientState

	first    []byte // the first ClientHello, framed
	hrr      []byte // the HelloRetryRequest, framed, if any
	hello    *clientHello
	privates map[GroupID]kex.Private

	suite      *suite
	group      *group
	sessionID  [SessionIDSize]byte
	replica    string
	transcript transcript
	hs         handshakeSecret
	clientHS   trafficSecret
	serverHS   trafficSecret
	peer       *PeerInfo
	// early is the session EarlySession made, confirmed by
	// ReadServerFinished (closed if the handshake fails instead).
	early *Session
}

// NewClientHandshake starts a client handshake.
func NewClientHandshake(cfg *Config) (*ClientHandshake, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	if cfg.User != nil && (len(cfg.User.Chain) == 0 || cfg.User.Signer == nil) {
		return nil, errors.New("protocol: user credentials without a chain or a signer")
	}
	if cfg.User != nil && cfg.WebAuthn != nil {
		return nil, errors.New("protocol: user credentials and a WebAuthn login at once")
	}
	return &ClientHandshake{cfg: cfg, privates: map[GroupID]kex.Private{}}, nil
}

// Hello returns the flight to send to the handshake endpoint: the
// ClientHello, or after a retry ClientHello ‖ HelloRetryRequest ‖ ClientHello.
func (c *ClientHandshake) Hello() ([]byte, error) {
	switch c.state {
	case clientStart:
		ch := &clientHello{version: Version, suites: c.cfg.suites(), groups: c.cfg.groups()}
		if _, err := io.ReadFull(c.cfg.rand(), ch.random[:]); err != nil {
			return nil, err
		}
		n := c.cfg.KeyShares
		if n <= 0 {
			n = 1
		}
		for _, id := range ch.groups[:min(n, len(ch.groups), maxKeyShares)] {
			share, err := c.newShare(id)
			if err != nil {
				return nil, err
			}
			ch.shares = append(ch.shares, keyShare{group: id, data: share})
		}
		c.hello = ch
		c.first = ch.marshal()
		c.state = clientWaitServer
		return c.first, nil
	case clientWaitServerAfterRetry:
		second := c.hello.marshal()
		out := make([]byte, 0, len(c.first)+len(c.hrr)+len(second))
		return append(append(append(out, c.first...), c.hrr...), second...), nil
	}
	return nil, errors.New("protocol: Hello called out of order")
}

func (c *ClientHandshake) newShare(id GroupID) ([]byte, error) {
	g := groupByID(id)
	priv, share, err := g.kex.GenerateShare(c.cfg.rand())
	if err != nil {
		return nil, fmt.Errorf("protocol: %s key share: %w", g.name, err)
	}
	c.privates[id] = priv
	return share, nil
}

// ReadServerFlight processes the server's answer to Hello. It reports retry
// when the server asked for another share or a cookie (call Hello again).
// Otherwise it verifies the ServerHello's choices against our offer, the
// server's signature over the transcript, which covers our whole offer as
// we sent it (a stripped offer, a downgrade, makes it fail) and the CRLs
// the server stapled, and then the server's chain with those CRLs.
func (c *ClientHandshake) ReadServerFlight(flight []byte) (retry bool, err error) {
	defer func() {
		if err != nil {
			c.fail()
		}
	}()
	if c.state != clientWaitServer && c.state != clientWaitServerAfterRetry {
		return false, errors.New("protocol: ReadServerFlight called out of order")
	}
	msgs, err := parseFlight(flight)
	if err != nil {
		return false, err
	}
	if len(msgs) == 1 && msgs[0].typ == typeHelloRetryRequest {
		if c.state != clientWaitServer {
			return false, newError(AlertHandshakeFailure, "second HelloRetryRequest")
		}
		return true, c.handleRetry(msgs[0])
	}
	if len(msgs) != 4 || msgs[0].typ != typeServerHello || msgs[1].typ != typeCertificate ||
		msgs[2].typ != typeStapledCRLs || msgs[3].typ != typeCertificateVerify {
		return false, newError(AlertDecodeError, "unexpected server flight")
	}
	sh, err := parseServerHello(msgs[0].body)
	if err != nil {
		return false, err
	}
	s, g := suiteByID(sh.suite), groupByID(sh.group)
	if s == nil || !containsSuite(c.hello.suites, sh.suite) {
		return false, newError(AlertHandshakeFailure, "server chose suite %s, which we did not offer", sh.suite)
	}
	if g == nil || !containsGroup(c.hello.groups, sh.group) {
		return false, newError(AlertHandshakeFailure, "server chose group %s, which we did not offer", sh.group)
	}
	priv := c.privates[sh.group]
	if priv == nil {
		return false, newError(AlertHandshakeFailure, "server chose group %s without our share", sh.group)
	}
	if c.hrr != nil && (c.suite.id != sh.suite || c.group.id != sh.group) {
		return false, newError(AlertHandshakeFailure, "ServerHello differs from the HelloRetryRequest")
	}
	c.suite, c.group, c.sessionID, c.replica = s, g, sh.sessionID, sh.replica

	// The transcript, as we sent and received it.
	c.transcript.add(c.first)
	if c.hrr != nil {
		c.transcript.add(c.hrr, c.hello.marshal())
	}
	c.transcript.start(s)
	c.transcript.add(msgs[0].raw, msgs[1].raw, msgs[2].raw)

	chain, err := parseCertificate(msgs[1].body)
	if err != nil {
		return false, err
	}
	crls, err := parseStapledCRLs(msgs[2].body)
	if err != nil {
		return false, err
	}
	cv, err := parseCertificateVerify(msgs[3].body)
	if err != nil {
		return false, err
	}
	leaf, err := authenticate(chain, cv, contextServerSignature, c.transcript.sum(), false,
		func() (*x509.Certificate, error) { return c.cfg.VerifyPeer(chain, crls) })
	if err != nil {
		if Code(err) == AlertDecryptError {
			return false, newError(AlertDecryptError, "server signature does not cover our hello (tampering or downgrade)")
		}
		var pe *Error
		if errors.As(err, &pe) && pe.Code == AlertBadCertificate {
			return false, &Error{Code: AlertBadCertificate, Err: fmt.Errorf("server certificate: %w", pe.Err)}
		}
		return false, err
	}
	c.transcript.add(msgs[3].raw)

	shared, err := priv.Finish(sh.share)
	c.erasePrivates()
	if err != nil {
		return false, &Error{Code: AlertHandshakeFailure, Err: fmt.Errorf("server %s share: %w", g.name, err)}
	}
	c.hs = s.deriveHandshakeSecret(shared)
	kdf.Erase(shared)
	c.clientHS, c.serverHS = s.handshakeTrafficSecrets(c.hs, c.transcript.sum())
	c.peer = &PeerInfo{Certificate: leaf}
	c.state = clientSendFinish
	return false, nil
}

// handleRetry answers a HelloRetryRequest: the suite and group must be among
// our offer. Without a cookie it asks for a share we did not send; with
// one it may name a group we sent a share for, which the second hello
// then repeats. The second hello repeats the first's random and offer and
// carries exactly one share, for the requested group. The retry itself is
// unauthenticated, so the server re-derives it from our first hello and
// signs the whole transcript; a forged retry fails there.
func (c *ClientHandshake) handleRetry(m message) error {
	hrr, err := parseHelloRetryRequest(m.body)
	if err != nil {
		return err
	}
	s, g := suiteByID(hrr.suite), groupByID(hrr.group)
	if s == nil || !containsSuite(c.hello.suites, hrr.suite) || g == nil || !containsGroup(c.hello.groups, hrr.group) {
		return newError(AlertHandshakeFailure, "HelloRetryRequest names something we did not offer")
	}
	share := shareFor(c.hello, hrr.group)
	switch {
	case share != nil && len(hrr.cookie) == 0:
		return newError(AlertHandshakeFailure, "HelloRetryRequest for a group we sent a share for")
	case share != nil:
		c.erasePrivatesExcept(hrr.group)
	default:
		c.erasePrivates()
		if share, err = c.newShare(hrr.group); err != nil {
			return err
		}
	}
	second := *c.hello
	second.shares = []keyShare{{group: hrr.group, data: share}}
	c.hello = &second
	c.hrr = m.raw
	c.suite, c.group = s, g
	c.state = clientWaitServerAfterRetry
	return nil
}

// SessionID is the id chosen by the server (valid after ReadServerFlight).
func (c *ClientHandshake) SessionID() [SessionIDSize]byte { return c.sessionID }

// Replica is the name of the server replica that holds the session, from
// the signed ServerHello (valid after ReadServerFlight); empty for a single
// server. The session's URLs are /v1/session/<replica>.<hex id>.
func (c *ClientHandshake) Replica() string { return c.replica }

// Suite and Group are the negotiated choices (valid after ReadServerFlight).
func (c *ClientHandshake) Suite() SuiteID { return c.suite.id }

// Group is the negotiated key-exchange group.
func (c *ClientHandshake) Group() GroupID { return c.group.id }

// Finish builds the client's finish record: under the client handshake
// key, the device Certificate and CertificateVerify, the user kind and the
// user's part (a card's UserCertificate and UserCertificateVerify, or a
// WebAuthn assertion), and Finished.
func (c *ClientHandshake) Finish() ([]byte, error) {
	if c.state != clientSendFinish {
		return nil, errors.New("protocol: Finish called out of order")
	}
	var flight bytes.Buffer
	add := func(raw []byte) { flight.Write(raw); c.transcript.add(raw) }
	add(marshalCertificate(typeCertificate, c.cfg.Certificate))
	scheme, sig, err := signature.Sign(c.cfg.PrivateKey, contextClientSignature, c.transcript.sum(), signature.Options{Rand: c.cfg.rand()})
	if err != nil {
		c.fail()
		return nil, err
	}
	add((&certificateVerify{scheme: uint16(scheme), signature: sig}).marshal(typeCertificateVerify))
	if err := c.addUser(add); err != nil {
		c.fail()
		return nil, err
	}
	add(frame(typeFinished, c.suite.finishedMAC(c.clientHS, c.transcript.sum())))

	rec, err := c.suite.sealHandshakeRecord(c.clientHS, flight.Bytes())
	if err != nil {
		c.fail()
		return nil, err
	}
	c.state = clientWaitFinished
	return rec, nil
}

// addUser adds the user kind and the person's part of the finish
// (webauthn.go): the card's chain and signature, or the WebAuthn
// assertion over the challenge of the transcript so far, or nothing.
func (c *ClientHandshake) addUser(add func([]byte)) error {
	switch {
	case c.cfg.User != nil:
		u := c.cfg.User
		add([]byte{byte(userCertificate)})
		add(marshalCertificate(typeUserCertificate, u.Chain))
		scheme, sig, err := signature.Sign(u.Signer, contextUserSignature, c.transcript.sum(), signature.Options{AllowPKCS1: u.AllowPKCS1, Rand: c.cfg.rand()})
		if err != nil {
			return fmt.Errorf("user signature: %w", err)
		}
		add((&certificateVerify{scheme: uint16(scheme), signature: sig}).marshal(typeUserCertificateVerify))
	case c.cfg.WebAuthn != nil:
		a, err := c.cfg.WebAuthn(c.suite.webAuthnChallenge(c.transcript.sum()))
		if err != nil {
			return fmt.Errorf("WebAuthn login: %w", err)
		}
		if a == nil {
			return errors.New("WebAuthn login: no assertion")
		}
		if err := a.check(); err != nil {
			return fmt.Errorf("WebAuthn login: %w", err)
		}
		add([]byte{byte(userWebAuthn)})
		add(a.marshal())
	default:
		add([]byte{byte(userNone)})
	}
	return nil
}

// EarlySession returns, once Finish has built the finish, the session
// of the application keys that finish fixes (the transcript ends with the
// client's Finished), so that the client's first request can travel with
// its finish, as TLS 1.3 sends application data right after the client's
// Finished (RFC 8446 §4.4.4). The server is already authenticated by its
// flight; what is not yet known is whether it accepts the client: the
// session may seal that first request, but no answer counts before
// ReadServerFinished has checked the server's Finished, and it returns
// this same session. If the handshake fails instead, the session is
// closed and its keys erased.
//
// From then on the handshake keeps only what checking the server's
// Finished needs (the server handshake traffic secret and the
// transcript): the handshake secret, from which the application keys
// come, and the client handshake traffic secret, which opens the finish
// (the device's and the user's identities), are erased at once, not when
// the finish's answer comes, however long the first request waits.
func (c *ClientHandshake) EarlySession() (*Session, error) {
	if c.state != clientWaitFinished {
		return nil, errors.New("protocol: EarlySession called out of order")
	}
	if c.early == nil {
		sess, err := c.applicationSession()
		if err != nil {
			c.fail()
			return nil, err
		}
		c.early = sess
		kdf.Erase(c.hs, c.clientHS)
	}
	return c.early, nil
}

// applicationSession makes the established session from the transcript
// through the client's Finished.
func (c *ClientHandshake) applicationSession() (*Session, error) {
	ms := c.suite.deriveMasterSecret(c.hs)
	cAP, sAP := c.suite.applicationTrafficSecrets(ms, c.transcript.sum())
	sess, err := newSession(roleClient, c.cfg, c.sessionID, c.suite, c.group, ms, cAP, sAP)
	if err != nil {
		return nil, err
	}
	sess.peer = c.peer
	return sess, nil
}

// ReadServerFinished checks the server's Finished and returns the
// established session (EarlySession's, when it made one). Failing here
// ends the handshake.
func (c *ClientHandshake) ReadServerFinished(record []byte) (sess *Session, err error) {
	defer func() {
		if err != nil {
			c.fail()
		}
	}()
	if c.state != clientWaitFinished {
		return nil, errors.New("protocol: ReadServerFinished called out of order")
	}
	plain, err := c.suite.openHandshakeRecord(c.serverHS, record)
	if err != nil {
		return nil, err
	}
	msgs, err := parseFlight(plain)
	if err != nil {
		return nil, err
	}
	th := c.transcript.sum()
	if len(msgs) != 1 || msgs[0].typ != typeFinished || !equalMAC(msgs[0].body, c.suite.finishedMAC(c.serverHS, th)) {
		return nil, newError(AlertDecryptError, "server Finished does not match")
	}
	if sess = c.early; sess == nil {
		if sess, err = c.applicationSession(); err != nil {
			return nil, err
		}
	}
	c.early = nil
	c.Erase()
	c.state = clientDone
	return sess, nil
}

// Peer is what the handshake learned about the server.
func (c *ClientHandshake) Peer() *PeerInfo { return c.peer }

func (c *ClientHandshake) fail() {
	c.Erase()
	if c.early != nil {
		c.early.Close()
		c.early = nil
	}
	c.state = clientFailed
}

func (c *ClientHandshake) erasePrivates() { c.erasePrivatesExcept(0) }

// erasePrivatesExcept erases every ephemeral private key but keep's.
func (c *ClientHandshake) erasePrivatesExcept(keep GroupID) {
	for id, p := range c.privates {
		if id != keep {
			p.Erase()
			delete(c.privates, id)
		}
	}
}

// Erase zeroes every secret the handshake holds: ephemeral private keys and
// handshake secrets.
func (c *ClientHandshake) Erase() {
	c.erasePrivates()
	kdf.Erase(c.hs, c.clientHS, c.serverHS)
}
