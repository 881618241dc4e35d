package kdf

import (
	"bytes"
	"crypto"
	"crypto/hmac"
	"encoding/hex"
	"strings"
	"testing"
)

// tls13Prefix is TLS 1.3's label prefix, used to run our code against the
// published RFC 8448 trace.
const tls13Prefix = "tls13 "

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatalf("bad hex in test vector: %v", err)
	}
	return b
}

func assertHex(t *testing.T, name string, got []byte, want string) {
	t.Helper()
	if hex.EncodeToString(got) != strings.ReplaceAll(want, " ", "") {
		t.Errorf("%s = %x, want %s", name, got, want)
	}
}

// TestRFC8448SimpleHandshake checks the key schedule primitives against
// RFC 8448, Section 3 ("Simple 1-RTT Handshake"), with the "tls13 " prefix.
func TestRFC8448SimpleHandshake(t *testing.T) {
	h := crypto.SHA256
	emptyHash := h.New().Sum(nil)

	// {server} extract secret "early": salt 0, IKM 32 zero octets.
	early := Extract(h, nil, make([]byte, 32))
	assertHex(t, "early secret", early,
		"33 ad 0a 1c 60 7e c0 3b 09 e6 cd 98 93 68 0c e2 10 ad f3 00 aa 1f 26 60 e1 b2 2e 10 f1 70 f9 2a")

	// {server} derive secret for handshake "tls13 derived".
	derived := deriveSecret(h, tls13Prefix, early, "derived", emptyHash)
	assertHex(t, "derived secret", derived,
		"6f 26 15 a1 08 c7 02 c5 67 8f 54 fc 9d ba b6 97 16 c0 76 18 9c 48 25 0c eb ea c3 57 6c 36 11 ba")

	// {server} extract secret "handshake" from the x25519 shared secret.
	ecdhe := unhex(t, "8b d4 05 4f b5 5b 9d 63 fd fb ac f9 f0 4b 9f 0d 35 e6 d6 3f 53 75 63 ef d4 62 72 90 0f 89 49 2d")
	handshake := Extract(h, derived, ecdhe)
	assertHex(t, "handshake secret", handshake,
		"1d c8 26 e9 36 06 aa 6f dc 0a ad c1 2f 74 1b 01 04 6a a6 b9 9f 69 1e d2 21 a9 f0 ca 04 3f be ac")

	// Hash(ClientHello || ServerHello).
	helloHash := unhex(t, "86 0c 06 ed c0 78 58 ee 8e 78 f0 e7 42 8c 58 ed d6 b4 3f 2c a3 e6 e9 5f 02 ed 06 3c f0 e1 ca d8")
	cHS := deriveSecret(h, tls13Prefix, handshake, "c hs traffic", helloHash)
	assertHex(t, "client handshake traffic secret", cHS,
		"b3 ed db 12 6e 06 7f 35 a7 80 b3 ab f4 5e 2d 8f 3b 1a 95 07 38 f5 2e 96 00 74 6a 0e 27 a5 5a 21")
	sHS := deriveSecret(h, tls13Prefix, handshake, "s hs traffic", helloHash)
	assertHex(t, "server handshake traffic secret", sHS,
		"b6 7b 7d 69 0c c1 6c 4e 75 e5 42 13 cb 2d 37 b4 e9 c9 12 bc de d9 10 5d 42 be fd 59 d3 91 ad 38")

	// {server} derive write traffic keys for handshake data.
	assertHex(t, "server handshake key", expandLabel(h, tls13Prefix, sHS, "key", nil, 16),
		"3f ce 51 60 09 c2 17 27 d0 f2 e4 e8 6e e4 03 bc")
	assertHex(t, "server handshake iv", expandLabel(h, tls13Prefix, sHS, "iv", nil, 12),
		"5d 31 3e b2 67 12 76 ee 13 00 0b 30")
	assertHex(t, "client handshake key", expandLabel(h, tls13Prefix, cHS, "key", nil, 16),
		"db fa a6 93 d1 76 2c 5b 66 6a f5 d9 50 25 8d 01")
	assertHex(t, "client handshake iv", expandLabel(h, tls13Prefix, cHS, "iv", nil, 12),
		"5b d3 c7 1b 83 6e 0b 76 bb 73 26 5f")

	// {server} calculate finished "tls13 finished", over
	// Hash(ClientHello .. CertificateVerify).
	assertHex(t, "server finished key", expandLabel(h, tls13Prefix, sHS, "finished", nil, 32),
		"00 8d 3b 66 f8 16 ea 55 9f 96 b5 37 e8 85 c3 1f c0 68 bf 49 2c 65 2f 01 f2 88 a1 d8 cd c1 9f c8")
	certVerifyHash := unhex(t, "ed b7 72 5f a7 a3 47 3b 03 1e c8 ef 65 a2 48 54 93 90 01 38 a2 b9 12 91 40 7d 79 51 a0 61 10 ed")
	assertHex(t, "server finished", finished(h, tls13Prefix, sHS, certVerifyHash),
		"9b 9b 14 1d 90 63 37 fb d2 cb dc e7 1d f4 de da 4a b4 2c 30 95 72 cb 7f ff ee 54 54 b7 8f 07 18")

	// {server} derive secret "tls13 derived" and extract "master".
	derived2 := deriveSecret(h, tls13Prefix, handshake, "derived", emptyHash)
	assertHex(t, "second derived secret", derived2,
		"43 de 77 e0 c7 77 13 85 9a 94 4d b9 db 25 90 b5 31 90 a6 5b 3e e2 e4 f1 2d d7 a0 bb 7c e2 54 b4")
	master := Extract(h, derived2, make([]byte, 32))
	assertHex(t, "master secret", master,
		"18 df 06 84 3d 13 a0 8b f2 a4 49 84 4c 5f 8a 47 80 01 bc 4d 4c 62 79 84 d5 a4 1d a8 d0 40 29 19")
}

