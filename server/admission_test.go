package server_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"

	"securemedia/client"
	"securemedia/internal/testbed"
	"securemedia/internal/testbed/cost"
	"securemedia/pki"
	"securemedia/protocol"
	"securemedia/server"
	"securemedia/token/provision"
)

// spending is what the server has spent so far.
type spending struct{ signatures, random int64 }

// countingBed is a bed whose server key and random source are counted.
func countingBed(t *testing.T, o testbed.Options) (*testbed.Bed, func() spending) {
	t.Helper()
	signer, rnd := &cost.Signer{}, &cost.Reader{}
	adjust := o.Protocol
	o.Protocol = func(c *protocol.Config) {
		signer.Signer, c.PrivateKey = c.PrivateKey, signer
		if rnd.R = c.Rand; rnd.R == nil {
			rnd.R = rand.Reader
		}
		c.Rand = rnd
		if adjust != nil {
			adjust(c)
		}
	}
	bed := testbed.New(t, o)
	return bed, func() spending { return spending{signer.Signatures(), rnd.Bytes()} }
}

// from binds an HTTP client to a loopback source address.
func from(ip string) *http.Client {
	return &http.Client{Transport: &http.Transport{DialContext: (&net.Dialer{
		LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}).DialContext}}
}

// flooder sends hellos from one address and echoes the cookies it is
// given, as a client that proves its address but never finishes would. It
// replays one hello, and then one retry flight: the server keeps no state
// for either, so replaying costs the flooder nothing.
type flooder struct {
	t     *testing.T
	url   string
	hc    *http.Client
	hs    *protocol.ClientHandshake
	hello []byte
	retry []byte
	// replayHello: send the plain hello even once a cookie came.
	replayHello bool
}

func newFlooder(t *testing.T, bed *testbed.Bed, ip string, groups []protocol.GroupID) *flooder {
	t.Helper()
	cfg := bed.ClientConfig(t).Protocol
	cfg.Groups = groups
	hs, err := protocol.NewClientHandshake(cfg)
	if err != nil {
		t.Fatal(err)
	}
	hello, err := hs.Hello()
	if err != nil {
		t.Fatal(err)
	}
	return &flooder{t: t, url: bed.URL, hc: from(ip), hs: hs, hello: hello}
}

// answer kinds.
const (
	serverFlight = "server flight"
	cookieRetry  = "cookie retry"
	tooMany      = "429"
)

// send posts the hello (or the retry flight, once it has one) and names
// the answer.
func (f *flooder) send() string {
	f.t.Helper()
	body := f.hello
	if f.retry != nil && !f.replayHello {
		body = f.retry
	}
	resp, err := f.hc.Post(f.url+"/v1/handshake", "application/octet-stream", bytes.NewReader(body))
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	reply, _ := io.ReadAll(resp.Body)
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		if resp.Header.Get("Retry-After") == "" {
			f.t.Error("a 429 without Retry-After")
		}
		return tooMany
	case resp.StatusCode != http.StatusOK || len(reply) == 0:
		f.t.Fatalf("hello answered %d %s", resp.StatusCode, reply)
	case reply[0] == 2: // ServerHello
		return serverFlight
	case reply[0] == 6 && f.retry != nil: // HelloRetryRequest, again
		return cookieRetry
	case reply[0] == 6: // HelloRetryRequest
		if retry, err := f.hs.ReadServerFlight(reply); err != nil || !retry {
			f.t.Fatalf("the retry: %v", err)
		}
		var err error
		if f.retry, err = f.hs.Hello(); err != nil {
			f.t.Fatal(err)
		}
		return cookieRetry
	}
	f.t.Fatalf("unexpected answer % x", reply[:1])
	return ""
}

