package pki

import (
	"crypto/x509"
	"errors"
	"fmt"
	"math/big"
	"strings"
)

// Reason classifies why a chain or a CRL was refused.
type Reason int

// The reasons a validation fails; each has its own message.
const (
	ReasonMalformed Reason = iota + 1
	ReasonRevoked
	ReasonExpired
	ReasonNotYetValid
	ReasonUnknownAuthority
	ReasonNotCA
	ReasonWrongEKU
	ReasonWrongKeyUsage
	ReasonPathLength
	ReasonNameMismatch
	ReasonNameConstraints
	ReasonUnhandledCritical
	ReasonCRLMissing
	ReasonCRLStale
	ReasonCRLBadSignature
	ReasonCRLWrongIssuer
	ReasonCRLUnknownCritical
	ReasonCRLRollback
)

var reasonText = map[Reason]string{
	ReasonMalformed:          "malformed certificate",
	ReasonRevoked:            "certificate revoked",
	ReasonExpired:            "certificate expired",
	ReasonNotYetValid:        "certificate not yet valid",
	ReasonUnknownAuthority:   "certificate signed by unknown authority",
	ReasonNotCA:              "issuer is not a CA",
	ReasonWrongEKU:           "wrong extended key usage",
	ReasonWrongKeyUsage:      "wrong key usage",
	ReasonPathLength:         "path length exceeded",
	ReasonNameMismatch:       "name mismatch",
	ReasonNameConstraints:    "name constraints violated",
	ReasonUnhandledCritical:  "unhandled critical extension",
	ReasonCRLMissing:         "crl missing",
	ReasonCRLStale:           "crl stale",
	ReasonCRLBadSignature:    "crl bad signature",
	ReasonCRLWrongIssuer:     "crl wrong issuer",
	ReasonCRLUnknownCritical: "crl unknown critical extension",
	ReasonCRLRollback:        "crl number rollback",
}

// String returns the reason's message, e.g. "certificate revoked".
func (r Reason) String() string {
	if s, ok := reasonText[r]; ok {
		return s
	}
	return fmt.Sprintf("reason(%d)", int(r))
}

// ValidationError says why a certificate chain was refused.
type ValidationError struct {
	// Reason classifies the failure.
	Reason Reason
	// Cert names the certificate at fault ("CN=device-1 serial 04d2"), or
	// is empty when the failure is not about one certificate.
	Cert string
	// Err carries detail (the revocation reason, the underlying error).
	Err error
}

// Error reads e.g. "certificate revoked: CN=device-1 serial 04d2 (keyCompromise)".
func (e *ValidationError) Error() string {
	s := e.Reason.String()
	if e.Cert != "" {
		s += ": " + e.Cert
	}
	if e.Err != nil {
		s += " (" + e.Err.Error() + ")"
	}
	return s
}

// Unwrap returns the detail error.
func (e *ValidationError) Unwrap() error { return e.Err }

// ReasonOf returns the Reason of a *ValidationError in err's chain, or 0.
func ReasonOf(err error) Reason {
	var ve *ValidationError
	if errors.As(err, &ve) {
		return ve.Reason
	}
	return 0
}

func failure(r Reason, c *x509.Certificate, format string, args ...any) *ValidationError {
	e := &ValidationError{Reason: r, Cert: describe(c)}
	if format != "" {
		e.Err = fmt.Errorf(format, args...)
	}
	return e
}

// describe names a certificate for messages: its subject and hex serial.
func describe(c *x509.Certificate) string {
	if c == nil {
		return ""
	}
	return c.Subject.String() + " serial " + serialText(c.SerialNumber)
}

func serialText(n *big.Int) string {
	if n == nil {
		return "none"
	}
	return n.Text(16)
}

// revocationReasons names the RFC 5280 §5.3.1 CRLReason values.
var revocationReasons = map[int]string{
	0:  "unspecified",
	1:  "keyCompromise",
	2:  "cACompromise",
	3:  "affiliationChanged",
	4:  "superseded",
	5:  "cessationOfOperation",
	6:  "certificateHold",
	8:  "removeFromCRL",
	9:  "privilegeWithdrawn",
	10: "aACompromise",
}

// ReasonCodeName returns the RFC 5280 name of a CRL reason code.
func ReasonCodeName(code int) string {
	if s, ok := revocationReasons[code]; ok {
		return s
	}
	return fmt.Sprintf("reason %d", code)
}

// ParseReasonCode parses an RFC 5280 CRL reason name (e.g. "keyCompromise")
// or its number.
func ParseReasonCode(s string) (int, error) {
	for code, name := range revocationReasons {
		if strings.EqualFold(name, s) {
			return code, nil
		}
	}
	var n int
	if _, err := fmt.Sscanf(s, "%d", &n); err == nil {
		if _, ok := revocationReasons[n]; ok && fmt.Sprint(n) == s {
			return n, nil
		}
	}
	return 0, fmt.Errorf("unknown revocation reason %q (e.g. keyCompromise, superseded, cessationOfOperation)", s)
}
