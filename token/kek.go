package token

import (
	"crypto/rand"
	"errors"
	"fmt"

	"github.com/miekg/pkcs11"
)

// A KEK held in a token wraps the media store's data keys with AES-256-GCM
// computed by the token: the key is generated there, marked sensitive and
// not extractable, and never leaves it. A wrapped key is IV ‖ ciphertext ‖
// tag, with the item id in the additional data so that a wrapped key moved
// to another item does not open.
const (
	kekKeySize = 32 // AES-256
	kekIVSize  = 12
	kekTagSize = 16
	// maxWrappedPlain bounds what Wrap seals and Unwrap accepts: data keys
	// are a few dozen bytes, and a hostile key file must not make us hand
	// the token (or allocate) anything large.
	maxWrappedPlain = 1024
	// maxKEKLabel bounds the key label, so that ID stays short enough for
	// the store's key files (255 bytes).
	maxKEKLabel = 128
	// kekAADPrefix separates these wraps from any other use of the key.
	kekAADPrefix = "securemedia v1 token data key\x00"
)

// ErrWrappedKeyInvalid means a wrapped key does not authenticate under the
// token key: it was altered, belongs to another item, or was wrapped by
// another key.
var ErrWrappedKeyInvalid = errors.New("token: the wrapped key does not authenticate under the token key")

// KEK is an AES-256 key-encryption key on a PKCS#11 token. It satisfies
// the media store's KEK interface. It keeps one logged-in session open
// until Close, and is safe for concurrent use: every call into the module
// is serialized by the module's mutex.
type KEK struct {
	*tokenSession

	key   pkcs11.ObjectHandle
	id    string
	label string
}

// OpenKEK loads c's module, then opens the key as Module.OpenKEK does. The
// KEK owns the module and finalizes it on Close.
func OpenKEK(c Config, label string) (*KEK, error) {
	sel, keyLabel, path, err := c.resolveKEK(label)
	if err != nil {
		return nil, err
	}
	return withModule(path, func(m *Module) (*KEK, error) { return m.openKEK(c, sel, keyLabel) })
}

// OpenKEK finds the token c selects (c.Module and c.Profile are ignored),
// logs in with c.PIN and finds the AES-256 secret key labelled label, or
// named by the URI's object attribute when label is empty. The key must be
// sensitive and not extractable, and the token must offer CKM_AES_GCM.
func (m *Module) OpenKEK(c Config, label string) (*KEK, error) {
	sel, keyLabel, err := c.kekSelection(label)
	if err != nil {
		return nil, err
	}
	return m.openKEK(c, sel, keyLabel)
}

// kekSelection parses the token selection of c for a secret key, and
// returns the key's label: label, or the URI's object.
func (c Config) kekSelection(label string) (*selection, string, error) {
	sel := &selection{label: c.Label, profile: Generic}
	if c.URI != "" {
		u, err := ParseURI(c.URI)
		if err != nil {
			return nil, "", err
		}
		if c.Label != "" && u.Token != "" && u.Token != c.Label {
			return nil, "", fmt.Errorf("token: label %q and the URI's token %q differ", c.Label, u.Token)
		}
		if u.Type != "" && u.Type != "secret-key" {
			return nil, "", fmt.Errorf("token: URI type %q does not name a secret key", u.Type)
		}
		if label != "" && u.Object != "" && u.Object != label {
			return nil, "", fmt.Errorf("token: key label %q and the URI's object %q differ", label, u.Object)
		}
		if label == "" {
			label = u.Object
		}
		sel.uri = u
	}
	if label == "" {
		return nil, "", errors.New("token: no key label given (use the URI's object= attribute)")
	}
	if len(label) > maxKEKLabel {
		return nil, "", fmt.Errorf("token: key label longer than %d bytes", maxKEKLabel)
	}
	return sel, label, nil
}

// resolveKEK is kekSelection and the module to load for it. A KEK has no
// profile default: the module must be given.
func (c Config) resolveKEK(label string) (sel *selection, keyLabel, path string, err error) {
	if sel, keyLabel, err = c.kekSelection(label); err != nil {
		return nil, "", "", err
	}
	c.Profile = Generic
	if path, err = c.modulePath(sel.uri); err != nil {
		return nil, "", "", err
	}
	return sel, keyLabel, path, nil
}

