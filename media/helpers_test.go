package media

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/crypto/chacha20"
)

// testContentEKU stands in for the PKI's content-signing EKU: the in-test
// chain check accepts only leaves that carry it.
var testContentEKU = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 55555, 1, 1}

// testTinyArgon2 keeps key derivation cheap in tests.
var testTinyArgon2 = Argon2Params{Time: 1, Memory: 64, Threads: 1}

// testPKI is a root and two leaves: one for content signing, one not.
type testPKI struct {
	root                   *x509.Certificate
	contentKey, otherKey   crypto.Signer
	contentLeaf, otherLeaf []byte
}

func newTestPKI(t testing.TB) *testPKI {
	t.Helper()
	rootKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	rootTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test root"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	rootDER, err := x509.CreateCertificate(rand.Reader, rootTmpl, rootTmpl, rootKey.Public(), rootKey)
	if err != nil {
		t.Fatal(err)
	}
	root, _ := x509.ParseCertificate(rootDER)
	leaf := func(serial int64, ekus []asn1.ObjectIdentifier) (crypto.Signer, []byte) {
		k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: "leaf"},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
			KeyUsage: x509.KeyUsageDigitalSignature, UnknownExtKeyUsage: ekus,
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, root, k.Public(), rootKey)
		if err != nil {
			t.Fatal(err)
		}
		return k, der
	}
	p := &testPKI{root: root}
	p.contentKey, p.contentLeaf = leaf(2, []asn1.ObjectIdentifier{testContentEKU})
	p.otherKey, p.otherLeaf = leaf(3, nil)
	return p
}

// verifyChain is a small stand-in for the PKI validator with the content
// usage: the leaf must be issued by the root and carry the content EKU.
func (p *testPKI) verifyChain(chain [][]byte) (*x509.Certificate, error) {
	if len(chain) == 0 {
		return nil, errors.New("empty chain")
	}
	leaf, err := x509.ParseCertificate(chain[0])
	if err != nil {
		return nil, err
	}
	if err := leaf.CheckSignatureFrom(p.root); err != nil {
		return nil, err
	}
	for _, u := range leaf.UnknownExtKeyUsage {
		if u.Equal(testContentEKU) {
			return leaf, nil
		}
	}
	return nil, errors.New("not a content-signing certificate")
}

// newTestStore opens a store in a fresh directory with a tiny-cost
// passphrase KEK.
func newTestStore(t testing.TB, p *testPKI, c Cipher) (*Store, string) {
	t.Helper()
	dir := t.TempDir()
	kek, err := PassphraseKEK(dir, []byte("correct horse"), testTinyArgon2)
	if err != nil {
		t.Fatal(err)
	}
	s, err := OpenStore(dir, kek, StoreOptions{ContentSigner: p.contentKey, ContentChain: [][]byte{p.contentLeaf}, Cipher: c})
	if err != nil {
		t.Fatal(err)
	}
	return s, dir
}

// genReader is a deterministic stream of n pseudo-random bytes (ChaCha20
// keystream under a seed), so large inputs need no memory or file.
type genReader struct {
	c *chacha20.Cipher
	n int64
}

func newGenReader(seed byte, n int64) *genReader {
	key := bytes.Repeat([]byte{seed}, chacha20.KeySize)
	c, _ := chacha20.NewUnauthenticatedCipher(key, make([]byte, chacha20.NonceSize))
	return &genReader{c: c, n: n}
}

func (g *genReader) Read(p []byte) (int, error) {
	if g.n == 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > g.n {
		p = p[:g.n]
	}
	clear(p)
	g.c.XORKeyStream(p, p)
	g.n -= int64(len(p))
	return len(p), nil
}

// readAll reads every chunk of an item through a Reader.
func readAll(t testing.TB, s *Store, id string) ([]byte, error) {
	t.Helper()
	r, err := s.Open(id)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	var out []byte
	for i := range r.Info().Chunks {
		if out, err = r.Chunk(i, out); err != nil {
			return out, err
		}
	}
	return out, nil
}

func itemFile(dir, id, name string) string { return filepath.Join(dir, mediaDirName, id, name) }

func mustRead(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
