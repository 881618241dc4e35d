package protocol

import (
	"errors"
	"fmt"

	"golang.org/x/crypto/cryptobyte"
)

// msgType is a handshake message type. Every handshake message is framed as
// type (1 byte) ‖ length (3 bytes) ‖ body, as in RFC 8446 §4, and the framed
// bytes are what the transcript hash covers.
type msgType uint8

const (
	typeClientHello           msgType = 1
	typeServerHello           msgType = 2
	typeHelloRetryRequest     msgType = 6
	typeCertificate           msgType = 11
	typeCertificateVerify     msgType = 15
	typeFinished              msgType = 20
	typeUserCertificate       msgType = 21
	typeUserCertificateVerify msgType = 22
	typeStapledCRLs           msgType = 23
)

// message is one framed handshake message.
type message struct {
	typ  msgType
	body []byte
	raw  []byte // the framed bytes, for the transcript
}

// frame wraps a body into a framed handshake message.
func frame(t msgType, body []byte) []byte {
	b := cryptobyte.NewBuilder(make([]byte, 0, handshakeHeaderSize+len(body)))
	b.AddUint8(uint8(t))
	b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(body) })
	return b.BytesOrPanic()
}

// maxFlightMessages bounds how many messages one flight may hold.
const maxFlightMessages = 8

// parseFlight splits a flight into framed messages.
func parseFlight(data []byte) ([]message, error) {
	if len(data) > MaxHandshakeFlight {
		return nil, newError(AlertDecodeError, "flight of %d bytes exceeds %d", len(data), MaxHandshakeFlight)
	}
	s := cryptobyte.String(data)
	var out []message
	for !s.Empty() {
		if len(out) == maxFlightMessages {
			return nil, newError(AlertDecodeError, "more than %d messages in a flight", maxFlightMessages)
		}
		start := s
		var t uint8
		var body cryptobyte.String
		if !s.ReadUint8(&t) || !s.ReadUint24LengthPrefixed(&body) {
			return nil, newError(AlertDecodeError, "truncated handshake message")
		}
		n := len(start) - len(s)
		out = append(out, message{typ: msgType(t), body: []byte(body), raw: []byte(start[:n])})
	}
	if len(out) == 0 {
		return nil, newError(AlertDecodeError, "empty flight")
	}
	return out, nil
}

// readMessage reads one framed message of type want from s.
func readMessage(s *cryptobyte.String, want msgType) (message, error) {
	start := *s
	var t uint8
	var body cryptobyte.String
	if !s.ReadUint8(&t) || !s.ReadUint24LengthPrefixed(&body) {
		return message{}, newError(AlertDecodeError, "truncated handshake message")
	}
	if msgType(t) != want {
		return message{}, newError(AlertDecodeError, "expected message type %d, got %d", want, t)
	}
	n := len(start) - len(*s)
	return message{typ: want, body: []byte(body), raw: []byte(start[:n])}, nil
}

// clientFinish is the plaintext of the client's finish record (DESIGN.md
// §4 "Handshake"):
//
//	Certificate ‖ CertificateVerify     // the device, framed (types 11, 15)
//	user_kind ‖ user part               // the person (webauthn.go)
//	Finished                            // framed (type 20)
type clientFinish struct {
	deviceCert, deviceVerify message
	kind                     userKind
	// userCert and userVerify are the certificate kind's messages (types
	// 21, 22), webauthn the webauthn kind's assertion.
	userCert, userVerify message
	webauthn             *WebAuthnAssertion
	// user is the kind byte and the user part, as sent.
	user     []byte
	finished message
}

