package pki

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"strconv"

	"securemedia/internal/fsutil"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20poly1305"
)

// ErrWrongPassphrase is returned when an encrypted key does not open with
// the passphrase given (or the file was modified).
var ErrWrongPassphrase = errors.New("wrong passphrase (or the key file was modified)")

const (
	pemEncryptedKey = "SECUREMEDIA ENCRYPTED PRIVATE KEY"
	pemPrivateKey   = "PRIVATE KEY"

	kdfArgon2id = "argon2id"
	saltSize    = 16
)

// Bounds on the Argon2id parameters read from a key file, so that a hostile
// file cannot make us allocate without limit.
const (
	maxArgonMemoryKiB = 4 << 20 // 4 GiB
	maxArgonTime      = 64
	maxArgonThreads   = 64
)

// KDFParams are the Argon2id costs for encrypting a private key.
type KDFParams struct {
	// Time is the number of passes.
	Time uint32
	// MemoryKiB is the memory cost in KiB.
	MemoryKiB uint32
	// Threads is the parallelism.
	Threads uint8
}

// DefaultKDFParams returns modest production costs: 3 passes over 64 MiB.
func DefaultKDFParams() KDFParams { return KDFParams{Time: 3, MemoryKiB: 64 << 10, Threads: 4} }

func (p KDFParams) valid() error {
	if p.Time < 1 || p.Time > maxArgonTime || p.MemoryKiB < 8 || p.MemoryKiB > maxArgonMemoryKiB ||
		p.Threads < 1 || p.Threads > maxArgonThreads || p.MemoryKiB < 8*uint32(p.Threads) {
		return fmt.Errorf("argon2id parameters out of range (time %d, memory %d KiB, threads %d)", p.Time, p.MemoryKiB, p.Threads)
	}
	return nil
}

// WriteSigner writes key as PKCS#8 PEM to path with mode 0600, encrypted
// under passphrase with DefaultKDFParams unless passphrase is nil.
func WriteSigner(path string, key crypto.Signer, passphrase []byte) error {
	return WriteSignerWithParams(path, key, passphrase, DefaultKDFParams())
}

// WriteSignerWithParams is WriteSigner with explicit Argon2id costs.
func WriteSignerWithParams(path string, key crypto.Signer, passphrase []byte, p KDFParams) error {
	data, err := MarshalSigner(key, passphrase, p)
	if err != nil {
		return err
	}
	return fsutil.WriteFileAtomic(path, data, 0o600)
}

// MarshalSigner encodes key as PKCS#8 PEM, encrypted when passphrase is not nil.
func MarshalSigner(key crypto.Signer, passphrase []byte, p KDFParams) ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("marshal private key: %w", err)
	}
	defer clear(der)
	if passphrase == nil {
		return pem.EncodeToMemory(&pem.Block{Type: pemPrivateKey, Bytes: der}), nil
	}
	if len(passphrase) == 0 {
		return nil, errors.New("empty passphrase")
	}
	if err := p.valid(); err != nil {
		return nil, err
	}
	salt := make([]byte, saltSize)
	if _, err := rand.Read(salt); err != nil {
		return nil, err
	}
	headers := map[string]string{
		"KDF":            kdfArgon2id,
		"Argon2-Time":    strconv.FormatUint(uint64(p.Time), 10),
		"Argon2-Memory":  strconv.FormatUint(uint64(p.MemoryKiB), 10),
		"Argon2-Threads": strconv.FormatUint(uint64(p.Threads), 10),
		"Salt":           base64.StdEncoding.EncodeToString(salt),
	}
	aead, err := keyAEAD(passphrase, salt, p)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(der)+aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	body := aead.Seal(nonce, nonce, der, keyAAD(p, salt))
	return pem.EncodeToMemory(&pem.Block{Type: pemEncryptedKey, Headers: headers, Bytes: body}), nil
}

// keyAAD binds the block type and every KDF parameter to the ciphertext, so
// that editing a header makes decryption fail.
func keyAAD(p KDFParams, salt []byte) []byte {
	return fmt.Appendf(nil, "%s\nKDF=%s\nTime=%d\nMemory=%d\nThreads=%d\nSalt=%x\n",
		pemEncryptedKey, kdfArgon2id, p.Time, p.MemoryKiB, p.Threads, salt)
}

type aeadCipher interface {
	NonceSize() int
	Overhead() int
	Seal(dst, nonce, plaintext, additionalData []byte) []byte
	Open(dst, nonce, ciphertext, additionalData []byte) ([]byte, error)
}

