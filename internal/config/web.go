package config

// WebSection is the [web] section of server.toml: the browser viewers
// (DESIGN.md §11), who log in with a WebAuthn credential registered with
// an invite (`securemedia user invite`), from the browser device key they
// registered with. Without rp_id, browsers cannot log in.
type WebSection struct {
	// RPID is the WebAuthn relying party id: the host name of the page as
	// the browser reaches it ("localhost" on one machine, else the
	// server's domain).
	RPID string `toml:"rp_id,omitempty,omitzero"`
	// Origins are the page's origins, scheme://host[:port]
	// ("http://localhost:8443"); each host must be rp_id or under it. The
	// first is where `user invite` sends the viewer.
	Origins []string `toml:"origins,omitempty,omitzero"`
	// RequireUserVerification makes registrations and logins need the
	// authenticator's user verification (a PIN or a fingerprint), not
	// only a touch.
	RequireUserVerification bool `toml:"require_user_verification,omitempty,omitzero"`
}

// Enabled reports whether browser viewers are configured.
func (w WebSection) Enabled() bool { return w.RPID != "" || len(w.Origins) > 0 }
