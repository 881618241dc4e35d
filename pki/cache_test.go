package pki

import (
	"crypto/x509"
	"testing"
	"time"
)

// The validation cache (validator.go) spares a handshake the parsing and
// the path and revocation checks of a chain it validated moments ago; it
// must stay bounded, and never outlive its TTL, a CRL or the trust.
func TestValidatorCacheIsBoundedAndLivesAtMostItsTTL(t *testing.T) {
	f := newCacheFixture(t)
	v, root, inter, leaf, chain, now := f.v, f.root, f.inter, f.leaf, f.chain, f.now
	verify := func() *x509.Certificate {
		t.Helper()
		l, err := v.Verify(chain, UsageServer, "media.example")
		if err != nil {
			t.Fatal(err)
		}
		return l
	}

	t.Run("a repeated chain is a hit until the TTL, then validated afresh", func(t *testing.T) {
		first := verify()
		*now = testNow.Add(cacheTTL - time.Second)
		if verify() != first {
			t.Fatal("a chain validated within the TTL was validated again")
		}
		*now = testNow.Add(cacheTTL)
		if verify() == first {
			t.Fatal("a cached result outlived the cache TTL")
		}
		*now = testNow
	})

	t.Run("a full cache is emptied, never grown", func(t *testing.T) {
		v.mu.Lock()
		v.cache = map[[32]byte]cacheEntry{}
		v.mu.Unlock()
		for i := range maxCacheEntries {
			var k [32]byte
			k[0], k[1], k[2] = 0xff, byte(i>>8), byte(i)
			v.store(k, cacheEntry{validFrom: *now, validUntil: now.Add(time.Minute)})
		}
		verify() // a miss, stored into the full cache
		v.mu.Lock()
		n := len(v.cache)
		v.mu.Unlock()
		if n != 1 {
			t.Fatalf("the cache holds %d entries after overflowing, want only the new one", n)
		}
		first := verify()
		if verify() != first {
			t.Fatal("the entry stored after the overflow is not hit")
		}
	})

	t.Run("a revocation reloaded is refused at once, though the chain was cached", func(t *testing.T) {
		verify()
		if err := v.SetCRLs([][]byte{root.crl(t, crlNumber(2)), inter.crl(t, crlNumber(2), leaf.cert.SerialNumber)}); err != nil {
			t.Fatal(err)
		}
		if _, err := v.Verify(chain, UsageServer, "media.example"); ReasonOf(err) != ReasonRevoked {
			t.Fatalf("right after the CRL reload: %v, want revoked", err)
		}
	})
}
