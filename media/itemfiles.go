package media

import (
	"securemedia/internal/fsutil"

	"crypto/rand"
	"encoding/json"
	"errors"
	"path/filepath"

	"golang.org/x/crypto/cryptobyte"

	"securemedia/content"
)

// File names inside the store (see the package documentation).
const (
	mediaDirName   = "media"
	checkFileName  = "kek-check"
	contentName    = "content"
	keyName        = "key"
	keyNextName    = "key.next" // a rewrapped key written by an unfinished rekey
	metaName       = "meta"
	addTempPrefix  = ".add-"
	rmTempPrefix   = ".rm-"
	keyFileVersion = 1
	// checkItemID is the item id the KEK check value is wrapped for; it can
	// never collide with a media id (not hex).
	checkItemID = "kek-check"
)

// Limits on the small per-item files.
const (
	maxKeyFileLen = 4 << 10
	// MaxPolicyLen bounds the license policy stored with an item.
	MaxPolicyLen  = 64 << 10
	maxMetaLen    = content.MaxSignedManifestLen + MaxPolicyLen + 64
	labelMetaAAD  = "securemedia v1 metadata\x00"
	metaVersion   = 1
	metaNonceSize = 12
)

// wrappedKey is the content of a key file: which KEK wrapped the data key,
// and the wrapped key.
type wrappedKey struct {
	kekID   string
	wrapped []byte
}

func (w *wrappedKey) marshal() ([]byte, error) {
	var b cryptobyte.Builder
	b.AddUint8(keyFileVersion)
	b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes([]byte(w.kekID)) })
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(w.wrapped) })
	return b.Bytes()
}

func parseWrappedKey(b []byte) (*wrappedKey, error) {
	s := cryptobyte.String(b)
	var v uint8
	var id, wrapped []byte
	if !s.ReadUint8(&v) || v != keyFileVersion ||
		!s.ReadUint8LengthPrefixed((*cryptobyte.String)(&id)) ||
		!s.ReadUint16LengthPrefixed((*cryptobyte.String)(&wrapped)) || !s.Empty() {
		return nil, errors.New("malformed key file")
	}
	return &wrappedKey{kekID: string(id), wrapped: wrapped}, nil
}

func readWrappedKey(path string) (*wrappedKey, error) {
	b, err := fsutil.ReadFileLimit(path, maxKeyFileLen)
	if err != nil {
		return nil, err
	}
	return parseWrappedKey(b)
}

func writeWrappedKey(path string, w *wrappedKey) error {
	b, err := w.marshal()
	if err != nil {
		return err
	}
	return fsutil.WriteFileAtomic(path, b, 0o600)
}

// itemMeta is what the meta file holds, sealed under the item's metadata key.
type itemMeta struct {
	signedManifest []byte
	policy         json.RawMessage
}

func (m *itemMeta) seal(k *itemKeys, idRaw []byte) ([]byte, error) {
	var b cryptobyte.Builder
	b.AddUint8(metaVersion)
	b.AddUint32(uint32(len(m.signedManifest)))
	b.AddBytes(m.signedManifest)
	b.AddUint32(uint32(len(m.policy)))
	b.AddBytes(m.policy)
	plain, err := b.Bytes()
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, metaNonceSize, metaNonceSize+len(plain)+tagSize)
	rand.Read(nonce)
	return k.meta.Seal(nonce, nonce, plain, append([]byte(labelMetaAAD), idRaw...)), nil
}

func openItemMeta(k *itemKeys, idRaw []byte, sealed []byte) (*itemMeta, error) {
	if len(sealed) < metaNonceSize+tagSize {
		return nil, errors.New("metadata truncated")
	}
	plain, err := k.meta.Open(nil, sealed[:metaNonceSize], sealed[metaNonceSize:], append([]byte(labelMetaAAD), idRaw...))
	if err != nil {
		return nil, errors.New("metadata does not authenticate")
	}
	s := cryptobyte.String(plain)
	var v uint8
	var m itemMeta
	var policy []byte
	if !s.ReadUint8(&v) || v != metaVersion ||
		!readUint32Prefixed(&s, &m.signedManifest, content.MaxSignedManifestLen) ||
		!readUint32Prefixed(&s, &policy, MaxPolicyLen) || !s.Empty() {
		return nil, errors.New("malformed metadata")
	}
	if len(policy) > 0 {
		m.policy = policy
	}
	return &m, nil
}

// itemDir is the directory of a (validated) item id.
func (s *Store) itemDir(id content.ID) string { return filepath.Join(s.dir, id.String()) }

// readUint32Prefixed reads a 32-bit length-prefixed field of at most max
// bytes (cryptobyte has the builder side only).
func readUint32Prefixed(s *cryptobyte.String, out *[]byte, max int) bool {
	var n uint32
	return s.ReadUint32(&n) && int64(n) <= int64(max) && s.ReadBytes(out, int(n))
}
