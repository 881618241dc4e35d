package token

import (
	"encoding/asn1"
	"math/big"
	"testing"
)

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
