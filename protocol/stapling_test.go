package protocol

import (
	"bytes"
	"crypto/rand"
	"crypto/x509"
	"math/big"
	"strings"
	"testing"
)

// testCRL is a CRL of ca with the given number.
func testCRL(t testing.TB, ca *testCA, number int64) []byte {
	t.Helper()
	der, err := x509.CreateRevocationList(rand.Reader, &x509.RevocationList{
		Number: big.NewInt(number), ThisUpdate: testEpoch, NextUpdate: testEpoch.AddDate(0, 1, 0),
	}, ca.cert, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// stapling sets up a server that staples crls and a client that records
// what its verifier is given.
func stapling(t *testing.T, p *pair, crls [][]byte) (c, s *Config, seen *[][][]byte) {
	t.Helper()
	cc, sc := *p.client, *p.server
	sc.StapledCRLs = func() [][]byte { return crls }
	var calls [][][]byte
	verify := cc.VerifyPeer
	cc.VerifyPeer = func(chain, got [][]byte) (*x509.Certificate, error) {
		calls = append(calls, got)
		return verify(chain, got)
	}
	return &cc, &sc, &calls
}

func TestTheClientsVerifierGetsTheStapledCRLsExactly(t *testing.T) {
	p := newPair(t)
	crls := [][]byte{testCRL(t, p.ca, 1), testCRL(t, p.ca, 2)}
	c, s, seen := stapling(t, p, crls)
	// The server's device verifier is never given CRLs: clients staple none.
	serverCalls, verifyDevice := 0, s.VerifyPeer
	s.VerifyPeer = func(chain, crls [][]byte) (*x509.Certificate, error) {
		if serverCalls++; crls != nil {
			t.Errorf("the server's device verifier got %d CRLs", len(crls))
		}
		return verifyDevice(chain, crls)
	}
	mustHandshake(t, c, s)
	if len(*seen) != 1 || len((*seen)[0]) != 2 || !bytes.Equal((*seen)[0][0], crls[0]) || !bytes.Equal((*seen)[0][1], crls[1]) || serverCalls != 1 {
		t.Fatalf("the client's verifier was called %d times, the server's %d", len(*seen), serverCalls)
	}
}

// rewriteCRLs replaces the stapled CRLs in the server flight.
func rewriteCRLs(t *testing.T, edit func([][]byte) [][]byte) mitm {
	return func(w wire, b []byte) []byte {
		if w != wireServerFlight {
			return b
		}
		msgs, err := parseFlight(b)
		if err != nil || len(msgs) != 4 {
			return b
		}
		crls, err := parseStapledCRLs(msgs[2].body)
		if err != nil {
			t.Fatal(err)
		}
		var out []byte
		for i, m := range msgs {
			if i == 2 {
				out = append(out, marshalStapledCRLs(edit(crls))...)
			} else {
				out = append(out, m.raw...)
			}
		}
		return out
	}
}

func TestAManInTheMiddleCannotStripOrAlterTheStapledCRLs(t *testing.T) {
	p := newPair(t)
	fresh, old := testCRL(t, p.ca, 9), testCRL(t, p.ca, 3)
	for name, edit := range map[string]func([][]byte) [][]byte{
		"stripped":             func([][]byte) [][]byte { return nil },
		"replaced by an older": func([][]byte) [][]byte { return [][]byte{old} },
		"one byte altered": func(c [][]byte) [][]byte {
			c[0] = bytes.Clone(c[0])
			c[0][len(c[0])/2] ^= 1
			return c
		},
		"a CRL added": func(c [][]byte) [][]byte { return append(c, old) },
	} {
		t.Run(name, func(t *testing.T) {
			c, s, seen := stapling(t, p, [][]byte{fresh})
			res := runHandshake(t, c, s, rewriteCRLs(t, edit))
			if Code(res.clientErr) != AlertDecryptError || res.client != nil {
				t.Fatalf("got %v, want the server signature to fail", res.err())
			}
			if len(*seen) != 0 {
				t.Fatal("CRLs the signature did not cover reached the verifier")
			}
		})
	}
	t.Run("the stapled CRLs message removed", func(t *testing.T) {
		c, s, seen := stapling(t, p, [][]byte{fresh})
		res := runHandshake(t, c, s, func(w wire, b []byte) []byte {
			if w != wireServerFlight {
				return b
			}
			msgs, _ := parseFlight(b)
			return append(append(bytes.Clone(msgs[0].raw), msgs[1].raw...), msgs[3].raw...)
		})
		if res.err() == nil || len(*seen) != 0 {
			t.Fatalf("a flight without its CRLs: %v", res.err())
		}
	})
}

func TestAServerRefusesToStapleMoreThanTheBound(t *testing.T) {
	p := newPair(t)
	crl := testCRL(t, p.ca, 1)
	tests := map[string][][]byte{
		"too many CRLs":    {crl, crl, crl, crl, crl},
		"too many bytes":   {make([]byte, MaxStapledCRLBytes/2+1), make([]byte, MaxStapledCRLBytes/2)},
		"an empty CRL":     {crl, nil},
		"one CRL too long": {make([]byte, MaxStapledCRLBytes+1)},
	}
	for name, crls := range tests {
		t.Run(name, func(t *testing.T) {
			if err := CheckStapledCRLs(crls); err == nil {
				t.Fatal("CheckStapledCRLs accepted it")
			}
			c, s, _ := stapling(t, p, crls)
			if res := runHandshake(t, c, s, nil); Code(res.serverErr) != AlertInternal {
				t.Fatalf("got %v", res.err())
			}
		})
	}
	if err := CheckStapledCRLs([][]byte{crl, crl, crl, crl}); err != nil {
		t.Fatalf("four CRLs: %v", err)
	}
}

func TestTheReplicaNameTravelsSignedInTheServerHello(t *testing.T) {
	p := newPair(t)
	s := *p.server
	s.Replica = "eu-west-2"
	res := mustHandshake(t, p.client, &s)
	if res.replica != "eu-west-2" {
		t.Fatalf("the client read replica %q", res.replica)
	}
	if res := mustHandshake(t, p.client, p.server); res.replica != "" {
		t.Fatalf("a server without a name: %q", res.replica)
	}
	for _, bad := range []string{"A", "a.b", "a/b", strings.Repeat("a", MaxReplicaName+1), "é"} {
		s.Replica = bad
		if _, _, err := Accept(&s, mustHello(t, p.client)); Code(err) != AlertInternal {
			t.Errorf("replica %q: %v", bad, err)
		}
		if CheckReplicaName(bad) == nil {
			t.Errorf("CheckReplicaName(%q) accepted it", bad)
		}
	}
	sh := &serverHello{version: Version, suite: DH_AES128_GCM_SHA256, group: GroupX25519, share: []byte{1}, replica: "a/b"}
	if _, err := parseServerHello(sh.marshal()[handshakeHeaderSize:]); Code(err) != AlertDecodeError {
		t.Fatalf("a ServerHello naming replica a/b: %v", err)
	}
}

func mustHello(t *testing.T, cfg *Config) []byte {
	t.Helper()
	c, err := NewClientHandshake(cfg)
	if err != nil {
		t.Fatal(err)
	}
	h, err := c.Hello()
	if err != nil {
		t.Fatal(err)
	}
	return h
}
