package aead

import (
	"bytes"
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"testing"

	"golang.org/x/crypto/chacha20poly1305"
)

var (
	allKinds  = []Kind{ChaCha20Poly1305, AES128GCM, AES256GCM, AES128CBCHMAC}
	allHashes = []crypto.Hash{crypto.SHA256, crypto.SHA384}
)

// newTestCipher returns a Cipher of kind k with a key and IV that are
// distinct patterns, so that a mix-up between them shows.
func newTestCipher(t testing.TB, k Kind, h crypto.Hash) (c *Cipher, key, iv []byte) {
	t.Helper()
	keyLen, ivLen, err := Sizes(k, h)
	if err != nil {
		t.Fatal(err)
	}
	key, iv = make([]byte, keyLen), make([]byte, ivLen)
	for i := range key {
		key[i] = byte(i*7 + 1)
	}
	for i := range iv {
		iv[i] = byte(0xa0 + i)
	}
	c, err = New(k, h, key, iv)
	if err != nil {
		t.Fatal(err)
	}
	return c, key, iv
}

func forEachSuite(t *testing.T, f func(t *testing.T, k Kind, h crypto.Hash)) {
	for _, k := range allKinds {
		for _, h := range allHashes {
			t.Run(fmt.Sprintf("%v with %v", k, h), func(t *testing.T) { f(t, k, h) })
		}
	}
}

// TestEveryKeyFitsInsideTheCipher: New keeps the key and the IV in the
// Cipher's own array.
func TestEveryKeyFitsInsideTheCipher(t *testing.T) {
	for _, k := range allKinds {
		for _, h := range allHashes {
			if keyLen, ivLen, err := Sizes(k, h); err == nil && keyLen+ivLen > len(Cipher{}.material) {
				t.Errorf("%v with %v: %d + %d bytes do not fit %d", k, h, keyLen, ivLen, len(Cipher{}.material))
			}
		}
	}
}

func TestSizes(t *testing.T) {
	tests := []struct {
		kind          Kind
		hash          crypto.Hash
		keyLen, ivLen int
	}{
		{ChaCha20Poly1305, crypto.SHA256, 32, 12},
		{ChaCha20Poly1305, crypto.SHA384, 32, 12},
		{AES128GCM, crypto.SHA256, 16, 12},
		{AES128GCM, crypto.SHA384, 16, 12},
		{AES256GCM, crypto.SHA384, 32, 12},
		{AES128CBCHMAC, crypto.SHA256, 32, 16},
		{AES128CBCHMAC, crypto.SHA384, 40, 16},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%v with %v needs a %d-byte key and a %d-byte iv", tt.kind, tt.hash, tt.keyLen, tt.ivLen), func(t *testing.T) {
			keyLen, ivLen, err := Sizes(tt.kind, tt.hash)
			if err != nil || keyLen != tt.keyLen || ivLen != tt.ivLen {
				t.Fatalf("Sizes = %d, %d, %v", keyLen, ivLen, err)
			}
		})
	}
	t.Run("an unknown kind is an error", func(t *testing.T) {
		if _, _, err := Sizes(Kind(0), crypto.SHA256); err == nil {
			t.Fatal("no error")
		}
		if _, _, err := Sizes(Kind(99), crypto.SHA256); err == nil {
			t.Fatal("no error")
		}
	})
	t.Run("an unsupported hash is an error", func(t *testing.T) {
		if _, _, err := Sizes(AES128GCM, crypto.SHA512); err == nil {
			t.Fatal("no error")
		}
	})
}

func TestNewRejectsWrongLengths(t *testing.T) {
	forEachSuite(t, func(t *testing.T, k Kind, h crypto.Hash) {
		keyLen, ivLen, _ := Sizes(k, h)
		if _, err := New(k, h, make([]byte, keyLen+1), make([]byte, ivLen)); err == nil {
			t.Error("a long key was accepted")
		}
		if _, err := New(k, h, make([]byte, keyLen-1), make([]byte, ivLen)); err == nil {
			t.Error("a short key was accepted")
		}
		if _, err := New(k, h, make([]byte, keyLen), make([]byte, ivLen-1)); err == nil {
			t.Error("a short iv was accepted")
		}
		if _, err := New(k, h, make([]byte, keyLen), nil); err == nil {
			t.Error("a missing iv was accepted")
		}
	})
}

