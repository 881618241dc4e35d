package media

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"securemedia/content"
)

// sealReference is the container of sealContent written the plain way, one
// chunk after another on one goroutine: the header (sealed over the final
// size), then every chunk sealed with its STREAM nonce, and the hashes of
// the chunks in order.
func sealReference(t *testing.T, plain []byte, c Cipher, keys *itemKeys, idRaw []byte, chunkSize int) ([]byte, [][32]byte) {
	t.Helper()
	h := &header{Cipher: c, ChunkSize: chunkSize}
	aad := chunkAAD(idRaw, h)
	h.Size = int64(len(plain))
	h.seal(keys.header, idRaw)
	out := h.marshal()
	var hashes [][32]byte
	for i := 0; i*chunkSize < len(plain); i++ {
		chunk := plain[i*chunkSize : min((i+1)*chunkSize, len(plain))]
		hashes = append(hashes, sha256.Sum256(chunk))
		nonce := chunkNonce(uint32(i), (i+1)*chunkSize >= len(plain))
		out = keys.chunks.Seal(out, nonce[:], chunk, aad)
	}
	return out, hashes
}

// TestSealContentMatchesTheSequentialReference: the pipeline of sealStream
// writes, byte for byte, the container and hashes of sealReference, for
// sizes around the chunk boundaries and odd and even chunk counts, read
// in uneven pieces.
func TestSealContentMatchesTheSequentialReference(t *testing.T) {
	const cs = content.MinChunkSize
	idRaw := bytes.Repeat([]byte{7}, content.IDSize)
	for _, c := range []Cipher{AES256GCM, ChaCha20Poly1305} {
		keys, err := deriveItemKeys(c, bytes.Repeat([]byte{9}, dataKeySize))
		if err != nil {
			t.Fatal(err)
		}
		for _, size := range []int{0, 1, cs - 1, cs, cs + 1, 2 * cs, 3*cs - 1, 3 * cs, 3*cs + 1, 4 * cs, 9*cs + 5} {
			t.Run(c.String()+"/"+strconv.Itoa(size)+" bytes", func(t *testing.T) {
				plain, err := io.ReadAll(newGenReader(byte(size), int64(size)))
				if err != nil {
					t.Fatal(err)
				}
				path := filepath.Join(t.TempDir(), contentName)
				h := &header{Cipher: c, ChunkSize: cs}
				hashes, err := sealContent(path, iotest.HalfReader(bytes.NewReader(plain)), h, keys, idRaw, content.MaxChunks)
				if size == 0 {
					if !errors.Is(err, ErrEmpty) {
						t.Fatalf("sealContent = %v, want ErrEmpty", err)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				want, wantHashes := sealReference(t, plain, c, keys, idRaw, cs)
				if got := mustRead(t, path); !bytes.Equal(got, want) {
					t.Fatalf("container of %d bytes differs from the reference (%d bytes)", len(got), len(want))
				}
				if len(hashes) != len(wantHashes) {
					t.Fatalf("%d hashes, want %d", len(hashes), len(wantHashes))
				}
				for i := range hashes {
					if hashes[i] != wantHashes[i] {
						t.Fatalf("hash of chunk %d differs", i)
					}
				}
			})
		}
	}
}

var (
	errTestWrite = errors.New("test write failure")
	errTestRead  = errors.New("test read failure")
)

// failingWriter accepts ok writes, then fails every write.
type failingWriter struct{ ok int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.ok == 0 {
		return 0, errTestWrite
	}
	w.ok--
	return len(p), nil
}

// failingReader yields n bytes of r, then fails.
func failingReader(r io.Reader, n int64) io.Reader {
	return io.MultiReader(io.LimitReader(r, n), iotest.ErrReader(errTestRead))
}

// assertNoSealGoroutine fails when a stage of sealStream is still running.
// A goroutine that has returned from its function and is exiting
// (runtime.goexit1 on top: the sealing stage sends its result, which lets
// sealStream return, just before it ends) is not running a stage.
func assertNoSealGoroutine(t *testing.T) {
	t.Helper()
	buf := make([]byte, 1<<20)
	stacks := string(buf[:runtime.Stack(buf, true)])
	for _, g := range strings.Split(stacks, "\n\n") {
		if strings.Contains(g, "runtime.goexit1()") {
			continue
		}
		for _, stage := range []string{"media.sealAndWrite", "media.sealStream"} {
			if strings.Contains(g, stage) {
				t.Fatalf("%s still running after sealStream returned:\n%s", stage, stacks)
			}
		}
	}
}

// TestSealStreamEndsWithTheFailingStagesError: a writer that fails stops
// the reading of an endless input soon after, a reader that fails ends the
// stream, each with its own error, and sealStream returns only once every
// one of its goroutines has ended. Add reports a failing reader's error.
func TestSealStreamEndsWithTheFailingStagesError(t *testing.T) {
	const cs = content.MinChunkSize
	keys, err := deriveItemKeys(AES256GCM, make([]byte, dataKeySize))
	if err != nil {
		t.Fatal(err)
	}
	h := &header{Cipher: AES256GCM, ChunkSize: cs}
	aad := chunkAAD(make([]byte, content.IDSize), h)
	for _, ok := range []int{0, 1, 6} {
		t.Run("a writer failing after "+strconv.Itoa(ok)+" chunks", func(t *testing.T) {
			g := newGenReader(1, 1<<50)
			hashes, size, err := sealStream(&failingWriter{ok: ok}, g, h, keys, aad, content.MaxChunks)
			if !errors.Is(err, errTestWrite) || hashes != nil || size != 0 {
				t.Fatalf("sealStream = %d hashes, %d, %v; want the write error", len(hashes), size, err)
			}
			// The reader may have filled every buffer, and read one more
			// chunk, before it saw the failure.
			if read := 1<<50 - g.n; read > int64(ok+sealPipelineDepth+2+1)*cs {
				t.Fatalf("read %d bytes after the write failed", read)
			}
			assertNoSealGoroutine(t)
		})
	}
	for _, n := range []int64{0, 1, cs, 5*cs + 3} {
		t.Run("a reader failing after "+strconv.FormatInt(n, 10)+" bytes", func(t *testing.T) {
			var w bytes.Buffer
			hashes, size, err := sealStream(&w, failingReader(newGenReader(2, 1<<50), n), h, keys, aad, content.MaxChunks)
			if !errors.Is(err, errTestRead) || hashes != nil || size != 0 {
				t.Fatalf("sealStream = %d hashes, %d, %v; want the read error", len(hashes), size, err)
			}
			assertNoSealGoroutine(t)
		})
	}
	t.Run("Add with a failing reader", func(t *testing.T) {
		s, dir := newTestStore(t, newTestPKI(t), AES256GCM)
		if _, err := s.Add(failingReader(newGenReader(3, 1<<50), 3*content.DefaultChunkSize+1), AddOptions{}); !errors.Is(err, errTestRead) {
			t.Fatalf("Add = %v, want the read error", err)
		}
		assertNoSealGoroutine(t)
		assertStoreEmpty(t, dir)
	})
}
