package deploy

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"

	"securemedia/client"
	"securemedia/internal/config"
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

// listen opens the server's listener: TLS when [tls] says so. It returns
// the listener and the URL a client reaches it at.
func listen(c *config.Server, addr string, keyPassphrase func() ([]byte, error)) (net.Listener, string, error) {
	tc, err := serverTLS(c, keyPassphrase)
	if err != nil {
		return nil, "", err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, "", &ListenError{Addr: addr, Err: err}
	}
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
