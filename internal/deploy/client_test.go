package deploy_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"securemedia/client"
	"securemedia/internal/config"
	"securemedia/internal/deploy"
	"securemedia/internal/testbed"
	"securemedia/pki"
)

// clientWithoutCRLs is client.toml for the bed's PKI with no local CRL and
// revocation on (the default).
func clientWithoutCRLs(t *testing.T, bed *testbed.Bed, server string) *deploy.Client {
	t.Helper()
	c := config.Client{
		Server:   server,
		Identity: config.Identity{Certificate: bed.WS.ClientChain, Key: bed.WS.ClientKey},
		Trust:    config.Trust{Roots: []string{bed.WS.Root}, Intermediates: []string{bed.WS.Intermediate}},
	}
	st, err := deploy.NewClient(context.Background(), c.InDir(t.TempDir()), deploy.ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// copyCRLs copies the bed's CRL files into a fresh directory.
func copyCRLs(t *testing.T, bed *testbed.Bed) []string {
	t.Helper()
	dir := t.TempDir()
	var out []string
	for _, p := range bed.WS.CRLs {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, writeFile(t, dir, filepath.Base(p), b))
	}
	return out
}

func TestAPlayNeedsNoCRLRequestTheServerStaplesThem(t *testing.T) {
	bed := testbed.New(t, testbed.Options{ChunkSize: testChunk})
	data := randomMedia(t, 3*testChunk+1)
	id := bed.AddMedia(t, "Stapled", data)
	proxy := testbed.NewProxy(t, bed.URL, testbed.Tamper{})
	ctx := context.Background()

	// A client with no local CRLs and revocation on: the server's chain
	// and then the content chain of the manifest validate with the CRLs
	// the server stapled, and no CRL is fetched.
	st := clientWithoutCRLs(t, bed, proxy.URL)
	conn, err := client.Dial(ctx, st.Config)
	if err != nil {
		t.Fatalf("a client without local CRLs: %v", err)
	}
	var sink bytes.Buffer
	stats, err := conn.Play(ctx, mediaID(t, id), &sink, client.PlayOptions{})
	conn.Close(ctx)
	if err != nil || !stats.Verified || !bytes.Equal(sink.Bytes(), data) {
		t.Fatalf("play with stapled CRLs only: %v, %+v", err, stats)
	}
	for _, ex := range proxy.Log() {
		if strings.HasPrefix(ex.Path, "/crl/") {
			t.Fatalf("the client fetched %s", ex.Path)
		}
	}

	// A replica that has not yet reloaded staples the previous CRLs: a
	// client that has seen newer ones refuses it.
	lagging := copyCRLs(t, bed)
	ca, err := pki.OpenCA(bed.WS.CADir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ca.CRLs(); err != nil {
		t.Fatal(err)
	}
	bed.ReloadCRLs(t)
	cfg := *bed.Config
	cfg.PKI.CRLs = lagging
	old, err := deploy.NewServer(&cfg, bed.Store, deploy.ServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	laggingURL := serveSetup(t, old)
	viewer := clientWithoutCRLs(t, bed, bed.URL)
	conn = dialOK(t, viewer.Config)
	conn.Close(ctx)
	laggingCfg := viewer.Config
	laggingCfg.Server = laggingURL
	if err := dialRefused(t, laggingCfg); pki.ReasonOf(err) != pki.ReasonCRLRollback {
		t.Fatalf("stapled CRLs older than ones seen: %v, want a rollback refusal", err)
	}
	dialOK(t, clientWithoutCRLs(t, bed, laggingURL).Config).Close(ctx) // one that saw nothing newer accepts them

	// The operator revokes the server's certificate: once the server
	// reloads its CRLs it staples the revocation, and every client refuses
	// it, the one that connected before included.
	serverChain, err := pki.LoadCertificates(bed.WS.ServerChain)
	if err != nil {
		t.Fatal(err)
	}
	if err := ca.Revoke(serverChain[0].SerialNumber, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := ca.CRLs(); err != nil {
		t.Fatal(err)
	}
	bed.ReloadCRLs(t)
	for name, cfg := range map[string]client.Config{
		"a client that connected before": viewer.Config,
		"a new client":                   clientWithoutCRLs(t, bed, bed.URL).Config,
	} {
		if err := dialRefused(t, cfg); pki.ReasonOf(err) != pki.ReasonRevoked {
			t.Fatalf("%s, with a stapled CRL revoking the server: %v", name, err)
		}
	}
}

func dialOK(t *testing.T, cfg client.Config) *client.Conn {
	t.Helper()
	c, err := client.Dial(context.Background(), cfg)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	return c
}

func dialRefused(t *testing.T, cfg client.Config) error {
	t.Helper()
	c, err := client.Dial(context.Background(), cfg)
	if err == nil {
		c.Close(context.Background())
		t.Fatal("the handshake succeeded")
	}
	return err
}
