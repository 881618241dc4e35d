package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"securemedia/internal/config"
)

// fastCRLReload makes the server re-read its CRL files every 100 ms, so
// a revocation takes effect without a restart within the test.
func fastCRLReload(t *testing.T, ws string) {
	t.Helper()
	p := filepath.Join(ws, "server.toml")
	cfg, err := config.LoadServer(p)
	if err != nil {
		t.Fatal(err)
	}
	cfg.PKI.ReloadInterval = 100 * time.Millisecond
	if err := config.Write(p, cfg); err != nil {
		t.Fatal(err)
	}
}

func TestRevocationTakesEffectWithoutARestart(t *testing.T) {
	cases := []struct {
		name, cert, wantSide string
	}{
		{"a revoked client device is refused by the server", "pki/certs/client.crt", "server answered 403"},
		{"a revoked server certificate is refused by the client", "pki/certs/server.crt", "server certificate"},
		{"a revoked intermediate takes everything under it down", "pki/ca/intermediate.crt", "certificate revoked"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ws := newWorkspace(t)
			fastCRLReload(t, ws)
			srv := startServer(t, ws)
			client := filepath.Join(ws, "client.toml")
			if r := runCLI(t, "", nil, nil, "catalog", "--config", client, "--server", srv.url); r.code != 0 {
				t.Fatalf("before revocation: %s", r.stderr)
			}
			r := runCLI(t, "", nil, nil, "pki", "revoke", "--dir", filepath.Join(ws, "pki/ca"), "--cert", filepath.Join(ws, tc.cert), "--reason", "keyCompromise")
			if r.code != 0 {
				t.Fatalf("pki revoke: %s", r.stderr)
			}
			// The server re-reads its CRLs every 100 ms: poll until the
			// refusal, within a bound far above that.
			for deadline := time.Now().Add(10 * time.Second); ; {
				r = runCLI(t, "", nil, nil, "catalog", "--config", client, "--server", srv.url)
				if r.code != 0 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatal("the revoked certificate still works after 10 s")
				}
			}
			if !strings.Contains(r.stderr, "certificate revoked") || !strings.Contains(r.stderr, tc.wantSide) {
				t.Fatalf("refusal does not say who refused and why: %s", r.stderr)
			}
			srv.stop(t)
		})
	}
}
