package media

import (
	"bytes"
	"crypto"
	"crypto/sha256"
	"errors"
	"reflect"
	"testing"
	"time"

	"securemedia/internal/signature"
)

func testManifest() *Manifest {
	m := &Manifest{
		ID: "00112233445566778899aabbccddeeff", Title: "Ода", ContentType: "audio/ogg",
		Size: 2*MinChunkSize + 5, ChunkSize: MinChunkSize, Chunks: 3, Duration: 3 * time.Minute,
		Created: time.Date(2026, 11, 25, 13, 0, 0, 123, time.UTC),
	}
	for i := range m.Chunks {
		m.ChunkHashes = append(m.ChunkHashes, sha256.Sum256([]byte{byte(i)}))
	}
	return m
}

func signWith(t testing.TB, m *Manifest, key crypto.Signer, chain [][]byte) []byte {
	t.Helper()
	s := &Store{opts: StoreOptions{ContentSigner: key, ContentChain: chain}}
	b, err := s.signManifest(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestManifestRoundTrip(t *testing.T) {
	p := newTestPKI(t)
	m := testManifest()
	got, err := VerifyManifest(signWith(t, m, p.contentKey, [][]byte{p.contentLeaf}), p.verifyChain)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, m) {
		t.Fatalf("got %+v\nwant %+v", got, m)
	}
}

func TestManifestRefused(t *testing.T) {
	p := newTestPKI(t)
	m := testManifest()
	good := signWith(t, m, p.contentKey, [][]byte{p.contentLeaf})
	tests := []struct {
		name   string
		signed []byte
	}{
		{"a manifest signed by a key that is not a content-signing key is refused",
			signWith(t, m, p.otherKey, [][]byte{p.otherLeaf})},
		{"a manifest signed by another key than its chain's leaf is refused",
			signWith(t, m, p.otherKey, [][]byte{p.contentLeaf})},
		{"a manifest whose chain was swapped for another leaf is refused",
			signWith(t, m, p.contentKey, [][]byte{p.otherLeaf})},
		{"an empty input is refused", nil},
		{"a truncated manifest is refused", good[:len(good)-1]},
		{"a manifest with trailing bytes is refused", append(bytes.Clone(good), 0)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := VerifyManifest(tc.signed, p.verifyChain); !errors.Is(err, ErrManifest) {
				t.Fatalf("VerifyManifest = %v, want ErrManifest", err)
			}
		})
	}
	t.Run("every single flipped bit of a manifest is refused", func(t *testing.T) {
		for i := range good {
			for _, bit := range []byte{0x01, 0x80} {
				b := bytes.Clone(good)
				b[i] ^= bit
				if _, err := VerifyManifest(b, p.verifyChain); err == nil {
					t.Fatalf("flipping bit %#x of byte %d still verifies", bit, i)
				}
			}
		}
	})
}

func TestManifestEncodingRefusesInconsistentManifests(t *testing.T) {
	p := newTestPKI(t)
	tests := []struct {
		name string
		edit func(m *Manifest)
	}{
		{"a chunk count that does not match the size", func(m *Manifest) { m.Chunks = 2; m.ChunkHashes = m.ChunkHashes[:2] }},
		{"fewer hashes than chunks", func(m *Manifest) { m.ChunkHashes = m.ChunkHashes[:2] }},
		{"a chunk size below the minimum", func(m *Manifest) { m.ChunkSize = 1000 }},
		{"a malformed id", func(m *Manifest) { m.ID = "../x" }},
		{"a negative duration", func(m *Manifest) { m.Duration = -1 }},
	}
	for _, tc := range tests {
		t.Run(tc.name+" cannot be signed", func(t *testing.T) {
			m := testManifest()
			tc.edit(m)
			s := &Store{opts: StoreOptions{ContentSigner: p.contentKey, ContentChain: [][]byte{p.contentLeaf}}}
			if _, err := s.signManifest(m); err == nil {
				t.Fatal("signed")
			}
		})
	}
}

