// Package secret reads passphrases and PINs the way a careful command-line
// tool should: from a file, from an environment variable, or from a no-echo
// prompt on the controlling terminal, and never from a flag value (flags land
// in shell history and in the process list).
package secret

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"securemedia/internal/fsutil"

	"golang.org/x/term"
)

// maxSecretFile bounds a secret file; a passphrase is never this long.
const maxSecretFile = 64 << 10

// ErrNoSecret means no source produced the secret and no terminal was available to ask.
var ErrNoSecret = errors.New("no secret available")

// Source says where to look for one secret, in order: File, then the
// environment variable Env, then a prompt on the terminal.
type Source struct {
	// What names the secret in messages ("master passphrase", "PIN").
	What string
	// File, when set, is read and its trailing newline removed.
	File string
	// Env, when set and non-empty in the environment, is used.
	Env string
	// Prompt is shown on the terminal; empty disables prompting.
	Prompt string
	// Confirm asks twice on the terminal and requires both to match.
	Confirm bool
	// Getenv replaces os.Getenv (tests).
	Getenv func(string) string
}

// Read returns the secret. The caller should Erase it when done.
func Read(src Source) ([]byte, error) {
	what := src.What
	if what == "" {
		what = "secret"
	}
	if src.File != "" {
		return FromFile(src.File)
	}
	getenv := src.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	if src.Env != "" {
		if v := getenv(src.Env); v != "" {
			return []byte(v), nil
		}
	}
	if src.Prompt == "" {
		return nil, fmt.Errorf("%w: %s (give a file or set %s)", ErrNoSecret, what, orDash(src.Env))
	}
	tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: no terminal to ask on (give a file or set %s)", ErrNoSecret, what, orDash(src.Env))
	}
	defer tty.Close()
	first, err := prompt(tty, src.Prompt)
	if err != nil {
		return nil, err
	}
	if src.Confirm {
		second, err := prompt(tty, "Repeat "+src.Prompt)
		if err != nil {
			Erase(first)
			return nil, err
		}
		defer Erase(second)
		if !bytes.Equal(first, second) {
			Erase(first)
			return nil, fmt.Errorf("%s: the two entries differ", what)
		}
	}
	if len(first) == 0 {
		return nil, fmt.Errorf("%s: empty", what)
	}
	return first, nil
}

func prompt(tty *os.File, text string) ([]byte, error) {
	fmt.Fprint(tty, text+": ")
	b, err := term.ReadPassword(int(tty.Fd()))
	fmt.Fprintln(tty)
	if err != nil {
		return nil, fmt.Errorf("read from terminal: %w", err)
	}
	return b, nil
}

// FromFile reads a secret file, removing one trailing newline (CRLF or LF).
func FromFile(path string) ([]byte, error) {
	b, err := fsutil.ReadFileLimit(path, maxSecretFile)
	if err != nil {
		return nil, err
	}
	b = bytes.TrimSuffix(b, []byte("\n"))
	b = bytes.TrimSuffix(b, []byte("\r"))
	if len(b) == 0 {
		return nil, fmt.Errorf("%s: empty", path)
	}
	return b, nil
}

// WriteFile writes a secret to path with mode 0600, refusing to overwrite.
func WriteFile(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(append(b, '\n')); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Erase overwrites b with zeros. Go may have copied the bytes elsewhere
// (strings, garbage-collected buffers); this clears the copy we hold.
func Erase(b []byte) { clear(b) }

func orDash(s string) string {
	if s == "" {
		return "the environment variable"
	}
	return s
}
