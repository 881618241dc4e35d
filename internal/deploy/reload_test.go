package deploy_test

import (
	"context"
	"log/slog"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"securemedia/client"
	"securemedia/internal/deploy"
	"securemedia/internal/syncbuf"
	"securemedia/token/provision"
)

// swapFile replaces path with other's content and returns a function that
// puts the original back.
func swapFile(t *testing.T, path string, content []byte) func() {
	t.Helper()
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}
	return func() {
		if err := os.WriteFile(path, orig, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func TestReloadReadsTheTrustAnchorsAgain(t *testing.T) {
	bed := userBed(t)
	cfg, _ := serverTOML(t, bed, true)
	st, err := deploy.NewServer(cfg, bed.Store, deploy.ServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ccfg := bed.ClientConfig(t)
	ccfg.Server = serveSetup(t, st)
	bed.Dial(t, ccfg).Close(context.Background())

	// The device root withdrawn: after a reload the device is refused.
	stranger, err := provision.NewCitizenCA(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	restore := swapFile(t, cfg.Path(cfg.Trust.Roots[0]), pemCert(stranger.Root))
	if err := st.Reload(); err != nil {
		t.Fatal(err)
	}
	if pe := refusal(t, ccfg); pe.Status != 403 {
		t.Fatalf("a device whose root was withdrawn: %v", pe)
	}
	restore()
	if err := st.Reload(); err != nil {
		t.Fatal(err)
	}
	bed.Dial(t, ccfg).Close(context.Background())

	// The same for the identity-card issuer in [users].
	restore = swapFile(t, cfg.Path(cfg.Users.TrustAnchors[0]), pemCert(stranger.Root))
	if err := st.Reload(); err != nil {
		t.Fatal(err)
	}
	if pe := refusal(t, ccfg); pe.Status != 403 || !strings.Contains(pe.Detail, "user") {
		t.Fatalf("a card whose issuer was withdrawn: %v", pe)
	}
	restore()
	if err := st.Reload(); err != nil {
		t.Fatal(err)
	}

	// A file that does not load keeps the previous trust.
	restore = swapFile(t, cfg.Path(cfg.Users.TrustAnchors[0]), []byte("not a certificate"))
	if err := st.Reload(); err == nil {
		t.Fatal("Reload took a broken trust anchor file")
	}
	bed.Dial(t, ccfg).Close(context.Background())
	restore()
}

// TestTheServerFollowsChangedTrustFilesAndWarnsOfStaleCRLs runs the
// server with a short reload interval: it reloads a trust anchor file
// that changed without being asked, and it warns, once each, of the CRLs
// that go stale within the warning window.
func TestTheServerFollowsChangedTrustFilesAndWarnsOfStaleCRLs(t *testing.T) {
	bed := userBed(t)
	cfg, _ := serverTOML(t, bed, true)
	cfg.PKI.ReloadInterval = 20 * time.Millisecond
	cfg.PKI.CRLWarning = 2 * time.Hour // the citizen CRLs expire in an hour, the PKI's in 7 days
	var log syncbuf.Buffer
	st, err := deploy.NewServer(cfg, bed.Store, deploy.ServerOptions{Logger: slog.New(slog.NewTextHandler(&log, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	stale := st.Stale()
	var sources []string
	for _, s := range stale {
		sources = append(sources, s.Source)
	}
	if len(stale) != 2 || !strings.HasPrefix(sources[0], "users: ") || !strings.HasPrefix(sources[1], "users: ") {
		t.Fatalf("Stale = %q, want the two users' CRLs", sources)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- st.Serve(ctx, ln) }()
	defer func() { cancel(); <-served }()
	ccfg := bed.ClientConfig(t)
	ccfg.Server = "http://" + ln.Addr().String()
	bed.Dial(t, ccfg).Close(context.Background())

	stranger, err := provision.NewCitizenCA(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	restore := swapFile(t, cfg.Path(cfg.Users.TrustAnchors[0]), pemCert(stranger.Root))
	defer restore()
	for deadline := time.Now().Add(10 * time.Second); ; {
		if c, err := client.Dial(context.Background(), ccfg); err != nil {
			break
		} else {
			c.Close(context.Background())
		}
		if time.Now().After(deadline) {
			t.Fatalf("the changed [users] trust anchor was never reloaded; log:\n%s", log.String())
		}
	}
	if n := strings.Count(log.String(), "goes stale soon"); n != 2 {
		t.Fatalf("%d warnings of CRLs going stale, want one for each of the 2; log:\n%s", n, log.String())
	}
	if !strings.Contains(log.String(), "trust anchors reloaded") {
		t.Fatalf("the reload was not logged:\n%s", log.String())
	}
}
