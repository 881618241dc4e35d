package protocol

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"testing"

	"securemedia/internal/webauthntest"
)

// What the WebAuthn golden case fixes: the relying party, the origin, the
// credential (a P-256 key from a fixed scalar, a fixed id) and the user.
const (
	goldenRPID         = "localhost"
	goldenOrigin       = "http://localhost:8443"
	goldenWebAuthnUser = "web-0123456789abcdef"
)

func goldenAuthenticator(t testing.TB) *webauthntest.Authenticator {
	t.Helper()
	key, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), bytes.Repeat([]byte{0x11}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return &webauthntest.Authenticator{Key: key, ID: bytes.Repeat([]byte{0xc1}, 32), RPID: goldenRPID, Origin: goldenOrigin}
}

func toProtocol(a *webauthntest.Assertion) *WebAuthnAssertion {
	return &WebAuthnAssertion{CredentialID: a.CredentialID, AuthenticatorData: a.AuthenticatorData, ClientDataJSON: a.ClientDataJSON, Signature: a.Signature}
}

func fromProtocol(a WebAuthnAssertion) *webauthntest.Assertion {
	return &webauthntest.Assertion{CredentialID: a.CredentialID, AuthenticatorData: a.AuthenticatorData, ClientDataJSON: a.ClientDataJSON, Signature: a.Signature}
}

// webAuthnLogin makes c log in with auth and s accept that credential as
// user, checking the assertion with the independent reference of
// webauthntest and that the device the server names is c's. saw, when
// set, receives the challenge the server checked.
func webAuthnLogin(c, s *Config, auth *webauthntest.Authenticator, user string, saw *[]byte) {
	c.WebAuthn = func(challenge []byte) (*WebAuthnAssertion, error) {
		a, err := auth.Assert(challenge)
		if err != nil {
			return nil, err
		}
		return toProtocol(a), nil
	}
	s.VerifyWebAuthn = func(challenge []byte, a WebAuthnAssertion, device [32]byte) (string, error) {
		if saw != nil {
			*saw = append([]byte(nil), challenge...)
		}
		if !bytes.Equal(a.CredentialID, auth.ID) {
			return "", errors.New("unknown credential")
		}
		if err := webauthntest.Check(&auth.Key.PublicKey, auth.RPID, goldenOrigin, challenge, fromProtocol(a)); err != nil {
			return "", err
		}
		leaf, _, err := leafPublicKey(c.Certificate[0])
		if err != nil || device != sha256.Sum256(leaf) {
			return "", errors.New("device is not the client's")
		}
		return user, nil
	}
}

// loginWithGoldenAuthenticator sets up the golden WebAuthn login and
// records its challenge and assertion in run.
func loginWithGoldenAuthenticator(t testing.TB, p *pair, run *goldenRun) {
	auth := goldenAuthenticator(t)
	webAuthnLogin(p.client, p.server, auth, goldenWebAuthnUser, nil)
	assert := p.client.WebAuthn
	p.client.WebAuthn = func(challenge []byte) (*WebAuthnAssertion, error) {
		a, err := assert(challenge)
		run.challenge, run.assertion = challenge, a
		return a, err
	}
	p.server.RequireUser = true
}

// The expected values are independent of this code: (printf 'securemedia
// v1 webauthn login\0'; head -c 32 /dev/zero | tr '\0' Z) | sha256sum
// (and sha384sum).
func TestWebAuthnChallengeKnownAnswers(t *testing.T) {
	th := bytes.Repeat([]byte{0x5a}, 32)
	for _, tc := range []struct {
		suite SuiteID
		want  string
	}{
		{DH_AES128_GCM_SHA256, "870130369a70dc72bd7d35ca803acab0e276b562fed4c503fadd5d391638c04b"},
		{DH_AES256_GCM_SHA384, "469402dc5872e81ecf93b8a5f94840148223125fb1ed2ec41b1b0250c62931d06bcfcf2c866a35e267f609a8a8cd2cae"},
	} {
		got := hex.EncodeToString(suiteByID(tc.suite).webAuthnChallenge(th))
		if got != tc.want {
			t.Errorf("%s: challenge %s, want %s", tc.suite, got, tc.want)
		}
	}
}

