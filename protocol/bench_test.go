package protocol

import (
	"crypto/x509"
	"testing"
)

// BenchmarkHandshake is one full mutual handshake in memory (ECDSA P-256
// keys, as `securemedia init` makes them; chains validated once and then
// from a cache, as the PKI validator does), without HTTP: the protocol's
// own cost, both sides.
//
//	go test ./protocol -run '^$' -bench Handshake -cpuprofile cpu.out
func BenchmarkHandshake(b *testing.B) {
	for _, g := range []GroupID{GroupX25519, GroupP256} {
		b.Run(g.String(), func(b *testing.B) {
			p := newPair(b)
			c, s := *p.client, *p.server
			c.Suites, c.Groups = []SuiteID{DH_AES128_GCM_SHA256}, []GroupID{g}
			c.VerifyPeer, s.VerifyPeer = cachedVerifier(c.VerifyPeer), cachedVerifier(s.VerifyPeer)
			b.ReportAllocs()
			for b.Loop() {
				mustHandshake(b, &c, &s)
			}
		})
	}
}

// cachedVerifier remembers the leaf of the one chain it validated.
func cachedVerifier(v func(chain, crls [][]byte) (*x509.Certificate, error)) func(chain, crls [][]byte) (*x509.Certificate, error) {
	var leaf *x509.Certificate
	var der []byte
	return func(chain, crls [][]byte) (*x509.Certificate, error) {
		if leaf != nil && string(der) == string(chain[0]) {
			return leaf, nil
		}
		l, err := v(chain, crls)
		if err == nil {
			leaf, der = l, chain[0]
		}
		return l, err
	}
}
