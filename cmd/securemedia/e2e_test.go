package main

import (
	"bufio"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"securemedia/internal/syncbuf"
)

// newWorkspace runs `securemedia init --dir W` in a temporary directory.
func newWorkspace(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "W")
	if r := runCLI(t, "", nil, nil, "init", "--dir", dir); r.code != 0 {
		t.Fatalf("init: %d %s", r.code, r.stderr)
	}
	return dir
}

// runningServer is a `securemedia server` child process.
type runningServer struct {
	url string
	cmd *exec.Cmd
	log *syncbuf.Buffer
}

func startServer(t *testing.T, ws string) *runningServer {
	t.Helper()
	cmd := securemediaCommand("server", "--config", filepath.Join(ws, "server.toml"), "--listen", "127.0.0.1:0", "--log-level", "debug")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	s := &runningServer{cmd: cmd, log: &syncbuf.Buffer{}}
	cmd.Stderr = s.log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	lines := bufio.NewScanner(stdout)
	urlRE := regexp.MustCompile(`listening on (https?://\S+)`)
	deadline := time.AfterFunc(30*time.Second, func() { cmd.Process.Kill() })
	defer deadline.Stop()
	for lines.Scan() {
		if m := urlRE.FindStringSubmatch(lines.Text()); m != nil {
			s.url = m[1]
			go io.Copy(io.Discard, stdout)
			return s
		}
	}
	t.Fatalf("the server printed no URL; log:\n%s", s.log.String())
	return nil
}

// stop sends SIGINT and returns the exit code.
func (s *runningServer) stop(t *testing.T) int {
	t.Helper()
	s.cmd.Process.Signal(syscall.SIGINT)
	err := s.cmd.Wait()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	return 0
}

func randomFile(t *testing.T, n int) (string, []byte) {
	t.Helper()
	b := make([]byte, n)
	rand.Read(b)
	p := filepath.Join(t.TempDir(), "media.bin")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p, b
}

