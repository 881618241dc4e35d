package token

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/asn1"
	"math/big"
	"testing"
)

func FuzzParseECPoint(f *testing.F) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		f.Fatal(err)
	}
	raw, err := k.PublicKey.Bytes()
	if err != nil {
		f.Fatal(err)
	}
	wrapped, err := asn1.Marshal(raw)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(raw)
	f.Add(wrapped)
	f.Add([]byte{0x04, 0x41})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		pub, err := parseECPoint(b)
		if err != nil {
			return
		}
		if !pub.Curve.IsOnCurve(pub.X, pub.Y) {
			t.Fatal("accepted a point off the curve")
		}
	})
}

// A bare point begins with 0x04, the OCTET STRING tag, and its next byte
// is random; many keys make sure no bare point is mistaken for a wrapped one.
func TestParseECPointAcceptsBothEncodings(t *testing.T) {
	for range 300 {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := k.PublicKey.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		wrapped, err := asn1.Marshal(raw)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range [][]byte{wrapped, raw} {
			pub, err := parseECPoint(b)
			if err != nil {
				t.Fatalf("parseECPoint(%x): %v", b, err)
			}
			if !pub.Equal(&k.PublicKey) {
				t.Fatalf("parseECPoint(%x) decoded another key", b)
			}
		}
		if _, err := parseECPoint(raw[:40]); err == nil {
			t.Fatal("a truncated point was accepted")
		}
	}
}

func FuzzECDSADER(f *testing.F) {
	f.Add(make([]byte, 64))
	f.Add([]byte{1, 2})
	f.Add([]byte{1})
	f.Fuzz(func(t *testing.T, raw []byte) {
		der, err := ecdsaDER(raw)
		if err != nil {
			return
		}
		var sig struct{ R, S *big.Int }
		rest, err := asn1.Unmarshal(der, &sig)
		if err != nil || len(rest) != 0 {
			t.Fatalf("ecdsaDER produced invalid DER: %v", err)
		}
		half := len(raw) / 2
		if sig.R.Cmp(new(big.Int).SetBytes(raw[:half])) != 0 || sig.S.Cmp(new(big.Int).SetBytes(raw[half:])) != 0 {
			t.Fatal("r or s changed")
		}
	})
}

func TestDecodeULong(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []byte
		ok   bool
	}{
		{"eight bytes decode", []byte{1, 0, 0, 0, 0, 0, 0, 0}, true},
		{"four bytes decode", []byte{1, 0, 0, 0}, true},
		{"three bytes are refused", []byte{1, 0, 0}, false},
		{"nothing is refused", nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := decodeULong(tc.in)
			if (err == nil) != tc.ok {
				t.Fatalf("err = %v", err)
			}
			if tc.ok && hostLittleEndian() && v != 1 {
				t.Errorf("v = %d, want 1", v)
			}
		})
	}
}
