package deploy

import (
	"crypto"
	"errors"
	"fmt"
	"os"
	"runtime/debug"

	"securemedia/content"
	"securemedia/internal/config"
	"securemedia/internal/secret"
	"securemedia/media"
	"securemedia/pki"
	"securemedia/token"
)

// StoreOptions say how to open the media store.
type StoreOptions struct {
	// PassphraseFile holds the master passphrase; it overrides
	// MasterPassphraseEnv and [media] master_passphrase_file.
	PassphraseFile string
	// WithSigner also loads the content-signing identity (adding media
	// needs it; the server never signs).
	WithSigner bool
	// Passphrase opens the store under the master passphrase even when
	// [media] kek_token_uri is set (moving a store to the token).
	Passphrase bool
	// Argon2 overrides the master-key derivation costs (tests, benchmarks).
	Argon2 *media.Argon2Params
}

// OpenMediaStore opens the media store of cfg under its master key: the AES
// key on the PKCS#11 token of [media] kek_token_uri when set, else the key
// derived from the master passphrase (MasterPassphraseSource). A wrong
// master key is reported here (ErrMasterKey), not at the first play.
func OpenMediaStore(cfg *config.Server, o StoreOptions) (*media.Store, error) {
	file := cfg.File()
	var so media.StoreOptions
	c, err := media.ParseCipher(cfg.Media.Cipher)
	if err != nil {
		return nil, configError(file, err, "[media] cipher")
	}
	so.Cipher = c
	if o.WithSigner {
		if so.ContentSigner, so.ContentChain, err = LoadContentSigner(cfg); err != nil {
			return nil, err
		}
	}
	dataDir := cfg.Path(cfg.DataDir)
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("media store: %w", err)
	}
	if cfg.Media.KEKTokenURI != "" && !o.Passphrase {
		// The token key stays open for the life of the process (the
		// server's): the store unwraps data keys with it at every play.
		kek, err := OpenTokenKEK(cfg)
		if err != nil {
			return nil, err
		}
		s, err := media.OpenStore(dataDir, kek, so)
		if err != nil {
			kek.Close()
			if errors.Is(err, content.ErrWrongKEK) {
				err = fmt.Errorf("%w %s: %w", ErrNotUnderToken, kek.ID(), err)
			}
			return nil, configError(file, fmt.Errorf("media store: %w", err), "[media] kek_token_uri")
		}
		return s, nil
	}
	src := MasterPassphraseSource(cfg, o.PassphraseFile)
	pass, err := secret.Read(src)
	if err != nil {
		return nil, configError(file, fmt.Errorf("media store: %w", err), "[media] master_passphrase_file")
	}
	defer secret.Erase(pass)
	params := media.DefaultArgon2Params()
	if o.Argon2 != nil {
		params = *o.Argon2
	}
	so.ReloadKEK = passphraseReload(src, dataDir)
	kek, err := media.PassphraseKEK(dataDir, pass, params)
	releaseKDFMemory()
	if err == nil {
		var s *media.Store
		if s, err = media.OpenStore(dataDir, kek, so); err == nil {
			return s, nil
		}
	}
	if errors.Is(err, media.ErrWrongPassphrase) || errors.Is(err, content.ErrWrongKEK) {
		err = fmt.Errorf("%w: %w", ErrMasterKey, err)
	}
	return nil, configError(file, fmt.Errorf("media store: %w", err), "[media] master_passphrase_file")
}

// passphraseReload reopens the master key of a store rekeyed by `media
// rekey` while this process runs (media.StoreOptions.ReloadKEK): from the
// passphrase file, re-read, which the rekey rewrote. A passphrase from the
// environment or a prompt cannot be read again: the process must be
// restarted with the new one.
func passphraseReload(src secret.Source, dataDir string) func() (media.KEK, error) {
	return func() (media.KEK, error) {
		if src.File == "" {
			return nil, errors.New("the master passphrase came from " + MasterPassphraseEnv + " or a prompt: restart with the new one")
		}
		pass, err := secret.FromFile(src.File)
		if err != nil {
			return nil, err
		}
		defer secret.Erase(pass)
		defer releaseKDFMemory()
		// Never a new key file: a store moved to a token has none.
		return media.ExistingPassphraseKEK(dataDir, pass)
	}
}

// releaseKDFMemory hands back to the system the memory of an Argon2id
// derivation just made (64 MiB at the default costs, RFC 9106 §4): it is
// garbage once the key is derived, but the Go runtime would keep the
// pages for minutes, most of an idle server's resident memory. A forced
// collection costs a few milliseconds, once per master-key derivation.
func releaseKDFMemory() { debug.FreeOSMemory() }

// LoadContentSigner loads the content-signing key and its chain (DER, leaf
// first) named in [media]; `media add` signs manifests with them.
func LoadContentSigner(cfg *config.Server) (crypto.Signer, [][]byte, error) {
	m := cfg.Media
	keys := []string{"[media] content_key", "[media] content_certificate"}
	if m.ContentKey == "" || m.ContentCertificate == "" {
		return nil, nil, configError(cfg.File(), ErrNoContentSigner, keys...)
	}
	passphrase := func() ([]byte, error) {
		if m.ContentKeyPassphraseFile == "" {
			return nil, errors.New("the content-signing key is encrypted: set [media] content_key_passphrase_file")
		}
		return secret.FromFile(cfg.Path(m.ContentKeyPassphraseFile))
	}
	chain, key, err := pki.LoadIdentity(cfg.Path(m.ContentCertificate), cfg.Path(m.ContentKey), passphrase)
	if err != nil {
		return nil, nil, configError(cfg.File(), fmt.Errorf("content-signing identity: %w", err), append(keys, "[media] content_key_passphrase_file")...)
	}
	return key, chain, nil
}

// OpenTokenKEK opens the key-encryption key on the PKCS#11 token named by
// [media] kek_token_uri; the PIN comes from kekPINSource. The caller closes
// it (a store opened with it keeps it).
func OpenTokenKEK(cfg *config.Server) (*token.KEK, error) {
	m := cfg.Media
	if m.KEKTokenURI == "" {
		return nil, configError(cfg.File(), ErrNoTokenKEK, "[media] kek_token_uri", "[media] kek_token_module")
	}
	src := kekPINSource(cfg)
	c := token.Config{URI: m.KEKTokenURI, Profile: token.Generic, PIN: func() ([]byte, error) { return secret.Read(src) }}
	if m.KEKTokenModule != "" {
		c.Module = cfg.Path(m.KEKTokenModule)
	}
	k, err := token.OpenKEK(c, "")
	if err != nil {
		return nil, configError(cfg.File(), fmt.Errorf("media store: token key %s: %w", m.KEKTokenURI, err),
			"[media] kek_token_uri", "[media] kek_token_module", "[media] kek_token_pin_file")
	}
	return k, nil
}
