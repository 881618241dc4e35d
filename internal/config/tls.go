package config

// ServerTLS is the [tls] section of server.toml: an optional TLS listener
// around the session protocol, for operators who want HTTPS on the wire
// (a browser player needs a secure context). The protocol does not rely
// on it: without it the listener is plain HTTP.
type ServerTLS struct {
	// Certificate is the TLS certificate chain (PEM, leaf first), with
	// the server's names as subject alternative names.
	Certificate string `toml:"certificate,omitempty,omitzero"`
	// Key is its private key (PEM); KeyPassphraseFile, when set, holds
	// the passphrase of an encrypted one.
	Key               string `toml:"key,omitempty,omitzero"`
	KeyPassphraseFile string `toml:"key_passphrase_file,omitempty,omitzero"`
}

// Enabled reports whether the listener is TLS.
func (t ServerTLS) Enabled() bool { return t.Certificate != "" || t.Key != "" }

// ClientTLS is the [tls] section of client.toml: what an https:// server's
// TLS certificate is verified against.
type ClientTLS struct {
	// Roots are the CA certificates (PEM or DER files) that the server's
	// TLS certificate must chain to; empty means the system's roots.
	Roots []string `toml:"roots,omitempty,omitzero"`
}
