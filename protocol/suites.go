package protocol

import (
	"crypto"
	"fmt"
	"strings"

	"securemedia/protocol/internal/aead"
)

// SuiteID identifies a cipher suite on the wire.
type SuiteID uint16

// The seven suites of DESIGN.md §4. The hash is the HKDF, transcript and
// HMAC hash; CHACHA20 is ChaCha20-Poly1305; CBC suites are RFC 7518 §5.2
// encrypt-then-MAC.
const (
	DH_CHACHA20_SHA384   SuiteID = 0x0101
	DH_CHACHA20_SHA256   SuiteID = 0x0102
	DH_AES256_GCM_SHA384 SuiteID = 0x0103
	DH_AES128_GCM_SHA384 SuiteID = 0x0104
	DH_AES128_GCM_SHA256 SuiteID = 0x0105
	DH_AES128_CBC_SHA384 SuiteID = 0x0106
	DH_AES128_CBC_SHA256 SuiteID = 0x0107
)

// suite is the immutable description of a SuiteID.
type suite struct {
	id     SuiteID
	name   string
	kind   aead.Kind
	hash   crypto.Hash
	keyLen int
	ivLen  int
}

// suiteTable lists the suites in the default preference order: AEADs
// before CBC, the stronger hash first.
var suiteTable = func() []*suite {
	defs := []struct {
		id   SuiteID
		name string
		kind aead.Kind
		hash crypto.Hash
	}{
		{DH_AES256_GCM_SHA384, "DH_AES256_GCM_SHA384", aead.AES256GCM, crypto.SHA384},
		{DH_CHACHA20_SHA384, "DH_CHACHA20_SHA384", aead.ChaCha20Poly1305, crypto.SHA384},
		{DH_CHACHA20_SHA256, "DH_CHACHA20_SHA256", aead.ChaCha20Poly1305, crypto.SHA256},
		{DH_AES128_GCM_SHA384, "DH_AES128_GCM_SHA384", aead.AES128GCM, crypto.SHA384},
		{DH_AES128_GCM_SHA256, "DH_AES128_GCM_SHA256", aead.AES128GCM, crypto.SHA256},
		{DH_AES128_CBC_SHA384, "DH_AES128_CBC_SHA384", aead.AES128CBCHMAC, crypto.SHA384},
		{DH_AES128_CBC_SHA256, "DH_AES128_CBC_SHA256", aead.AES128CBCHMAC, crypto.SHA256},
	}
	out := make([]*suite, len(defs))
	for i, d := range defs {
		k, iv, err := aead.Sizes(d.kind, d.hash)
		if err != nil {
			panic("protocol: suite table: " + err.Error()) // broken invariant, not input
		}
		out[i] = &suite{id: d.id, name: d.name, kind: d.kind, hash: d.hash, keyLen: k, ivLen: iv}
	}
	return out
}()

func suiteByID(id SuiteID) *suite {
	for _, s := range suiteTable {
		if s.id == id {
			return s
		}
	}
	return nil
}

func (id SuiteID) String() string {
	if s := suiteByID(id); s != nil {
		return s.name
	}
	return fmt.Sprintf("suite(0x%04x)", uint16(id))
}

// ParseSuite maps a suite name (as printed by String, case-insensitive,
// '-' accepted for '_') to its id.
func ParseSuite(name string) (SuiteID, error) {
	n := strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
	for _, s := range suiteTable {
		if s.name == n {
			return s.id, nil
		}
	}
	return 0, fmt.Errorf("unknown cipher suite %q (known: %s)", name, strings.Join(SuiteNames(), ", "))
}

// DefaultSuites returns every suite in the default preference order.
func DefaultSuites() []SuiteID {
	out := make([]SuiteID, len(suiteTable))
	for i, s := range suiteTable {
		out[i] = s.id
	}
	return out
}

// SuiteNames lists the suite names in the default preference order.
func SuiteNames() []string {
	out := make([]string, len(suiteTable))
	for i, s := range suiteTable {
		out[i] = s.name
	}
	return out
}
