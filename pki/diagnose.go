package pki

import (
	"bytes"
	"crypto/x509"
	"time"
)

// Limits of the walk that explains a failed path build. The walk runs on
// certificates a peer chose, so its work must not grow with how they are
// arranged: each certificate's issuers are examined once, and the number of
// signature checks is capped (crypto/x509 caps its own path building at 100
// as well). Past the budget the fault is reported as an unknown authority.
const (
	// maxDiagnoseDepth bounds how many issuers above the leaf are walked.
	maxDiagnoseDepth = 8
	// maxDiagnoseChecks bounds the signature checks of one diagnosis.
	maxDiagnoseChecks = 100
)

// diagnosis is one bounded walk over the issuer candidates of a chain that
// crypto/x509 could not build.
type diagnosis struct {
	v   *Validator
	now time.Time
	// candidates are the possible issuers, operator-configured ones (roots,
	// then intermediates) first, then the peer's, without duplicates.
	candidates []*x509.Certificate
	// visited holds the certificates (raw DER) whose issuers were walked.
	visited map[string]bool
	// checks counts the signature checks made; budget is their limit.
	checks, budget int
}

func (v *Validator) newDiagnosis(extra []*x509.Certificate, now time.Time) *diagnosis {
	d := &diagnosis{v: v, now: now, visited: map[string]bool{}, budget: maxDiagnoseChecks}
	seen := map[string]bool{}
	for _, list := range [][]*x509.Certificate{v.rootList, v.intermediates, extra} {
		for _, c := range list {
			if c == nil || seen[string(c.Raw)] {
				continue
			}
			seen[string(c.Raw)] = true
			d.candidates = append(d.candidates, c)
		}
	}
	return d
}

// issuersOf walks the issuers of c whose key verifies c's signature and
// returns the first concrete fault found above c, or nil. below is the
// number of intermediate certificates under c's issuer.
func (d *diagnosis) issuersOf(c *x509.Certificate, below int) error {
	if below >= maxDiagnoseDepth || d.visited[string(c.Raw)] {
		return nil
	}
	d.visited[string(c.Raw)] = true
	for _, p := range d.candidates {
		if !bytes.Equal(p.RawSubject, c.RawIssuer) || bytes.Equal(p.Raw, c.Raw) {
			continue
		}
		if d.checks >= d.budget {
			return nil
		}
		d.checks++
		if p.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature) != nil {
			continue
		}
		if err := timeCheck(p, d.now); err != nil {
			return err
		}
		if !p.BasicConstraintsValid || !p.IsCA {
			return failure(ReasonNotCA, p, "issuer of %s", describe(c))
		}
		if p.KeyUsage != 0 && p.KeyUsage&x509.KeyUsageCertSign == 0 {
			return failure(ReasonWrongKeyUsage, p, "no keyCertSign key usage")
		}
		if p.MaxPathLen >= 0 && below > p.MaxPathLen {
			return failure(ReasonPathLength, p, "%d intermediate certificates below a CA with path length %d", below, p.MaxPathLen)
		}
		if d.v.isRoot(p) {
			continue
		}
		if err := d.issuersOf(p, below+1); err != nil {
			return err
		}
	}
	return nil
}

func (v *Validator) isRoot(c *x509.Certificate) bool {
	for _, r := range v.rootList {
		if bytes.Equal(r.Raw, c.Raw) {
			return true
		}
	}
	return false
}
