package media

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"securemedia/content"
)

// sealItemInfo replaces an item's info file with in, sealed under the
// item's own keys, as only a holder of the data key could.
func sealItemInfo(t *testing.T, s *Store, dir string, id content.ID, in content.Item) {
	t.Helper()
	it, err := s.openItem(id)
	if err != nil {
		t.Fatal(err)
	}
	defer it.close()
	sealed, err := sealInfo(it.keys, it.idRaw, &in)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(itemFile(dir, id, infoName), sealed, 0o600); err != nil {
		t.Fatal(err)
	}
}

func flipByte(t *testing.T, path string) {
	t.Helper()
	b := mustRead(t, path)
	b[len(b)/2] ^= 1
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestListServesTheSoundItemsAndNamesTheDamagedOnes(t *testing.T) {
	p := newTestPKI(t)
	s, dir := newTestStore(t, p, AES256GCM)
	var ids []content.ID
	for _, title := range []string{"sound", "flipped info", "foreign key", "damaged header"} {
		info, err := s.Add(strings.NewReader(title), AddOptions{Title: title})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, info.ID)
	}
	flipByte(t, itemFile(dir, ids[1], infoName))
	os.WriteFile(itemFile(dir, ids[2], keyName), mustRead(t, itemFile(dir, ids[0], keyName)), 0o600)
	flipByte(t, itemFile(dir, ids[3], contentName)) // the header of a 14-byte item

	list, err := s.List()
	if len(list) != 1 || list[0].ID != ids[0] || list[0].Title != "sound" {
		t.Fatalf("List returned %+v, want the sound item only", list)
	}
	var damaged *content.DamagedError
	if !errors.As(err, &damaged) {
		t.Fatalf("List error = %v, want *content.DamagedError", err)
	}
	want := ids[1:]
	byBytes := func(a, b content.ID) int { return bytes.Compare(a[:], b[:]) }
	if !reflect.DeepEqual(slices.SortedFunc(slices.Values(damaged.IDs), byBytes), slices.SortedFunc(slices.Values(want), byBytes)) || len(damaged.Errs) != len(want) {
		t.Fatalf("damaged = %v, want %v", damaged.IDs, want)
	}
	if !errors.Is(err, content.ErrWrongKEK) || !errors.As(err, new(*content.IntegrityError)) {
		t.Fatalf("the error does not unwrap to each item's error: %v", err)
	}
	for _, id := range want {
		if !strings.Contains(err.Error(), id.String()) {
			t.Fatalf("the error does not name %s: %v", id, err)
		}
	}
	for _, id := range want {
		if _, err := s.Open(id); err == nil {
			t.Fatalf("Open(%s) of a damaged item succeeded", id)
		}
	}
	// Verifying the whole store verifies the damaged items too.
	verdicts, err := s.VerifyItems(nil)
	if err != nil || len(verdicts) != len(ids) {
		t.Fatalf("VerifyItems = %+v, %v; want a verdict for each of %d items", verdicts, err, len(ids))
	}
	for _, v := range verdicts {
		if sound := v.ID == ids[0]; sound != (v.Err == nil) {
			t.Fatalf("VerifyItems: %s: %v", v.ID, v.Err)
		}
	}
}

func TestListOfASoundStoreHasNoError(t *testing.T) {
	p := newTestPKI(t)
	s, _ := newTestStore(t, p, AES256GCM)
	if list, err := s.List(); err != nil || len(list) != 0 {
		t.Fatalf("List of an empty store = %v, %v", list, err)
	}
	s.Add(strings.NewReader("x"), AddOptions{})
	if list, err := s.List(); err != nil || len(list) != 1 {
		t.Fatalf("List = %v, %v", list, err)
	}
}

// TestDescribingAnItemDoesNotDecryptItsManifest damages only the meta file
// (the signed manifest): List, Stat and Open still work from the info
// record and the container, while SignedManifest and Verify refuse.
func TestDescribingAnItemDoesNotDecryptItsManifest(t *testing.T) {
	p := newTestPKI(t)
	s, dir := newTestStore(t, p, AES256GCM)
	added, err := s.Add(newGenReader(1, 3*content.MinChunkSize), AddOptions{Title: "t", ChunkSize: content.MinChunkSize})
	if err != nil {
		t.Fatal(err)
	}
	flipByte(t, itemFile(dir, added.ID, metaName))
	if list, err := s.List(); err != nil || len(list) != 1 || !reflect.DeepEqual(list[0], added) {
		t.Fatalf("List = %+v, %v", list, err)
	}
	if got, err := s.Stat(added.ID); err != nil || !reflect.DeepEqual(got, added) {
		t.Fatalf("Stat = %+v, %v", got, err)
	}
	if _, err := readAll(t, s, added.ID); err != nil {
		t.Fatalf("reading the chunks: %v", err)
	}
	var ie *content.IntegrityError
	if _, err := s.SignedManifest(added.ID); !errors.As(err, &ie) || ie.Chunk != -1 {
		t.Fatalf("SignedManifest = %v, want content.IntegrityError", err)
	}
	if err := s.Verify(added.ID); !errors.As(err, &ie) {
		t.Fatalf("Verify = %v, want content.IntegrityError", err)
	}
}

