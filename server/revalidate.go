package server

import (
	"crypto/sha256"
	"crypto/x509"
	"sync"
)

// Revocation reaches live sessions (DESIGN.md §2, §5): a session was
// admitted on the chains its device and its user sent, validated then;
// after a CRL or trust reload, Revalidate validates them again and closes
// the sessions whose chains no longer validate, so that their next request
// is refused (404: the session is gone, and a new handshake with a revoked
// certificate is refused with the reason). The validators cache their
// results per chain, so the sessions of one device or user cost one
// validation.

// chainBook remembers the chains the handshake verified, by the SHA-256 of
// their leaf, for the finish that establishes the session to keep them.
// It is bounded: beyond maxChainBook leaves it starts afresh.
type chainBook struct {
	mu sync.Mutex
	m  map[[sha256.Size]byte][][]byte
}

// maxChainBook bounds the chains remembered between verification and finish.
const maxChainBook = 4096

// wrap returns verify, noting each chain it accepts.
func (b *chainBook) wrap(verify func(chain [][]byte) (*x509.Certificate, error)) func(chain [][]byte) (*x509.Certificate, error) {
	if verify == nil {
		return nil
	}
	return func(chain [][]byte) (*x509.Certificate, error) {
		leaf, err := verify(chain)
		if err == nil && len(chain) > 0 {
			b.note(chain)
		}
		return leaf, err
	}
}

func (b *chainBook) note(chain [][]byte) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.m == nil || len(b.m) >= maxChainBook {
		b.m = map[[sha256.Size]byte][][]byte{}
	}
	b.m[sha256.Sum256(chain[0])] = chain
}

// chainOf is the chain verified for leaf; the leaf alone, validated
// against the configured intermediates, when it was forgotten meanwhile.
func (b *chainBook) chainOf(leaf *x509.Certificate) [][]byte {
	if leaf == nil {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if c, ok := b.m[sha256.Sum256(leaf.Raw)]; ok {
		return c
	}
	return [][]byte{leaf.Raw}
}

// Revalidate validates again the device and user chains of every
// established session with Config.StillValid and closes those that no
// longer validate (a certificate revoked, a trust anchor removed). It
// returns how many it closed. The assembly layer calls it after each CRL
// and trust reload; without StillValid it does nothing.
func (s *Server) Revalidate() int {
	if s.cfg.StillValid == nil {
		return 0
	}
	closed := 0
	for id, l := range s.sessions.snapshot() {
		if l.deviceChain == nil {
			continue // a browser device: the registry, read at every fetch, is its trust
		}
		err := s.cfg.StillValid(l.deviceChain, l.userChain)
		if err == nil {
			continue
		}
		if s.sessions.drop(id, l) {
			closed++
			s.log.Info("session closed: its device or user certificate no longer validates", "session", id.String(), "user", l.user, "err", err)
		}
	}
	return closed
}
