package protocol

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"slices"
	"testing"
)

// exchangeRoundTrip sends a request and a response and checks both arrive
// byte-exact.
func exchangeRoundTrip(t *testing.T, c, s *Session, payload []byte) {
	t.Helper()
	rec, err := c.Seal(nil, RecordRequest, payload)
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := s.Open(rec, RecordRequest)
	if err != nil || !bytes.Equal(got, payload) {
		t.Fatalf("request did not arrive intact: %v", err)
	}
	rec, err = s.Seal(nil, RecordResponse, payload)
	if err != nil {
		t.Fatal(err)
	}
	got, _, err = c.Open(rec, RecordResponse)
	if err != nil || !bytes.Equal(got, payload) {
		t.Fatalf("response did not arrive intact: %v", err)
	}
}

// streamChunks sends n chunks server → client and checks them.
func streamChunks(t *testing.T, c, s *Session, media mediaID, first, n int, size int) {
	t.Helper()
	for i := first; i < first+n; i++ {
		data := bytes.Repeat([]byte{byte(i), byte(i >> 8)}, size/2)
		rec, err := s.SealChunk(nil, media, uint32(i), data, size)
		if err != nil {
			t.Fatal(err)
		}
		got, _, err := c.OpenChunk(nil, rec, media, uint32(i))
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("chunk %d did not arrive intact: %v", i, err)
		}
	}
}

// rekey runs the in-channel rekey as the client and server would.
func rekey(t *testing.T, c, s *Session) {
	t.Helper()
	share, err := c.RekeyRequest()
	if err != nil {
		t.Fatal(err)
	}
	serverShare, err := s.PrepareRekey(share)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CommitRekey(); err != nil {
		t.Fatal(err)
	}
	if err := c.CompleteRekey(serverShare); err != nil {
		t.Fatal(err)
	}
}

func TestEverySuiteWithEveryGroupInteroperatesAcrossRekeys(t *testing.T) {
	p := newPair(t)
	media := mediaID{1, 2, 3}
	for _, suite := range DefaultSuites() {
		for _, group := range DefaultGroups() {
			t.Run(fmt.Sprintf("%s over %s", suite, group), func(t *testing.T) {
				c, s := *p.client, *p.server
				c.Suites, c.Groups = []SuiteID{suite}, []GroupID{group}
				s.Rekey = RekeyPolicy{Chunks: 3}
				res := mustHandshake(t, &c, &s)
				if res.client.Suite() != suite || res.client.Group() != group {
					t.Fatalf("negotiated %s/%s", res.client.Suite(), res.client.Group())
				}
				for epoch := 1; epoch <= 3; epoch++ {
					exchangeRoundTrip(t, res.client, res.server, []byte("catalog please"))
					streamChunks(t, res.client, res.server, media, (epoch-1)*3, 3, 1000+epoch)
					if !res.server.RekeyDue() {
						t.Fatal("rekey not due after the chunk threshold")
					}
					rekey(t, res.client, res.server)
					if got := res.client.Epoch(); got != uint32(epoch+1) {
						t.Fatalf("client epoch %d after rekey %d", got, epoch)
					}
				}
				exchangeRoundTrip(t, res.client, res.server, []byte("after rekeys"))
			})
		}
	}
}

func TestServerPicksItsOwnPreferenceAndRetriesForAMissingShare(t *testing.T) {
	p := newPair(t)
	c, s := *p.client, *p.server
	c.Groups = []GroupID{GroupX25519, GroupP384}
	s.Groups = []GroupID{GroupP384, GroupX25519}
	res := mustHandshake(t, &c, &s)
	if !res.retried {
		t.Fatal("expected a HelloRetryRequest: the client sent only an x25519 share")
	}
	if res.client.Group() != GroupP384 || res.server.Group() != GroupP384 {
		t.Fatalf("negotiated %s, want the server's preference p384", res.client.Group())
	}
	exchangeRoundTrip(t, res.client, res.server, []byte("hello"))
}