func TestWebAuthnLogin(t *testing.T) {
	p := newPair(t)
	auth, err := webauthntest.New(goldenRPID, goldenOrigin)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("a WebAuthn login is seen by the server, bound to this handshake's transcript", func(t *testing.T) {
		c, s := *p.client, *p.server
		var saw []byte
		webAuthnLogin(&c, &s, auth, "web-1", &saw)
		s.RequireUser = true
		rec, fin, hs, beforeUser := finishInClear(t, &pair{ca: p.ca, client: &c, server: &s})
		_, _, peer, err := hs.Finish(rec)
		if err != nil {
			t.Fatal(err)
		}
		if peer.WebAuthnUser != "web-1" || peer.User != nil {
			t.Fatalf("server saw %+v", peer)
		}
		// The challenge is the suite's hash over the context and the
		// transcript up to the device's CertificateVerify.
		if want := hs.suite.webAuthnChallenge(beforeUser); !bytes.Equal(saw, want) {
			t.Fatalf("challenge %x, want %x", saw, want)
		}
		if fin.kind != userWebAuthn || !bytes.Equal(fin.webauthn.CredentialID, auth.ID) || fin.user[0] != byte(userWebAuthn) {
			t.Fatalf("finish carries kind %s", fin.kind)
		}
	})
	t.Run("an assertion replayed into another handshake is refused", func(t *testing.T) {
		c, s := *p.client, *p.server
		webAuthnLogin(&c, &s, auth, "web-1", nil)
		var first *WebAuthnAssertion
		assert := c.WebAuthn
		c.WebAuthn = func(challenge []byte) (*WebAuthnAssertion, error) {
			if first != nil {
				return first, nil // the attacker's captured assertion
			}
			a, err := assert(challenge)
			first = a
			return a, err
		}
		mustHandshake(t, &c, &s)
		if res := runHandshake(t, &c, &s, nil); Code(res.serverErr) != AlertBadCertificate {
			t.Fatalf("replayed assertion: got %v", res.err())
		}
	})
	t.Run("a server without a WebAuthn verifier refuses the login", func(t *testing.T) {
		c, s := *p.client, *p.server
		webAuthnLogin(&c, &s, auth, "web-1", nil)
		s.VerifyWebAuthn = nil
		if res := runHandshake(t, &c, &s, nil); !errors.Is(res.serverErr, ErrUserNotAccepted) {
			t.Fatalf("got %v", res.err())
		}
	})
	t.Run("the verifier's refusal refuses the handshake as a certificate refusal", func(t *testing.T) {
		c, s := *p.client, *p.server
		webAuthnLogin(&c, &s, auth, "web-1", nil)
		refused := errors.New("user disabled")
		s.VerifyWebAuthn = func([]byte, WebAuthnAssertion, [32]byte) (string, error) { return "", refused }
		if res := runHandshake(t, &c, &s, nil); Code(res.serverErr) != AlertBadCertificate || !errors.Is(res.serverErr, refused) {
			t.Fatalf("got %v", res.err())
		}
	})
	t.Run("a client cannot log in with a card and WebAuthn at once", func(t *testing.T) {
		c := *p.client
		c.User = &UserCredentials{Chain: p.client.Certificate, Signer: p.client.PrivateKey}
		c.WebAuthn = func([]byte) (*WebAuthnAssertion, error) { return nil, errors.New("unused") }
		if _, err := NewClientHandshake(&c); err == nil {
			t.Fatal("NewClientHandshake accepted both")
		}
	})
	t.Run("an assertion outside the wire bounds fails the client's finish", func(t *testing.T) {
		c := *p.client
		c.WebAuthn = func([]byte) (*WebAuthnAssertion, error) {
			return &WebAuthnAssertion{CredentialID: []byte{1}, AuthenticatorData: make([]byte, 36), ClientDataJSON: []byte("{}"), Signature: []byte{1}}, nil
		}
		ch, _ := throughServerFlight(t, &pair{ca: p.ca, client: &c, server: p.server})
		if _, err := ch.Finish(); err == nil {
			t.Fatal("Finish sent 36 bytes of authenticator data")
		}
	})
}

