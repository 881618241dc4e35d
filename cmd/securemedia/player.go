package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"

	"mvdan.cc/sh/v3/shell"
)

// knownPlayers are tried in order when no player is configured; each reads
// the stream from its standard input.
var knownPlayers = [][]string{
	{"ffplay", "-autoexit", "-loglevel", "error", "-i", "-"},
	{"mpv", "--really-quiet", "-"},
}

// detectPlayer returns the first known player on PATH.
func detectPlayer() ([]string, bool) {
	for _, p := range knownPlayers {
		if _, err := exec.LookPath(p[0]); err == nil {
			return p, true
		}
	}
	return nil, false
}

// player is a running player process fed on its standard input. The media
// goes from the verified stream straight into the pipe: never to disk.
type player struct {
	name  string
	cmd   *exec.Cmd
	stdin io.WriteCloser
}

// startPlayer starts argv with its output on stderr (stdout stays for data).
func startPlayer(argv []string, stderr io.Writer) (*player, error) {
	if len(argv) == 0 {
		return nil, errors.New("empty player command")
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout, cmd.Stderr = stderr, stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start player %s: %w", argv[0], err)
	}
	return &player{name: argv[0], cmd: cmd, stdin: stdin}, nil
}

// finish closes the player's input and waits for it; a player that failed
// is reported with its exit status.
func (p *player) finish() error {
	p.stdin.Close()
	if err := p.cmd.Wait(); err != nil {
		return fmt.Errorf("player %s: %w", p.name, err)
	}
	return nil
}

// stop ends a player early (the play failed or was interrupted).
func (p *player) stop() {
	p.stdin.Close()
	if p.cmd.Process != nil {
		_ = p.cmd.Process.Signal(os.Interrupt)
	}
	_ = p.cmd.Wait()
}

// playerArgv splits a player command into arguments as a POSIX shell
// would (quotes, backslashes, $VARIABLES and ~ expanded), without running
// a shell: no pipes, redirections or command substitutions.
func playerArgv(command string) ([]string, error) {
	argv, err := shell.Fields(command, os.Getenv)
	if err != nil {
		return nil, withHint(fmt.Errorf("player command %q: %w", command, err),
			`quote arguments as a shell would, e.g. mpv --title 'My film' -`)
	}
	return argv, nil
}
