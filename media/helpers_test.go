package media

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"securemedia/content"
	"securemedia/content/contenttest"
	"testing"

	"golang.org/x/crypto/chacha20"
)

// testTinyArgon2 keeps key derivation cheap in tests.
var testTinyArgon2 = Argon2Params{Time: 1, Memory: 64, Threads: 1}

// testPKI is the throwaway content-signing PKI of the tests.
type testPKI = contenttest.PKI

func newTestPKI(t testing.TB) *testPKI { return contenttest.NewPKI(t) }

// newTestStore opens a store in a fresh directory with a tiny-cost
// passphrase KEK.
func newTestStore(t testing.TB, p *testPKI, c Cipher) (*Store, string) {
	t.Helper()
	dir := t.TempDir()
	kek, err := PassphraseKEK(dir, []byte("correct horse"), testTinyArgon2)
	if err != nil {
		t.Fatal(err)
	}
	s, err := OpenStore(dir, kek, StoreOptions{ContentSigner: p.ContentKey, ContentChain: [][]byte{p.ContentLeaf}, Cipher: c})
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
func readAll(t testing.TB, s *Store, id content.ID) ([]byte, error) {
	t.Helper()
	r, err := s.Open(id)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	var out []byte
	for i := range r.Item().Chunks {
		if out, err = r.Chunk(i, out); err != nil {
			return out, err
		}
	}
	return out, nil
}

func itemFile(dir string, id content.ID, name string) string {
	return filepath.Join(dir, mediaDirName, id.String(), name)
}

func mustRead(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
