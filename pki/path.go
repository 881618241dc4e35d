package pki

import (
	"crypto/x509"
	"errors"
	"time"
)

// verify builds and checks a path for leaf (RFC 5280 §6.1, by crypto/x509),
// then applies the usage rules and revocation (§6.3). On success it returns
// the interval in which the result may be reused.
func (v *Validator) verify(leaf *x509.Certificate, extra []*x509.Certificate, usage Usage, serverName string, now time.Time) (from, until time.Time, err error) {
	if err := timeCheck(leaf, now); err != nil {
		return from, until, err
	}
	pool := x509.NewCertPool()
	for _, c := range v.intermediates {
		pool.AddCert(c)
	}
	for _, c := range extra {
		if c != nil {
			pool.AddCert(c)
		}
	}
	chains, verr := leaf.Verify(x509.VerifyOptions{
		Roots:         v.roots,
		Intermediates: pool,
		CurrentTime:   now,
		// Extended key usage is checked below, because the content,
		// license and user purposes are private OIDs crypto/x509 ignores.
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	})
	if verr != nil {
		return from, until, v.explain(verr, leaf, extra, now)
	}
	var firstErr error
	for _, chain := range chains {
		from, until, err := v.checkChain(chain, usage, serverName, now)
		if err == nil {
			return from, until, nil
		}
		if firstErr == nil || ReasonOf(firstErr) == ReasonCRLMissing {
			firstErr = err
		}
	}
	return from, until, firstErr
}

// checkChain applies the usage rules and revocation to one built chain.
func (v *Validator) checkChain(chain []*x509.Certificate, usage Usage, serverName string, now time.Time) (from, until time.Time, err error) {
	leaf := chain[0]
	if usage != UsageAny {
		if leaf.KeyUsage&x509.KeyUsageDigitalSignature == 0 {
			return from, until, failure(ReasonWrongKeyUsage, leaf, "no digitalSignature key usage for %s use", usage)
		}
		if !hasEKU(leaf, usage, false) {
			return from, until, failure(ReasonWrongEKU, leaf, "not valid for %s use", usage)
		}
		for _, ca := range chain[1:] {
			if !hasEKU(ca, usage, true) {
				return from, until, failure(ReasonWrongEKU, ca, "issuer restricts extended key usage and excludes %s use", usage)
			}
		}
	}
	if serverName != "" {
		if err := leaf.VerifyHostname(serverName); err != nil {
			return from, until, failure(ReasonNameMismatch, leaf, "%v", err)
		}
	}
	from, until = leaf.NotBefore, leaf.NotAfter
	for _, c := range chain[1:] {
		if c.NotBefore.After(from) {
			from = c.NotBefore
		}
		if c.NotAfter.Before(until) {
			until = c.NotAfter
		}
	}
	if v.revocation {
		crlUntil, err := v.checkRevocation(v.crls.Load(), chain, now)
		if err != nil {
			return from, until, err
		}
		if !crlUntil.IsZero() && crlUntil.Before(until) {
			until = crlUntil
		}
	}
	if ttl := now.Add(cacheTTL); ttl.Before(until) {
		until = ttl
	}
	if now.Before(from) {
		from = now
	}
	return from, until, nil
}

// timeCheck distinguishes expired from not-yet-valid (crypto/x509 reports
// both as one reason).
func timeCheck(c *x509.Certificate, now time.Time) error {
	if now.Before(c.NotBefore) {
		return failure(ReasonNotYetValid, c, "valid from %s", c.NotBefore.UTC().Format(time.RFC3339))
	}
	if now.After(c.NotAfter) {
		return failure(ReasonExpired, c, "expired %s", c.NotAfter.UTC().Format(time.RFC3339))
	}
	return nil
}

// explain turns a crypto/x509 path-building error into a ValidationError.
// crypto/x509 reports a rejected issuer candidate (expired, not a CA, path
// too long) as an unknown authority, so the candidates are walked again,
// within a fixed budget (see diagnose.go), to name the actual fault. extra
// are the certificates the peer sent.
func (v *Validator) explain(err error, leaf *x509.Certificate, extra []*x509.Certificate, now time.Time) error {
	var inv x509.CertificateInvalidError
	if errors.As(err, &inv) {
		c := inv.Cert
		if c == nil {
			c = leaf
		}
		switch inv.Reason {
		case x509.Expired:
			if terr := timeCheck(c, now); terr != nil {
				return terr
			}
			return failure(ReasonExpired, c, "%v", err)
		case x509.NotAuthorizedToSign:
			return failure(ReasonNotCA, c, "%v", err)
		case x509.TooManyIntermediates:
			return failure(ReasonPathLength, c, "%v", err)
		case x509.IncompatibleUsage:
			return failure(ReasonWrongEKU, c, "%v", err)
		case x509.CANotAuthorizedForThisName, x509.NameConstraintsWithoutSANs, x509.CANotAuthorizedForExtKeyUsage, x509.TooManyConstraints:
			return failure(ReasonNameConstraints, c, "%v", err)
		}
		return failure(ReasonUnknownAuthority, c, "%v", err)
	}
	var crit x509.UnhandledCriticalExtension
	if errors.As(err, &crit) {
		return failure(ReasonUnhandledCritical, leaf, "%v", err)
	}
	var ua x509.UnknownAuthorityError
	if errors.As(err, &ua) {
		if d := v.newDiagnosis(extra, now).issuersOf(leaf, 0); d != nil {
			return d
		}
	}
	return failure(ReasonUnknownAuthority, leaf, "%v", err)
}
