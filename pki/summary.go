package pki

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"math/big"
	"strings"
	"time"
)

// Summary describes one object of a certificate or CRL file, for an
// operator (`securemedia pki show`); its JSON is what `pki show --json`
// prints, one array element per object. Serial numbers are in hex, as
// ParseSerial reads them and the validator's errors name them.
type Summary struct {
	// Type is "certificate" or "crl".
	Type        string              `json:"type"`
	Certificate *CertificateSummary `json:"certificate,omitempty"`
	CRL         *CRLSummary         `json:"crl,omitempty"`
}

// CertificateSummary is what a certificate says: names, validity, key,
// usages, the CRL it is listed in, and its SHA-256 fingerprint.
type CertificateSummary struct {
	Subject   string    `json:"subject"`
	Issuer    string    `json:"issuer"`
	Serial    string    `json:"serial"`
	NotBefore time.Time `json:"not_before"`
	NotAfter  time.Time `json:"not_after"`
	// Key is the public key's algorithm and size, e.g. "ECDSA P-256".
	Key       string `json:"key"`
	Signature string `json:"signature"`
	CA        bool   `json:"ca"`
	// PathLen is a CA's path length constraint; nil is unlimited.
	PathLen *int `json:"path_len,omitempty"`
	// KeyUsage names the RFC 5280 key usages set ("none" when none is).
	KeyUsage []string `json:"key_usage"`
	// ExtKeyUsage names the extended key usages, the private ones of this
	// PKI by name and OID.
	ExtKeyUsage  []string `json:"ext_key_usage,omitempty"`
	SANs         []string `json:"sans,omitempty"`
	CRLDistPoint []string `json:"crl_distribution_points,omitempty"`
	SHA256       string   `json:"sha256"`
}

// CRLSummary is what a CRL says: its issuer, number, validity and the
// serials it revokes.
type CRLSummary struct {
	Issuer     string     `json:"issuer"`
	Number     string     `json:"number,omitempty"`
	ThisUpdate time.Time  `json:"this_update"`
	NextUpdate *time.Time `json:"next_update,omitempty"`
	Signature  string     `json:"signature"`
	Revoked    []Revoked  `json:"revoked"`
}

// Revoked is one entry of a CRL; Reason is its RFC 5280 name.
type Revoked struct {
	Serial string    `json:"serial"`
	Time   time.Time `json:"time"`
	Reason string    `json:"reason"`
}

// Describe summarizes the certificates in data (PEM or DER, as
// ParseCertificates reads them) or, when it holds none, its CRLs.
func Describe(data []byte) ([]Summary, error) {
	var out []Summary
	certs, certErr := ParseCertificates(data)
	if certErr == nil {
		for _, c := range certs {
			out = append(out, Summary{Type: "certificate", Certificate: summarizeCertificate(c)})
		}
		return out, nil
	}
	crls, crlErr := ParseCRLs(data)
	if crlErr != nil {
		return nil, fmt.Errorf("neither a certificate (%v) nor a crl (%v)", certErr, crlErr)
	}
	for _, der := range crls {
		crl, err := x509.ParseRevocationList(der)
		if err != nil {
			return nil, err
		}
		out = append(out, Summary{Type: "crl", CRL: summarizeCRL(crl)})
	}
	return out, nil
}

// ParseSerial reads a certificate serial number in hex ("5f3a", "0x5f3a",
// "5f:3a"), as Summary and the validator print it, or in decimal after a
// "0d" prefix ("0d24378").
func ParseSerial(s string) (*big.Int, error) {
	base, digits := 16, strings.ReplaceAll(strings.TrimSpace(s), ":", "")
	switch {
	case strings.HasPrefix(digits, "0d"):
		base, digits = 10, digits[2:]
	case strings.HasPrefix(digits, "0x"), strings.HasPrefix(digits, "0X"):
		digits = digits[2:]
	}
	n, ok := new(big.Int).SetString(digits, base)
	if !ok || digits == "" || strings.HasPrefix(digits, "-") || strings.HasPrefix(digits, "+") {
		return nil, fmt.Errorf("%q is not a serial number", s)
	}
	return n, nil
}

