package token

import (
	"fmt"
	"runtime"
)

// Profile says how objects are found on a token.
type Profile int

const (
	// Generic finds the key by the URI's object/id attributes and the
	// certificate by the key's CKA_ID.
	Generic Profile = iota
	// CitizenCard finds the objects by the identity card's fixed labels
	// and defaults the module to the card middleware's path.
	CitizenCard
)

// The Citizen Card's object labels, as its middleware exposes them.
const (
	LabelAuthKey         = "CITIZEN AUTHENTICATION KEY"
	LabelAuthCertificate = "CITIZEN AUTHENTICATION CERTIFICATE"
	LabelSubCA           = "AUTHENTICATION SUB CA"
	LabelRootCA          = "ROOT CA"
)

// String returns the profile's name as written in client.toml.
func (p Profile) String() string {
	switch p {
	case Generic:
		return "generic"
	case CitizenCard:
		return "citizen-card"
	}
	return fmt.Sprintf("profile(%d)", int(p))
}

// ParseProfile reads a profile name from configuration; "" means CitizenCard.
func ParseProfile(s string) (Profile, error) {
	switch s {
	case "", "citizen-card":
		return CitizenCard, nil
	case "generic":
		return Generic, nil
	}
	return 0, fmt.Errorf("token: unknown profile %q (want citizen-card or generic)", s)
}

// DefaultModule is the path of the profile's PKCS#11 module on this OS, or ""
// when the profile has none.
func (p Profile) DefaultModule() string {
	if p != CitizenCard {
		return ""
	}
	return citizenCardModule(runtime.GOOS)
}

// citizenCardModule is the Portuguese Citizen Card middleware's module path
// per OS, where its installer puts it.
func citizenCardModule(goos string) string {
	switch goos {
	case "darwin":
		return "/usr/local/lib/libpteidpkcs11.dylib"
	case "windows":
		return "pteidpkcs11.dll"
	default:
		return "/usr/local/lib/libpteidpkcs11.so"
	}
}
