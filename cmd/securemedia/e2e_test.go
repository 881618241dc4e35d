package main

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
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
	"securemedia/internal/testbed"
)

// newWorkspace runs `securemedia init --dir W` in a temporary directory.
func newWorkspace(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "W")
	if r := runCLI(t, "", nil, nil, "init", "--dir", dir); r.code != 0 {
		t.Fatalf("init: %d %s", r.code, r.stderr)
	}
	return dir
}

// runningServer is a `securemedia server` child process.
type runningServer struct {
	url, admin string
	cmd        *exec.Cmd
	log        *syncbuf.Buffer
}

func startServer(t testing.TB, ws string) *runningServer {
	t.Helper()
	return startServerAt(t, ws, "127.0.0.1:0")
}

// startServerAt starts `securemedia server` listening on addr.
func startServerAt(t testing.TB, ws, addr string) *runningServer {
	t.Helper()
	return startServerWith(t, ws, "--listen", addr)
}

// startServerWith starts `securemedia server` with args and waits for the
// URLs it prints: its listener's, then its admin listener's.
func startServerWith(t testing.TB, ws string, args ...string) *runningServer {
	t.Helper()
	cmd := securemediaCommand(append([]string{"server", "--config", filepath.Join(ws, "server.toml"), "--log-level", "debug"}, args...)...)
	s := &runningServer{cmd: cmd, log: &syncbuf.Buffer{}}
	stdout := startChild(t, cmd, s.log)
	lines := bufio.NewScanner(stdout)
	urlRE := regexp.MustCompile(`listening on (https?://\S+)`)
	adminRE := regexp.MustCompile(`admin endpoints .* on (http://\S+)`)
	deadline := time.AfterFunc(30*time.Second, func() { cmd.Process.Kill() })
	defer deadline.Stop()
	for lines.Scan() {
		if m := urlRE.FindStringSubmatch(lines.Text()); m != nil {
			s.url = m[1]
		}
		if m := adminRE.FindStringSubmatch(lines.Text()); m != nil && s.url != "" {
			s.admin = m[1]
			go io.Copy(io.Discard, stdout)
			return s
		}
	}
	t.Fatalf("the server printed no URL; log:\n%s", s.log.String())
	return nil
}

// startChild starts cmd with its stderr to stderr and returns its
// stdout; the child is killed when the test ends, if it still runs.
func startChild(t testing.TB, cmd *exec.Cmd, stderr io.Writer) io.Reader {
	t.Helper()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	return stdout
}

// stop sends SIGINT and returns the exit code.
func (s *runningServer) stop(t testing.TB) int {
	t.Helper()
	s.cmd.Process.Signal(syscall.SIGINT)
	err := s.cmd.Wait()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	return 0
}