func TestNoCommonSuiteOrGroupIsAHandshakeFailure(t *testing.T) {
	p := newPair(t)
	for name, mutate := range map[string]func(c, s *Config){
		"no common suite": func(c, s *Config) {
			c.Suites, s.Suites = []SuiteID{DH_AES128_CBC_SHA256}, []SuiteID{DH_CHACHA20_SHA384}
		},
		"no common group": func(c, s *Config) { c.Groups, s.Groups = []GroupID{GroupX25519}, []GroupID{GroupP256} },
	} {
		t.Run(name, func(t *testing.T) {
			c, s := *p.client, *p.server
			mutate(&c, &s)
			res := runHandshake(t, &c, &s, nil)
			if Code(res.serverErr) != AlertHandshakeFailure {
				t.Fatalf("got %v, want a handshake failure", res.err())
			}
		})
	}
}

// stripOffer rewrites the first ClientHello, keeping only the weakest
// suite and group, as a downgrading man in the middle would.
func stripOffer(t *testing.T) mitm {
	return func(w wire, b []byte) []byte {
		if w != wireHello {
			return b
		}
		msgs, err := parseFlight(b)
		if err != nil {
			t.Fatal(err)
		}
		ch, err := parseClientHello(msgs[0].body)
		if err != nil {
			t.Fatal(err)
		}
		ch.suites = []SuiteID{DH_AES128_CBC_SHA256}
		ch.groups = ch.groups[:1]
		return ch.marshal()
	}
}

func TestDowngradeByStrippingTheOfferIsDetected(t *testing.T) {
	p := newPair(t)
	res := runHandshake(t, p.client, p.server, stripOffer(t))
	if res.serverErr != nil {
		t.Fatalf("the server should accept the stripped offer, got %v", res.serverErr)
	}
	if Code(res.clientErr) != AlertDecryptError {
		t.Fatalf("client accepted a stripped offer: %v", res.clientErr)
	}
}

func TestDowngradeByStrippingGroupsIsDetected(t *testing.T) {
	p := newPair(t)
	c := *p.client
	c.KeyShares = 2 // x25519mlkem768 and x25519
	res := runHandshake(t, &c, p.server, func(w wire, b []byte) []byte {
		if w != wireHello {
			return b
		}
		msgs, _ := parseFlight(b)
		ch, _ := parseClientHello(msgs[0].body)
		ch.groups = ch.groups[1:] // drop the post-quantum group
		ch.shares = ch.shares[1:]
		return ch.marshal()
	})
	if Code(res.clientErr) != AlertDecryptError {
		t.Fatalf("client accepted an offer without its preferred group: %v", res.err())
	}
}

func TestForgedHelloRetryIsDetected(t *testing.T) {
	p := newPair(t)
	// The attacker answers the first hello with its own retry naming a
	// weaker group; the server recomputes the retry and refuses.
	res := runHandshake(t, p.client, p.server, func(w wire, b []byte) []byte {
		if w == wireServerFlight {
			if msgs, err := parseFlight(b); err == nil && msgs[0].typ == typeServerHello {
				return (&helloRetryRequest{version: Version, suite: DH_AES128_CBC_SHA256, group: GroupFFDHE2048}).marshal()
			}
		}
		return b
	})
	if res.err() == nil {
		t.Fatal("a forged HelloRetryRequest led to a session")
	}
}

func TestFlippingAnyByteOfAnyHandshakeMessageEndsTheHandshake(t *testing.T) {
	// Ed25519 signatures have a fixed length, so every run's messages have
	// the baseline's layout and every position is really flipped.
	p := newPairWithKeys(t, ed25519Key(1), ed25519Key(2), ed25519Key(3))
	c := *p.client
	c.Groups = []GroupID{GroupX25519} // small messages keep the test fast
	baseline := mustHandshake(t, &c, p.server)
	for w, msg := range baseline.transcript {
		step := 1
		if len(msg) > 600 {
			step = 7 // certificates: sample every 7th byte, plus the first and last
		}
		for i := 0; i < len(msg); i += step {
			for _, pos := range []int{i, len(msg) - 1} {
				res := runHandshake(t, &c, p.server, func(ww wire, b []byte) []byte {
					if int(ww) == w {
						if pos >= len(b) {
							t.Fatalf("transmission %d changed length", w)
						}
						b[pos] ^= 0x01
					}
					return b
				})
				if res.err() == nil {
					t.Fatalf("transmission %d: flipping byte %d went unnoticed", w, pos)
				}
			}
		}
	}
}

