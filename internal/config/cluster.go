package config

import "time"

// ClusterSection is the [cluster] section of server.toml: what a server
// needs to be one replica among several behind a balancer (DESIGN.md §10).
type ClusterSection struct {
	// Replica is this server's name among the replicas: its session URLs
	// are /v1/session/<replica>.<hex>, which the balancer routes by path
	// (hellos go to any replica). 1 to 32 bytes of [a-z0-9-]; empty for a
	// single server, whose session URLs are /v1/session/<hex>.
	Replica string `toml:"replica,omitempty,omitzero"`
	// CookieKeyFile holds a secret of at least 32 bytes that the replicas
	// behind one balancer share: the key of the handshake cookies
	// (DESIGN.md §4 "Admission") is derived from it, so that a cookie one
	// replica made verifies at the one the retry reaches. Empty means a
	// random key per process, enough for a single server.
	CookieKeyFile string `toml:"cookie_key_file,omitempty,omitzero"`
	// DrainTimeout bounds a drain (SIGTERM): the server stops taking
	// sessions and hands its plays off to the other replicas, then exits
	// once none is left, or after this long; zero means 30 seconds.
	DrainTimeout time.Duration `toml:"drain_timeout,omitempty,omitzero"`
}
