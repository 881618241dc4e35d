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
}
