package provision

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/asn1"
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
