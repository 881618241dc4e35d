package pki

import (
	"crypto/x509"
	"encoding/asn1"
	"fmt"
	"strings"
)

// Private-arc extended key usages for the purposes that have no standard
// OID. They live under the securemedia private arc 1.3.6.1.4.1.59999.1 (an
// enterprise arc reserved for this product's private use); arc .3 holds key
// purposes.
var (
	// OIDContentSigning marks a certificate whose key signs media manifests
	// (DESIGN.md §8).
	OIDContentSigning = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 59999, 1, 3, 1}
	// OIDLicenseSigning marks a certificate whose key signs license tokens
	// (DESIGN.md §7).
	OIDLicenseSigning = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 59999, 1, 3, 2}
	// OIDUser marks a software user certificate (demo stand-in for an
	// identity card's authentication certificate, DESIGN.md §6).
	OIDUser = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 59999, 1, 3, 3}
)

// Usage is the purpose a certificate is validated for, and the profile it is
// issued under.
type Usage int

// The usages. UsageAny checks no extended key usage.
const (
	UsageAny Usage = iota
	UsageServer
	UsageClient
	UsageContent
	UsageLicense
	UsageUser
)

var usageNames = [...]string{
	UsageAny:     "any",
	UsageServer:  "server",
	UsageClient:  "client",
	UsageContent: "content",
	UsageLicense: "license",
	UsageUser:    "user",
}

// String returns the usage's name as the CLI spells it.
func (u Usage) String() string {
	if u < 0 || int(u) >= len(usageNames) {
		return fmt.Sprintf("usage(%d)", int(u))
	}
	return usageNames[u]
}

// ParseUsage parses a usage name ("server", "client", "content", "license",
// "user" or "any").
func ParseUsage(s string) (Usage, error) {
	for i, n := range usageNames {
		if strings.EqualFold(s, n) {
			return Usage(i), nil
		}
	}
	return 0, fmt.Errorf("unknown usage %q (want one of %s)", s, strings.Join(usageNames[:], ", "))
}

// requiredEKU reports the standard and private extended key usage a leaf
// must carry for u; ok is false for UsageAny.
func (u Usage) requiredEKU() (std x509.ExtKeyUsage, oid asn1.ObjectIdentifier, ok bool) {
	switch u {
	case UsageServer:
		return x509.ExtKeyUsageServerAuth, nil, true
	case UsageClient:
		return x509.ExtKeyUsageClientAuth, nil, true
	case UsageContent:
		return 0, OIDContentSigning, true
	case UsageLicense:
		return 0, OIDLicenseSigning, true
	case UsageUser:
		return 0, OIDUser, true
	}
	return 0, nil, false
}

// hasEKU reports whether c's extended key usage permits u. A CA certificate
// without an EKU extension permits everything (nesting per common practice).
func hasEKU(c *x509.Certificate, u Usage, isCA bool) bool {
	std, oid, ok := u.requiredEKU()
	if !ok {
		return true
	}
	if isCA && len(c.ExtKeyUsage) == 0 && len(c.UnknownExtKeyUsage) == 0 {
		return true
	}
	for _, e := range c.ExtKeyUsage {
		if isCA && e == x509.ExtKeyUsageAny {
			return true
		}
		if oid == nil && e == std {
			return true
		}
	}
	if oid != nil {
		for _, e := range c.UnknownExtKeyUsage {
			if e.Equal(oid) {
				return true
			}
		}
	}
	return false
}
