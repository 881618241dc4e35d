package aead

import (
	"bytes"
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		t.Fatalf("bad hex in test vector: %v", err)
	}
	return b
}

// RFC 7518, Appendix B.1: the inputs shared by both known-answer tests.
const (
	rfc7518P = `41 20 63 69 70 68 65 72 20 73 79 73 74 65 6d 20
		6d 75 73 74 20 6e 6f 74 20 62 65 20 72 65 71 75
		69 72 65 64 20 74 6f 20 62 65 20 73 65 63 72 65
		74 2c 20 61 6e 64 20 69 74 20 6d 75 73 74 20 62
		65 20 61 62 6c 65 20 74 6f 20 66 61 6c 6c 20 69
		6e 74 6f 20 74 68 65 20 68 61 6e 64 73 20 6f 66
		20 74 68 65 20 65 6e 65 6d 79 20 77 69 74 68 6f
		75 74 20 69 6e 63 6f 6e 76 65 6e 69 65 6e 63 65`
	rfc7518IV = `1a f3 8c 2d c2 b9 6f fd d8 66 94 09 23 41 bc 04`
	rfc7518A  = `54 68 65 20 73 65 63 6f 6e 64 20 70 72 69 6e 63
		69 70 6c 65 20 6f 66 20 41 75 67 75 73 74 65 20
		4b 65 72 63 6b 68 6f 66 66 73`
)

func TestRFC7518AppendixB1(t *testing.T) {
	key := unhex(t, `00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f
		10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f`)
	e := unhex(t, `c8 0e df a3 2d df 39 d5 ef 00 c0 b4 68 83 42 79
		a2 e4 6a 1b 80 49 f7 92 f7 6b fe 54 b9 03 a9 c9
		a9 4a c9 b4 7a d2 65 5c 5f 10 f9 ae f7 14 27 e2
		fc 6f 9b 3f 39 9a 22 14 89 f1 63 62 c7 03 23 36
		09 d4 5a c6 98 64 e3 32 1c f8 29 35 ac 40 96 c8
		6e 13 33 14 c5 40 19 e8 ca 79 80 df a4 b9 cf 1b
		38 4c 48 6f 3a 54 c5 10 78 15 8e e5 d7 9d e5 9f
		bd 34 d8 48 b3 d6 95 50 a6 76 46 34 44 27 ad e5
		4b 88 51 ff b5 98 f7 f8 00 74 b9 47 3c 82 e2 db`)
	tag := unhex(t, `65 2c 3f a3 6b 0a 7c 5b 32 19 fa b3 a3 0b c1 c4`)
	checkCBCHMACVector(t, crypto.SHA256, key, e, tag)
}

// The SHA-384 variant has no published vector (RFC 7518 pairs SHA-384 with
// AES-192). This one was computed with OpenSSL's AES-128-CBC and
// HMAC-SHA-384 from the B.1 plaintext, IV and A, with
// K = 00 01 .. 27 (MAC_KEY = K[:24], ENC_KEY = K[24:]).
func TestCBCHMACSHA384KnownAnswer(t *testing.T) {
	key := make([]byte, 40)
	for i := range key {
		key[i] = byte(i)
	}
	e := unhex(t, `adf53b476c7aa62eb1f3450988cd1b0d89295fa0552f9254a4685a48fbfcc3d1
		fa4bc1fad48df16a36de05de8b92d080773ec64021e670a9d3591a836496fff8
		836409d491b9b3329c95008433cd8b4d77b519db9578ee70eb38ca3a951075ce
		cafde20ea62e5454f2d412a4752cd3a1aa2ff79958132129332b9691afd65b88
		6493a80e3a46caf5470729bd2097399c`)
	tag := unhex(t, `fc648d98dd8a692ca3527fd679671466b06766d56c5cc298`)
	checkCBCHMACVector(t, crypto.SHA384, key, e, tag)
}