// openKEK logs in, checks that the token offers AES-GCM and finds the key.
func (m *Module) openKEK(c Config, sel *selection, label string) (*KEK, error) {
	t, err := m.openSession(c, sel, pkcs11.CKF_SERIAL_SESSION)
	if err != nil {
		return nil, err
	}
	k := &KEK{tokenSession: t, label: label, id: "pkcs11:" + t.info.SerialNumber + ":" + label}
	if err := k.load(sel); err != nil {
		k.Close()
		return nil, err
	}
	return k, nil
}

// load checks the mechanism and finds the key, once logged in.
func (k *KEK) load(sel *selection) error {
	m := k.m
	m.lock()
	defer m.unlock()
	mechs, err := m.ctx.GetMechanismList(k.slot)
	if err != nil {
		return k.wrap("list the mechanisms", err)
	}
	if !hasMechanism(mechs, pkcs11.CKM_AES_GCM) {
		return fmt.Errorf("token: %q does not offer AES-GCM (CKM_AES_GCM)", k.info.Label)
	}
	return k.findKeyLocked(sel)
}

func hasMechanism(mechs []*pkcs11.Mechanism, want uint) bool {
	for _, m := range mechs {
		if m.Mechanism == want {
			return true
		}
	}
	return false
}

// kekTemplate is the search template of the key: an AES secret key by
// label, and by CKA_ID when the URI gives one.
func kekTemplate(sel *selection, label string) []*pkcs11.Attribute {
	t := []*pkcs11.Attribute{
		pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_SECRET_KEY),
		pkcs11.NewAttribute(pkcs11.CKA_KEY_TYPE, pkcs11.CKK_AES),
		pkcs11.NewAttribute(pkcs11.CKA_LABEL, label),
	}
	if sel.uri != nil && len(sel.uri.ID) > 0 {
		t = append(t, pkcs11.NewAttribute(pkcs11.CKA_ID, sel.uri.ID))
	}
	return t
}

// findKeyLocked finds the one key selected and checks that it is an
// AES-256 key that cannot leave the token. m.mu is held.
func (k *KEK) findKeyLocked(sel *selection) error {
	m := k.m
	hs, err := m.findObjectsLocked(k.sh, kekTemplate(sel, k.label))
	if err != nil {
		return k.wrap("find the key-encryption key", err)
	}
	switch len(hs) {
	case 0:
		return fmt.Errorf("%w: no AES key labelled %q on the token (create one with \"securemedia token create-kek\")", ErrObjectNotFound, k.label)
	case 1:
	default:
		return fmt.Errorf("token: %d AES keys are labelled %q; name one with a URI id=", len(hs), k.label)
	}
	k.key = hs[0]
	size, err := m.attrUintLocked(k.sh, k.key, pkcs11.CKA_VALUE_LEN)
	if err != nil {
		return k.wrap("read the key size", err)
	}
	if size != kekKeySize {
		return fmt.Errorf("token: key %q is AES-%d, not AES-256", k.label, size*8)
	}
	// A key that can be read out of the token is no better than a key
	// file: refuse it rather than give a false sense of protection.
	for _, a := range []struct {
		typ  uint
		want bool
		what string
	}{
		{pkcs11.CKA_SENSITIVE, true, "is not sensitive"},
		{pkcs11.CKA_EXTRACTABLE, false, "is extractable"},
		{pkcs11.CKA_ENCRYPT, true, "cannot encrypt"},
		{pkcs11.CKA_DECRYPT, true, "cannot decrypt"},
	} {
		v, err := m.attrLocked(k.sh, k.key, a.typ)
		if err != nil {
			return k.wrap("read the key's attributes", err)
		}
		if len(v) != 1 || (v[0] != 0) != a.want {
			return fmt.Errorf("token: key %q %s; create one with \"securemedia token create-kek\"", k.label, a.what)
		}
	}
	return nil
}

// ID names the key (not secret): "pkcs11:" + token serial + ":" + label.
func (k *KEK) ID() string { return k.id }

