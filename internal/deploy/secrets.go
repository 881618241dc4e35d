package deploy

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"securemedia/internal/config"
	"securemedia/internal/fsutil"
	"securemedia/internal/secret"
)

// Environment variables that may hold secrets. Secrets come from a file, one
// of these, or a no-echo prompt; never from a flag value.
const (
	MasterPassphraseEnv    = "SECUREMEDIA_MASTER_PASSPHRASE"
	NewMasterPassphraseEnv = "SECUREMEDIA_NEW_MASTER_PASSPHRASE"
	// KEKPINEnv holds the PIN of the token that holds the media store's
	// key-encryption key.
	KEKPINEnv = "SECUREMEDIA_KEK_PIN"
	// PINEnv holds the PIN of the viewer's identity card.
	PINEnv = "SECUREMEDIA_PIN"
)

// MasterPassphraseSource says where the master passphrase comes from: the
// given file (a command's --passphrase-file), then MasterPassphraseEnv,
// then [media] master_passphrase_file, then a prompt.
func MasterPassphraseSource(cfg *config.Server, file string) secret.Source {
	src := secret.Source{What: "master passphrase", File: file, Env: MasterPassphraseEnv, Prompt: "Master passphrase"}
	if file == "" && os.Getenv(MasterPassphraseEnv) == "" && cfg.Media.MasterPassphraseFile != "" {
		src.File = cfg.Path(cfg.Media.MasterPassphraseFile)
	}
	return src
}

// CheckPassphrasePlacement refuses a master passphrase file on the file
// system of data_dir (DESIGN.md §2, threat 3: keys not on the data volume
// in clear), unless [media] demo_passphrase_beside_data says it is a
// demo, which log is warned of. A passphrase from the environment or a
// prompt, or a store under a token key, has no file to check; a file that
// cannot be read is left for the store to report.
func CheckPassphrasePlacement(cfg *config.Server, passphraseFile string, log *slog.Logger) error {
	src := MasterPassphraseSource(cfg, passphraseFile)
	if src.File == "" || (cfg.Media.KEKTokenURI != "" && passphraseFile == "") {
		return nil
	}
	data := cfg.Path(cfg.DataDir)
	for { // the store may not exist yet: its nearest existing parent
		if _, err := os.Stat(data); err == nil || filepath.Dir(data) == data {
			break
		}
		data = filepath.Dir(data)
	}
	same, err := fsutil.SameFilesystem(src.File, data)
	if err != nil || !same {
		return nil
	}
	if cfg.Media.DemoPassphraseBesideData {
		log.Warn("the master passphrase file is on the file system of data_dir, as in a demo ([media] demo_passphrase_beside_data = true): a copy of that volume opens every item",
			"passphrase_file", src.File, "data_dir", cfg.Path(cfg.DataDir))
		return nil
	}
	return configError(cfg.File(), fmt.Errorf("%w (%s and %s)", ErrPassphraseBesideData, src.File, cfg.Path(cfg.DataDir)),
		"[media] master_passphrase_file", "data_dir")
}

// kekPINSource is where the KEK token's PIN comes from: KEKPINEnv, then
// [media] kek_token_pin_file, then a prompt.
func kekPINSource(cfg *config.Server) secret.Source {
	src := secret.Source{What: "KEK token PIN", Env: KEKPINEnv, Prompt: "KEK token PIN"}
	if os.Getenv(KEKPINEnv) == "" && cfg.Media.KEKTokenPINFile != "" {
		src.File = cfg.Path(cfg.Media.KEKTokenPINFile)
	}
	return src
}

// cardPINSource is where the identity card's PIN comes from: pinFile (a
// command's --pin-file), then PINEnv, then [token] pin_file (already
// resolved), then a prompt.
func cardPINSource(sectionPINFile, pinFile string) secret.Source {
	src := secret.Source{What: "PIN", Env: PINEnv, Prompt: "token PIN"}
	switch {
	case pinFile != "":
		src.File = pinFile
	case os.Getenv(PINEnv) == "":
		src.File = sectionPINFile
	}
	return src
}