func TestAHelloFloodFromSeveralAddressesLocksNoOneOutAndCostsOnlyWhatTheTableHolds(t *testing.T) {
	const maxHalfOpen = 18
	bed, spent := countingBed(t, testbed.Options{Limits: server.Limits{MaxHalfOpen: maxHalfOpen}})
	var flood []*flooder
	for i := 2; i <= 10; i++ { // 127.0.0.2 to 127.0.0.10, ffdhe3072 only
		flood = append(flood, newFlooder(t, bed, fmt.Sprintf("127.0.0.%d", i), []protocol.GroupID{protocol.GroupFFDHE3072}))
	}
	answers := map[string]int{}
	for range 8 {
		for _, f := range flood {
			before := spent()
			kind := f.send()
			answers[kind]++
			if after := spent(); kind != serverFlight && after != before {
				t.Fatalf("a %s cost the server %d signatures and %d random bytes", kind,
					after.signatures-before.signatures, after.random-before.random)
			}
		}
	}
	if answers[cookieRetry] == 0 || answers[tooMany] == 0 {
		t.Fatalf("answers to the flood: %v; want cookies and refusals", answers)
	}
	if got := spent().signatures; got != int64(answers[serverFlight]) {
		t.Fatalf("%d signatures for %d server flights", got, answers[serverFlight])
	}
	if _, half := bed.Server.Sessions(); half != maxHalfOpen || answers[serverFlight] != maxHalfOpen {
		t.Fatalf("%d half-open after %d server flights, want the table (%d) full and no more", half, answers[serverFlight], maxHalfOpen)
	}

	// New addresses get in (each is below its fair share: the oldest
	// half-open session of a heaviest flooder makes room) and log in, one
	// after the other, while the flood goes on and takes back what room
	// their finished handshakes leave; their sessions stay.
	for _, ip := range []string{"127.0.0.1", "127.0.0.11", "127.0.0.12"} {
		cfg := bed.ClientConfig(t)
		cfg.HTTPClient = from(ip)
		conn := bed.Dial(t, cfg)
		defer conn.Close(context.Background())
		for _, f := range flood {
			f.send()
		}
		if _, err := conn.Catalog(context.Background()); err != nil {
			t.Fatalf("the client from %s during the flood: %v", ip, err)
		}
		if est, half := bed.Server.Sessions(); half != maxHalfOpen {
			t.Fatalf("%d established, %d half-open: the flood should hold the whole half-open table", est, half)
		}
	}
}

func TestAFloodOfReplayedHellosGetsCookiesAndLeavesEstablishedSessionsAlone(t *testing.T) {
	bed, spent := countingBed(t, testbed.Options{Limits: server.Limits{MaxSessions: 10, MaxHalfOpen: 3}})
	established := bed.Dial(t, bed.ClientConfig(t))
	defer established.Close(context.Background())
	f := newFlooder(t, bed, "127.0.0.1", nil)
	f.replayHello = true // it never echoes the cookie
	var kinds []string
	for range 8 {
		kinds = append(kinds, f.send())
	}
	// The first two fill half the half-open table; from then on a hello
	// without a cookie gets a HelloRetryRequest carrying one, and costs
	// nothing.
	want := []string{serverFlight, serverFlight, cookieRetry, cookieRetry, cookieRetry, cookieRetry, cookieRetry, cookieRetry}
	if !slices.Equal(kinds, want) {
		t.Fatalf("answers to 8 replayed hellos: %v, want %v", kinds, want)
	}
	if c := spent(); c.signatures != 1+2 { // the established session's and two flights
		t.Fatalf("%d signatures", c.signatures)
	}
	// Echoing the cookie admits one more, to the cap; then 429.
	f.replayHello = false
	if a, b := f.send(), f.send(); a != serverFlight || b != tooMany {
		t.Fatalf("echoed cookie: %s then %s", a, b)
	}
	if est, half := bed.Server.Sessions(); est != 1 || half != 3 {
		t.Fatalf("%d established and %d half-open sessions", est, half)
	}
	if _, err := established.Catalog(context.Background()); err != nil {
		t.Fatalf("the established session suffered from the flood: %v", err)
	}
}