// parseClientFinish splits a finish into its parts; any byte after
// Finished is an error. It checks framing and bounds only.
func parseClientFinish(plain []byte) (*clientFinish, error) {
	if len(plain) > MaxHandshakeFlight {
		return nil, newError(AlertDecodeError, "finish of %d bytes exceeds %d", len(plain), MaxHandshakeFlight)
	}
	s := cryptobyte.String(plain)
	f := &clientFinish{}
	var err error
	if f.deviceCert, err = readMessage(&s, typeCertificate); err != nil {
		return nil, err
	}
	if f.deviceVerify, err = readMessage(&s, typeCertificateVerify); err != nil {
		return nil, err
	}
	userStart := s
	var kind uint8
	if !s.ReadUint8(&kind) {
		return nil, newError(AlertDecodeError, "finish without a user kind")
	}
	switch f.kind = userKind(kind); f.kind {
	case userNone:
	case userCertificate:
		if f.userCert, err = readMessage(&s, typeUserCertificate); err != nil {
			return nil, err
		}
		if f.userVerify, err = readMessage(&s, typeUserCertificateVerify); err != nil {
			return nil, err
		}
	case userWebAuthn:
		if f.webauthn, err = readWebAuthnAssertion(&s); err != nil {
			return nil, err
		}
	default:
		return nil, newError(AlertDecodeError, "unknown user kind %d", kind)
	}
	f.user = []byte(userStart[:len(userStart)-len(s)])
	if f.finished, err = readMessage(&s, typeFinished); err != nil {
		return nil, err
	}
	if !s.Empty() {
		return nil, newError(AlertDecodeError, "trailing bytes after Finished")
	}
	return f, nil
}

// marshal is the finish as sent: the concatenation of its parts.
func (f *clientFinish) marshal() []byte {
	var out []byte
	for _, b := range [][]byte{f.deviceCert.raw, f.deviceVerify.raw, f.user, f.finished.raw} {
		out = append(out, b...)
	}
	return out
}

// keyShare is one offered (or chosen) key share.
type keyShare struct {
	group GroupID
	data  []byte
}

// clientHello is DESIGN.md §4's ClientHello: version, random, the offered
// suites and groups in preference order, and key shares.
type clientHello struct {
	version uint16
	random  [RandomSize]byte
	suites  []SuiteID
	groups  []GroupID
	shares  []keyShare
}

func (m *clientHello) marshal() []byte {
	b := cryptobyte.NewBuilder(nil)
	b.AddUint16(m.version)
	b.AddBytes(m.random[:])
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
		for _, s := range m.suites {
			b.AddUint16(uint16(s))
		}
	})
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
		for _, g := range m.groups {
			b.AddUint16(uint16(g))
		}
	})
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
		for _, ks := range m.shares {
			b.AddUint16(uint16(ks.group))
			b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(ks.data) })
		}
	})
	return frame(typeClientHello, b.BytesOrPanic())
}

func parseClientHello(body []byte) (*clientHello, error) {
	s := cryptobyte.String(body)
	m := &clientHello{}
	var suites, groups, shares cryptobyte.String
	if !s.ReadUint16(&m.version) || !s.CopyBytes(m.random[:]) ||
		!s.ReadUint16LengthPrefixed(&suites) || !s.ReadUint16LengthPrefixed(&groups) ||
		!s.ReadUint16LengthPrefixed(&shares) || !s.Empty() {
		return nil, newError(AlertDecodeError, "malformed ClientHello")
	}
	if m.version != Version {
		return nil, newError(AlertProtocolVersion, "ClientHello version 0x%04x, want 0x%04x", m.version, Version)
	}
	if len(suites)%2 != 0 || len(suites) == 0 || len(suites)/2 > maxOffered {
		return nil, newError(AlertDecodeError, "ClientHello suites list of %d bytes", len(suites))
	}
	if len(groups)%2 != 0 || len(groups) == 0 || len(groups)/2 > maxOffered {
		return nil, newError(AlertDecodeError, "ClientHello groups list of %d bytes", len(groups))
	}
	for !suites.Empty() {
		var v uint16
		suites.ReadUint16(&v)
		m.suites = append(m.suites, SuiteID(v))
	}
	for !groups.Empty() {
		var v uint16
		groups.ReadUint16(&v)
		m.groups = append(m.groups, GroupID(v))
	}
	for !shares.Empty() {
		if len(m.shares) == maxKeyShares {
			return nil, newError(AlertDecodeError, "more than %d key shares", maxKeyShares)
		}
		var g uint16
		var data cryptobyte.String
		if !shares.ReadUint16(&g) || !shares.ReadUint16LengthPrefixed(&data) || len(data) == 0 {
			return nil, newError(AlertDecodeError, "malformed key share")
		}
		for _, ks := range m.shares {
			if ks.group == GroupID(g) {
				return nil, newError(AlertDecodeError, "two key shares for %s", GroupID(g))
			}
		}
		if !containsGroup(m.groups, GroupID(g)) {
			return nil, newError(AlertDecodeError, "key share for %s, a group not offered", GroupID(g))
		}
		m.shares = append(m.shares, keyShare{group: GroupID(g), data: []byte(data)})
	}
	return m, nil
}

