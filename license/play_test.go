package license_test

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"securemedia/license"
)

func TestPlayStateNames(t *testing.T) {
	for _, s := range []license.PlayState{license.PlayStarted, license.PlayCounted, license.PlayCompleted, license.PlayAbandoned, license.PlayRefunded} {
		got, err := license.ParsePlayState(s.String())
		if err != nil || got != s {
			t.Errorf("ParsePlayState(%q) = %v, %v", s, got, err)
		}
	}
	if license.PlayState(0).String() != "PlayState(0)" || license.PlayState(9).String() != "PlayState(9)" {
		t.Error("out-of-range states print as names")
	}
	for _, bad := range []string{"", "Started", "paused"} {
		if _, err := license.ParsePlayState(bad); !errors.Is(err, license.ErrInvalidInput) {
			t.Errorf("ParsePlayState(%q): %v", bad, err)
		}
	}
	open := map[license.PlayState]bool{license.PlayStarted: true, license.PlayCounted: true}
	resumable := map[license.PlayState]bool{license.PlayStarted: true, license.PlayCounted: true, license.PlayCompleted: true}
	for s := license.PlayStarted; s <= license.PlayRefunded; s++ {
		if s.Open() != open[s] || s.Resumable() != resumable[s] {
			t.Errorf("%s.Open() = %v, Resumable() = %v", s, s.Open(), s.Resumable())
		}
	}
}

func TestPlayLifetime(t *testing.T) {
	for _, c := range []struct {
		name             string
		duration, window time.Duration
		want             time.Duration
	}{
		{"a known duration: twice it plus the margin", 3 * time.Minute, 0, 16 * time.Minute},
		{"a known duration wins over the window", 2 * time.Hour, time.Hour, 4*time.Hour + 10*time.Minute},
		{"an unknown duration: the default window", 0, 0, license.DefaultPlayWindow},
		{"an unknown duration: the configured window", 0, 90 * time.Minute, 90 * time.Minute},
		{"a long item is capped", 30 * 24 * time.Hour, 0, license.MaxPlayWindow},
		{"a huge duration does not overflow", 1<<63 - 1, 0, license.MaxPlayWindow},
		{"a negative duration is unknown", -time.Hour, 0, license.DefaultPlayWindow},
		{"a window beyond the cap is capped", 0, 30 * 24 * time.Hour, license.MaxPlayWindow},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := license.PlayLifetime(c.duration, c.window); got != c.want {
				t.Fatalf("PlayLifetime(%s, %s) = %s, want %s", c.duration, c.window, got, c.want)
			}
		})
	}
}

func TestPlayGrant(t *testing.T) {
	g, err := license.NewGrants(bytes.NewReader(bytes.Repeat([]byte{7}, 32)))
	if err != nil {
		t.Fatal(err)
	}
	sid := []byte("session-0123456789")
	exp := time.Unix(1_900_000_000, 0)
	grant := g.IssuePlay(sid, "media-1", "play-1", exp)
	if id, err := g.CheckPlay(grant, sid, "media-1"); err != nil || id != "play-1" {
		t.Fatalf("CheckPlay = %q, %v; want play-1", id, err)
	}
	for name, c := range map[string]struct {
		grant, sid []byte
		media      string
	}{
		"another session":  {grant, []byte("session-other"), "media-1"},
		"another media":    {grant, sid, "media-2"},
		"a flipped bit":    {flip(grant, 4), sid, "media-1"},
		"a flipped MAC":    {flip(grant, len(grant)-1), sid, "media-1"},
		"truncated":        {grant[:len(grant)-1], sid, "media-1"},
		"nothing":          {nil, sid, "media-1"},
		"an oversized one": {make([]byte, license.MaxGrantSize+1), sid, "media-1"},
	} {
		if _, err := g.CheckPlay(c.grant, c.sid, c.media); !errors.Is(err, license.ErrBadGrant) {
			t.Errorf("%s: got %v, want ErrBadGrant", name, err)
		}
	}
}

func FuzzPlayGrantCheck(f *testing.F) {
	g, err := license.NewGrants(bytes.NewReader(bytes.Repeat([]byte{7}, 32)))
	if err != nil {
		f.Fatal(err)
	}
	good := g.IssuePlay([]byte("sid"), "m", "p", time.Unix(1_900_000_000, 0))
	f.Add(good)
	f.Add([]byte{})
	f.Add(flip(good, 2))
	f.Fuzz(func(t *testing.T, b []byte) {
		id, err := g.CheckPlay(b, []byte("sid"), "m")
		if err == nil && (!bytes.Equal(b, good) || id != "p") {
			t.Fatalf("an unissued grant checked: %x", b)
		}
	})
}
