package pki

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"sync/atomic"
	"time"
)

// Implementation limits of the validator.
const (
	// maxChainCerts bounds the certificates a peer may send in one chain.
	maxChainCerts = 8
	// maxChainBytes bounds the total size of a peer's chain.
	maxChainBytes = 256 << 10
	// cacheTTL bounds how long a successful validation is reused, so that a
	// CRL replaced on disk and reloaded is seen within this delay at worst
	// (SetCRLs also empties the cache at once).
	cacheTTL = 5 * time.Minute
	// maxCacheEntries bounds the cache; when full it is emptied and refilled.
	maxCacheEntries = 4096
)

// ValidatorOptions configure a Validator.
type ValidatorOptions struct {
	// Roots are the trust anchors.
	Roots []*x509.Certificate
	// Intermediates may complete chains. They are also the only
	// candidates for CRL signers other than the issuer's own certificate
	// (certificates a peer sends never sign CRLs): a certificate with the
	// CRL issuer's name, holding cRLSign, whose own path validates to the
	// same trust anchor, such as a CA's rolled-over key certified by its
	// parent or a delegated CRL signer certified by the CA itself.
	Intermediates []*x509.Certificate
	// CRLs are DER or PEM CRLs.
	CRLs [][]byte
	// CheckRevocation turns revocation checking on; callers pass true
	// unless an operator explicitly turned it off. When on, a certificate
	// without a usable CRL from its issuer is refused.
	CheckRevocation bool
	// Now returns the validation time; nil means time.Now.
	Now func() time.Time
}

// Validator validates certificate chains with revocation checking. It is
// safe for concurrent use. It caches parsed CRLs and successful results.
type Validator struct {
	// trustMu guards the trust below: a validation holds it shared from
	// its first use of the trust to the caching of its result, so that a
	// SetTrust, which holds it exclusively, never lets a result reached
	// under the old trust into the cache it empties.
	trustMu sync.RWMutex
	// anchors are the trust anchors, configured the operator's
	// intermediates, both indexed for path building; intermediates are
	// the latter as configured, the candidates for CRL signers.
	anchors       *certIndex
	configured    *certIndex
	intermediates []*x509.Certificate
	revocation    bool
	now           func() time.Time

	// crls is what validation uses: the configured CRLs and the ones a
	// peer stapled, merged.
	crls atomic.Pointer[crlSet]

	mu sync.Mutex
	// configuredCRLs are the CRLs of SetCRLs, parsed; stapled are the DER
	// of the CRLs last stapled (Staple), stapledCRLs the same parsed.
	configuredCRLs *crlSet
	stapled        [][]byte
	stapledCRLs    *crlSet
	// cache holds successful validations, keyed by cacheKey.
	cache map[[32]byte]cacheEntry
	// highest is the highest CRLNumber accepted per CRL issuer (by the
	// comparison key of its name, see name.go), to refuse rollback to an
	// older CRL, however the issuer's name is encoded.
	highest map[string]*big.Int
}

type cacheEntry struct {
	leaf       *x509.Certificate
	validFrom  time.Time
	validUntil time.Time
}

// NewValidator returns a Validator for the given trust anchors and CRLs.
func NewValidator(o ValidatorOptions) (*Validator, error) {
	if len(o.Roots) == 0 {
		return nil, errors.New("pki: validator needs at least one root")
	}
	v := &Validator{
		revocation: o.CheckRevocation,
		now:        o.Now,
		cache:      map[[32]byte]cacheEntry{},
		highest:    map[string]*big.Int{},
	}
	if v.now == nil {
		v.now = time.Now
	}
	if err := v.SetTrust(o.Roots, o.Intermediates); err != nil {
		return nil, err
	}
	if err := v.SetCRLs(o.CRLs); err != nil {
		return nil, err
	}
	return v, nil
}

// SetTrust atomically replaces the trust anchors and the operator's
// intermediates (reload without restart: a CA added or withdrawn) and
// drops cached results. The CRLs, and the highest CRL numbers already
// accepted, are kept. On error nothing changes.
func (v *Validator) SetTrust(roots, intermediates []*x509.Certificate) error {
	if len(roots) == 0 {
		return errors.New("pki: validator needs at least one root")
	}
	for _, r := range roots {
		if r == nil {
			return errors.New("pki: nil root certificate")
		}
	}
	for _, c := range intermediates {
		if c == nil {
			return errors.New("pki: nil intermediate certificate")
		}
	}
	anchors, configured := newCertIndex(roots), newCertIndex(intermediates)
	v.trustMu.Lock()
	defer v.trustMu.Unlock()
	v.anchors, v.configured = anchors, configured
	v.intermediates = append([]*x509.Certificate(nil), intermediates...)
	v.mu.Lock()
	v.cache = map[[32]byte]cacheEntry{}
	v.mu.Unlock()
	return nil
}