func TestRoundTrip(t *testing.T) {
	forEachSuite(t, func(t *testing.T, k Kind, h crypto.Hash) {
		c, _, _ := newTestCipher(t, k, h)
		for _, n := range []int{0, 1, 15, 16, 17, 31, 32, 1000, 4096} {
			for _, seq := range []uint64{0, 1, 1 << 32, math.MaxUint64} {
				plaintext := bytes.Repeat([]byte{byte(n)}, n)
				aad := []byte(fmt.Sprintf("header %d", seq))
				sealed := c.Seal([]byte("prefix"), seq, aad, plaintext)
				if !bytes.HasPrefix(sealed, []byte("prefix")) {
					t.Fatal("Seal did not append to dst")
				}
				sealed = sealed[len("prefix"):]
				if grow := len(sealed) - n; grow <= 0 || grow > c.Overhead() {
					t.Fatalf("%d bytes sealed to %d: growth outside (0, %d]", n, len(sealed), c.Overhead())
				}
				opened, err := c.Open(nil, seq, aad, sealed)
				if err != nil || !bytes.Equal(opened, plaintext) {
					t.Fatalf("len %d seq %d: Open = %v", n, seq, err)
				}
			}
		}
	})
}

func TestSealAndOpenInPlace(t *testing.T) {
	forEachSuite(t, func(t *testing.T, k Kind, h crypto.Hash) {
		c, _, _ := newTestCipher(t, k, h)
		plaintext := []byte("sealed and opened in the same buffer, as the record layer does")
		buf := make([]byte, len(plaintext), len(plaintext)+c.Overhead())
		copy(buf, plaintext)
		sealed := c.Seal(buf[:0], 7, []byte("aad"), buf)
		if &sealed[0] != &buf[0] {
			t.Fatal("Seal did not reuse the buffer")
		}
		opened, err := c.Open(sealed[:0], 7, []byte("aad"), sealed)
		if err != nil || !bytes.Equal(opened, plaintext) {
			t.Fatalf("Open = %q, %v", opened, err)
		}
	})
}

// TestTamperingFails flips every bit position class of every byte of a
// sealed record and of its additional data, and opens it under other
// sequence numbers: all must fail with ErrAuthentication.
func TestTamperingFails(t *testing.T) {
	forEachSuite(t, func(t *testing.T, k Kind, h crypto.Hash) {
		c, _, _ := newTestCipher(t, k, h)
		aad := []byte("version 1, type data, epoch 0, seq 5, length 40")
		sealed := c.Seal(nil, 5, aad, []byte("forty bytes of media that must stay put."))
		for i := range sealed {
			for _, mask := range []byte{0x01, 0x80} {
				bad := bytes.Clone(sealed)
				bad[i] ^= mask
				if _, err := c.Open(nil, 5, aad, bad); !errors.Is(err, ErrAuthentication) {
					t.Fatalf("byte %d ^ %#x of the record: err = %v", i, mask, err)
				}
			}
		}
		for i := range aad {
			bad := bytes.Clone(aad)
			bad[i] ^= 1
			if _, err := c.Open(nil, 5, bad, sealed); !errors.Is(err, ErrAuthentication) {
				t.Fatalf("byte %d of the aad: err = %v", i, err)
			}
		}
		for _, seq := range []uint64{0, 4, 6, 5 | 1<<63} {
			if _, err := c.Open(nil, seq, aad, sealed); !errors.Is(err, ErrAuthentication) {
				t.Fatalf("seq %d: err = %v", seq, err)
			}
		}
		if _, err := c.Open(nil, 5, nil, sealed); !errors.Is(err, ErrAuthentication) {
			t.Fatalf("no aad: err = %v", err)
		}
		if _, err := c.Open(nil, 5, aad, append(bytes.Clone(sealed), 0)); !errors.Is(err, ErrAuthentication) {
			t.Fatalf("an appended byte: err = %v", err)
		}
	})
}

