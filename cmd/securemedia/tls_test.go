package main

import (
	"path/filepath"
	"strings"
	"testing"

	"securemedia/internal/config"
)

// TestTheServerCanListenWithTLS wraps the protocol in TLS ([tls] in
// server.toml) and plays through it: the client verifies the server's TLS
// certificate against [tls] roots of client.toml, and without them (the
// system's roots) refuses it with a hint; plain HTTP to the TLS listener
// gets nowhere.
func TestTheServerCanListenWithTLS(t *testing.T) {
	ws := newWorkspace(t)
	serverPath := filepath.Join(ws, "server.toml")
	scfg, err := config.LoadServer(serverPath)
	if err != nil {
		t.Fatal(err)
	}
	// The workspace's server certificate names 127.0.0.1 and is for
	// server authentication: it serves for TLS too.
	scfg.TLS = config.ServerTLS{Certificate: scfg.Identity.Certificate, Key: scfg.Identity.Key}
	if err := config.Write(serverPath, scfg); err != nil {
		t.Fatal(err)
	}
	file, _ := randomFile(t, 300_000)
	id := addMedia(t, ws, file)
	srv := startServer(t, ws)
	if !strings.HasPrefix(srv.url, "https://127.0.0.1:") {
		t.Fatalf("the server says it listens on %s, want https://", srv.url)
	}

	ccfg, err := config.LoadClient(filepath.Join(ws, "client.toml"))
	if err != nil {
		t.Fatal(err)
	}
	ccfg.TLS.Roots = []string{ccfg.Trust.Roots[0]}
	withRoots := filepath.Join(ws, "client-tls.toml")
	if err := config.Write(withRoots, ccfg); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, "", nil, nil, "play", "--config", withRoots, "--server", srv.url, "--media", id, "--sink", "null")
	if r.code != 0 || !strings.Contains(r.stderr, "every chunk verified") {
		t.Fatalf("play over TLS: %d %s", r.code, r.stderr)
	}

	r = runCLI(t, "", nil, nil, "catalog", "--config", filepath.Join(ws, "client.toml"), "--server", srv.url)
	if r.code != exitFailure || !strings.Contains(r.stderr, "certificate signed by unknown authority") ||
		!strings.Contains(r.stderr, "hint: the server's TLS certificate does not verify against the system's roots: set [tls] roots in ") {
		t.Fatalf("a TLS certificate of a private CA without [tls] roots: %d %s", r.code, r.stderr)
	}
	plain := "http://" + strings.TrimPrefix(srv.url, "https://")
	r = runCLI(t, "", nil, nil, "catalog", "--config", withRoots, "--server", plain)
	if r.code != exitFailure || !strings.Contains(r.stderr, "use https:// for it") {
		t.Fatalf("plain HTTP to the TLS listener: %d %s", r.code, r.stderr)
	}
	srv.stop(t)
}
