package player

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestPlayerCommandsAreSplitAsAShellWould(t *testing.T) {
	t.Setenv("SECUREMEDIA_TEST_PLAYER_DIR", "/opt/players")
	cases := []struct {
		name, command string
		want          []string
	}{
		{"plain words are split on blanks", "ffplay -autoexit  -i -", []string{"ffplay", "-autoexit", "-i", "-"}},
		{"single quotes keep a title with a space", "mpv --title 'My film' -", []string{"mpv", "--title", "My film", "-"}},
		{"double quotes keep a path with a space", `"/opt/My Player/play" -`, []string{"/opt/My Player/play", "-"}},
		{"a backslash escapes a space", `mpv --title My\ film -`, []string{"mpv", "--title", "My film", "-"}},
		{"a variable is expanded", "$SECUREMEDIA_TEST_PLAYER_DIR/mpv -", []string{"/opt/players/mpv", "-"}},
		{"an empty command is no command", "  ", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Split(c.command)
			if err != nil || !slices.Equal(got, c.want) {
				t.Fatalf("Split(%q) = %q, %v; want %q", c.command, got, err, c.want)
			}
		})
	}
}

func TestPlayerCommandsThatNeedAShellAreRefused(t *testing.T) {
	for _, command := range []string{
		"mpv --title 'My film -",
		"mpv $(cat /etc/passwd) -",
		"mpv - | tee copy.mkv",
		"mpv - > copy.mkv",
		"mpv -; rm -rf ~",
	} {
		var ce *CommandError
		if argv, err := Split(command); !errors.As(err, &ce) || ce.Command != command {
			t.Errorf("Split(%q) = %q, %v; want a *CommandError", command, argv, err)
		}
	}
}

func TestChooseTakesTheFirstCommandGivenElseAKnownPlayer(t *testing.T) {
	argv, err := Choose("", "  ", "mpv --title 'My film' -", "ffplay -")
	if err != nil || !slices.Equal(argv, []string{"mpv", "--title", "My film", "-"}) {
		t.Fatalf("Choose = %q, %v", argv, err)
	}
	if _, err := Choose("mpv 'open -", "ffplay -"); err == nil {
		t.Fatal("a broken first command was passed over")
	}
	t.Setenv("PATH", t.TempDir())
	if argv, err := Choose(""); !errors.Is(err, ErrNone) {
		t.Fatalf("Choose with no command and no player on PATH = %q, %v", argv, err)
	}
}

func TestAPlayerGetsTheStreamOnItsInputAndReportsItsFailure(t *testing.T) {
	var out bytes.Buffer
	p, err := Start([]string{"sh", "-c", "wc -c"}, &out)
	if err != nil {
		t.Fatal(err)
	}
	if p.Name() != "sh" {
		t.Errorf("Name = %q", p.Name())
	}
	if _, err := p.Write(make([]byte, 1000)); err != nil {
		t.Fatal(err)
	}
	if err := p.End(true); err != nil || strings.TrimSpace(out.String()) != "1000" {
		t.Fatalf("End(true) = %v; the player read %q bytes", err, out.String())
	}

	p, err = Start([]string{"sh", "-c", "cat >/dev/null; exit 3"}, &out)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.End(true); err == nil || !strings.Contains(err.Error(), "player sh") {
		t.Fatalf("End(true) of a failing player = %v", err)
	}

	p, err = Start([]string{"sleep", "60"}, &out)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.End(false); err != nil {
		t.Fatalf("End(false) = %v", err)
	}
	if _, err := Start([]string{"securemedia-no-such-player"}, &out); err == nil || !strings.Contains(err.Error(), "securemedia-no-such-player") {
		t.Fatalf("Start of a missing program = %v", err)
	}
}