func randomFile(t testing.TB, n int) (string, []byte) {
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
func addMedia(t testing.TB, ws, file string, args ...string) string {
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

func waitFor(t testing.TB, cond func() bool, log *syncbuf.Buffer) {
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

// viewsLeft is what `licenses --json` says is left of the one license
// of the workspace's viewer.
func viewsLeft(t *testing.T, ws, url string) int {
	t.Helper()
	r := runCLI(t, "", nil, nil, "licenses", "--config", filepath.Join(ws, "client.toml"), "--server", url, "--json")
	var ls []struct {
		ViewsLeft int `json:"views_left"`
	}
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &ls) != nil || len(ls) != 1 {
		t.Fatalf("licenses: %d %s %s", r.code, r.stdout, r.stderr)
	}
	return ls[0].ViewsLeft
}

func TestAPlayerThatExitsBeforeReadingCostsNoView(t *testing.T) {
	ws := newWorkspace(t)
	file, _ := randomFile(t, 600_000)
	id := addMedia(t, ws, file, "--views", "2")
	srv := startServer(t, ws)
	client := filepath.Join(ws, "client.toml")
	// A player that cannot run here (no display, no audio device, a
	// command that does not read its input) exits at once.
	for _, player := range []string{"true", "sh -c 'exit 3'"} {
		r := runCLI(t, "", nil, nil, "play", "--config", client, "--server", srv.url, "--media", id, "--player", player)
		if r.code != 1 || !strings.Contains(r.stderr, "the player exited before reading the stream") || !strings.Contains(r.stderr, "no view was used") {
			t.Fatalf("play into %q: %d %s", player, r.code, r.stderr)
		}
	}
	if got := viewsLeft(t, ws, srv.url); got != 2 {
		t.Fatalf("%d views left after two players that exited at once, want 2", got)
	}
	srv.stop(t)
}

func TestAKillNineMidPlayAndARestartOnTheSameAddressAreResumedByTheClientForOneView(t *testing.T) {
	ws := newWorkspace(t)
	// Three fetches of 64 chunks of 256 KiB: the play is in the middle of
	// one when the server is killed.
	file, data := randomFile(t, 48<<20)
	id := addMedia(t, ws, file, "--views", "3")
	addr := testbed.FreeAddr(t)
	srv := startServerAt(t, ws, addr)
	play := securemediaCommand("play", "--config", filepath.Join(ws, "client.toml"), "--server", srv.url, "--media", id, "--sink", "-")
	var stderr syncbuf.Buffer
	stdout := startChild(t, play, &stderr)
	// The test is the player: it reads 4 MiB (so the play was counted at
	// its first chunk), then stops reading, so that the client stops and
	// the server blocks in the middle of its first answer, and is killed
	// there.
	sink := sha256.New()
	head := make([]byte, 4<<20)
	if _, err := io.ReadFull(stdout, head); err != nil {
		t.Fatalf("the first 4 MiB: %v; stderr %s", err, stderr.String())
	}
	sink.Write(head)
	srv.cmd.Process.Kill() // kill -9 in the middle of a fetch answer
	srv.cmd.Wait()
	srv = startServerAt(t, ws, addr)
	n, err := io.Copy(sink, stdout)
	if err != nil {
		t.Fatal(err)
	}
	if err := play.Wait(); err != nil {
		t.Fatalf("the play did not survive its server's kill -9: %v\n%s", err, stderr.String())
	}
	want := sha256.Sum256(data)
	if int64(len(head))+n != int64(len(data)) || !bytes.Equal(sink.Sum(nil), want[:]) {
		t.Fatalf("the sink got %d bytes that are not the file's %d", int64(len(head))+n, len(data))
	}
	if !strings.Contains(stderr.String(), "the play resumed once") {
		t.Fatalf("the play's summary does not say it resumed:\n%s", stderr.String())
	}
	if got := viewsLeft(t, ws, srv.url); got != 2 {
		t.Fatalf("%d views left after one play resumed after a kill -9, want 2", got)
	}
	if r := runCLI(t, "", nil, nil, "audit", "verify", "--config", filepath.Join(ws, "server.toml")); r.code != 0 {
		t.Fatalf("audit log after a kill -9: %s", r.stderr)
	}
	r := runCLI(t, "", nil, nil, "license", "plays", "--config", filepath.Join(ws, "server.toml"), "--json")
	var plays []struct {
		State   string `json:"state"`
		Resumes int    `json:"resumes"`
	}
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &plays) != nil || len(plays) != 1 || plays[0].State != "completed" || plays[0].Resumes != 1 {
		t.Fatalf("license plays: %d %s %s", r.code, r.stdout, r.stderr)
	}
	srv.stop(t)
}

func TestSIGTERMDrainsTheServerThenStopsIt(t *testing.T) {
	ws := newWorkspace(t)
	srv := startServer(t, ws)
	resp, err := http.Get(srv.admin + "/readyz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("readyz of a fresh server: %v %v", resp, err)
	}
	resp.Body.Close()
	srv.cmd.Process.Signal(syscall.SIGTERM)
	if err := srv.cmd.Wait(); err != nil {
		t.Fatalf("after SIGTERM: %v\n%s", err, srv.log.String())
	}
	log := srv.log.String()
	for _, want := range []string{"draining: refusing new sessions", "drained: no play left", "server stopped; session keys erased"} {
		if !strings.Contains(log, want) {
			t.Fatalf("the log lacks %q:\n%s", want, log)
		}
	}
}
