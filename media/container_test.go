package media

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"securemedia/content"
)

func TestChunkNonceLayout(t *testing.T) {
	tests := []struct {
		name  string
		i     uint32
		last  bool
		nonce string
	}{
		{"the first chunk has a zero counter and no flag", 0, false, "000000000000000000000000"},
		{"a final first chunk sets only the flag", 0, true, "000000000000000000000001"},
		{"the counter is big-endian in the first eleven bytes", 0x010203, false, "000000000000000001020300"},
		{"a final later chunk has both", 5, true, "000000000000000000000501"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := chunkNonce(tc.i, tc.last)
			if got := hex.EncodeToString(n[:]); got != tc.nonce {
				t.Fatalf("nonce = %s, want %s", got, tc.nonce)
			}
		})
	}
}

// TestContainerLayout opens a stored chunk with crypto/cipher directly,
// following the documented format, to pin the on-disk layout: header,
// HKDF-derived chunk key, STREAM nonce, AAD = item id ‖ header prefix.
func TestContainerLayout(t *testing.T) {
	p := newTestPKI(t)
	s, dir := newTestStore(t, p, AES256GCM)
	data := make([]byte, 2*content.MinChunkSize+10)
	rand.Read(data)
	info, err := s.Add(bytes.NewReader(data), AddOptions{ChunkSize: content.MinChunkSize})
	if err != nil {
		t.Fatal(err)
	}
	w, err := readWrappedKey(itemFile(dir, info.ID, keyName))
	if err != nil {
		t.Fatal(err)
	}
	dataKey, err := s.kek.Unwrap(w.wrapped, info.ID.String())
	if err != nil {
		t.Fatal(err)
	}
	file := mustRead(t, itemFile(dir, info.ID, contentName))
	want := "534d4300" + "01" + "01" + "00004000" + "0000000000008" + "00a"
	if got := hex.EncodeToString(file[:18]); got != want {
		t.Fatalf("header = %s, want %s", got, want)
	}
	chunkKey, _ := hkdf.Expand(sha256.New, dataKey, "securemedia v1 chunk key", 32)
	block, _ := aes.NewCipher(chunkKey)
	gcm, _ := cipher.NewGCM(block)
	idRaw, _ := info.ID[:], error(nil)
	aad := append(idRaw, file[:10]...)
	off := 18 + 32 + 2*(content.MinChunkSize+16)
	nonce, _ := hex.DecodeString("000000000000000000000201")
	plain, err := gcm.Open(nil, nonce, file[off:], aad)
	if err != nil || !bytes.Equal(plain, data[2*content.MinChunkSize:]) {
		t.Fatalf("the last chunk does not open as documented: %v", err)
	}
}