func TestSettleTellsAPlayerThatExitsAtOnceFromOneThatRuns(t *testing.T) {
	var out bytes.Buffer
	quits, err := Start([]string{"true"}, &out)
	if err != nil {
		t.Fatal(err)
	}
	// The wait is long enough for `true` to exit on any machine; a player
	// that is still running costs the whole wait, so the second case keeps
	// it short.
	if err := quits.Settle(context.Background(), 10*time.Second); !errors.Is(err, ErrExitedAtOnce) {
		t.Fatalf("Settle of a player that exits at once = %v", err)
	}
	quits.End(false)
	runs, err := Start([]string{"sh", "-c", "cat >/dev/null"}, &out)
	if err != nil {
		t.Fatal(err)
	}
	if err := runs.Settle(context.Background(), 50*time.Millisecond); err != nil {
		t.Fatalf("Settle of a running player = %v", err)
	}
	if _, err := runs.Write([]byte("stream")); err != nil {
		t.Fatal(err)
	}
	if err := runs.End(true); err != nil {
		t.Fatal(err)
	}
	if p, err := StartRunning(context.Background(), []string{"true"}, &out); !errors.Is(err, ErrExitedAtOnce) || p != nil {
		t.Fatalf("StartRunning of a player that exits at once = %v, %v", p, err)
	}
}

func TestOutputKeepsTheLastLinesPrintable(t *testing.T) {
	o := NewOutput(64)
	o.Write([]byte("ALSA lib confmisc.c: cannot find card '0'\n"))
	o.Write([]byte("status \x1b[2K 1.2s\r"))
	o.Write([]byte("\n\nSDL_OpenAudio: No available audio device\n"))
	if got := o.Last(); got != "SDL_OpenAudio: No available audio device" {
		t.Fatalf("Last = %q", got)
	}
	lines := o.Lines(5)
	if len(lines) == 0 || lines[0] == "" || strings.Contains(strings.Join(lines, "\n"), "\x1b") {
		t.Fatalf("Lines = %q", lines)
	}
	if n := len(strings.Join(lines, "")); n > 64 {
		t.Fatalf("kept %d bytes, limit 64", n)
	}
	if strings.Contains(strings.Join(lines, "\n"), "ALSA") {
		t.Fatalf("the oldest bytes were kept past the limit: %q", lines)
	}
	big := NewOutput(8)
	big.Write([]byte("0123456789abcdef\n"))
	if got := big.Last(); got != "9abcdef" {
		t.Fatalf("one write over the limit kept %q", got)
	}
}

func TestAProbeTellsAPlayerThatQuitsAtOnceFromOneThatPlays(t *testing.T) {
	sample := bytes.Repeat([]byte{0}, 200_000) // more than a pipe holds
	noisy := []string{"sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10; do echo ALSA lib noise $i >&2; done; echo 'Could not initialize SDL - No available audio device' >&2; exit 1"}
	err := Probe(context.Background(), noisy, sample, 30*time.Second, false)
	var pe *ProbeError
	if !errors.As(err, &pe) || pe.Reason != "Could not initialize SDL - No available audio device" || pe.Name != "sh" {
		t.Fatalf("a player that quits at once: %v", err)
	}
	if !strings.Contains(pe.Error(), "sh quit at once (Could not initialize SDL") {
		t.Fatalf("reason: %s", pe.Error())
	}
	if err := Probe(context.Background(), []string{"sh", "-c", "cat >/dev/null"}, sample, 100*time.Millisecond, false); err != nil {
		t.Fatalf("a player that keeps reading: %v", err)
	}
	// ffplay without an audio device: it reads the stream to the end (or
	// to 5 s of it) before it opens its output, then fails, with exit
	// status 0. Its input must end for the probe to see it.
	late := []string{"sh", "-c", "cat >/dev/null; echo 'No more combinations to try, audio open failed' >&2"}
	if err := Probe(context.Background(), late, sample, 30*time.Second, true); !errors.As(err, &pe) || pe.Reason != "No more combinations to try, audio open failed" {
		t.Fatalf("a player that fails once its input ends: %v", err)
	}
	if err := Probe(context.Background(), []string{"sh", "-c", "cat >/dev/null; exec sleep 60"}, sample, 100*time.Millisecond, true); err != nil {
		t.Fatalf("a player that reads the sample and plays it: %v", err)
	}
	if err := Probe(context.Background(), []string{"sh", "-c", "exec sleep 60"}, sample, 100*time.Millisecond, true); err != nil {
		t.Fatalf("a player that keeps running without reading: %v", err)
	}
	if err := Probe(context.Background(), []string{"securemedia-no-such-player"}, sample, time.Second, false); err == nil || errors.As(err, &pe) {
		t.Fatalf("a player that cannot start: %v", err)
	}
}
