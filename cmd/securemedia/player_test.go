package main

import (
	"slices"
	"testing"
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
			got, err := playerArgv(c.command)
			if err != nil || !slices.Equal(got, c.want) {
				t.Fatalf("playerArgv(%q) = %q, %v; want %q", c.command, got, err, c.want)
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
		if argv, err := playerArgv(command); err == nil {
			t.Errorf("playerArgv(%q) = %q, want an error", command, argv)
		}
	}
}
