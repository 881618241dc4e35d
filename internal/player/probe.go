package player

import (
	"context"
	"errors"
	"fmt"
	"time"
)

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
// player, feeds it sample (a short stretch of silence, say, longer than
// settle) and passes when the player is still running after settle; the
// player is then
// stopped. A player that exits within settle is a *ProbeError carrying
// the last line it printed; nothing it printed is shown otherwise. A
// player that cannot be started at all is an error from exec.
//
// endInput ends the player's input after the sample. It is for a player
// known to play in real time (ffplay, mpv: the ones Choose finds on its
// own) that opens its output only once it has read enough of the stream
// or its end (ffplay analyses up to 5 s of input first): with its input
// left open, such a player passes the probe and fails only once the play
// is under way, its view consumed. A command the viewer gave keeps its
// input open, since it may read faster than real time and end with its
// input, as a player that writes elsewhere does.
func Probe(ctx context.Context, argv []string, sample []byte, settle time.Duration, endInput bool) error {
	out := NewOutput(8 << 10)
	p, err := Start(argv, out)
	if err != nil {
		return err
	}
	// Fed from another goroutine: a player that does not read must not
	// hold the probe past settle. The write fails once the player ends.
	go func() {
		_, _ = p.Write(sample)
		if endInput {
			p.stdin.Close()
		}
	}()
	err = p.Settle(ctx, settle)
	if errors.Is(err, ErrExitedAtOnce) {
		return &ProbeError{Name: p.Name(), Err: p.waitErr, Reason: out.Last()}
	}
	p.kill()
	return err
}
