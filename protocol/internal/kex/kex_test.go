package kex

import (
	"bytes"
	"crypto/mlkem"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	mathrand "math/rand/v2"
	"slices"
	"testing"
	"testing/cryptotest"
)

// seeded returns a deterministic random source for reproducible handshakes.
func seeded(seed byte) io.Reader {
	var s [32]byte
	s[0] = seed
	return mathrand.NewChaCha8(s)
}

func mustGroup(t testing.TB, name string) Group {
	t.Helper()
	g, err := ByName(name)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// shareLens gives, per group, the client share, server share and secret
// lengths.
var shareLens = map[string][3]int{
	NameX25519MLKEM768: {1216, 1120, 64},
	NameX25519:         {32, 32, 32},
	NameP256:           {65, 65, 32},
	NameP384:           {97, 97, 48},
	NameFFDHE2048:      {256, 256, 256},
	NameFFDHE3072:      {384, 384, 384},
}

func TestNamesAndByName(t *testing.T) {
	want := []string{"x25519mlkem768", "x25519", "p256", "p384", "ffdhe3072", "ffdhe2048"}
	if got := Names(); !slices.Equal(got, want) {
		t.Fatalf("Names() = %v, want %v", got, want)
	}
	for _, name := range Names() {
		if g := mustGroup(t, name); g.Name() != name {
			t.Errorf("ByName(%q).Name() = %q", name, g.Name())
		}
	}
	for _, bad := range []string{"", "X25519", "ffdhe4096", "secp256r1"} {
		if _, err := ByName(bad); err == nil {
			t.Errorf("ByName(%q) succeeded", bad)
		}
	}
}

func TestClientAndServerAgree(t *testing.T) {
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			g := mustGroup(t, name)
			lens := shareLens[name]
			for range 3 {
				priv, clientShare, err := g.GenerateShare(rand.Reader)
				if err != nil {
					t.Fatal(err)
				}
				serverShare, serverSecret, err := g.Respond(rand.Reader, clientShare)
				if err != nil {
					t.Fatal(err)
				}
				clientSecret, err := priv.Finish(serverShare)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(clientSecret, serverSecret) {
					t.Fatal("client and server secrets differ")
				}
				if got := [3]int{len(clientShare), len(serverShare), len(clientSecret)}; got != lens {
					t.Fatalf("lengths (client share, server share, secret) = %v, want %v", got, lens)
				}
			}
		})
	}
}

func TestX25519RFC7748KnownAnswer(t *testing.T) {
	alicePriv, _ := hex.DecodeString("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")
	alicePub, _ := hex.DecodeString("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a")
	bobPriv, _ := hex.DecodeString("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb")
	bobPub, _ := hex.DecodeString("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f")
	shared, _ := hex.DecodeString("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742")

	g := mustGroup(t, NameX25519)
	priv, share, err := g.GenerateShare(bytes.NewReader(alicePriv))
	if err != nil || !bytes.Equal(share, alicePub) {
		t.Fatalf("client share = %x, %v", share, err)
	}
	serverShare, serverSecret, err := g.Respond(bytes.NewReader(bobPriv), alicePub)
	if err != nil || !bytes.Equal(serverShare, bobPub) || !bytes.Equal(serverSecret, shared) {
		t.Fatalf("Respond = %x, %x, %v", serverShare, serverSecret, err)
	}
	secret, err := priv.Finish(bobPub)
	if err != nil || !bytes.Equal(secret, shared) {
		t.Fatalf("Finish = %x, %v", secret, err)
	}
}

// invalidShare is a peer value that must be refused.
type invalidShare struct {
	name  string
	share []byte
}

func withByte(b []byte, i int, v byte) []byte {
	b = bytes.Clone(b)
	b[i] = v
	return b
}

func xorByte(b []byte, i int, v byte) []byte {
	b = bytes.Clone(b)
	b[i] ^= v
	return b
}

