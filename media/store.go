package media

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"securemedia/content"
)

// StoreOptions configure a Store.
type StoreOptions struct {
	// ContentSigner signs the manifests of added items; needed by Add only.
	ContentSigner crypto.Signer
	// ContentChain is the signer's certificate chain (DER, leaf first),
	// carried in every manifest.
	ContentChain [][]byte
	// Cipher seals new items; zero means AES-256-GCM.
	Cipher Cipher
	// Now replaces time.Now (tests).
	Now func() time.Time
	// ReloadKEK opens the store's master key as it stands now, from the
	// same source as at first (the master passphrase file, re-read). A
	// store rekeyed by another process (`media rekey` beside a running
	// server) is then followed without a restart: see RefreshKEK. Nil
	// means such a store fails to open items until reopened.
	ReloadKEK func() (KEK, error)
}

// Store is the media store under one data directory. It is safe for
// concurrent use by many streaming sessions; a Rekey excludes the rest.
type Store struct {
	dir  string
	opts StoreOptions

	// mu guards kek: readers hold it while they unwrap or wrap a data key,
	// Rekey holds it exclusively while it moves every key to a new KEK.
	mu  sync.RWMutex
	kek KEK

	// refresh serializes RefreshKEK and remembers its last failure, so
	// that a key that cannot be reloaded is not derived again at every
	// open (a passphrase KEK costs an Argon2id run).
	refresh kekRefresh

	// maxChunks is MaxChunks; tests lower it to reach the limit of Add
	// without gigabytes of input.
	maxChunks int
}

// OpenStore opens (creating when needed) the media store under dataDir.
// It checks at once that kek is the store's key, so a wrong passphrase is
// reported here (content.ErrWrongKEK) and not at the first play; it also finishes a
// rekey that a crash interrupted.
func OpenStore(dataDir string, kek KEK, o StoreOptions) (*Store, error) {
	if kek == nil {
		return nil, errors.New("media: no master key")
	}
	if o.Cipher == 0 {
		o.Cipher = AES256GCM
	}
	if _, err := newAEAD(o.Cipher, make([]byte, 32)); err != nil {
		return nil, err
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	s := &Store{dir: filepath.Join(dataDir, mediaDirName), opts: o, kek: kek, maxChunks: content.MaxChunks}
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return nil, fmt.Errorf("media: create store: %w", err)
	}
	if err := s.checkKEK(); err != nil {
		return nil, err
	}
	if err := s.finishRekey(); err != nil {
		return nil, err
	}
	return s, nil
}

// checkKEK unwraps the store's check value, writing one on first use.
func (s *Store) checkKEK() error {
	path := filepath.Join(s.dir, checkFileName)
	w, err := readWrappedKey(path)
	if errors.Is(err, os.ErrNotExist) {
		return s.writeCheck(s.kek, checkFileName)
	}
	if err != nil {
		return fmt.Errorf("media: read KEK check: %w", err)
	}
	if s.opensCheck(w) {
		return nil
	}
	// A rekey that crashed after committing its new KEK left the new check
	// value next to the old one: finish it.
	if next, err := readWrappedKey(path + ".next"); err == nil && s.opensCheck(next) {
		return os.Rename(path+".next", path)
	}
	return fmt.Errorf("%w (the store's key is %s, the given key is %s)", content.ErrWrongKEK, w.kekID, s.kek.ID())
}

func (s *Store) opensCheck(w *wrappedKey) bool {
	v, err := s.kek.Unwrap(w.wrapped, checkItemID)
	clear(v)
	return err == nil
}

func (s *Store) writeCheck(kek KEK, name string) error {
	v := make([]byte, 32)
	rand.Read(v)
	wrapped, err := kek.Wrap(v, checkItemID)
	if err != nil {
		return fmt.Errorf("media: wrap KEK check: %w", err)
	}
	return writeWrappedKey(filepath.Join(s.dir, name), &wrappedKey{kekID: kek.ID(), wrapped: wrapped})
}

// ids lists the item ids present, sorted. Only directories named by the
// canonical (lower-case) form of an id are items.
func (s *Store) ids() ([]content.ID, error) { return itemIDs(s.dir) }

// IDs lists the ids of the items in the media store under dataDir without
// its master key: an item's id names its directory, and nothing else of it
// is readable without the key. A store not yet created has none. Operator
// commands check the media ids they are given with it.
func IDs(dataDir string) ([]content.ID, error) {
	ids, err := itemIDs(filepath.Join(dataDir, mediaDirName))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return ids, err
}