// SetCRLs atomically replaces the CRLs (reload without restart) and drops
// cached results. A set whose newest CRL for an issuer is older (lower
// CRLNumber) than one already accepted is refused, and the current CRLs are
// kept: an attacker who can write the CRL files must not roll revocations
// back. CRLs a peer stapled (Staple) stay beside them.
func (v *Validator) SetCRLs(crls [][]byte) error {
	set, err := parseCRLSet(crls, 0)
	if err != nil {
		return fmt.Errorf("pki: %w", err)
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if err := v.useLocked(set, v.stapledCRLs); err != nil {
		return err
	}
	v.configuredCRLs = set
	return nil
}

// useLocked makes the merge of configured and stapled the CRLs in use,
// unless for some issuer the newest of them is older than a CRL already
// accepted from it; it drops cached results.
func (v *Validator) useLocked(configured, stapled *crlSet) error {
	set := mergeCRLSets(configured, stapled)
	for issuer, crls := range set.byIssuer {
		hi := v.highest[issuer]
		if hi == nil {
			continue
		}
		newest := crls[0]
		for _, c := range crls[1:] {
			if cmpNumber(c, newest) > 0 {
				newest = c
			}
		}
		if newest.number() == nil || newest.number().Cmp(hi) < 0 {
			return &ValidationError{Reason: ReasonCRLRollback, Err: fmt.Errorf("%s is older than crl number %s already accepted", describeCRL(newest), hi)}
		}
	}
	v.crls.Store(set)
	v.cache = map[[32]byte]cacheEntry{}
	return nil
}

func equalDERs(a, b [][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}

func cloneDERs(in [][]byte) [][]byte {
	out := make([][]byte, len(in))
	for i, b := range in {
		out[i] = bytes.Clone(b)
	}
	return out
}

// Verify validates a chain as received from a peer: DER certificates, leaf
// first, possibly followed by intermediates. serverName, when not empty,
// must match the leaf's DNS or IP SANs. It returns the parsed leaf, which
// may be shared with other callers through the cache: do not modify it.
func (v *Validator) Verify(chain [][]byte, usage Usage, serverName string) (*x509.Certificate, error) {
	if len(chain) == 0 {
		return nil, &ValidationError{Reason: ReasonMalformed, Err: errors.New("empty chain")}
	}
	if len(chain) > maxChainCerts {
		return nil, &ValidationError{Reason: ReasonMalformed, Err: fmt.Errorf("chain of %d certificates (limit %d)", len(chain), maxChainCerts)}
	}
	total := 0
	for _, c := range chain {
		total += len(c)
	}
	if total > maxChainBytes {
		return nil, &ValidationError{Reason: ReasonMalformed, Err: fmt.Errorf("chain of %d bytes (limit %d)", total, maxChainBytes)}
	}
	now := v.now()
	key := cacheKey(chain, usage, serverName)
	v.trustMu.RLock()
	defer v.trustMu.RUnlock()
	if leaf, ok := v.cached(key, now); ok {
		return leaf, nil
	}
	certs := make([]*x509.Certificate, len(chain))
	for i, der := range chain {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, &ValidationError{Reason: ReasonMalformed, Err: fmt.Errorf("certificate %d: %w", i+1, err)}
		}
		certs[i] = c
	}
	from, until, err := v.verify(certs[0], certs[1:], usage, serverName, now)
	if err != nil {
		return nil, err
	}
	v.store(key, cacheEntry{leaf: certs[0], validFrom: from, validUntil: until})
	return certs[0], nil
}

// VerifyCert validates leaf with extra untrusted intermediates, like Verify
// but without caching.
func (v *Validator) VerifyCert(leaf *x509.Certificate, extra []*x509.Certificate, usage Usage, serverName string) error {
	if leaf == nil {
		return &ValidationError{Reason: ReasonMalformed, Err: errors.New("no certificate")}
	}
	v.trustMu.RLock()
	defer v.trustMu.RUnlock()
	_, _, err := v.verify(leaf, extra, usage, serverName, v.now())
	return err
}

func (v *Validator) cached(key [32]byte, now time.Time) (*x509.Certificate, bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	e, ok := v.cache[key]
	if !ok {
		return nil, false
	}
	if now.Before(e.validFrom) || !now.Before(e.validUntil) {
		delete(v.cache, key)
		return nil, false
	}
	return e.leaf, true
}

func (v *Validator) store(key [32]byte, e cacheEntry) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if len(v.cache) >= maxCacheEntries {
		v.cache = map[[32]byte]cacheEntry{}
	}
	v.cache[key] = e
}

// cacheKey hashes the chain (length-prefixed), the usage and the name.
func cacheKey(chain [][]byte, usage Usage, serverName string) [32]byte {
	h := sha256.New()
	var n [8]byte
	put := func(b []byte) {
		l := uint64(len(b))
		for i := range n {
			n[i] = byte(l >> (56 - 8*i))
		}
		h.Write(n[:])
		h.Write(b)
	}
	put([]byte{byte(usage)})
	put([]byte(serverName))
	for _, c := range chain {
		put(c)
	}
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// highestNumber returns the highest CRLNumber accepted from the CRL issuer
// named in c. CRL numbers increase per CRL issuer (RFC 5280 §5.2.3); only
// CRLs whose signature verified are recorded.
func (v *Validator) highestNumber(c *parsedCRL) *big.Int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.highest[c.issuerKey]
}

func (v *Validator) recordNumber(c *parsedCRL) {
	n := c.number()
	if n == nil {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	k := c.issuerKey
	if hi := v.highest[k]; hi == nil || n.Cmp(hi) > 0 {
		v.highest[k] = new(big.Int).Set(n)
	}
}
