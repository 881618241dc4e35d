// Package player runs the viewer's media player: the process the client
// writes the verified stream into, on its standard input, the last step of
// one play (DESIGN.md §3). The media goes from the client's checked chunks
// straight into the pipe, never to disk.
//
// A configured command is split into words as a POSIX shell would, but no
// shell runs it, so that a title with a space works and a pipe, a
// redirection or a command substitution cannot smuggle the stream into a
// file. Without a command, the known players (ffplay, then mpv) are
// looked up on PATH.
package player

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"mvdan.cc/sh/v3/shell"
)

// ErrNone means no command was given and no known player is installed.
var ErrNone = errors.New("no player found")

// known returns the players tried, in order, when none is configured;
// each reads the stream from its standard input.
func known() [][]string {
	return [][]string{
		{"ffplay", "-autoexit", "-loglevel", "error", "-i", "-"},
		{"mpv", "--really-quiet", "-"},
	}
}

// CommandError is a player command that does not split into words without
// a shell: an open quote, a pipe, a redirection, a substitution.
type CommandError struct {
	Command string
	Err     error
}

func (e *CommandError) Error() string { return fmt.Sprintf("player command %q: %v", e.Command, e.Err) }
func (e *CommandError) Unwrap() error { return e.Err }

// Split splits a player command into arguments as a POSIX shell would
// (quotes, backslashes, $VARIABLES and ~ expanded), without running a
// shell. A blank command is no arguments.
func Split(command string) ([]string, error) {
	argv, err := shell.Fields(command, os.Getenv)
	if err != nil {
		return nil, &CommandError{Command: command, Err: err}
	}
	return argv, nil
}

// Choose returns the first of commands that is not blank, split, else the
// first known player on PATH, else ErrNone.
func Choose(commands ...string) ([]string, error) {
	for _, c := range commands {
		argv, err := Split(c)
		if err != nil || len(argv) > 0 {
			return argv, err
		}
	}
	for _, p := range known() {
		if _, err := exec.LookPath(p[0]); err == nil {
			return p, nil
		}
	}
	return nil, ErrNone
}

// Process is a running player. Writes go to its standard input.
type Process struct {
	name  string
	cmd   *exec.Cmd
	stdin io.WriteCloser
	// exited is closed once the process has exited, with waitErr the
	// result of waiting for it.
	exited  chan struct{}
	waitErr error
}

// Start starts argv with its output on output (a command's stderr: its
// stdout stays for data).
func Start(argv []string, output io.Writer) (*Process, error) {
	if len(argv) == 0 {
		return nil, errors.New("empty player command")
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout, cmd.Stderr = output, output
	cmd.WaitDelay = waitDelay
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start player %s: %w", argv[0], err)
	}
	p := &Process{name: argv[0], cmd: cmd, stdin: stdin, exited: make(chan struct{})}
	go func() {
		p.waitErr = cmd.Wait()
		if errors.Is(p.waitErr, exec.ErrWaitDelay) {
			// The player exited cleanly; what still held its output
			// (a child of a wrapper script) is not its failure.
			p.waitErr = nil
		}
		close(p.exited)
	}()
	return p, nil
}

// waitDelay bounds how long a player's output pipes may stay open after
// it exited or was stopped (a child of a wrapper script holding them).
const waitDelay = 2 * time.Second

// SettleTime is how long a started player must keep running before a
// play asks for its first chunk: a player that cannot run (no display or
// audio device, a command that does not read its input) exits within it
// and costs no view.
const SettleTime = 300 * time.Millisecond

// StartRunning starts argv as Start does and sees it running (Settle for
// SettleTime): a player that exits meanwhile is ended and the error is
// ErrExitedAtOnce.
func StartRunning(ctx context.Context, argv []string, output io.Writer) (*Process, error) {
	p, err := Start(argv, output)
	if err != nil {
		return nil, err
	}
	if err := p.Settle(ctx, SettleTime); err != nil {
		p.End(false)
		return nil, err
	}
	return p, nil
}

// ErrExitedAtOnce means the player exited before it was fed anything: it
// cannot run here (no display or audio device, a command that does not
// read its standard input).
var ErrExitedAtOnce = errors.New("the player exited before reading the stream")

// Settle waits d for the player to be running: it returns nil when the
// player is still running after d, and ErrExitedAtOnce (with its exit
// status) when it exited meanwhile. A play opens its sink this way before
// asking for the first chunk, which consumes the view.
func (p *Process) Settle(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-p.exited:
		if p.waitErr != nil {
			return fmt.Errorf("player %s: %w (%v)", p.Name(), ErrExitedAtOnce, p.waitErr)
		}
		return fmt.Errorf("player %s: %w", p.Name(), ErrExitedAtOnce)
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Name is the player's program name, without its directory.
func (p *Process) Name() string { return filepath.Base(p.name) }

// Write feeds the player.
func (p *Process) Write(b []byte) (int, error) { return p.stdin.Write(b) }

// End ends the player. After a complete stream (ok) it closes the
// player's input and waits for it to finish, reporting a player that
// failed with its exit status; otherwise (the play failed or was
// interrupted) it stops the player at once.
func (p *Process) End(ok bool) error {
	p.stdin.Close()
	if !ok {
		if p.cmd.Process != nil {
			_ = p.cmd.Process.Signal(os.Interrupt)
		}
		<-p.exited
		return nil
	}
	<-p.exited
	if p.waitErr != nil {
		return fmt.Errorf("player %s: %w", p.name, p.waitErr)
	}
	return nil
}

// kill stops the player at once, without the interrupt End gives it, and
// waits for it.
func (p *Process) kill() {
	_ = p.cmd.Process.Kill()
	p.stdin.Close()
	<-p.exited
}
