package deploy

import (
	"errors"
	"strings"
)

// Error is a failure to assemble a deployment that the operator fixes in a
// configuration file: which file, which keys, and why.
type Error struct {
	// File is the configuration file (server.toml or client.toml).
	File string
	// Keys are the configuration keys involved, e.g. "[media] kek_token_uri".
	Keys []string
	Err  error
}

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// Hint names what to check, e.g. "check [media] cipher in W/server.toml".
func (e *Error) Hint() string {
	if len(e.Keys) == 0 {
		return "check the files named in " + e.File
	}
	return "check " + strings.Join(e.Keys, ", ") + " in " + e.File
}

// configError wraps err as an *Error about file and keys.
func configError(file string, err error, keys ...string) error {
	if err == nil {
		return nil
	}
	return &Error{File: file, Keys: keys, Err: err}
}

// Sentinels the command line branches on.
var (
	// ErrNoContentSigner means server.toml names no content-signing key
	// (needed to add media).
	ErrNoContentSigner = errors.New("no content-signing key configured")
	// ErrMasterKey means the master key (passphrase or token key) does not
	// open the media store.
	ErrMasterKey = errors.New("the master key does not open the media store")
	// ErrNotUnderToken means [media] kek_token_uri is set but the store's
	// data keys are not wrapped by that token key.
	ErrNotUnderToken = errors.New("the media store is not under the configured token key")
	// ErrNoTokenKEK means a token key was asked for and none is configured.
	ErrNoTokenKEK = errors.New("no token key configured")
	// ErrPassphraseBesideData means the master passphrase file is on the
	// file system of data_dir, outside a demo.
	ErrPassphraseBesideData = errors.New("the master passphrase file is on the same file system as data_dir: a copy of that volume would open every item")
)
