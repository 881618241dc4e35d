package media

import (
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/cryptobyte"

	"securemedia/internal/signature"
)

// largestManifest is a manifest at every limit of the format: MaxChunks
// chunks, the longest title and content type.
func largestManifest() *Manifest {
	m := &Manifest{
		ID: "00112233445566778899aabbccddeeff", Title: strings.Repeat("t", MaxTitleLen),
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

// TestTheLargestManifestFitsOneProtocolRecord checks that a manifest of
// MaxChunks chunks, signed with a chain of three 2 KiB certificates, stays
// within MaxSignedManifestLen, which stays within the 2 MiB the session
// protocol carries in one operation body; and that even the widest chain
// and signature the format allows do.
func TestTheLargestManifestFitsOneProtocolRecord(t *testing.T) {
	if MaxSignedManifestLen > 2<<20 {
		t.Fatalf("MaxSignedManifestLen = %d, more than 2 MiB", MaxSignedManifestLen)
	}
	p := newTestPKI(t)
	m := largestManifest()
	t.Run("a chain of three 2 KiB certificates with a real signature fits and verifies", func(t *testing.T) {
		chain := [][]byte{randomBytes(2 << 10), randomBytes(2 << 10), randomBytes(2 << 10)}
		signed := signWith(t, m, p.contentKey, chain)
		if len(signed) > MaxSignedManifestLen {
			t.Fatalf("signed manifest is %d bytes, limit %d", len(signed), MaxSignedManifestLen)
		}
		// The same size with the genuine leaf first verifies end to end.
		chain[0] = p.contentLeaf
		got, err := VerifyManifest(signWith(t, m, p.contentKey, chain), p.verifyChain)
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
			chain[i] = randomBytes(maxCertLen)
		}
		signed, err := (&signedManifest{body: body, chain: chain, scheme: signature.ECDSAP384, sig: randomBytes(maxSignatureLen)}).marshal()
		if err != nil {
			t.Fatal(err)
		}
		if len(signed) > MaxSignedManifestLen {
			t.Fatalf("signed manifest is %d bytes, limit %d", len(signed), MaxSignedManifestLen)
		}
		if _, err := parseSignedManifest(signed); err != nil {
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
	b.AddBytes(make([]byte, idLen))
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

func TestDecodersRefuseMoreThanMaxChunks(t *testing.T) {
	p := newTestPKI(t)
	sign := func(body []byte) []byte {
		digest := sha256.Sum256(body)
		scheme, sig, err := signature.Sign(p.contentKey, ManifestContext, digest[:], signature.Options{})
		if err != nil {
			t.Fatal(err)
		}
		b, err := (&signedManifest{body: body, chain: [][]byte{p.contentLeaf}, scheme: scheme, sig: sig}).marshal()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	t.Run("a genuinely signed manifest of MaxChunks chunks verifies", func(t *testing.T) {
		if _, err := VerifyManifest(sign(manifestBodyWithChunks(t, MaxChunks)), p.verifyChain); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("a genuinely signed manifest of MaxChunks+1 chunks is refused", func(t *testing.T) {
		if _, err := VerifyManifest(sign(manifestBodyWithChunks(t, MaxChunks+1)), p.verifyChain); !errors.Is(err, ErrManifest) {
			t.Fatalf("VerifyManifest = %v, want ErrManifest", err)
		}
	})
	t.Run("a container header of MaxChunks+1 chunks is refused", func(t *testing.T) {
		h := &header{Cipher: AES256GCM, ChunkSize: MinChunkSize, Size: MaxChunks*MinChunkSize + 1}
		if _, err := parseHeader(h.marshal()); err == nil {
			t.Fatal("parseHeader accepted the header")
		}
		h.Size--
		if _, err := parseHeader(h.marshal()); err != nil {
			t.Fatalf("parseHeader refused MaxChunks chunks: %v", err)
		}
	})
}

// TestAddRefusesMoreThanMaxChunksAsItStreams reaches the limit with a
// store whose limit is lowered to 4 chunks: at the real limit the smallest
// refused input is MaxChunks+1 chunks of MinChunkSize, 512 MiB, too much
// for a unit test. The code path is the same (Store.maxChunks).
func TestAddRefusesMoreThanMaxChunksAsItStreams(t *testing.T) {
	p := newTestPKI(t)
	s, dir := newTestStore(t, p, AES256GCM)
	const limit = 4
	s.maxChunks = limit

	t.Run("an input of exactly the limit is added", func(t *testing.T) {
		info, err := s.Add(newGenReader(1, limit*MinChunkSize), AddOptions{ChunkSize: MinChunkSize})
		if err != nil {
			t.Fatal(err)
		}
		if info.Chunks != limit {
			t.Fatalf("chunks = %d", info.Chunks)
		}
		if _, err := readAll(t, s, info.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.Remove(info.ID); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("one byte more is refused with the limit and the fix, leaving nothing behind", func(t *testing.T) {
		_, err := s.Add(newGenReader(2, limit*MinChunkSize+1), AddOptions{ChunkSize: MinChunkSize})
		var tl *TooLargeError
		if !errors.As(err, &tl) || tl.MaxChunks != limit || tl.ChunkSize != MinChunkSize {
			t.Fatalf("Add = %v, want TooLargeError", err)
		}
		for _, want := range []string{strconv.Itoa(limit) + " chunks of 16 KiB", "64 KiB", "--chunk-size", "4 MiB"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not say %q", err, want)
			}
		}
		assertStoreEmpty(t, dir)
	})
	t.Run("an endless input is refused as soon as it passes the limit", func(t *testing.T) {
		g := newGenReader(3, 1<<50)
		if _, err := s.Add(g, AddOptions{ChunkSize: MinChunkSize}); !errors.As(err, new(*TooLargeError)) {
			t.Fatalf("Add = %v, want TooLargeError", err)
		}
		if read := 1<<50 - g.n; read > (limit+1)*MinChunkSize {
			t.Fatalf("read %d bytes, more than the limit and one chunk", read)
		}
		assertStoreEmpty(t, dir)
	})
	t.Run("the same input with a larger chunk size is added", func(t *testing.T) {
		info, err := s.Add(newGenReader(2, limit*MinChunkSize+1), AddOptions{ChunkSize: 2 * MinChunkSize})
		if err != nil || info.Chunks != 3 {
			t.Fatalf("Add = %+v, %v", info, err)
		}
	})
}

func TestTooLargeErrorOfTheRealLimitNamesIt(t *testing.T) {
	for _, tc := range []struct {
		chunkSize int
		want      string
	}{
		{MinChunkSize, "32768 chunks of 16 KiB (512 MiB)"},
		{DefaultChunkSize, "32768 chunks of 256 KiB (8 GiB)"},
		{MaxChunkSize, "32768 chunks of 4 MiB (128 GiB)"},
	} {
		t.Run("at chunk size "+strconv.Itoa(tc.chunkSize)+" the error says "+tc.want, func(t *testing.T) {
			if got := (&TooLargeError{MaxChunks: MaxChunks, ChunkSize: tc.chunkSize}).Error(); !strings.Contains(got, tc.want) {
				t.Fatalf("error %q", got)
			}
		})
	}
}

// assertStoreEmpty fails when any item or temporary directory is left.
func assertStoreEmpty(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dir, mediaDirName))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			t.Fatalf("left %s behind", e.Name())
		}
	}
}