func checkCBCHMACVector(t *testing.T, h crypto.Hash, key, e, tag []byte) {
	t.Helper()
	p, iv, a := unhex(t, rfc7518P), unhex(t, rfc7518IV), unhex(t, rfc7518A)
	aead, err := NewCBCHMAC(key, h)
	if err != nil {
		t.Fatal(err)
	}
	if aead.NonceSize() != 16 || aead.Overhead() != 16+len(tag) {
		t.Fatalf("NonceSize, Overhead = %d, %d", aead.NonceSize(), aead.Overhead())
	}
	want := append(append([]byte(nil), e...), tag...)
	got := aead.Seal(nil, iv, p, a)
	if !bytes.Equal(got, want) {
		t.Fatalf("Seal =\n%x\nwant\n%x", got, want)
	}
	opened, err := aead.Open(nil, iv, want, a)
	if err != nil || !bytes.Equal(opened, p) {
		t.Fatalf("Open = %q, %v", opened, err)
	}
	for i := range want {
		bad := bytes.Clone(want)
		bad[i] ^= 0x80
		if _, err := aead.Open(nil, iv, bad, a); !errors.Is(err, ErrAuthentication) {
			t.Fatalf("Open with byte %d flipped: err = %v", i, err)
		}
	}
	badA := bytes.Clone(a)
	badA[len(badA)-1] ^= 1
	if _, err := aead.Open(nil, iv, want, badA); !errors.Is(err, ErrAuthentication) {
		t.Fatalf("Open with other A: err = %v", err)
	}
	badIV := bytes.Clone(iv)
	badIV[0] ^= 1
	if _, err := aead.Open(nil, badIV, want, a); !errors.Is(err, ErrAuthentication) {
		t.Fatalf("Open with other IV: err = %v", err)
	}
}

// TestCBCHMACRejectsBadPaddingUnderAValidTag builds ciphertexts whose tag is
// valid but whose padding is not, as only a key holder could, and checks
// that each is refused with the same error as a bad tag.
func TestCBCHMACRejectsBadPaddingUnderAValidTag(t *testing.T) {
	key := bytes.Repeat([]byte{9}, 32)
	a, _ := NewCBCHMAC(key, crypto.SHA256)
	c := a.(*cbcHMAC)
	iv := bytes.Repeat([]byte{1}, 16)
	aad := []byte("header")
	tests := []struct {
		name      string
		lastBlock []byte
	}{
		{"a zero padding byte is rejected", append(bytes.Repeat([]byte{'x'}, 15), 0)},
		{"a padding length above the block size is rejected", append(bytes.Repeat([]byte{'x'}, 15), 17)},
		{"a padding length of 255 is rejected", append(bytes.Repeat([]byte{'x'}, 15), 255)},
		{"padding bytes that disagree with the length are rejected", append(bytes.Repeat([]byte{'x'}, 12), 4, 4, 3, 4)},
		{"a first padding byte that disagrees is rejected", append(bytes.Repeat([]byte{'x'}, 12), 3, 4, 4, 4)},
		{"a full block of padding with one wrong byte is rejected", append([]byte{15}, bytes.Repeat([]byte{16}, 15)...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ct := make([]byte, 16)
			cipher.NewCBCEncrypter(c.block, iv).CryptBlocks(ct, tt.lastBlock)
			sealed := c.tag(ct, iv, ct, aad)
			if _, err := a.Open(nil, iv, sealed, aad); !errors.Is(err, ErrAuthentication) {
				t.Fatalf("Open = %v, want ErrAuthentication", err)
			}
		})
	}
	t.Run("a full block of valid padding opens to the empty plaintext", func(t *testing.T) {
		ct := make([]byte, 16)
		cipher.NewCBCEncrypter(c.block, iv).CryptBlocks(ct, bytes.Repeat([]byte{16}, 16))
		sealed := c.tag(ct, iv, ct, aad)
		out, err := a.Open(nil, iv, sealed, aad)
		if err != nil || len(out) != 0 {
			t.Fatalf("Open = %x, %v", out, err)
		}
	})
}

func TestCheckPadding(t *testing.T) {
	for pad := range 256 {
		block := bytes.Repeat([]byte{byte(pad)}, aes.BlockSize)
		n, ok := checkPadding(block)
		wantOK := pad >= 1 && pad <= aes.BlockSize
		if (ok == 1) != wantOK || (wantOK && n != pad) {
			t.Fatalf("checkPadding(%d repeated) = %d, %d", pad, n, ok)
		}
	}
}

func TestNewCBCHMACRejectsBadParameters(t *testing.T) {
	tests := []struct {
		name string
		key  []byte
		h    crypto.Hash
	}{
		{"a 16-byte key with SHA-256 is rejected", make([]byte, 16), crypto.SHA256},
		{"a 40-byte key with SHA-256 is rejected", make([]byte, 40), crypto.SHA256},
		{"a 32-byte key with SHA-384 is rejected", make([]byte, 32), crypto.SHA384},
		{"SHA-512 is rejected", make([]byte, 48), crypto.SHA512},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := NewCBCHMAC(tt.key, tt.h); err == nil {
				t.Fatal("no error")
			}
		})
	}
}

func TestCBCHMACOpenRejectsWrongNonceLength(t *testing.T) {
	a, _ := NewCBCHMAC(make([]byte, 32), crypto.SHA256)
	if _, err := a.Open(nil, make([]byte, 12), make([]byte, 32), nil); !errors.Is(err, ErrAuthentication) {
		t.Fatalf("err = %v", err)
	}
}
