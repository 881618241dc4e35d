package media

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"securemedia/content"
	"securemedia/internal/fsutil"
)

// Opening an item, top to bottom: Open (openReader) has openItem authenticate the item
// and then checks the container's length; openItem opens the content file,
// unwraps the data key (unwrapItemKey), reads and authenticates the
// container header, and describes the item from its info record (loadInfo)
// or, for an item older than info records, from its manifest (loadMeta).
// The formats it reads are with their writers: the header in container.go,
// the key and meta files in itemfiles.go, the info record in iteminfo.go.

// Open opens an item for reading, unwrapping its data key once. The
// container's length is checked against its authenticated header, so a
// truncated or extended file fails here, naming the first damaged chunk.
// The reader is a *Reader.
func (s *Store) Open(id content.ID) (content.ChunkReader, error) {
	r, err := s.openReader(id)
	if err != nil {
		return nil, err
	}
	return r, nil
}

// openReader is Open, for the store's own checks that read the header.
func (s *Store) openReader(id content.ID) (*Reader, error) {
	it, err := s.openItem(id)
	if err != nil {
		return nil, err
	}
	st, err := it.f.Stat()
	if err != nil {
		it.close()
		return nil, fmt.Errorf("media %s: %w", id, err)
	}
	if want := it.h.sealedLen(); st.Size() != want {
		it.close()
		first := -1
		if st.Size() < want {
			first = int((st.Size() - headerLen) / int64(it.h.ChunkSize+tagSize))
		}
		return nil, &content.IntegrityError{Item: id, Chunk: first, Reason: fmt.Sprintf("container is %d bytes, header says %d", st.Size(), want)}
	}
	return &Reader{item: it, aad: chunkAAD(it.idRaw, it.h)}, nil
}

// item is an opened item: its unwrapped keys, header and info.
type item struct {
	id    content.ID
	dir   string
	idRaw []byte
	f     *os.File
	h     *header
	keys  *itemKeys
	info  content.Item
}

// openItem unwraps the item's data key and authenticates its header and
// info record; the signed manifest is read only on demand (loadMeta),
// since it grows with the item. On success the content file is open; the
// caller closes the item (Stat and SignedManifest close it at once).
func (s *Store) openItem(id content.ID) (_ *item, err error) {
	dir := s.itemDir(id)
	f, err := os.Open(filepath.Join(dir, contentName))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("media %s: %w", id, content.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("media %s: %w", id, err)
	}
	defer func() {
		if err != nil {
			f.Close()
		}
	}()
	fail := func(reason string) error { return &content.IntegrityError{Item: id, Chunk: -1, Reason: reason} }

	dataKey, err := s.unwrapItemKey(id, dir)
	if err != nil {
		return nil, err
	}
	defer clear(dataKey)

	hb := make([]byte, headerLen)
	if _, err := f.ReadAt(hb, 0); err != nil {
		return nil, fail("container header truncated")
	}
	h, err := parseHeader(hb)
	if err != nil {
		return nil, fail(err.Error())
	}
	keys, err := deriveItemKeys(h.Cipher, dataKey)
	if err != nil {
		return nil, fmt.Errorf("media %s: %w", id, err)
	}
	if !h.verify(keys.header, id[:]) {
		keys.erase()
		return nil, fail("container header does not authenticate")
	}
	it := &item{id: id, dir: dir, idRaw: id[:], f: f, h: h, keys: keys}
	if err := it.loadInfo(); err != nil {
		keys.erase()
		return nil, err
	}
	return it, nil
}

// unwrapItemKey reads the item's key file and unwraps it under the current
// KEK. A key.next left by an interrupted rekey is used when it, and not
// key, was wrapped by the current KEK. A key wrapped by another KEK than
// the current one means that another process rekeyed the store: the KEK
// is refreshed (RefreshKEK) and the unwrap tried once more, so that the
// item is reopened rather than failed.
func (s *Store) unwrapItemKey(id content.ID, dir string) ([]byte, error) {
	dk, rekeyed, err := s.unwrapUnderCurrent(id, dir)
	if !rekeyed || s.opts.ReloadKEK == nil {
		return dk, err
	}
	if changed, rerr := s.RefreshKEK(); rerr != nil || !changed {
		if rerr != nil {
			return nil, fmt.Errorf("%w; %w", err, rerr)
		}
		return nil, err
	}
	dk, _, err = s.unwrapUnderCurrent(id, dir)
	return dk, err
}

