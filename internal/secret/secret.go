// Package secret reads passphrases and PINs the way a careful command-line
// tool should: from a file, from an environment variable, or from a no-echo
// prompt on the controlling terminal, and never from a flag value (flags land
// in shell history and in the process list).
package secret

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"unicode/utf8"

	"golang.org/x/term"

	"securemedia/internal/fsutil"
)

// maxSecretFile bounds a secret file; a passphrase is never this long.
const maxSecretFile = 64 << 10

// ErrNoSecret means no source produced the secret and no terminal was available to ask.
var ErrNoSecret = errors.New("no secret available")

// ErrInterrupted means the person pressed Ctrl-C (or Ctrl-\) at the
// prompt; ErrCancelled means Ctrl-D (end of input). In
// both cases nothing typed is returned: the caller must not go on with
// what it would have done with the secret (a PIN is never sent to a card).
var (
	ErrInterrupted = errors.New("interrupted at the prompt")
	ErrCancelled   = errors.New("cancelled at the prompt")
)

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
		b, err := FromFile(src.File)
		var fe *FileError
		if errors.As(err, &fe) {
			fe.What = what
		}
		return b, err
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

// prompt asks on the terminal without echo. The terminal is put in raw
// mode for the entry, so that Ctrl-C and Ctrl-D arrive as keys rather than
// as a signal the process may be catching (a signal would leave the read
// waiting, and the next line typed would be taken as the secret).
func prompt(tty *os.File, text string) ([]byte, error) {
	fmt.Fprint(tty, text+": ")
	fd := int(tty.Fd())
	state, err := term.MakeRaw(fd)
	if err != nil {
		fmt.Fprint(tty, "\r\n")
		return nil, fmt.Errorf("read from terminal: %w", err)
	}
	b, err := readEntry(oneByte{tty})
	term.Restore(fd, state)
	// Raw mode turns output processing off too: end the line by hand.
	fmt.Fprint(tty, "\r\n")
	if err != nil {
		return nil, err
	}
	return b, nil
}

// oneByte reads a terminal a byte at a time, so that nothing typed after
// Enter is taken from the terminal (it is the next prompt's).
type oneByte struct{ r io.Reader }

func (o oneByte) ReadByte() (byte, error) {
	var b [1]byte
	for {
		n, err := o.r.Read(b[:])
		if n == 1 {
			return b[0], nil
		}
		if err != nil {
			return 0, err
		}
	}
}

// maxEntry bounds what a prompt accepts; no passphrase or PIN is longer.
const maxEntry = 4096

// Keys readEntry acts on (ASCII control characters, as a terminal in raw
// mode sends them).
const (
	keyInterrupt = 0x03 // Ctrl-C
	keyEOF       = 0x04 // Ctrl-D
	keyBackspace = 0x08 // Ctrl-H
	keyQuit      = 0x1c // Ctrl-\
	keyKill      = 0x15 // Ctrl-U: erase the entry
	keyDelete    = 0x7f
)

// readEntry reads one hidden entry from a terminal in raw mode, with the
// editing a canonical-mode terminal would give (backspace, Ctrl-U), up to
// Enter. Ctrl-C or Ctrl-\ is ErrInterrupted; Ctrl-D, or the end of input,
// is ErrCancelled, even after some characters: half a PIN is never sent.
// On error nothing typed is kept.
func readEntry(r io.ByteReader) ([]byte, error) {
	buf := make([]byte, 0, 64)
	fail := func(err error) ([]byte, error) {
		Erase(buf[:cap(buf)])
		return nil, err
	}
	for {
		c, err := r.ReadByte()
		if errors.Is(err, io.EOF) {
			return fail(ErrCancelled)
		}
		if err != nil {
			return fail(fmt.Errorf("read from terminal: %w", err))
		}
		switch c {
		case '\r', '\n':
			return buf, nil
		case keyInterrupt, keyQuit:
			return fail(ErrInterrupted)
		case keyEOF:
			return fail(ErrCancelled)
		case keyBackspace, keyDelete:
			// Remove the last character, whole if it is multi-byte.
			if len(buf) > 0 {
				_, n := utf8.DecodeLastRune(buf)
				Erase(buf[len(buf)-n:])
				buf = buf[:len(buf)-n]
			}
		case keyKill:
			Erase(buf)
			buf = buf[:0]
		default:
			if c < 0x20 {
				continue // other control keys do nothing, as with echo off
			}
			if len(buf) >= maxEntry {
				return fail(fmt.Errorf("entry longer than %d bytes", maxEntry))
			}
			if len(buf) == cap(buf) {
				// Grow by hand, erasing the old copy.
				bigger := make([]byte, len(buf), 2*cap(buf))
				copy(bigger, buf)
				Erase(buf)
				buf = bigger
			}
			buf = append(buf, c)
		}
	}
}

// FileError is a secret file that could not be read: missing, unreadable
// or too large.
type FileError struct {
	// What names the secret when known ("master passphrase").
	What string
	Path string
	Err  error
}

func (e *FileError) Error() string {
	if e.What == "" {
		return e.Err.Error()
	}
	return e.What + ": " + e.Err.Error()
}
func (e *FileError) Unwrap() error { return e.Err }

// FromFile reads a secret file, removing one trailing newline (CRLF or
// LF). A file that cannot be read is a *FileError.
func FromFile(path string) ([]byte, error) {
	b, err := fsutil.ReadFileLimit(path, maxSecretFile)
	if err != nil {
		return nil, &FileError{Path: path, Err: err}
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
