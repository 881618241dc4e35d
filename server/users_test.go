package server_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"securemedia/client"
	"securemedia/content"
	"securemedia/internal/config"
	"securemedia/internal/syncbuf"
	"securemedia/internal/testbed"
	"securemedia/message"
	"securemedia/server"
	"securemedia/token"
)

func userBed(t *testing.T, o testbed.UsersOptions, log io.Writer) *testbed.Bed {
	return testbed.New(t, testbed.Options{ChunkSize: testChunk, Users: &o, Log: log})
}

// refusal dials with cfg and returns the problem the server answered.
func refusal(t *testing.T, cfg client.Config) *client.ProblemError {
	t.Helper()
	c, err := client.Dial(context.Background(), cfg)
	if err == nil {
		c.Close(context.Background())
		t.Fatal("the handshake succeeded")
	}
	var pe *client.ProblemError
	if !errors.As(err, &pe) {
		t.Fatalf("err = %v, want a problem document", err)
	}
	return pe
}

func TestAUserLogsInOverHTTPAndTheirIdentityIsLogged(t *testing.T) {
	log := &syncbuf.Buffer{}
	bed := userBed(t, testbed.UsersOptions{}, log)
	c := bed.Dial(t, bed.ClientConfig(t))
	defer c.Close(context.Background())
	if _, err := c.Catalog(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.String(), "session established") || !strings.Contains(log.String(), "user=BI100000001") {
		t.Fatalf("the server log does not name the user:\n%s", log)
	}
}

func TestAServerWithUsersRefusesASessionWithoutOne(t *testing.T) {
	bed := userBed(t, testbed.UsersOptions{}, nil)
	cfg := bed.ClientConfig(t)
	cfg.Protocol.User = nil
	if pe := refusal(t, cfg); pe.Status != 403 || !strings.Contains(pe.Detail, "user authentication required") {
		t.Fatalf("got %v", pe)
	}
}

func TestUsersAreRefusedWithTheReasonInTheProblem(t *testing.T) {
	bed := userBed(t, testbed.UsersOptions{}, nil)
	u := bed.Users
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		card func(t *testing.T) *token.DemoCard
		want string
	}{
		{"an unregistered user is refused", func(t *testing.T) *token.DemoCard {
			return u.NewCard(t, token.DemoCardOptions{SerialNumber: "BI200000002"})
		}, "user not registered"},
		{"a disabled user is refused", func(t *testing.T) *token.DemoCard {
			card := u.NewCard(t, token.DemoCardOptions{SerialNumber: "BI200000003"})
			u.Register(t, card)
			if err := u.Store.SetUserDisabled(ctx, card.SerialNumber, true, time.Now()); err != nil {
				t.Fatal(err)
			}
			return card
		}, "user disabled"},
		{"a revoked card is refused", func(t *testing.T) *token.DemoCard {
			card := u.NewCard(t, token.DemoCardOptions{SerialNumber: "BI200000004"})
			u.Register(t, card)
			u.Revoke(t, card.UserCert)
			return card
		}, "certificate revoked"},
		{"an expired card is refused", func(t *testing.T) *token.DemoCard {
			card := u.NewCard(t, token.DemoCardOptions{SerialNumber: "BI200000005",
				NotBefore: time.Now().Add(-48 * time.Hour), Validity: 24 * time.Hour})
			u.Register(t, card)
			return card
		}, "certificate expired"},
		{"a re-issued card under a registered id is refused until registered", func(t *testing.T) *token.DemoCard {
			return u.NewCard(t, token.DemoCardOptions{SerialNumber: u.Card.SerialNumber})
		}, "not the registered one"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			card := tc.card(t)
			pe := refusal(t, u.ClientConfig(t, u.OpenCard(t, card)))
			if pe.Status != 403 || !strings.Contains(pe.Detail, tc.want) {
				t.Fatalf("got %v, want 403 with %q", pe, tc.want)
			}
			if strings.Contains(pe.Detail, card.SerialNumber) {
				t.Fatal("the clear-text problem names the user")
			}
		})
	}
	if est, _ := bed.Server.Sessions(); est != 0 {
		t.Fatalf("%d sessions established by refused users", est)
	}
}

// replaySigner returns the first signature it ever made, as an attacker
// who captured it would send it.
type replaySigner struct {
	crypto.Signer
	mu    sync.Mutex
	first []byte
}

func (s *replaySigner) Sign(r io.Reader, d []byte, o crypto.SignerOpts) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.first != nil {
		return s.first, nil
	}
	sig, err := s.Signer.Sign(r, d, o)
	s.first = sig
	return sig, err
}

