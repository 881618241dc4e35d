package pki

import (
	"bytes"
	"crypto/x509"
	"fmt"
	"time"
)

// checkRevocation applies RFC 5280 §6.3 to every certificate of chain
// (leaf first, trust anchor last) except the trust anchor. It returns the
// earliest nextUpdate of the CRLs used, which bounds the cache lifetime.
func (v *Validator) checkRevocation(set *crlSet, chain []*x509.Certificate, now time.Time) (time.Time, error) {
	return v.revocationOf(set, chain, now, false)
}

// revocationOf is checkRevocation; signerPath is set while checking the
// path of a CRL signer other than the issuer (see signerValid), where only
// CRLs signed by their issuer's own key count, so that checking a CRL
// never depends on checking itself, and the recursion stops there.
func (v *Validator) revocationOf(set *crlSet, chain []*x509.Certificate, now time.Time, signerPath bool) (time.Time, error) {
	var earliest time.Time
	for i := 0; i+1 < len(chain); i++ {
		cert := chain[i]
		crl, err := v.crlFor(set, chain[i:], now, signerPath)
		if err != nil {
			return time.Time{}, err
		}
		if e, ok := crl.revoked[serialKey(cert.SerialNumber)]; ok && e.SerialNumber.Cmp(cert.SerialNumber) == 0 {
			return time.Time{}, &ValidationError{
				Reason: ReasonRevoked,
				Cert:   describe(cert),
				Err:    fmt.Errorf("%s, revoked %s", ReasonCodeName(e.ReasonCode), e.RevocationTime.UTC().Format(time.RFC3339)),
			}
		}
		if earliest.IsZero() || crl.crl.NextUpdate.Before(earliest) {
			earliest = crl.crl.NextUpdate
		}
	}
	return earliest, nil
}

// crlFor finds a usable CRL for path[0], issued by path[1], path ending at
// the trust anchor (§6.3.3 (b)–(j)): the CRL's issuer name matches the
// certificate's issuer name (RFC 5280 §7.1), the signature verifies under
// the issuer's key or another key of the same CA (see checkCRLSignature),
// the CRL is fresh, has no unknown critical extension, and is not older
// than one already accepted. Among usable CRLs the one with the highest
// CRLNumber wins, and only its number is recorded as the issuer's highest:
// a CRL whose signature did not verify never moves the rollback bound.
// When none is usable, the error of the most relevant candidate is
// returned.
func (v *Validator) crlFor(set *crlSet, path []*x509.Certificate, now time.Time, signerPath bool) (*parsedCRL, error) {
	cert, issuer := path[0], path[1]
	candidates := set.byIssuer[nameKey(cert.RawIssuer)]
	if len(candidates) == 0 {
		return nil, v.noCRL(set, cert, issuer)
	}
	var best *parsedCRL
	var firstErr error
	for _, c := range candidates {
		if err := v.usable(set, c, path, now, signerPath); err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		if best == nil || cmpNumber(c, best) > 0 {
			best = c
		}
	}
	if best == nil {
		return nil, firstErr
	}
	v.recordNumber(best)
	return best, nil
}

// noCRL explains why no CRL names cert's issuer: a CRL that carries the
// issuer's key identifier or verifies under its key but names someone else
// is a CRL from the wrong issuer; otherwise the CRL is missing.
func (v *Validator) noCRL(set *crlSet, cert, issuer *x509.Certificate) error {
	for _, c := range set.all {
		sameKeyID := len(c.crl.AuthorityKeyId) > 0 && bytes.Equal(c.crl.AuthorityKeyId, issuer.SubjectKeyId)
		if sameKeyID || issuer.CheckSignature(c.crl.SignatureAlgorithm, c.crl.RawTBSRevocationList, c.crl.Signature) == nil {
			return failure(ReasonCRLWrongIssuer, cert, "%s names issuer %q, not %q", describeCRL(c), c.crl.Issuer.String(), issuer.Subject.String())
		}
	}
	return failure(ReasonCRLMissing, cert, "no crl from %s", issuer.Subject.String())
}

// usable checks the signature first, so that nothing an unverified CRL
// says (its number above all) is looked at.
func (v *Validator) usable(set *crlSet, c *parsedCRL, path []*x509.Certificate, now time.Time, signerPath bool) error {
	cert := path[0]
	if err := v.checkCRLSignature(set, c, path, now, signerPath); err != nil {
		return err
	}
	if c.unknownCritical != "" {
		return failure(ReasonCRLUnknownCritical, cert, "%s: %s", describeCRL(c), c.unknownCritical)
	}
	if why := c.staleness(now); why != "" {
		return failure(ReasonCRLStale, cert, "%s: %s", describeCRL(c), why)
	}
	if hi := v.highestNumber(c); hi != nil && (c.number() == nil || c.number().Cmp(hi) < 0) {
		return failure(ReasonCRLRollback, cert, "%s is older than crl number %s already seen", describeCRL(c), hi)
	}
	return nil
}

