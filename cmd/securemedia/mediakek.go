package main

import (
	"errors"
	"fmt"
	"os"

	"securemedia/internal/config"
	"securemedia/internal/secret"
	"securemedia/token"
)

// kekPINEnv is the environment variable that may hold the PIN of the token
// holding the media store's key-encryption key.
const kekPINEnv = "SECUREMEDIA_KEK_PIN"

// openTokenKEK opens the key-encryption key on the PKCS#11 token named by
// [media] kek_token_uri. The PIN comes from SECUREMEDIA_KEK_PIN, then
// [media] kek_token_pin_file, then a prompt; never from a flag.
func openTokenKEK(cfg *config.Server) (*token.KEK, error) {
	sec := cfg.Media
	src := secret.Source{What: "KEK token PIN", Env: kekPINEnv, Prompt: "KEK token PIN"}
	if os.Getenv(kekPINEnv) == "" && sec.KEKTokenPINFile != "" {
		src.File = cfg.Path(sec.KEKTokenPINFile)
	}
	c := token.Config{
		URI:     sec.KEKTokenURI,
		Profile: token.Generic,
		PIN:     func() ([]byte, error) { return secret.Read(src) },
	}
	if sec.KEKTokenModule != "" {
		c.Module = cfg.Path(sec.KEKTokenModule)
	}
	k, err := token.OpenKEK(c, "")
	if err != nil {
		err = fmt.Errorf("media store: token key %s: %w", sec.KEKTokenURI, err)
		if errors.Is(err, token.ErrWrongPIN) || errors.Is(err, token.ErrPINLocked) {
			return nil, tokenHint(err)
		}
		return nil, withHint(err, "check [media] kek_token_uri, kek_token_module and kek_token_pin_file (or "+kekPINEnv+")")
	}
	return k, nil
}
