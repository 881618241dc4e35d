package pki

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"time"
)

// Limits of path building. Paths are built over certificates a peer chose,
// so the work must not grow with how they are arranged: every issuer
// candidate considered costs one signature check, and the checks of one
// build are capped, as crypto/x509 caps its own.
const (
	// maxSignatureChecks bounds the signature checks of one path build.
	maxSignatureChecks = 100
	// maxPathCerts bounds the certificates of one path, trust anchor
	// included.
	maxPathCerts = 10
)

// certIndex holds certificates by the comparison key of their subject
// (RFC 5280 §7.1, see name.go), in the order they were added.
type certIndex struct {
	bySubject map[string][]*x509.Certificate
}

func newCertIndex(certs ...[]*x509.Certificate) *certIndex {
	ix := &certIndex{bySubject: map[string][]*x509.Certificate{}}
	for _, list := range certs {
		for _, c := range list {
			ix.add(c)
		}
	}
	return ix
}

func (ix *certIndex) add(c *x509.Certificate) {
	if c == nil {
		return
	}
	k := nameKey(c.RawSubject)
	for _, have := range ix.bySubject[k] {
		if bytes.Equal(have.Raw, c.Raw) {
			return
		}
	}
	ix.bySubject[k] = append(ix.bySubject[k], c)
}

func (ix *certIndex) contains(c *x509.Certificate) bool {
	for _, have := range ix.bySubject[nameKey(c.RawSubject)] {
		if bytes.Equal(have.Raw, c.Raw) {
			return true
		}
	}
	return false
}

// pathBuilder is one search for the certification paths of a certificate
// (RFC 5280 §6.1): from the certificate up to a trust anchor, each
// certificate's issuer name matching the next one's subject name under
// RFC 5280 §7.1, each signature verifying under the next one's key, every
// certificate valid now and without an unhandled critical extension, every
// issuer but the anchor a CA allowed to sign certificates, and no path
// longer than a CA's path length constraint allows.
type pathBuilder struct {
	now time.Time
	// anchors are the trust anchors; issuers are the other candidates,
	// in the order tried: operator-configured ones first, then a peer's.
	anchors *certIndex
	issuers []*certIndex
	// checks counts the signature checks made.
	checks int
	// fault is the first concrete reason a candidate issuer was refused
	// (expired, not a CA, ...), reported when no path is found.
	fault error
	paths [][]*x509.Certificate
}

// buildPaths returns the paths of leaf, leaf first and anchor last, or the
// reason none was found. The leaf itself must already be valid now.
func (b *pathBuilder) buildPaths(leaf *x509.Certificate) ([][]*x509.Certificate, error) {
	if len(leaf.UnhandledCriticalExtensions) > 0 {
		return nil, failure(ReasonUnhandledCritical, leaf, "critical extension %v", leaf.UnhandledCriticalExtensions[0])
	}
	if b.anchors.contains(leaf) {
		return [][]*x509.Certificate{{leaf}}, nil
	}
	b.extend([]*x509.Certificate{leaf})
	if len(b.paths) > 0 {
		return b.paths, nil
	}
	if b.fault != nil {
		return nil, b.fault
	}
	if b.checks >= maxSignatureChecks {
		return nil, failure(ReasonUnknownAuthority, leaf, "no path to a trust anchor within %d signature checks", maxSignatureChecks)
	}
	return nil, failure(ReasonUnknownAuthority, leaf, "no path to a trust anchor from issuer %s", leaf.Issuer.String())
}

// extend tries every issuer of the last certificate of path: anchors end
// a path, other CAs continue it.
func (b *pathBuilder) extend(path []*x509.Certificate) {
	child := path[len(path)-1]
	issuer := nameKey(child.RawIssuer)
	for i, ix := range append([]*certIndex{b.anchors}, b.issuers...) {
		for _, p := range preferKeyID(ix.bySubject[issuer], child.AuthorityKeyId) {
			if b.checks >= maxSignatureChecks {
				return
			}
			if !b.issuedBy(path, p, i == 0) {
				continue
			}
			next := append(path[:len(path):len(path)], p)
			if i == 0 {
				b.paths = append(b.paths, next)
			} else if len(next) < maxPathCerts {
				b.extend(next)
			}
		}
	}
}

// issuedBy reports whether p may be appended to path as the issuer of its
// last certificate. A candidate whose key verifies the signature but that
// fails another rule is remembered as the fault.
func (b *pathBuilder) issuedBy(path []*x509.Certificate, p *x509.Certificate, anchor bool) bool {
	child := path[len(path)-1]
	if p.PublicKey == nil || inPath(p, path) {
		return false
	}
	b.checks++
	if err := checkSigned(p, child.SignatureAlgorithm, child.RawTBSCertificate, child.Signature); err != nil {
		if errors.Is(err, errInsecureAlgorithm) {
			b.remember(failure(ReasonUnknownAuthority, child, "%v", err))
		}
		return false
	}
	if err := issuerFault(p, len(path)-1, anchor, b.now); err != nil {
		b.remember(err)
		return false
	}
	return true
}

