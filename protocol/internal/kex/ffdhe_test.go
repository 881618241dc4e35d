package kex

import (
	"math/big"
	"testing"
)

func newInt(x *big.Int) *big.Int {
	if x == nil {
		return new(big.Int)
	}
	return new(big.Int).Set(x)
}

func bigInt(v int64) *big.Int { return big.NewInt(v) }

// eTimes2ToThe returns floor(e * 2^k), summing the series e = sum 1/n! in
// fixed point with 64 guard bits.
func eTimes2ToThe(k uint) *big.Int {
	const guard = 64
	term := new(big.Int).Lsh(big.NewInt(1), k+guard)
	sum := new(big.Int)
	for n := int64(1); term.Sign() > 0; n++ {
		sum.Add(sum, term)
		term.Quo(term, big.NewInt(n))
	}
	return sum.Rsh(sum, guard)
}

// TestFFDHEPrimesMatchRFC7919 rebuilds each prime from its definition in
// RFC 7919, Appendix A, checks it equals the typed constant, that it is a
// safe prime, and that 2 generates the subgroup of order q.
func TestFFDHEPrimesMatchRFC7919(t *testing.T) {
	tests := []struct {
		name  string
		group *ffdheGroup
		bits  uint
		x     int64
	}{
		{"ffdhe2048 is 2^2048 - 2^1984 + {[2^1918 * e] + 560316} * 2^64 - 1", newFFDHE2048(), 2048, 560316},
		{"ffdhe3072 is 2^3072 - 2^3008 + {[2^2942 * e] + 2625351} * 2^64 - 1", newFFDHE3072(), 3072, 2625351},
	}
	one := big.NewInt(1)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := tt.bits
			p := new(big.Int).Lsh(one, b)
			p.Sub(p, new(big.Int).Lsh(one, b-64))
			mid := eTimes2ToThe(b - 130)
			mid.Add(mid, big.NewInt(tt.x))
			p.Add(p, mid.Lsh(mid, 64))
			p.Sub(p, one)
			g := tt.group
			if p.Cmp(g.p) != 0 {
				t.Fatalf("typed prime differs from the RFC 7919 formula:\n%x\n%x", g.p, p)
			}
			if g.p.BitLen() != int(b) || g.byteLen != int(b/8) {
				t.Fatalf("bit length %d, byte length %d", g.p.BitLen(), g.byteLen)
			}
			// The top and bottom 64 bits are all ones by construction.
			allOnes := new(big.Int).Sub(new(big.Int).Lsh(one, 64), one)
			if new(big.Int).Rsh(g.p, b-64).Cmp(allOnes) != 0 || new(big.Int).And(g.p, allOnes).Cmp(allOnes) != 0 {
				t.Fatal("leading or trailing 64 bits are not all ones")
			}
			if !g.p.ProbablyPrime(8) || !g.q.ProbablyPrime(8) {
				t.Fatal("p is not a safe prime")
			}
			if new(big.Int).Lsh(g.q, 1).Add(new(big.Int).Lsh(g.q, 1), one).Cmp(g.p) != 0 {
				t.Fatal("q is not (p-1)/2")
			}
			if new(big.Int).Exp(g.g, g.q, g.p).Cmp(one) != 0 {
				t.Fatal("the generator is not in the subgroup of order q")
			}
		})
	}
}

func TestFFDHEExponentSizesMeetRFC7919(t *testing.T) {
	if 8*newFFDHE2048().exponentBytes < 225 || 8*newFFDHE3072().exponentBytes < 275 {
		t.Fatal("exponents below the RFC 7919, Section 5.2 minimums")
	}
}
