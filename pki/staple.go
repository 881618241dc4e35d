package pki

import (
	"crypto/x509"
	"fmt"
)

// Staple puts the CRLs a peer stapled to its signed handshake flight
// (DESIGN.md §4 "Stapled CRLs"; DER or PEM) beside the configured ones, in
// place of those it stapled before, for every validation from now on: the
// server's chain, and the content and license chains after it. They are
// checked as configured CRLs are, when used: signature and issuer,
// freshness, critical extensions. As with SetCRLs, a set whose newest CRL
// for an issuer is older than one already accepted is refused (and the
// previous CRLs kept). The same CRLs as last time change nothing, so the
// validation cache stays warm from one handshake to the next.
func (v *Validator) Staple(crls [][]byte) error {
	v.mu.Lock()
	same := equalDERs(v.stapled, crls)
	v.mu.Unlock()
	if same {
		return nil
	}
	set, err := parseCRLSet(crls, maxStapledPosition)
	if err != nil {
		return fmt.Errorf("pki: stapled %w", err)
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if equalDERs(v.stapled, crls) { // stapled meanwhile by another handshake
		return nil
	}
	if err := v.useLocked(v.configuredCRLs, set); err != nil {
		return err
	}
	v.stapled, v.stapledCRLs = cloneDERs(crls), set
	return nil
}

// maxStapledPosition numbers stapled CRLs after any configured one in
// messages ("crl 1001" is the first stapled CRL).
const maxStapledPosition = 1000

// VerifyStapled staples crls (Staple) and validates chain (Verify): the
// client's check of a server's handshake flight.
func (v *Validator) VerifyStapled(chain, crls [][]byte, usage Usage, serverName string) (*x509.Certificate, error) {
	if err := v.Staple(crls); err != nil {
		return nil, err
	}
	return v.Verify(chain, usage, serverName)
}

// CRLsOfChain returns those of crls (DER or PEM, one CRL each) whose
// issuer issued a certificate of chain (DER, leaf first): for a chain of
// leaf and intermediate, the intermediate's CRL and the root's, what a
// peer needs to check the chain's revocation. A server staples them to its
// handshake flight.
func CRLsOfChain(crls, chain [][]byte) ([][]byte, error) {
	issuers := map[string]bool{}
	for i, der := range chain {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, fmt.Errorf("pki: certificate %d: %w", i+1, err)
		}
		issuers[nameKey(c.RawIssuer)] = true
	}
	var out [][]byte
	for i, raw := range crls {
		objs, err := splitObjects(raw, pemCRL)
		if err != nil {
			return nil, fmt.Errorf("pki: crl %d: %w", i+1, err)
		}
		for _, der := range objs {
			crl, err := x509.ParseRevocationList(der)
			if err != nil {
				return nil, fmt.Errorf("pki: crl %d: %w", i+1, err)
			}
			if issuers[nameKey(crl.RawIssuer)] {
				out = append(out, der)
			}
		}
	}
	return out, nil
}