func (b *pathBuilder) remember(err error) {
	if b.fault == nil {
		b.fault = err
	}
}

// issuerFault checks p as an issuer above below intermediate certificates
// (RFC 5280 §6.1.3 (a)(2), §6.1.4 (k), (l), (m), (n)). As in crypto/x509,
// a version 1 trust anchor needs no basic constraints, and self-issued
// certificates count towards path length constraints (§6.1.4 (l) would not
// count them: this is stricter).
func issuerFault(p *x509.Certificate, below int, anchor bool, now time.Time) error {
	if err := timeCheck(p, now); err != nil {
		return err
	}
	if len(p.UnhandledCriticalExtensions) > 0 {
		return failure(ReasonUnhandledCritical, p, "critical extension %v", p.UnhandledCriticalExtensions[0])
	}
	if (!p.BasicConstraintsValid || !p.IsCA) && !(anchor && p.Version < 3 && !p.BasicConstraintsValid) {
		return failure(ReasonNotCA, p, "")
	}
	if p.KeyUsage != 0 && p.KeyUsage&x509.KeyUsageCertSign == 0 {
		return failure(ReasonWrongKeyUsage, p, "no keyCertSign key usage")
	}
	if p.MaxPathLen >= 0 && below > p.MaxPathLen {
		return failure(ReasonPathLength, p, "%d intermediate certificates below a CA with path length %d", below, p.MaxPathLen)
	}
	return nil
}

// inPath reports whether c, or a certificate with its subject, key and
// alternative names (a cross-certificate of the same CA), is already in
// path, which would make a loop.
func inPath(c *x509.Certificate, path []*x509.Certificate) bool {
	for _, p := range path {
		if bytes.Equal(p.Raw, c.Raw) {
			return true
		}
		if bytes.Equal(p.RawSubjectPublicKeyInfo, c.RawSubjectPublicKeyInfo) && namesMatch(p.RawSubject, c.RawSubject) &&
			bytes.Equal(extensionValue(p, oidSubjectAltName), extensionValue(c, oidSubjectAltName)) {
			return true
		}
	}
	return false
}

// oidSubjectAltName is the subject alternative name extension (RFC 5280
// §4.2.1.6).
var oidSubjectAltName = asn1.ObjectIdentifier{2, 5, 29, 17}

// extensionValue returns the value of c's extension id, or nil.
func extensionValue(c *x509.Certificate, id asn1.ObjectIdentifier) []byte {
	for _, e := range c.Extensions {
		if e.Id.Equal(id) {
			return e.Value
		}
	}
	return nil
}

// preferKeyID orders candidates as crypto/x509 does: those whose subject
// key identifier is the child's authority key identifier first, then those
// without one, then the others.
func preferKeyID(certs []*x509.Certificate, akid []byte) []*x509.Certificate {
	if len(akid) == 0 || len(certs) < 2 {
		return certs
	}
	out := make([]*x509.Certificate, 0, len(certs))
	for _, rank := range []func(*x509.Certificate) bool{
		func(c *x509.Certificate) bool { return bytes.Equal(c.SubjectKeyId, akid) },
		func(c *x509.Certificate) bool { return len(c.SubjectKeyId) == 0 },
		func(c *x509.Certificate) bool { return len(c.SubjectKeyId) > 0 && !bytes.Equal(c.SubjectKeyId, akid) },
	} {
		for _, c := range certs {
			if rank(c) {
				out = append(out, c)
			}
		}
	}
	return out
}

// verify builds the paths of leaf (RFC 5280 §6.1), then applies the usage
// rules and revocation (§6.3) to each until one passes. On success it
// returns the interval in which the result may be reused.
func (v *Validator) verify(leaf *x509.Certificate, extra []*x509.Certificate, usage Usage, serverName string, now time.Time) (from, until time.Time, err error) {
	if err := timeCheck(leaf, now); err != nil {
		return from, until, err
	}
	b := &pathBuilder{now: now, anchors: v.anchors, issuers: []*certIndex{v.configured, newCertIndex(extra)}}
	paths, err := b.buildPaths(leaf)
	if err != nil {
		return from, until, err
	}
	var firstErr error
	for _, path := range paths {
		from, until, err := v.checkChain(path, usage, serverName, now)
		if err == nil {
			return from, until, nil
		}
		if firstErr == nil || ReasonOf(firstErr) == ReasonCRLMissing {
			firstErr = err
		}
	}
	return from, until, firstErr
}

