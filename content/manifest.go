package content

import (
	"crypto"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/x509"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/cryptobyte"

	"securemedia/internal/signature"
)

// ManifestContext is the signature context of content manifests.
const ManifestContext = "securemedia v1 content manifest"

// Manifest format constants and limits. The body below travels in the
// signed envelope of package signature (DESIGN.md §8):
//
//	struct {
//	    uint8  version = 1;
//	    opaque id[16];
//	    opaque title<0..2^16-1>;
//	    opaque content_type<0..2^8-1>;
//	    uint64 size;
//	    uint32 chunk_size;
//	    uint32 chunks;
//	    uint64 duration_ns;
//	    uint64 created_unix_ns;
//	    opaque chunk_hashes<0..2^32-1>;   // SHA-256 of each plaintext chunk
//	} ManifestBody;
const (
	manifestVersion = 1
	// MaxTitleLen and MaxContentTypeLen bound the manifest's strings (bytes).
	MaxTitleLen       = 1024
	MaxContentTypeLen = 255
	// MaxChainLen bounds the signing chain carried in a manifest.
	MaxChainLen = 8
	// MaxSignedManifestLen bounds the whole signed manifest: the chunk
	// hashes, the longest chain the format allows, the largest signature and
	// 4 KiB for the other fields and the framing. It is about 1.13 MiB; the
	// session's operation bodies carry it in one record (a compile-time
	// check in package message keeps it so).
	MaxSignedManifestLen = 4*(1<<10) + MaxChunks*sha256.Size + MaxChainLen*signature.MaxCertificateLen + signature.MaxSignatureLen
)

// manifestLimits bound the signed envelope of a manifest.
var manifestLimits = signature.EnvelopeLimits{MaxLen: MaxSignedManifestLen, MaxChain: MaxChainLen}

// Manifest describes one item and carries the SHA-256 of each plaintext
// chunk; signed by the content-signing key, it lets the client check every
// chunk before it reaches the player.
type Manifest struct {
	ID          ID
	Title       string
	ContentType string
	Size        int64
	ChunkSize   int
	Chunks      uint32
	Duration    time.Duration
	ChunkHashes [][32]byte
	Created     time.Time
}

// ErrManifest is returned for a manifest that is malformed or whose
// signature does not verify (one error class: no oracle).
var ErrManifest = errors.New("media: invalid content manifest")

// ChunkLen is the plaintext length of chunk i.
func (m *Manifest) ChunkLen(i uint32) int { return ChunkLen(m.Size, m.ChunkSize, i) }

// CheckChunk checks chunk i's plaintext against the manifest in constant
// time; a failure is an *IntegrityError naming the chunk.
func (m *Manifest) CheckChunk(i uint32, data []byte) error {
	if i >= m.Chunks || int64(i) >= int64(len(m.ChunkHashes)) {
		return &IntegrityError{Item: m.ID, Chunk: int(i), Reason: "chunk index out of range"}
	}
	if len(data) != m.ChunkLen(i) {
		return &IntegrityError{Item: m.ID, Chunk: int(i), Reason: fmt.Sprintf("chunk is %d bytes, manifest says %d", len(data), m.ChunkLen(i))}
	}
	sum := sha256.Sum256(data)
	if subtle.ConstantTimeCompare(sum[:], m.ChunkHashes[i][:]) != 1 {
		return &IntegrityError{Item: m.ID, Chunk: int(i), Reason: "chunk hash does not match the signed manifest"}
	}
	return nil
}

// Sign signs the manifest with the content-signing key and encodes it with
// the signer's chain (DER, leaf first).
func (m *Manifest) Sign(signer crypto.Signer, chain [][]byte) ([]byte, error) {
	body, err := m.marshalBody()
	if err != nil {
		return nil, err
	}
	signed, err := signature.SignEnvelope(signer, ManifestContext, body, chain, manifestLimits)
	if err != nil {
		return nil, fmt.Errorf("media: sign manifest: %w", err)
	}
	return signed, nil
}