// invalidShares lists, for a group, bad values a peer might send toward
// the side that receives shares of length n. valid is a valid share of that
// length, used to build near misses.
func invalidShares(t *testing.T, name string, valid []byte, toServer bool) []invalidShare {
	n := len(valid)
	bad := []invalidShare{
		{"an empty share", nil},
		{"a share one byte short", valid[:n-1]},
		{"a share one byte long", append(bytes.Clone(valid), 0)},
		{"a share of all zeros", make([]byte, n)},
	}
	switch name {
	case NameX25519:
		bad = append(bad,
			invalidShare{"the low-order point 1", withByte(make([]byte, 32), 0, 1)},
			invalidShare{"the low-order point of order 8", mustHex(t, "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800")})
	case NameP256, NameP384:
		bad = append(bad,
			invalidShare{"a point off the curve", xorByte(valid, n-1, 1)},
			invalidShare{"a compressed point", append([]byte{0x02}, valid[1:1+(n-1)/2]...)},
			invalidShare{"the point at infinity", []byte{0}},
			invalidShare{"an uncompressed prefix with zero coordinates", withByte(make([]byte, n), 0, 4)})
	case NameFFDHE2048, NameFFDHE3072:
		g := mustGroup(t, name).(*ffdheGroup)
		enc := func(add int64) []byte {
			v := newInt(g.p)
			v.Add(v, bigInt(add))
			if v.BitLen() > g.byteLen*8 {
				return nil
			}
			return v.FillBytes(make([]byte, g.byteLen))
		}
		outside := enc(-2) // -2 mod p: (-2)^q = -1, a generator of the whole group
		if newInt(nil).Exp(newInt(nil).SetBytes(outside), g.q, g.p).Cmp(g.pm1) != 0 {
			t.Fatal("p-2 is unexpectedly inside the subgroup")
		}
		bad = append(bad,
			invalidShare{"the value 1", bigInt(1).FillBytes(make([]byte, n))},
			invalidShare{"the value p-1", enc(-1)},
			invalidShare{"the value p", enc(0)},
			invalidShare{"the value p+1", enc(1)},
			invalidShare{"a value outside the prime-order subgroup", outside},
			invalidShare{"a value of all ones", bytes.Repeat([]byte{0xff}, n)})
	case NameX25519MLKEM768:
		if toServer {
			// Raise the first 12-bit coefficient of the encapsulation key to
			// 4095 >= q = 3329 (FIPS 203, Section 7.2 modulus check).
			badKey := withByte(valid, 0, 0xff)
			badKey[1] |= 0x0f
			bad = append(bad,
				invalidShare{"an encapsulation key with a coefficient above q", badKey},
				invalidShare{"a low-order x25519 part", append(bytes.Clone(valid[:mlkem.EncapsulationKeySize768]), make([]byte, 32)...)},
				invalidShare{"the encapsulation key alone", valid[:mlkem.EncapsulationKeySize768]})
		} else {
			bad = append(bad,
				invalidShare{"a truncated ciphertext", append(bytes.Clone(valid[:mlkem.CiphertextSize768-1]), valid[mlkem.CiphertextSize768:]...)},
				invalidShare{"a low-order x25519 part", append(bytes.Clone(valid[:mlkem.CiphertextSize768]), make([]byte, 32)...)},
				invalidShare{"the ciphertext alone", valid[:mlkem.CiphertextSize768]})
		}
	}
	return bad
}

