package pki

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"time"
)

// BootstrapOptions configure Bootstrap. The zero value is useful.
type BootstrapOptions struct {
	// ServerNames are the server certificate's SANs (DNS names and IP
	// addresses); empty means "localhost", "127.0.0.1", "::1".
	ServerNames []string
	// KeyAlgorithm of every key; "" means ECDSAP256.
	KeyAlgorithm KeyAlgorithm
	// CRLBaseURL is passed to InitCA; "" means DefaultCRLBaseURL.
	CRLBaseURL string
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
}

// Workspace lists the files Bootstrap wrote. Chains are PEM, leaf first;
// keys are unencrypted PKCS#8 PEM files with mode 0600.
type Workspace struct {
	// CADir is the CA directory (see the package documentation).
	CADir string
	// Root and Intermediate are the CA certificates.
	Root, Intermediate string
	// CRLDir holds the CRLs, CRLs lists them (root's, intermediate's).
	CRLDir string
	CRLs   []string

	ServerChain, ServerKey   string
	ClientChain, ClientKey   string
	ContentChain, ContentKey string
	LicenseChain, LicenseKey string
	// UserChain and UserKey are a software user (demo stand-in for an
	// identity card).
	UserChain, UserKey string
}

// Bootstrap creates a CA under dir/ca and issues the demo leaves under
// dir/certs: a server certificate, a client device, a content signer, a
// license signer and a software user.
func Bootstrap(dir string, o BootstrapOptions) (*Workspace, error) {
	caDir := filepath.Join(dir, "ca")
	if err := InitCA(caDir, InitOptions{KeyAlgorithm: o.KeyAlgorithm, CRLBaseURL: o.CRLBaseURL, Now: o.Now}); err != nil {
		return nil, err
	}
	ca, err := OpenCA(caDir, nil)
	if err != nil {
		return nil, err
	}
	if o.Now != nil {
		ca.Now = o.Now
	}
	certDir := filepath.Join(dir, "certs")
	if err := os.MkdirAll(certDir, 0o700); err != nil {
		return nil, fmt.Errorf("bootstrap: %w", err)
	}
	names := o.ServerNames
	if len(names) == 0 {
		names = []string{"localhost", "127.0.0.1", "::1"}
	}
	var dns []string
	var ips []net.IP
	for _, n := range names {
		if ip := net.ParseIP(n); ip != nil {
			ips = append(ips, ip)
		} else {
			dns = append(dns, n)
		}
	}
	w := &Workspace{
		CADir: caDir, Root: ca.RootPath(), Intermediate: ca.IntermediatePath(),
		CRLDir: filepath.Join(caDir, crlDir), CRLs: ca.CRLPaths(),
	}
	leaves := []struct {
		req        IssueRequest
		name       string
		chain, key *string
	}{
		{IssueRequest{Profile: UsageServer, CommonName: names[0], DNSNames: dns, IPs: ips}, "server", &w.ServerChain, &w.ServerKey},
		{IssueRequest{Profile: UsageClient, CommonName: "device-1"}, "client", &w.ClientChain, &w.ClientKey},
		{IssueRequest{Profile: UsageContent, CommonName: "content signer"}, "content", &w.ContentChain, &w.ContentKey},
		{IssueRequest{Profile: UsageLicense, CommonName: "license signer"}, "license", &w.LicenseChain, &w.LicenseKey},
		{IssueRequest{Profile: UsageUser, CommonName: "Demo User", SerialNumberAttr: "DEMO-0001"}, "user", &w.UserChain, &w.UserKey},
	}
	for _, l := range leaves {
		is, err := ca.Issue(l.req)
		if err != nil {
			return nil, fmt.Errorf("bootstrap %s: %w", l.name, err)
		}
		if *l.chain, *l.key, err = WriteIssued(filepath.Join(certDir, l.name), is, nil, KDFParams{}); err != nil {
			return nil, fmt.Errorf("bootstrap %s: %w", l.name, err)
		}
	}
	return w, nil
}
