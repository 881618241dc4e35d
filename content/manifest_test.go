package content

import (
	"bytes"
	"crypto"
	"crypto/sha256"
	"errors"
	"reflect"
	"testing"
	"time"

	"securemedia/content/contenttest"
	"securemedia/internal/signature"
)

func testManifest() *Manifest {
	m := &Manifest{
		ID:    ID{0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff},
		Title: "Ода", ContentType: "audio/ogg",
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
	b, err := m.Sign(key, chain)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestManifestRoundTrip(t *testing.T) {
	p := contenttest.NewPKI(t)
	m := testManifest()
	signed := signWith(t, m, p.ContentKey, [][]byte{p.ContentLeaf})
	got, err := VerifyManifest(signed, p.VerifyChain)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, m) {
		t.Fatalf("got %+v\nwant %+v", got, m)
	}
	if got, err := ParseUnverifiedManifest(signed); err != nil || !reflect.DeepEqual(got, m) {
		t.Fatalf("ParseUnverifiedManifest = %+v, %v", got, err)
	}
	info, err := ParseUnverifiedManifestInfo(signed)
	if err != nil || info.ChunkHashes != nil || info.Chunks != m.Chunks || info.Title != m.Title {
		t.Fatalf("ParseUnverifiedManifestInfo = %+v, %v", info, err)
	}
}

func TestManifestRefused(t *testing.T) {
	p := contenttest.NewPKI(t)
	m := testManifest()
	good := signWith(t, m, p.ContentKey, [][]byte{p.ContentLeaf})
	tests := []struct {
		name   string
		signed []byte
	}{
		{"a manifest signed by a key that is not a content-signing key is refused",
			signWith(t, m, p.OtherKey, [][]byte{p.OtherLeaf})},
		{"a manifest signed by another key than its chain's leaf is refused",
			signWith(t, m, p.OtherKey, [][]byte{p.ContentLeaf})},
		{"a manifest whose chain was swapped for another leaf is refused",
			signWith(t, m, p.ContentKey, [][]byte{p.OtherLeaf})},
		{"an empty input is refused", nil},
		{"a truncated manifest is refused", good[:len(good)-1]},
		{"a manifest with trailing bytes is refused", append(bytes.Clone(good), 0)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := VerifyManifest(tc.signed, p.VerifyChain); !errors.Is(err, ErrManifest) {
				t.Fatalf("VerifyManifest = %v, want ErrManifest", err)
			}
		})
	}
	t.Run("every single flipped bit of a manifest is refused", func(t *testing.T) {
		for i := range good {
			for _, bit := range []byte{0x01, 0x80} {
				b := bytes.Clone(good)
				b[i] ^= bit
				if _, err := VerifyManifest(b, p.VerifyChain); err == nil {
					t.Fatalf("flipping bit %#x of byte %d still verifies", bit, i)
				}
			}
		}
	})
	t.Run("a license token's context does not verify a manifest", func(t *testing.T) {
		body, err := m.marshalBody()
		if err != nil {
			t.Fatal(err)
		}
		b, err := signature.SignEnvelope(p.ContentKey, "securemedia v1 license", body, [][]byte{p.ContentLeaf}, manifestLimits)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := VerifyManifest(b, p.VerifyChain); !errors.Is(err, ErrManifest) {
			t.Fatalf("VerifyManifest = %v, want ErrManifest", err)
		}
	})
}

func TestManifestEncodingRefusesInconsistentManifests(t *testing.T) {
	p := contenttest.NewPKI(t)
	tests := []struct {
		name string
		edit func(m *Manifest)
	}{
		{"a chunk count that does not match the size", func(m *Manifest) { m.Chunks = 2; m.ChunkHashes = m.ChunkHashes[:2] }},
		{"fewer hashes than chunks", func(m *Manifest) { m.ChunkHashes = m.ChunkHashes[:2] }},
		{"a chunk size below the minimum", func(m *Manifest) { m.ChunkSize = 1000 }},
		{"a negative duration", func(m *Manifest) { m.Duration = -1 }},
	}
	for _, tc := range tests {
		t.Run(tc.name+" cannot be signed", func(t *testing.T) {
			m := testManifest()
			tc.edit(m)
			if _, err := m.Sign(p.ContentKey, [][]byte{p.ContentLeaf}); err == nil {
				t.Fatal("signed")
			}
		})
	}
}

func TestCheckChunk(t *testing.T) {
	data := [][]byte{bytes.Repeat([]byte{1}, MinChunkSize), bytes.Repeat([]byte{2}, MinChunkSize), {3, 3, 3}}
	m := &Manifest{ID: ID{7}, Size: 2*MinChunkSize + 3, ChunkSize: MinChunkSize, Chunks: 3}
	for _, d := range data {
		m.ChunkHashes = append(m.ChunkHashes, sha256.Sum256(d))
	}
	for i, d := range data {
		if err := m.CheckChunk(uint32(i), d); err != nil {
			t.Fatalf("good chunk %d: %v", i, err)
		}
	}
	flipped := bytes.Clone(data[1])
	flipped[100] ^= 1
	tests := []struct {
		name string
		i    uint32
		data []byte
	}{
		{"a flipped byte fails at that chunk", 1, flipped},
		{"a chunk offered at another index fails", 0, data[1]},
		{"a short last chunk fails", 2, data[2][:2]},
		{"an index past the end fails", 3, data[2]},
		{"the largest index fails", 1<<32 - 1, data[0]},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var ie *IntegrityError
			if err := m.CheckChunk(tc.i, tc.data); !errors.As(err, &ie) || ie.Chunk != int(tc.i) || ie.Item != m.ID {
				t.Fatalf("CheckChunk = %v", err)
			}
		})
	}
}

// FuzzManifest feeds arbitrary bytes to the manifest decoder: it must not
// panic, what decodes must re-encode to the same bytes, and nothing but
// the genuine manifest verifies.
func FuzzManifest(f *testing.F) {
	p := contenttest.NewPKI(f)
	good := signWith(f, testManifest(), p.ContentKey, [][]byte{p.ContentLeaf})
	f.Add(good)
	f.Add(signWith(f, testManifest(), p.OtherKey, [][]byte{p.OtherLeaf}))
	f.Add([]byte{})
	f.Add([]byte{1, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0x04, 0x03, 0, 1, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		if e, err := signature.ParseEnvelope(b, manifestLimits); err == nil {
			if m, err := parseBody(e.Body, true); err == nil {
				body, err := m.marshalBody()
				if err != nil || !bytes.Equal(body, e.Body) {
					t.Fatalf("body re-encoding differs: %v", err)
				}
			}
		}
		m, err := VerifyManifest(b, p.VerifyChain)
		if err == nil && !bytes.Equal(b, good) {
			t.Fatalf("a manifest other than the genuine one verified: %+v", m)
		}
	})
}

// TestSignatureSchemeIsBound checks that a manifest's scheme field cannot
// be swapped for another algorithm.
func TestSignatureSchemeIsBound(t *testing.T) {
	p := contenttest.NewPKI(t)
	e, err := signature.ParseEnvelope(signWith(t, testManifest(), p.ContentKey, [][]byte{p.ContentLeaf}), manifestLimits)
	if err != nil {
		t.Fatal(err)
	}
	e.Scheme = signature.ECDSAP384
	b, _ := e.Marshal(manifestLimits)
	if _, err := VerifyManifest(b, p.VerifyChain); !errors.Is(err, ErrManifest) {
		t.Fatalf("scheme swap: %v", err)
	}
}
