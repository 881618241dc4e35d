package protocol

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"securemedia/internal/testbed/cost"
)

// loadedServer is a server configuration with a cookie key, a settable
// clock, and counters on its key and its random source.
func loadedServer(t *testing.T, p *pair) (*Config, *cost.Signer, *cost.Reader, *time.Time) {
	t.Helper()
	s := *p.server
	signer := &cost.Signer{Signer: s.PrivateKey}
	rnd := &cost.Reader{R: s.rand()}
	now := testEpoch
	s.PrivateKey, s.Rand, s.Now = signer, rnd, func() time.Time { return now }
	s.CookieKey = bytes.Repeat([]byte{7}, MinCookieKeySize)
	return &s, signer, rnd, &now
}

func TestACookieRetryCostsTheServerNoRandomnessAndNoSignature(t *testing.T) {
	for _, tc := range []struct {
		name         string
		clientGroups []GroupID
		serverGroups []GroupID
	}{
		{"a hello with the share", []GroupID{GroupFFDHE3072}, nil},
		{"a hello that also needs another share", []GroupID{GroupX25519, GroupFFDHE3072}, []GroupID{GroupFFDHE3072}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newPair(t)
			s, signer, rnd, _ := loadedServer(t, p)
			s.Groups = tc.serverGroups
			c := *p.client
			c.Groups = tc.clientGroups
			ch, _ := NewClientHandshake(&c)
			hello, _ := ch.Hello()
			h, err := ReadHello(s, hello, []byte("192.0.2.1"))
			if err != nil {
				t.Fatal(err)
			}
			if h.Cookie() || h.Retried() {
				t.Fatal("a first hello has no cookie")
			}
			hrr, err := h.Retry(true)
			if err != nil {
				t.Fatal(err)
			}
			if rnd.Bytes() != 0 || signer.Signatures() != 0 {
				t.Fatalf("answering with a cookie drew %d random bytes and made %d signatures", rnd.Bytes(), signer.Signatures())
			}
			if retry, err := ch.ReadServerFlight(hrr); err != nil || !retry {
				t.Fatalf("the client did not take the cookie retry: %v", err)
			}
			second, _ := ch.Hello()
			h, err = ReadHello(s, second, []byte("192.0.2.1"))
			if err != nil || !h.Cookie() {
				t.Fatalf("the echoed cookie did not verify: %v", err)
			}
			hs, flight, err := h.Respond()
			if err != nil {
				t.Fatal(err)
			}
			if signer.Signatures() != 1 {
				t.Fatalf("%d signatures for one admitted hello", signer.Signatures())
			}
			if retry, err := ch.ReadServerFlight(flight); err != nil || retry {
				t.Fatalf("the client refused the server flight after the cookie: %v", err)
			}
			fin, _ := ch.Finish()
			sfin, _, _, err := hs.Finish(fin)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := ch.ReadServerFinished(sfin); err != nil {
				t.Fatal(err)
			}
			if ch.Group() != GroupFFDHE3072 {
				t.Fatalf("negotiated %s", ch.Group())
			}
		})
	}
}

