package signature

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"testing"
)

func testKeys(t *testing.T) map[string]crypto.Signer {
	t.Helper()
	_, ed, _ := ed25519.GenerateKey(rand.Reader)
	p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]crypto.Signer{"ed25519": ed, "p256": p256, "p384": p384, "rsa": rsaKey}
}

func TestSignVerifyEveryKeyType(t *testing.T) {
	content := []byte("transcript hash")
	for name, key := range testKeys(t) {
		for _, pkcs1 := range []bool{false, true} {
			scheme, sig, err := Sign(key, "ctx A", content, Options{AllowPKCS1: pkcs1})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if err := Verify(key.Public(), scheme, "ctx A", content, sig, pkcs1); err != nil {
				t.Errorf("%s pkcs1=%v: a fresh signature does not verify: %v", name, pkcs1, err)
			}
			if err := Verify(key.Public(), scheme, "ctx B", content, sig, pkcs1); !errors.Is(err, ErrInvalid) {
				t.Errorf("%s: a signature for one context verifies for another", name)
			}
			if err := Verify(key.Public(), scheme, "ctx A", []byte("other"), sig, pkcs1); !errors.Is(err, ErrInvalid) {
				t.Errorf("%s: a signature verifies over other content", name)
			}
			bad := append([]byte(nil), sig...)
			bad[len(bad)/2] ^= 1
			if err := Verify(key.Public(), scheme, "ctx A", content, bad, pkcs1); !errors.Is(err, ErrInvalid) {
				t.Errorf("%s: a flipped signature byte verifies", name)
			}
		}
	}
}

func TestPKCS1IsRefusedUnlessAllowed(t *testing.T) {
	key := testKeys(t)["rsa"]
	scheme, sig, err := Sign(key, "ctx", []byte("x"), Options{AllowPKCS1: true})
	if err != nil || scheme != RSAPKCS1SHA256 {
		t.Fatalf("scheme %v err %v", scheme, err)
	}
	if err := Verify(key.Public(), scheme, "ctx", []byte("x"), sig, false); !errors.Is(err, ErrInvalid) {
		t.Fatal("a PKCS#1 v1.5 signature verified where only PSS is allowed")
	}
}

func TestSchemeMustMatchKeyType(t *testing.T) {
	keys := testKeys(t)
	scheme, sig, err := Sign(keys["p256"], "ctx", []byte("x"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []Scheme{ECDSAP384, Ed25519, RSAPSSSHA256, 0x9999} {
		if s == scheme {
			continue
		}
		if err := Verify(keys["p256"].Public(), s, "ctx", []byte("x"), sig, true); !errors.Is(err, ErrInvalid) {
			t.Errorf("scheme %v accepted for a P-256 key", s)
		}
	}
}

func TestShortRSAKeyIsRefused(t *testing.T) {
	k, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := Sign(k, "ctx", nil, Options{}); err == nil {
		t.Fatal("a 1024-bit RSA key was used to sign")
	}
}
