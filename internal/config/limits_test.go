package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTransportLimitsAreReadAndANegativeCapIsRefused: [limits]
// max_connections, max_connections_per_client and max_requests_per_session
// are read as written, 0
// or absent leaves the default to the server, and a negative value is
// refused at load, naming the key and the file.
func TestTransportLimitsAreReadAndANegativeCapIsRefused(t *testing.T) {
	for _, c := range []struct {
		name, toml         string
		conns, share, reqs int
		err                string
	}{
		{"absent means the defaults", "", 0, 0, 0, ""},
		{"zero means the defaults", "[limits]\nmax_connections = 0\nmax_connections_per_client = 0\nmax_requests_per_session = 0\n", 0, 0, 0, ""},
		{"all are read", "[limits]\nmax_connections = 10000\nmax_connections_per_client = 300\nmax_requests_per_session = 4\n", 10000, 300, 4, ""},
		{"a negative connection cap is refused", "[limits]\nmax_connections = -1\n", 0, 0, 0, "[limits] max_connections = -1"},
		{"a negative share of it is refused", "[limits]\nmax_connections_per_client = -2\n", 0, 0, 0, "[limits] max_connections_per_client = -2"},
		{"a negative request cap is refused", "[limits]\nmax_requests_per_session = -8\n", 0, 0, 0, "[limits] max_requests_per_session = -8"},
		{"a misspelt key is refused", "[limits]\nmax_connection = 10\n", 0, 0, 0, `unknown key "max_connection" in [limits]`},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "server.toml")
			if err := os.WriteFile(path, []byte(c.toml), 0o600); err != nil {
				t.Fatal(err)
			}
			cfg, err := LoadServer(path)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) || !strings.Contains(err.Error(), path) {
					t.Fatalf("err = %v, want one naming %q and the file", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if l := cfg.Limits; l.MaxConnections != c.conns || l.MaxConnectionsPerClient != c.share || l.MaxRequestsPerSession != c.reqs {
				t.Fatalf("max_connections %d, max_connections_per_client %d, max_requests_per_session %d; want %d, %d, %d",
					l.MaxConnections, l.MaxConnectionsPerClient, l.MaxRequestsPerSession, c.conns, c.share, c.reqs)
			}
		})
	}
}
