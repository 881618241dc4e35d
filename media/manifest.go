package media

import (
	"crypto/sha256"
	"crypto/subtle"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/cryptobyte"

	"securemedia/internal/signature"
)

// A compile-time check that the largest signed manifest fits in one record
// of the session protocol (the constant would overflow uint otherwise).
const _ = uint(maxManifestRecordLen - MaxSignedManifestLen)

// ManifestContext is the signature context of content manifests.
const ManifestContext = "securemedia v1 content manifest"

// Manifest format constants and limits.
const (
	manifestVersion = 1
	// MaxTitleLen and MaxContentTypeLen bound the manifest's strings (bytes).
	MaxTitleLen       = 1024
	MaxContentTypeLen = 255
	// MaxChainLen bounds the signing chain carried in a manifest.
	MaxChainLen = 8
	// maxCertLen bounds one DER certificate in the chain.
	maxCertLen = 16 << 10
	// maxSignatureLen covers RSA-8192 with room to spare.
	maxSignatureLen = 1024
	// MaxSignedManifestLen bounds the whole signed manifest: the chunk
	// hashes, the longest chain the format allows, the largest signature and
	// 4 KiB for the other fields and the framing. It is about 1.13 MiB and
	// must stay within maxManifestRecordLen.
	MaxSignedManifestLen = 4*(1<<10) + MaxChunks*sha256.Size + MaxChainLen*maxCertLen + maxSignatureLen
	// maxManifestRecordLen is what one operation body of the session
	// protocol can carry (protocol's limit, 2 MiB): a signed manifest goes to
	// the client in one record, so every manifest Add writes must fit.
	maxManifestRecordLen = 2 << 20
	// idLen is the raw length of a media id (128 bits).
	idLen = 16
)

// Manifest describes one item and carries the SHA-256 of each plaintext
// chunk; signed by the content-signing key, it lets the client check every
// chunk before it reaches the player.
type Manifest struct {
	ID          string
	Title       string
	ContentType string
	Size        int64
	ChunkSize   int
	Chunks      int
	Duration    time.Duration
	ChunkHashes [][32]byte
	Created     time.Time
}

// ErrManifest is returned for a manifest that is malformed or whose
// signature does not verify (one error class: no oracle).
var ErrManifest = errors.New("media: invalid content manifest")

// ChunkLen is the plaintext length of chunk i.
func (m *Manifest) ChunkLen(i int) int { return chunkLen(m.Size, m.ChunkSize, i) }

// CheckChunk checks chunk i's plaintext against the manifest in constant
// time; a failure is an *IntegrityError.
func (m *Manifest) CheckChunk(i int, data []byte) error {
	if i < 0 || i >= m.Chunks || i >= len(m.ChunkHashes) {
		return &IntegrityError{Item: m.ID, Chunk: i, Reason: "chunk index out of range"}
	}
	if len(data) != m.ChunkLen(i) {
		return &IntegrityError{Item: m.ID, Chunk: i, Reason: fmt.Sprintf("chunk is %d bytes, manifest says %d", len(data), m.ChunkLen(i))}
	}
	sum := sha256.Sum256(data)
	if subtle.ConstantTimeCompare(sum[:], m.ChunkHashes[i][:]) != 1 {
		return &IntegrityError{Item: m.ID, Chunk: i, Reason: "chunk hash does not match the signed manifest"}
	}
	return nil
}

// marshalBody encodes the signed part of the manifest.
func (m *Manifest) marshalBody() ([]byte, error) {
	id, err := parseID(m.ID)
	if err != nil {
		return nil, err
	}
	if err := m.check(); err != nil {
		return nil, err
	}
	var b cryptobyte.Builder
	b.AddUint8(manifestVersion)
	b.AddBytes(id)
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes([]byte(m.Title)) })
	b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes([]byte(m.ContentType)) })
	b.AddUint64(uint64(m.Size))
	b.AddUint32(uint32(m.ChunkSize))
	b.AddUint32(uint32(m.Chunks))
	b.AddUint64(uint64(m.Duration))
	b.AddUint64(uint64(m.Created.UnixNano()))
	b.AddUint32LengthPrefixed(func(b *cryptobyte.Builder) {
		for _, h := range m.ChunkHashes {
			b.AddBytes(h[:])
		}
	})
	return b.Bytes()
}

