package demo

import (
	"context"
	"encoding/binary"
	"os"
	"slices"
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
	want := []string{"workspace", "pki", "card", "media", "server", "session", "catalog", "play", "license", "player", "closed"}
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
