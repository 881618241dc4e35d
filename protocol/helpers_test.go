package protocol

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"net"
	"testing"
	"time"
)

// mediaID is a media id as the chunk keys take it (16 raw bytes).
type mediaID = [MediaIDSize]byte

// testCA is a throwaway PKI for protocol tests: a root that issues server
// and client leaves directly. The real validator with revocation lives in
// package pki; here a plain x509 check with the right usage is enough to
// exercise the handshake.
type testCA struct {
	cert *x509.Certificate
	key  crypto.Signer
	pool *x509.CertPool
}

var testEpoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func newTestCA(t testing.TB, name string, key crypto.Signer) *testCA {
	t.Helper()
	if key == nil {
		key = mustECDSA(t)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: name},
		NotBefore:             testEpoch,
		NotAfter:              testEpoch.AddDate(10, 0, 0),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &testCA{cert: cert, key: key, pool: pool}
}

func mustECDSA(t testing.TB) crypto.Signer {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// issue makes a leaf for key with the given EKU.
func (ca *testCA) issue(t testing.TB, cn string, key crypto.Signer, eku x509.ExtKeyUsage) []byte {
	t.Helper()
	h := sha256.Sum256([]byte(cn))
	tmpl := &x509.Certificate{
		SerialNumber: new(big.Int).SetBytes(h[:8]),
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    testEpoch,
		NotAfter:     testEpoch.AddDate(5, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{eku},
	}
	if eku == x509.ExtKeyUsageServerAuth {
		tmpl.DNSNames = []string{"localhost"}
		tmpl.IPAddresses = []net.IP{net.ParseIP("127.0.0.1")}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, key.Public(), ca.key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// verifier checks a chain against the CA for one usage.
func (ca *testCA) verifier(eku x509.ExtKeyUsage) func([][]byte) (*x509.Certificate, error) {
	return func(chain [][]byte) (*x509.Certificate, error) {
		if len(chain) == 0 {
			return nil, errors.New("empty chain")
		}
		leaf, err := x509.ParseCertificate(chain[0])
		if err != nil {
			return nil, err
		}
		inter := x509.NewCertPool()
		for _, c := range chain[1:] {
			if ic, err := x509.ParseCertificate(c); err == nil {
				inter.AddCert(ic)
			}
		}
		_, err = leaf.Verify(x509.VerifyOptions{Roots: ca.pool, Intermediates: inter,
			CurrentTime: testEpoch.AddDate(1, 0, 0), KeyUsages: []x509.ExtKeyUsage{eku}})
		if err != nil {
			return nil, err
		}
		return leaf, nil
	}
}

// ignoreCRLs makes a chain verifier a peer verifier that takes no notice
// of stapled CRLs (the tests that care look at them themselves).
func ignoreCRLs(v func([][]byte) (*x509.Certificate, error)) func(chain, crls [][]byte) (*x509.Certificate, error) {
	return func(chain, _ [][]byte) (*x509.Certificate, error) { return v(chain) }
}

// pair is a matching server and client configuration.
type pair struct {
	ca             *testCA
	server, client *Config
}

func newPair(t testing.TB) *pair {
	t.Helper()
	return newPairWithKeys(t, mustECDSA(t), mustECDSA(t), mustECDSA(t))
}

func newPairWithKeys(t testing.TB, caKey, serverKey, clientKey crypto.Signer) *pair {
	t.Helper()
	ca := newTestCA(t, "test root", caKey)
	return &pair{
		ca: ca,
		server: &Config{
			Certificate: [][]byte{ca.issue(t, "server", serverKey, x509.ExtKeyUsageServerAuth)},
			PrivateKey:  serverKey,
			VerifyPeer:  ignoreCRLs(ca.verifier(x509.ExtKeyUsageClientAuth)),
		},
		client: &Config{
			Certificate: [][]byte{ca.issue(t, "device", clientKey, x509.ExtKeyUsageClientAuth)},
			PrivateKey:  clientKey,
			VerifyPeer:  ignoreCRLs(ca.verifier(x509.ExtKeyUsageServerAuth)),
		},
	}
}

func ed25519Key(seed byte) ed25519.PrivateKey {
	s := make([]byte, ed25519.SeedSize)
	for i := range s {
		s[i] = seed
	}
	return ed25519.NewKeyFromSeed(s)
}

// wire names the four handshake transmissions, for a man in the middle.
type wire int

const (
	wireHello wire = iota
	wireServerFlight
	wireFinish
	wireServerFinished
)

// mitm may rewrite what crosses the wire; nil passes everything.
type mitm func(w wire, b []byte) []byte

// result of a handshake run.
type result struct {
	client, server *Session
	peer           *PeerInfo
	retried        bool
	replica        string   // as the client read it
	transcript     [][]byte // every transmission, in order
	clientErr      error
	serverErr      error
}

func (r *result) err() error {
	if r.clientErr != nil {
		return r.clientErr
	}
	return r.serverErr
}

// acceptor answers a hello flight as a server does.
type acceptor func(flight []byte) (*ServerHandshake, []byte, error)

// accepting answers every hello at once (Accept, no admission control).
func accepting(scfg *Config) acceptor {
	return func(flight []byte) (*ServerHandshake, []byte, error) { return Accept(scfg, flight) }
}

// underLoad answers as a server under load: a first hello gets a cookie
// (and a share request when needed), and only a flight that echoes a
// valid cookie from client gets the server flight.
func underLoad(scfg *Config, client []byte) acceptor {
	return func(flight []byte) (*ServerHandshake, []byte, error) {
		h, err := ReadHello(scfg, flight, client)
		if err != nil {
			return nil, nil, err
		}
		if !h.Cookie() {
			hrr, err := h.Retry(true)
			return nil, hrr, err
		}
		return h.Respond()
	}
}

// runHandshake drives both sides in memory, through m.
func runHandshake(t testing.TB, ccfg, scfg *Config, m mitm) *result {
	t.Helper()
	return runHandshakeWith(t, ccfg, accepting(scfg), m)
}

// runHandshakeWith drives both sides in memory, the server answering
// hellos with accept, through m.
func runHandshakeWith(t testing.TB, ccfg *Config, accept acceptor, m mitm) *result {
	t.Helper()
	res := &result{}
	pass := func(w wire, b []byte) []byte {
		if m != nil {
			b = m(w, append([]byte(nil), b...))
		}
		res.transcript = append(res.transcript, append([]byte(nil), b...))
		return b
	}
	c, err := NewClientHandshake(ccfg)
	if err != nil {
		t.Fatal(err)
	}
	hello, err := c.Hello()
	if err != nil {
		t.Fatal(err)
	}
	var hs *ServerHandshake
	var reply []byte
	for attempt := 0; attempt < 2; attempt++ {
		hs, reply, res.serverErr = accept(pass(wireHello, hello))
		if res.serverErr != nil {
			return res
		}
		retry, err := c.ReadServerFlight(pass(wireServerFlight, reply))
		if err != nil {
			res.clientErr = err
			return res
		}
		if !retry {
			break
		}
		res.retried = true
		if hello, err = c.Hello(); err != nil {
			t.Fatal(err)
		}
	}
	if hs == nil {
		res.clientErr = errors.New("no handshake after retry")
		return res
	}
	fin, err := c.Finish()
	if err != nil {
		res.clientErr = err
		return res
	}
	sfin, ssess, peer, err := hs.Finish(pass(wireFinish, fin))
	if err != nil {
		res.serverErr = err
		return res
	}
	csess, err := c.ReadServerFinished(pass(wireServerFinished, sfin))
	if err != nil {
		res.clientErr = err
		return res
	}
	res.client, res.server, res.peer, res.replica = csess, ssess, peer, c.Replica()
	return res
}

func mustHandshake(t testing.TB, ccfg, scfg *Config) *result {
	t.Helper()
	res := runHandshake(t, ccfg, scfg, nil)
	if err := res.err(); err != nil {
		t.Fatalf("handshake: %v", err)
	}
	return res
}

// throughServerFlight runs a handshake up to the client's finish: hello,
// server flight, read by the client.
func throughServerFlight(t testing.TB, p *pair) (*ClientHandshake, *ServerHandshake) {
	t.Helper()
	c, err := NewClientHandshake(p.client)
	if err != nil {
		t.Fatal(err)
	}
	hello, _ := c.Hello()
	hs, reply, err := Accept(p.server, hello)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ReadServerFlight(reply); err != nil {
		t.Fatal(err)
	}
	return c, hs
}