func TestTruncatedOrExtendedHandshakeMessagesAreRefused(t *testing.T) {
	p := newPair(t)
	for w := wireHello; w <= wireServerFinished; w++ {
		for name, edit := range map[string]func([]byte) []byte{
			"truncated": func(b []byte) []byte { return b[:len(b)-1] },
			"empty":     func(b []byte) []byte { return nil },
			"extended":  func(b []byte) []byte { return append(b, 0) },
		} {
			res := runHandshake(t, p.client, p.server, func(ww wire, b []byte) []byte {
				if ww == w {
					return edit(b)
				}
				return b
			})
			if res.err() == nil {
				t.Errorf("transmission %d %s: accepted", w, name)
			}
		}
	}
}

func TestImpersonationIsRefused(t *testing.T) {
	p := newPair(t)
	other := newPair(t) // another CA entirely
	tests := []struct {
		name   string
		mutate func(c, s *Config)
		want   AlertCode
		side   string
	}{
		{"a server certificate from another CA", func(c, s *Config) {
			s.Certificate, s.PrivateKey = other.server.Certificate, other.server.PrivateKey
		}, AlertBadCertificate, "client"},
		{"a client certificate from another CA", func(c, s *Config) {
			c.Certificate, c.PrivateKey = other.client.Certificate, other.client.PrivateKey
		}, AlertBadCertificate, "server"},
		{"a server key that does not match its certificate", func(c, s *Config) {
			s.PrivateKey = other.server.PrivateKey
		}, AlertDecryptError, "client"},
		{"a client key that does not match its certificate", func(c, s *Config) {
			c.PrivateKey = other.client.PrivateKey
		}, AlertDecryptError, "server"},
		{"a client certificate from another CA without its key learns nothing of its validity", func(c, s *Config) {
			c.Certificate = other.client.Certificate
		}, AlertDecryptError, "server"},
		{"a client presenting the server's certificate", func(c, s *Config) {
			c.Certificate, c.PrivateKey = p.server.Certificate, p.server.PrivateKey
		}, AlertBadCertificate, "server"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is refused", func(t *testing.T) {
			c, s := *p.client, *p.server
			tt.mutate(&c, &s)
			res := runHandshake(t, &c, &s, nil)
			err := res.clientErr
			if tt.side == "server" {
				err = res.serverErr
			}
			if Code(err) != tt.want {
				t.Fatalf("got %v (client %v, server %v), want %v on the %s", Code(err), res.clientErr, res.serverErr, tt.want, tt.side)
			}
			if res.client != nil || res.server != nil {
				t.Fatal("a session was established")
			}
		})
	}
}

func TestEveryCertificateKeyTypeSigns(t *testing.T) {
	for name, key := range map[string]crypto.Signer{
		"ed25519": ed25519Key(7),
		"ecdsa":   mustECDSA(t),
		"rsa-pss": mustRSA(t),
	} {
		t.Run(name, func(t *testing.T) {
			p := newPairWithKeys(t, mustECDSA(t), key, key)
			res := mustHandshake(t, p.client, p.server)
			if res.peer.Certificate.Subject.CommonName != "device" {
				t.Fatalf("server saw peer %q", res.peer.Certificate.Subject.CommonName)
			}
		})
	}
}