// check enforces the manifest's invariants before encoding.
func (m *Manifest) check() error {
	if err := m.checkFields(); err != nil {
		return err
	}
	if len(m.ChunkHashes) != m.Chunks {
		return fmt.Errorf("%w: %d chunk hashes for %d chunks", ErrManifest, len(m.ChunkHashes), m.Chunks)
	}
	return nil
}

// checkFields enforces the invariants of the fields other than the hashes
// (the decoder checks the hashes' length itself).
func (m *Manifest) checkFields() error {
	switch {
	case len(m.Title) > MaxTitleLen || !utf8.ValidString(m.Title):
		return fmt.Errorf("%w: title too long or not UTF-8", ErrManifest)
	case len(m.ContentType) > MaxContentTypeLen || !utf8.ValidString(m.ContentType):
		return fmt.Errorf("%w: content type too long or not UTF-8", ErrManifest)
	case checkGeometry(m.Size, m.ChunkSize) != nil:
		return fmt.Errorf("%w: size %d and chunk size %d", ErrManifest, m.Size, m.ChunkSize)
	case int64(m.Chunks) != chunkCount(m.Size, m.ChunkSize):
		return fmt.Errorf("%w: chunk count does not match the size", ErrManifest)
	case m.Duration < 0:
		return fmt.Errorf("%w: negative duration", ErrManifest)
	}
	return nil
}

func parseBody(body []byte) (*Manifest, error) { return parseBodyFields(body, true) }

// parseBodyFields decodes a manifest body; without withHashes it checks
// the chunk hashes' length but leaves ChunkHashes nil, so that describing
// a large item costs no memory per chunk.
func parseBodyFields(body []byte, withHashes bool) (*Manifest, error) {
	s := cryptobyte.String(body)
	var (
		version                  uint8
		id, title, ctype, hashes []byte
		size, dur, created       uint64
		chunkSize, chunks        uint32
	)
	if !s.ReadUint8(&version) || version != manifestVersion ||
		!s.ReadBytes(&id, idLen) ||
		!s.ReadUint16LengthPrefixed((*cryptobyte.String)(&title)) ||
		!s.ReadUint8LengthPrefixed((*cryptobyte.String)(&ctype)) ||
		!s.ReadUint64(&size) || !s.ReadUint32(&chunkSize) || !s.ReadUint32(&chunks) ||
		!s.ReadUint64(&dur) || !s.ReadUint64(&created) ||
		!readUint32Prefixed(&s, &hashes, MaxChunks*sha256.Size) || !s.Empty() {
		return nil, ErrManifest
	}
	if size > 1<<62 || dur > 1<<62 || chunks > MaxChunks || len(hashes) != int(chunks)*sha256.Size {
		return nil, ErrManifest
	}
	m := &Manifest{
		ID: hex.EncodeToString(id), Title: string(title), ContentType: string(ctype),
		Size: int64(size), ChunkSize: int(chunkSize), Chunks: int(chunks),
		Duration: time.Duration(dur), Created: time.Unix(0, int64(created)).UTC(),
	}
	if err := m.checkFields(); err != nil {
		return nil, err
	}
	if withHashes {
		m.ChunkHashes = make([][32]byte, chunks)
		for i := range m.ChunkHashes {
			copy(m.ChunkHashes[i][:], hashes[i*sha256.Size:])
		}
	}
	return m, nil
}

// signedManifest is the wire form: the body, the signing chain (DER, leaf
// first), the scheme and the signature over SHA-256(body).
type signedManifest struct {
	body   []byte
	chain  [][]byte
	scheme signature.Scheme
	sig    []byte
}

