package media

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"securemedia/content"
)

// TestAContainerHeaderOfMoreThanMaxChunksIsRefused: the container holds
// no more chunks than a manifest may describe.
func TestAContainerHeaderOfMoreThanMaxChunksIsRefused(t *testing.T) {
	h := &header{Cipher: AES256GCM, ChunkSize: content.MinChunkSize, Size: content.MaxChunks*content.MinChunkSize + 1}
	if _, err := parseHeader(h.marshal()); err == nil {
		t.Fatal("parseHeader accepted the header")
	}
	h.Size--
	if _, err := parseHeader(h.marshal()); err != nil {
		t.Fatalf("parseHeader refused content.MaxChunks chunks: %v", err)
	}
}

// TestAddRefusesMoreThanMaxChunksAsItStreams reaches the limit with a
// store whose limit is lowered to 4 chunks: at the real limit the smallest
// refused input is content.MaxChunks+1 chunks of content.MinChunkSize, 512 MiB, too much
// for a unit test. The code path is the same (Store.maxChunks).
func TestAddRefusesMoreThanMaxChunksAsItStreams(t *testing.T) {
	p := newTestPKI(t)
	s, dir := newTestStore(t, p, AES256GCM)
	const limit = 4
	s.maxChunks = limit

	t.Run("an input of exactly the limit is added", func(t *testing.T) {
		info, err := s.Add(newGenReader(1, limit*content.MinChunkSize), AddOptions{ChunkSize: content.MinChunkSize})
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
		_, err := s.Add(newGenReader(2, limit*content.MinChunkSize+1), AddOptions{ChunkSize: content.MinChunkSize})
		var tl *TooLargeError
		if !errors.As(err, &tl) || tl.MaxChunks != limit || tl.ChunkSize != content.MinChunkSize {
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
		if _, err := s.Add(g, AddOptions{ChunkSize: content.MinChunkSize}); !errors.As(err, new(*TooLargeError)) {
			t.Fatalf("Add = %v, want TooLargeError", err)
		}
		if read := 1<<50 - g.n; read > (limit+1)*content.MinChunkSize {
			t.Fatalf("read %d bytes, more than the limit and one chunk", read)
		}
		assertStoreEmpty(t, dir)
	})
	t.Run("the same input with a larger chunk size is added", func(t *testing.T) {
		info, err := s.Add(newGenReader(2, limit*content.MinChunkSize+1), AddOptions{ChunkSize: 2 * content.MinChunkSize})
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
		{content.MinChunkSize, "32768 chunks of 16 KiB (512 MiB)"},
		{content.DefaultChunkSize, "32768 chunks of 256 KiB (8 GiB)"},
		{content.MaxChunkSize, "32768 chunks of 4 MiB (128 GiB)"},
	} {
		t.Run("at chunk size "+strconv.Itoa(tc.chunkSize)+" the error says "+tc.want, func(t *testing.T) {
			if got := (&TooLargeError{MaxChunks: content.MaxChunks, ChunkSize: tc.chunkSize}).Error(); !strings.Contains(got, tc.want) {
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