// unwrapUnderCurrent is one try of unwrapItemKey; rekeyed reports a key
// wrapped by another KEK than the current one.
func (s *Store) unwrapUnderCurrent(id content.ID, dir string) (dk []byte, rekeyed bool, err error) {
	kek := s.lockKEK()
	defer s.mu.RUnlock()
	w, err := readWrappedKey(filepath.Join(dir, keyName))
	if err == nil && w.kekID != kek.ID() {
		if next, nerr := readWrappedKey(filepath.Join(dir, keyNextName)); nerr == nil && next.kekID == kek.ID() {
			w = next
		}
	}
	if errors.Is(err, os.ErrNotExist) {
		return nil, false, &content.IntegrityError{Item: id, Chunk: -1, Reason: "key file missing"}
	}
	if err != nil {
		return nil, false, &content.IntegrityError{Item: id, Chunk: -1, Reason: "key file: " + err.Error()}
	}
	dk, err = kek.Unwrap(w.wrapped, id.String())
	if err != nil {
		return nil, w.kekID != kek.ID(), fmt.Errorf("media %s: unwrap data key (wrapped by %s, master key is %s): %w", id, w.kekID, kek.ID(), content.ErrWrongKEK)
	}
	if len(dk) != dataKeySize {
		clear(dk)
		return nil, false, &content.IntegrityError{Item: id, Chunk: -1, Reason: "data key of wrong size"}
	}
	return dk, false, nil
}

// loadInfo authenticates the item's info record and checks it against the
// container header. An item written before info records existed has none:
// its info is then taken from the signed manifest, as it used to be.
func (it *item) loadInfo() error {
	fail := func(reason string) error { return &content.IntegrityError{Item: it.id, Chunk: -1, Reason: reason} }
	sealed, err := fsutil.ReadFileLimit(filepath.Join(it.dir, infoName), maxInfoLen)
	if errors.Is(err, os.ErrNotExist) {
		return it.loadInfoFromManifest()
	}
	if err != nil {
		return fail("item info: " + err.Error())
	}
	in, err := openInfo(it.keys, it.idRaw, sealed)
	if err != nil {
		return fail(err.Error())
	}
	if in.Size != it.h.Size || in.ChunkSize != it.h.ChunkSize {
		return fail("item info does not match the container")
	}
	in.ID = it.id
	it.info = *in
	return nil
}

// loadInfoFromManifest describes an item that has no info record.
func (it *item) loadInfoFromManifest() error {
	meta, m, err := it.loadMeta()
	if err != nil {
		return err
	}
	it.info = content.Item{
		ID: it.id, Title: m.Title, ContentType: m.ContentType, Size: m.Size,
		ChunkSize: m.ChunkSize, Chunks: m.Chunks, Duration: m.Duration, Added: m.Created,
		Policy: meta.policy,
	}
	return nil
}

// loadMeta authenticates the item's meta record and checks its manifest
// (without the chunk hashes) against the container header.
func (it *item) loadMeta() (*itemMeta, *content.Manifest, error) {
	fail := func(reason string) error { return &content.IntegrityError{Item: it.id, Chunk: -1, Reason: reason} }
	sealed, err := fsutil.ReadFileLimit(filepath.Join(it.dir, metaName), maxMetaLen)
	if err != nil {
		return nil, nil, fail("metadata: " + err.Error())
	}
	meta, err := openItemMeta(it.keys, it.idRaw, sealed)
	if err != nil {
		return nil, nil, fail(err.Error())
	}
	m, err := content.ParseUnverifiedManifestInfo(meta.signedManifest)
	if err != nil || m.ID != it.id || m.Size != it.h.Size || m.ChunkSize != it.h.ChunkSize {
		return nil, nil, fail("stored manifest does not match the container")
	}
	return meta, m, nil
}

// close erases the item's keys and closes its content file.
func (it *item) close() error {
	it.keys.erase()
	return it.f.Close()
}
