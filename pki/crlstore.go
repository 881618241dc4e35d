package pki

import (
	"crypto/x509"
	"encoding/asn1"
	"fmt"
	"math/big"
	"sync"
	"time"
)

// Extensions this package understands on a CRL and on its entries (RFC
// 5280 §5.2 and §5.3). Any other critical extension makes the CRL unusable
// (§6.3.3: delta CRLs, issuing distribution points and indirect CRLs are
// not supported, so their critical extensions are refused, failing closed).
var (
	oidAuthorityKeyID = asn1.ObjectIdentifier{2, 5, 29, 35}
	oidCRLNumber      = asn1.ObjectIdentifier{2, 5, 29, 20}
	oidReasonCode     = asn1.ObjectIdentifier{2, 5, 29, 21}
	oidInvalidityDate = asn1.ObjectIdentifier{2, 5, 29, 24}
)

// parsedCRL is a CRL parsed once, with its revoked serials indexed.
type parsedCRL struct {
	der []byte
	crl *x509.RevocationList
	// issuerKey is the comparison key of the CRL's issuer name (name.go).
	issuerKey string
	// position is the 1-based index of the input the CRL came from.
	position int
	// revoked maps the canonical text of each revoked serial (signed,
	// base 16, so -1 and 1 and any length stay distinct: an exact integer
	// comparison) to its entry.
	revoked map[string]*x509.RevocationListEntry
	// verifiedIssuers and verifiedSigners remember the issuer
	// certificates and the other CRL signers (raw DER) whose key verified
	// the CRL's signature, so that a handshake does not repeat the
	// signature check of an unchanged CRL.
	mu              sync.Mutex
	verifiedIssuers map[string]bool
	verifiedSigners map[string]bool
	// unknownCritical names the first critical extension we do not
	// understand on the CRL or one of its entries, or is empty.
	unknownCritical string
}

// crlSet is an immutable snapshot of the validator's CRLs, indexed by the
// comparison key of the issuer name (RFC 5280 §7.1, see name.go), so that a
// CRL is found for a certificate whatever the encoding of the two names.
type crlSet struct {
	byIssuer map[string][]*parsedCRL
	all      []*parsedCRL
}

// parseCRLSet parses CRLs, numbering their inputs from offset+1.
func parseCRLSet(ders [][]byte, offset int) (*crlSet, error) {
	s := &crlSet{byIssuer: map[string][]*parsedCRL{}}
	for i, raw := range ders {
		objs, err := splitObjects(raw, pemCRL)
		if err != nil {
			return nil, fmt.Errorf("crl %d: %w", i+1, err)
		}
		for _, der := range objs {
			p, err := parseCRL(der)
			if err != nil {
				return nil, fmt.Errorf("crl %d: %w", i+1, err)
			}
			p.position = offset + i + 1
			s.byIssuer[p.issuerKey] = append(s.byIssuer[p.issuerKey], p)
			s.all = append(s.all, p)
		}
	}
	return s, nil
}

// mergeCRLSets is the union of sets (nil ones skipped), sharing the parsed
// CRLs, so that what they remember of verified signatures is kept.
func mergeCRLSets(sets ...*crlSet) *crlSet {
	out := &crlSet{byIssuer: map[string][]*parsedCRL{}}
	for _, s := range sets {
		if s == nil {
			continue
		}
		for _, p := range s.all {
			out.byIssuer[p.issuerKey] = append(out.byIssuer[p.issuerKey], p)
			out.all = append(out.all, p)
		}
	}
	return out
}

func parseCRL(der []byte) (*parsedCRL, error) {
	crl, err := x509.ParseRevocationList(der)
	if err != nil {
		return nil, err
	}
	p := &parsedCRL{der: der, crl: crl, issuerKey: nameKey(crl.RawIssuer), revoked: make(map[string]*x509.RevocationListEntry, len(crl.RevokedCertificateEntries))}
	for _, ext := range crl.Extensions {
		if ext.Critical && !ext.Id.Equal(oidAuthorityKeyID) && !ext.Id.Equal(oidCRLNumber) {
			p.unknownCritical = "crl extension " + ext.Id.String()
			break
		}
	}
	for i := range crl.RevokedCertificateEntries {
		e := &crl.RevokedCertificateEntries[i]
		if e.SerialNumber == nil {
			return nil, fmt.Errorf("crl entry %d has no serial number", i)
		}
		for _, ext := range e.Extensions {
			if ext.Critical && !ext.Id.Equal(oidReasonCode) && !ext.Id.Equal(oidInvalidityDate) && p.unknownCritical == "" {
				p.unknownCritical = "crl entry extension " + ext.Id.String()
			}
		}
		p.revoked[serialKey(e.SerialNumber)] = e
	}
	return p, nil
}

// signedBy reports whether the CRL's signature verifies under issuer's key
// and issuer may sign CRLs (a CA holding cRLSign), remembering a success.
func (p *parsedCRL) signedBy(issuer *x509.Certificate) bool {
	return p.verified(&p.verifiedIssuers, issuer, func() bool { return p.crl.CheckSignatureFrom(issuer) == nil })
}

// signedByOther reports whether the CRL's signature verifies under the key
// of d, a CRL signer that need not be a CA (the caller checks its
// authority), remembering a success.
func (p *parsedCRL) signedByOther(d *x509.Certificate) bool {
	return p.verified(&p.verifiedSigners, d, func() bool {
		return checkSigned(d, p.crl.SignatureAlgorithm, p.crl.RawTBSRevocationList, p.crl.Signature) == nil
	})
}

// verified runs check for c until it succeeds once, remembered in *seen.
func (p *parsedCRL) verified(seen *map[string]bool, c *x509.Certificate, check func() bool) bool {
	p.mu.Lock()
	ok := (*seen)[string(c.Raw)]
	p.mu.Unlock()
	if ok {
		return true
	}
	if !check() {
		return false
	}
	p.mu.Lock()
	if *seen == nil {
		*seen = map[string]bool{}
	}
	(*seen)[string(c.Raw)] = true
	p.mu.Unlock()
	return true
}

// serialKey is the exact, canonical text of a serial number.
func serialKey(n *big.Int) string { return n.Text(16) }

// number returns the CRLNumber, or nil when absent.
func (p *parsedCRL) number() *big.Int { return p.crl.Number }

// fresh reports why the CRL is not current at now, or "".
func (p *parsedCRL) staleness(now time.Time) string {
	switch {
	case p.crl.NextUpdate.IsZero():
		return "no nextUpdate"
	case now.Before(p.crl.ThisUpdate):
		return "thisUpdate " + p.crl.ThisUpdate.UTC().Format(time.RFC3339) + " is in the future"
	case !now.Before(p.crl.NextUpdate):
		return "nextUpdate " + p.crl.NextUpdate.UTC().Format(time.RFC3339) + " has passed"
	}
	return ""
}

// describeCRL names a CRL for messages.
func describeCRL(p *parsedCRL) string {
	s := "crl of " + p.crl.Issuer.String()
	if n := p.number(); n != nil {
		s += " number " + n.String()
	}
	return s
}