// serverHello carries the session id, the server random, the choices and
// the name of the replica that holds the session (empty for none).
type serverHello struct {
	version   uint16
	sessionID [SessionIDSize]byte
	random    [RandomSize]byte
	suite     SuiteID
	group     GroupID
	share     []byte
	replica   string
}

func (m *serverHello) marshal() []byte {
	b := cryptobyte.NewBuilder(nil)
	b.AddUint16(m.version)
	b.AddBytes(m.sessionID[:])
	b.AddBytes(m.random[:])
	b.AddUint16(uint16(m.suite))
	b.AddUint16(uint16(m.group))
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(m.share) })
	b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes([]byte(m.replica)) })
	return frame(typeServerHello, b.BytesOrPanic())
}

func parseServerHello(body []byte) (*serverHello, error) {
	s := cryptobyte.String(body)
	m := &serverHello{}
	var share, replica cryptobyte.String
	var suite, group uint16
	if !s.ReadUint16(&m.version) || !s.CopyBytes(m.sessionID[:]) || !s.CopyBytes(m.random[:]) ||
		!s.ReadUint16(&suite) || !s.ReadUint16(&group) || !s.ReadUint16LengthPrefixed(&share) ||
		!s.ReadUint8LengthPrefixed(&replica) || !s.Empty() || len(share) == 0 {
		return nil, newError(AlertDecodeError, "malformed ServerHello")
	}
	if m.version != Version {
		return nil, newError(AlertProtocolVersion, "ServerHello version 0x%04x", m.version)
	}
	if len(replica) > 0 {
		if err := CheckReplicaName(string(replica)); err != nil {
			return nil, &Error{Code: AlertDecodeError, Err: err}
		}
	}
	m.suite, m.group, m.share, m.replica = SuiteID(suite), GroupID(group), []byte(share), string(replica)
	return m, nil
}

// helloRetryRequest names the suite and group the server chose, when the
// client sent no share for that group, and carries a cookie when the server
// is under load (DESIGN.md §4 "Admission"); one retry may do both. Either
// way it is a pure function of the first ClientHello, the server's
// preferences, the client's address, the time and the server's cookie key,
// so the server keeps no state for it: the client echoes it in its retry
// flight and the server recomputes and checks it.
type helloRetryRequest struct {
	version uint16
	suite   SuiteID
	group   GroupID
	cookie  []byte // empty: no cookie
}

func (m *helloRetryRequest) marshal() []byte {
	b := cryptobyte.NewBuilder(nil)
	b.AddUint16(m.version)
	b.AddUint16(uint16(m.suite))
	b.AddUint16(uint16(m.group))
	b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(m.cookie) })
	return frame(typeHelloRetryRequest, b.BytesOrPanic())
}

func parseHelloRetryRequest(body []byte) (*helloRetryRequest, error) {
	s := cryptobyte.String(body)
	m := &helloRetryRequest{}
	var suite, group uint16
	var cookie cryptobyte.String
	if !s.ReadUint16(&m.version) || !s.ReadUint16(&suite) || !s.ReadUint16(&group) ||
		!s.ReadUint8LengthPrefixed(&cookie) || !s.Empty() {
		return nil, newError(AlertDecodeError, "malformed HelloRetryRequest")
	}
	if m.version != Version {
		return nil, newError(AlertProtocolVersion, "HelloRetryRequest version 0x%04x", m.version)
	}
	m.suite, m.group = SuiteID(suite), GroupID(group)
	if len(cookie) > 0 {
		m.cookie = []byte(cookie)
	}
	return m, nil
}

// marshalCertificate frames a chain (DER, leaf first) as t.
func marshalCertificate(t msgType, chain [][]byte) []byte { return marshalDERList(t, chain) }

func parseCertificate(body []byte) ([][]byte, error) {
	chain, ok := parseDERList(body, maxCertificates)
	if !ok {
		return nil, newError(AlertDecodeError, "malformed Certificate, or a chain longer than %d", maxCertificates)
	}
	for _, c := range chain {
		if len(c) > maxCertificateSize {
			return nil, newError(AlertDecodeError, "certificate of %d bytes exceeds %d", len(c), maxCertificateSize)
		}
	}
	if len(chain) == 0 {
		return nil, newError(AlertBadCertificate, "empty certificate chain")
	}
	return chain, nil
}

