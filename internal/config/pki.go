package config

import "time"

// PKISection is the [pki] section of server.toml: where the CA lives and
// which CRLs the server publishes (see package pki).
type PKISection struct {
	// CADir is the CA directory made by `securemedia init` or `securemedia
	// pki init` (used by operator commands; the server never reads CA keys).
	CADir string `toml:"ca_dir,omitempty,omitzero"`
	// CRLs are the CRL files the server serves under /crl/ and reloads
	// without a restart; empty means the files of [trust] crls.
	CRLs []string `toml:"crls,omitempty,omitzero"`
	// ReloadInterval is how often the CRL files are re-read (and the trust
	// anchor files and the media store's master key checked for changes);
	// zero means one minute.
	ReloadInterval time.Duration `toml:"reload_interval,omitempty,omitzero"`
	// CRLWarning is how long before a CRL the server relies on goes stale
	// the server starts warning (a stale CRL refuses every chain it
	// covers); zero means three days.
	CRLWarning time.Duration `toml:"crl_warning,omitempty,omitzero"`
}