func TestCheckChunk(t *testing.T) {
	data := [][]byte{bytes.Repeat([]byte{1}, MinChunkSize), bytes.Repeat([]byte{2}, MinChunkSize), {3, 3, 3}}
	m := &Manifest{ID: "00112233445566778899aabbccddeeff", Size: 2*MinChunkSize + 3, ChunkSize: MinChunkSize, Chunks: 3}
	for _, d := range data {
		m.ChunkHashes = append(m.ChunkHashes, sha256.Sum256(d))
	}
	for i, d := range data {
		if err := m.CheckChunk(i, d); err != nil {
			t.Fatalf("good chunk %d: %v", i, err)
		}
	}
	flipped := bytes.Clone(data[1])
	flipped[100] ^= 1
	tests := []struct {
		name  string
		i     int
		data  []byte
		chunk int
	}{
		{"a flipped byte fails at that chunk", 1, flipped, 1},
		{"a chunk offered at another index fails", 0, data[1], 0},
		{"a short last chunk fails", 2, data[2][:2], 2},
		{"an index past the end fails", 3, data[2], 3},
		{"a negative index fails", -1, data[0], -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var ie *IntegrityError
			if err := m.CheckChunk(tc.i, tc.data); !errors.As(err, &ie) || ie.Chunk != tc.chunk || ie.Item != m.ID {
				t.Fatalf("CheckChunk = %v", err)
			}
		})
	}
}

// FuzzManifest feeds arbitrary bytes to the manifest decoder: it must not
// panic, what decodes must re-encode to the same bytes, and nothing but
// the genuine manifest verifies.
func FuzzManifest(f *testing.F) {
	p := newTestPKI(f)
	good := signWith(f, testManifest(), p.contentKey, [][]byte{p.contentLeaf})
	f.Add(good)
	f.Add(signWith(f, testManifest(), p.otherKey, [][]byte{p.otherLeaf}))
	f.Add([]byte{})
	f.Add([]byte{1, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0x04, 0x03, 0, 1, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		sm, err := parseSignedManifest(b)
		if err == nil {
			again, err := sm.marshal()
			if err != nil || !bytes.Equal(again, b) {
				t.Fatalf("re-encoding differs: %v", err)
			}
			if m, err := parseBody(sm.body); err == nil {
				body, err := m.marshalBody()
				if err != nil || !bytes.Equal(body, sm.body) {
					t.Fatalf("body re-encoding differs: %v", err)
				}
			}
		}
		m, err := VerifyManifest(b, p.verifyChain)
		if err == nil && !bytes.Equal(b, good) {
			t.Fatalf("a manifest other than the genuine one verified: %+v", m)
		}
	})
}

// FuzzContainerHeader: the header decoder never panics and is canonical.
func FuzzContainerHeader(f *testing.F) {
	h := &header{Cipher: AES256GCM, ChunkSize: DefaultChunkSize, Size: 12345}
	h.seal(make([]byte, 32), make([]byte, idLen))
	f.Add(h.marshal())
	h.Cipher, h.Size = ChaCha20Poly1305, 0
	f.Add(h.marshal())
	f.Add(make([]byte, headerLen))
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := parseHeader(b)
		if err != nil {
			return
		}
		if !bytes.Equal(h.marshal(), b) {
			t.Fatal("header re-encoding differs")
		}
		if h.sealedLen() < headerLen || chunkCount(h.Size, h.ChunkSize) > MaxChunks {
			t.Fatalf("accepted geometry %+v", h)
		}
	})
}

// TestSignatureSchemeIsBound checks that a manifest's scheme field cannot
// be swapped for another algorithm.
func TestSignatureSchemeIsBound(t *testing.T) {
	p := newTestPKI(t)
	sm, err := parseSignedManifest(signWith(t, testManifest(), p.contentKey, [][]byte{p.contentLeaf}))
	if err != nil {
		t.Fatal(err)
	}
	sm.scheme = signature.ECDSAP384
	b, _ := sm.marshal()
	if _, err := VerifyManifest(b, p.verifyChain); !errors.Is(err, ErrManifest) {
		t.Fatalf("scheme swap: %v", err)
	}
}

// FuzzKeyFile: the wrapped-key file decoder never panics and is canonical.
func FuzzKeyFile(f *testing.F) {
	b, _ := (&wrappedKey{kekID: "argon2id:0011223344556677", wrapped: make([]byte, 60)}).marshal()
	f.Add(b)
	f.Add([]byte{1, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		w, err := parseWrappedKey(b)
		if err != nil {
			return
		}
		again, err := w.marshal()
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("re-encoding differs: %v", err)
		}
	})
}
