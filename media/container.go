package media

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"

	"golang.org/x/crypto/chacha20poly1305"
	"golang.org/x/crypto/cryptobyte"

	"securemedia/content"
)

// Cipher is the AEAD that seals the chunks of an item; the choice is
// recorded in the container header.
type Cipher uint8

// The chunk ciphers. AES-256-GCM is the default (hardware AES on servers);
// ChaCha20-Poly1305 is for machines without it.
const (
	AES256GCM        Cipher = 1
	ChaCha20Poly1305 Cipher = 2
)

func (c Cipher) String() string {
	switch c {
	case AES256GCM:
		return "aes-256-gcm"
	case ChaCha20Poly1305:
		return "chacha20-poly1305"
	}
	return fmt.Sprintf("cipher(%d)", uint8(c))
}

// ParseCipher maps a configuration name to a Cipher; "" means AES-256-GCM.
func ParseCipher(name string) (Cipher, error) {
	switch name {
	case "", "aes-256-gcm":
		return AES256GCM, nil
	case "chacha20-poly1305":
		return ChaCha20Poly1305, nil
	}
	return 0, fmt.Errorf("media: unknown cipher %q (want aes-256-gcm or chacha20-poly1305)", name)
}

// Container format constants (DESIGN.md §8).
const (
	// containerVersion is the only container version this code reads.
	containerVersion = 1
	// headerPrefixLen is magic, version, cipher and chunk size: the fields
	// known before the first chunk is sealed, bound into every chunk's AAD.
	headerPrefixLen = 4 + 1 + 1 + 4
	// headerLen adds the plaintext size and an HMAC-SHA256 over the whole
	// header (the size is only known once the stream ends).
	headerLen = headerPrefixLen + 8 + sha256.Size
	// tagSize is the AEAD tag of both ciphers.
	tagSize = 16
	// dataKeySize is the size of an item's random data key.
	dataKeySize = 32
	// chunkNonceSize is 11 bytes of big-endian counter and 1 flag byte.
	chunkNonceSize = 12
	// lastChunkFlag marks the final chunk in its nonce.
	lastChunkFlag = 0x01
)

// Labels of the keys derived from an item's data key (HKDF-SHA256), so that
// chunks, header and metadata never share a key.
const (
	labelChunkKey  = "securemedia v1 chunk key"
	labelHeaderKey = "securemedia v1 header key"
	labelMetaKey   = "securemedia v1 metadata key"
)

var containerMagic = [4]byte{'S', 'M', 'C', 0}

// header is the container header.
type header struct {
	Cipher    Cipher
	ChunkSize int
	Size      int64
	MAC       [sha256.Size]byte
}

// prefix encodes the header fields known before the stream starts.
func (h *header) prefix() []byte {
	b := make([]byte, 0, headerPrefixLen)
	b = append(b, containerMagic[:]...)
	b = append(b, containerVersion, byte(h.Cipher))
	return binary.BigEndian.AppendUint32(b, uint32(h.ChunkSize))
}

// macInput is what the header MAC covers: the item id and every header
// field, so any edit of the header or a header moved to another item fails.
func (h *header) macInput(itemID []byte) []byte {
	b := append([]byte{}, itemID...)
	b = append(b, h.prefix()...)
	return binary.BigEndian.AppendUint64(b, uint64(h.Size))
}

// seal computes the header MAC under the item's header key.
func (h *header) seal(headerKey []byte, itemID []byte) {
	m := hmac.New(sha256.New, headerKey)
	m.Write(h.macInput(itemID))
	copy(h.MAC[:], m.Sum(nil))
}

// verify checks the header MAC in constant time.
func (h *header) verify(headerKey []byte, itemID []byte) bool {
	m := hmac.New(sha256.New, headerKey)
	m.Write(h.macInput(itemID))
	return hmac.Equal(m.Sum(nil), h.MAC[:])
}

// marshal encodes the header (headerLen bytes).
func (h *header) marshal() []byte {
	b := binary.BigEndian.AppendUint64(h.prefix(), uint64(h.Size))
	return append(b, h.MAC[:]...)
}