// marshalStapledCRLs frames the CRLs the server staples to its flight
// (DESIGN.md §4 "Stapled CRLs"), each DER, as a chain is framed.
func marshalStapledCRLs(crls [][]byte) []byte { return marshalDERList(typeStapledCRLs, crls) }

func parseStapledCRLs(body []byte) ([][]byte, error) {
	crls, ok := parseDERList(body, MaxStapledCRLs)
	if !ok {
		return nil, newError(AlertDecodeError, "malformed StapledCRLs, or more than %d", MaxStapledCRLs)
	}
	if err := CheckStapledCRLs(crls); err != nil {
		return nil, &Error{Code: AlertDecodeError, Err: err}
	}
	return crls, nil
}

// marshalDERList frames DER objects as t: list<0..2^24-1> of
// object<1..2^24-1>, the body of a Certificate and of StapledCRLs.
func marshalDERList(t msgType, items [][]byte) []byte {
	b := cryptobyte.NewBuilder(nil)
	b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) {
		for _, c := range items {
			b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(c) })
		}
	})
	return frame(t, b.BytesOrPanic())
}

// parseDERList splits the body of marshalDERList into at most max
// objects, none empty.
func parseDERList(body []byte, max int) ([][]byte, bool) {
	s := cryptobyte.String(body)
	var list cryptobyte.String
	if !s.ReadUint24LengthPrefixed(&list) || !s.Empty() {
		return nil, false
	}
	var items [][]byte
	for !list.Empty() {
		var c cryptobyte.String
		if len(items) == max || !list.ReadUint24LengthPrefixed(&c) || len(c) == 0 {
			return nil, false
		}
		items = append(items, []byte(c))
	}
	return items, true
}

// CheckStapledCRLs reports whether crls fit in a server flight: at most
// MaxStapledCRLs, none empty, MaxStapledCRLBytes in all. A server checks
// its CRLs with it when it loads them, so that no handshake fails later.
func CheckStapledCRLs(crls [][]byte) error {
	if len(crls) > MaxStapledCRLs {
		return fmt.Errorf("protocol: %d CRLs to staple, at most %d", len(crls), MaxStapledCRLs)
	}
	total := 0
	for _, c := range crls {
		if len(c) == 0 {
			return errors.New("protocol: an empty CRL to staple")
		}
		total += len(c)
	}
	if total > MaxStapledCRLBytes {
		return fmt.Errorf("protocol: %d bytes of CRLs to staple, at most %d", total, MaxStapledCRLBytes)
	}
	return nil
}

// certificateVerify is a signature scheme and a signature.
type certificateVerify struct {
	scheme    uint16
	signature []byte
}

func (m *certificateVerify) marshal(t msgType) []byte {
	b := cryptobyte.NewBuilder(nil)
	b.AddUint16(m.scheme)
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(m.signature) })
	return frame(t, b.BytesOrPanic())
}

func parseCertificateVerify(body []byte) (*certificateVerify, error) {
	s := cryptobyte.String(body)
	m := &certificateVerify{}
	var sig cryptobyte.String
	if !s.ReadUint16(&m.scheme) || !s.ReadUint16LengthPrefixed(&sig) || !s.Empty() || len(sig) == 0 {
		return nil, newError(AlertDecodeError, "malformed CertificateVerify")
	}
	m.signature = []byte(sig)
	return m, nil
}

func containsGroup(list []GroupID, g GroupID) bool {
	for _, x := range list {
		if x == g {
			return true
		}
	}
	return false
}

func containsSuite(list []SuiteID, s SuiteID) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// The rekey share (DESIGN.md §4 "Rekey") travels inside the channel, as the
// body of a rekey request and of its answer: share<1..2^16-1>.

// MarshalShare encodes a rekey request or response body: a key share.
func MarshalShare(share []byte) []byte {
	b := cryptobyte.NewBuilder(nil)
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(share) })
	return b.BytesOrPanic()
}

// ParseShare decodes a rekey body.
func ParseShare(data []byte) ([]byte, error) {
	s := cryptobyte.String(data)
	var share cryptobyte.String
	if !s.ReadUint16LengthPrefixed(&share) || !s.Empty() || len(share) == 0 {
		return nil, newError(AlertDecodeError, "malformed rekey share")
	}
	return []byte(share), nil
}