// checkCRLSignature verifies the CRL's signature under the key of path[1],
// the issuer of the certificate path[0] (the issuer must be a CA and, when
// it has a key usage, hold cRLSign), or else under another key of the same
// CA (RFC 5280 §6.3.3 (b) and (f); indirect CRLs are not supported): an
// operator-configured certificate with the CRL issuer's name, holding
// cRLSign, valid now, whose key verifies the CRL and whose own path to the
// same trust anchor validates, revocation included (signerValid). That is
// the CA's new key after a key rollover, certified by its parent, or a
// delegated CRL signer certified by the CA itself. Certificates a peer sends
// never sign CRLs, and a signer needs the CRL issuer's name, so a CA (a
// revoked intermediate, say) cannot sign CRLs in its parent's name.
func (v *Validator) checkCRLSignature(set *crlSet, c *parsedCRL, path []*x509.Certificate, now time.Time, signerPath bool) error {
	issuer := path[1]
	if len(c.crl.AuthorityKeyId) == 0 || len(issuer.SubjectKeyId) == 0 || bytes.Equal(c.crl.AuthorityKeyId, issuer.SubjectKeyId) {
		if c.signedBy(issuer) {
			return nil
		}
	}
	if !signerPath {
		for _, d := range v.intermediates {
			if v.signsFor(d, c, issuer, now) && v.signerValid(set, c, d, path[1:], now) {
				return nil
			}
		}
	}
	if len(c.crl.AuthorityKeyId) > 0 && len(issuer.SubjectKeyId) > 0 && !bytes.Equal(c.crl.AuthorityKeyId, issuer.SubjectKeyId) && !v.hasSigner(c, issuer) {
		return failure(ReasonCRLWrongIssuer, issuer, "%s carries authority key id %x, not the issuer's %x", describeCRL(c), c.crl.AuthorityKeyId, issuer.SubjectKeyId)
	}
	return failure(ReasonCRLBadSignature, issuer, "%s: signature does not verify under the issuer's key or another configured key of the issuer", describeCRL(c))
}

// signsFor reports whether d, an operator-configured certificate other than
// issuer, is a key of the CRL's issuer that signed it: d's subject is the
// CRL issuer's name, it holds cRLSign, is valid now, carries the CRL's
// authority key identifier when both have one, and its key verifies the
// CRL's signature.
func (v *Validator) signsFor(d *x509.Certificate, c *parsedCRL, issuer *x509.Certificate, now time.Time) bool {
	if d == nil || bytes.Equal(d.Raw, issuer.Raw) || d.KeyUsage&x509.KeyUsageCRLSign == 0 {
		return false
	}
	if len(c.crl.AuthorityKeyId) > 0 && len(d.SubjectKeyId) > 0 && !bytes.Equal(c.crl.AuthorityKeyId, d.SubjectKeyId) {
		return false
	}
	if nameKey(d.RawSubject) != c.issuerKey || timeCheck(d, now) != nil {
		return false
	}
	return c.signedByOther(d)
}

// signerValid reports whether the path of d, a key of the CRL's issuer
// other than the issuer certificate's, validates to the trust anchor of
// above (the issuer's part of the path being checked, issuer first, anchor
// last): RFC 5280 §6.3.3 (f). The path is built from the operator's
// intermediates and the certificates of above, ends at that same anchor,
// and is checked for revocation with CRLs signed by their issuers' own keys.
// A signer certified under the CRL issuer's own name is covered by the CRL
// it signs, and must not be listed on it.
func (v *Validator) signerValid(set *crlSet, c *parsedCRL, d *x509.Certificate, above []*x509.Certificate, now time.Time) bool {
	anchor := above[len(above)-1]
	b := &pathBuilder{now: now, anchors: newCertIndex([]*x509.Certificate{anchor}), issuers: []*certIndex{v.configured, newCertIndex(above[:len(above)-1])}}
	paths, err := b.buildPaths(d)
	if err != nil {
		return false
	}
	for _, p := range paths {
		if checkPathConstraints(p, now) != nil {
			continue
		}
		rest := p
		if nameKey(d.RawIssuer) == c.issuerKey {
			if _, revoked := c.revoked[serialKey(d.SerialNumber)]; revoked {
				continue
			}
			rest = p[1:]
		}
		if _, err := v.revocationOf(set, rest, now, true); err == nil {
			return true
		}
	}
	return false
}

// hasSigner reports whether some configured certificate with the CRL
// issuer's name, or issued by issuer, carries the CRL's authority key
// identifier, eligible as a signer or not: the CRL then comes from the
// right CA but is not validly signed, rather than from the wrong issuer.
func (v *Validator) hasSigner(c *parsedCRL, issuer *x509.Certificate) bool {
	for _, d := range v.intermediates {
		if d != nil && bytes.Equal(d.SubjectKeyId, c.crl.AuthorityKeyId) &&
			(nameKey(d.RawSubject) == c.issuerKey || namesMatch(d.RawIssuer, issuer.RawSubject)) {
			return true
		}
	}
	return false
}

func cmpNumber(a, b *parsedCRL) int {
	na, nb := a.number(), b.number()
	switch {
	case na == nil && nb == nil:
		return a.crl.ThisUpdate.Compare(b.crl.ThisUpdate)
	case na == nil:
		return -1
	case nb == nil:
		return 1
	}
	return na.Cmp(nb)
}