// addMedia runs media add and returns the id from its last line.
func addMedia(t *testing.T, ws, file string, args ...string) string {
	t.Helper()
	r := runCLI(t, "", nil, nil, append([]string{"media", "add", "--config", filepath.Join(ws, "server.toml")}, append(args, file)...)...)
	if r.code != 0 {
		t.Fatalf("media add: %s", r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	id := lines[len(lines)-1]
	if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(id) {
		t.Fatalf("last line of media add is %q, not an id", id)
	}
	return id
}

func TestAStandInPlayerReceivesExactlyTheVerifiedStream(t *testing.T) {
	ws := newWorkspace(t)
	file, data := randomFile(t, 600_000)
	id := addMedia(t, ws, file)
	srv := startServer(t, ws)
	sum := sha256.Sum256(data)
	// The player's path has a space: the command is split as a shell
	// would, quotes and all.
	dir := filepath.Join(t.TempDir(), "My Player")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(dir, "player.sh")
	os.WriteFile(script, []byte("#!/bin/sh\n[ \"$(sha256sum | cut -d' ' -f1)\" = \"$1\" ] || { echo 'stand-in player: hash mismatch' >&2; exit 3; }\n"), 0o700)
	player := "sh '" + script + "' "
	client := filepath.Join(ws, "client.toml")
	r := runCLI(t, "", nil, nil, "play", "--config", client, "--server", srv.url, "--media", id, "--player", player+hex.EncodeToString(sum[:]))
	if r.code != 0 {
		t.Fatalf("the stand-in player saw another stream: %d %s", r.code, r.stderr)
	}
	r = runCLI(t, "", nil, nil, "play", "--config", client, "--server", srv.url, "--media", id, "--player", player+"00")
	if r.code == 0 || !strings.Contains(r.stderr, "player") {
		t.Fatalf("a failing player was not reported: %d %s", r.code, r.stderr)
	}
	r = runCLI(t, "", nil, nil, "play", "--config", client, "--server", srv.url, "--media", id, "--player", "true")
	if r.code == 0 || !strings.Contains(r.stderr, "player") {
		t.Fatalf("a player that quits early was not reported: %d %s", r.code, r.stderr)
	}
	srv.stop(t)
	if strings.Count(srv.log.String(), "session established") != strings.Count(srv.log.String(), "session closed by client") {
		t.Fatalf("a session was left open after a player failed:\n%s", srv.log.String())
	}
}

func TestCtrlCInTheMiddleOfAPlayClosesTheSessionOnTheServer(t *testing.T) {
	ws := newWorkspace(t)
	file, _ := randomFile(t, 8<<20)
	id := addMedia(t, ws, file)
	srv := startServer(t, ws)
	// A player that reads slowly keeps the play going.
	slow := filepath.Join(t.TempDir(), "slow.sh")
	os.WriteFile(slow, []byte("#!/bin/sh\nwhile head -c 65536 >/dev/null; do sleep 0.2; done\n"), 0o700)
	cmd := securemediaCommand("play", "--config", filepath.Join(ws, "client.toml"), "--server", srv.url, "--media", id,
		"--player", "sh "+slow)
	var stderr syncbuf.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Interrupt once chunks flow (the slow player keeps the play going).
	waitFor(t, func() bool { return strings.Contains(srv.log.String(), "play started") }, srv.log)
	cmd.Process.Signal(syscall.SIGINT)
	err := cmd.Wait()
	ee, _ := err.(*exec.ExitError)
	if ee == nil || ee.ExitCode() != exitInterrupted {
		t.Fatalf("play after Ctrl-C: %v, stderr %s", err, stderr.String())
	}
	waitFor(t, func() bool { return strings.Contains(srv.log.String(), "session closed by client") }, srv.log)
	srv.stop(t)
}

func waitFor(t *testing.T, cond func() bool, log *syncbuf.Buffer) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out; server log:\n%s", log.String())
}

func TestServerTextIsMadePrintableForTheTerminal(t *testing.T) {
	if got := printable("Song\x1b[2J\tTitle\n"); got != "Song?[2J?Title?" {
		t.Fatalf("printable: %q", got)
	}
	if got := printable("Canção"); got != "Canção" {
		t.Fatalf("printable changed ordinary text: %q", got)
	}
}

func TestEveryCommandHasHelpWithExamples(t *testing.T) {
	var walk func(prefix string, cmds []*cobra.Command)
	var missing []string
	walk = func(prefix string, cmds []*cobra.Command) {
		for _, c := range cmds {
			name := prefix + " " + c.Name()
			if c.Name() == "help" || c.Name() == "completion" {
				continue
			}
			if c.Runnable() && !c.HasSubCommands() && c.Example == "" {
				missing = append(missing, name)
			}
			walk(name, c.Commands())
		}
	}
	walk("securemedia", newRootCommand().Commands())
	if len(missing) > 0 {
		t.Fatalf("commands without examples in --help: %v", missing)
	}
}

func TestAKillNineInTheMiddleOfAPlayLosesNoViewAndCountsNoneTwice(t *testing.T) {
	ws := newWorkspace(t)
	file, _ := randomFile(t, 8<<20)
	id := addMedia(t, ws, file, "--views", "3")
	srv := startServer(t, ws)
	slow := filepath.Join(t.TempDir(), "slow.sh")
	os.WriteFile(slow, []byte("#!/bin/sh\nwhile head -c 65536 >/dev/null; do sleep 0.2; done\n"), 0o700)
	client := filepath.Join(ws, "client.toml")
	play := securemediaCommand("play", "--config", client, "--server", srv.url, "--media", id, "--player", "sh "+slow)
	if err := play.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return strings.Contains(srv.log.String(), "play started") }, srv.log)
	srv.cmd.Process.Kill() // kill -9 while chunks are flowing
	srv.cmd.Wait()
	if err := play.Wait(); err == nil {
		t.Fatal("the play survived its server being killed")
	}

	srv = startServer(t, ws)
	views := func() int {
		r := runCLI(t, "", nil, nil, "licenses", "--config", client, "--server", srv.url, "--json")
		var ls []struct {
			ViewsLeft int `json:"views_left"`
		}
		if r.code != 0 || json.Unmarshal([]byte(r.stdout), &ls) != nil || len(ls) != 1 {
			t.Fatalf("licenses: %d %s %s", r.code, r.stdout, r.stderr)
		}
		return ls[0].ViewsLeft
	}
	if got := views(); got != 2 {
		t.Fatalf("after a kill -9 mid-play: %d views left, want 2 (the interrupted play counted once)", got)
	}
	if r := runCLI(t, "", nil, nil, "play", "--config", client, "--server", srv.url, "--media", id, "--sink", "null"); r.code != 0 {
		t.Fatalf("play after the restart: %s", r.stderr)
	}
	if got := views(); got != 1 {
		t.Fatalf("after one more play: %d views left, want 1", got)
	}
	if r := runCLI(t, "", nil, nil, "audit", "verify", "--config", filepath.Join(ws, "server.toml")); r.code != 0 {
		t.Fatalf("audit log after a kill -9: %s", r.stderr)
	}
	srv.stop(t)
}
