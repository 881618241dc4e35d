package token

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"math/big"

	"github.com/miekg/pkcs11"
)

// maxCertificateSize bounds a certificate object read from a token.
const maxCertificateSize = 64 << 10

// Config selects a module, a token on it, and the key on the token.
type Config struct {
	// Module is the path of the PKCS#11 module; "" means the URI's
	// module-path, then the profile's default.
	Module string
	// URI is an RFC 7512 URI naming the token and, for the Generic
	// profile, the key ("pkcs11:token=...;object=...;type=private").
	URI string
	// Label is the token label, an alternative to URI.
	Label string
	// Profile says how objects are found: by the identity card's labels
	// (CitizenCard) or by the URI and CKA_ID (Generic).
	Profile Profile
	// PIN is called once, at login, unless the token has a PIN pad. The
	// returned slice is erased after use.
	PIN func() ([]byte, error)
}

// modulePath resolves the module to load for c.
func (c Config) modulePath(u *URI) (string, error) {
	switch {
	case c.Module != "" && u != nil && u.ModulePath != "" && u.ModulePath != c.Module:
		return "", fmt.Errorf("token: module %s and the URI's module-path %s differ", c.Module, u.ModulePath)
	case c.Module != "":
		return c.Module, nil
	case u != nil && u.ModulePath != "":
		return u.ModulePath, nil
	}
	if p := c.Profile.DefaultModule(); p != "" {
		return p, nil
	}
	return "", errors.New("token: no PKCS#11 module given (set module in [token] or use --module)")
}

// resolve parses c's selection and names the module to load for it.
func (c Config) resolve() (*selection, string, error) {
	sel, err := c.selection()
	if err != nil {
		return nil, "", err
	}
	path, err := c.modulePath(sel.uri)
	if err != nil {
		return nil, "", err
	}
	return sel, path, nil
}

// selection is the parsed token and key selection of a Config.
type selection struct {
	uri     *URI
	label   string
	profile Profile
}

func (c Config) selection() (*selection, error) {
	sel := &selection{label: c.Label, profile: c.Profile}
	if c.URI != "" {
		u, err := ParseURI(c.URI)
		if err != nil {
			return nil, err
		}
		if c.Label != "" && u.Token != "" && u.Token != c.Label {
			return nil, fmt.Errorf("token: label %q and the URI's token %q differ", c.Label, u.Token)
		}
		if u.Type != "" && u.Type != "private" && u.Type != "cert" {
			return nil, fmt.Errorf("token: URI type %q names neither a private key nor a certificate", u.Type)
		}
		sel.uri = u
	}
	return sel, nil
}

// matches reports whether the token in a slot is the one selected.
func (sel *selection) matches(slot uint, ti pkcs11.TokenInfo) bool {
	if sel.label != "" && ti.Label != sel.label {
		return false
	}
	if u := sel.uri; u != nil {
		if u.Token != "" && ti.Label != u.Token ||
			u.Manufacturer != "" && ti.ManufacturerID != u.Manufacturer ||
			u.Serial != "" && ti.SerialNumber != u.Serial ||
			u.Model != "" && ti.Model != u.Model ||
			u.HasSlotID && slot != u.SlotID {
			return false
		}
	}
	return true
}

// findSlotLocked returns the slot of the one token that matches. m.mu is held.
func (m *Module) findSlotLocked(sel *selection) (uint, pkcs11.TokenInfo, error) {
	ids, err := m.slotsLocked(true)
	if err != nil {
		return 0, pkcs11.TokenInfo{}, err
	}
	var found []uint
	var info pkcs11.TokenInfo
	for _, id := range ids {
		ti, err := m.ctx.GetTokenInfo(id)
		if err != nil || ti.Flags&pkcs11.CKF_TOKEN_INITIALIZED == 0 {
			continue // a slot that changes under us or holds a blank token
		}
		if sel.matches(id, ti) {
			found = append(found, id)
			info = ti
		}
	}
	switch len(found) {
	case 0:
		return 0, info, fmt.Errorf("%w in %s%s", ErrTokenNotFound, m.path, sel.describe())
	case 1:
		return found[0], info, nil
	}
	return 0, info, fmt.Errorf("%w: %d tokens in %s match%s; select one with a label or a URI", ErrTokenNotFound, len(found), m.path, sel.describe())
}

