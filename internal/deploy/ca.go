package deploy

import (
	"securemedia/internal/secret"
	"securemedia/pki"
)

// CAPassphraseEnv may hold the passphrase of the offline CA's keys.
const CAPassphraseEnv = "SECUREMEDIA_CA_PASSPHRASE"

// CAPassphraseSource says where the CA passphrase comes from: file (a
// command's --passphrase-file), then CAPassphraseEnv, then prompt.
func CAPassphraseSource(file, prompt string) secret.Source {
	return secret.Source{What: "CA passphrase", File: file, Env: CAPassphraseEnv, Prompt: prompt}
}

// OpenCA opens the offline CA in dir for an operator command. The
// passphrase of encrypted CA keys is read at most once, from passFile,
// CAPassphraseEnv or a prompt, however many keys need it: pki.OpenCA gets
// a copy per key and erases each. wrap, when set, sees a failure to read
// it (to add a hint). erase wipes the passphrase; call it when done.
func OpenCA(dir, passFile string, wrap func(error) error) (ca *pki.CA, erase func(), err error) {
	var cached []byte
	erase = func() { secret.Erase(cached) }
	ca, err = pki.OpenCA(dir, func() ([]byte, error) {
		if cached == nil {
			p, err := secret.Read(CAPassphraseSource(passFile, "CA key passphrase"))
			if err != nil {
				if wrap != nil {
					err = wrap(err)
				}
				return nil, err
			}
			cached = p
		}
		return append([]byte(nil), cached...), nil
	})
	if err != nil {
		erase()
		return nil, nil, err
	}
	return ca, erase, nil
}
