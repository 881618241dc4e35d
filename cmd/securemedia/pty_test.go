package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"

	"securemedia/internal/config"
	"securemedia/internal/syncbuf"
)

// terminal drives a command on a pseudo-terminal, as a viewer would.
type terminal struct {
	t   *testing.T
	f   *os.File
	cmd *exec.Cmd
	out *syncbuf.Buffer
}

func startTerminal(t *testing.T, args ...string) *terminal {
	t.Helper()
	cmd := securemediaCommand(args...)
	cmd.Env = append(os.Environ(), "SECUREMEDIA_PIN=", "NO_COLOR=1")
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 160})
	if err != nil {
		t.Fatal(err)
	}
	term := &terminal{t: t, f: f, cmd: cmd, out: &syncbuf.Buffer{}}
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := f.Read(buf)
			term.out.Write(buf[:n])
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() { f.Close(); cmd.Process.Kill(); cmd.Wait() })
	return term
}

// expect waits until the screen shows pattern after from; it returns the
// position after the match.
func (term *terminal) expect(from int, pattern string) int {
	term.t.Helper()
	re := regexp.MustCompile(pattern)
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		s := term.out.String()
		if from <= len(s) {
			if loc := re.FindStringIndex(s[from:]); loc != nil {
				return from + loc[1]
			}
		}
	}
	term.t.Fatalf("the terminal never showed %q; it shows:\n%s", pattern, term.out.String())
	return 0
}

func (term *terminal) send(s string) { term.f.WriteString(s) }

func (term *terminal) exitCode() int {
	term.t.Helper()
	done := make(chan error, 1)
	go func() { done <- term.cmd.Wait() }()
	select {
	case err := <-done:
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode()
		}
		return 0
	case <-time.After(30 * time.Second):
		term.t.Fatalf("the command did not exit; screen:\n%s", term.out.String())
	}
	return -1
}

func TestATerminalSessionThroughMenuPINPlayAndRenewal(t *testing.T) {
	ws := newWorkspace(t)
	cfgPath := filepath.Join(ws, "client.toml")
	cfg, err := config.LoadClient(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Token.Software() {
		t.Skip("the software token has no PIN to prompt for (SoftHSM2 not installed)")
	}
	pin, err := os.ReadFile(cfg.Path(cfg.Token.PINFile))
	if err != nil {
		t.Fatal(err)
	}
	// The viewer types the PIN: a client.toml without the demo's PIN file.
	cfg.Token.PINFile = ""
	noPIN := filepath.Join(ws, "client-prompt.toml")
	if err := config.Write(noPIN, cfg); err != nil {
		t.Fatal(err)
	}
	file, _ := randomFile(t, 300_000)
	addMedia(t, ws, file, "--title", "First Song", "--views", "1")
	addMedia(t, ws, file, "--title", "Second Song")
	srv := startServer(t, ws)
	player := filepath.Join(t.TempDir(), "player.sh")
	os.WriteFile(player, []byte("#!/bin/sh\ncat >/dev/null\n"), 0o700)
	args := []string{"play", "--config", noPIN, "--server", srv.url, "--player", "sh " + player}

	// First play: PIN, menu, choose, play.
	term := startTerminal(t, args...)
	at := term.expect(0, `PIN.*: `)
	term.send(strings.TrimSpace(string(pin)) + "\r")
	at = term.expect(at, `MEDIA CATALOG`)
	at = term.expect(at, `First Song.*not rented yet`)
	at = term.expect(at, `Select a media number \(1-2, q to quit\): `)
	term.send("7\r")
	at = term.expect(at, `not a number from the list`)
	term.send("1\r")
	at = term.expect(at, `played "First Song"`)
	term.expect(at, `license: 0 views left`)
	if code := term.exitCode(); code != 0 {
		t.Fatalf("first play exited %d:\n%s", code, term.out.String())
	}

	// Second play of the same title: the license is exhausted, the
	// renewal prompt appears, the viewer says yes.
	term = startTerminal(t, args...)
	at = term.expect(0, `PIN.*: `)
	term.send(strings.TrimSpace(string(pin)) + "\r")
	at = term.expect(at, `First Song.*renewal needed`)
	at = term.expect(at, `Select a media number`)
	term.send("1\r")
	at = term.expect(at, `Renew .*\? \[y/N\] `)
	term.send("y\r")
	term.expect(at, `played "First Song"`)
	if code := term.exitCode(); code != 0 {
		t.Fatalf("renewed play exited %d:\n%s", code, term.out.String())
	}

	// q quits without playing.
	term = startTerminal(t, args...)
	at = term.expect(0, `PIN.*: `)
	term.send(strings.TrimSpace(string(pin)) + "\r")
	term.expect(at, `Select a media number`)
	term.send("q\r")
	if code := term.exitCode(); code != 0 {
		t.Fatalf("q exited %d", code)
	}
	srv.stop(t)
}