func summarizeCertificate(c *x509.Certificate) *CertificateSummary {
	s := &CertificateSummary{
		Subject: c.Subject.String(), Issuer: c.Issuer.String(), Serial: c.SerialNumber.Text(16),
		NotBefore: c.NotBefore.UTC(), NotAfter: c.NotAfter.UTC(),
		Key: DescribeKey(c.PublicKey), Signature: c.SignatureAlgorithm.String(),
		CA: c.BasicConstraintsValid && c.IsCA, KeyUsage: keyUsageNames(c.KeyUsage), ExtKeyUsage: extKeyUsageNames(c),
		CRLDistPoint: c.CRLDistributionPoints,
	}
	if s.CA && c.MaxPathLen >= 0 {
		n := c.MaxPathLen
		s.PathLen = &n
	}
	s.SANs = append(s.SANs, c.DNSNames...)
	for _, ip := range c.IPAddresses {
		s.SANs = append(s.SANs, ip.String())
	}
	sum := sha256.Sum256(c.Raw)
	s.SHA256 = hex.EncodeToString(sum[:])
	return s
}

func summarizeCRL(crl *x509.RevocationList) *CRLSummary {
	s := &CRLSummary{Issuer: crl.Issuer.String(), ThisUpdate: crl.ThisUpdate.UTC(), Signature: crl.SignatureAlgorithm.String(),
		Revoked: []Revoked{}}
	if crl.Number != nil {
		s.Number = crl.Number.String()
	}
	if !crl.NextUpdate.IsZero() {
		next := crl.NextUpdate.UTC()
		s.NextUpdate = &next
	}
	for _, e := range crl.RevokedCertificateEntries {
		s.Revoked = append(s.Revoked, Revoked{Serial: e.SerialNumber.Text(16), Time: e.RevocationTime.UTC(), Reason: ReasonCodeName(e.ReasonCode)})
	}
	return s
}

// DescribeKey names a public key's algorithm and size: "ECDSA P-256",
// "Ed25519", "RSA 3072".
func DescribeKey(k crypto.PublicKey) string {
	switch k := k.(type) {
	case *ecdsa.PublicKey:
		return "ECDSA " + k.Curve.Params().Name
	case ed25519.PublicKey:
		return "Ed25519"
	case *rsa.PublicKey:
		return fmt.Sprintf("RSA %d", k.N.BitLen())
	}
	return fmt.Sprintf("%T", k)
}

// keyUsageNames names the key usages set, as RFC 5280 §4.2.1.3 does, in
// bit order.
func keyUsageNames(ku x509.KeyUsage) []string {
	names := []string{"digitalSignature", "contentCommitment", "keyEncipherment", "dataEncipherment",
		"keyAgreement", "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly"}
	var out []string
	for i, n := range names {
		if ku&(1<<i) != 0 {
			out = append(out, n)
		}
	}
	if len(out) == 0 {
		return []string{"none"}
	}
	return out
}

func extKeyUsageNames(c *x509.Certificate) []string {
	var out []string
	for _, e := range c.ExtKeyUsage {
		switch e {
		case x509.ExtKeyUsageServerAuth:
			out = append(out, "serverAuth")
		case x509.ExtKeyUsageClientAuth:
			out = append(out, "clientAuth")
		case x509.ExtKeyUsageAny:
			out = append(out, "any")
		default:
			out = append(out, fmt.Sprintf("eku(%d)", e))
		}
	}
	for _, o := range c.UnknownExtKeyUsage {
		switch {
		case o.Equal(OIDContentSigning):
			out = append(out, "contentSigning ("+o.String()+")")
		case o.Equal(OIDLicenseSigning):
			out = append(out, "licenseSigning ("+o.String()+")")
		case o.Equal(OIDUser):
			out = append(out, "user ("+o.String()+")")
		default:
			out = append(out, o.String())
		}
	}
	return out
}