func TestUserAuthentication(t *testing.T) {
	p := newPair(t)
	userKey := mustRSA(t)
	userCA := newTestCA(t, "citizen root", nil)
	userCert := userCA.issue(t, "Maria", userKey, x509.ExtKeyUsageClientAuth)
	t.Run("a user signing with PKCS#1 v1.5 is accepted and seen by the server", func(t *testing.T) {
		c, s := *p.client, *p.server
		c.User = &UserCredentials{Chain: [][]byte{userCert}, Signer: userKey, AllowPKCS1: true}
		s.VerifyUser, s.RequireUser = userCA.verifier(x509.ExtKeyUsageClientAuth), true
		res := mustHandshake(t, &c, &s)
		if res.peer.User == nil || res.peer.User.Subject.CommonName != "Maria" {
			t.Fatal("server did not see the user")
		}
	})
	t.Run("a server that requires a user refuses a handshake without one", func(t *testing.T) {
		s := *p.server
		s.VerifyUser, s.RequireUser = userCA.verifier(x509.ExtKeyUsageClientAuth), true
		if res := runHandshake(t, p.client, &s, nil); Code(res.serverErr) != AlertBadCertificate {
			t.Fatalf("got %v", res.err())
		}
	})
	t.Run("a user signature from one session replayed into another is refused", func(t *testing.T) {
		c, s := *p.client, *p.server
		c.User = &UserCredentials{Chain: [][]byte{userCert}, Signer: userKey}
		s.VerifyUser = userCA.verifier(x509.ExtKeyUsageClientAuth)
		var captured []byte
		spy := func(k crypto.Signer) crypto.Signer {
			return signerFunc{k, func(sig []byte) []byte {
				if captured == nil {
					captured = sig
					return sig
				}
				return captured // the attacker's replayed signature
			}}
		}
		c.User.Signer = spy(userKey)
		mustHandshake(t, &c, &s)
		if res := runHandshake(t, &c, &s, nil); Code(res.serverErr) != AlertDecryptError {
			t.Fatalf("replayed user signature: got %v", res.err())
		}
	})
}

// signerFunc lets a test see and replace the signatures a key makes.
type signerFunc struct {
	crypto.Signer
	edit func([]byte) []byte
}

func (s signerFunc) Sign(r ioReader, d []byte, o crypto.SignerOpts) ([]byte, error) {
	sig, err := s.Signer.Sign(r, d, o)
	if err != nil {
		return nil, err
	}
	return s.edit(sig), nil
}

func TestHandshakeMessagesAreUsedOnlyInOrder(t *testing.T) {
	p := newPair(t)
	c, err := NewClientHandshake(p.client)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Finish(); err == nil {
		t.Fatal("Finish before the server flight")
	}
	hello, _ := c.Hello()
	hs, reply, err := Accept(p.server, hello)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ReadServerFinished(reply); err == nil {
		t.Fatal("ServerFinished accepted before the server flight")
	}
	if _, _, _, err := hs.Finish(hello); err == nil {
		t.Fatal("a hello accepted as a finish record")
	}
}

func TestUnknownSuitesAndGroupsInAnOfferAreIgnoredButAloneFail(t *testing.T) {
	p := newPair(t)
	c, _ := NewClientHandshake(p.client)
	hello, _ := c.Hello()
	msgs, _ := parseFlight(hello)
	ch, _ := parseClientHello(msgs[0].body)
	ch.suites = append([]SuiteID{0x9999}, ch.suites...)
	if _, _, err := Accept(p.server, ch.marshal()); err != nil {
		t.Fatalf("an unknown suite next to known ones broke the handshake: %v", err)
	}
	ch.suites = []SuiteID{0x9999}
	if _, _, err := Accept(p.server, ch.marshal()); Code(err) != AlertHandshakeFailure {
		t.Fatalf("only unknown suites: got %v", err)
	}
	ch.suites, ch.groups, ch.shares = DefaultSuites(), []GroupID{0x7777}, nil
	if _, _, err := Accept(p.server, ch.marshal()); Code(err) != AlertHandshakeFailure {
		t.Fatalf("only unknown groups: got %v", err)
	}
}