func keyAEAD(passphrase, salt []byte, p KDFParams) (aeadCipher, error) {
	k := argon2.IDKey(passphrase, salt, p.Time, p.MemoryKiB, p.Threads, chacha20poly1305.KeySize)
	defer clear(k)
	return chacha20poly1305.NewX(k)
}

// LoadSigner reads a private key: PKCS#8 PEM (also SEC 1 "EC PRIVATE KEY"
// and PKCS#1 "RSA PRIVATE KEY" for interoperability), or an encrypted key,
// in which case passphrase is called to obtain the passphrase.
func LoadSigner(path string, passphrase func() ([]byte, error)) (crypto.Signer, error) {
	data, err := fsutil.ReadFileLimit(path, maxKeyFile)
	if err != nil {
		return nil, err
	}
	k, err := ParseSigner(data, passphrase)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return k, nil
}

// ParseSigner decodes a private key as LoadSigner does.
func ParseSigner(data []byte, passphrase func() ([]byte, error)) (crypto.Signer, error) {
	block, rest := pem.Decode(data)
	if block == nil {
		if bytes.Contains(data, []byte("-----BEGIN")) {
			return nil, errors.New("truncated or malformed PEM private key")
		}
		return nil, errors.New("not a PEM private key")
	}
	if len(bytes.TrimSpace(rest)) > 0 {
		return nil, errors.New("unexpected data after the private key")
	}
	switch block.Type {
	case pemPrivateKey:
		return parsePKCS8(block.Bytes)
	case "EC PRIVATE KEY":
		return x509.ParseECPrivateKey(block.Bytes)
	case "RSA PRIVATE KEY":
		return x509.ParsePKCS1PrivateKey(block.Bytes)
	case pemEncryptedKey:
		return decryptKey(block, passphrase)
	}
	return nil, fmt.Errorf("unexpected PEM block %q (want a private key)", block.Type)
}

func decryptKey(block *pem.Block, passphrase func() ([]byte, error)) (crypto.Signer, error) {
	p, salt, err := parseKeyHeaders(block.Headers)
	if err != nil {
		return nil, err
	}
	if passphrase == nil {
		return nil, errors.New("the key is encrypted and no passphrase was given")
	}
	pass, err := passphrase()
	if err != nil {
		return nil, fmt.Errorf("passphrase: %w", err)
	}
	defer clear(pass)
	aead, err := keyAEAD(pass, salt, p)
	if err != nil {
		return nil, err
	}
	if len(block.Bytes) < aead.NonceSize()+aead.Overhead() {
		return nil, errors.New("encrypted key too short")
	}
	nonce, ct := block.Bytes[:aead.NonceSize()], block.Bytes[aead.NonceSize():]
	der, err := aead.Open(nil, nonce, ct, keyAAD(p, salt))
	if err != nil {
		return nil, ErrWrongPassphrase
	}
	defer clear(der)
	return parsePKCS8(der)
}

func parseKeyHeaders(h map[string]string) (KDFParams, []byte, error) {
	if h["KDF"] != kdfArgon2id {
		return KDFParams{}, nil, fmt.Errorf("unsupported key encryption %q", h["KDF"])
	}
	num := func(name string, bits int) (uint64, error) {
		v, err := strconv.ParseUint(h[name], 10, bits)
		if err != nil {
			return 0, fmt.Errorf("key header %s: %w", name, err)
		}
		return v, nil
	}
	t, err := num("Argon2-Time", 32)
	if err != nil {
		return KDFParams{}, nil, err
	}
	m, err := num("Argon2-Memory", 32)
	if err != nil {
		return KDFParams{}, nil, err
	}
	th, err := num("Argon2-Threads", 8)
	if err != nil {
		return KDFParams{}, nil, err
	}
	p := KDFParams{Time: uint32(t), MemoryKiB: uint32(m), Threads: uint8(th)}
	if err := p.valid(); err != nil {
		return KDFParams{}, nil, err
	}
	salt, err := base64.StdEncoding.DecodeString(h["Salt"])
	if err != nil || len(salt) < saltSize || len(salt) > 64 {
		return KDFParams{}, nil, errors.New("key header Salt: missing or malformed")
	}
	return p, salt, nil
}

func parsePKCS8(der []byte) (crypto.Signer, error) {
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("parse private key: %w", err)
	}
	switch k := k.(type) {
	case *ecdsa.PrivateKey:
		return k, nil
	case ed25519.PrivateKey:
		return k, nil
	case *rsa.PrivateKey:
		return k, nil
	}
	return nil, fmt.Errorf("unsupported private key type %T", k)
}

// IsEncryptedKey reports whether the PEM data holds an encrypted private key.
func IsEncryptedKey(data []byte) bool {
	b, _ := pem.Decode(data)
	return b != nil && b.Type == pemEncryptedKey
}
