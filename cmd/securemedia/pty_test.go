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
	return startTerminalEnv(t, nil, args...)
}

// startTerminalEnv is startTerminal with extra environment.
func startTerminalEnv(t *testing.T, env []string, args ...string) *terminal {
	t.Helper()
	cmd := securemediaCommand(args...)
	cmd.Env = append(append(os.Environ(), "SECUREMEDIA_PIN=", "NO_COLOR=1"), env...)
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

// promptWorkspace is a workspace whose client.toml has no PIN file, so
// that play asks for the PIN on the terminal, and the demo card's PIN.
// It skips where the demo card is a software token (no PIN to ask for).
func promptWorkspace(t *testing.T) (ws, clientConfig, pin string) {
	t.Helper()
	ws = newWorkspace(t)
	cfg, err := config.LoadClient(filepath.Join(ws, "client.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Token.Software() {
		t.Skip("the software token has no PIN to prompt for (SoftHSM2 not installed)")
	}
	b, err := os.ReadFile(cfg.Path(cfg.Token.PINFile))
	if err != nil {
		t.Fatal(err)
	}
	// The viewer types the PIN: a client.toml without the demo's PIN file.
	cfg.Token.PINFile = ""
	clientConfig = filepath.Join(ws, "client-prompt.toml")
	if err := config.Write(clientConfig, cfg); err != nil {
		t.Fatal(err)
	}
	return ws, clientConfig, strings.TrimSpace(string(b))
}

func TestATerminalSessionThroughMenuPINPlayAndRenewal(t *testing.T) {
	ws, noPIN, pin := promptWorkspace(t)
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
	term.send(pin + "\r")
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
	term.send(pin + "\r")
	at = term.expect(at, `First Song.*renewal needed`)
	at = term.expect(at, `Select a media number`)
	term.send("1\r")
	at = term.expect(at, `Renew .*\? \[y/N\] `)
	term.send("y\r")
	term.expect(at, `played "First Song"`)
	if code := term.exitCode(); code != 0 {
		t.Fatalf("renewed play exited %d:\n%s", code, term.out.String())
	}

	// Ctrl-C at the renewal prompt interrupts (130), it is not a no (4).
	term = startTerminal(t, args...)
	at = term.expect(0, `PIN.*: `)
	term.send(pin + "\r")
	at = term.expect(at, `Select a media number`)
	term.send("1\r")
	term.expect(at, `Renew .*\? \[y/N\] `)
	term.send("\x03")
	if code := term.exitCode(); code != exitInterrupted {
		t.Fatalf("Ctrl-C at the renewal prompt exited %d:\n%s", code, term.out.String())
	}

	// At the menu: q and Ctrl-D quit without playing, Ctrl-C interrupts.
	for _, key := range []struct {
		name, keys string
		code       int
	}{{"q", "q\r", 0}, {"Ctrl-D", "\x04", 0}, {"Ctrl-C", "\x03", exitInterrupted}} {
		term = startTerminal(t, args...)
		at = term.expect(0, `PIN.*: `)
		term.send(pin + "\r")
		term.expect(at, `Select a media number`)
		term.send(key.keys)
		if code := term.exitCode(); code != key.code {
			t.Fatalf("%s at the menu exited %d, want %d:\n%s", key.name, code, key.code, term.out.String())
		}
	}
	srv.stop(t)
	if n := strings.Count(srv.log.String(), "session established"); n != strings.Count(srv.log.String(), "session closed by client") {
		t.Fatalf("an interrupted prompt left a session open:\n%s", srv.log.String())
	}
}

// pkcs11Spy is OpenSC's logging PKCS#11 module: it loads the module named
// by $PKCS11SPY and writes every call made through it to
// $PKCS11SPY_OUTPUT.
const pkcs11Spy = "/usr/lib/x86_64-linux-gnu/pkcs11/pkcs11-spy.so"

// TestCtrlCOrCtrlDAtThePINPromptSendsNothingToTheCard puts OpenSC's
// PKCS#11 spy between the client and the SoftHSM2 card, and checks its
// log: after Ctrl-C (exit 130) or Ctrl-D (exit 1) at the PIN prompt, the
// card was never asked to log in, and what is typed next goes nowhere.
func TestCtrlCOrCtrlDAtThePINPromptSendsNothingToTheCard(t *testing.T) {
	if _, err := os.Stat(pkcs11Spy); err != nil {
		t.Skipf("OpenSC's pkcs11-spy is not installed (apt-get install opensc): %v", err)
	}
	ws, noPIN, pin := promptWorkspace(t)
	cfg, err := config.LoadClient(noPIN)
	if err != nil {
		t.Fatal(err)
	}
	module := cfg.Path(cfg.Token.Module)
	cfg.Token.Module = pkcs11Spy
	spied := filepath.Join(ws, "client-spied.toml")
	if err := config.Write(spied, cfg); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, key string
		code      int
	}{{"Ctrl-C", "\x03", exitInterrupted}, {"Ctrl-D", "\x04", exitFailure}} {
		t.Run(c.name, func(t *testing.T) {
			log := filepath.Join(t.TempDir(), "pkcs11-spy.log")
			term := startTerminalEnv(t, []string{"PKCS11SPY=" + module, "PKCS11SPY_OUTPUT=" + log},
				"play", "--config", spied, "--server", "http://127.0.0.1:1", "--media", strings.Repeat("ab", 16), "--sink", "null")
			at := term.expect(0, `PIN.*: `)
			term.send("12")
			term.send(c.key)
			// What the viewer types next is not a PIN for the card.
			term.send(pin + "\r")
			if code := term.exitCode(); code != c.code {
				t.Fatalf("%s at the PIN prompt exited %d, want %d:\n%s", c.name, code, c.code, term.out.String())
			}
			term.expect(at, `securemedia: .*(interrupted|cancelled) at the prompt`)
			spy, err := os.ReadFile(log)
			if err != nil || !strings.Contains(string(spy), "C_OpenSession") {
				t.Fatalf("the spy saw no session (%v): the test would prove nothing:\n%s", err, spy)
			}
			if strings.Contains(string(spy), "C_Login") {
				t.Fatalf("the card was asked to log in after %s at the PIN prompt:\n%s", c.name, spy)
			}
		})
	}
}

// TestOnATerminalTheProgressStaysAndThePlayerKeepsItsOutput plays into
// stand-in players on a terminal: the media is never written to the
// terminal itself (--sink - is refused there), the progress display stays
// until the player is done with what it buffered, the player's chatter
// does not wipe it, and a failing player's last words are shown.
func TestOnATerminalTheProgressStaysAndThePlayerKeepsItsOutput(t *testing.T) {
	ws := newWorkspace(t)
	file, _ := randomFile(t, 600_000)
	id := addMedia(t, ws, file, "--views", "0")
	srv := startServer(t, ws)
	play := []string{"play", "--config", filepath.Join(ws, "client.toml"), "--server", srv.url, "--media", id}

	term := startTerminal(t, append(play, "--sink", "-")...)
	term.expect(0, `securemedia: --sink - writes the media to stdout, which is a terminal`)
	if code := term.exitCode(); code != exitFailure {
		t.Fatalf("--sink - onto a terminal exited %d:\n%s", code, term.out.String())
	}

	dir := t.TempDir()
	release := filepath.Join(dir, "release")
	chatty := filepath.Join(dir, "chatty.sh")
	os.WriteFile(chatty, []byte("echo PLAYER-CHATTER >&2\nprintf '\\r\\033[2K' >&2\ncat >/dev/null\n"+
		"while [ ! -e '"+release+"' ]; do sleep 0.05; done\n"), 0o700)
	term = startTerminal(t, append(play, "--player", "sh "+chatty)...)
	at := term.expect(0, `stream complete; the player is playing`)
	if err := os.WriteFile(release, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	term.expect(at, `played "media.bin"`)
	if code := term.exitCode(); code != 0 {
		t.Fatalf("play exited %d:\n%s", code, term.out.String())
	}
	if strings.Contains(term.out.String(), "PLAYER-CHATTER") {
		t.Fatalf("the player's output reached the terminal over the progress display:\n%q", term.out.String())
	}

	failing := filepath.Join(dir, "failing.sh")
	os.WriteFile(failing, []byte("echo 'noise 1' >&2\necho 'PLAYER-SAYS-WHY' >&2\ncat >/dev/null\nexit 3\n"), 0o700)
	term = startTerminal(t, append(play, "--player", "sh "+failing)...)
	term.expect(0, `player: PLAYER-SAYS-WHY\r?\n`)
	if code := term.exitCode(); code != exitFailure {
		t.Fatalf("a failing player: exit %d:\n%s", code, term.out.String())
	}
	srv.stop(t)
}

func TestInitForceDataAsksOnATerminalFirst(t *testing.T) {
	ws := newWorkspace(t)
	file, _ := randomFile(t, 1000)
	id := addMedia(t, ws, file)
	for _, answer := range []struct {
		keys string
		code int
	}{{"n\r", exitFailure}, {"\x03", exitInterrupted}, {"y\r", 0}} {
		term := startTerminal(t, "init", "--dir", ws, "--force-data", "--software-token")
		term.expect(0, `holds 1 media item\. Move that workspace aside to .*\[y/N\] `)
		term.send(answer.keys)
		if code := term.exitCode(); code != answer.code {
			t.Fatalf("answer %q: exit %d, want %d:\n%s", answer.keys, code, answer.code, term.out.String())
		}
		moved, _ := filepath.Glob(filepath.Join(ws, "replaced-*"))
		r := runCLI(t, "", nil, nil, "media", "list", "--config", filepath.Join(ws, "server.toml"))
		if answer.code != 0 && (len(moved) != 0 || !strings.Contains(r.stdout, id)) {
			t.Fatalf("answer %q changed the workspace: moved %q, media list %s %s", answer.keys, moved, r.stdout, r.stderr)
		}
		if answer.code == 0 && (len(moved) != 1 || strings.Contains(r.stdout, id)) {
			t.Fatalf("answer %q: moved %q, media list %s", answer.keys, moved, r.stdout)
		}
	}
}

func TestCtrlCAtTheMasterPassphrasePromptExits130(t *testing.T) {
	ws := newWorkspace(t)
	cfg, err := config.LoadServer(filepath.Join(ws, "server.toml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Media.MasterPassphraseFile = "" // asked for on the terminal
	prompting := filepath.Join(ws, "server-prompt.toml")
	if err := config.Write(prompting, cfg); err != nil {
		t.Fatal(err)
	}
	for _, key := range []struct {
		name, keys string
		code       int
	}{{"Ctrl-C", "\x03", exitInterrupted}, {"Ctrl-D", "\x04", exitFailure}} {
		term := startTerminalEnv(t, []string{"SECUREMEDIA_MASTER_PASSPHRASE="}, "media", "list", "--config", prompting)
		at := term.expect(0, `Master passphrase: `)
		term.send("not yet" + key.keys)
		term.send("typed after\r")
		if code := term.exitCode(); code != key.code {
			t.Fatalf("%s at the master passphrase prompt exited %d, want %d:\n%s", key.name, code, key.code, term.out.String())
		}
		term.expect(at, `(interrupted|cancelled) at the prompt`)
		if strings.Contains(term.out.String(), "wrong master passphrase") {
			t.Fatalf("what was typed went on as a passphrase:\n%s", term.out.String())
		}
	}
}