func TestBadHelloInputGetsAProtocolErrorNeverAPanic(t *testing.T) {
	p := newPair(t)
	c, _ := NewClientHandshake(p.client)
	good, _ := c.Hello()
	msgs, _ := parseFlight(good)
	ch, _ := parseClientHello(msgs[0].body)
	withShare := func(g GroupID, data []byte) []byte {
		m := *ch
		m.groups = []GroupID{g}
		m.shares = []keyShare{{group: g, data: data}}
		return m.marshal()
	}
	wrongVersion := *ch
	wrongVersion.version = 2
	p256Point := append([]byte{4}, bytes.Repeat([]byte{1}, 64)...) // not on the curve
	tests := []struct {
		name string
		in   []byte
		want AlertCode
	}{
		{"empty body", nil, AlertDecodeError},
		{"garbage", []byte("GET / HTTP/1.1\r\n"), AlertDecodeError},
		{"oversized", make([]byte, MaxHandshakeFlight+1), AlertDecodeError},
		{"a length prefix past the end", append([]byte{1, 0xff, 0xff, 0xff}, good[4:]...), AlertDecodeError},
		{"trailing garbage inside the hello", frame(typeClientHello, append(msgs[0].body, 0)), AlertDecodeError},
		{"wrong version", wrongVersion.marshal(), AlertProtocolVersion},
		{"a server message type", frame(typeServerHello, msgs[0].body), AlertDecodeError},
		{"an x25519 share of the wrong length", withShare(GroupX25519, []byte{1, 2, 3}), AlertHandshakeFailure},
		{"an all-zero x25519 share", withShare(GroupX25519, make([]byte, 32)), AlertHandshakeFailure},
		{"a p256 point off the curve", withShare(GroupP256, p256Point), AlertHandshakeFailure},
		{"an ffdhe2048 value of 1", withShare(GroupFFDHE2048, append(make([]byte, 255), 1)), AlertHandshakeFailure},
		{"an ffdhe2048 value equal to p", withShare(GroupFFDHE2048, bytes.Repeat([]byte{0xff}, 256)), AlertHandshakeFailure},
		{"a truncated ML-KEM share", withShare(GroupX25519MLKEM768, make([]byte, 100)), AlertHandshakeFailure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hs, _, err := Accept(p.server, tt.in)
			if hs != nil || Code(err) != tt.want {
				t.Fatalf("got %v (%v), want %v", Code(err), err, tt.want)
			}
		})
	}
}

var errTest = errors.New("test")

func TestAnErasedHandshakeCannotFinish(t *testing.T) {
	c, hs := throughServerFlight(t, newPair(t))
	fin, _ := c.Finish()
	hs.Erase() // the half-open session expired
	if _, sess, _, err := hs.Finish(fin); err == nil || sess != nil {
		t.Fatal("a handshake finished under erased secrets")
	}
}

// TestTheEarlySessionIsTheOneTheServerFinishedConfirms: a request sealed
// with EarlySession right after Finish (the first request that travels
// with the finish, doc.go) opens on the server's new session, the
// server's Finished then confirms that very session, and the server's
// answer opens on it. A failed Finished closes the early session.
func TestTheEarlySessionIsTheOneTheServerFinishedConfirms(t *testing.T) {
	p := newPair(t)
	c, hs := throughServerFlight(t, p)
	if _, err := c.EarlySession(); err == nil {
		t.Fatal("EarlySession before Finish was allowed")
	}
	fin, err := c.Finish()
	if err != nil {
		t.Fatal(err)
	}
	early, err := c.EarlySession()
	if err != nil {
		t.Fatal(err)
	}
	req, err := early.Seal(nil, RecordRequest, []byte("first request"))
	if err != nil {
		t.Fatal(err)
	}
	reply, srv, _, err := hs.Finish(fin)
	if err != nil {
		t.Fatal(err)
	}
	if got, _, err := srv.Open(req, RecordRequest); err != nil || string(got) != "first request" {
		t.Fatalf("the server opened %q, %v", got, err)
	}
	sess, err := c.ReadServerFinished(reply)
	if err != nil {
		t.Fatal(err)
	}
	if sess != early {
		t.Fatal("ReadServerFinished returned another session than EarlySession's")
	}
	ans, _ := srv.Seal(nil, RecordResponse, []byte("its answer"))
	if got, _, err := sess.Open(ans, RecordResponse); err != nil || string(got) != "its answer" {
		t.Fatalf("the client opened %q, %v", got, err)
	}

	c, hs = throughServerFlight(t, p)
	fin, _ = c.Finish()
	early, _ = c.EarlySession()
	reply, _, _, err = hs.Finish(fin)
	if err != nil {
		t.Fatal(err)
	}
	reply[len(reply)-1] ^= 1
	if _, err := c.ReadServerFinished(reply); err == nil {
		t.Fatal("a tampered Finished was accepted")
	}
	if !early.Closed() {
		t.Fatal("the early session outlived a failed handshake")
	}
}

