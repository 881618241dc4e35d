package provision

import (
	"errors"
	"fmt"
	"slices"

	"github.com/miekg/pkcs11"

	"securemedia/token"
)

// ErrKEKExists means CreateKEK found a key with the label already: it never
// replaces one, since that would orphan every data key wrapped under it.
var ErrKEKExists = errors.New("token: a key with this label already exists")

// kekKeySize is the size of the key CreateKEK generates: AES-256, the only
// size token.OpenKEK accepts.
const kekKeySize = 32

// CreateKEK generates an AES-256 key-encryption key on the token c selects,
// labelled label (or the URI's object): a token object, sensitive and not
// extractable, usable to encrypt and decrypt only, as token.OpenKEK
// requires. The key material exists only inside the token. It logs in with
// c.PIN; the token must already be initialized with a user PIN.
func CreateKEK(c token.Config, label string) error {
	a, err := token.OpenKEKAdmin(c, label)
	if err != nil {
		return err
	}
	defer a.Close()
	label, tokenLabel := a.KeyLabel(), a.TokenLabel()
	return a.Do(func(ctx *pkcs11.Ctx, sh pkcs11.SessionHandle, slot uint) error {
		mechs, err := ctx.GetMechanismList(slot)
		if err != nil {
			return fmt.Errorf("token: mechanisms of %q: %w", tokenLabel, err)
		}
		offers := func(want uint) bool {
			return slices.ContainsFunc(mechs, func(m *pkcs11.Mechanism) bool { return m.Mechanism == want })
		}
		if !offers(pkcs11.CKM_AES_KEY_GEN) || !offers(pkcs11.CKM_AES_GCM) {
			return fmt.Errorf("token: %q cannot generate AES keys or does not offer AES-GCM", tokenLabel)
		}
		// Any secret key of that label counts: OpenKEK must find exactly one.
		exists, err := anyObject(ctx, sh, []*pkcs11.Attribute{
			pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_SECRET_KEY),
			pkcs11.NewAttribute(pkcs11.CKA_LABEL, label),
		})
		if err != nil {
			return fmt.Errorf("token: look for key %q: %w", label, err)
		}
		if exists {
			return fmt.Errorf("%w: %q on token %q", ErrKEKExists, label, tokenLabel)
		}
		mech := []*pkcs11.Mechanism{pkcs11.NewMechanism(pkcs11.CKM_AES_KEY_GEN, nil)}
		if _, err := ctx.GenerateKey(sh, mech, kekKeyTemplate(label, a.KeyID())); err != nil {
			return fmt.Errorf("token: generate key %q on %q: %w", label, tokenLabel, err)
		}
		return nil
	})
}

// anyObject reports whether an object matches template.
func anyObject(ctx *pkcs11.Ctx, sh pkcs11.SessionHandle, template []*pkcs11.Attribute) (bool, error) {
	if err := ctx.FindObjectsInit(sh, template); err != nil {
		return false, err
	}
	hs, _, err := ctx.FindObjects(sh, 1)
	if e := ctx.FindObjectsFinal(sh); err == nil {
		err = e
	}
	return len(hs) > 0, err
}

// kekKeyTemplate describes the key CreateKEK generates.
func kekKeyTemplate(label string, id []byte) []*pkcs11.Attribute {
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
	if len(id) > 0 {
		t = append(t, pkcs11.NewAttribute(pkcs11.CKA_ID, id))
	}
	return t
}