var errBadHeader = errors.New("malformed container header")

// parseHeader decodes a container header; it checks the format, not the MAC.
func parseHeader(b []byte) (*header, error) {
	if len(b) != headerLen {
		return nil, errBadHeader
	}
	s := cryptobyte.String(b)
	var magic []byte
	var version, c uint8
	var chunkSize uint32
	var size uint64
	var mac []byte
	if !s.ReadBytes(&magic, 4) || string(magic) != string(containerMagic[:]) ||
		!s.ReadUint8(&version) || version != containerVersion ||
		!s.ReadUint8(&c) || (Cipher(c) != AES256GCM && Cipher(c) != ChaCha20Poly1305) ||
		!s.ReadUint32(&chunkSize) || !s.ReadUint64(&size) ||
		!s.ReadBytes(&mac, sha256.Size) || !s.Empty() {
		return nil, errBadHeader
	}
	if size > 1<<62 || content.CheckGeometry(int64(size), int(chunkSize)) != nil {
		return nil, errBadHeader
	}
	h := &header{Cipher: Cipher(c), ChunkSize: int(chunkSize), Size: int64(size)}
	copy(h.MAC[:], mac)
	return h, nil
}

// sealedLen is the size of the container file for the header's geometry.
func (h *header) sealedLen() int64 {
	n := content.ChunkCount(h.Size, h.ChunkSize)
	return headerLen + h.Size + n*tagSize
}

// chunkOffset is the file offset of sealed chunk i: every sealed chunk has
// the same size except the last, hence random access.
func (h *header) chunkOffset(i uint32) int64 {
	return headerLen + int64(i)*int64(h.ChunkSize+tagSize)
}

// itemKeys are the keys derived from one item's data key.
type itemKeys struct {
	chunks cipher.AEAD
	meta   cipher.AEAD
	header []byte
}

// deriveItemKeys expands the data key into the chunk, metadata and header
// keys. The AEADs keep their own expanded key schedules, which Go gives us
// no way to erase; the intermediate byte slices are erased here.
func deriveItemKeys(c Cipher, dataKey []byte) (*itemKeys, error) {
	chunkKey, err := hkdf.Expand(sha256.New, dataKey, labelChunkKey, 32)
	if err != nil {
		return nil, err
	}
	defer clear(chunkKey)
	metaKey, err := hkdf.Expand(sha256.New, dataKey, labelMetaKey, 32)
	if err != nil {
		return nil, err
	}
	defer clear(metaKey)
	headerKey, err := hkdf.Expand(sha256.New, dataKey, labelHeaderKey, 32)
	if err != nil {
		return nil, err
	}
	k := &itemKeys{header: headerKey}
	if k.chunks, err = newAEAD(c, chunkKey); err != nil {
		return nil, err
	}
	if k.meta, err = newAEAD(c, metaKey); err != nil {
		return nil, err
	}
	return k, nil
}

// erase clears what can be cleared of the item keys.
func (k *itemKeys) erase() {
	clear(k.header)
	k.chunks, k.meta = nil, nil
}

func newAEAD(c Cipher, key []byte) (cipher.AEAD, error) {
	switch c {
	case AES256GCM:
		b, err := aes.NewCipher(key)
		if err != nil {
			return nil, err
		}
		return cipher.NewGCM(b)
	case ChaCha20Poly1305:
		return chacha20poly1305.New(key)
	}
	return nil, fmt.Errorf("media: unknown cipher %d", c)
}

// chunkNonce is the STREAM nonce of chunk i: an 11-byte big-endian counter
// and the last-chunk flag (age's STREAM, DESIGN.md §8).
func chunkNonce(i uint32, last bool) [chunkNonceSize]byte {
	var n [chunkNonceSize]byte
	binary.BigEndian.PutUint64(n[3:11], uint64(i))
	if last {
		n[11] = lastChunkFlag
	}
	return n
}

// chunkAAD binds a chunk to its item and to the header fields fixed before
// sealing, so a chunk moved between items or containers fails.
func chunkAAD(itemID []byte, h *header) []byte {
	return append(append([]byte{}, itemID...), h.prefix()...)
}