func itemIDs(dir string) ([]content.ID, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("media: list store: %w", err)
	}
	var ids []content.ID
	for _, e := range entries {
		if id, err := content.ParseID(e.Name()); err == nil && e.IsDir() && id.String() == e.Name() {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// CountItems counts the items of the store under dataDir without opening
// them (no key is needed): zero when there is no store.
func CountItems(dataDir string) (int, error) {
	s := &Store{dir: filepath.Join(dataDir, mediaDirName)}
	ids, err := s.ids()
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	return len(ids), err
}

// List returns every sound item, oldest first. One damaged item does not
// hide the others: the items that could not be read are reported in a
// *content.DamagedError returned along with the sound ones, so a caller serves what
// it got and logs or shows the rest. Any other error (the store directory
// cannot be read) comes with no items. Each item costs one data-key unwrap
// and the decryption of its small info record, not of its manifest.
func (s *Store) List() ([]content.Item, error) {
	ids, err := s.ids()
	if err != nil {
		return nil, err
	}
	out := make([]content.Item, 0, len(ids))
	var damaged content.DamagedError
	for _, id := range ids {
		info, err := s.Stat(id)
		if errors.Is(err, content.ErrNotFound) {
			continue // removed meanwhile
		}
		if err != nil {
			damaged.IDs = append(damaged.IDs, id)
			damaged.Errs = append(damaged.Errs, err)
			continue
		}
		out = append(out, info)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Added.Equal(out[j].Added) {
			return out[i].Added.Before(out[j].Added)
		}
		return bytes.Compare(out[i].ID[:], out[j].ID[:]) < 0
	})
	if len(damaged.IDs) > 0 {
		return out, &damaged
	}
	return out, nil
}

// Stat describes one item from its info record (the manifest is not
// decrypted); content.ErrNotFound when there is none with that id.
func (s *Store) Stat(id content.ID) (content.Item, error) {
	it, err := s.openItem(id)
	if err != nil {
		return content.Item{}, err
	}
	it.close()
	return it.info, nil
}

// SignedManifest returns the signed manifest of an item, as the client
// receives it.
func (s *Store) SignedManifest(id content.ID) ([]byte, error) {
	_, signed, err := s.Describe(id)
	return signed, err
}

// Describe returns what Stat and SignedManifest do, from one opening of
// the item (one unwrap of its key): what a client's info request needs.
func (s *Store) Describe(id content.ID) (content.Item, []byte, error) {
	it, err := s.openItem(id)
	if err != nil {
		return content.Item{}, nil, err
	}
	defer it.close()
	meta, _, err := it.loadMeta()
	if err != nil {
		return content.Item{}, nil, err
	}
	return it.info, meta.signedManifest, nil
}

// Remove deletes an item. The directory is first renamed away, so a
// concurrent reader either opens the whole item or finds none.
func (s *Store) Remove(id content.ID) error {
	dir := s.itemDir(id)
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("media %s: %w", id, content.ErrNotFound)
	}
	trash, err := os.MkdirTemp(s.dir, rmTempPrefix)
	if err != nil {
		return fmt.Errorf("media %s: remove: %w", id, err)
	}
	if err := os.Rename(dir, filepath.Join(trash, id.String())); err != nil {
		os.Remove(trash)
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("media %s: %w", id, content.ErrNotFound)
		}
		return fmt.Errorf("media %s: remove: %w", id, err)
	}
	if err := os.RemoveAll(trash); err != nil {
		return fmt.Errorf("media %s: remove: %w", id, err)
	}
	return nil
}

// Verify decrypts every chunk of an item and checks it against the
// item's manifest, and checks that the item's info agrees with the
// manifest; a failure is an *content.IntegrityError.
func (s *Store) Verify(id content.ID) error {
	signed, err := s.SignedManifest(id)
	if err != nil {
		return err
	}
	r, err := s.openReader(id)
	if err != nil {
		return err
	}
	defer r.Close()
	m, err := content.ParseUnverifiedManifest(signed)
	if err != nil {
		return &content.IntegrityError{Item: id, Chunk: -1, Reason: "stored manifest: " + err.Error()}
	}
	if m.Size != r.h.Size || m.ChunkSize != r.h.ChunkSize || m.ID != id {
		return &content.IntegrityError{Item: id, Chunk: -1, Reason: "manifest does not match the container"}
	}
	if in := r.info; in.Title != m.Title || in.ContentType != m.ContentType || in.Chunks != m.Chunks ||
		in.Duration != m.Duration || !in.Added.Equal(m.Created) {
		return &content.IntegrityError{Item: id, Chunk: -1, Reason: "item info does not match the manifest"}
	}
	buf := make([]byte, 0, r.h.ChunkSize+tagSize)
	defer clear(buf[:cap(buf)])
	for i := range r.info.Chunks {
		b, err := r.Chunk(i, buf[:0])
		if err != nil {
			return err
		}
		if err := m.CheckChunk(i, b); err != nil {
			// The stored copy does not match its own manifest: damage at
			// rest, an *IntegrityError naming the chunk (m.ID is id).
			return err
		}
	}
	return nil
}

// Readable checks that the store can serve, cheaply enough for a
// readiness probe: its directory lists, and its check value reads and is
// wrapped by the master key this process holds (no item is opened, no
// key used: a token-held key is not asked). After a rekey made beside a
// running server it fails until the new key is taken (RefreshKEK).
func (s *Store) Readable() error {
	if _, err := s.ids(); err != nil {
		return err
	}
	w, err := readWrappedKey(filepath.Join(s.dir, checkFileName))
	if err != nil {
		return fmt.Errorf("media: read KEK check: %w", err)
	}
	held := s.lockKEK().ID()
	s.mu.RUnlock()
	if w.kekID != held {
		return fmt.Errorf("media: the store is under master key %s, this process holds %s", w.kekID, held)
	}
	return nil
}

// ItemVerdict is the outcome of verifying one item: nil, or why it failed
// (content.ErrNotFound for an id the store does not hold).
type ItemVerdict struct {
	ID  content.ID
	Err error
}

// VerifyItems verifies the items ids (Verify), or every item of the store
// when ids is empty, those a listing finds damaged included.
func (s *Store) VerifyItems(ids []content.ID) ([]ItemVerdict, error) {
	if len(ids) == 0 {
		items, err := s.List()
		var damaged *content.DamagedError
		if err != nil && !errors.As(err, &damaged) {
			return nil, err
		}
		for _, it := range items {
			ids = append(ids, it.ID)
		}
		if damaged != nil {
			ids = append(ids, damaged.IDs...)
		}
	}
	out := make([]ItemVerdict, 0, len(ids))
	for _, id := range ids {
		out = append(out, ItemVerdict{ID: id, Err: s.Verify(id)})
	}
	return out, nil
}

// lockKEK returns the KEK under the read lock; the caller unlocks.
func (s *Store) lockKEK() KEK {
	s.mu.RLock()
	return s.kek
}