func TestInfoRecordIsAuthenticated(t *testing.T) {
	p := newTestPKI(t)
	tests := []struct {
		name   string
		damage func(t *testing.T, s *Store, dir string, a, b content.Item)
		// verifyOnly: Stat and Open accept the record, Verify refuses it.
		verifyOnly bool
	}{
		{"a flipped byte in the info file fails Stat and Open",
			func(t *testing.T, s *Store, dir string, a, b content.Item) {
				flipByte(t, itemFile(dir, a.ID, infoName))
			}, false},
		{"a truncated info file fails Stat and Open",
			func(t *testing.T, s *Store, dir string, a, b content.Item) {
				os.WriteFile(itemFile(dir, a.ID, infoName), []byte{1, 2, 3}, 0o600)
			}, false},
		{"an oversized info file fails Stat and Open",
			func(t *testing.T, s *Store, dir string, a, b content.Item) {
				os.WriteFile(itemFile(dir, a.ID, infoName), make([]byte, maxInfoLen+1), 0o600)
			}, false},
		{"another item's info file fails Stat and Open",
			func(t *testing.T, s *Store, dir string, a, b content.Item) {
				os.WriteFile(itemFile(dir, a.ID, infoName), mustRead(t, itemFile(dir, b.ID, infoName)), 0o600)
			}, false},
		{"the meta file in place of the info file fails Stat and Open",
			func(t *testing.T, s *Store, dir string, a, b content.Item) {
				os.WriteFile(itemFile(dir, a.ID, infoName), mustRead(t, itemFile(dir, a.ID, metaName)), 0o600)
			}, false},
		{"an info record whose size disagrees with the container fails Stat and Open",
			func(t *testing.T, s *Store, dir string, a, b content.Item) {
				a.Size, a.Chunks = a.Size+1, a.Chunks+1
				sealItemInfo(t, s, dir, a.ID, a)
			}, false},
		{"an info record whose title disagrees with the signed manifest fails Verify",
			func(t *testing.T, s *Store, dir string, a, b content.Item) {
				a.Title = "another title"
				sealItemInfo(t, s, dir, a.ID, a)
			}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, dir := newTestStore(t, p, ChaCha20Poly1305)
			a, _ := s.Add(newGenReader(1, 2*content.MinChunkSize), AddOptions{Title: "a", ChunkSize: content.MinChunkSize})
			b, _ := s.Add(newGenReader(2, 2*content.MinChunkSize), AddOptions{Title: "b", ChunkSize: content.MinChunkSize})
			tc.damage(t, s, dir, a, b)
			var ie *content.IntegrityError
			_, statErr := s.Stat(a.ID)
			_, openErr := s.Open(a.ID)
			verifyErr := s.Verify(a.ID)
			if tc.verifyOnly {
				if statErr != nil || openErr != nil || !errors.As(verifyErr, &ie) {
					t.Fatalf("Stat = %v, Open = %v, Verify = %v", statErr, openErr, verifyErr)
				}
				return
			}
			if !errors.As(statErr, &ie) || ie.Chunk != -1 || !errors.As(openErr, &ie) || verifyErr == nil {
				t.Fatalf("Stat = %v, Open = %v, Verify = %v", statErr, openErr, verifyErr)
			}
			if _, err := s.Stat(b.ID); err != nil {
				t.Fatalf("the other item: %v", err)
			}
		})
	}
}

// TestAnItemWithoutAnInfoRecordIsDescribedFromItsManifest covers items
// written before info records existed.
func TestAnItemWithoutAnInfoRecordIsDescribedFromItsManifest(t *testing.T) {
	p := newTestPKI(t)
	s, dir := newTestStore(t, p, AES256GCM)
	added, err := s.Add(newGenReader(1, content.MinChunkSize+7), AddOptions{
		Title: "old", ContentType: "audio/wav", ChunkSize: content.MinChunkSize, Duration: time.Second,
		Policy: json.RawMessage(`{"views":2}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(itemFile(dir, added.ID, infoName)); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Stat(added.ID); err != nil || !reflect.DeepEqual(got, added) {
		t.Fatalf("Stat = %+v, %v\nwant %+v", got, err, added)
	}
	if list, err := s.List(); err != nil || len(list) != 1 {
		t.Fatalf("List = %v, %v", list, err)
	}
	if err := s.Verify(added.ID); err != nil {
		t.Fatal(err)
	}
}

func TestInfoRecordRoundTrip(t *testing.T) {
	for _, in := range []content.Item{
		{Title: "Ода", ContentType: "audio/ogg", Size: 2*content.MinChunkSize + 5, ChunkSize: content.MinChunkSize, Chunks: 3,
			Duration: time.Minute, Added: time.Date(2026, 11, 25, 13, 0, 0, 123, time.UTC), Policy: json.RawMessage(`{"views":1}`)},
		{Size: 0, ChunkSize: content.DefaultChunkSize, Chunks: 1, Added: time.Unix(0, 0).UTC()},
	} {
		b, err := marshalInfo(&in)
		if err != nil {
			t.Fatal(err)
		}
		got, err := parseInfo(b)
		if err != nil || !reflect.DeepEqual(*got, in) {
			t.Fatalf("parseInfo = %+v, %v\nwant %+v", got, err, in)
		}
	}
}

// FuzzItemInfo: the info decoder never panics, is canonical, and accepts
// only geometry the container could have.
func FuzzItemInfo(f *testing.F) {
	for _, in := range []content.Item{
		{Title: "t", ContentType: "video/mp4", Size: 12345, ChunkSize: content.MinChunkSize, Chunks: 1, Policy: json.RawMessage(`{}`)},
		{Size: 0, ChunkSize: content.DefaultChunkSize, Chunks: 1},
	} {
		b, _ := marshalInfo(&in)
		f.Add(b)
	}
	f.Add([]byte{})
	f.Add([]byte{infoVersion, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		in, err := parseInfo(b)
		if err != nil {
			return
		}
		again, err := marshalInfo(in)
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("re-encoding differs: %v", err)
		}
		if in.Chunks < 1 || in.Chunks > content.MaxChunks || content.CheckGeometry(in.Size, in.ChunkSize) != nil {
			t.Fatalf("accepted geometry %+v", in)
		}
	})
}
