package token

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// maxURILength bounds a PKCS#11 URI; real ones are well under 1 KiB.
const maxURILength = 4096

// URI is a parsed RFC 7512 PKCS#11 URI, restricted to the attributes this
// package uses to select a token and a key. Empty fields match anything.
type URI struct {
	Token        string // token label
	Manufacturer string // token manufacturer ID
	Serial       string // token serial number
	Model        string // token model
	SlotID       uint   // slot ID, when HasSlotID
	HasSlotID    bool
	Object       string // object label (CKA_LABEL)
	ID           []byte // object ID (CKA_ID)
	Type         string // object class: "private", "public", "cert", "secret-key" or "data"
	ModulePath   string // the module-path query attribute
}

// URIError says why a PKCS#11 URI was refused.
type URIError struct {
	Attr   string // the attribute at fault, or "" for the URI as a whole
	Reason string
}

// Error says which attribute was refused and why.
func (e *URIError) Error() string {
	if e.Attr == "" {
		return "pkcs11 uri: " + e.Reason
	}
	return fmt.Sprintf("pkcs11 uri: attribute %q: %s", e.Attr, e.Reason)
}

// objectTypes are the values RFC 7512 §2.3 allows for "type".
var objectTypes = map[string]bool{"private": true, "public": true, "cert": true, "secret-key": true, "data": true}

// ParseURI parses s strictly: the "pkcs11:" scheme, known attributes only,
// each at most once, valid percent-encoding, and no PIN in the URI (PINs
// come from a file, the environment or a prompt, never from a URI).
func ParseURI(s string) (*URI, error) {
	if len(s) > maxURILength {
		return nil, &URIError{Reason: fmt.Sprintf("longer than %d bytes", maxURILength)}
	}
	const scheme = "pkcs11:"
	if len(s) < len(scheme) || !strings.EqualFold(s[:len(scheme)], scheme) {
		return nil, &URIError{Reason: `must start with "pkcs11:"`}
	}
	rest := s[len(scheme):]
	path, query, hasQuery := strings.Cut(rest, "?")
	if strings.Contains(rest, "#") {
		return nil, &URIError{Reason: "fragments are not allowed"}
	}
	u := &URI{}
	seen := map[string]bool{}
	if path != "" {
		for _, attr := range strings.Split(path, ";") {
			if err := u.setPathAttr(attr, seen); err != nil {
				return nil, err
			}
		}
	}
	if hasQuery {
		if query == "" {
			return nil, &URIError{Reason: "empty query"}
		}
		for _, attr := range strings.Split(query, "&") {
			if err := u.setQueryAttr(attr, seen); err != nil {
				return nil, err
			}
		}
	}
	return u, nil
}

func splitAttr(attr string, seen map[string]bool) (name, raw string, err error) {
	name, raw, ok := strings.Cut(attr, "=")
	if !ok || name == "" {
		return "", "", &URIError{Attr: attr, Reason: "not of the form name=value"}
	}
	if seen[name] {
		return "", "", &URIError{Attr: name, Reason: "given twice"}
	}
	seen[name] = true
	return name, raw, nil
}

func (u *URI) setPathAttr(attr string, seen map[string]bool) error {
	name, raw, err := splitAttr(attr, seen)
	if err != nil {
		return err
	}
	v, err := percentDecode(raw, isPathChar)
	if err != nil {
		return &URIError{Attr: name, Reason: err.Error()}
	}
	switch name {
	case "token":
		u.Token = string(v)
	case "manufacturer":
		u.Manufacturer = string(v)
	case "serial":
		u.Serial = string(v)
	case "model":
		u.Model = string(v)
	case "object":
		u.Object = string(v)
	case "id":
		u.ID = v
	case "type":
		if !objectTypes[string(v)] {
			return &URIError{Attr: name, Reason: fmt.Sprintf("unknown object type %q", v)}
		}
		u.Type = string(v)
	case "slot-id":
		// RFC 7512 §2.3: a decimal number; no sign, no leading zeros.
		if len(v) == 0 || len(v) > 1 && v[0] == '0' {
			return &URIError{Attr: name, Reason: "not a decimal slot number"}
		}
		n, err := strconv.ParseUint(string(v), 10, 32)
		if err != nil {
			return &URIError{Attr: name, Reason: "not a decimal slot number"}
		}
		u.SlotID, u.HasSlotID = uint(n), true
	default:
		return &URIError{Attr: name, Reason: "not supported"}
	}
	return nil
}