func (sel *selection) describe() string {
	switch {
	case sel.uri != nil:
		return fmt.Sprintf(" for %s", sel.uri)
	case sel.label != "":
		return fmt.Sprintf(" with label %q", sel.label)
	}
	return ""
}

// Session is an open, logged-in session on one token, holding the
// authentication key and its certificate. It is safe for concurrent use:
// every PKCS#11 call is serialized by the module's lock.
type Session struct {
	*tokenSession

	key     pkcs11.ObjectHandle
	keyType uint
	cert    *x509.Certificate
	chain   [][]byte
	mechs   map[uint]bool
	desc    string
}

// Open loads c's module, finds the token, logs in and finds the
// authentication key and certificate. The session owns the module and
// finalizes it on Close.
func Open(c Config) (*Session, error) {
	sel, path, err := c.resolve()
	if err != nil {
		return nil, err
	}
	return withModule(path, func(m *Module) (*Session, error) { return m.open(c, sel) })
}

// withModule loads the module at path and runs open on it. The module's
// own reference is released afterwards: what open returns holds one of its
// own and finalizes the module when it is closed.
func withModule[T any](path string, open func(*Module) (T, error)) (T, error) {
	m, err := LoadModule(path)
	if err != nil {
		var zero T
		return zero, err
	}
	defer m.Close()
	return open(m)
}

// Open opens a session on the token c selects (c.Module is ignored).
func (m *Module) Open(c Config) (*Session, error) {
	sel, err := c.selection()
	if err != nil {
		return nil, err
	}
	return m.open(c, sel)
}

// open logs in, then loads the key, certificate, chain and mechanisms.
func (m *Module) open(c Config, sel *selection) (*Session, error) {
	t, err := m.openSession(c, sel, pkcs11.CKF_SERIAL_SESSION)
	if err != nil {
		return nil, err
	}
	s := &Session{tokenSession: t}
	ti := t.info
	s.desc = fmt.Sprintf("PKCS#11 token %q (%s %s, serial %s) via %s", ti.Label, ti.ManufacturerID, ti.Model, ti.SerialNumber, m.path)
	if err := s.load(sel); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// load finds the authentication key, its certificate and chain, and the
// token's mechanisms, once logged in.
func (s *Session) load(sel *selection) error {
	m := s.m
	m.lock()
	defer m.unlock()
	if err := s.loadKeyLocked(sel); err != nil {
		return err
	}
	if err := s.loadCertificatesLocked(sel); err != nil {
		return err
	}
	mechs, err := m.ctx.GetMechanismList(s.slot)
	if err != nil {
		return s.wrap(fmt.Sprintf("mechanisms of %q", s.info.Label), err)
	}
	s.mechs = map[uint]bool{}
	for _, mech := range mechs {
		s.mechs[mech.Mechanism] = true
	}
	return nil
}

// keyTemplate is the search template for the authentication key.
func keyTemplate(sel *selection) []*pkcs11.Attribute {
	t := []*pkcs11.Attribute{pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_PRIVATE_KEY)}
	if sel.profile == CitizenCard {
		return append(t, pkcs11.NewAttribute(pkcs11.CKA_LABEL, LabelAuthKey))
	}
	// By the usual convention (pkcs11-tool, p11-kit) a key and its
	// certificate share label and id, so object= and id= name both.
	if u := sel.uri; u != nil {
		if u.Object != "" {
			t = append(t, pkcs11.NewAttribute(pkcs11.CKA_LABEL, u.Object))
		}
		if len(u.ID) > 0 {
			t = append(t, pkcs11.NewAttribute(pkcs11.CKA_ID, u.ID))
		}
	}
	return t
}

