package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/creack/pty"
)

func TestOnlyATerminalIsATerminal(t *testing.T) {
	devNull, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer devNull.Close()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer ptmx.Close()
	defer tty.Close()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	for _, c := range []struct {
		name string
		v    any
		want bool
	}{
		{"/dev/null, a character device, is not a terminal", devNull, false},
		{"a pipe is not a terminal", r, false},
		{"a buffer is not a terminal", &bytes.Buffer{}, false},
		{"a pseudo-terminal is a terminal", tty, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := isTerminal(c.v); got != c.want {
				t.Fatalf("isTerminal = %v, want %v", got, c.want)
			}
		})
	}
}

// TestStdinFromDevNullGetsNoPrompt runs the binary as a script would,
// with </dev/null: a renewal that needs a confirmation is refused at once
// instead of prompting and reading the end of /dev/null as a "no".
func TestStdinFromDevNullGetsNoPrompt(t *testing.T) {
	r := runCLI(t, t.TempDir(), nil, nil, "licenses", "--config", "client.toml", "--renew", strings.Repeat("ab", 16))
	if r.code != exitFailure || !strings.Contains(r.stderr, "renewal not confirmed") || strings.Contains(r.stderr, "[y/N]") {
		t.Fatalf("licenses --renew with stdin from /dev/null: exit %d\n%s", r.code, r.stderr)
	}
}
