package media

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"securemedia/content"
)

func TestRoundTrip(t *testing.T) {
	p := newTestPKI(t)
	const cs = content.MinChunkSize
	sizes := []struct {
		name string
		size int
	}{
		{"a one-byte file", 1},
		{"a file of exactly one chunk", cs},
		{"a file of one chunk plus one byte", cs + 1},
		{"a file of several chunks ending in a partial one", 3*cs + 77},
		{"a file of several full chunks", 4 * cs},
	}
	for _, c := range []Cipher{AES256GCM, ChaCha20Poly1305} {
		s, _ := newTestStore(t, p, c)
		for _, tc := range sizes {
			t.Run(c.String()+"/"+tc.name+" round-trips", func(t *testing.T) {
				data := make([]byte, tc.size)
				rand.Read(data)
				info, err := s.Add(bytes.NewReader(data), AddOptions{Title: "t", ContentType: "audio/wav", ChunkSize: cs})
				if err != nil {
					t.Fatal(err)
				}
				if info.Size != int64(tc.size) || int64(info.Chunks) != content.ChunkCount(int64(tc.size), cs) {
					t.Fatalf("info = %+v", info)
				}
				got, err := readAll(t, s, info.ID)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, data) {
					t.Fatal("plaintext differs")
				}
				if err := s.Verify(info.ID); err != nil {
					t.Fatal(err)
				}
				m, err := content.VerifyManifest(mustManifest(t, s, info.ID), p.VerifyChain)
				if err != nil {
					t.Fatal(err)
				}
				for i := range m.Chunks {
					if err := m.CheckChunk(i, data[int(i)*cs:int(i)*cs+m.ChunkLen(i)]); err != nil {
						t.Fatal(err)
					}
				}
			})
		}
	}
}