// Known answers for our own prefix, computed once (and cross-checked with an
// independent HKDF implementation) and pinned, so that any change to the
// label encoding or the prefix is caught.
func TestOwnPrefixKnownAnswers(t *testing.T) {
	secret := bytes.Repeat([]byte{0x42}, 48)
	transcript := bytes.Repeat([]byte{0x24}, 32)
	tests := []struct {
		name string
		got  func() []byte
		want string
	}{
		{"extract with SHA-256 and a nil salt", func() []byte { return Extract(crypto.SHA256, nil, secret) }, ownExtract256},
		{"extract with SHA-384 and a nil salt", func() []byte { return Extract(crypto.SHA384, nil, secret) }, ownExtract384},
		{"expand label with SHA-256", func() []byte { return ExpandLabel(crypto.SHA256, secret[:32], "key", transcript, 16) }, ownExpand256},
		{"expand label with SHA-384", func() []byte { return ExpandLabel(crypto.SHA384, secret, "iv", nil, 12) }, ownExpand384},
		{"derive secret with SHA-256", func() []byte { return DeriveSecret(crypto.SHA256, secret[:32], "c hs traffic", transcript) }, ownDerive256},
		{"derive secret with SHA-384", func() []byte { return DeriveSecret(crypto.SHA384, secret, "s ap traffic", transcript) }, ownDerive384},
		{"finished with SHA-256", func() []byte { return Finished(crypto.SHA256, secret[:32], transcript) }, ownFinished256},
		{"finished with SHA-384", func() []byte { return Finished(crypto.SHA384, secret, transcript) }, ownFinished384},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertHex(t, tt.name, tt.got(), tt.want)
		})
	}
}

const (
	ownExtract256  = "e2e506f1628fa68b7f304af6d6ba66488aa528826ef42ee1731c018b272eadf2"
	ownExtract384  = "81bdcc3a4cd95dec7e6cae8deac9bce6883179979174c745a34bde26d3221486eb4cc68cdbaa0f53aff8ec35c9722641"
	ownExpand256   = "ad7e2d61002bc8f6532cb6e1c39f3159"
	ownExpand384   = "0f722b37331d70c6e0d269cf"
	ownDerive256   = "e5130ab6ccdd43437dc33c28483c8c9d2316028f4afb42546611342fd037cb58"
	ownDerive384   = "a9a92b3f04e09ab703dc0394d036a7c93204373048d39241678b8b1bc6a0ac38fc3a18aa69062f95f74f95959b395398"
	ownFinished256 = "7dabc087918183e6da1d03ec2646a3ac267351c72a19fb1a4fa75435fcf74555"
	ownFinished384 = "c35f720efcf1a02d8d6a129aa5eaa927d0781353a5bbd09f80ba60fd3cbb22e1f06ed76f5b27fb3528f5f220feb42169"
)