func TestACookieMadeByOneReplicaVerifiesAtAnotherOnlyUnderTheSameKey(t *testing.T) {
	key := bytes.Repeat([]byte{0x5c}, protocol.MinCookieKeySize)
	shared := func(c *server.Config) { c.CookieKey = key }
	a := testbed.New(t, testbed.Options{Limits: server.Limits{MaxHalfOpen: 2}, Server: shared})
	f := newFlooder(t, a, "127.0.0.1", nil)
	if f.send() != serverFlight || f.send() != cookieRetry {
		t.Fatal("replica a did not ask for a cookie at half its half-open cap")
	}
	b := testbed.New(t, testbed.Options{Server: shared})
	other := testbed.New(t, testbed.Options{})
	post := func(bed *testbed.Bed) *http.Response {
		resp, err := http.Post(bed.URL+"/v1/handshake", "application/octet-stream", bytes.NewReader(f.retry))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if resp := post(b); resp.StatusCode != http.StatusOK {
		t.Fatalf("a replica sharing the cookie key answered %d", resp.StatusCode)
	}
	if resp := post(other); resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "0" {
		t.Fatalf("a server with another key answered %d, Retry-After %q; want 429 and a fresh hello at once",
			resp.StatusCode, resp.Header.Get("Retry-After"))
	}
}

func TestOneViewerOrDeviceHoldsAtMostItsShareOfSessionsTheOldestIsClosed(t *testing.T) {
	ctx := context.Background()
	t.Run("per device", func(t *testing.T) {
		bed := testbed.New(t, testbed.Options{Limits: server.Limits{MaxSessions: 6, MaxSessionsPerDevice: 3}})
		var conns []*client.Conn
		for range 10 { // more logins than the whole table holds
			conns = append(conns, bed.Dial(t, bed.ClientConfig(t)))
		}
		if est, _ := bed.Server.Sessions(); est != 3 {
			t.Fatalf("%d sessions of one device, want its cap of 3", est)
		}
		if _, err := conns[6].Catalog(ctx); !errors.Is(err, client.ErrTransport) || !strings.Contains(err.Error(), "404") {
			t.Fatalf("an old session beyond the cap: %v, want it closed", err)
		}
		for _, c := range conns[7:] {
			if _, err := c.Catalog(ctx); err != nil {
				t.Fatalf("one of the newest sessions: %v", err)
			}
		}
		// Another device still gets in.
		cfg := bed.ClientConfig(t)
		cfg.Protocol.Certificate, cfg.Protocol.PrivateKey = newDevice(t, bed)
		conn := bed.Dial(t, cfg)
		defer conn.Close(ctx)
		if est, _ := bed.Server.Sessions(); est != 4 {
			t.Fatalf("%d sessions", est)
		}
	})
	t.Run("per user", func(t *testing.T) {
		bed := testbed.New(t, testbed.Options{Users: &testbed.UsersOptions{}, Limits: server.Limits{MaxSessionsPerUser: 2}})
		var conns []*client.Conn
		for range 3 {
			conns = append(conns, bed.Dial(t, bed.ClientConfig(t)))
		}
		if _, err := conns[0].Catalog(ctx); !errors.Is(err, client.ErrTransport) || !strings.Contains(err.Error(), "404") {
			t.Fatalf("the user's oldest session beyond the cap: %v, want it closed", err)
		}
		other := bed.Users.NewCard(t, provision.DemoCardOptions{SerialNumber: "BI200000002", HolderName: "Ana Outra"})
		bed.Users.Register(t, other)
		conn := bed.Dial(t, bed.Users.ClientConfig(t, bed.Users.OpenCard(t, other)))
		defer conn.Close(ctx)
		for _, c := range append(conns[1:], conn) {
			if _, err := c.Catalog(ctx); err != nil {
				t.Fatalf("a session within its user's cap: %v", err)
			}
		}
	})
}

// newDevice issues another client-device certificate from the bed's CA.
func newDevice(t *testing.T, bed *testbed.Bed) ([][]byte, crypto.Signer) {
	t.Helper()
	ca, err := pki.OpenCA(bed.WS.CADir, nil)
	if err != nil {
		t.Fatal(err)
	}
	is, err := ca.Issue(pki.IssueRequest{Profile: pki.UsageClient, CommonName: "device-2"})
	if err != nil {
		t.Fatal(err)
	}
	chain, err := pki.ParseCertificates(is.ChainPEM)
	if err != nil {
		t.Fatal(err)
	}
	var ders [][]byte
	for _, c := range chain {
		ders = append(ders, c.Raw)
	}
	return ders, is.Key
}