// cookieFlight returns a first hello's retry flight echoing a cookie that
// s made for client.
func cookieFlight(t *testing.T, p *pair, s *Config, client string) []byte {
	t.Helper()
	ch, _ := NewClientHandshake(p.client)
	hello, _ := ch.Hello()
	h, err := ReadHello(s, hello, []byte(client))
	if err != nil {
		t.Fatal(err)
	}
	hrr, err := h.Retry(true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ch.ReadServerFlight(hrr); err != nil {
		t.Fatal(err)
	}
	second, _ := ch.Hello()
	return second
}

func TestACookieIsBoundToTheAddressTheFirstHelloTheKeyAndItsAge(t *testing.T) {
	p := newPair(t)
	s, _, _, now := loadedServer(t, p)
	good := cookieFlight(t, p, s, "192.0.2.1")
	if h, err := ReadHello(s, good, []byte("192.0.2.1")); err != nil || !h.Cookie() {
		t.Fatalf("a fresh cookie from its own address: %v", err)
	}
	msgs, _ := parseFlight(good)
	otherFirst := func() []byte {
		ch, _ := NewClientHandshake(p.client)
		h, _ := ch.Hello()
		return h
	}()
	flipped := bytes.Clone(good)
	flipped[len(msgs[0].raw)+len(msgs[1].raw)-1] ^= 1 // the cookie's last byte
	otherKey := *s
	otherKey.CookieKey = bytes.Repeat([]byte{8}, MinCookieKeySize)
	noKey := *s
	noKey.CookieKey = nil

	tests := []struct {
		name   string
		cfg    *Config
		flight []byte
		client string
		after  time.Duration
	}{
		{"from another address", s, good, "192.0.2.2", 0},
		{"with the cookie altered", s, flipped, "192.0.2.1", 0},
		{"after another first hello", s, append(append(bytes.Clone(otherFirst), msgs[1].raw...), msgs[2].raw...), "192.0.2.1", 0},
		{"at another replica, under another key", &otherKey, good, "192.0.2.1", 0},
		{"at a server without a cookie key", &noKey, good, "192.0.2.1", 0},
		{"31 seconds later", s, good, "192.0.2.1", 31 * time.Second},
		{"from the future", s, good, "192.0.2.1", -11 * time.Second},
	}
	for _, tt := range tests {
		t.Run("a cookie echoed "+tt.name+" is rejected", func(t *testing.T) {
			*now = testEpoch.Add(tt.after)
			defer func() { *now = testEpoch }()
			h, err := ReadHello(tt.cfg, tt.flight, []byte(tt.client))
			if h != nil || !errors.Is(err, ErrCookieRejected) || Code(err) != AlertHandshakeFailure {
				t.Fatalf("got %v, want the cookie rejected", err)
			}
		})
	}
	t.Run("a cookie echoed 20 seconds later still verifies", func(t *testing.T) {
		*now = testEpoch.Add(20 * time.Second)
		defer func() { *now = testEpoch }()
		if h, err := ReadHello(s, good, []byte("192.0.2.1")); err != nil || !h.Cookie() {
			t.Fatalf("got %v", err)
		}
	})
}

func TestARetryFlightMustRepeatTheFirstHello(t *testing.T) {
	p := newPair(t)
	s, _, _, _ := loadedServer(t, p)
	good := cookieFlight(t, p, s, "c")
	msgs, _ := parseFlight(good)
	edit := func(f func(ch *clientHello)) []byte {
		ch, _ := parseClientHello(msgs[2].body)
		f(ch)
		return append(append(bytes.Clone(msgs[0].raw), msgs[1].raw...), ch.marshal()...)
	}
	for name, flight := range map[string][]byte{
		"another random":       edit(func(ch *clientHello) { ch.random[0] ^= 1 }),
		"fewer suites":         edit(func(ch *clientHello) { ch.suites = ch.suites[:1] }),
		"a share for no group": edit(func(ch *clientHello) { ch.shares = nil }),
	} {
		t.Run("a second hello with "+name+" is refused", func(t *testing.T) {
			if _, err := ReadHello(s, flight, []byte("c")); Code(err) != AlertHandshakeFailure {
				t.Fatalf("got %v", err)
			}
		})
	}
	t.Run("a retry without a cookie for a hello that had the share is refused", func(t *testing.T) {
		hrr, _ := parseHelloRetryRequest(msgs[1].body)
		hrr.cookie = nil
		flight := append(append(bytes.Clone(msgs[0].raw), hrr.marshal()...), msgs[2].raw...)
		if _, err := ReadHello(s, flight, []byte("c")); Code(err) != AlertHandshakeFailure {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("a retry flight cannot be answered with another retry", func(t *testing.T) {
		h, err := ReadHello(s, good, []byte("c"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h.Retry(true); err == nil {
			t.Fatal("a second retry")
		}
	})
}

func TestAClientRefusesARetryForAShareItSentUnlessItCarriesACookie(t *testing.T) {
	p := newPair(t)
	c := *p.client
	c.Groups = []GroupID{GroupX25519}
	for name, hrr := range map[string]*helloRetryRequest{
		"no cookie":           {version: Version, suite: DH_AES128_GCM_SHA256, group: GroupX25519},
		"a group not offered": {version: Version, suite: DH_AES128_GCM_SHA256, group: GroupP256, cookie: []byte{1}},
	} {
		t.Run(name, func(t *testing.T) {
			ch, _ := NewClientHandshake(&c)
			ch.Hello()
			if _, err := ch.ReadServerFlight(hrr.marshal()); Code(err) != AlertHandshakeFailure {
				t.Fatalf("got %v", err)
			}
		})
	}
}

func TestAClientAnswersOnlyOneRetry(t *testing.T) {
	p := newPair(t)
	c := *p.client
	c.Groups = []GroupID{GroupX25519}
	// A server that asks for a cookie on every flight: the client follows
	// one retry, then refuses the second.
	hrr := (&helloRetryRequest{version: Version, suite: DefaultSuites()[0], group: GroupX25519, cookie: []byte{1}}).marshal()
	res := runHandshakeWith(t, &c, func([]byte) (*ServerHandshake, []byte, error) { return nil, hrr, nil }, nil)
	if !res.retried || Code(res.clientErr) != AlertHandshakeFailure || res.client != nil {
		t.Fatalf("the client followed a second retry: %v", res.err())
	}
}
