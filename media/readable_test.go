package media

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadableSaysWhenTheStoreCannotServe(t *testing.T) {
	p := newTestPKI(t)
	server, dir := newTestStore(t, p, AES256GCM)
	if err := server.Readable(); err != nil {
		t.Fatalf("a sound store: %v", err)
	}
	// Another process rekeys: the store is under a key this one does not hold.
	other, err := NewPassphraseKEK(dir, []byte("new battery staple"), testTinyArgon2)
	if err != nil {
		t.Fatal(err)
	}
	operator, err := OpenStore(dir, server.lockKEK(), StoreOptions{})
	server.mu.RUnlock()
	if err != nil {
		t.Fatal(err)
	}
	if err := operator.Rekey(other); err != nil {
		t.Fatal(err)
	}
	if err := server.Readable(); err == nil || !strings.Contains(err.Error(), "master key") {
		t.Fatalf("after a rekey beside it: %v, want the master key named", err)
	}
	// The volume goes away.
	if err := os.Rename(dir, filepath.Join(filepath.Dir(dir), "moved")); err != nil {
		t.Fatal(err)
	}
	if err := server.Readable(); err == nil {
		t.Fatal("a store whose directory is gone reads as serving")
	}
}
