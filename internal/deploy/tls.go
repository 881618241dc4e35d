package deploy

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"

	"golang.org/x/net/netutil"

	"securemedia/client"
	"securemedia/internal/config"
	"securemedia/internal/netlimit"
	"securemedia/internal/secret"
	"securemedia/pki"
)

// serverTLS is the TLS configuration of the listener that [tls] in
// server.toml asks for, nil when it asks for none. The session protocol
// runs inside it unchanged: TLS is for operators who want HTTPS on the
// wire (DESIGN.md §4, "TLS on the listener is an option").
func serverTLS(c *config.Server, keyPassphrase func() ([]byte, error)) (*tls.Config, error) {
	t := c.TLS
	if !t.Enabled() {
		return nil, nil
	}
	keys := []string{"[tls] certificate", "[tls] key", "[tls] key_passphrase_file"}
	if t.Certificate == "" || t.Key == "" {
		return nil, configError(c.File(), fmt.Errorf("tls: give both [tls] certificate and key"), keys...)
	}
	if t.KeyPassphraseFile != "" {
		file := c.Path(t.KeyPassphraseFile)
		keyPassphrase = func() ([]byte, error) { return secret.FromFile(file) }
	}
	chain, key, err := pki.LoadIdentity(c.Path(t.Certificate), c.Path(t.Key), keyPassphrase)
	if err != nil {
		return nil, configError(c.File(), fmt.Errorf("tls: %w", err), keys...)
	}
	leaf, err := x509.ParseCertificate(chain[0])
	if err != nil {
		return nil, configError(c.File(), fmt.Errorf("tls: %w", err), keys...)
	}
	return &tls.Config{
		MinVersion:   tls.VersionTLS12,
		Certificates: []tls.Certificate{{Certificate: chain, PrivateKey: key, Leaf: leaf}},
		NextProtos:   []string{"http/1.1"},
	}, nil
}

// DefaultMaxConnections caps the open connections of the public listener
// when [limits] max_connections does not say. A viewer that plays holds
// one connection at a time and keeps at most a few idle ones (the client
// keeps 4 idle per server, for 90 s): 4096 serves the 1,000 plays at once
// the load test runs, with room, and matches the maxconn of the HAProxy
// configuration in deploy/. Each connection is a file descriptor, a
// goroutine and its buffers, some tens of KiB: 4096 of them stay well
// inside a server's memory and its file limit (Go raises the soft limit
// to the hard one, 524288 for a systemd service by default).
const DefaultMaxConnections = 4096

// DefaultMaxConnectionsPerClient is one client host's share of
// max_connections when [limits] max_connections_per_client does not say:
// without it a single host could fill the listener and lock every other
// viewer out. A viewer holds a handful (the client keeps 4 idle, a
// browser opens at most 6); 128, as the half-open share per host, leaves
// room for a household or an office behind one address, and takes at
// least 32 hosts to fill 4096. Behind a balancer every connection comes
// from it: raise the share to what it may open to one replica.
const DefaultMaxConnectionsPerClient = 128

// maxConnections is [limits] max_connections with its default.
func maxConnections(c *config.Server) int {
	if n := c.Limits.MaxConnections; n > 0 {
		return n
	}
	return DefaultMaxConnections
}

// maxConnectionsPerClient is [limits] max_connections_per_client with its
// default.
func maxConnectionsPerClient(c *config.Server) int {
	if n := c.Limits.MaxConnectionsPerClient; n > 0 {
		return n
	}
	return DefaultMaxConnectionsPerClient
}

// listen opens the server's listener: TLS when [tls] says so, at most
// [limits] max_connections connections open at once, and at most
// max_connections_per_client of one client host. It returns the listener
// and the URL a client reaches it at.
//
// The caps are on the TCP listener under TLS (so that the HTTP server
// still sees *tls.Conn). At the overall cap (netutil.LimitListener) the
// server stops accepting, and further connections wait in the kernel's
// listen backlog until one closes, as behind HAProxy's maxconn, rather
// than being refused. A connection beyond its host's share
// (netlimit.PerHost) is closed at once, so that one host cannot fill the
// overall cap.
func listen(c *config.Server, addr string, keyPassphrase func() ([]byte, error)) (net.Listener, string, error) {
	tc, err := serverTLS(c, keyPassphrase)
	if err != nil {
		return nil, "", err
	}
	tcp, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, "", &ListenError{Addr: addr, Err: err}
	}
	ln := netutil.LimitListener(netlimit.PerHost(tcp, maxConnectionsPerClient(c), nil), maxConnections(c))
	if tc == nil {
		return ln, "http://" + ln.Addr().String(), nil
	}
	return tls.NewListener(ln, tc), "https://" + ln.Addr().String(), nil
}

// tlsHTTPClient is the HTTP client for an https:// server whose TLS
// certificate chains to [tls] roots of client.toml; nil when no roots are
// configured (the system's roots then apply, as for any HTTPS client).
func tlsHTTPClient(c *config.Client) (*http.Client, error) {
	if len(c.TLS.Roots) == 0 {
		return nil, nil
	}
	roots, err := pki.LoadCertificates(c.Paths(c.TLS.Roots)...)
	if err != nil {
		return nil, configError(c.File(), fmt.Errorf("tls roots: %w", err), "[tls] roots")
	}
	pool := x509.NewCertPool()
	for _, r := range roots {
		pool.AddCert(r)
	}
	return client.NewHTTPClient(&tls.Config{MinVersion: tls.VersionTLS12, RootCAs: pool}), nil
}
