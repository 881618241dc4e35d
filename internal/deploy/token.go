package deploy

import (
	"fmt"
	"os"
	"path/filepath"

	"securemedia/internal/config"
	"securemedia/internal/secret"
	"securemedia/token"
	"securemedia/token/provision"
)

// ResolvedTokenSection is c's [token] section with its paths resolved
// against the file's directory.
func ResolvedTokenSection(c *config.Client) config.TokenSection {
	sec := c.Token
	sec.Module = c.Path(sec.Module)
	sec.PINFile = c.Path(sec.PINFile)
	sec.SoftHSMConfig = c.Path(sec.SoftHSMConfig)
	sec.SoftwareKey = c.Path(sec.SoftwareKey)
	sec.SoftwareCertificate = c.Path(sec.SoftwareCertificate)
	return sec
}

// TokenConfig turns a resolved [token] section into a token.Config. The PIN
// comes from pinFile (a --pin-file), then PINEnv, then the section's
// pin_file, then a prompt. It exports the section's SoftHSM2 configuration,
// which the module reads when it is loaded.
func TokenConfig(sec config.TokenSection, pinFile string) (token.Config, error) {
	profile, err := token.ParseProfile(sec.Profile)
	if err != nil {
		return token.Config{}, &Error{Keys: []string{"[token] profile"}, Err: err}
	}
	if sec.SoftHSMConfig != "" {
		if err := os.Setenv(token.SoftHSMConfigEnv, sec.SoftHSMConfig); err != nil {
			return token.Config{}, err
		}
	}
	src := cardPINSource(sec.PINFile, pinFile)
	return token.Config{
		Module:  sec.Module,
		URI:     sec.URI,
		Label:   sec.Label,
		Profile: profile,
		PIN:     func() ([]byte, error) { return secret.Read(src) },
	}, nil
}

// OpenUserToken opens the viewer's token as c's [token] section says: the
// software token when software_key is set, else PKCS#11. pinFile is a
// --pin-file ("" if not given). The caller closes the token.
func OpenUserToken(c *config.Client, pinFile string) (token.Authenticator, error) {
	sec := ResolvedTokenSection(c)
	if sec.Software() {
		t, err := token.OpenSoftware(sec.SoftwareKey, sec.SoftwareCertificate)
		if err != nil {
			return nil, configError(c.File(), err, "[token] software_key", "[token] software_certificate")
		}
		return t, nil
	}
	tc, err := TokenConfig(sec, pinFile)
	if err != nil {
		if e, ok := err.(*Error); ok {
			e.File = c.File()
		}
		return nil, err
	}
	return token.Open(tc)
}

// DemoCard creates a demo identity card in dir: on SoftHSM2 when it is
// installed and software is false, otherwise a software card. kind says
// which, for the viewer.
func DemoCard(dir string, o provision.DemoCardOptions, software bool) (*provision.DemoCard, string, error) {
	if _, ok := provision.SoftHSMModule(); ok && !software {
		d, err := provision.CreateDemoCard(dir, o)
		if err != nil {
			return nil, "", err
		}
		return d, "SoftHSM2 token", nil
	}
	d, err := provision.CreateSoftwareCard(dir, o)
	if err != nil {
		return nil, "", err
	}
	if software {
		return d, "software token", nil
	}
	return d, "software token: SoftHSM2 is not installed", nil
}

// DemoTokenSection is the [token] section of a client.toml in base that
// uses the demo card d, with paths relative to base.
func DemoTokenSection(base string, d *provision.DemoCard) (config.TokenSection, error) {
	absBase, err := filepath.Abs(base)
	if err != nil {
		return config.TokenSection{}, err
	}
	var firstErr error
	rel := func(p string) string {
		if p == "" {
			return ""
		}
		abs, err := filepath.Abs(p)
		if err == nil {
			p, err = filepath.Rel(absBase, abs)
		}
		if err != nil && firstErr == nil {
			firstErr = fmt.Errorf("demo token path %s: %w", p, err)
		}
		return p
	}
	sec := config.TokenSection{PINFile: rel(d.PINFile)}
	if d.Software() {
		sec.SoftwareKey, sec.SoftwareCertificate = rel(d.KeyPath), rel(d.ChainPath)
	} else {
		sec.Module, sec.Label, sec.Profile = d.Module, d.Label, token.CitizenCard.String()
		sec.SoftHSMConfig = rel(d.ConfigPath)
	}
	return sec, firstErr
}

// ListTokens lists the slots of the PKCS#11 module of a resolved [token]
// section (`token list`): its module, else the identity-card middleware
// when installed, else SoftHSM2 when installed. It exports the section's
// SoftHSM2 configuration first, and says which module it read.
func ListTokens(sec config.TokenSection) (module string, slots []token.SlotInfo, err error) {
	if sec.SoftHSMConfig != "" {
		if err := os.Setenv(token.SoftHSMConfigEnv, sec.SoftHSMConfig); err != nil {
			return "", nil, err
		}
	}
	module = sec.Module
	if module == "" {
		module = token.CitizenCard.DefaultModule()
		if _, err := os.Stat(module); err != nil {
			if p, ok := provision.SoftHSMModule(); ok {
				module = p
			}
		}
	}
	slots, err = token.List(module)
	return module, slots, err
}

// ExportCertificate returns the authentication certificate (DER) of the
// token a resolved [token] section names: the leaf of a software token's
// chain, or the certificate a PKCS#11 token holds (its PIN, where the
// certificate is not public, as TokenConfig reads it).
func ExportCertificate(sec config.TokenSection, pinFile string) ([]byte, error) {
	if sec.Software() {
		t, err := token.OpenSoftware(sec.SoftwareKey, sec.SoftwareCertificate)
		if err != nil {
			return nil, err
		}
		defer t.Close()
		return t.Chain()[0], nil
	}
	c, err := TokenConfig(sec, pinFile)
	if err != nil {
		return nil, err
	}
	return token.ExportCertificate(c)
}

// NewTokenKEK names the token and the key of a new key-encryption key.
type NewTokenKEK struct {
	Module string
	// URI (RFC 7512) or TokenLabel selects the token.
	URI, TokenLabel string
	KeyLabel        string
	// PINFile holds the token's user PIN; else KEKPINEnv, else a prompt.
	PINFile string
}

// CreateTokenKEK generates the media store's key-encryption key on a
// token (provision.CreateKEK) and returns the [media] kek_token_uri that
// names it: k.URI with the key's label as its object when it names none,
// else the token's and the key's labels.
func CreateTokenKEK(k NewTokenKEK) (*token.URI, error) {
	u := &token.URI{Token: k.TokenLabel, Object: k.KeyLabel}
	if k.URI != "" {
		parsed, err := token.ParseURI(k.URI)
		if err != nil {
			return nil, err
		}
		if u = parsed; u.Object == "" {
			u.Object = k.KeyLabel
		}
	}
	src := secret.Source{What: "KEK token PIN", File: k.PINFile, Env: KEKPINEnv, Prompt: "KEK token PIN"}
	c := token.Config{Module: k.Module, URI: k.URI, Label: k.TokenLabel, Profile: token.Generic,
		PIN: func() ([]byte, error) { return secret.Read(src) }}
	if err := provision.CreateKEK(c, k.KeyLabel); err != nil {
		return nil, err
	}
	return u, nil
}
