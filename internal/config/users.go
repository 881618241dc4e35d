package config

// UsersSection is the [users] section: how the server validates the chains
// of users' authentication (identity card) certificates. Users themselves
// are registered in the license database (`securemedia user add`).
type UsersSection struct {
	// TrustAnchors are the root CAs of user certificates (PEM or DER files).
	TrustAnchors []string `toml:"trust_anchors,omitempty,omitzero"`
	// Intermediates are the sub-CAs that may complete a user chain.
	Intermediates []string `toml:"intermediates,omitempty,omitzero"`
	// CRLs are the revocation lists of the user CAs (PEM or DER files).
	CRLs []string `toml:"crls,omitempty,omitzero"`
	// CheckRevocation: nil or true requires CRLs for user chains (a server
	// with user trust anchors and no CRLs refuses to start); false turns
	// the check off explicitly.
	CheckRevocation *bool `toml:"check_revocation,omitempty,omitzero"`
}

// RevocationEnabled reports whether user chains are checked for revocation
// (the default).
func (u UsersSection) RevocationEnabled() bool { return u.CheckRevocation == nil || *u.CheckRevocation }
