package token_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/miekg/pkcs11"

	"securemedia/content"
	"securemedia/media"
	"securemedia/token"
	"securemedia/token/provision"
	"securemedia/token/provision/provisiontest"
)

// The token KEK plugs into the media store; the check lives in a test so
// that package token does not depend on package media.
var _ media.KEK = (*token.KEK)(nil)

const (
	testKEKToken = "SECUREMEDIA KEK"
	testKEKLabel = "media-kek"
)

// newKEKToken initializes a SoftHSM2 token labelled testKEKToken, with user
// PIN testPIN, in a configuration of its own under t.TempDir(), and returns
// the Config that selects it. No key-encryption key is created (the token
// is a demo card: any token with a user PIN serves).
func newKEKToken(t testing.TB) token.Config {
	t.Helper()
	d := provisiontest.NewCard(t, provision.DemoCardOptions{Label: testKEKToken, KeyType: "p256"})
	return token.Config{Module: d.Module, URI: "pkcs11:token=SECUREMEDIA%20KEK", PIN: pinFunc(testPIN)}
}

// newTestKEK initializes a token, creates the KEK on it and opens it.
func newTestKEK(t testing.TB) (*token.KEK, token.Config) {
	t.Helper()
	c := newKEKToken(t)
	if err := provision.CreateKEK(c, testKEKLabel); err != nil {
		t.Fatalf("CreateKEK: %v", err)
	}
	return openTestKEK(t, c), c
}

func openTestKEK(t testing.TB, c token.Config) *token.KEK {
	t.Helper()
	k, err := token.OpenKEK(c, testKEKLabel)
	if err != nil {
		t.Fatalf("OpenKEK: %v", err)
	}
	t.Cleanup(func() { k.Close() })
	return k
}

func TestTheTokenKEKUnwrapsWhatItWrapped(t *testing.T) {
	k, _ := newTestKEK(t)
	dataKey := bytes.Repeat([]byte{0x5a}, 32)
	w1, err := k.Wrap(dataKey, "item-1")
	if err != nil {
		t.Fatalf("Wrap: %v", err)
	}
	if len(w1) != token.KEKIVSize+len(dataKey)+token.KEKTagSize {
		t.Errorf("wrapped key is %d bytes, want IV ‖ ciphertext ‖ tag = %d", len(w1), token.KEKIVSize+len(dataKey)+token.KEKTagSize)
	}
	if bytes.Contains(w1, dataKey[:16]) {
		t.Error("the wrapped key contains the data key in clear")
	}
	w2, err := k.Wrap(dataKey, "item-1")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(w1[:token.KEKIVSize], w2[:token.KEKIVSize]) || bytes.Equal(w1, w2) {
		t.Error("two wraps of the same key share their IV")
	}
	for _, w := range [][]byte{w1, w2} {
		got, err := k.Unwrap(w, "item-1")
		if err != nil {
			t.Fatalf("Unwrap: %v", err)
		}
		if !bytes.Equal(got, dataKey) {
			t.Fatal("Unwrap returned another key")
		}
	}
}

func TestATamperedWrappedKeyIsRefused(t *testing.T) {
	k, _ := newTestKEK(t)
	dataKey := bytes.Repeat([]byte{0xa5}, 32)
	good, err := k.Wrap(dataKey, "item-1")
	if err != nil {
		t.Fatal(err)
	}
	flip := func(i int) []byte {
		b := bytes.Clone(good)
		b[i] ^= 0x01
		return b
	}
	for _, tc := range []struct {
		name    string
		wrapped []byte
		itemID  string
	}{
		{"a flipped IV byte", flip(0), "item-1"},
		{"a flipped ciphertext byte", flip(token.KEKIVSize + 3), "item-1"},
		{"a flipped tag byte", flip(len(good) - 1), "item-1"},
		{"the key of another item", good, "item-2"},
		{"a truncated key", good[:len(good)-1], "item-1"},
		{"an IV and a tag only", good[:token.KEKIVSize+token.KEKTagSize], "item-1"},
		{"an empty key", nil, "item-1"},
		{"an oversized key", make([]byte, 4096), "item-1"},
	} {
		t.Run(tc.name+" does not unwrap", func(t *testing.T) {
			got, err := k.Unwrap(tc.wrapped, tc.itemID)
			if !errors.Is(err, token.ErrWrappedKeyInvalid) {
				t.Fatalf("Unwrap = %x, %v; want ErrWrappedKeyInvalid", got, err)
			}
		})
	}
	// A failed unwrap must leave the session usable.
	if got, err := k.Unwrap(good, "item-1"); err != nil || !bytes.Equal(got, dataKey) {
		t.Fatalf("Unwrap after failures = %x, %v", got, err)
	}
}