// Wrap seals dataKey under the token key with AES-GCM, bound to itemID.
// The 12-byte IV is random; the result is IV ‖ ciphertext ‖ tag.
func (k *KEK) Wrap(dataKey []byte, itemID string) ([]byte, error) {
	if len(dataKey) == 0 || len(dataKey) > maxWrappedPlain {
		return nil, fmt.Errorf("token: wrap: data key of %d bytes (1..%d)", len(dataKey), maxWrappedPlain)
	}
	iv := make([]byte, kekIVSize)
	rand.Read(iv)
	params := pkcs11.NewGCMParams(iv, []byte(kekAADPrefix+itemID), kekTagSize*8)
	defer params.Free()
	k.m.lock()
	defer k.m.unlock()
	if err := k.usableLocked(); err != nil {
		return nil, err
	}
	if err := k.m.ctx.EncryptInit(k.sh, []*pkcs11.Mechanism{pkcs11.NewMechanism(pkcs11.CKM_AES_GCM, params)}, k.key); err != nil {
		return nil, k.wrap("wrap: start AES-GCM", err)
	}
	sealed, err := k.m.ctx.Encrypt(k.sh, dataKey)
	if err != nil {
		return nil, k.wrap("wrap: AES-GCM", err)
	}
	if len(sealed) != len(dataKey)+kekTagSize {
		return nil, fmt.Errorf("token: wrap: AES-GCM returned %d bytes for %d", len(sealed), len(dataKey))
	}
	// Some modules use an IV of their own choosing and write it back into
	// the parameters; record the one actually used.
	if used := params.IV(); len(used) == kekIVSize {
		iv = used
	}
	out := make([]byte, 0, kekIVSize+len(sealed))
	return append(append(out, iv...), sealed...), nil
}

// Unwrap opens what Wrap produced for the same itemID. Anything that does
// not authenticate is ErrWrappedKeyInvalid.
func (k *KEK) Unwrap(wrapped []byte, itemID string) ([]byte, error) {
	if len(wrapped) < kekIVSize+kekTagSize+1 || len(wrapped) > kekIVSize+maxWrappedPlain+kekTagSize {
		return nil, fmt.Errorf("%w (%d bytes)", ErrWrappedKeyInvalid, len(wrapped))
	}
	iv := append([]byte(nil), wrapped[:kekIVSize]...)
	params := pkcs11.NewGCMParams(iv, []byte(kekAADPrefix+itemID), kekTagSize*8)
	defer params.Free()
	k.m.lock()
	defer k.m.unlock()
	if err := k.usableLocked(); err != nil {
		return nil, err
	}
	if err := k.m.ctx.DecryptInit(k.sh, []*pkcs11.Mechanism{pkcs11.NewMechanism(pkcs11.CKM_AES_GCM, params)}, k.key); err != nil {
		return nil, k.wrap("unwrap: start AES-GCM", err)
	}
	dk, err := k.m.ctx.Decrypt(k.sh, wrapped[kekIVSize:])
	if err != nil {
		if isRemoval(err) {
			return nil, k.wrap("unwrap", err)
		}
		// A failed C_Decrypt ends the operation (PKCS#11 §5.9), so the
		// session is ready for the next one.
		return nil, fmt.Errorf("%w (%v)", ErrWrappedKeyInvalid, err)
	}
	if len(dk) != len(wrapped)-kekIVSize-kekTagSize {
		clear(dk)
		return nil, fmt.Errorf("%w (the module returned %d bytes)", ErrWrappedKeyInvalid, len(dk))
	}
	return dk, nil
}

// usableLocked refuses a closed KEK or one whose token went away. m.mu is
// held.
func (k *KEK) usableLocked() error {
	switch {
	case k.released || k.closed:
		return errors.New("token: the key-encryption key is closed")
	case k.removed:
		return fmt.Errorf("token: key-encryption key: %w", ErrTokenRemoved)
	}
	return nil
}

// Close closes the session and releases the module; it is idempotent. The
// key stays on the token; the PIN was erased right after login.
func (k *KEK) Close() error { return k.close() }