func (sm *signedManifest) marshal() ([]byte, error) {
	if len(sm.chain) == 0 || len(sm.chain) > MaxChainLen {
		return nil, fmt.Errorf("media: content-signing chain of %d certificates (want 1..%d)", len(sm.chain), MaxChainLen)
	}
	var b cryptobyte.Builder
	b.AddUint8(manifestVersion)
	b.AddUint32LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(sm.body) })
	b.AddUint8(uint8(len(sm.chain)))
	for _, c := range sm.chain {
		if len(c) == 0 || len(c) > maxCertLen {
			return nil, fmt.Errorf("media: content-signing certificate of %d bytes", len(c))
		}
		b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(c) })
	}
	b.AddUint16(uint16(sm.scheme))
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(sm.sig) })
	return b.Bytes()
}

func parseSignedManifest(b []byte) (*signedManifest, error) {
	if len(b) > MaxSignedManifestLen {
		return nil, ErrManifest
	}
	s := cryptobyte.String(b)
	var version, n uint8
	var sm signedManifest
	if !s.ReadUint8(&version) || version != manifestVersion ||
		!readUint32Prefixed(&s, &sm.body, MaxSignedManifestLen) ||
		!s.ReadUint8(&n) || n == 0 || n > MaxChainLen {
		return nil, ErrManifest
	}
	for range n {
		var c []byte
		if !s.ReadUint24LengthPrefixed((*cryptobyte.String)(&c)) || len(c) == 0 || len(c) > maxCertLen {
			return nil, ErrManifest
		}
		sm.chain = append(sm.chain, c)
	}
	var scheme uint16
	if !s.ReadUint16(&scheme) || !s.ReadUint16LengthPrefixed((*cryptobyte.String)(&sm.sig)) ||
		len(sm.sig) == 0 || len(sm.sig) > maxSignatureLen || !s.Empty() {
		return nil, ErrManifest
	}
	sm.scheme = signature.Scheme(scheme)
	return &sm, nil
}

// VerifyManifest decodes a signed manifest, has verifyChain validate the
// signing chain (the PKI validator with the content-signing usage, supplied
// by the caller), checks the signature under that leaf's key, and only then
// decodes the body. Any failure refuses the manifest.
func VerifyManifest(signed []byte, verifyChain func(chain [][]byte) (*x509.Certificate, error)) (*Manifest, error) {
	sm, err := parseSignedManifest(signed)
	if err != nil {
		return nil, err
	}
	leaf, err := verifyChain(sm.chain)
	if err != nil {
		return nil, fmt.Errorf("%w: content-signing chain: %w", ErrManifest, err)
	}
	if leaf == nil {
		return nil, fmt.Errorf("%w: content-signing chain: no leaf", ErrManifest)
	}
	digest := sha256.Sum256(sm.body)
	if err := signature.Verify(leaf.PublicKey, sm.scheme, ManifestContext, digest[:], sm.sig, false); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrManifest, err)
	}
	return parseBody(sm.body)
}

// parseID decodes a media id: 32 lower-case hex characters.
func parseID(id string) ([]byte, error) {
	if !ValidID(id) {
		return nil, fmt.Errorf("media: malformed id %q", truncate(id, 40))
	}
	return hex.DecodeString(id)
}

// ValidID reports whether id is a well-formed media id (32 lower-case hex
// characters), checked before an id ever touches the filesystem.
func ValidID(id string) bool {
	if len(id) != 2*idLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// readUint32Prefixed reads a 32-bit length-prefixed field of at most max
// bytes (cryptobyte has the builder side only).
func readUint32Prefixed(s *cryptobyte.String, out *[]byte, max int) bool {
	var n uint32
	return s.ReadUint32(&n) && int64(n) <= int64(max) && s.ReadBytes(out, int(n))
}