func (u *URI) setQueryAttr(attr string, seen map[string]bool) error {
	name, raw, err := splitAttr(attr, seen)
	if err != nil {
		return err
	}
	v, err := percentDecode(raw, isQueryChar)
	if err != nil {
		return &URIError{Attr: name, Reason: err.Error()}
	}
	switch name {
	case "module-path":
		if len(v) == 0 {
			return &URIError{Attr: name, Reason: "empty"}
		}
		u.ModulePath = string(v)
	case "pin-source", "pin-value":
		return &URIError{Attr: name, Reason: "a PIN is never taken from a URI (use --pin-file or SECUREMEDIA_PIN)"}
	default:
		return &URIError{Attr: name, Reason: "not supported"}
	}
	return nil
}

// String encodes u as a PKCS#11 URI that ParseURI reads back to u.
func (u *URI) String() string {
	var parts []string
	add := func(name string, v []byte) {
		parts = append(parts, name+"="+percentEncode(v, isPathChar))
	}
	if u.Token != "" {
		add("token", []byte(u.Token))
	}
	if u.Manufacturer != "" {
		add("manufacturer", []byte(u.Manufacturer))
	}
	if u.Serial != "" {
		add("serial", []byte(u.Serial))
	}
	if u.Model != "" {
		add("model", []byte(u.Model))
	}
	if u.HasSlotID {
		parts = append(parts, "slot-id="+strconv.FormatUint(uint64(u.SlotID), 10))
	}
	if u.Object != "" {
		add("object", []byte(u.Object))
	}
	if len(u.ID) > 0 {
		// Every byte of an id is encoded, as RFC 7512 §2.3 recommends.
		var b strings.Builder
		for _, c := range u.ID {
			fmt.Fprintf(&b, "%%%02X", c)
		}
		parts = append(parts, "id="+b.String())
	}
	if u.Type != "" {
		add("type", []byte(u.Type))
	}
	s := "pkcs11:" + strings.Join(parts, ";")
	if u.ModulePath != "" {
		s += "?module-path=" + percentEncode([]byte(u.ModulePath), isQueryChar)
	}
	return s
}

var errBadPercent = errors.New("invalid percent-encoding")

// percentDecode decodes %XX escapes and refuses characters that RFC 7512
// requires to be encoded in this part of the URI.
func percentDecode(s string, allowed func(byte) bool) ([]byte, error) {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' {
			if i+2 >= len(s) {
				return nil, errBadPercent
			}
			hi, ok1 := unhex(s[i+1])
			lo, ok2 := unhex(s[i+2])
			if !ok1 || !ok2 {
				return nil, errBadPercent
			}
			out = append(out, hi<<4|lo)
			i += 2
			continue
		}
		if !allowed(c) {
			return nil, fmt.Errorf("character %q must be percent-encoded", c)
		}
		out = append(out, c)
	}
	return out, nil
}

func percentEncode(v []byte, allowed func(byte) bool) string {
	var b strings.Builder
	for _, c := range v {
		if allowed(c) {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

func isUnreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// isPathChar is RFC 7512's pk11-pchar minus the percent sign.
func isPathChar(c byte) bool {
	return isUnreserved(c) || strings.IndexByte(":[]@!$'()*+,=&", c) >= 0
}

// isQueryChar is RFC 7512's pk11-qchar minus the percent sign.
func isQueryChar(c byte) bool {
	return isUnreserved(c) || strings.IndexByte(":[]@!$'()*+,=/?|", c) >= 0
}