func TestTruncatedRecordsFail(t *testing.T) {
	forEachSuite(t, func(t *testing.T, k Kind, h crypto.Hash) {
		c, _, _ := newTestCipher(t, k, h)
		sealed := c.Seal(nil, 1, nil, bytes.Repeat([]byte{'m'}, 50))
		for n := range len(sealed) {
			if _, err := c.Open(nil, 1, nil, sealed[:n]); !errors.Is(err, ErrAuthentication) {
				t.Fatalf("first %d bytes: err = %v", n, err)
			}
			if _, err := c.Open(nil, 1, nil, sealed[len(sealed)-n:]); !errors.Is(err, ErrAuthentication) {
				t.Fatalf("last %d bytes: err = %v", n, err)
			}
		}
	})
}

func TestOtherKeyFails(t *testing.T) {
	forEachSuite(t, func(t *testing.T, k Kind, h crypto.Hash) {
		c, key, iv := newTestCipher(t, k, h)
		sealed := c.Seal(nil, 3, nil, []byte("media"))
		key[0] ^= 1
		other, err := New(k, h, key, iv)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := other.Open(nil, 3, nil, sealed); !errors.Is(err, ErrAuthentication) {
			t.Fatalf("other key: err = %v", err)
		}
		key[0] ^= 1
		iv[len(iv)-1] ^= 1
		other, _ = New(k, h, key, iv)
		if _, err := other.Open(nil, 3, nil, sealed); !errors.Is(err, ErrAuthentication) {
			t.Fatalf("other iv: err = %v", err)
		}
	})
}

// TestAEADNonceIsIVXorSequence checks the nonce of the AEAD kinds against an
// independent computation of RFC 8446, Section 5.3 with the bare AEAD.
func TestAEADNonceIsIVXorSequence(t *testing.T) {
	for _, k := range []Kind{ChaCha20Poly1305, AES128GCM, AES256GCM} {
		t.Run(k.String(), func(t *testing.T) {
			c, key, iv := newTestCipher(t, k, crypto.SHA256)
			var bare cipher.AEAD
			if k == ChaCha20Poly1305 {
				bare, _ = chacha20poly1305.New(key)
			} else {
				block, _ := aes.NewCipher(key)
				bare, _ = cipher.NewGCM(block)
			}
			seq := uint64(0x0102030405060708)
			nonce := bytes.Clone(iv)
			for i := range 8 {
				nonce[4+i] ^= byte(seq >> (56 - 8*i))
			}
			want := bare.Seal(nil, nonce, []byte("record"), []byte("aad"))
			if got := c.Seal(nil, seq, []byte("aad"), []byte("record")); !bytes.Equal(got, want) {
				t.Fatalf("Seal = %x, want %x", got, want)
			}
		})
	}
}

// TestCBCIVIsEncryptedSequence checks the CBC record IV against an
// independent computation: AES-128 under the IV key of 0^8 || seq.
func TestCBCIVIsEncryptedSequence(t *testing.T) {
	for _, h := range allHashes {
		t.Run(h.String(), func(t *testing.T) {
			c, key, ivKey := newTestCipher(t, AES128CBCHMAC, h)
			ivBlock, _ := aes.NewCipher(ivKey)
			bare, _ := NewCBCHMAC(key, h)
			seen := map[string]bool{}
			for _, seq := range []uint64{0, 1, 2, 1 << 40, math.MaxUint64} {
				var in, iv [16]byte
				binary.BigEndian.PutUint64(in[8:], seq)
				ivBlock.Encrypt(iv[:], in[:])
				if iv == in || seen[string(iv[:])] {
					t.Fatalf("seq %d: iv %x is not a fresh pseudorandom block", seq, iv)
				}
				seen[string(iv[:])] = true
				want := bare.Seal(nil, iv[:], []byte("record"), []byte("aad"))
				if got := c.Seal(nil, seq, []byte("aad"), []byte("record")); !bytes.Equal(got, want) {
					t.Fatalf("seq %d: Seal = %x, want %x", seq, got, want)
				}
			}
		})
	}
}

