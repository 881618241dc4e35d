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
	var earliest time.Time
	for i := 0; i+1 < len(chain); i++ {
		cert, issuer := chain[i], chain[i+1]
		crl, err := v.crlFor(set, cert, issuer, now)
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

// crlFor finds a usable CRL for cert, issued by issuer (§6.3.3 (b)–(j)):
// the issuer names match, the signature verifies under the issuer's key or
// a delegated CRL signer's, the CRL is fresh, has no unknown critical
// extension, and is not older than one already accepted. Among usable CRLs
// the one with the highest CRLNumber wins, and only its number is recorded
// as the issuer's highest: a CRL whose signature did not verify never moves
// the rollback bound. When none is usable, the error of the most relevant
// candidate is returned.
func (v *Validator) crlFor(set *crlSet, cert, issuer *x509.Certificate, now time.Time) (*parsedCRL, error) {
	candidates := set.byIssuer[string(cert.RawIssuer)]
	if len(candidates) == 0 {
		return nil, v.noCRL(set, cert, issuer)
	}
	var best *parsedCRL
	var firstErr error
	for _, c := range candidates {
		if err := v.usable(c, cert, issuer, now); err != nil {
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
func (v *Validator) usable(c *parsedCRL, cert, issuer *x509.Certificate, now time.Time) error {
	if err := v.checkCRLSignature(c, issuer, now); err != nil {
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

// checkCRLSignature verifies the CRL's signature under the issuer's key
// (the issuer must be a CA and, when it has a key usage, hold cRLSign), or
// under a delegated CRL signer's. The CRL names the issuer (crlFor looks
// CRLs up by the certificate's issuer name), so a delegate is a second key
// of that same issuer (RFC 5280 §6.3.3 (b) and (f); indirect CRLs are not
// supported): see isDelegateFor. It must also be valid now, verify the
// CRL, and not be listed on the CRL it signs.
func (v *Validator) checkCRLSignature(c *parsedCRL, issuer *x509.Certificate, now time.Time) error {
	if len(c.crl.AuthorityKeyId) == 0 || len(issuer.SubjectKeyId) == 0 || bytes.Equal(c.crl.AuthorityKeyId, issuer.SubjectKeyId) {
		if c.signedBy(issuer) {
			return nil
		}
	}
	for _, d := range v.intermediates {
		if !isDelegateFor(d, c, issuer) {
			continue
		}
		if len(c.crl.AuthorityKeyId) > 0 && len(d.SubjectKeyId) > 0 && !bytes.Equal(c.crl.AuthorityKeyId, d.SubjectKeyId) {
			continue
		}
		if now.Before(d.NotBefore) || now.After(d.NotAfter) {
			continue
		}
		if d.CheckSignature(c.crl.SignatureAlgorithm, c.crl.RawTBSRevocationList, c.crl.Signature) != nil {
			continue
		}
		if d.CheckSignatureFrom(issuer) != nil {
			continue
		}
		if _, revoked := c.revoked[serialKey(d.SerialNumber)]; revoked {
			continue
		}
		return nil
	}
	if len(c.crl.AuthorityKeyId) > 0 && len(issuer.SubjectKeyId) > 0 && !bytes.Equal(c.crl.AuthorityKeyId, issuer.SubjectKeyId) && !v.hasDelegate(c, issuer) {
		return failure(ReasonCRLWrongIssuer, issuer, "%s carries authority key id %x, not the issuer's %x", describeCRL(c), c.crl.AuthorityKeyId, issuer.SubjectKeyId)
	}
	return failure(ReasonCRLBadSignature, issuer, "%s: signature does not verify under the issuer's key or a configured delegated crl signer's", describeCRL(c))
}

// isDelegateFor reports whether d, an operator-configured intermediate, may
// sign CRLs on behalf of issuer: its subject is the CRL's issuer name and
// the issuer's (raw bytes), it was issued under that same name, it holds
// cRLSign, and it is not a CA unless it is the issuer itself. Delegates
// never come from a peer's chain, and a CA (an intermediate, say) must not
// speak for its parent: otherwise a revoked intermediate could sign a CRL
// in its root's name that un-revokes it.
func isDelegateFor(d *x509.Certificate, c *parsedCRL, issuer *x509.Certificate) bool {
	if d == nil || !bytes.Equal(d.RawSubject, c.crl.RawIssuer) || !bytes.Equal(d.RawSubject, issuer.RawSubject) {
		return false
	}
	if !bytes.Equal(d.RawIssuer, issuer.RawSubject) || d.KeyUsage&x509.KeyUsageCRLSign == 0 {
		return false
	}
	return !d.IsCA || bytes.Equal(d.Raw, issuer.Raw)
}

// hasDelegate reports whether some configured intermediate issued by issuer
// carries the CRL's authority key identifier, eligible as a delegate or not:
// the CRL then comes from the right CA but is not validly signed, rather
// than from the wrong issuer.
func (v *Validator) hasDelegate(c *parsedCRL, issuer *x509.Certificate) bool {
	for _, d := range v.intermediates {
		if d != nil && bytes.Equal(d.RawIssuer, issuer.RawSubject) && bytes.Equal(d.SubjectKeyId, c.crl.AuthorityKeyId) {
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