func TestAWrongPINDoesNotOpenTheKEK(t *testing.T) {
	c := newKEKToken(t)
	if err := provision.CreateKEK(c, testKEKLabel); err != nil {
		t.Fatal(err)
	}
	wrong := c
	wrong.PIN = pinFunc("000000")
	if _, err := token.OpenKEK(wrong, testKEKLabel); !errors.Is(err, token.ErrWrongPIN) {
		t.Fatalf("OpenKEK with a wrong PIN: err = %v, want ErrWrongPIN", err)
	}
	if err := provision.CreateKEK(wrong, "another-kek"); !errors.Is(err, token.ErrWrongPIN) {
		t.Fatalf("CreateKEK with a wrong PIN: err = %v, want ErrWrongPIN", err)
	}
	assertFinalized(t, c.Module)
	openTestKEK(t, c)
}

func TestTheKEKIsSelectedByLabelOrURIObject(t *testing.T) {
	c := newKEKToken(t)
	if err := provision.CreateKEK(c, testKEKLabel); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		uri     string
		label   string
		wantErr error
		errText string
	}{
		{name: "the label opens the key", uri: "pkcs11:token=SECUREMEDIA%20KEK", label: testKEKLabel},
		{name: "the URI's object opens the key", uri: "pkcs11:token=SECUREMEDIA%20KEK;object=media-kek;type=secret-key"},
		{name: "a missing key is reported", uri: "pkcs11:token=SECUREMEDIA%20KEK;object=nope", wantErr: token.ErrObjectNotFound},
		{name: "a missing token is reported", uri: "pkcs11:token=NOPE;object=media-kek", wantErr: token.ErrTokenNotFound},
		{name: "a URI naming a private key is refused", uri: "pkcs11:token=SECUREMEDIA%20KEK;object=media-kek;type=private", errText: "secret key"},
		{name: "no key label is refused", uri: "pkcs11:token=SECUREMEDIA%20KEK", errText: "no key label"},
		{name: "a label that contradicts the URI is refused", uri: "pkcs11:token=SECUREMEDIA%20KEK;object=media-kek", label: "other", errText: "differ"},
		{name: "an overlong label is refused", uri: "pkcs11:token=SECUREMEDIA%20KEK", label: strings.Repeat("k", token.MaxKEKLabel+1), errText: "longer than"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cc := c
			cc.URI = tc.uri
			k, err := token.OpenKEK(cc, tc.label)
			if expectOpened(t, err, tc.wantErr, tc.errText) {
				k.Close()
			}
		})
	}
	assertFinalized(t, c.Module)
}

func TestTheKEKIDIsStableAndNamesTokenAndKey(t *testing.T) {
	k1, c := newTestKEK(t)
	k2 := openTestKEK(t, c)
	t.Logf("ID = %q", k1.ID())
	if k1.ID() != k2.ID() {
		t.Errorf("ID changed between opens: %q, %q", k1.ID(), k2.ID())
	}
	if !strings.HasPrefix(k1.ID(), "pkcs11:") || !strings.HasSuffix(k1.ID(), ":"+testKEKLabel) || len(k1.ID()) > 255 {
		t.Errorf("ID = %q, want pkcs11:SERIAL:%s", k1.ID(), testKEKLabel)
	}
	// Two handles on one key share the key: each unwraps the other's wraps.
	w, err := k1.Wrap([]byte("0123456789abcdef0123456789abcdef"), "x")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := k2.Unwrap(w, "x"); err != nil {
		t.Fatalf("a second handle does not unwrap: %v", err)
	}
}