// TestSplitRecordSplitsOffTheFirstRecordByItsLength: a finish and the
// request behind it come apart at the first record's length; a body that
// is not a record is refused.
func TestSplitRecordSplitsOffTheFirstRecordByItsLength(t *testing.T) {
	p := newPair(t)
	res := mustHandshake(t, p.client, p.server)
	a, _ := res.client.Seal(nil, RecordRequest, []byte("one"))
	b, _ := res.client.Seal(nil, RecordRequest, []byte("two"))
	first, rest, err := SplitRecord(append(append([]byte(nil), a...), b...))
	if err != nil || !bytes.Equal(first, a) || !bytes.Equal(rest, b) {
		t.Fatalf("split into %d and %d bytes (%v), want %d and %d", len(first), len(rest), err, len(a), len(b))
	}
	if first, rest, err := SplitRecord(a); err != nil || !bytes.Equal(first, a) || len(rest) != 0 {
		t.Fatalf("one record: %d and %d bytes, %v", len(first), len(rest), err)
	}
	for _, bad := range [][]byte{nil, a[:RecordHeaderSize-1], a[:len(a)-1]} {
		if _, _, err := SplitRecord(bad); !errors.Is(err, ErrRecordRejected) {
			t.Fatalf("%d bytes: %v, want ErrRecordRejected", len(bad), err)
		}
	}
}

// TestTheEarlySessionLeavesTheHandshakeOnlyWhatItsFinishedNeeds: once
// EarlySession made the session, the client's handshake no longer holds
// the handshake secret (the application keys' source) or the client
// handshake traffic secret (which opens the finish, the device's and the
// user's identities), however long the first request waits to carry the
// finish; the server handshake traffic secret, which checks the server's
// Finished, stays until then, and the session works. Before, both stayed
// until the Finished came.
func TestTheEarlySessionLeavesTheHandshakeOnlyWhatItsFinishedNeeds(t *testing.T) {
	p := newPair(t)
	c, hs := throughServerFlight(t, p)
	fin, err := c.Finish()
	if err != nil {
		t.Fatal(err)
	}
	early, err := c.EarlySession()
	if err != nil {
		t.Fatal(err)
	}
	zero := func(b []byte) bool { return len(b) > 0 && !slices.ContainsFunc(b, func(x byte) bool { return x != 0 }) }
	if !zero(c.hs) || !zero(c.clientHS) {
		t.Fatal("the handshake secret or the client handshake traffic secret outlived EarlySession")
	}
	if zero(c.serverHS) {
		t.Fatal("the server handshake traffic secret was erased before the server's Finished")
	}
	if again, err := c.EarlySession(); err != nil || again != early {
		t.Fatalf("EarlySession again: %v", err)
	}
	req, _ := early.Seal(nil, RecordRequest, []byte("first"))
	reply, srv, _, err := hs.Finish(fin)
	if err != nil {
		t.Fatal(err)
	}
	if got, _, err := srv.Open(req, RecordRequest); err != nil || string(got) != "first" {
		t.Fatalf("the server opened %q, %v", got, err)
	}
	if sess, err := c.ReadServerFinished(reply); err != nil || sess != early {
		t.Fatalf("ReadServerFinished: %v", err)
	}
	if !zero(c.serverHS) {
		t.Fatal("the server handshake traffic secret outlived the handshake")
	}
}
