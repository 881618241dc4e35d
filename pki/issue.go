package pki

import (
	"crypto"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"time"

	"securemedia/internal/fsutil"
)

// DefaultLeafValidity is the validity of an issued leaf when none is given.
const DefaultLeafValidity = 365 * 24 * time.Hour

// IssueRequest describes a leaf certificate to issue.
type IssueRequest struct {
	// Profile selects key usage and extended key usage; UsageAny is refused.
	Profile Usage
	// CommonName is the subject CN (required).
	CommonName string
	// DNSNames and IPs are the SANs; a server needs at least one.
	DNSNames []string
	IPs      []net.IP
	// SerialNumberAttr is the subject serialNumber attribute (required for
	// user certificates: it identifies the person, as on an identity card).
	SerialNumberAttr string
	// Validity defaults to DefaultLeafValidity.
	Validity time.Duration
	// NotBefore defaults to now (backdated a few minutes for clock skew).
	NotBefore time.Time
	// PublicKey is the subject key; nil generates a key of the CA's
	// algorithm, returned in Issued.Key.
	PublicKey crypto.PublicKey
}

// Issued is a freshly issued certificate.
type Issued struct {
	// Cert is the leaf.
	Cert *x509.Certificate
	// ChainPEM is the leaf and the intermediate, PEM.
	ChainPEM []byte
	// Key is the generated private key, or nil when PublicKey was given.
	Key crypto.Signer
}

// profileTemplate returns the key usage and extended key usages of a profile.
func profileTemplate(p Usage) (x509.KeyUsage, []x509.ExtKeyUsage, []asn1.ObjectIdentifier, error) {
	ds := x509.KeyUsageDigitalSignature
	switch p {
	case UsageServer:
		return ds, []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, nil, nil
	case UsageClient:
		return ds, []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}, nil, nil
	case UsageContent:
		return ds, nil, []asn1.ObjectIdentifier{OIDContentSigning}, nil
	case UsageLicense:
		return ds, nil, []asn1.ObjectIdentifier{OIDLicenseSigning}, nil
	case UsageUser:
		return ds, []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}, []asn1.ObjectIdentifier{OIDUser}, nil
	}
	return 0, nil, nil, fmt.Errorf("no certificate profile %q (want server, client, content, license or user)", p)
}

// Issue signs a leaf certificate with the intermediate, by profile, and
// records a copy under issued/.
func (ca *CA) Issue(r IssueRequest) (*Issued, error) {
	ku, eku, private, err := profileTemplate(r.Profile)
	if err != nil {
		return nil, fmt.Errorf("issue: %w", err)
	}
	if r.CommonName == "" {
		return nil, errors.New("issue: a common name is required")
	}
	if r.Profile == UsageServer && len(r.DNSNames) == 0 && len(r.IPs) == 0 {
		return nil, errors.New("issue: a server certificate needs at least one DNS name or IP address")
	}
	if r.Profile == UsageUser && r.SerialNumberAttr == "" {
		return nil, errors.New("issue: a user certificate needs a subject serial number")
	}
	if r.Validity < 0 {
		return nil, errors.New("issue: negative validity")
	}
	if r.Validity == 0 {
		r.Validity = DefaultLeafValidity
	}
	notBefore := r.NotBefore
	if notBefore.IsZero() {
		notBefore = ca.Now().Add(-backdate)
	}
	notAfter := notBefore.Add(r.Validity)
	if notAfter.After(ca.intermediate.NotAfter) {
		return nil, fmt.Errorf("issue: validity ends after the intermediate's (%s)", ca.intermediate.NotAfter.UTC().Format(time.RFC3339))
	}
	res := &Issued{}
	pub := r.PublicKey
	if pub == nil {
		k, err := GenerateKey(ca.state.KeyAlgorithm)
		if err != nil {
			return nil, fmt.Errorf("issue: %w", err)
		}
		res.Key, pub = k, k.Public()
	} else if _, err := algorithmOf(pub); err != nil {
		return nil, fmt.Errorf("issue: %w", err)
	}
	tmpl := &x509.Certificate{
		Subject: pkix.Name{
			Organization: []string{ca.state.Organization},
			CommonName:   r.CommonName,
			SerialNumber: r.SerialNumberAttr,
		},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              ku,
		ExtKeyUsage:           eku,
		UnknownExtKeyUsage:    private,
		BasicConstraintsValid: true,
		DNSNames:              r.DNSNames,
		IPAddresses:           r.IPs,
		CRLDistributionPoints: []string{ca.state.CRLBaseURL + intermediateCRLFile},
		SignatureAlgorithm:    signatureAlgorithm(ca.intermediateK.Public()),
	}
	cert, err := createCert(tmpl, ca.intermediate, pub, ca.intermediateK)
	if err != nil {
		return nil, fmt.Errorf("issue: %w", err)
	}
	res.Cert = cert
	res.ChainPEM = certPEM(cert, ca.intermediate)
	if err := fsutil.WriteFileAtomic(filepath.Join(ca.dir, issuedDir, serialKey(cert.SerialNumber)+".crt"), certPEM(cert), 0o644); err != nil {
		return nil, fmt.Errorf("issue: record: %w", err)
	}
	return res, nil
}

// IssuedCertificate returns the certificate this CA issued with serial, as
// recorded under issued/.
func (ca *CA) IssuedCertificate(serialHex string) (*x509.Certificate, error) {
	p := filepath.Join(ca.dir, issuedDir, filepath.Base(serialHex)+".crt")
	if _, err := os.Stat(p); err != nil {
		return nil, fmt.Errorf("serial %s was not issued by this CA", serialHex)
	}
	return loadOne(p)
}

// WriteIssued writes the chain to prefix.crt and, when the key was
// generated, the key to prefix.key (0600; encrypted when passphrase is not
// nil). It returns the paths written.
func WriteIssued(prefix string, is *Issued, passphrase []byte, kdf KDFParams) (certPath, keyPath string, err error) {
	certPath = prefix + ".crt"
	if is.Key != nil {
		keyPath = prefix + ".key"
		if kdf == (KDFParams{}) {
			kdf = DefaultKDFParams()
		}
		if err := WriteSignerWithParams(keyPath, is.Key, passphrase, kdf); err != nil {
			return "", "", err
		}
	}
	if err := fsutil.WriteFileAtomic(certPath, is.ChainPEM, 0o644); err != nil {
		return "", "", err
	}
	return certPath, keyPath, nil
}
