package config

// PlayerSection is the [player] section of client.toml.
type PlayerSection struct {
	// Command is the player fed the verified stream on its standard input,
	// e.g. "mpv --no-video -". Empty means ffplay or mpv found on PATH.
	Command string `toml:"command,omitempty,omitzero"`
}
