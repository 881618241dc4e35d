package media

import (
	"fmt"
	"io"
	"path/filepath"
	"sync"
	"time"
)

// refreshRetry is how long a master key that could not be reloaded is
// not tried again for the same store key: long enough that a burst of
// plays does not run Argon2id for each, short enough that the window in
// which `media rekey` has committed the store but not yet rewritten the
// passphrase file is soon over.
const refreshRetry = 2 * time.Second

// kekRefresh is the state of RefreshKEK.
type kekRefresh struct {
	mu       sync.Mutex
	failedID string // the store key that could not be reloaded
	failedAt time.Time
	err      error
}

// RekeyedError means another process rekeyed the store and the store's
// new master key could not be opened here.
type RekeyedError struct {
	// KEKID names the store's master key now; Held names the one this
	// process holds.
	KEKID, Held string
	Err         error
}

func (e *RekeyedError) Error() string {
	return fmt.Sprintf("media: the store was rekeyed under %s (this process holds %s): %v", e.KEKID, e.Held, e.Err)
}
func (e *RekeyedError) Unwrap() error { return e.Err }

// RefreshKEK follows a rekey made by another process: when the store's
// check value is wrapped by another master key than the one held, it opens
// the store's key now with StoreOptions.ReloadKEK, checks it against the
// check value and moves to it; it reports whether the key changed. It
// costs one small file read when nothing changed. Readers already open
// keep their data keys (a rekey rewraps data keys, it does not change
// them) and keep playing.
func (s *Store) RefreshKEK() (bool, error) {
	s.refresh.mu.Lock()
	defer s.refresh.mu.Unlock()
	w, err := readWrappedKey(filepath.Join(s.dir, checkFileName))
	if err != nil {
		return false, fmt.Errorf("media: read KEK check: %w", err)
	}
	held := s.lockKEK().ID()
	s.mu.RUnlock()
	if w.kekID == held {
		return false, nil
	}
	fail := func(err error) (bool, error) {
		s.refresh.failedID, s.refresh.failedAt = w.kekID, s.opts.Now()
		s.refresh.err = &RekeyedError{KEKID: w.kekID, Held: held, Err: err}
		return false, s.refresh.err
	}
	if s.refresh.failedID == w.kekID && s.opts.Now().Sub(s.refresh.failedAt) < refreshRetry {
		return false, s.refresh.err
	}
	if s.opts.ReloadKEK == nil {
		return fail(fmt.Errorf("no way to reload the master key: reopen the store"))
	}
	kek, err := s.opts.ReloadKEK()
	if err != nil {
		return fail(err)
	}
	if kek.ID() != w.kekID {
		closeKEK(kek)
		return fail(fmt.Errorf("the master key now configured is %s", kek.ID()))
	}
	v, err := kek.Unwrap(w.wrapped, checkItemID)
	clear(v)
	if err != nil {
		closeKEK(kek)
		return fail(fmt.Errorf("the master key %s does not open the store's check value", kek.ID()))
	}
	s.mu.Lock()
	old := s.kek
	s.kek = kek
	s.mu.Unlock()
	closeKEK(old)
	s.refresh.failedID, s.refresh.err = "", nil
	return true, nil
}

// closeKEK releases a KEK that holds something (a token session).
func closeKEK(k KEK) {
	if c, ok := k.(io.Closer); ok {
		c.Close()
	}
}
