package pki

import (
	"crypto"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// cheapKDF keeps key-encryption tests fast.
var cheapKDF = KDFParams{Time: 1, MemoryKiB: 64, Threads: 1}

func passphrase(s string) func() ([]byte, error) {
	return func() ([]byte, error) { return []byte(s), nil }
}

func TestSignerRoundTripsForEveryAlgorithm(t *testing.T) {
	for _, alg := range []KeyAlgorithm{ECDSAP256, ECDSAP384, Ed25519} {
		for _, encrypted := range []bool{false, true} {
			name := string(alg) + " unencrypted"
			if encrypted {
				name = string(alg) + " encrypted"
			}
			t.Run(name+" round-trips", func(t *testing.T) {
				key, err := GenerateKey(alg)
				if err != nil {
					t.Fatal(err)
				}
				path := filepath.Join(t.TempDir(), "k.key")
				var pass []byte
				if encrypted {
					pass = []byte("correct horse")
				}
				if err := WriteSignerWithParams(path, key, pass, cheapKDF); err != nil {
					t.Fatal(err)
				}
				st, err := os.Stat(path)
				if err != nil || st.Mode().Perm() != 0o600 {
					t.Fatalf("key file mode %v, want 0600 (%v)", st.Mode().Perm(), err)
				}
				called := false
				got, err := LoadSigner(path, func() ([]byte, error) { called = true; return []byte("correct horse"), nil })
				if err != nil {
					t.Fatal(err)
				}
				if called != encrypted {
					t.Fatalf("passphrase called %v, want %v", called, encrypted)
				}
				type eq interface{ Equal(crypto.PublicKey) bool }
				if !got.Public().(eq).Equal(key.Public()) {
					t.Fatal("loaded a different key")
				}
			})
		}
	}
}

func TestLoadSignerRefusesBadInputClearly(t *testing.T) {
	key, err := GenerateKey(ECDSAP256)
	if err != nil {
		t.Fatal(err)
	}
	enc, err := MarshalSigner(key, []byte("right"), cheapKDF)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := MarshalSigner(key, nil, KDFParams{})
	if err != nil {
		t.Fatal(err)
	}
	tampered := []byte(strings.Replace(string(enc), "Argon2-Time: 1", "Argon2-Time: 2", 1))
	hostile := []byte(strings.Replace(string(enc), "Argon2-Memory: 64", "Argon2-Memory: 4294967295", 1))
	tests := []struct {
		name string
		data []byte
		pass func() ([]byte, error)
		want string
		is   error
	}{
		{name: "a wrong passphrase is refused", data: enc, pass: passphrase("wrong"), want: "wrong passphrase", is: ErrWrongPassphrase},
		{name: "an edited KDF header is refused", data: tampered, pass: passphrase("right"), is: ErrWrongPassphrase},
		{name: "a hostile memory cost is refused before any work", data: hostile, pass: passphrase("right"), want: "out of range"},
		{name: "an encrypted key without a passphrase source is refused", data: enc, want: "no passphrase"},
		{name: "garbage is refused", data: []byte("garbage"), want: "not a PEM private key"},
		{name: "a truncated PEM key is refused", data: plain[:len(plain)-20], want: "truncated or malformed"},
		{name: "a certificate is not a key", data: certPEM(newTestRoot(t, "R", nil).cert), want: `unexpected PEM block "CERTIFICATE"`},
		{name: "data after the key is refused", data: append(append([]byte{}, plain...), 0x30, 0x01), want: "unexpected data"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseSigner(tc.data, tc.pass)
			if err == nil {
				t.Fatal("accepted")
			}
			if tc.want != "" && !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %q, want it to contain %q", err, tc.want)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Fatalf("got %v, want %v", err, tc.is)
			}
		})
	}
}

func FuzzParseSigner(f *testing.F) {
	key, err := GenerateKey(ECDSAP256)
	if err != nil {
		f.Fatal(err)
	}
	plain, _ := MarshalSigner(key, nil, KDFParams{})
	enc, _ := MarshalSigner(key, []byte("pass"), cheapKDF)
	f.Add(plain)
	f.Add(enc)
	f.Add([]byte("-----BEGIN SECUREMEDIA ENCRYPTED PRIVATE KEY-----\nKDF: argon2id\n\n-----END SECUREMEDIA ENCRYPTED PRIVATE KEY-----\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		// Refuse costly parameters from fuzzed headers: the decoder bounds
		// them, but the fuzzer should not spend its time in Argon2id.
		if strings.Contains(string(data), "Argon2-Memory") && !strings.Contains(string(data), "Argon2-Memory: 64\n") {
			return
		}
		k, err := ParseSigner(data, passphrase("pass"))
		if err == nil && k == nil {
			t.Fatal("no error and no key")
		}
	})
}
