package config

// AdminSection is the [admin] section of server.toml: the admin listener
// (DESIGN.md §10), which serves /healthz, /readyz and /metrics apart from
// the public listener. It speaks plain HTTP and carries no secret, but it
// tells the state of the server: bind it to loopback or to a private
// interface that the balancer and the monitoring reach.
type AdminSection struct {
	// Listen is its host:port; empty means 127.0.0.1:0 (loopback, a free
	// port, printed at start).
	Listen string `toml:"listen,omitempty,omitzero"`
}

// DefaultAdminListen is the admin listener's address when [admin] listen
// does not say.
const DefaultAdminListen = "127.0.0.1:0"
