package protocol

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"io"
	"sync"
	"testing"
)

type ioReader = io.Reader

// testRSAKey is generated once per test binary: RSA key generation is slow.
var testRSAKey = sync.OnceValues(func() (*rsa.PrivateKey, error) {
	return rsa.GenerateKey(rand.Reader, 2048)
})

func mustRSA(t testing.TB) crypto.Signer {
	k, err := testRSAKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}
