package content

import (
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/cryptobyte"

	"securemedia/content/contenttest"
	"securemedia/internal/signature"
)

// largestManifest is a manifest at every limit of the format: MaxChunks
// chunks, the longest title and content type.
func largestManifest() *Manifest {
	m := &Manifest{
		ID: ID{0x00, 0x11, 0x22, 0x33}, Title: strings.Repeat("t", MaxTitleLen),
		ContentType: strings.Repeat("c", MaxContentTypeLen),
		Size:        int64(MaxChunks) * MaxChunkSize, ChunkSize: MaxChunkSize, Chunks: MaxChunks,
		Duration: 1 << 62, Created: time.Date(2026, 11, 25, 13, 0, 0, 0, time.UTC),
		ChunkHashes: make([][32]byte, MaxChunks),
	}
	for i := range m.ChunkHashes {
		m.ChunkHashes[i][0], m.ChunkHashes[i][1] = byte(i), byte(i>>8)
	}
	return m
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// TestTheLargestManifestFitsMaxSignedManifestLen checks that a manifest
// of MaxChunks chunks, signed with a chain of three 2 KiB certificates,
// stays within MaxSignedManifestLen (which package message checks against
// what one operation body carries), and that even the widest chain and
// signature the format allows do.
func TestTheLargestManifestFitsMaxSignedManifestLen(t *testing.T) {
	p := contenttest.NewPKI(t)
	m := largestManifest()
	t.Run("a chain of three 2 KiB certificates with a real signature fits and verifies", func(t *testing.T) {
		chain := [][]byte{randomBytes(2 << 10), randomBytes(2 << 10), randomBytes(2 << 10)}
		signed := signWith(t, m, p.ContentKey, chain)
		if len(signed) > MaxSignedManifestLen {
			t.Fatalf("signed manifest is %d bytes, limit %d", len(signed), MaxSignedManifestLen)
		}
		// The same size with the genuine leaf first verifies end to end.
		chain[0] = p.ContentLeaf
		got, err := VerifyManifest(signWith(t, m, p.ContentKey, chain), p.VerifyChain)
		if err != nil {
			t.Fatal(err)
		}
		if got.Chunks != MaxChunks || len(got.ChunkHashes) != MaxChunks || got.ChunkHashes[MaxChunks-1] != m.ChunkHashes[MaxChunks-1] {
			t.Fatalf("decoded %d chunks, %d hashes", got.Chunks, len(got.ChunkHashes))
		}
	})
	t.Run("the widest chain and signature the format allows fit", func(t *testing.T) {
		body, err := m.marshalBody()
		if err != nil {
			t.Fatal(err)
		}
		chain := make([][]byte, MaxChainLen)
		for i := range chain {
			chain[i] = randomBytes(signature.MaxCertificateLen)
		}
		e := &signature.Envelope{Body: body, Chain: chain, Scheme: signature.ECDSAP384, Signature: randomBytes(signature.MaxSignatureLen)}
		signed, err := e.Marshal(manifestLimits)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ParseUnverifiedManifest(signed); err != nil {
			t.Fatalf("the decoder refuses the largest manifest: %v", err)
		}
	})
}

// manifestBodyWithChunks encodes a manifest body of n chunks of
// MinChunkSize by hand, past the encoder's own checks.
func manifestBodyWithChunks(t *testing.T, n int) []byte {
	t.Helper()
	var b cryptobyte.Builder
	b.AddUint8(manifestVersion)
	b.AddBytes(make([]byte, IDSize))
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {})
	b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) {})
	b.AddUint64(uint64(n) * MinChunkSize)
	b.AddUint32(MinChunkSize)
	b.AddUint32(uint32(n))
	b.AddUint64(0)
	b.AddUint64(0)
	b.AddUint32LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(make([]byte, n*sha256.Size)) })
	body, err := b.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return body
}

func TestTheDecoderRefusesMoreThanMaxChunks(t *testing.T) {
	p := contenttest.NewPKI(t)
	sign := func(body []byte) []byte {
		b, err := signature.SignEnvelope(p.ContentKey, ManifestContext, body, [][]byte{p.ContentLeaf}, manifestLimits)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	t.Run("a genuinely signed manifest of MaxChunks chunks verifies", func(t *testing.T) {
		if _, err := VerifyManifest(sign(manifestBodyWithChunks(t, MaxChunks)), p.VerifyChain); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("a genuinely signed manifest of MaxChunks+1 chunks is refused", func(t *testing.T) {
		if _, err := VerifyManifest(sign(manifestBodyWithChunks(t, MaxChunks+1)), p.VerifyChain); !errors.Is(err, ErrManifest) {
			t.Fatalf("VerifyManifest = %v, want ErrManifest", err)
		}
	})
}
