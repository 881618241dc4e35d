package media

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
	"unicode/utf8"

	"securemedia/content"
	"securemedia/internal/fsutil"
)

// AddOptions describe an item being added.
type AddOptions struct {
	Title       string
	ContentType string
	// ChunkSize is the chunk size in bytes; zero means content.DefaultChunkSize.
	ChunkSize int
	// Duration is the playing time when known (the CLI asks ffprobe).
	Duration time.Duration
	// Policy is the license policy, stored opaque for the license layer.
	Policy json.RawMessage
}

func (o *AddOptions) check() error {
	switch {
	case content.CheckGeometry(0, o.ChunkSize) != nil:
		return fmt.Errorf("media: chunk size %d out of range %d..%d", o.ChunkSize, content.MinChunkSize, content.MaxChunkSize)
	case len(o.Title) > content.MaxTitleLen || !utf8.ValidString(o.Title):
		return fmt.Errorf("media: title longer than %d bytes or not UTF-8", content.MaxTitleLen)
	case len(o.ContentType) > content.MaxContentTypeLen || !utf8.ValidString(o.ContentType):
		return fmt.Errorf("media: content type longer than %d bytes or not UTF-8", content.MaxContentTypeLen)
	case len(o.Policy) > MaxPolicyLen:
		return fmt.Errorf("media: policy longer than %d bytes", MaxPolicyLen)
	case o.Duration < 0:
		return errors.New("media: negative duration")
	}
	return nil
}

// Add encrypts r into a new item as it reads it: memory is O(chunk size)
// and no plaintext is ever written to disk. The item is built in a
// temporary directory and renamed into place once complete, so a failed or
// interrupted Add leaves no item; the directory is removed when Add fails
// (a reader that fails because its caller was interrupted makes Add
// fail), and is left only by a process that dies, for CleanTemporary. An
// empty input is refused (ErrEmpty). The manifest (with the SHA-256 of every
// chunk) is signed with the content-signing key. An input longer than
// MaxChunks chunks of the chosen size is refused with a *TooLargeError as
// soon as the stream passes the limit, since its manifest could not be
// carried to a client.
func (s *Store) Add(r io.Reader, o AddOptions) (content.Item, error) {
	if s.opts.ContentSigner == nil || len(s.opts.ContentChain) == 0 {
		return content.Item{}, errors.New("media: no content-signing key and certificate configured")
	}
	if o.ChunkSize == 0 {
		o.ChunkSize = content.DefaultChunkSize
	}
	if err := o.check(); err != nil {
		return content.Item{}, err
	}
	var id content.ID
	rand.Read(id[:])
	idRaw := id[:]

	tmp, unlock, err := s.newAddDir()
	if err != nil {
		return content.Item{}, fmt.Errorf("media: add: %w", err)
	}
	committed := false
	defer func() {
		if !committed {
			os.RemoveAll(tmp)
		}
		unlock()
	}()

	dataKey := make([]byte, dataKeySize)
	rand.Read(dataKey)
	defer clear(dataKey)
	keys, err := deriveItemKeys(s.opts.Cipher, dataKey)
	if err != nil {
		return content.Item{}, err
	}
	defer keys.erase()

	h := &header{Cipher: s.opts.Cipher, ChunkSize: o.ChunkSize}
	hashes, err := sealContent(filepath.Join(tmp, contentName), r, h, keys, idRaw, s.maxChunks)
	if err != nil {
		return content.Item{}, fmt.Errorf("media: add: %w", err)
	}

	m := &content.Manifest{
		ID: id, Title: o.Title, ContentType: o.ContentType, Size: h.Size,
		ChunkSize: h.ChunkSize, Chunks: uint32(len(hashes)), Duration: o.Duration,
		ChunkHashes: hashes, Created: s.opts.Now().UTC().Round(0),
	}
	signed, err := m.Sign(s.opts.ContentSigner, s.opts.ContentChain)
	if err != nil {
		return content.Item{}, err
	}
	sealedMeta, err := (&itemMeta{signedManifest: signed, policy: o.Policy}).seal(keys, idRaw)
	if err != nil {
		return content.Item{}, err
	}
	if err := fsutil.WriteFileAtomic(filepath.Join(tmp, metaName), sealedMeta, 0o600); err != nil {
		return content.Item{}, fmt.Errorf("media: add: %w", err)
	}
	info := content.Item{
		ID: id, Title: m.Title, ContentType: m.ContentType, Size: m.Size, ChunkSize: m.ChunkSize,
		Chunks: m.Chunks, Duration: m.Duration, Added: m.Created, Policy: o.Policy,
	}
	sealedInfo, err := sealInfo(keys, idRaw, &info)
	if err != nil {
		return content.Item{}, fmt.Errorf("media: add: %w", err)
	}
	if err := fsutil.WriteFileAtomic(filepath.Join(tmp, infoName), sealedInfo, 0o600); err != nil {
		return content.Item{}, fmt.Errorf("media: add: %w", err)
	}
	if err := s.commitItem(tmp, id, dataKey); err != nil {
		return content.Item{}, err
	}
	committed = true
	return info, nil
}

// commitItem wraps the data key under the current KEK and renames the
// finished item into place, both under the KEK lock so that a concurrent
// Rekey sees the item either not at all or complete.
func (s *Store) commitItem(tmp string, id content.ID, dataKey []byte) error {
	kek := s.lockKEK()
	defer s.mu.RUnlock()
	wrapped, err := kek.Wrap(dataKey, id.String())
	if err != nil {
		return fmt.Errorf("media: wrap data key: %w", err)
	}
	if err := writeWrappedKey(filepath.Join(tmp, keyName), &wrappedKey{kekID: kek.ID(), wrapped: wrapped}); err != nil {
		return fmt.Errorf("media: add: %w", err)
	}
	// The lock file does not belong in the item. Unlinked while its lock
	// is still held, the directory is not taken for stale meanwhile: it
	// is then as new as this change.
	if err := os.Remove(filepath.Join(tmp, addLockName)); err != nil {
		return fmt.Errorf("media: add: %w", err)
	}
	if err := os.Rename(tmp, s.itemDir(id)); err != nil {
		return fmt.Errorf("media: add: %w", err)
	}
	syncDir(s.dir)
	return nil
}

// syncDir makes a rename durable; failures are harmless (some file systems
// cannot sync directories) and ignored on purpose.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