func mustHex(t *testing.T, s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestServerRefusesInvalidClientShares(t *testing.T) {
	for _, name := range Names() {
		g := mustGroup(t, name)
		_, valid, err := g.GenerateShare(seeded(1))
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range invalidShares(t, name, valid, true) {
			t.Run(name+" server refuses "+bad.name, func(t *testing.T) {
				share, secret, err := g.Respond(seeded(2), bad.share)
				if !errors.Is(err, ErrInvalidShare) || share != nil || secret != nil {
					t.Fatalf("Respond = %d-byte share, %d-byte secret, %v", len(share), len(secret), err)
				}
			})
		}
	}
}

func TestClientRefusesInvalidServerShares(t *testing.T) {
	for _, name := range Names() {
		g := mustGroup(t, name)
		_, clientShare, _ := g.GenerateShare(seeded(1))
		valid, _, err := g.Respond(seeded(2), clientShare)
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range invalidShares(t, name, valid, false) {
			t.Run(name+" client refuses "+bad.name, func(t *testing.T) {
				priv, _, err := g.GenerateShare(seeded(1))
				if err != nil {
					t.Fatal(err)
				}
				secret, err := priv.Finish(bad.share)
				if !errors.Is(err, ErrInvalidShare) || secret != nil {
					t.Fatalf("Finish = %x, %v", secret, err)
				}
			})
		}
	}
}

func TestPrivateKeyIsSingleUse(t *testing.T) {
	for _, name := range Names() {
		t.Run(name+" refuses a second Finish and a Finish after Erase", func(t *testing.T) {
			g := mustGroup(t, name)
			priv, clientShare, _ := g.GenerateShare(rand.Reader)
			serverShare, _, err := g.Respond(rand.Reader, clientShare)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := priv.Finish(serverShare); err != nil {
				t.Fatal(err)
			}
			if _, err := priv.Finish(serverShare); err == nil {
				t.Fatal("second Finish succeeded")
			}
			priv, _, _ = g.GenerateShare(rand.Reader)
			priv.Erase()
			priv.Erase()
			if _, err := priv.Finish(serverShare); err == nil {
				t.Fatal("Finish after Erase succeeded")
			}
		})
	}
}

func TestFFDHEEraseZeroesTheExponent(t *testing.T) {
	priv, _, _ := mustGroup(t, NameFFDHE2048).GenerateShare(rand.Reader)
	p := priv.(*ffdhePrivate)
	words := p.x.Bits()
	words = words[:cap(words)]
	p.Erase()
	for i, w := range words {
		if w != 0 {
			t.Fatalf("word %d of the exponent not erased", i)
		}
	}
}

func TestSharesAreDeterministicUnderAFixedRand(t *testing.T) {
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			g := mustGroup(t, name)
			_, a, _ := g.GenerateShare(seeded(7))
			_, b, _ := g.GenerateShare(seeded(7))
			_, c, _ := g.GenerateShare(seeded(8))
			if !bytes.Equal(a, b) {
				t.Fatal("same rand, different client shares")
			}
			if bytes.Equal(a, c) {
				t.Fatal("different rand, same client share")
			}
			s1, _, err := g.Respond(seeded(9), a)
			if err != nil {
				t.Fatal(err)
			}
			s2, _, _ := g.Respond(seeded(9), a)
			if name == NameX25519MLKEM768 {
				// ML-KEM encapsulation draws from the system CSPRNG; only
				// the X25519 part follows rand.
				s1, s2 = s1[mlkem.CiphertextSize768:], s2[mlkem.CiphertextSize768:]
			}
			if !bytes.Equal(s1, s2) {
				t.Fatal("same rand, different server shares")
			}
		})
	}
}

// TestHybridIsDeterministicUnderAFixedGlobalRandom pins the system CSPRNG
// too, as handshake golden tests do, and expects the whole exchange to
// repeat.
func TestHybridIsDeterministicUnderAFixedGlobalRandom(t *testing.T) {
	g := mustGroup(t, NameX25519MLKEM768)
	run := func() (share, secret []byte) {
		cryptotest.SetGlobalRandom(t, 42)
		_, clientShare, _ := g.GenerateShare(seeded(1))
		share, secret, err := g.Respond(seeded(2), clientShare)
		if err != nil {
			t.Fatal(err)
		}
		return share, secret
	}
	share1, secret1 := run()
	share2, secret2 := run()
	if !bytes.Equal(share1, share2) || !bytes.Equal(secret1, secret2) {
		t.Fatal("the hybrid exchange did not repeat under a fixed global random")
	}
}

// TestHybridLayout checks the wire layout against the parts computed
// independently with crypto/mlkem and crypto/ecdh.
func TestHybridLayout(t *testing.T) {
	g := mustGroup(t, NameX25519MLKEM768)
	priv, clientShare, _ := g.GenerateShare(seeded(3))
	seed := make([]byte, mlkem.SeedSize)
	r := seeded(3)
	io.ReadFull(r, seed)
	dk, _ := mlkem.NewDecapsulationKey768(seed)
	if !bytes.Equal(clientShare[:mlkem.EncapsulationKeySize768], dk.EncapsulationKey().Bytes()) {
		t.Fatal("client share does not start with the ML-KEM encapsulation key")
	}
	xPriv, _, _ := mustGroup(t, NameX25519).GenerateShare(r)
	serverShare, serverSecret, err := g.Respond(seeded(4), clientShare)
	if err != nil {
		t.Fatal(err)
	}
	kemSecret, err := dk.Decapsulate(serverShare[:mlkem.CiphertextSize768])
	if err != nil || !bytes.Equal(serverSecret[:mlkem.SharedKeySize], kemSecret) {
		t.Fatal("secret does not start with the ML-KEM shared secret")
	}
	xSecret, err := xPriv.Finish(serverShare[mlkem.CiphertextSize768:])
	if err != nil || !bytes.Equal(serverSecret[mlkem.SharedKeySize:], xSecret) {
		t.Fatal("secret does not end with the X25519 shared secret")
	}
	clientSecret, err := priv.Finish(serverShare)
	if err != nil || !bytes.Equal(clientSecret, serverSecret) {
		t.Fatal("client and server disagree")
	}
}