func TestAdmitPeerDecidesTheDeviceAndUserTogether(t *testing.T) {
	p := newPair(t)
	t.Run("a device admitted without a user gets a session from a server that requires users", func(t *testing.T) {
		s := *p.server
		s.RequireUser = true
		var saw *PeerInfo
		s.AdmitPeer = func(peer *PeerInfo) error { saw = peer; return nil }
		res := mustHandshake(t, p.client, &s)
		if saw == nil || saw.Certificate.Subject.CommonName != "device" || saw.User != nil || saw.WebAuthnUser != "" {
			t.Fatalf("AdmitPeer saw %+v", saw)
		}
		if res.peer != saw {
			t.Fatal("the session's peer is not what AdmitPeer admitted")
		}
	})
	t.Run("AdmitPeer's refusal refuses the handshake", func(t *testing.T) {
		s := *p.server
		refused := errors.New("device not registered")
		s.AdmitPeer = func(*PeerInfo) error { return refused }
		if res := runHandshake(t, p.client, &s, nil); Code(res.serverErr) != AlertBadCertificate || !errors.Is(res.serverErr, refused) {
			t.Fatalf("got %v", res.err())
		}
	})
}

func TestMalformedUserPartsAreDecodeErrors(t *testing.T) {
	_, fin, _, _ := finishInClear(t, newPair(t))
	device := append(append([]byte(nil), fin.deviceCert.raw...), fin.deviceVerify.raw...)
	finished := fin.finished.raw
	a := &WebAuthnAssertion{CredentialID: []byte{1}, AuthenticatorData: make([]byte, 37), ClientDataJSON: []byte("{}"), Signature: []byte{1}}
	short := &WebAuthnAssertion{CredentialID: []byte{1}, AuthenticatorData: make([]byte, 36), ClientDataJSON: []byte("{}"), Signature: []byte{1}}
	for name, user := range map[string][]byte{
		"an unknown user kind":                         {3},
		"no user kind":                                 {},
		"kind certificate without its messages":        {byte(userCertificate)},
		"kind webauthn cut short":                      append([]byte{byte(userWebAuthn)}, a.marshal()[:10]...),
		"kind webauthn with 36 bytes of authenticator": append([]byte{byte(userWebAuthn)}, short.marshal()...),
		"kind none followed by a user certificate":     append([]byte{byte(userNone)}, marshalCertificate(typeUserCertificate, [][]byte{{1}})...),
	} {
		t.Run(name, func(t *testing.T) {
			plain := append(append(append([]byte(nil), device...), user...), finished...)
			if _, err := parseClientFinish(plain); Code(err) != AlertDecodeError {
				t.Fatalf("got %v", err)
			}
		})
	}
	t.Run("a well-formed webauthn part parses and re-encodes", func(t *testing.T) {
		plain := append(append(append(append([]byte(nil), device...), byte(userWebAuthn)), a.marshal()...), finished...)
		f, err := parseClientFinish(plain)
		if err != nil || f.kind != userWebAuthn || !bytes.Equal(f.marshal(), plain) {
			t.Fatalf("parse: %v", err)
		}
	})
}

// finishInClear runs a handshake of p up to the client's finish and
// returns the finish record, its plaintext split, the server's half-open
// handshake (not finished yet) and the transcript hash before the user
// part.
func finishInClear(t testing.TB, p *pair) ([]byte, *clientFinish, *ServerHandshake, []byte) {
	t.Helper()
	c, hs := throughServerFlight(t, p)
	rec, err := c.Finish()
	if err != nil {
		t.Fatal(err)
	}
	plain, err := c.suite.openHandshakeRecord(c.clientHS, rec)
	if err != nil {
		t.Fatal(err)
	}
	f, err := parseClientFinish(plain)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := hs.transcript.clone()
	if err != nil {
		t.Fatal(err)
	}
	tr.add(f.deviceCert.raw, f.deviceVerify.raw)
	return rec, f, hs, tr.sum()
}