// checkChain applies the constraints of the whole path, the usage rules
// and revocation to one built path.
func (v *Validator) checkChain(chain []*x509.Certificate, usage Usage, serverName string, now time.Time) (from, until time.Time, err error) {
	if err := checkPathConstraints(chain, now); err != nil {
		return from, until, err
	}
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

// checkPathConstraints applies the rules that look at a whole path: name
// constraints (RFC 5280 §6.1.3 (b), (c)) and certificate policies
// (§6.1.3 (d)–(f), §6.1.4 (a), (b), (i), (j) as updated by RFC 9618).
// crypto/x509 implements both on the paths it builds, so a path that
// carries either is handed to it, restricted to exactly this path. With
// the default policy inputs (any policy, nothing explicit), a path can
// fail policy processing only through a policy mapping or a
// requireExplicitPolicy constraint; a path with neither, and with no name
// constraints, has nothing to check here, and that is nearly every path.
//
// crypto/x509 chains names byte for byte, so a constrained path whose
// names match only after RFC 4518 preparation is refused: failing closed
// rather than skipping the constraints.
func checkPathConstraints(chain []*x509.Certificate, now time.Time) error {
	constrained := false
	for _, c := range chain {
		if hasNameConstraints(c) || len(c.PolicyMappings) > 0 || c.RequireExplicitPolicy > 0 || c.RequireExplicitPolicyZero {
			constrained = true
			break
		}
	}
	if !constrained || len(chain) == 1 {
		return nil
	}
	leaf, anchor := chain[0], chain[len(chain)-1]
	for i := 0; i+1 < len(chain); i++ {
		if !bytes.Equal(chain[i].RawIssuer, chain[i+1].RawSubject) {
			return failure(ReasonNameConstraints, leaf, "name or policy constraints on a path whose names match only after string preparation are not supported")
		}
	}
	roots, inters := x509.NewCertPool(), x509.NewCertPool()
	roots.AddCert(anchor)
	for _, c := range chain[1 : len(chain)-1] {
		inters.AddCert(c)
	}
	paths, err := leaf.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inters, CurrentTime: now, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
	if err != nil {
		return constraintFailure(err, leaf)
	}
	for _, p := range paths {
		if samePath(p, chain) {
			return nil
		}
	}
	return failure(ReasonNameConstraints, leaf, "the path is refused under its name or policy constraints")
}

func hasNameConstraints(c *x509.Certificate) bool {
	return len(c.PermittedDNSDomains) > 0 || len(c.ExcludedDNSDomains) > 0 ||
		len(c.PermittedIPRanges) > 0 || len(c.ExcludedIPRanges) > 0 ||
		len(c.PermittedEmailAddresses) > 0 || len(c.ExcludedEmailAddresses) > 0 ||
		len(c.PermittedURIDomains) > 0 || len(c.ExcludedURIDomains) > 0
}

func samePath(a, b []*x509.Certificate) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !bytes.Equal(a[i].Raw, b[i].Raw) {
			return false
		}
	}
	return true
}

// constraintFailure turns crypto/x509's refusal of a constrained path into
// a ValidationError.
func constraintFailure(err error, leaf *x509.Certificate) error {
	var inv x509.CertificateInvalidError
	if errors.As(err, &inv) && inv.Reason == x509.NoValidChains {
		return failure(ReasonNameConstraints, leaf, "certificate policies: %v", err)
	}
	return failure(ReasonNameConstraints, leaf, "%v", err)
}

// timeCheck distinguishes expired from not-yet-valid.
func timeCheck(c *x509.Certificate, now time.Time) error {
	if now.Before(c.NotBefore) {
		return failure(ReasonNotYetValid, c, "valid from %s", c.NotBefore.UTC().Format(time.RFC3339))
	}
	if now.After(c.NotAfter) {
		return failure(ReasonExpired, c, "expired %s", c.NotAfter.UTC().Format(time.RFC3339))
	}
	return nil
}

// errInsecureAlgorithm marks a signature made with an algorithm that is not
// accepted (MD5 or SHA-1), whatever the key.
var errInsecureAlgorithm = errors.New("insecure signature algorithm")

// checkSigned verifies a signature over signed under c's key, refusing the
// algorithms crypto/x509 refuses in chains (SHA-1, MD5, MD2), which its
// CheckSignature would accept.
func checkSigned(c *x509.Certificate, algo x509.SignatureAlgorithm, signed, signature []byte) error {
	switch algo {
	case x509.SHA1WithRSA, x509.DSAWithSHA1, x509.ECDSAWithSHA1, x509.MD5WithRSA, x509.MD2WithRSA:
		return fmt.Errorf("%w %v", errInsecureAlgorithm, algo)
	}
	return c.CheckSignature(algo, signed, signature)
}
