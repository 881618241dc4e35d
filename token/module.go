package token

import (
	"errors"
	"fmt"
	"sync"

	"github.com/miekg/pkcs11"
)

// Module is one loaded and initialized PKCS#11 module. C_Initialize and
// C_Finalize act on the whole process, so a Module is reference-counted:
// every Session opened from it holds a reference, and the module is
// finalized when the last of LoadModule's reference and the sessions' is
// released. Two Modules loaded from the same path in one process share the
// library's state; the one that did not initialize it never finalizes it,
// but a Close of the first still finalizes under the second, so load a
// module once per process and open every session from it.
//
// All PKCS#11 calls through a Module are serialized by its mutex: some
// middlewares (identity cards among them) are not safe for concurrent use.
// For SoftHSM2 they are serialized with other processes too (storeLock).
type Module struct {
	path  string
	store *storeLock // nil unless the module is SoftHSM2

	mu     sync.Mutex // serializes every call into ctx and guards refs
	ctx    *pkcs11.Ctx
	refs   int
	owns   bool // we called C_Initialize successfully, so we finalize
	closed bool
}

// LoadModule loads the PKCS#11 module at path and initializes it.
func LoadModule(path string) (*Module, error) {
	if path == "" {
		return nil, errors.New("token: no PKCS#11 module given")
	}
	ctx := pkcs11.New(path)
	if ctx == nil {
		return nil, fmt.Errorf("%w %s", ErrModuleNotLoaded, path)
	}
	store := openStoreLock(path)
	owns := true
	// C_Initialize reads every token of a SoftHSM2 store: under the lock.
	store.lock()
	err := ctx.Initialize()
	store.unlock()
	if err != nil {
		if !isCode(err, pkcs11.CKR_CRYPTOKI_ALREADY_INITIALIZED) {
			store.close()
			ctx.Destroy()
			return nil, fmt.Errorf("token: initialize %s: %w", path, err)
		}
		owns = false
	}
	return &Module{path: path, store: store, ctx: ctx, refs: 1, owns: owns}, nil
}

// lock takes the module's mutex and, for SoftHSM2, the store's lock:
// every call into ctx holds both.
func (m *Module) lock() {
	m.mu.Lock()
	m.store.lock()
}

// unlock releases what lock took.
func (m *Module) unlock() {
	m.store.unlock()
	m.mu.Unlock()
}

// Path is the module's file path.
func (m *Module) Path() string { return m.path }

// Close releases LoadModule's reference; the module is finalized once its
// sessions are closed too. Close is idempotent.
func (m *Module) Close() error {
	m.lock()
	defer m.unlock()
	if m.closed {
		return nil
	}
	m.closed = true
	return m.releaseLocked()
}

// acquire takes a reference for a session.
func (m *Module) acquire() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.refs == 0 {
		return errors.New("token: module already finalized")
	}
	m.refs++
	return nil
}

// release drops a session's reference.
func (m *Module) release() error {
	m.lock()
	defer m.unlock()
	return m.releaseLocked()
}

func (m *Module) releaseLocked() error {
	if m.refs == 0 {
		return nil
	}
	m.refs--
	if m.refs > 0 {
		return nil
	}
	var err error
	if m.owns {
		if e := m.ctx.Finalize(); e != nil {
			err = fmt.Errorf("token: finalize %s: %w", m.path, e)
		}
	}
	m.ctx.Destroy()
	m.store.close()
	return err
}

// maxSlots and maxObjects bound what we read from a module: a hostile or
// broken module must not make us allocate without limit.
const (
	maxSlots   = 256
	maxObjects = 1024
)

// slots lists the slot IDs, with or without a token present. m.mu is held.
func (m *Module) slotsLocked(tokenPresent bool) ([]uint, error) {
	ids, err := m.ctx.GetSlotList(tokenPresent)
	if err != nil {
		return nil, fmt.Errorf("token: list slots of %s: %w", m.path, err)
	}
	if len(ids) > maxSlots {
		ids = ids[:maxSlots]
	}
	return ids, nil
}

// findObjectsLocked returns the handles of the objects that match template,
// at most maxObjects. m.mu is held.
func (m *Module) findObjectsLocked(sh pkcs11.SessionHandle, template []*pkcs11.Attribute) ([]pkcs11.ObjectHandle, error) {
	if err := m.ctx.FindObjectsInit(sh, template); err != nil {
		return nil, fmt.Errorf("find objects: %w", err)
	}
	var out []pkcs11.ObjectHandle
	for len(out) < maxObjects {
		hs, _, err := m.ctx.FindObjects(sh, 64)
		if err != nil {
			_ = m.ctx.FindObjectsFinal(sh)
			return nil, fmt.Errorf("find objects: %w", err)
		}
		if len(hs) == 0 {
			break
		}
		out = append(out, hs...)
	}
	if err := m.ctx.FindObjectsFinal(sh); err != nil {
		return nil, fmt.Errorf("find objects: %w", err)
	}
	if len(out) > maxObjects {
		out = out[:maxObjects]
	}
	return out, nil
}

// attrLocked reads one attribute of an object. m.mu is held.
func (m *Module) attrLocked(sh pkcs11.SessionHandle, o pkcs11.ObjectHandle, typ uint) ([]byte, error) {
	as, err := m.ctx.GetAttributeValue(sh, o, []*pkcs11.Attribute{pkcs11.NewAttribute(typ, nil)})
	if err != nil {
		return nil, err
	}
	if len(as) != 1 {
		return nil, fmt.Errorf("attribute 0x%x: module returned %d values", typ, len(as))
	}
	return as[0].Value, nil
}

// attrUint reads an attribute holding a CK_ULONG.
func (m *Module) attrUintLocked(sh pkcs11.SessionHandle, o pkcs11.ObjectHandle, typ uint) (uint, error) {
	v, err := m.attrLocked(sh, o, typ)
	if err != nil {
		return 0, err
	}
	return decodeULong(v)
}

// decodeULong decodes a CK_ULONG in the host's byte order and width, as
// modules return it.
func decodeULong(v []byte) (uint, error) {
	switch len(v) {
	case 4, 8:
	default:
		return 0, fmt.Errorf("CK_ULONG of %d bytes", len(v))
	}
	var n uint64
	if hostLittleEndian() {
		for i := len(v) - 1; i >= 0; i-- {
			n = n<<8 | uint64(v[i])
		}
	} else {
		for _, b := range v {
			n = n<<8 | uint64(b)
		}
	}
	return uint(n), nil
}
