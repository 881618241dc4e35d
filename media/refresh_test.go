package media

import (
	"bytes"
	"crypto/rand"
	"errors"
	"sync"
	"testing"
	"time"

	"securemedia/content"
)

// TestAStoreFollowsARekeyByAnotherProcess opens one store directory
// twice, as a running server and `media rekey` do. After the rekey, the
// server's open reader keeps playing (its data key did not change), and
// the next open finds the item wrapped by another key, reloads the master
// key and reopens the item instead of failing.
func TestAStoreFollowsARekeyByAnotherProcess(t *testing.T) {
	p := newTestPKI(t)
	operator, dir := newTestStore(t, p, AES256GCM)
	data := make([]byte, 3*content.MinChunkSize+5)
	rand.Read(data)
	info, err := operator.Add(bytes.NewReader(data), AddOptions{ChunkSize: content.MinChunkSize})
	if err != nil {
		t.Fatal(err)
	}

	var mu sync.Mutex
	passphrase, reloads := "correct horse", 0
	reload := func() (KEK, error) {
		mu.Lock()
		defer mu.Unlock()
		reloads++
		return PassphraseKEK(dir, []byte(passphrase), testTinyArgon2)
	}
	kek, err := PassphraseKEK(dir, []byte(passphrase), testTinyArgon2)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	server, err := OpenStore(dir, kek, StoreOptions{ReloadKEK: reload, Now: func() time.Time { mu.Lock(); defer mu.Unlock(); return now }})
	if err != nil {
		t.Fatal(err)
	}
	playing, err := server.Open(info.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer playing.Close()
	first, err := playing.Chunk(0, nil)
	if err != nil || !bytes.Equal(first, data[:content.MinChunkSize]) {
		t.Fatalf("chunk 0 before the rekey: %v", err)
	}

	// The operator rekeys; the server's configuration (here, the
	// passphrase the reload reads) does not follow yet.
	newKEK, err := NewPassphraseKEK(dir, []byte("new battery staple"), testTinyArgon2)
	if err != nil {
		t.Fatal(err)
	}
	if err := operator.Rekey(newKEK); err != nil {
		t.Fatal(err)
	}
	if b, err := playing.Chunk(1, nil); err != nil || !bytes.Equal(b, data[content.MinChunkSize:2*content.MinChunkSize]) {
		t.Fatalf("the open reader after the rekey: %v", err)
	}
	var rekeyed *RekeyedError
	if _, err := server.Open(info.ID); !errors.As(err, &rekeyed) || !errors.Is(err, content.ErrWrongKEK) {
		t.Fatalf("open with the old passphrase still configured: %v", err)
	}
	if _, err := server.Stat(info.ID); !errors.As(err, &rekeyed) {
		t.Fatalf("stat with the old passphrase still configured: %v", err)
	}
	if reloads != 1 {
		t.Fatalf("%d reloads within %v of a failed one, want 1 (an Argon2id run per open)", reloads, refreshRetry)
	}

	// The new passphrase is in place (media rekey rewrites the file);
	// after the retry bound the next open reloads and succeeds.
	mu.Lock()
	passphrase, now = "new battery staple", now.Add(refreshRetry)
	mu.Unlock()
	got, err := readAll(t, server, info.ID)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("open after the rekey: %v", err)
	}
	if changed, err := server.RefreshKEK(); changed || err != nil {
		t.Fatalf("RefreshKEK with nothing to do = %v, %v", changed, err)
	}
	if reloads != 2 {
		t.Fatalf("%d reloads, want 2", reloads)
	}
}

func TestRefreshKEKWithoutAWayToReloadSaysSo(t *testing.T) {
	p := newTestPKI(t)
	operator, dir := newTestStore(t, p, AES256GCM)
	kek, err := PassphraseKEK(dir, []byte("correct horse"), testTinyArgon2)
	if err != nil {
		t.Fatal(err)
	}
	server, err := OpenStore(dir, kek, StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	newKEK, _ := NewPassphraseKEK(dir, []byte("new battery staple"), testTinyArgon2)
	if err := operator.Rekey(newKEK); err != nil {
		t.Fatal(err)
	}
	var rekeyed *RekeyedError
	if _, err := server.RefreshKEK(); !errors.As(err, &rekeyed) || rekeyed.KEKID != newKEK.ID() {
		t.Fatalf("RefreshKEK = %v", err)
	}
}