func TestAUserSignatureReplayedIntoAnotherSessionIsRefused(t *testing.T) {
	bed := userBed(t, testbed.UsersOptions{}, nil)
	cfg := bed.ClientConfig(t)
	cfg.Protocol.User.Signer = &replaySigner{Signer: cfg.Protocol.User.Signer}
	c := bed.Dial(t, cfg)
	c.Close(context.Background())
	if pe := refusal(t, cfg); pe.Status != 403 {
		t.Fatalf("replayed signature: got %v", pe)
	}
	if est, _ := bed.Server.Sessions(); est != 0 {
		t.Fatalf("%d sessions established", est)
	}
}

func TestAWrongPINGivesAClearErrorAndNoSession(t *testing.T) {
	bed := userBed(t, testbed.UsersOptions{SoftHSM: true}, nil)
	card := bed.Users.Card
	// PKCS#11 logs in per process: close the bed's session so that the
	// PIN is asked again.
	if err := bed.Users.Auth.Close(); err != nil {
		t.Fatal(err)
	}
	cfg := card.Config()
	cfg.PIN = func() ([]byte, error) { return []byte("000000"), nil }
	s, err := token.Open(cfg)
	if err == nil {
		s.Close()
		t.Fatal("a wrong PIN opened the card")
	}
	if !errors.Is(err, token.ErrWrongPIN) || !strings.Contains(err.Error(), "PIN") {
		t.Fatalf("err = %v, want a clear wrong-PIN error", err)
	}
	if est, half := bed.Server.Sessions(); est+half != 0 {
		t.Fatalf("%d sessions after a wrong PIN", est+half)
	}
	// The right PIN still logs in.
	s, err = token.Open(card.Config())
	if err != nil {
		t.Fatalf("the right PIN after a wrong one: %v", err)
	}
	defer s.Close()
	c := bed.Dial(t, bed.Users.ClientConfig(t, s))
	c.Close(context.Background())
}

func TestAnIdentityCardThatDisappearsFailsTheNextLoginCleanly(t *testing.T) {
	bed := userBed(t, testbed.UsersOptions{SoftHSM: true}, nil)
	id := bed.AddMedia(t, "Sunny Afternoon", randomMedia(t, 3*testChunk))
	cfg := bed.ClientConfig(t)
	c := bed.Dial(t, cfg)
	defer c.Close(context.Background())
	if err := os.RemoveAll(bed.Users.Card.TokenDir); err != nil {
		t.Fatal(err)
	}
	_, err := client.Dial(context.Background(), cfg)
	if !errors.Is(err, token.ErrTokenRemoved) {
		t.Fatalf("login with the card gone: err = %v, want ErrTokenRemoved", err)
	}
	// The established session does not depend on the card.
	mid, _ := content.ParseID(id)
	var sink bytes.Buffer
	if _, err := c.PlayWithLicense(context.Background(), mid, &sink, client.PlayOptions{}, nil); err != nil {
		t.Fatalf("the established session stopped working: %v", err)
	}
	if err := bed.Users.Auth.Close(); err != nil {
		t.Fatalf("closing the removed card: %v", err)
	}
	if err := os.MkdirAll(bed.Users.Card.TokenDir, 0o700); err != nil {
		t.Fatal(err)
	}
	if est, _ := bed.Server.Sessions(); est != 1 {
		t.Fatalf("%d established sessions, want only the first", est)
	}
}

// writeFile writes data to dir/name and returns the path.
func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func pemCert(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}

