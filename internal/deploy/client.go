package deploy

import (
	"context"
	"crypto/x509"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"

	"securemedia/client"
	"securemedia/internal/config"
	"securemedia/pki"
	"securemedia/protocol"
	"securemedia/token"
)

// ClientOptions override what client.toml says.
type ClientOptions struct {
	// Server replaces the configured server URL when set.
	Server string
	// Suite and Group, when set, restrict the offer to one suite and one
	// group (by name, as `play --suite/--group` take them).
	Suite, Group string
	// KeyPassphrase is asked only when the device key is encrypted.
	KeyPassphrase func() ([]byte, error)
	Logger        *slog.Logger
	HTTPClient    *http.Client
	// User is the person's opened token (identity card, SoftHSM2 demo card
	// or software token); it signs the handshake transcript. Nil logs in
	// no user. The caller opens it (OpenUserToken) and closes it after the
	// connection.
	User token.Authenticator
}

// Client is a client configuration assembled from client.toml.
type Client struct {
	// Config is what client.Dial takes.
	Config client.Config
	// ServerName is the name the server certificate must carry.
	ServerName string
	// VerifyContent validates content-signing chains (manifests) with the
	// same validator and CRLs as the server chain.
	VerifyContent func(chain [][]byte) (*x509.Certificate, error)
}

// NewClient builds the client side from c: the device identity, the
// validator for the server, content and license chains (roots,
// intermediates, the local CRLs, and the CRLs the server staples to its
// signed handshake flight, DESIGN.md §4 "Stapled CRLs": no CRL is fetched
// before a play), and the protocol preferences. It makes no request; ctx
// is for what may need one.
func NewClient(ctx context.Context, c *config.Client, o ClientOptions) (*Client, error) {
	file := c.File()
	serverURL := c.Server
	if o.Server != "" {
		serverURL = o.Server
	}
	u, err := url.Parse(serverURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, &ServerURLError{URL: serverURL, FromFlag: o.Server != "", File: file}
	}
	if o.HTTPClient == nil {
		if o.HTTPClient, err = tlsHTTPClient(c); err != nil {
			return nil, err
		}
	}
	chain, key, err := pki.LoadIdentity(c.Path(c.Identity.Certificate), c.Path(c.Identity.Key), o.KeyPassphrase)
	if err != nil {
		return nil, configError(file, fmt.Errorf("device identity: %w", err), "[identity] certificate", "[identity] key")
	}
	crls, err := pki.LoadCRLs(c.Paths(c.Trust.CRLs)...)
	if err != nil {
		return nil, configError(file, fmt.Errorf("crls: %w", err), "[trust] crls")
	}
	v, err := NewValidator(Trust{Roots: c.Paths(c.Trust.Roots), Intermediates: c.Paths(c.Trust.Intermediates), CRLs: crls, CheckRevocation: c.Trust.RevocationEnabled()})
	if err != nil {
		return nil, configError(file, fmt.Errorf("trust: %w", err), "[trust] roots", "[trust] intermediates", "[trust] crls")
	}
	pc, err := protocolConfig(c.Protocol)
	if err != nil {
		return nil, configError(file, err, "[protocol] suites", "[protocol] groups")
	}
	if err := restrictOffer(pc, o.Suite, o.Group); err != nil {
		return nil, err
	}
	name := c.ServerName
	if name == "" {
		name = u.Hostname()
	}
	pc.Certificate, pc.PrivateKey = chain, key
	revocation := c.Trust.RevocationEnabled()
	pc.VerifyPeer = func(ch, stapled [][]byte) (*x509.Certificate, error) {
		if !revocation {
			return v.Verify(ch, pki.UsageServer, name)
		}
		// The stapled CRLs join the validator's for the content and
		// license chains that follow.
		return v.VerifyStapled(ch, stapled, pki.UsageServer, name)
	}
	if o.User != nil {
		pc.User = client.UserCredentials(o.User)
	}
	verifyContent := func(ch [][]byte) (*x509.Certificate, error) { return v.Verify(ch, pki.UsageContent, "") }
	return &Client{
		// The finish travels with the first request: one round trip
		// fewer for every command (DESIGN.md §4 "Handshake").
		Config: client.Config{Server: serverURL, Protocol: pc, HTTPClient: o.HTTPClient, Logger: o.Logger, FinishWithFirstRequest: true,
			VerifyLicense: func(ch [][]byte) (*x509.Certificate, error) { return v.Verify(ch, pki.UsageLicense, "") },
			VerifyContent: verifyContent},
		ServerName:    name,
		VerifyContent: verifyContent,
	}, nil
}

// restrictOffer limits the offer to one suite and one group when named.
func restrictOffer(pc *protocol.Config, suite, group string) error {
	if suite != "" {
		id, err := protocol.ParseSuite(suite)
		if err != nil {
			return &OfferError{What: "suites", Err: err}
		}
		pc.Suites = []protocol.SuiteID{id}
	}
	if group != "" {
		id, err := protocol.ParseGroup(group)
		if err != nil {
			return &OfferError{What: "groups", Err: err}
		}
		pc.Groups = []protocol.GroupID{id}
	}
	return nil
}

// OfferError is an unknown suite or group name given to restrict the offer.
type OfferError struct {
	What string // "suites" or "groups"
	Err  error
}

func (e *OfferError) Error() string { return e.Err.Error() }
func (e *OfferError) Unwrap() error { return e.Err }

// ServerURLError is a server URL that is not http(s)://host[:port].
type ServerURLError struct {
	URL string
	// FromFlag: the URL came from the caller (a --server flag), not File.
	FromFlag bool
	File     string
}

func (e *ServerURLError) Error() string {
	return fmt.Sprintf("server URL %q: want http://host:port or https://host:port", e.URL)
}
