package media

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/crypto/argon2"

	"securemedia/content"
	"securemedia/internal/fsutil"
)

// KEK is a key-encryption key: it wraps and unwraps the items' data keys.
// The passphrase-derived one is PassphraseKEK; a PKCS#11 token key plugs in
// behind the same interface.
type KEK interface {
	// Wrap seals dataKey, bound to itemID.
	Wrap(dataKey []byte, itemID string) ([]byte, error)
	// Unwrap opens what Wrap produced for the same itemID.
	Unwrap(wrapped []byte, itemID string) ([]byte, error)
	// ID names the key (not secret), recorded next to what it wraps.
	ID() string
}

// Argon2Params are the Argon2id costs of the passphrase KEK.
type Argon2Params struct {
	Time    uint32 // passes
	Memory  uint32 // KiB
	Threads uint8
}

// DefaultArgon2Params returns RFC 9106's second recommended option (§4):
// t=3, m=64 MiB, p=4.
func DefaultArgon2Params() Argon2Params { return Argon2Params{Time: 3, Memory: 64 << 10, Threads: 4} }

// Limits on the parameters read back from the KEK file, so that an edited
// file cannot make the server allocate without bound or spin forever.
const (
	maxArgon2Time   = 64
	maxArgon2Memory = 4 << 20 // KiB: 4 GiB
	minSaltSize     = 16
	maxKEKFileSize  = 4 << 10
	// kekFileName is the KEK header in dataDir: parameters, salt, check.
	kekFileName = "kek.json"
)

// Labels of the passphrase KEK.
const (
	labelWrapAAD  = "securemedia v1 data key\x00"
	labelKEKCheck = "securemedia v1 kek check"
)

// ErrWrongPassphrase means the passphrase does not match the KEK file.
var ErrWrongPassphrase = errors.New("media: wrong master passphrase")

func (p Argon2Params) valid() bool {
	return p.Time >= 1 && p.Time <= maxArgon2Time &&
		p.Memory >= 8*uint32(p.Threads) && p.Memory <= maxArgon2Memory && p.Threads >= 1
}

// kekFile is the on-disk form of the passphrase KEK header. Nothing in it
// is secret: Argon2id parameters, the salt, and a check value that tells a
// wrong passphrase at once.
type kekFile struct {
	Version int    `json:"version"`
	KDF     string `json:"kdf"`
	Time    uint32 `json:"time"`
	Memory  uint32 `json:"memory_kib"`
	Threads uint8  `json:"threads"`
	Salt    []byte `json:"salt"`
	Check   []byte `json:"check"`
}

// passphraseKEK is a KEK derived from a passphrase with Argon2id.
type passphraseKEK struct {
	aead cipher.AEAD
	id   string
	// pending is the KEK file to write when this key becomes the store's
	// key (after a rekey); nil once written.
	pending *kekFile
	dir     string
}

// PassphraseKEK derives the store's KEK from the operator passphrase. The
// Argon2id parameters and salt live in dataDir/kek.json: when the file
// exists its parameters are used (p is ignored) and the passphrase is
// checked against its check value (ErrWrongPassphrase); when it does not,
// it is created with p and a fresh salt.
func PassphraseKEK(dataDir string, passphrase []byte, p Argon2Params) (KEK, error) {
	k, err := ExistingPassphraseKEK(dataDir, passphrase)
	if !errors.Is(err, os.ErrNotExist) {
		return k, err
	}
	k, err = NewPassphraseKEK(dataDir, passphrase, p)
	if err != nil {
		return nil, err
	}
	if err := k.(*passphraseKEK).commit(); err != nil {
		return nil, err
	}
	return k, nil
}

