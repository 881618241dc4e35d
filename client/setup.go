package client

import (
	"bufio"
	"context"
	"crypto/x509"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"securemedia/internal/config"
	"securemedia/internal/setup"
	"securemedia/pki"
	"securemedia/protocol"
	"securemedia/token"
)

// Options override what client.toml says.
type Options struct {
	// Server replaces the configured server URL when set.
	Server string
	// KeyPassphrase is asked only when the device key is encrypted.
	KeyPassphrase func() ([]byte, error)
	Logger        *slog.Logger
	HTTPClient    *http.Client
	// User is the person's opened token (identity card, SoftHSM2 demo card
	// or software token); it signs the handshake transcript. Nil logs in no
	// user. The caller opens it (PIN) and closes it after the connection.
	User token.Authenticator
}

// Setup is a client configuration loaded from client.toml.
type Setup struct {
	Config Config
	// VerifyContent validates content-signing chains (manifests) with the
	// same validator and CRLs as the server chain; it is also in Config.
	VerifyContent func(chain [][]byte) (*x509.Certificate, error)
	// ServerName is the name the server certificate must carry.
	ServerName string
	// VerifyLicense validates license-signing chains (license tokens) with
	// the same validator; it is also in Config.
	VerifyLicense func(chain [][]byte) (*x509.Certificate, error)
}

// maxCRLIndex bounds the CRL index document.
const maxCRLIndex = 64 << 10

// FromConfig builds the client side from client.toml: the device identity,
// the validator for the server and for content (roots, intermediates, local
// CRLs plus the CRLs the server publishes under /crl/, fetched fresh for
// each run), and the protocol preferences.
func FromConfig(ctx context.Context, c *config.Client, o Options) (*Setup, error) {
	serverURL := c.Server
	if o.Server != "" {
		serverURL = o.Server
	}
	u, err := url.Parse(serverURL)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("server URL %q: want http://host:port", serverURL)
	}
	chain, key, err := setup.LoadIdentity(c.Path(c.Identity.Certificate), c.Path(c.Identity.Key), o.KeyPassphrase)
	if err != nil {
		return nil, fmt.Errorf("device identity: %w", err)
	}
	hc := o.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: httpTimeout}
	}
	crls, err := pki.LoadCRLs(c.Paths(c.Trust.CRLs)...)
	if err != nil {
		return nil, fmt.Errorf("crls: %w", err)
	}
	if c.Trust.RevocationEnabled() {
		fetched, err := FetchServerCRLs(ctx, hc, serverURL)
		if err != nil && o.Logger != nil {
			o.Logger.Warn("could not fetch the server's CRLs; using local ones", "err", err)
		}
		crls = append(crls, fetched...)
	}
	v, err := setup.NewValidator(c.Paths(c.Trust.Roots), c.Paths(c.Trust.Intermediates), crls, c.Trust.RevocationEnabled())
	if err != nil {
		return nil, fmt.Errorf("trust: %w", err)
	}
	pc, err := setup.ProtocolConfig(c.Protocol)
	if err != nil {
		return nil, err
	}
	name := c.ServerName
	if name == "" {
		name = u.Hostname()
	}
	pc.Certificate, pc.PrivateKey = chain, key
	pc.VerifyPeer = func(ch [][]byte) (*x509.Certificate, error) { return v.Verify(ch, pki.UsageServer, name) }
	if o.User != nil {
		pc.User = UserCredentials(o.User)
	}
	verifyLicense := func(ch [][]byte) (*x509.Certificate, error) { return v.Verify(ch, pki.UsageLicense, "") }
	verifyContent := func(ch [][]byte) (*x509.Certificate, error) { return v.Verify(ch, pki.UsageContent, "") }
	return &Setup{
		Config: Config{Server: serverURL, Protocol: pc, HTTPClient: o.HTTPClient, Logger: o.Logger,
			VerifyLicense: verifyLicense, VerifyContent: verifyContent},
		VerifyContent: verifyContent,
		ServerName:    name,
		VerifyLicense: verifyLicense,
	}, nil
}

// UserCredentials are the handshake's user credentials from an opened
// token: its chain and signer, with RSA PKCS#1 v1.5 allowed only for a
// token that cannot sign with RSA-PSS (identity cards, DESIGN.md §4).
func UserCredentials(a token.Authenticator) *protocol.UserCredentials {
	return &protocol.UserCredentials{Chain: a.Chain(), Signer: a.Signer(), AllowPKCS1: !a.SupportsPSS()}
}

// FetchServerCRLs downloads the CRLs a server publishes under /crl/. CRLs
// are signed, so plain HTTP is fine: the validator checks them.
func FetchServerCRLs(ctx context.Context, hc *http.Client, server string) ([][]byte, error) {
	base := strings.TrimRight(server, "/") + "/crl/"
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base, nil)
	if err != nil {
		return nil, err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("CRL index: HTTP %d", resp.StatusCode)
	}
	var urls []string
	sc := bufio.NewScanner(io.LimitReader(resp.Body, maxCRLIndex))
	for sc.Scan() {
		name := strings.TrimSpace(sc.Text())
		if name == "" || strings.ContainsAny(name, "/?#") || len(urls) == 64 {
			continue
		}
		urls = append(urls, base+url.PathEscape(name))
	}
	if len(urls) == 0 {
		return nil, nil
	}
	return pki.FetchCRLs(ctx, hc, urls)
}
