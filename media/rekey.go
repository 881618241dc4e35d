package media

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"securemedia/content"
)

// Rekey moves every item to a new KEK by rewrapping the data keys only;
// the content is not touched and stays playable. Afterwards the old KEK
// opens nothing: every key file and the store's check value are under the
// new KEK, and a passphrase KEK's parameter file is replaced.
//
// The steps are ordered so that a crash leaves a store that one of the two
// keys opens, and OpenStore finishes the job: (1) every item gets key.next
// under the new KEK, (2) the check value kek-check.next, (3) the new KEK is
// committed (the passphrase KEK writes its parameter file: from here on
// only the new passphrase works), (4) kek-check.next and (5) every key.next
// are renamed into place.
func (s *Store) Rekey(newKEK KEK) error {
	if newKEK == nil {
		return errors.New("media: rekey: no new master key")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if newKEK.ID() == s.kek.ID() {
		return errors.New("media: rekey: the new master key is the current one")
	}
	ids, err := s.ids()
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := s.rewrap(id, newKEK); err != nil {
			return fmt.Errorf("media %s: rekey: %w", id, err)
		}
	}
	if err := s.writeCheck(newKEK, checkFileName+".next"); err != nil {
		return fmt.Errorf("media: rekey: %w", err)
	}
	if c, ok := newKEK.(committer); ok {
		if err := c.commit(); err != nil {
			return fmt.Errorf("media: rekey: %w", err)
		}
	}
	s.kek = newKEK
	if err := os.Rename(filepath.Join(s.dir, checkFileName+".next"), filepath.Join(s.dir, checkFileName)); err != nil {
		return fmt.Errorf("media: rekey: %w", err)
	}
	return s.finishRekey()
}

// rewrap writes key.next for one item: its data key under newKEK.
func (s *Store) rewrap(id content.ID, newKEK KEK) error {
	dir := s.itemDir(id)
	w, err := readWrappedKey(filepath.Join(dir, keyName))
	if err != nil {
		return err
	}
	dk, err := s.kek.Unwrap(w.wrapped, id.String())
	if err != nil {
		return fmt.Errorf("unwrap data key: %w", err)
	}
	defer clear(dk)
	wrapped, err := newKEK.Wrap(dk, id.String())
	if err != nil {
		return fmt.Errorf("wrap data key: %w", err)
	}
	return writeWrappedKey(filepath.Join(dir, keyNextName), &wrappedKey{kekID: newKEK.ID(), wrapped: wrapped})
}

// finishRekey moves into place every key.next wrapped by the current KEK
// and deletes those left by a rekey that never reached its commit.
func (s *Store) finishRekey() error {
	ids, err := s.ids()
	if err != nil {
		return err
	}
	for _, id := range ids {
		next := filepath.Join(s.itemDir(id), keyNextName)
		w, err := readWrappedKey(next)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil || w.kekID != s.kek.ID() {
			if err := os.Remove(next); err != nil {
				return fmt.Errorf("media %s: remove stale key: %w", id, err)
			}
			continue
		}
		if err := os.Rename(next, filepath.Join(s.itemDir(id), keyName)); err != nil {
			return fmt.Errorf("media %s: finish rekey: %w", id, err)
		}
	}
	os.Remove(filepath.Join(s.dir, checkFileName+".next"))
	syncDir(s.dir)
	return nil
}
