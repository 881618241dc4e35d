package deploy

import (
	"os"

	"securemedia/internal/config"
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