// loadKeyLocked finds the one private key selected. m.mu is held.
func (s *Session) loadKeyLocked(sel *selection) error {
	m := s.m
	hs, err := m.findObjectsLocked(s.sh, keyTemplate(sel))
	if err != nil {
		return s.wrap("find the authentication key", err)
	}
	switch len(hs) {
	case 0:
		return fmt.Errorf("%w: no authentication key on the token%s", ErrObjectNotFound, sel.describeKey())
	case 1:
	default:
		return fmt.Errorf("token: %d private keys match%s; name one with a URI object= or id=", len(hs), sel.describeKey())
	}
	s.key = hs[0]
	s.keyType, err = m.attrUintLocked(s.sh, s.key, pkcs11.CKA_KEY_TYPE)
	if err != nil {
		return s.wrap("read the key type", err)
	}
	if s.keyType != pkcs11.CKK_RSA && s.keyType != pkcs11.CKK_EC {
		return fmt.Errorf("token: authentication key of type %s is not supported (want RSA or EC)", keyTypeName(s.keyType))
	}
	// A key that wants the PIN again for every signature (a qualified
	// signature key, not an authentication key) would need a prompt in
	// the middle of the handshake; refuse it plainly instead.
	if v, err := m.attrLocked(s.sh, s.key, pkcs11.CKA_ALWAYS_AUTHENTICATE); err == nil && len(v) == 1 && v[0] != 0 {
		return errors.New("token: the selected key asks for the PIN on every signature; select the authentication key")
	}
	return nil
}

func (sel *selection) describeKey() string {
	if sel.profile == CitizenCard {
		return fmt.Sprintf(" labelled %q", LabelAuthKey)
	}
	if sel.uri != nil && (sel.uri.Object != "" || len(sel.uri.ID) > 0) {
		return fmt.Sprintf(" for %s", sel.uri)
	}
	return ""
}

// loadCertificatesLocked finds the key's certificate and, for the identity
// card, the sub-CA and root certificates. m.mu is held.
func (s *Session) loadCertificatesLocked(sel *selection) error {
	m := s.m
	var tmpl []*pkcs11.Attribute
	if sel.profile == CitizenCard {
		tmpl = certTemplate(LabelAuthCertificate, nil)
	} else {
		id, err := m.attrLocked(s.sh, s.key, pkcs11.CKA_ID)
		if err != nil || len(id) == 0 {
			return fmt.Errorf("%w: the key has no CKA_ID to find its certificate by", ErrObjectNotFound)
		}
		tmpl = certTemplate("", id)
	}
	der, err := s.readCertificateLocked(tmpl)
	if err != nil {
		return err
	}
	if der == nil {
		return fmt.Errorf("%w: no certificate for the authentication key", ErrObjectNotFound)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return fmt.Errorf("token: the authentication certificate does not parse: %w", err)
	}
	if err := s.checkKeyMatchesLocked(cert.PublicKey); err != nil {
		return err
	}
	s.cert = cert
	s.chain = [][]byte{der}
	if sel.profile == CitizenCard {
		for _, label := range []string{LabelSubCA, LabelRootCA} {
			der, err := s.readCertificateLocked(certTemplate(label, nil))
			if err != nil {
				return err
			}
			if der != nil {
				s.chain = append(s.chain, der)
			}
		}
	}
	return nil
}

func certTemplate(label string, id []byte) []*pkcs11.Attribute {
	t := []*pkcs11.Attribute{
		pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_CERTIFICATE),
		pkcs11.NewAttribute(pkcs11.CKA_CERTIFICATE_TYPE, pkcs11.CKC_X_509),
	}
	if label != "" {
		t = append(t, pkcs11.NewAttribute(pkcs11.CKA_LABEL, label))
	}
	if id != nil {
		t = append(t, pkcs11.NewAttribute(pkcs11.CKA_ID, id))
	}
	return t
}

