package deploy_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"securemedia/client"
	"securemedia/content"
	"securemedia/internal/config"
	"securemedia/internal/deploy"
	"securemedia/internal/testbed"
	"securemedia/license"
	"securemedia/message"
	"securemedia/server"
)

const testChunk = 16 << 10

func userBed(t *testing.T) *testbed.Bed {
	return testbed.New(t, testbed.Options{ChunkSize: testChunk, Users: &testbed.UsersOptions{}})
}

func randomMedia(t testing.TB, n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

func mediaID(t testing.TB, id string) content.ID {
	t.Helper()
	m, err := content.ParseID(id)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// refusal dials with cfg and returns the handshake's problem document.
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
func serveSetup(t *testing.T, st *deploy.Server) string {
	t.Helper()
	srv, err := server.New(st.Config)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return hs.URL
}

func TestNewServerWiresUsersAndLicensesAndReloadsTheUsersCRLs(t *testing.T) {
	bed := userBed(t)
	id := bed.AddMedia(t, "Sunny Afternoon", randomMedia(t, testChunk))
	cfg, subCRL := serverTOML(t, bed, true)
	cfg.License.PlayWindow = 90 * time.Minute
	st, err := deploy.NewServer(cfg, bed.Store, deploy.ServerOptions{})
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
	// An item of unknown duration plays within [license] play_window.
	plays, err := st.LicenseStore.ListPlays(ctx, license.PlayFilter{MediaID: id})
	if err != nil || len(plays) != 1 || plays[0].ExpiresAt.Sub(plays[0].CreatedAt) != 90*time.Minute {
		t.Fatalf("the play under play_window = 90m: %+v, %v", plays, err)
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

func TestAPlayWindowOrOpenPlaysBeyondTheLimitAreRefusedWithTheirKey(t *testing.T) {
	bed := userBed(t)
	for key, edit := range map[string]func(*config.Server){
		"[license] play_window":    func(c *config.Server) { c.License.PlayWindow = license.MaxPlayWindow + time.Hour },
		"[license] max_open_plays": func(c *config.Server) { c.License.MaxOpenPlays = license.MaxOpenPlaysLimit + 1 },
	} {
		cfg, _ := serverTOML(t, bed, true)
		edit(cfg)
		st, err := deploy.NewServer(cfg, bed.Store, deploy.ServerOptions{})
		if err == nil {
			st.Close()
			t.Fatalf("%s beyond the limit was accepted", key)
		}
		var de *deploy.Error
		if !errors.As(err, &de) || !strings.Contains(de.Hint(), key) {
			t.Fatalf("the refusal does not name %s: %v", key, err)
		}
	}
}

func TestWithLicensesButNoUsersASessionCannotPlay(t *testing.T) {
	bed := userBed(t)
	id := bed.AddMedia(t, "Sunny Afternoon", randomMedia(t, testChunk))
	cfg, _ := serverTOML(t, bed, false)
	st, err := deploy.NewServer(cfg, bed.Store, deploy.ServerOptions{})
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
	bed := userBed(t)
	cfg, _ := serverTOML(t, bed, true)
	cfg.Users.CRLs = nil
	if st, err := deploy.NewServer(cfg, bed.Store, deploy.ServerOptions{}); err == nil {
		st.Close()
		t.Fatal("a server that cannot check user revocation started")
	} else if !strings.Contains(err.Error(), "check_revocation") {
		t.Fatalf("the refusal does not say how to fix it: %v", err)
	}
	off := false
	cfg.Users.CheckRevocation = &off
	st, err := deploy.NewServer(cfg, bed.Store, deploy.ServerOptions{})
	if err != nil {
		t.Fatalf("with revocation turned off explicitly: %v", err)
	}
	st.Close()
}

// TestTheCRLsAreServedAtCRLAndUnderIt: the public listener serves the
// CRLs it staples, GET /crl and GET /crl/ with their index (no redirect)
// and each one under /crl/.
func TestTheCRLsAreServedAtCRLAndUnderIt(t *testing.T) {
	bed := testbed.New(t, testbed.Options{})
	u, _ := runServer(t, bed, nil)
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, path := range []string{"/crl", "/crl/"} {
		resp, err := noRedirect.Get(u + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), ".crl\n") {
			t.Fatalf("GET %s: %d %q, want 200 and the index", path, resp.StatusCode, body)
		}
		first, _, _ := strings.Cut(string(body), "\n")
		crl, err := noRedirect.Get(u + "/crl/" + first)
		if err != nil {
			t.Fatal(err)
		}
		crl.Body.Close()
		if crl.StatusCode != http.StatusOK || crl.Header.Get("Content-Type") != "application/pkix-crl" {
			t.Fatalf("GET /crl/%s: %d %s", first, crl.StatusCode, crl.Header.Get("Content-Type"))
		}
	}
}