func TestEraseZeroesKeyMaterial(t *testing.T) {
	forEachSuite(t, func(t *testing.T, k Kind, h crypto.Hash) {
		c, _, _ := newTestCipher(t, k, h)
		held := [][]byte{c.key, c.iv, c.ivKey}
		if cbc, ok := c.aead.(*cbcHMAC); ok {
			held = append(held, cbc.macKey)
		}
		c.Erase()
		for i, b := range held {
			if !bytes.Equal(b, make([]byte, len(b))) {
				t.Fatalf("slice %d not erased: %x", i, b)
			}
		}
	})
}

func TestNewCopiesItsInputs(t *testing.T) {
	forEachSuite(t, func(t *testing.T, k Kind, h crypto.Hash) {
		c, key, iv := newTestCipher(t, k, h)
		sealed := c.Seal(nil, 9, nil, []byte("media"))
		clear(key)
		clear(iv)
		if _, err := c.Open(nil, 9, nil, sealed); err != nil {
			t.Fatalf("clearing the caller's key broke the cipher: %v", err)
		}
	})
}

func FuzzOpen(f *testing.F) {
	for i, k := range allKinds {
		for j, h := range allHashes {
			c, _, _ := newTestCipher(f, k, h)
			sealed := c.Seal(nil, 1, []byte("aad"), []byte("a valid record"))
			f.Add(uint8(i*2+j), uint64(1), []byte("aad"), sealed)
			f.Add(uint8(i*2+j), uint64(0), []byte{}, make([]byte, 32))
		}
	}
	f.Add(uint8(6), uint64(math.MaxUint64), []byte{0}, []byte{})
	f.Fuzz(func(t *testing.T, suite uint8, seq uint64, aad, ciphertext []byte) {
		k := allKinds[int(suite/2)%len(allKinds)]
		h := allHashes[int(suite)%2]
		c, _, _ := newTestCipher(t, k, h)
		// A record this package sealed opens; the fuzzer's input never does,
		// unless it is exactly what Seal would produce.
		if out, err := c.Open(nil, seq, aad, ciphertext); err == nil {
			if !bytes.Equal(c.Seal(nil, seq, aad, out), ciphertext) {
				t.Fatalf("%v: forged record opened", k)
			}
		} else if !errors.Is(err, ErrAuthentication) {
			t.Fatalf("%v: err = %v", k, err)
		}
		sealed := c.Seal(nil, seq, aad, ciphertext)
		if out, err := c.Open(nil, seq, aad, sealed); err != nil || !bytes.Equal(out, ciphertext) {
			t.Fatalf("%v: round trip failed: %v", k, err)
		}
	})
}

func benchmarkRecords(b *testing.B, k Kind, h crypto.Hash) {
	const size = 256 << 10
	c, _, _ := newTestCipher(b, k, h)
	plaintext := make([]byte, size)
	aad := make([]byte, 16)
	buf := make([]byte, 0, size+c.Overhead())
	b.Run("Seal", func(b *testing.B) {
		b.SetBytes(size)
		var seq uint64
		for b.Loop() {
			c.Seal(buf[:0], seq, aad, plaintext)
			seq++
		}
	})
	sealed := c.Seal(nil, 1, aad, plaintext)
	b.Run("Open", func(b *testing.B) {
		b.SetBytes(size)
		for b.Loop() {
			if _, err := c.Open(buf[:0], 1, aad, sealed); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkChaCha20Poly1305(b *testing.B) { benchmarkRecords(b, ChaCha20Poly1305, crypto.SHA256) }
func BenchmarkAES128GCM(b *testing.B)        { benchmarkRecords(b, AES128GCM, crypto.SHA256) }
func BenchmarkAES256GCM(b *testing.B)        { benchmarkRecords(b, AES256GCM, crypto.SHA384) }
func BenchmarkAES128CBCHMACSHA256(b *testing.B) {
	benchmarkRecords(b, AES128CBCHMAC, crypto.SHA256)
}
func BenchmarkAES128CBCHMACSHA384(b *testing.B) {
	benchmarkRecords(b, AES128CBCHMAC, crypto.SHA384)
}
