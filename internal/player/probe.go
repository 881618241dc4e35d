package player

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"time"
)

// probeWaitDelay bounds how long a probed player's output pipes may stay
// open after it was stopped (a child of a wrapper script holding them).
const probeWaitDelay = 2 * time.Second

// ProbeError is a player that started but did not keep running while it
// was fed a sample: it has no display or audio device, or cannot read
// the stream.
type ProbeError struct {
	// Name is the player's program name.
	Name string
	// Err is how it ended (an *exec.ExitError, or nil for a clean exit).
	Err error
	// Reason is the last line it printed ("" when it printed nothing).
	Reason string
}

func (e *ProbeError) Error() string {
	why := e.Reason
	if why == "" && e.Err != nil {
		why = e.Err.Error()
	}
	if why == "" {
		why = "it exited"
	}
	return fmt.Sprintf("%s quit at once (%s)", e.Name, why)
}

func (e *ProbeError) Unwrap() error { return e.Err }

// Probe tells whether argv can play, without the stream: it starts the
// player, feeds it sample (a short stretch of silence, say) and passes
// when the player is still running after settle; the player is then
// stopped. A player that exits within settle is a *ProbeError carrying
// the last line it printed; nothing it printed is shown otherwise. A
// player that cannot be started at all is an error from exec.
func Probe(ctx context.Context, argv []string, sample []byte, settle time.Duration) error {
	if len(argv) == 0 {
		return errors.New("empty player command")
	}
	out := NewOutput(8 << 10)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.WaitDelay = probeWaitDelay
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start player %s: %w", argv[0], err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	// Fed from another goroutine: a player that does not read must not
	// hold the probe past settle. The write fails once the player ends.
	go func() { _, _ = stdin.Write(sample) }()
	stop := func() {
		_ = cmd.Process.Kill()
		_ = stdin.Close()
		<-exited
	}
	timer := time.NewTimer(settle)
	defer timer.Stop()
	select {
	case err := <-exited:
		return &ProbeError{Name: (&Process{name: argv[0]}).Name(), Err: err, Reason: out.Last()}
	case <-timer.C:
		stop()
		return nil
	case <-ctx.Done():
		stop()
		return ctx.Err()
	}
}