// ExistingPassphraseKEK is PassphraseKEK for a store that has its KEK
// file: without one it fails (os.ErrNotExist) rather than start a new
// key, as reopening the key of a running store must.
func ExistingPassphraseKEK(dataDir string, passphrase []byte) (KEK, error) {
	f, err := readKEKFile(filepath.Join(dataDir, kekFileName))
	if err != nil {
		return nil, err
	}
	k, err := deriveKEK(passphrase, f)
	if err != nil {
		return nil, err
	}
	if _, err := k.aead.Open(nil, f.Check[:k.aead.NonceSize()], f.Check[k.aead.NonceSize():], []byte(labelKEKCheck)); err != nil {
		return nil, ErrWrongPassphrase
	}
	k.dir = dataDir
	return k, nil
}

// NewPassphraseKEK derives a new KEK from passphrase with a fresh salt,
// without touching dataDir/kek.json: it is the target of Store.Rekey, which
// writes the file once every data key is rewrapped.
func NewPassphraseKEK(dataDir string, passphrase []byte, p Argon2Params) (KEK, error) {
	if !p.valid() {
		return nil, fmt.Errorf("media: Argon2id parameters %+v out of range", p)
	}
	if len(passphrase) == 0 {
		return nil, errors.New("media: empty master passphrase")
	}
	f := &kekFile{Version: 1, KDF: "argon2id", Time: p.Time, Memory: p.Memory, Threads: p.Threads, Salt: make([]byte, 32)}
	rand.Read(f.Salt)
	k, err := deriveKEK(passphrase, f)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, k.aead.NonceSize())
	rand.Read(nonce)
	f.Check = k.aead.Seal(nonce, nonce, make([]byte, 32), []byte(labelKEKCheck))
	k.pending, k.dir = f, dataDir
	return k, nil
}

func deriveKEK(passphrase []byte, f *kekFile) (*passphraseKEK, error) {
	key := argon2.IDKey(passphrase, f.Salt, f.Time, f.Memory, f.Threads, 32)
	defer clear(key)
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(b)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(f.Salt)
	return &passphraseKEK{aead: aead, id: "argon2id:" + hex.EncodeToString(sum[:8])}, nil
}

func readKEKFile(path string) (*kekFile, error) {
	b, err := fsutil.ReadFileLimit(path, maxKEKFileSize)
	if err != nil {
		return nil, fmt.Errorf("media: %w", err)
	}
	var f kekFile
	if json.Unmarshal(b, &f) != nil {
		return nil, fmt.Errorf("media: %s is not a KEK file", path)
	}
	p := Argon2Params{Time: f.Time, Memory: f.Memory, Threads: f.Threads}
	if f.Version != 1 || f.KDF != "argon2id" || !p.valid() || len(f.Salt) < minSaltSize || len(f.Check) != 12+32+tagSize {
		return nil, fmt.Errorf("media: %s: unsupported or out-of-range KEK parameters", path)
	}
	return &f, nil
}

// commit writes the pending KEK file (temp file, then rename).
func (k *passphraseKEK) commit() error {
	if k.pending == nil {
		return nil
	}
	b, err := json.MarshalIndent(k.pending, "", "  ")
	if err != nil {
		return err
	}
	if err := fsutil.WriteFileAtomic(filepath.Join(k.dir, kekFileName), append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("media: write KEK file: %w", err)
	}
	k.pending = nil
	return nil
}

func (k *passphraseKEK) ID() string { return k.id }

func (k *passphraseKEK) Wrap(dataKey []byte, itemID string) ([]byte, error) {
	nonce := make([]byte, k.aead.NonceSize())
	rand.Read(nonce)
	return k.aead.Seal(nonce, nonce, dataKey, []byte(labelWrapAAD+itemID)), nil
}

func (k *passphraseKEK) Unwrap(wrapped []byte, itemID string) ([]byte, error) {
	n := k.aead.NonceSize()
	if len(wrapped) < n+tagSize {
		return nil, content.ErrWrongKEK
	}
	dk, err := k.aead.Open(nil, wrapped[:n], wrapped[n:], []byte(labelWrapAAD+itemID))
	if err != nil {
		return nil, content.ErrWrongKEK
	}
	return dk, nil
}

// committer is implemented by KEKs that must persist something when they
// become the store's key (the passphrase KEK's parameter file).
type committer interface{ commit() error }
