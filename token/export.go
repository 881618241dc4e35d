package token

import (
	"fmt"

	"github.com/miekg/pkcs11"
)

// ExportCertificate returns the DER of the authentication certificate, to
// register the card's holder. It reads the public certificate object
// without a login; only when that finds nothing and c.PIN is set does it
// log in (tokens that keep certificates private).
func ExportCertificate(c Config) ([]byte, error) {
	sel, path, err := c.resolve()
	if err != nil {
		return nil, err
	}
	der, err := withModule(path, func(m *Module) ([]byte, error) { return m.exportPublic(sel) })
	if err != nil || der != nil || c.PIN == nil {
		if err == nil && der == nil {
			err = fmt.Errorf("%w: no authentication certificate visible without a login (give a PIN)", ErrObjectNotFound)
		}
		return der, err
	}
	s, err := Open(c)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	return s.Chain()[0], nil
}

// exportPublic finds the authentication certificate in a public session;
// nil when there is none.
func (m *Module) exportPublic(sel *selection) ([]byte, error) {
	m.lock()
	defer m.unlock()
	slot, _, err := m.findSlotLocked(sel)
	if err != nil {
		return nil, err
	}
	sh, err := m.ctx.OpenSession(slot, pkcs11.CKF_SERIAL_SESSION)
	if err != nil {
		return nil, fmt.Errorf("token: open session: %w", err)
	}
	defer m.ctx.CloseSession(sh)
	var tmpl []*pkcs11.Attribute
	switch u := sel.uri; {
	case sel.profile == CitizenCard:
		tmpl = certTemplate(LabelAuthCertificate, nil)
	case u != nil && (u.Object != "" || len(u.ID) > 0):
		// The certificate shares the key's label and id by convention.
		tmpl = certTemplate(u.Object, u.ID)
	default:
		tmpl = certTemplate("", nil)
		hs, err := m.findObjectsLocked(sh, tmpl)
		if err != nil {
			return nil, fmt.Errorf("token: find certificate: %w", err)
		}
		if len(hs) > 1 {
			return nil, fmt.Errorf("token: %d certificates on the token; name one with a URI object= or id=", len(hs))
		}
	}
	return readCertificate(m, sh, tmpl)
}