func TestHkdfLabelEncoding(t *testing.T) {
	got := hkdfLabel(LabelPrefix, "key", []byte{0xaa, 0xbb}, 16)
	want := append([]byte{0x00, 0x10, byte(len(LabelPrefix) + 3)}, LabelPrefix+"key"...)
	want = append(want, 0x02, 0xaa, 0xbb)
	if !bytes.Equal(got, want) {
		t.Fatalf("hkdfLabel = %x, want %x", got, want)
	}
}

func TestOwnPrefixDiffersFromTLS13(t *testing.T) {
	secret := bytes.Repeat([]byte{7}, 32)
	ours := ExpandLabel(crypto.SHA256, secret, "key", nil, 16)
	theirs := expandLabel(crypto.SHA256, tls13Prefix, secret, "key", nil, 16)
	if bytes.Equal(ours, theirs) {
		t.Fatal("our prefix derives the same key as TLS 1.3")
	}
}

func TestDeriveSecretHasHashLength(t *testing.T) {
	for _, h := range []crypto.Hash{crypto.SHA256, crypto.SHA384} {
		t.Run(h.String(), func(t *testing.T) {
			out := DeriveSecret(h, make([]byte, h.Size()), "derived", h.New().Sum(nil))
			if len(out) != h.Size() {
				t.Fatalf("len = %d, want %d", len(out), h.Size())
			}
		})
	}
}

func TestFinishedIsHMACUnderFinishedKey(t *testing.T) {
	h := crypto.SHA384
	base := bytes.Repeat([]byte{1}, h.Size())
	th := bytes.Repeat([]byte{2}, h.Size())
	key := ExpandLabel(h, base, "finished", nil, h.Size())
	mac := hmac.New(h.New, key)
	mac.Write(th)
	if !hmac.Equal(Finished(h, base, th), mac.Sum(nil)) {
		t.Fatal("Finished differs from HMAC(finished_key, transcript hash)")
	}
	if hmac.Equal(Finished(h, base, th), Finished(h, base, bytes.Repeat([]byte{3}, h.Size()))) {
		t.Fatal("Finished does not depend on the transcript hash")
	}
}

func TestProgrammerErrorsPanic(t *testing.T) {
	tests := []struct {
		name string
		call func()
	}{
		{"an output longer than 255 hash blocks panics", func() {
			ExpandLabel(crypto.SHA256, make([]byte, 32), "key", nil, 255*32+1)
		}},
		{"a negative output length panics", func() {
			ExpandLabel(crypto.SHA256, make([]byte, 32), "key", nil, -1)
		}},
		{"a label longer than 255 bytes with its prefix panics", func() {
			ExpandLabel(crypto.SHA256, make([]byte, 32), strings.Repeat("x", 256-len(LabelPrefix)), nil, 16)
		}},
		{"a context longer than 255 bytes panics", func() {
			ExpandLabel(crypto.SHA256, make([]byte, 32), "key", make([]byte, 256), 16)
		}},
		{"an unsupported hash panics", func() {
			Extract(crypto.SHA512, nil, nil)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatal("no panic")
				}
			}()
			tt.call()
		})
	}
}

func TestLongestValidLabelAndOutput(t *testing.T) {
	out := ExpandLabel(crypto.SHA256, make([]byte, 32), strings.Repeat("x", 255-len(LabelPrefix)), make([]byte, 255), 255*32)
	if len(out) != 255*32 {
		t.Fatalf("len = %d", len(out))
	}
}

func TestErase(t *testing.T) {
	a, b := []byte{1, 2, 3}, []byte{4}
	Erase(a, b, nil)
	if !bytes.Equal(a, []byte{0, 0, 0}) || b[0] != 0 {
		t.Fatalf("not erased: %v %v", a, b)
	}
}

func BenchmarkDeriveSecretSHA256(b *testing.B) {
	secret := make([]byte, 32)
	th := make([]byte, 32)
	for b.Loop() {
		DeriveSecret(crypto.SHA256, secret, "c ap traffic", th)
	}
}
