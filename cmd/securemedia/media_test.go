package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"securemedia/internal/syncbuf"
)

// addTemporaries lists the temporary directories of adds in the store.
func addTemporaries(t *testing.T, ws string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(ws, "data", "media", ".add-*"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// startAdd starts `media add -` with its input open and a megabyte of it
// written, and waits until the add has sealed what it can of it: it then
// waits in a read of its input, which nothing more will satisfy.
func startAdd(t *testing.T, ws string) (*exec.Cmd, io.WriteCloser, *syncbuf.Buffer) {
	t.Helper()
	before := len(addTemporaries(t, ws))
	cmd := securemediaCommand("media", "add", "--config", filepath.Join(ws, "server.toml"), "--title", "Long", "-")
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := &syncbuf.Buffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	if _, err := in.Write(make([]byte, 1<<20)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool {
		tmp := addTemporaries(t, ws)
		if len(tmp) <= before {
			return false
		}
		// Three of the four chunks of 256 KiB (and their tags) are
		// sealed; the fourth waits for the read after it.
		for _, d := range tmp {
			if st, err := os.Stat(filepath.Join(d, "content")); err == nil && st.Size() >= 3*(256<<10+16) {
				return true
			}
		}
		return false
	}, stderr)
	return cmd, in, stderr
}

func exitCodeOf(err error) int {
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

func TestAnInterruptedMediaAddLeavesNoTemporaryFile(t *testing.T) {
	ws := newWorkspace(t)
	server := filepath.Join(ws, "server.toml")

	// Ctrl-C (or SIGTERM) in the middle of an add: exit 130, nothing left.
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		cmd, _, stderr := startAdd(t, ws)
		cmd.Process.Signal(sig)
		if code := exitCodeOf(cmd.Wait()); code != exitInterrupted {
			t.Fatalf("media add after %v exited %d: %s", sig, code, stderr.String())
		}
		if !strings.Contains(stderr.String(), "nothing was added") {
			t.Fatalf("media add after %v: %s", sig, stderr.String())
		}
		if left := addTemporaries(t, ws); len(left) != 0 {
			t.Fatalf("media add interrupted by %v left %q", sig, left)
		}
	}

	// A kill -9 leaves the temporary directory; the next media verify
	// removes it, and says so, but not the one of an add in progress.
	killed, _, _ := startAdd(t, ws)
	killed.Process.Kill()
	killed.Wait()
	dead := addTemporaries(t, ws)
	if len(dead) != 1 {
		t.Fatalf("after a kill -9: %q, want the add's temporary directory", dead)
	}
	running, in, runningErr := startAdd(t, ws)
	r := runCLI(t, "", nil, nil, "media", "verify", "--config", server)
	if r.code != 0 || !strings.Contains(r.stderr, "removed stale temporary "+dead[0]) {
		t.Fatalf("media verify: %d %s", r.code, r.stderr)
	}
	left := addTemporaries(t, ws)
	if len(left) != 1 || left[0] == dead[0] {
		t.Fatalf("after media verify: %q; want only the add in progress", left)
	}
	in.Close()
	if err := running.Wait(); err != nil {
		t.Fatalf("the add in progress during media verify failed: %v %s", err, runningErr.String())
	}
	if left := addTemporaries(t, ws); len(left) != 0 {
		t.Fatalf("after the last add: %q", left)
	}
	r = runCLI(t, "", nil, nil, "media", "list", "--config", server)
	if strings.Count(r.stdout, "Long") != 1 {
		t.Fatalf("media list: %s", r.stdout)
	}
}

// TestMediaRekeyBesideARunningServerNeedsNoRestart rekeys the store while
// the server runs and a play is in the middle of the item: that play ends
// normally (its open reader keeps its data key), and the next play, in a
// new session, opens the item under the new master key, which the server
// reloads from the rewritten passphrase file by itself.
func TestMediaRekeyBesideARunningServerNeedsNoRestart(t *testing.T) {
	ws := newWorkspace(t)
	file, _ := randomFile(t, 8<<20)
	id := addMedia(t, ws, file, "--views", "0")
	srv := startServer(t, ws)
	client := filepath.Join(ws, "client.toml")

	dir := t.TempDir()
	release := filepath.Join(dir, "release")
	gated := filepath.Join(dir, "gated.sh")
	os.WriteFile(gated, []byte("head -c 1048576 >/dev/null\nwhile [ ! -e '"+release+"' ]; do sleep 0.05; done\ncat >/dev/null\n"), 0o700)
	playing := securemediaCommand("play", "--config", client, "--server", srv.url, "--media", id, "--player", "sh "+gated)
	var playErr syncbuf.Buffer
	playing.Stderr = &playErr
	if err := playing.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return strings.Contains(srv.log.String(), "play started") }, srv.log)

	newPass := filepath.Join(dir, "new.pass")
	os.WriteFile(newPass, []byte("a new master passphrase\n"), 0o600)
	if r := runCLI(t, "", nil, nil, "media", "rekey", "--config", filepath.Join(ws, "server.toml"), "--new-passphrase-file", newPass); r.code != 0 {
		t.Fatalf("media rekey: %s", r.stderr)
	}
	os.WriteFile(release, nil, 0o600)
	if err := playing.Wait(); err != nil {
		t.Fatalf("the play in progress across the rekey: %v\n%s\nserver log:\n%s", err, playErr.String(), srv.log.String())
	}
	if r := runCLI(t, "", nil, nil, "play", "--config", client, "--server", srv.url, "--media", id, "--sink", "null"); r.code != 0 {
		t.Fatalf("the next play after media rekey, without a restart: %s\nserver log:\n%s", r.stderr, srv.log.String())
	}
	// SIGHUP reloads everything at once, saying so.
	srv.cmd.Process.Signal(syscall.SIGHUP)
	waitFor(t, func() bool {
		return strings.Contains(srv.log.String(), "reloaded trust anchors, CRLs and the media store's master key")
	}, srv.log)
	if r := runCLI(t, "", nil, nil, "catalog", "--config", client, "--server", srv.url); r.code != 0 {
		t.Fatalf("catalog after SIGHUP: %s", r.stderr)
	}
	if code := srv.stop(t); code != 0 {
		t.Fatalf("the server exited %d after SIGHUP:\n%s", code, srv.log.String())
	}
}
