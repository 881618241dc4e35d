package pki

import (
	"crypto/x509"
	"fmt"
	"math/big"
	"slices"
	"time"
)

// CRLStatus describes one CRL relied upon, for readiness checks and for
// warnings before revocation checking starts refusing everything a stale
// CRL covers (the validator refuses a CRL from its nextUpdate on).
type CRLStatus struct {
	// Source says where the CRL came from: the file's base name without
	// extension for a CRLSet ("intermediate"), or "crl N" (its position
	// among the CRLs given) for a Validator.
	Source string
	// Issuer is the CRL issuer's name (RFC 4514 form).
	Issuer string
	// Number is the CRLNumber, or nil when the CRL has none.
	Number *big.Int
	// ThisUpdate and NextUpdate are the CRL's dates; NextUpdate is zero
	// when the CRL has none, which the validator never accepts.
	ThisUpdate, NextUpdate time.Time
}

// StaleAt reports whether the validator refuses the CRL as stale at t:
// from its nextUpdate on, or always when it has none.
func (s CRLStatus) StaleAt(t time.Time) bool {
	return s.NextUpdate.IsZero() || !t.Before(s.NextUpdate)
}

// String reads e.g. "intermediate: crl of CN=Acme CA number 7, next update
// 2026-06-08T12:00:00Z".
func (s CRLStatus) String() string {
	out := s.Source + ": crl of " + s.Issuer
	if s.Number != nil {
		out += " number " + s.Number.String()
	}
	if s.NextUpdate.IsZero() {
		return out + ", no next update"
	}
	return out + ", next update " + s.NextUpdate.UTC().Format(time.RFC3339)
}

// CRLStatuses is the status of a set of CRLs.
type CRLStatuses []CRLStatus

// StaleWithin returns the CRLs that are stale at now+d (already stale
// ones included), soonest first: the CRLs to replace within d.
func (l CRLStatuses) StaleWithin(now time.Time, d time.Duration) CRLStatuses {
	var out CRLStatuses
	for _, s := range l {
		if s.StaleAt(now.Add(d)) {
			out = append(out, s)
		}
	}
	slices.SortStableFunc(out, func(a, b CRLStatus) int { return a.NextUpdate.Compare(b.NextUpdate) })
	return out
}

func statusOf(source string, crl *x509.RevocationList) CRLStatus {
	s := CRLStatus{Source: source, Issuer: crl.Issuer.String(), ThisUpdate: crl.ThisUpdate, NextUpdate: crl.NextUpdate}
	if crl.Number != nil {
		s.Number = new(big.Int).Set(crl.Number)
	}
	return s
}

// Status reports each CRL of the set, in the order of the paths. The
// result is the caller's own copy.
func (s *CRLSet) Status() CRLStatuses {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := slices.Clone(s.status)
	for i := range out {
		if out[i].Number != nil {
			out[i].Number = new(big.Int).Set(out[i].Number)
		}
	}
	return out
}

// StaleWithin returns the set's CRLs that are stale at now+d, soonest
// first (see CRLStatuses.StaleWithin).
func (s *CRLSet) StaleWithin(now time.Time, d time.Duration) CRLStatuses {
	return s.Status().StaleWithin(now, d)
}

// CRLStatus reports the CRLs the validator relies on: for each CRL issuer,
// the CRL with the highest CRLNumber (an older one beside it is never the
// one that decides). Signatures are not checked here: a CRL whose signature
// does not verify is reported too, and refused when used.
func (v *Validator) CRLStatus() CRLStatuses {
	set := v.crls.Load()
	newest := map[string]int{}
	var order []string
	for i, c := range set.all {
		j, ok := newest[c.issuerKey]
		if !ok {
			order = append(order, c.issuerKey)
		}
		if !ok || cmpNumber(c, set.all[j]) > 0 {
			newest[c.issuerKey] = i
		}
	}
	out := make(CRLStatuses, 0, len(order))
	for _, k := range order {
		i := newest[k]
		out = append(out, statusOf(fmt.Sprintf("crl %d", set.all[i].position), set.all[i].crl))
	}
	return out
}
