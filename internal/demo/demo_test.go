package demo

import (
	"bytes"
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"securemedia/media"
)

func TestTheDemoReportsEveryStageOfOnePlay(t *testing.T) {
	var steps []Step
	err := Run(context.Background(), Options{Player: "none", Argon2: &media.Argon2Params{Time: 1, Memory: 64, Threads: 1}},
		func(s Step) { steps = append(steps, s) })
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range steps {
		names = append(names, s.Name)
	}
	want := []string{"workspace", "pki", "card", "media", "server", "page", "session", "catalog", "play", "license", "player", "closed"}
	if !slices.Equal(names, want) {
		t.Fatalf("steps %q, want %q", names, want)
	}
	text := func(name string) string { return steps[slices.Index(names, name)].Text }
	if p := text("play"); !strings.Contains(p, "every chunk verified against the signed manifest") || strings.Contains(p, " 0 rekey(s)") {
		t.Errorf("play: %s", p)
	}
	if p := text("player"); p != "null sink (--player none)" {
		t.Errorf("player: %s", p)
	}
	dir, _, _ := strings.Cut(text("workspace"), " ")
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the workspace %s was not removed: %v", dir, err)
	}
}

func TestAPlayerThatCannotStartStopsTheDemoBeforeThePlay(t *testing.T) {
	var steps []Step
	err := Run(context.Background(), Options{Player: "securemedia-no-such-player -", Argon2: &media.Argon2Params{Time: 1, Memory: 64, Threads: 1}},
		func(s Step) { steps = append(steps, s) })
	if err == nil || !strings.Contains(err.Error(), "securemedia-no-such-player") {
		t.Fatalf("Run = %v", err)
	}
	for _, s := range steps {
		if s.Name == "play" {
			t.Fatalf("the demo played without its player: %+v", steps)
		}
	}
}

func TestTheSynthesizedTrackIsAWellFormedWAV(t *testing.T) {
	b := synthWAV(1)
	if len(b) != 44+44100*4 || string(b[:4]) != "RIFF" || string(b[8:16]) != "WAVEfmt " || string(b[36:40]) != "data" {
		t.Fatalf("header %q, length %d", b[:44], len(b))
	}
	if binary.LittleEndian.Uint32(b[4:]) != uint32(len(b)-8) || binary.LittleEndian.Uint32(b[40:]) != uint32(len(b)-44) {
		t.Fatal("RIFF or data length does not match the file")
	}
}

// TestAPlayerThatCannotPlayHereCostsNoView stands in for ffplay on a
// machine without a sound card: it prints a screenful of errors and quits
// at once. The demo probes it before the play, says in one line why it
// played into a null sink, shows none of the noise, and the one play
// costs one view, not two.
func TestAPlayerThatCannotPlayHereCostsNoView(t *testing.T) {
	script := filepath.Join(t.TempDir(), "ffplay.sh")
	noise := "for i in $(seq 20); do echo \"ALSA lib pcm.c:$i: Unknown PCM default\" >&2; done\n" +
		"echo 'SDL_OpenAudio (2 channels, 44100 Hz): ALSA: Couldn'\"'\"'t open audio device' >&2\nexit 1\n"
	if err := os.WriteFile(script, []byte(noise), 0o700); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	steps := runDemo(t, Options{Player: "sh " + script, Output: &out})
	if got := steps["player"]; got != "null sink: sh quit at once (SDL_OpenAudio (2 channels, 44100 Hz): ALSA: Couldn't open audio device)" {
		t.Errorf("player: %q", got)
	}
	if got := steps["license"]; !strings.HasPrefix(got, "4 views left") {
		t.Errorf("license after one demo: %q, want 4 of 5 views left", got)
	}
	if strings.Contains(out.String(), "ALSA") {
		t.Errorf("the player's noise was shown:\n%s", out.String())
	}
}

func TestAPlayerThatPlaysGetsTheTrack(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "player.sh")
	got := filepath.Join(dir, "bytes")
	if err := os.WriteFile(script, []byte("echo 'player chatter' >&2\nwc -c >"+got+"\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	steps := runDemo(t, Options{Player: "sh " + script, Output: &out})
	if steps["player"] != "sh" || !strings.HasPrefix(steps["license"], "4 views left") {
		t.Errorf("player %q, license %q", steps["player"], steps["license"])
	}
	n, err := os.ReadFile(got)
	if err != nil || strings.TrimSpace(string(n)) != strconv.Itoa(len(synthWAV(trackSeconds))) {
		t.Errorf("the player read %q bytes (%v), want the whole track", n, err)
	}
	if strings.Contains(out.String(), "chatter") {
		t.Errorf("the output of a player that played was shown:\n%s", out.String())
	}
}

// runDemo runs the demo with cheap master-key costs and returns its steps
// by name.
func runDemo(t *testing.T, o Options) map[string]string {
	t.Helper()
	o.Argon2 = &media.Argon2Params{Time: 1, Memory: 64, Threads: 1}
	steps := map[string]string{}
	if err := Run(context.Background(), o, func(s Step) { steps[s.Name] = s.Text }); err != nil {
		t.Fatalf("demo: %v (steps %q)", err, steps)
	}
	return steps
}