func mustManifest(t testing.TB, s *Store, id content.ID) []byte {
	t.Helper()
	b, err := s.SignedManifest(id)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRoundTripOneGiB(t *testing.T) {
	if testing.Short() {
		t.Skip("1 GiB round trip skipped in -short mode")
	}
	p := newTestPKI(t)
	s, _ := newTestStore(t, p, AES256GCM)
	const size = 1 << 30
	want := sha256.New()
	info, err := s.Add(io.TeeReader(newGenReader(7, size), want), AddOptions{Title: "big"})
	if err != nil {
		t.Fatal(err)
	}
	if info.Size != size || info.Chunks != size/content.DefaultChunkSize {
		t.Fatalf("info = %+v", info)
	}
	m, err := content.VerifyManifest(mustManifest(t, s, info.ID), p.VerifyChain)
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.Open(info.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got := sha256.New()
	buf := make([]byte, 0, content.DefaultChunkSize+tagSize)
	for i := range info.Chunks {
		b, err := r.Chunk(i, buf[:0])
		if err != nil {
			t.Fatal(err)
		}
		if err := m.CheckChunk(i, b); err != nil {
			t.Fatal(err)
		}
		got.Write(b)
	}
	if !bytes.Equal(got.Sum(nil), want.Sum(nil)) {
		t.Fatal("1 GiB plaintext differs after the round trip")
	}
}

// TestNoPlaintextAtRest checks that no 16-byte window of any added file
// appears in any file under the data directory.
func TestNoPlaintextAtRest(t *testing.T) {
	p := newTestPKI(t)
	s, dir := newTestStore(t, p, AES256GCM)
	windows := map[[16]byte]struct{}{}
	for _, size := range []int{300 << 10, 5000, 17} {
		data := make([]byte, size)
		rand.Read(data)
		if _, err := s.Add(bytes.NewReader(data), AddOptions{Title: "secret-title-do-not-leak", ChunkSize: content.MinChunkSize}); err != nil {
			t.Fatal(err)
		}
		for i := 0; i+16 <= len(data); i++ {
			windows[[16]byte(data[i:i+16])] = struct{}{}
		}
	}
	// The title is not media, but it stays sealed at rest too.
	windows[[16]byte([]byte("secret-title-do-"))] = struct{}{}
	files := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files++
		b := mustRead(t, path)
		for i := 0; i+16 <= len(b); i++ {
			if _, ok := windows[[16]byte(b[i:i+16])]; ok {
				t.Errorf("%s: plaintext window at offset %d", path, i)
				return nil
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 3*3+2 {
		t.Fatalf("scanned %d files, expected the three items and the key files", files)
	}
}

func TestTamperingIsDetected(t *testing.T) {
	p := newTestPKI(t)
	const cs = content.MinChunkSize
	sealed := cs + tagSize
	tests := []struct {
		name      string
		edit      func(t *testing.T, b []byte) []byte
		wantChunk int // -1: header; otherwise the chunk that must fail
	}{
		{"one flipped byte in chunk 2 fails at chunk 2", func(t *testing.T, b []byte) []byte {
			b[headerLen+2*sealed+100] ^= 1
			return b
		}, 2},
		{"one flipped byte in the last tag fails at the last chunk", func(t *testing.T, b []byte) []byte {
			b[len(b)-1] ^= 0x80
			return b
		}, 4},
		{"a truncated last chunk fails at the last chunk", func(t *testing.T, b []byte) []byte {
			return b[:len(b)-1]
		}, 4},
		{"a removed final chunk fails at the now missing chunk", func(t *testing.T, b []byte) []byte {
			return b[:headerLen+4*sealed]
		}, 4},
		{"a removed middle chunk fails", func(t *testing.T, b []byte) []byte {
			return append(b[:headerLen+1*sealed:headerLen+1*sealed], b[headerLen+2*sealed:]...)
		}, 3},
		{"two swapped chunks fail at the first of them", func(t *testing.T, b []byte) []byte {
			c1 := bytes.Clone(b[headerLen+1*sealed : headerLen+2*sealed])
			copy(b[headerLen+1*sealed:], b[headerLen+2*sealed:headerLen+3*sealed])
			copy(b[headerLen+2*sealed:], c1)
			return b
		}, 1},
		{"a chunk duplicated over its neighbour fails", func(t *testing.T, b []byte) []byte {
			copy(b[headerLen+3*sealed:], b[headerLen+2*sealed:headerLen+3*sealed])
			return b
		}, 3},
		{"a chunk appended after the last one fails", func(t *testing.T, b []byte) []byte {
			return append(b, b[headerLen:headerLen+sealed]...)
		}, -1},
		{"a header edit of the size fails", func(t *testing.T, b []byte) []byte {
			b[headerPrefixLen+7]--
			return b
		}, -1},
		{"a header edit of the chunk size fails", func(t *testing.T, b []byte) []byte {
			b[headerPrefixLen-2] ^= 0x01
			return b
		}, -1},
		{"a header edit of the cipher fails", func(t *testing.T, b []byte) []byte {
			b[5] = byte(ChaCha20Poly1305)
			return b
		}, -1},
		{"a flipped header MAC fails", func(t *testing.T, b []byte) []byte {
			b[headerLen-1] ^= 1
			return b
		}, -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, dir := newTestStore(t, p, AES256GCM)
			data := make([]byte, 4*cs+500)
			rand.Read(data)
			info, err := s.Add(bytes.NewReader(data), AddOptions{ChunkSize: cs})
			if err != nil {
				t.Fatal(err)
			}
			path := itemFile(dir, info.ID, contentName)
			if err := os.WriteFile(path, tc.edit(t, mustRead(t, path)), 0o600); err != nil {
				t.Fatal(err)
			}
			got, err := readAll(t, s, info.ID)
			var ie *content.IntegrityError
			if !errors.As(err, &ie) {
				t.Fatalf("read err = %v, want an content.IntegrityError", err)
			}
			if ie.Item != info.ID || (tc.wantChunk >= 0 && ie.Chunk != tc.wantChunk) || (tc.wantChunk < 0 && ie.Chunk >= 0) {
				t.Fatalf("content.IntegrityError %+v, want chunk %d", ie, tc.wantChunk)
			}
			// Only chunks before the failing one may have produced plaintext.
			if ie.Chunk >= 0 && (len(got) > ie.Chunk*cs || !bytes.Equal(got, data[:len(got)])) {
				t.Fatalf("%d bytes returned before chunk %d failed, want only good chunks", len(got), ie.Chunk)
			}
			if err := s.Verify(info.ID); !errors.As(err, &ie) {
				t.Fatalf("Verify = %v, want an content.IntegrityError", err)
			}
		})
	}
}

func TestChunkFromAnotherItemFails(t *testing.T) {
	p := newTestPKI(t)
	s, dir := newTestStore(t, p, AES256GCM)
	data := make([]byte, 3*content.MinChunkSize)
	rand.Read(data)
	a, _ := s.Add(bytes.NewReader(data), AddOptions{ChunkSize: content.MinChunkSize})
	b, _ := s.Add(bytes.NewReader(data), AddOptions{ChunkSize: content.MinChunkSize})
	ca := mustRead(t, itemFile(dir, a.ID, contentName))
	cb := mustRead(t, itemFile(dir, b.ID, contentName))
	copy(cb[headerLen:], ca[headerLen:headerLen+content.MinChunkSize+tagSize])
	os.WriteFile(itemFile(dir, b.ID, contentName), cb, 0o600)
	_, err := readAll(t, s, b.ID)
	var ie *content.IntegrityError
	if !errors.As(err, &ie) || ie.Chunk != 0 {
		t.Fatalf("err = %v, want content.IntegrityError at chunk 0", err)
	}
	// Swapping whole key files between items fails too (the id is bound).
	os.WriteFile(itemFile(dir, a.ID, keyName), mustRead(t, itemFile(dir, b.ID, keyName)), 0o600)
	if _, err := s.Open(a.ID); !errors.Is(err, content.ErrWrongKEK) {
		t.Fatalf("open with another item's key file: %v", err)
	}
}

func TestMetadataTamperingIsDetected(t *testing.T) {
	p := newTestPKI(t)
	s, dir := newTestStore(t, p, AES256GCM)
	info, _ := s.Add(strings.NewReader("hello"), AddOptions{Title: "x"})
	path := itemFile(dir, info.ID, metaName)
	b := mustRead(t, path)
	b[len(b)/2] ^= 1
	os.WriteFile(path, b, 0o600)
	// Stat reads the info record, not the manifest (see iteminfo_test.go);
	// what serves the manifest refuses it.
	var ie *content.IntegrityError
	if _, err := s.SignedManifest(info.ID); !errors.As(err, &ie) || ie.Chunk != -1 {
		t.Fatalf("SignedManifest = %v, want content.IntegrityError on the metadata", err)
	}
}

func TestWrongPassphraseFailsAtOpen(t *testing.T) {
	p := newTestPKI(t)
	s, dir := newTestStore(t, p, AES256GCM)
	if _, err := s.Add(strings.NewReader("x"), AddOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := PassphraseKEK(dir, []byte("wrong horse"), testTinyArgon2); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("PassphraseKEK with a wrong passphrase = %v", err)
	}
	// A KEK from another store's parameters fails at OpenStore, not at play.
	other, err := PassphraseKEK(t.TempDir(), []byte("correct horse"), testTinyArgon2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := OpenStore(dir, other, StoreOptions{}); !errors.Is(err, content.ErrWrongKEK) {
		t.Fatalf("OpenStore with a foreign KEK = %v", err)
	}
}

func TestRekey(t *testing.T) {
	p := newTestPKI(t)
	s, dir := newTestStore(t, p, AES256GCM)
	data := make([]byte, 2*content.MinChunkSize+3)
	rand.Read(data)
	var ids []content.ID
	for range 3 {
		info, err := s.Add(bytes.NewReader(data), AddOptions{ChunkSize: content.MinChunkSize})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, info.ID)
	}
	contentBefore := mustRead(t, itemFile(dir, ids[0], contentName))
	oldKEK := s.kek
	newKEK, err := NewPassphraseKEK(dir, []byte("new battery staple"), testTinyArgon2)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Rekey(newKEK); err != nil {
		t.Fatal(err)
	}
	t.Run("every item still plays", func(t *testing.T) {
		for _, id := range ids {
			if got, err := readAll(t, s, id); err != nil || !bytes.Equal(got, data) {
				t.Fatalf("%s: %v", id, err)
			}
		}
	})
	t.Run("the content files are unchanged", func(t *testing.T) {
		if !bytes.Equal(mustRead(t, itemFile(dir, ids[0], contentName)), contentBefore) {
			t.Fatal("rekey rewrote content")
		}
	})
	t.Run("the old passphrase opens nothing", func(t *testing.T) {
		if _, err := PassphraseKEK(dir, []byte("correct horse"), testTinyArgon2); !errors.Is(err, ErrWrongPassphrase) {
			t.Fatalf("old passphrase: %v", err)
		}
		if _, err := OpenStore(dir, oldKEK, StoreOptions{}); !errors.Is(err, content.ErrWrongKEK) {
			t.Fatalf("old KEK opens the store: %v", err)
		}
		for _, id := range ids {
			w, err := readWrappedKey(itemFile(dir, id, keyName))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := oldKEK.Unwrap(w.wrapped, id.String()); err == nil {
				t.Fatalf("%s: the old KEK still unwraps the data key", id)
			}
		}
	})
	t.Run("the new passphrase opens the store from disk", func(t *testing.T) {
		k, err := PassphraseKEK(dir, []byte("new battery staple"), testTinyArgon2)
		if err != nil {
			t.Fatal(err)
		}
		s2, err := OpenStore(dir, k, StoreOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if got, err := readAll(t, s2, ids[2]); err != nil || !bytes.Equal(got, data) {
			t.Fatal(err)
		}
	})
}

func TestInterruptedRekeyIsFinishedAtOpen(t *testing.T) {
	p := newTestPKI(t)
	s, dir := newTestStore(t, p, AES256GCM)
	info, _ := s.Add(strings.NewReader("still here"), AddOptions{})
	newKEK, _ := NewPassphraseKEK(dir, []byte("next"), testTinyArgon2)
	// Steps 1 to 3 of Rekey, then a "crash".
	if err := s.rewrap(info.ID, newKEK); err != nil {
		t.Fatal(err)
	}
	if err := s.writeCheck(newKEK, checkFileName+".next"); err != nil {
		t.Fatal(err)
	}
	if err := newKEK.(committer).commit(); err != nil {
		t.Fatal(err)
	}
	k, err := PassphraseKEK(dir, []byte("next"), testTinyArgon2)
	if err != nil {
		t.Fatal(err)
	}
	s2, err := OpenStore(dir, k, StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := readAll(t, s2, info.ID); err != nil || string(got) != "still here" {
		t.Fatalf("%q %v", got, err)
	}
	if _, err := os.Stat(itemFile(dir, info.ID, keyNextName)); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("key.next left behind")
	}
}

func TestListStatRemove(t *testing.T) {
	p := newTestPKI(t)
	s, dir := newTestStore(t, p, AES256GCM)
	policy := json.RawMessage(`{"views":3}`)
	a, err := s.Add(strings.NewReader("aaaa"), AddOptions{Title: "A", ContentType: "video/mp4", Policy: policy})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := s.Add(strings.NewReader("bb"), AddOptions{Title: "B"})
	list, err := s.List()
	if err != nil || len(list) != 2 {
		t.Fatalf("List = %v, %v", list, err)
	}
	got, err := s.Stat(a.ID)
	if err != nil || got.Title != "A" || got.ContentType != "video/mp4" || got.Size != 4 || string(got.Policy) != string(policy) {
		t.Fatalf("Stat = %+v, %v", got, err)
	}
	if _, err := content.ParseID(a.ID.String()); err != nil || a.ID == (content.ID{}) {
		t.Fatalf("id %q is not a random media id", a.ID)
	}
	if err := s.Remove(b.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Stat(b.ID); !errors.Is(err, content.ErrNotFound) {
		t.Fatalf("Stat after Remove = %v", err)
	}
	if err := s.Remove(b.ID); !errors.Is(err, content.ErrNotFound) {
		t.Fatalf("second Remove = %v", err)
	}
	// Only directories named by the canonical form of an id are items.
	for _, name := range []string{strings.ToUpper(a.ID.String()), a.ID.String() + "0", "kek-check.d"} {
		if err := os.Mkdir(filepath.Join(dir, mediaDirName, name), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	list, _ = s.List()
	if len(list) != 1 || list[0].ID != a.ID {
		t.Fatalf("List after Remove = %+v", list)
	}
}

func TestAddRefusesBadOptionsAndLeavesNothing(t *testing.T) {
	p := newTestPKI(t)
	s, dir := newTestStore(t, p, AES256GCM)
	for _, o := range []AddOptions{
		{ChunkSize: content.MinChunkSize - 1},
		{ChunkSize: content.MaxChunkSize + 1},
		{Title: strings.Repeat("x", content.MaxTitleLen+1)},
		{Title: "\xff"},
		{Policy: make(json.RawMessage, MaxPolicyLen+1)},
	} {
		if _, err := s.Add(strings.NewReader("x"), o); err == nil {
			t.Fatalf("Add(%.40v) succeeded", o)
		}
	}
	if _, err := s.Add(io.MultiReader(strings.NewReader("partial"), errReader{}), AddOptions{}); err == nil {
		t.Fatal("Add of a failing reader succeeded")
	}
	entries, _ := os.ReadDir(filepath.Join(dir, mediaDirName))
	for _, e := range entries {
		if e.IsDir() {
			t.Fatalf("left %s behind", e.Name())
		}
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestConcurrentReaders(t *testing.T) {
	p := newTestPKI(t)
	s, _ := newTestStore(t, p, ChaCha20Poly1305)
	data := make([]byte, 8*content.MinChunkSize+9)
	rand.Read(data)
	info, err := s.Add(bytes.NewReader(data), AddOptions{ChunkSize: content.MinChunkSize})
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.Open(info.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	errs := make(chan error, 8)
	for g := range 8 {
		go func() {
			var buf []byte
			for k := range 50 {
				i := uint32(g+k) % info.Chunks
				b, err := r.Chunk(i, buf[:0])
				if err == nil && !bytes.Equal(b, data[int(i)*content.MinChunkSize:int(i)*content.MinChunkSize+len(b)]) {
					err = errors.New("wrong plaintext")
				}
				if err != nil {
					errs <- err
					return
				}
				buf = b
			}
			_, err := s.Stat(info.ID)
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

func TestAClosedReaderRefusesChunksWithoutCallingItDamage(t *testing.T) {
	s, _ := newTestStore(t, newTestPKI(t), AES256GCM)
	info, err := s.Add(bytes.NewReader([]byte("some content")), AddOptions{Title: "t"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.Open(info.ID)
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	r.Close() // idempotent
	_, err = r.Chunk(0, nil)
	var ie *content.IntegrityError
	if !errors.Is(err, ErrClosed) || errors.As(err, &ie) {
		t.Fatalf("Chunk after Close: %v", err)
	}
}

// Describe answers a client's info request from one opening of the item:
// what Stat and SignedManifest say apart, and the same refusals.
func TestDescribeIsStatAndTheSignedManifestTogether(t *testing.T) {
	p := newTestPKI(t)
	s, _ := newTestStore(t, p, AES256GCM)
	added, err := s.Add(bytes.NewReader(bytes.Repeat([]byte("describe"), 5000)), AddOptions{Title: "t", ContentType: "audio/wav", ChunkSize: content.MinChunkSize})
	if err != nil {
		t.Fatal(err)
	}
	it, signed, err := s.Describe(added.ID)
	if err != nil {
		t.Fatal(err)
	}
	stat, err := s.Stat(added.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(it, stat) || !bytes.Equal(signed, mustManifest(t, s, added.ID)) {
		t.Fatalf("Describe = %+v and %d manifest bytes, Stat = %+v", it, len(signed), stat)
	}
	if _, _, err := s.Describe(content.ID{1}); !errors.Is(err, content.ErrNotFound) {
		t.Fatalf("Describe of an unknown item: %v", err)
	}
}