// readCertificateLocked returns the DER of the first certificate matching
// tmpl, or nil if there is none. m.mu is held.
func (s *Session) readCertificateLocked(tmpl []*pkcs11.Attribute) ([]byte, error) {
	return readCertificate(s.m, s.sh, tmpl)
}

func readCertificate(m *Module, sh pkcs11.SessionHandle, tmpl []*pkcs11.Attribute) ([]byte, error) {
	hs, err := m.findObjectsLocked(sh, tmpl)
	if err != nil {
		return nil, fmt.Errorf("token: find certificate: %w", err)
	}
	if len(hs) == 0 {
		return nil, nil
	}
	der, err := m.attrLocked(sh, hs[0], pkcs11.CKA_VALUE)
	if err != nil {
		return nil, fmt.Errorf("token: read certificate: %w", err)
	}
	if len(der) == 0 || len(der) > maxCertificateSize {
		return nil, fmt.Errorf("token: certificate object of %d bytes", len(der))
	}
	return der, nil
}

// checkKeyMatchesLocked refuses a certificate whose public key is not the
// token key's, so that a mislabelled token fails at login rather than with
// signatures the server rejects. m.mu is held.
func (s *Session) checkKeyMatchesLocked(pub crypto.PublicKey) error {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if s.keyType != pkcs11.CKK_RSA {
			return errors.New("token: the certificate holds an RSA key but the token key is not RSA")
		}
		// The modulus of a private key is public; read it where the
		// module allows and compare.
		if n, err := s.m.attrLocked(s.sh, s.key, pkcs11.CKA_MODULUS); err == nil && len(n) > 0 {
			if new(big.Int).SetBytes(n).Cmp(k.N) != 0 {
				return errors.New("token: the certificate does not belong to the authentication key")
			}
		}
	case *ecdsa.PublicKey:
		if s.keyType != pkcs11.CKK_EC {
			return errors.New("token: the certificate holds an EC key but the token key is not EC")
		}
	default:
		return fmt.Errorf("token: certificate key of type %T is not supported", pub)
	}
	return nil
}

// Certificate is the authentication certificate.
func (s *Session) Certificate() *x509.Certificate { return s.cert }

// Chain is the DER of the authentication certificate, then the sub-CA and
// root certificates found on the token (identity-card profile): leaf first.
func (s *Session) Chain() [][]byte {
	out := make([][]byte, len(s.chain))
	copy(out, s.chain)
	return out
}

// SupportsPSS reports whether the key is RSA and the token offers RSA-PSS.
// Identity cards often do not; the handshake then uses PKCS#1 v1.5.
func (s *Session) SupportsPSS() bool {
	return s.keyType == pkcs11.CKK_RSA && s.mechs[pkcs11.CKM_RSA_PKCS_PSS]
}

// Mechanisms names the signature mechanisms the token offers for the key's
// type, for diagnostics.
func (s *Session) Mechanisms() []string {
	var out []string
	for _, m := range []struct {
		keyType, mech uint
		name          string
	}{
		{pkcs11.CKK_RSA, pkcs11.CKM_RSA_PKCS, "rsa-pkcs1-v1.5"},
		{pkcs11.CKK_RSA, pkcs11.CKM_RSA_PKCS_PSS, "rsa-pss"},
		{pkcs11.CKK_EC, pkcs11.CKM_ECDSA, "ecdsa"},
	} {
		if m.keyType == s.keyType && s.mechs[m.mech] {
			out = append(out, m.name)
		}
	}
	return out
}

// Description names the token for logs and messages.
func (s *Session) Description() string { return s.desc }

// Close closes the session and releases the module (see tokenSession.close).
func (s *Session) Close() error { return s.close() }
