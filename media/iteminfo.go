package media

import (
	"crypto/rand"
	"errors"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/cryptobyte"

	"securemedia/content"
)

// The info file holds what List, Stat and Open need to describe an item
// (the content.Item fields), sealed under the item's metadata key apart from the
// signed manifest, so that describing an item costs one small decryption
// however many chunks it has.
const (
	infoName    = "info"
	infoVersion = 1
	// labelInfoAAD separates the info record from the meta record, which is
	// sealed under the same key.
	labelInfoAAD = "securemedia v1 item info\x00"
	// maxInfoLen bounds the sealed info file: the strings, the policy, the
	// fixed fields, the nonce and the tag.
	maxInfoLen = MaxPolicyLen + content.MaxTitleLen + content.MaxContentTypeLen + 128
)

var errBadInfo = errors.New("malformed item info")

// marshalInfo encodes the content.Item fields other than the id (the id is bound
// by the seal instead).
func marshalInfo(in *content.Item) ([]byte, error) {
	var b cryptobyte.Builder
	b.AddUint8(infoVersion)
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes([]byte(in.Title)) })
	b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes([]byte(in.ContentType)) })
	b.AddUint64(uint64(in.Size))
	b.AddUint32(uint32(in.ChunkSize))
	b.AddUint32(in.Chunks)
	b.AddUint64(uint64(in.Duration))
	b.AddUint64(uint64(in.Added.UnixNano()))
	b.AddUint32(uint32(len(in.Policy)))
	b.AddBytes(in.Policy)
	return b.Bytes()
}

// parseInfo decodes an info record and checks its invariants, so that a
// record that authenticates but was written by a faulty version is still
// refused. The id is left empty for the caller.
func parseInfo(b []byte) (*content.Item, error) {
	s := cryptobyte.String(b)
	var (
		version              uint8
		title, ctype, policy []byte
		size, dur, added     uint64
		chunkSize, chunks    uint32
	)
	if !s.ReadUint8(&version) || version != infoVersion ||
		!s.ReadUint16LengthPrefixed((*cryptobyte.String)(&title)) ||
		!s.ReadUint8LengthPrefixed((*cryptobyte.String)(&ctype)) ||
		!s.ReadUint64(&size) || !s.ReadUint32(&chunkSize) || !s.ReadUint32(&chunks) ||
		!s.ReadUint64(&dur) || !s.ReadUint64(&added) ||
		!readUint32Prefixed(&s, &policy, MaxPolicyLen) || !s.Empty() {
		return nil, errBadInfo
	}
	if len(title) > content.MaxTitleLen || !utf8.Valid(title) ||
		len(ctype) > content.MaxContentTypeLen || !utf8.Valid(ctype) ||
		size > 1<<62 || dur > 1<<62 || added > 1<<63-1 ||
		content.CheckGeometry(int64(size), int(chunkSize)) != nil ||
		int64(chunks) != content.ChunkCount(int64(size), int(chunkSize)) {
		return nil, errBadInfo
	}
	in := &content.Item{
		Title: string(title), ContentType: string(ctype), Size: int64(size),
		ChunkSize: int(chunkSize), Chunks: chunks, Duration: time.Duration(dur),
		Added: time.Unix(0, int64(added)).UTC(),
	}
	if len(policy) > 0 {
		in.Policy = policy
	}
	return in, nil
}

// sealInfo encrypts an info record under the item's metadata key, bound
// to the item id.
func sealInfo(k *itemKeys, idRaw []byte, in *content.Item) ([]byte, error) {
	plain, err := marshalInfo(in)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, metaNonceSize, metaNonceSize+len(plain)+tagSize)
	rand.Read(nonce)
	return k.meta.Seal(nonce, nonce, plain, append([]byte(labelInfoAAD), idRaw...)), nil
}

// openInfo authenticates and decodes a sealed info record.
func openInfo(k *itemKeys, idRaw []byte, sealed []byte) (*content.Item, error) {
	if len(sealed) < metaNonceSize+tagSize {
		return nil, errors.New("item info truncated")
	}
	plain, err := k.meta.Open(nil, sealed[:metaNonceSize], sealed[metaNonceSize:], append([]byte(labelInfoAAD), idRaw...))
	if err != nil {
		return nil, errors.New("item info does not authenticate")
	}
	return parseInfo(plain)
}
