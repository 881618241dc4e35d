package deploy

import (
	"fmt"

	"securemedia/internal/config"
	"securemedia/internal/fsutil"
	"securemedia/internal/secret"
	"securemedia/media"
)

// RekeyResult says what a rekey changed beside the store.
type RekeyResult struct {
	// PassphraseFile is the [media] master_passphrase_file rewritten with
	// the new passphrase ("" when the old one came from elsewhere).
	PassphraseFile string
	// TokenStillConfigured: [media] kek_token_uri is set but no longer
	// opens the store (the operator should remove it).
	TokenStillConfigured bool
	// KEKID names the new master key.
	KEKID string
}

// RekeyToPassphrase rewraps every data key of the store (opened under the
// passphrase from passphraseFile, see MasterPassphraseSource) under a key
// derived from newPass; the content is not rewritten. When the old
// passphrase came from [media] master_passphrase_file, that file is
// rewritten with the new one so that the server keeps starting.
func RekeyToPassphrase(cfg *config.Server, s *media.Store, passphraseFile, newPassphraseFile string, newPass []byte, argon2 *media.Argon2Params) (RekeyResult, error) {
	params := media.DefaultArgon2Params()
	if argon2 != nil {
		params = *argon2
	}
	kek, err := media.NewPassphraseKEK(cfg.Path(cfg.DataDir), newPass, params)
	if err != nil {
		return RekeyResult{}, err
	}
	if err := s.Rekey(kek); err != nil {
		return RekeyResult{}, err
	}
	res := RekeyResult{KEKID: kek.ID(), TokenStillConfigured: cfg.Media.KEKTokenURI != ""}
	src := MasterPassphraseSource(cfg, passphraseFile)
	if cfg.Media.MasterPassphraseFile != "" && src.File == cfg.Path(cfg.Media.MasterPassphraseFile) && src.File != newPassphraseFile {
		if err := replaceSecretFile(src.File, newPass); err != nil {
			return res, configError(cfg.File(), fmt.Errorf("the store is rekeyed but %s still holds the old passphrase: %w", src.File, err), "[media] master_passphrase_file")
		}
		res.PassphraseFile = src.File
	}
	return res, nil
}

// RekeyToToken opens the store under the master passphrase and rewraps
// every data key under the token key of [media] kek_token_uri; afterwards
// the passphrase opens nothing.
func RekeyToToken(cfg *config.Server, passphraseFile string) (RekeyResult, error) {
	if cfg.Media.KEKTokenURI == "" {
		return RekeyResult{}, configError(cfg.File(), ErrNoTokenKEK, "[media] kek_token_uri", "[media] kek_token_module")
	}
	s, err := OpenMediaStore(cfg, StoreOptions{PassphraseFile: passphraseFile, Passphrase: true})
	if err != nil {
		return RekeyResult{}, err
	}
	kek, err := OpenTokenKEK(cfg)
	if err != nil {
		return RekeyResult{}, err
	}
	defer kek.Close()
	if err := s.Rekey(kek); err != nil {
		return RekeyResult{}, err
	}
	return RekeyResult{KEKID: kek.ID()}, nil
}

// replaceSecretFile writes b (and a newline) to path with mode 0600,
// atomically.
func replaceSecretFile(path string, b []byte) error {
	line := append(append(make([]byte, 0, len(b)+1), b...), '\n')
	defer secret.Erase(line)
	return fsutil.WriteFileAtomic(path, line, 0o600)
}
