package config

import "time"

// LicenseSection is the [license] section: where licenses live and what a
// title grants when its media entry sets no policy.
type LicenseSection struct {
	// Database selects the license store: "" is the SQLite file
	// licenses.db in data_dir, "sqlite:PATH" another SQLite file,
	// "postgres://..." a PostgreSQL database shared by several replicas.
	Database string `toml:"database,omitempty,omitzero"`
	// DefaultViews is the server-wide number of views per license when a
	// media item sets none; nil means 5 (0 means unlimited).
	DefaultViews *int `toml:"default_views,omitempty,omitzero"`
	// DefaultPeriod is the server-wide rental period ("48h", "7d"); empty
	// means no time limit.
	DefaultPeriod string `toml:"default_period,omitempty,omitzero"`
	// SigningCertificate is the license-signing certificate chain (PEM,
	// leaf first) whose key signs license tokens.
	SigningCertificate string `toml:"signing_certificate,omitempty,omitzero"`
	// SigningKey is the license-signing private key (PEM file or PKCS#11 URI).
	SigningKey string `toml:"signing_key,omitempty,omitzero"`
	// PlayWindow is how long a play of an item whose duration is unknown
	// may deliver and be resumed ("6h"); 0 means 6 hours. An item with a
	// known duration gets twice it plus 10 minutes instead.
	PlayWindow time.Duration `toml:"play_window,omitempty,omitzero"`
	// MaxOpenPlays bounds one user's plays requested and not yet counted
	// (their first chunk not yet delivered): a play request is free, so
	// the oldest beyond are abandoned; 0 means 64.
	MaxOpenPlays int `toml:"max_open_plays,omitempty,omitzero"`
}

// Views returns DefaultViews with its default of 5 applied.
func (l LicenseSection) Views() int {
	if l.DefaultViews == nil {
		return 5
	}
	return *l.DefaultViews
}
