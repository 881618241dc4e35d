package config

// PlayerSection is the [player] section. Its owner adds fields as its issue needs them.
type PlayerSection struct {
}
