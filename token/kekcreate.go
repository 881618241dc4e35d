package token

import (
	"errors"
	"fmt"

	"github.com/miekg/pkcs11"
)

// ErrKEKExists means CreateKEK found a key with the label already: it never
// replaces one, since that would orphan every data key wrapped under it.
var ErrKEKExists = errors.New("token: a key with this label already exists")

// CreateKEK generates an AES-256 key-encryption key on the token c selects,
// labelled label (or the URI's object): a token object, sensitive and not
// extractable, usable to encrypt and decrypt only. The key material exists
// only inside the token. It logs in with c.PIN; the token must already be
// initialized with a user PIN.
func CreateKEK(c Config, label string) error {
	sel, keyLabel, err := c.kekSelection(label)
	if err != nil {
		return err
	}
	path, err := c.kekModulePath(sel)
	if err != nil {
		return err
	}
	_, err = withModule(path, func(m *Module) (struct{}, error) { return struct{}{}, m.createKEK(c, sel, keyLabel) })
	return err
}

func (m *Module) createKEK(c Config, sel *selection, label string) error {
	t, err := m.openSession(c, sel, pkcs11.CKF_SERIAL_SESSION|pkcs11.CKF_RW_SESSION)
	if err != nil {
		return err
	}
	defer t.close()
	ti := t.info
	m.lock()
	defer m.unlock()
	mechs, err := m.ctx.GetMechanismList(t.slot)
	if err != nil {
		return fmt.Errorf("token: mechanisms of %q: %w", ti.Label, err)
	}
	if !hasMechanism(mechs, pkcs11.CKM_AES_KEY_GEN) || !hasMechanism(mechs, pkcs11.CKM_AES_GCM) {
		return fmt.Errorf("token: %q cannot generate AES keys or does not offer AES-GCM", ti.Label)
	}
	// Any secret key of that label counts: OpenKEK must find exactly one.
	existing, err := m.findObjectsLocked(t.sh, []*pkcs11.Attribute{
		pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_SECRET_KEY),
		pkcs11.NewAttribute(pkcs11.CKA_LABEL, label),
	})
	if err != nil {
		return fmt.Errorf("token: look for key %q: %w", label, err)
	}
	if len(existing) > 0 {
		return fmt.Errorf("%w: %q on token %q", ErrKEKExists, label, ti.Label)
	}
	if _, err := m.ctx.GenerateKey(t.sh, []*pkcs11.Mechanism{pkcs11.NewMechanism(pkcs11.CKM_AES_KEY_GEN, nil)}, kekKeyTemplate(sel, label)); err != nil {
		return fmt.Errorf("token: generate key %q on %q: %w", label, ti.Label, err)
	}
	return nil
}

// kekKeyTemplate describes the key CreateKEK generates.
func kekKeyTemplate(sel *selection, label string) []*pkcs11.Attribute {
	t := []*pkcs11.Attribute{
		pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_SECRET_KEY),
		pkcs11.NewAttribute(pkcs11.CKA_KEY_TYPE, pkcs11.CKK_AES),
		pkcs11.NewAttribute(pkcs11.CKA_VALUE_LEN, kekKeySize),
		pkcs11.NewAttribute(pkcs11.CKA_LABEL, label),
		pkcs11.NewAttribute(pkcs11.CKA_TOKEN, true),
		pkcs11.NewAttribute(pkcs11.CKA_PRIVATE, true),
		pkcs11.NewAttribute(pkcs11.CKA_SENSITIVE, true),
		pkcs11.NewAttribute(pkcs11.CKA_EXTRACTABLE, false),
		pkcs11.NewAttribute(pkcs11.CKA_ENCRYPT, true),
		pkcs11.NewAttribute(pkcs11.CKA_DECRYPT, true),
		// Not a wrapping key in the PKCS#11 sense: C_WrapKey could
		// otherwise export other keys under it, and nothing here needs it.
		pkcs11.NewAttribute(pkcs11.CKA_WRAP, false),
		pkcs11.NewAttribute(pkcs11.CKA_UNWRAP, false),
	}
	if sel.uri != nil && len(sel.uri.ID) > 0 {
		t = append(t, pkcs11.NewAttribute(pkcs11.CKA_ID, sel.uri.ID))
	}
	return t
}