// TestHybridTamperedCiphertextChangesTheSecret shows ML-KEM's implicit
// rejection: a modified ciphertext of the right length is not an error but
// yields a different secret, which the handshake's Finished MAC catches.
func TestHybridTamperedCiphertextChangesTheSecret(t *testing.T) {
	g := mustGroup(t, NameX25519MLKEM768)
	priv, clientShare, _ := g.GenerateShare(rand.Reader)
	serverShare, serverSecret, _ := g.Respond(rand.Reader, clientShare)
	clientSecret, err := priv.Finish(xorByte(serverShare, 10, 1))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(clientSecret, serverSecret) {
		t.Fatal("a tampered ciphertext gave the same secret")
	}
}

// scriptedReader returns its chunks in order, one per Read.
type scriptedReader struct{ chunks [][]byte }

func (r *scriptedReader) Read(p []byte) (int, error) {
	if len(r.chunks) == 0 {
		return 0, io.ErrUnexpectedEOF
	}
	n := copy(p, r.chunks[0])
	r.chunks = r.chunks[1:]
	return n, nil
}

func TestNISTScalarsAreRejectionSampled(t *testing.T) {
	for _, name := range []string{NameP256, NameP384} {
		g := mustGroup(t, name).(ecdhGroup)
		n := g.scalarLen
		good := bytes.Repeat([]byte{0x11}, n)
		t.Run(name+" redraws a scalar above the order and zero", func(t *testing.T) {
			r := &scriptedReader{[][]byte{bytes.Repeat([]byte{0xff}, n), make([]byte, n), good}}
			_, share, err := g.GenerateShare(r)
			if err != nil {
				t.Fatal(err)
			}
			_, want, _ := g.GenerateShare(bytes.NewReader(good))
			if !bytes.Equal(share, want) {
				t.Fatal("the share does not come from the first valid scalar")
			}
		})
		t.Run(name+" gives up on a rand that never yields a valid scalar", func(t *testing.T) {
			if _, _, err := g.GenerateShare(constReader(0xff)); err == nil {
				t.Fatal("no error")
			}
		})
	}
}

type constReader byte

func (c constReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(c)
	}
	return len(p), nil
}

func TestFFDHEExponentZeroOrOneIsRedrawn(t *testing.T) {
	g := mustGroup(t, NameFFDHE2048).(*ffdheGroup)
	if _, _, err := g.GenerateShare(constReader(0)); err == nil {
		t.Fatal("an all-zero rand produced a share")
	}
	one := withByte(make([]byte, g.exponentBytes), g.exponentBytes-1, 1)
	two := withByte(make([]byte, g.exponentBytes), g.exponentBytes-1, 2)
	_, share, err := g.GenerateShare(&scriptedReader{[][]byte{one, two}})
	if err != nil {
		t.Fatal(err)
	}
	if want := bigInt(4).FillBytes(make([]byte, g.byteLen)); !bytes.Equal(share, want) {
		t.Fatalf("share = %x, want 2^2", share)
	}
}

func TestRandFailureIsAnError(t *testing.T) {
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			g := mustGroup(t, name)
			if _, _, err := g.GenerateShare(&scriptedReader{}); err == nil || errors.Is(err, ErrInvalidShare) {
				t.Fatalf("GenerateShare with a failing rand: %v", err)
			}
			_, valid, _ := g.GenerateShare(rand.Reader)
			if _, _, err := g.Respond(&scriptedReader{}, valid); err == nil || errors.Is(err, ErrInvalidShare) {
				t.Fatalf("Respond with a failing rand: %v", err)
			}
		})
	}
}

func benchmarkExchange(b *testing.B, name string) {
	g := mustGroup(b, name)
	for b.Loop() {
		priv, clientShare, err := g.GenerateShare(rand.Reader)
		if err != nil {
			b.Fatal(err)
		}
		serverShare, _, err := g.Respond(rand.Reader, clientShare)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := priv.Finish(serverShare); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkExchangeX25519MLKEM768(b *testing.B) { benchmarkExchange(b, NameX25519MLKEM768) }
func BenchmarkExchangeX25519(b *testing.B)         { benchmarkExchange(b, NameX25519) }
func BenchmarkExchangeP256(b *testing.B)           { benchmarkExchange(b, NameP256) }
func BenchmarkExchangeP384(b *testing.B)           { benchmarkExchange(b, NameP384) }
func BenchmarkExchangeFFDHE2048(b *testing.B)      { benchmarkExchange(b, NameFFDHE2048) }
func BenchmarkExchangeFFDHE3072(b *testing.B)      { benchmarkExchange(b, NameFFDHE3072) }
