package token

import (
	"fmt"

	"github.com/miekg/pkcs11"
)

// SlotInfo describes one slot and the token in it, if any.
type SlotInfo struct {
	ID           uint
	Description  string
	Manufacturer string
	// Token is nil when the slot is empty.
	Token *TokenInfo
}

// TokenInfo describes a token and its public objects. Strings come from the
// token: print them quoted.
type TokenInfo struct {
	Label        string
	Manufacturer string
	Model        string
	Serial       string
	Flags        uint
	// Initialized, LoginRequired, PINLocked, PINFinalTry and PINPad are
	// the flags a user acts on.
	Initialized, LoginRequired, PINLocked, PINFinalTry, PINPad bool
	// Objects are the objects visible without a login: certificates and
	// public keys, plus private keys on tokens that show them. Only their
	// class, label, id and key type are read, never a value.
	Objects []ObjectInfo
	// ObjectsError says why the objects could not be listed, if so.
	ObjectsError string
}

// ObjectInfo describes one object on a token without any of its values.
type ObjectInfo struct {
	Class   string // "private-key", "public-key", "certificate", "secret-key", "data" or "class(0x..)"
	Label   string
	ID      []byte
	KeyType string // "rsa", "ec", ... for keys; "" otherwise
}

// List reads the slots, tokens and public objects of the module at path. It
// does not log in.
func List(path string) ([]SlotInfo, error) {
	m, err := LoadModule(path)
	if err != nil {
		return nil, err
	}
	defer m.Close()
	m.lock()
	defer m.unlock()
	ids, err := m.slotsLocked(false)
	if err != nil {
		return nil, err
	}
	var out []SlotInfo
	for _, id := range ids {
		si, err := m.ctx.GetSlotInfo(id)
		if err != nil {
			return nil, fmt.Errorf("token: slot %d: %w", id, err)
		}
		slot := SlotInfo{ID: id, Description: si.SlotDescription, Manufacturer: si.ManufacturerID}
		if si.Flags&pkcs11.CKF_TOKEN_PRESENT != 0 {
			ti, err := m.ctx.GetTokenInfo(id)
			if err != nil {
				return nil, fmt.Errorf("token: slot %d: token info: %w", id, err)
			}
			slot.Token = describeToken(ti)
			if slot.Token.Initialized {
				objs, err := m.listObjectsLocked(id)
				if err != nil {
					slot.Token.ObjectsError = err.Error()
				}
				slot.Token.Objects = objs
			}
		}
		out = append(out, slot)
	}
	return out, nil
}

func describeToken(ti pkcs11.TokenInfo) *TokenInfo {
	return &TokenInfo{
		Label:         ti.Label,
		Manufacturer:  ti.ManufacturerID,
		Model:         ti.Model,
		Serial:        ti.SerialNumber,
		Flags:         ti.Flags,
		Initialized:   ti.Flags&pkcs11.CKF_TOKEN_INITIALIZED != 0,
		LoginRequired: ti.Flags&pkcs11.CKF_LOGIN_REQUIRED != 0,
		PINLocked:     ti.Flags&pkcs11.CKF_USER_PIN_LOCKED != 0,
		PINFinalTry:   ti.Flags&pkcs11.CKF_USER_PIN_FINAL_TRY != 0,
		PINPad:        ti.Flags&pkcs11.CKF_PROTECTED_AUTHENTICATION_PATH != 0,
	}
}

// listObjectsLocked opens a read-only session and describes every visible
// object. m.mu is held.
func (m *Module) listObjectsLocked(slot uint) ([]ObjectInfo, error) {
	sh, err := m.ctx.OpenSession(slot, pkcs11.CKF_SERIAL_SESSION)
	if err != nil {
		return nil, fmt.Errorf("open session: %w", err)
	}
	defer m.ctx.CloseSession(sh)
	hs, err := m.findObjectsLocked(sh, nil)
	if err != nil {
		return nil, err
	}
	out := make([]ObjectInfo, 0, len(hs))
	for _, h := range hs {
		var o ObjectInfo
		class, err := m.attrUintLocked(sh, h, pkcs11.CKA_CLASS)
		if err != nil {
			return out, fmt.Errorf("object class: %w", err)
		}
		o.Class = className(class)
		// Label and id are never sensitive; a module that refuses them
		// leaves them empty.
		if v, err := m.attrLocked(sh, h, pkcs11.CKA_LABEL); err == nil {
			o.Label = string(v)
		}
		if v, err := m.attrLocked(sh, h, pkcs11.CKA_ID); err == nil {
			o.ID = v
		}
		switch class {
		case pkcs11.CKO_PRIVATE_KEY, pkcs11.CKO_PUBLIC_KEY, pkcs11.CKO_SECRET_KEY:
			if kt, err := m.attrUintLocked(sh, h, pkcs11.CKA_KEY_TYPE); err == nil {
				o.KeyType = keyTypeName(kt)
			}
		}
		out = append(out, o)
	}
	return out, nil
}

func className(c uint) string {
	switch c {
	case pkcs11.CKO_PRIVATE_KEY:
		return "private-key"
	case pkcs11.CKO_PUBLIC_KEY:
		return "public-key"
	case pkcs11.CKO_CERTIFICATE:
		return "certificate"
	case pkcs11.CKO_SECRET_KEY:
		return "secret-key"
	case pkcs11.CKO_DATA:
		return "data"
	}
	return fmt.Sprintf("class(0x%x)", c)
}

func keyTypeName(k uint) string {
	switch k {
	case pkcs11.CKK_RSA:
		return "rsa"
	case pkcs11.CKK_EC:
		return "ec"
	case pkcs11.CKK_AES:
		return "aes"
	}
	return fmt.Sprintf("keytype(0x%x)", k)
}