// VerifyManifest decodes a signed manifest, has verifyChain validate the
// signing chain (the PKI validator with the content-signing usage, supplied
// by the caller), checks the signature under that leaf's key, and only then
// decodes the body. Any failure refuses the manifest with ErrManifest.
func VerifyManifest(signed []byte, verifyChain func(chain [][]byte) (*x509.Certificate, error)) (*Manifest, error) {
	e, err := signature.ParseEnvelope(signed, manifestLimits)
	if err != nil {
		return nil, ErrManifest
	}
	if _, err := e.Verify(ManifestContext, verifyChain); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrManifest, err)
	}
	return parseBody(e.Body, true)
}

// ParseUnverifiedManifest decodes a signed manifest without checking its
// signature: for the media store, whose own seal authenticates what it
// wrote (the signature is for the client). Never use it on a manifest
// that came from elsewhere.
func ParseUnverifiedManifest(signed []byte) (*Manifest, error) {
	return parseUnverified(signed, true)
}

// ParseUnverifiedManifestInfo is ParseUnverifiedManifest without the chunk
// hashes (ChunkHashes is nil), so that describing a large item costs no
// memory per chunk.
func ParseUnverifiedManifestInfo(signed []byte) (*Manifest, error) {
	return parseUnverified(signed, false)
}

func parseUnverified(signed []byte, withHashes bool) (*Manifest, error) {
	e, err := signature.ParseEnvelope(signed, manifestLimits)
	if err != nil {
		return nil, ErrManifest
	}
	return parseBody(e.Body, withHashes)
}

// marshalBody encodes the signed part of the manifest.
func (m *Manifest) marshalBody() ([]byte, error) {
	if err := m.check(); err != nil {
		return nil, err
	}
	var b cryptobyte.Builder
	b.AddUint8(manifestVersion)
	b.AddBytes(m.ID[:])
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes([]byte(m.Title)) })
	b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes([]byte(m.ContentType)) })
	b.AddUint64(uint64(m.Size))
	b.AddUint32(uint32(m.ChunkSize))
	b.AddUint32(m.Chunks)
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
	if int64(len(m.ChunkHashes)) != int64(m.Chunks) {
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
	case CheckGeometry(m.Size, m.ChunkSize) != nil:
		return fmt.Errorf("%w: size %d and chunk size %d", ErrManifest, m.Size, m.ChunkSize)
	case int64(m.Chunks) != ChunkCount(m.Size, m.ChunkSize):
		return fmt.Errorf("%w: chunk count does not match the size", ErrManifest)
	case m.Duration < 0:
		return fmt.Errorf("%w: negative duration", ErrManifest)
	}
	return nil
}

// parseBody decodes a manifest body; without withHashes it checks the
// chunk hashes' length but leaves ChunkHashes nil.
func parseBody(body []byte, withHashes bool) (*Manifest, error) {
	s := cryptobyte.String(body)
	var (
		version                  uint8
		id, title, ctype, hashes []byte
		size, dur, created       uint64
		chunkSize, chunks        uint32
		hashesLen                uint32
	)
	if !s.ReadUint8(&version) || version != manifestVersion ||
		!s.ReadBytes(&id, IDSize) ||
		!s.ReadUint16LengthPrefixed((*cryptobyte.String)(&title)) ||
		!s.ReadUint8LengthPrefixed((*cryptobyte.String)(&ctype)) ||
		!s.ReadUint64(&size) || !s.ReadUint32(&chunkSize) || !s.ReadUint32(&chunks) ||
		!s.ReadUint64(&dur) || !s.ReadUint64(&created) ||
		!s.ReadUint32(&hashesLen) || hashesLen > MaxChunks*sha256.Size || !s.ReadBytes(&hashes, int(hashesLen)) ||
		!s.Empty() {
		return nil, ErrManifest
	}
	if size > 1<<62 || dur > 1<<62 || chunks > MaxChunks || len(hashes) != int(chunks)*sha256.Size {
		return nil, ErrManifest
	}
	m := &Manifest{
		ID: ID(id), Title: string(title), ContentType: string(ctype),
		Size: int64(size), ChunkSize: int(chunkSize), Chunks: chunks,
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
