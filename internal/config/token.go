package config

// TokenSection is the [token] section of client.toml: the user's hardware
// token (DESIGN.md §6), or the software fallback of a demo workspace.
type TokenSection struct {
	// Module is the path of the PKCS#11 module. Empty means the profile's
	// default (for citizen-card, the identity-card middleware's path).
	Module string `toml:"module,omitempty,omitzero"`
	// URI is an RFC 7512 PKCS#11 URI naming the token (and, for the generic
	// profile, the key), e.g. "pkcs11:token=CARTAO%20DE%20CIDADAO".
	URI string `toml:"uri,omitempty,omitzero"`
	// Label is the token label, an alternative to URI.
	Label string `toml:"label,omitempty,omitzero"`
	// Profile is "citizen-card" (the default: the card's object labels) or
	// "generic" (objects named by URI and CKA_ID).
	Profile string `toml:"profile,omitempty,omitzero"`
	// PINFile holds the PIN (0600). SECUREMEDIA_PIN and --pin-file override
	// it; with none of them the PIN is asked on the terminal.
	PINFile string `toml:"pin_file,omitempty,omitzero"`
	// SoftHSMConfig, when set, is exported as SOFTHSM2_CONF before the
	// module is loaded (demo workspaces whose card lives in SoftHSM2).
	SoftHSMConfig string `toml:"softhsm_config,omitempty,omitzero"`
	// SoftwareKey and SoftwareCertificate select the software token instead
	// of PKCS#11: a PKCS#8 PEM key and a PEM chain, leaf first (demos on
	// machines without a PKCS#11 module).
	SoftwareKey         string `toml:"software_key,omitempty,omitzero"`
	SoftwareCertificate string `toml:"software_certificate,omitempty,omitzero"`
}

// Software reports whether the section selects the software token.
func (t TokenSection) Software() bool { return t.SoftwareKey != "" }

// Configured reports whether the section selects any token at all.
func (t TokenSection) Configured() bool {
	return t.Software() || t.Module != "" || t.URI != "" || t.Label != "" || t.Profile != ""
}