func TestTheKEKServesConcurrentCallers(t *testing.T) {
	k, _ := newTestKEK(t)
	errs := make(chan error, 8)
	for g := range 8 {
		go func() {
			for i := range 20 {
				dk := bytes.Repeat([]byte{byte(g), byte(i)}, 16)
				id := fmt.Sprintf("item-%d-%d", g, i)
				w, err := k.Wrap(dk, id)
				if err == nil {
					var got []byte
					if got, err = k.Unwrap(w, id); err == nil && !bytes.Equal(got, dk) {
						err = fmt.Errorf("%s unwrapped to another key", id)
					}
				}
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

// withUserSession runs f on a logged-in read-write session of the token c
// selects.
func withUserSession(t *testing.T, c token.Config, f func(ctx *pkcs11.Ctx, sh pkcs11.SessionHandle)) {
	t.Helper()
	a, err := token.OpenKEKAdmin(c, testKEKLabel)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	a.Do(func(ctx *pkcs11.Ctx, sh pkcs11.SessionHandle, _ uint) error {
		f(ctx, sh)
		return nil
	})
}

// attr reads one attribute of an object.
func attr(ctx *pkcs11.Ctx, sh pkcs11.SessionHandle, o pkcs11.ObjectHandle, typ uint) ([]byte, error) {
	as, err := ctx.GetAttributeValue(sh, o, []*pkcs11.Attribute{pkcs11.NewAttribute(typ, nil)})
	if err != nil {
		return nil, err
	}
	return as[0].Value, nil
}

func TestTheKEKCannotBeReadOffTheToken(t *testing.T) {
	_, c := newTestKEK(t)
	withUserSession(t, c, func(ctx *pkcs11.Ctx, sh pkcs11.SessionHandle) {
		if err := ctx.FindObjectsInit(sh, []*pkcs11.Attribute{
			pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_SECRET_KEY),
			pkcs11.NewAttribute(pkcs11.CKA_LABEL, testKEKLabel),
		}); err != nil {
			t.Fatal(err)
		}
		hs, _, err := ctx.FindObjects(sh, 2)
		ctx.FindObjectsFinal(sh)
		if err != nil || len(hs) != 1 {
			t.Fatalf("find the key: %d handles, %v", len(hs), err)
		}
		if v, err := attr(ctx, sh, hs[0], pkcs11.CKA_VALUE); err == nil {
			t.Fatalf("C_GetAttributeValue(CKA_VALUE) returned %d bytes of the key", len(v))
		} else if !errors.Is(err, pkcs11.Error(pkcs11.CKR_ATTRIBUTE_SENSITIVE)) {
			t.Errorf("C_GetAttributeValue(CKA_VALUE): %v, want CKR_ATTRIBUTE_SENSITIVE", err)
		}
		for _, a := range []struct {
			typ  uint
			want byte
			name string
		}{
			{pkcs11.CKA_SENSITIVE, 1, "CKA_SENSITIVE"},
			{pkcs11.CKA_EXTRACTABLE, 0, "CKA_EXTRACTABLE"},
			{pkcs11.CKA_TOKEN, 1, "CKA_TOKEN"},
			{pkcs11.CKA_WRAP, 0, "CKA_WRAP"},
		} {
			v, err := attr(ctx, sh, hs[0], a.typ)
			if err != nil || len(v) != 1 || v[0] != a.want {
				t.Errorf("%s = %x, %v; want %d", a.name, v, err, a.want)
			}
		}
	})
}

func TestAnExtractableKeyIsRefused(t *testing.T) {
	c := newKEKToken(t)
	withUserSession(t, c, func(ctx *pkcs11.Ctx, sh pkcs11.SessionHandle) {
		// The key CreateKEK makes, but extractable.
		tmpl := []*pkcs11.Attribute{
			pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_SECRET_KEY),
			pkcs11.NewAttribute(pkcs11.CKA_KEY_TYPE, pkcs11.CKK_AES),
			pkcs11.NewAttribute(pkcs11.CKA_VALUE_LEN, 32),
			pkcs11.NewAttribute(pkcs11.CKA_LABEL, testKEKLabel),
			pkcs11.NewAttribute(pkcs11.CKA_TOKEN, true),
			pkcs11.NewAttribute(pkcs11.CKA_SENSITIVE, true),
			pkcs11.NewAttribute(pkcs11.CKA_EXTRACTABLE, true),
			pkcs11.NewAttribute(pkcs11.CKA_ENCRYPT, true),
			pkcs11.NewAttribute(pkcs11.CKA_DECRYPT, true),
		}
		if _, err := ctx.GenerateKey(sh, []*pkcs11.Mechanism{pkcs11.NewMechanism(pkcs11.CKM_AES_KEY_GEN, nil)}, tmpl); err != nil {
			t.Fatal(err)
		}
	})
	if k, err := token.OpenKEK(c, testKEKLabel); err == nil || !strings.Contains(err.Error(), "extractable") {
		if k != nil {
			k.Close()
		}
		t.Fatalf("OpenKEK on an extractable key: err = %v, want a refusal", err)
	}
}

func TestAClosedKEKRefusesToWork(t *testing.T) {
	k, c := newTestKEK(t)
	w, err := k.Wrap(make([]byte, 32), "x")
	if err != nil {
		t.Fatal(err)
	}
	if err := k.Close(); err != nil {
		t.Fatal(err)
	}
	if err := k.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if _, err := k.Unwrap(w, "x"); err == nil {
		t.Fatal("Unwrap after Close succeeded")
	}
	if _, err := k.Wrap(make([]byte, 32), "x"); err == nil {
		t.Fatal("Wrap after Close succeeded")
	}
	assertFinalized(t, c.Module)
}

// testStoreOptions returns store options with a throwaway content signer.
func testStoreOptions(t *testing.T) media.StoreOptions {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "content"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	return media.StoreOptions{ContentSigner: key, ContentChain: [][]byte{der}}
}

// testItem is content added to a store, with its id once added.
type testItem struct {
	id      content.ID
	content []byte
}

func addItems(t *testing.T, s *media.Store, sizes ...int) []testItem {
	t.Helper()
	var out []testItem
	for _, n := range sizes {
		data := make([]byte, n)
		rand.Read(data)
		info, err := s.Add(bytes.NewReader(data), media.AddOptions{Title: "item", ChunkSize: content.MinChunkSize})
		if err != nil {
			t.Fatalf("Add: %v", err)
		}
		out = append(out, testItem{id: info.ID, content: data})
	}
	return out
}

// assertPlays reads every chunk of every item back and compares.
func assertPlays(t *testing.T, s *media.Store, items []testItem) {
	t.Helper()
	for _, it := range items {
		r, err := s.Open(it.id)
		if err != nil {
			t.Fatalf("Open %s: %v", it.id, err)
		}
		var got []byte
		for i := range r.Item().Chunks {
			if got, err = r.Chunk(i, got); err != nil {
				r.Close()
				t.Fatalf("Chunk %d of %s: %v", i, it.id, err)
			}
		}
		r.Close()
		if !bytes.Equal(got, it.content) {
			t.Fatalf("item %s does not read back as added", it.id)
		}
		if err := s.Verify(it.id); err != nil {
			t.Fatalf("Verify %s: %v", it.id, err)
		}
	}
}

func TestAStoreUnderTheTokenKEKAddsAndPlays(t *testing.T) {
	k, c := newTestKEK(t)
	dir := t.TempDir()
	o := testStoreOptions(t)
	s, err := media.OpenStore(dir, k, o)
	if err != nil {
		t.Fatalf("OpenStore: %v", err)
	}
	items := addItems(t, s, 1, content.MinChunkSize+1, 3*content.MinChunkSize)
	assertPlays(t, s, items)
	assertNoWindowOfContent(t, dir, items)

	// A second handle on the token key (a restart) reopens the store.
	s2, err := media.OpenStore(dir, openTestKEK(t, c), o)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	assertPlays(t, s2, items)
}

// assertNoWindowOfContent checks that no 16-byte window of any item's
// content is stored in clear under dir.
func assertNoWindowOfContent(t *testing.T, dir string, items []testItem) {
	t.Helper()
	var stored [][]byte
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		stored = append(stored, b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) == 0 {
		t.Fatal("found no stored file")
	}
	for _, it := range items {
		for off := 0; off+16 <= len(it.content); off += 997 {
			for _, b := range stored {
				if bytes.Contains(b, it.content[off:off+16]) {
					t.Fatalf("a 16-byte window of item %s is stored in clear", it.id)
				}
			}
		}
	}
}

func TestRekeyMovesAStoreBetweenThePassphraseAndTheToken(t *testing.T) {
	k, c := newTestKEK(t)
	dir := t.TempDir()
	o := testStoreOptions(t)
	tiny := media.Argon2Params{Time: 1, Memory: 64, Threads: 1}
	oldPass := []byte("old master passphrase")
	pk, err := media.PassphraseKEK(dir, oldPass, tiny)
	if err != nil {
		t.Fatal(err)
	}
	s, err := media.OpenStore(dir, pk, o)
	if err != nil {
		t.Fatal(err)
	}
	items := addItems(t, s, 1, 2*content.MinChunkSize+7)

	if err := s.Rekey(k); err != nil {
		t.Fatalf("rekey passphrase → token: %v", err)
	}
	assertPlays(t, s, items)
	if s2, err := media.OpenStore(dir, openTestKEK(t, c), o); err != nil {
		t.Fatalf("the token KEK does not open the rekeyed store: %v", err)
	} else {
		assertPlays(t, s2, append(items, addItems(t, s2, 5)...))
	}
	oldKEK, err := media.PassphraseKEK(dir, oldPass, tiny)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := media.OpenStore(dir, oldKEK, o); !errors.Is(err, content.ErrWrongKEK) {
		t.Fatalf("the old passphrase after rekey to the token: err = %v, want ErrWrongKEK", err)
	}

	newPass := []byte("new master passphrase")
	nk, err := media.NewPassphraseKEK(dir, newPass, tiny)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Rekey(nk); err != nil {
		t.Fatalf("rekey token → passphrase: %v", err)
	}
	assertPlays(t, s, items)
	if _, err := media.OpenStore(dir, openTestKEK(t, c), o); !errors.Is(err, content.ErrWrongKEK) {
		t.Fatalf("the token KEK after rekey to a passphrase: err = %v, want ErrWrongKEK", err)
	}
	reopened, err := media.PassphraseKEK(dir, newPass, tiny)
	if err != nil {
		t.Fatal(err)
	}
	s3, err := media.OpenStore(dir, reopened, o)
	if err != nil {
		t.Fatalf("the new passphrase does not open the store: %v", err)
	}
	assertPlays(t, s3, items)
}

func FuzzTokenKEKUnwrap(f *testing.F) {
	k, _ := newTestKEK(f)
	dataKey := bytes.Repeat([]byte{0x42}, 32)
	good, err := k.Wrap(dataKey, "item")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good, "item")
	f.Add(good, "other")
	f.Add(good[:token.KEKIVSize+token.KEKTagSize], "item")
	f.Add([]byte{}, "")
	f.Add(bytes.Repeat([]byte{0xff}, 200), "item")
	f.Fuzz(func(t *testing.T, wrapped []byte, itemID string) {
		got, err := k.Unwrap(wrapped, itemID)
		if err != nil {
			if !errors.Is(err, token.ErrWrappedKeyInvalid) {
				t.Fatalf("Unwrap error %v is not ErrWrappedKeyInvalid", err)
			}
			return
		}
		if !bytes.Equal(wrapped, good) || itemID != "item" || !bytes.Equal(got, dataKey) {
			t.Fatalf("Unwrap accepted %x for %q", wrapped, itemID)
		}
	})
}

func TestTheProvisioningDoorsRefuseToWorkOnceClosed(t *testing.T) {
	c := newKEKToken(t)
	a, err := token.OpenKEKAdmin(c, testKEKLabel)
	if err != nil {
		t.Fatal(err)
	}
	if a.TokenLabel() != testKEKToken || a.KeyLabel() != testKEKLabel {
		t.Errorf("token %q, key %q; want %q, %q", a.TokenLabel(), a.KeyLabel(), testKEKToken, testKEKLabel)
	}
	noop := func(*pkcs11.Ctx, pkcs11.SessionHandle, uint) error { return nil }
	if err := a.Do(noop); err != nil {
		t.Fatalf("Do on an open session: %v", err)
	}
	a.Close()
	if err := a.Do(noop); err == nil {
		t.Error("Do on a closed session ran")
	}
	m, err := token.LoadModule(c.Module)
	if err != nil {
		t.Fatal(err)
	}
	m.Close()
	if err := m.Do(func(*pkcs11.Ctx) error { return nil }); err == nil {
		t.Error("Do on a closed module ran")
	}
	assertFinalized(t, c.Module)
}