// serverTOML writes a server.toml for the bed's PKI and data directory,
// with the citizen CA's files under [users] when users is true, and loads
// it.
func serverTOML(t *testing.T, bed *testbed.Bed, users bool) (*config.Server, string) {
	t.Helper()
	dir := t.TempDir()
	ca := bed.Users.CA
	views := 2
	c := &config.Server{
		DataDir:  bed.Dir,
		Identity: config.Identity{Certificate: bed.WS.ServerChain, Key: bed.WS.ServerKey},
		Trust:    config.Trust{Roots: []string{bed.WS.Root}, Intermediates: []string{bed.WS.Intermediate}, CRLs: bed.WS.CRLs},
		License: config.LicenseSection{SigningCertificate: bed.WS.LicenseChain, SigningKey: bed.WS.LicenseKey,
			DefaultViews: &views},
	}
	subCRL := filepath.Join(dir, "citizen-sub-ca.crl")
	if users {
		now := time.Now()
		rootCRL, err := ca.RootCRL(nil, now.Add(-time.Minute), now.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		sub, err := ca.SubCACRL(nil, now.Add(-time.Minute), now.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		c.Users = config.UsersSection{
			TrustAnchors:  []string{writeFile(t, dir, "citizen-root.pem", pemCert(ca.Root))},
			Intermediates: []string{writeFile(t, dir, "citizen-sub.pem", pemCert(ca.SubCA))},
			CRLs:          []string{writeFile(t, dir, "citizen-root-ca.crl", rootCRL), writeFile(t, dir, "citizen-sub-ca.crl", sub)},
		}
	}
	path := filepath.Join(dir, "server.toml")
	if err := config.Write(path, c); err != nil {
		t.Fatal(err)
	}
	loaded, err := config.LoadServer(path)
	if err != nil {
		t.Fatal(err)
	}
	return loaded, subCRL
}

// serveSetup starts a server from a Setup and returns its URL.
func serveSetup(t *testing.T, st *server.Setup) string {
	t.Helper()
	srv, err := server.New(st.Config)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return hs.URL
}

func TestFromConfigWiresUsersAndLicensesAndReloadsTheUsersCRLs(t *testing.T) {
	bed := userBed(t, testbed.UsersOptions{}, nil)
	id := bed.AddMedia(t, "Sunny Afternoon", randomMedia(t, testChunk))
	cfg, subCRL := serverTOML(t, bed, true)
	st, err := server.FromConfig(cfg, bed.Store, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if !st.Config.Protocol.RequireUser || st.Config.Licenses == nil {
		t.Fatal("[users] and [license] did not turn on user login and licenses")
	}
	ccfg := bed.ClientConfig(t)
	ccfg.Server = serveSetup(t, st)
	ctx := context.Background()
	c := bed.Dial(t, ccfg)
	g, err := c.StartPlay(ctx, mediaID(t, id))
	c.Close(ctx)
	if err != nil || g.Remaining != "1 view left" {
		t.Fatalf("play under default_views = 2: %v, %+v", err, g)
	}

	// The operator publishes a CRL revoking the card; a reload applies it.
	now := time.Now()
	crl, err := bed.Users.CA.SubCACRL([]*x509.Certificate{bed.Users.Card.UserCert}, now.Add(-time.Second), now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(subCRL, crl, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := st.ReloadCRLs(); err != nil {
		t.Fatal(err)
	}
	if pe := refusal(t, ccfg); pe.Status != 403 || !strings.Contains(pe.Detail, "certificate revoked") {
		t.Fatalf("after the users' CRL reload: %v", pe)
	}
}

func TestWithLicensesButNoUsersASessionCannotPlay(t *testing.T) {
	bed := userBed(t, testbed.UsersOptions{}, nil)
	id := bed.AddMedia(t, "Sunny Afternoon", randomMedia(t, testChunk))
	cfg, _ := serverTOML(t, bed, false)
	st, err := server.FromConfig(cfg, bed.Store, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ccfg := bed.ClientConfig(t)
	ccfg.Server, ccfg.Protocol.User = serveSetup(t, st), nil
	ctx := context.Background()
	c := bed.Dial(t, ccfg)
	defer c.Close(ctx)
	_, err = c.StartPlay(ctx, mediaID(t, id))
	var se *client.StatusError
	if !errors.As(err, &se) || se.Status != message.StatusForbidden || !strings.Contains(se.Message, "login required") {
		t.Fatalf("err = %v, want forbidden: login required", err)
	}
	var sink bytes.Buffer
	if _, err := c.Play(ctx, mediaID(t, id), &sink, client.PlayOptions{}); !errors.As(err, &se) || sink.Len() != 0 {
		t.Fatalf("a fetch without a grant: %v", err)
	}
}

func TestAServerWithUserTrustButNoCRLsRefusesToStart(t *testing.T) {
	bed := userBed(t, testbed.UsersOptions{}, nil)
	cfg, _ := serverTOML(t, bed, true)
	cfg.Users.CRLs = nil
	if st, err := server.FromConfig(cfg, bed.Store, nil, nil); err == nil {
		st.Close()
		t.Fatal("a server that cannot check user revocation started")
	} else if !strings.Contains(err.Error(), "check_revocation") {
		t.Fatalf("the refusal does not say how to fix it: %v", err)
	}
	off := false
	cfg.Users.CheckRevocation = &off
	st, err := server.FromConfig(cfg, bed.Store, nil, nil)
	if err != nil {
		t.Fatalf("with revocation turned off explicitly: %v", err)
	}
	st.Close()
}
