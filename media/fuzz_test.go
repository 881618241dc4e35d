package media

import (
	"bytes"
	"testing"

	"securemedia/content"
)

// FuzzContainerHeader: the header decoder never panics and is canonical.
func FuzzContainerHeader(f *testing.F) {
	h := &header{Cipher: AES256GCM, ChunkSize: content.DefaultChunkSize, Size: 12345}
	h.seal(make([]byte, 32), make([]byte, content.IDSize))
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
		if h.sealedLen() < headerLen || content.ChunkCount(h.Size, h.ChunkSize) > content.MaxChunks {
			t.Fatalf("accepted geometry %+v", h)
		}
	})
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
