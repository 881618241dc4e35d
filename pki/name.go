package pki

import (
	"bytes"
	"encoding/binary"
	"errors"
	"slices"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xdg-go/stringprep"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
	"golang.org/x/text/unicode/norm"
)

// Distinguished names are compared as RFC 5280 §7.1 says: two names match
// when they have the same number of RDNs, in the same order, and matching
// RDNs have the same number of attributes, each matching one of the other
// (so the order of attributes inside an RDN does not count). Two attributes
// match when their types are the same OID and their values are equal after
// the string preparation of RFC 4518 §2 (caseIgnoreMatch, with the
// insignificant space handling of §2.6.1): "ACME  Corp" in a PrintableString
// matches "acme corp" in a UTF8String.
//
// The rule is applied to every string value (the DirectoryString choices
// TeletexString, PrintableString, UniversalString, UTF8String and BMPString,
// and IA5String, NumericString and VisibleString, which countryName,
// serialNumber, domainComponent and emailAddress use, all matched case
// insensitively). A value of any other ASN.1 type, or a string that cannot
// be prepared (a prohibited or unassigned code point, RFC 4518 §2.4),
// matches only an identical encoding; a name that does not parse at all
// matches only identical bytes. Identical encodings therefore always match,
// as they do for crypto/x509.
//
// nameKey turns a raw name into a comparison key, so that names can index
// maps: two names match exactly when their keys are equal.

// Kinds of a name key, and of an attribute value inside one.
const (
	keyUnparsed = 0 // the raw DER of a name that does not parse
	keyParsed   = 1 // a parsed RDNSequence
	valPrepared = 0 // an RFC 4518 prepared string
	valRaw      = 1 // the DER of a value that is not a preparable string
)

// namesMatch reports whether two raw DER names match (RFC 5280 §7.1).
func namesMatch(a, b []byte) bool {
	return bytes.Equal(a, b) || nameKey(a) == nameKey(b)
}

// nameKey returns the comparison key of a raw DER Name: its RDNs in order,
// each the sorted list of its attributes, each the type's OID and the
// prepared value, all length-prefixed so that no two names share a key.
func nameKey(raw []byte) string {
	key, ok := parsedNameKey(raw)
	if !ok {
		return string(append([]byte{keyUnparsed}, raw...))
	}
	return key
}

func parsedNameKey(raw []byte) (string, bool) {
	in := cryptobyte.String(raw)
	var rdns cryptobyte.String
	if !in.ReadASN1(&rdns, cbasn1.SEQUENCE) || !in.Empty() {
		return "", false
	}
	key := []byte{keyParsed}
	var attrs [][]byte
	for !rdns.Empty() {
		var rdn cryptobyte.String
		if !rdns.ReadASN1(&rdn, cbasn1.SET) || rdn.Empty() {
			return "", false
		}
		attrs = attrs[:0]
		for !rdn.Empty() {
			var atv, oid cryptobyte.String
			var value cryptobyte.String
			var tag cbasn1.Tag
			if !rdn.ReadASN1(&atv, cbasn1.SEQUENCE) ||
				!atv.ReadASN1(&oid, cbasn1.OBJECT_IDENTIFIER) ||
				!atv.ReadAnyASN1Element(&value, &tag) || !atv.Empty() {
				return "", false
			}
			attrs = append(attrs, attributeKey(oid, tag, value))
		}
		// An RDN is a SET: its attributes match in any order.
		slices.SortFunc(attrs, bytes.Compare)
		key = binary.AppendUvarint(key, uint64(len(attrs)))
		for _, a := range attrs {
			key = appendPrefixed(key, a)
		}
	}
	return string(key), true
}

// attributeKey is the key of one AttributeTypeAndValue; element is the
// value's whole DER element (tag, length and content).
func attributeKey(oid cryptobyte.String, tag cbasn1.Tag, element cryptobyte.String) []byte {
	a := appendPrefixed(nil, oid)
	var content cryptobyte.String
	if rest := element; rest.ReadASN1(&content, tag) {
		if s, err := prepareString(tag, content); err == nil {
			return appendPrefixed(append(a, valPrepared), []byte(s))
		}
	}
	return appendPrefixed(append(a, valRaw), element)
}

func appendPrefixed(b, data []byte) []byte {
	return append(binary.AppendUvarint(b, uint64(len(data))), data...)
}

// ASN.1 string tags (X.680) that cryptobyte/asn1 does not name.
const (
	tagNumericString   = cbasn1.Tag(18)
	tagTeletexString   = cbasn1.Tag(20)
	tagVisibleString   = cbasn1.Tag(26)
	tagUniversalString = cbasn1.Tag(28)
	tagBMPString       = cbasn1.Tag(30)
)

var (
	errNotAString  = errors.New("not a string type")
	errBadEncoding = errors.New("invalid string encoding")
	errProhibited  = errors.New("prohibited code point")
)

// prepareString applies the RFC 4518 string preparation for
// caseIgnoreMatch of a stored value (RFC 5280 §7.1) to an ASN.1 string of
// the given type: Transcode (§2.1), Map with case folding (§2.2),
// Normalize to NFKC (§2.3), Prohibit (§2.4), and Insignificant Space
// Handling (§2.6.1). Bidirectional characters are ignored (§2.5). The
// result is only for comparison: inner runs of spaces become one space and
// leading and trailing spaces are removed, which matches the same strings
// as the two-space form of §2.6.1.
func prepareString(tag cbasn1.Tag, content []byte) (string, error) {
	if s, ok := prepareASCII(tag, content); ok {
		return s, nil
	}
	return prepareUnicode(tag, content)
}

// prepareUnicode is prepareString without the ASCII shortcut.
func prepareUnicode(tag cbasn1.Tag, content []byte) (string, error) {
	runes, err := transcode(tag, content)
	if err != nil {
		return "", err
	}
	mapped := make([]rune, 0, len(runes))
	for _, r := range runes {
		// A stored value must not hold a code point unassigned in
		// Unicode 3.2 (RFC 3454 §7, Table A.1), whose mapping and
		// normalization the tables do not define; it is checked before
		// them, where it can still be seen.
		if stringprep.TableA1.Contains(r) {
			return "", errProhibited
		}
		mapped = appendMapped(mapped, r)
	}
	normalized := norm.NFKC.String(string(mapped))
	for _, r := range normalized {
		if prohibited(r) {
			return "", errProhibited
		}
	}
	return insignificantSpace(normalized), nil
}

// prepareASCII is the exact result of prepareString for the common case of
// a value in ASCII, where mapping is lower-casing and dropping or spacing
// control codes, and normalization and prohibition change nothing.
func prepareASCII(tag cbasn1.Tag, content []byte) (string, bool) {
	switch tag {
	case cbasn1.PrintableString, cbasn1.UTF8String, cbasn1.IA5String, tagNumericString, tagVisibleString, tagTeletexString:
	default:
		return "", false
	}
	out := make([]byte, 0, len(content))
	space := false
	for _, c := range content {
		switch {
		case c >= 0x80:
			return "", false
		case c == ' ' || c >= 0x09 && c <= 0x0d:
			space = len(out) > 0
			continue
		case c < 0x20 || c == 0x7f:
			continue // mapped to nothing
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		}
		if space {
			out = append(out, ' ')
			space = false
		}
		out = append(out, c)
	}
	return string(out), true
}

// transcode decodes an ASN.1 string to Unicode (RFC 4518 §2.1).
// TeletexString is read as ISO 8859-1, as most implementations do.
func transcode(tag cbasn1.Tag, b []byte) ([]rune, error) {
	var out []rune
	switch tag {
	case cbasn1.UTF8String:
		if !utf8.Valid(b) {
			return nil, errBadEncoding
		}
		return []rune(string(b)), nil
	case cbasn1.PrintableString, cbasn1.IA5String, tagNumericString, tagVisibleString:
		for _, c := range b {
			if c >= 0x80 {
				return nil, errBadEncoding
			}
			out = append(out, rune(c))
		}
	case tagTeletexString:
		for _, c := range b {
			out = append(out, rune(c))
		}
	case tagBMPString:
		if len(b)%2 != 0 {
			return nil, errBadEncoding
		}
		for i := 0; i < len(b); i += 2 {
			r := rune(b[i])<<8 | rune(b[i+1])
			if utf16.IsSurrogate(r) {
				return nil, errBadEncoding // UCS-2 has no surrogate pairs
			}
			out = append(out, r)
		}
	case tagUniversalString:
		if len(b)%4 != 0 {
			return nil, errBadEncoding
		}
		for i := 0; i < len(b); i += 4 {
			r := rune(binary.BigEndian.Uint32(b[i:]))
			if !utf8.ValidRune(r) {
				return nil, errBadEncoding
			}
			out = append(out, r)
		}
	default:
		return nil, errNotAString
	}
	return out, nil
}

// appendMapped appends the RFC 4518 §2.2 mapping of r, with the case
// folding of RFC 3454 Table B.2 that RFC 5280 §7.1 asks for.
func appendMapped(out []rune, r rune) []rune {
	switch {
	// Mapped to nothing: soft hyphens, the combining grapheme joiner,
	// variation selectors, the object replacement character, zero width
	// space, and every other control code or code point with a control
	// function.
	case r == 0x00AD, r == 0x1806, r == 0x034F, r >= 0x180B && r <= 0x180D,
		r >= 0xFE00 && r <= 0xFE0F, r == 0xFFFC, r == 0x200B,
		r <= 0x0008, r >= 0x000E && r <= 0x001F, r >= 0x007F && r <= 0x0084,
		r >= 0x0086 && r <= 0x009F, r == 0x06DD, r == 0x070F, r == 0x180E,
		r >= 0x200C && r <= 0x200F, r >= 0x202A && r <= 0x202E,
		r >= 0x2060 && r <= 0x2063, r >= 0x206A && r <= 0x206F, r == 0xFEFF,
		r >= 0xFFF9 && r <= 0xFFFB, r >= 0x1D173 && r <= 0x1D17A, r == 0xE0001,
		r >= 0xE0020 && r <= 0xE007F:
		return out
	// Mapped to SPACE: tabulations, line and paragraph breaks, and every
	// other separator.
	case r >= 0x0009 && r <= 0x000D, r == 0x0085, r == 0x00A0, r == 0x1680,
		r >= 0x2000 && r <= 0x200A, r == 0x2028, r == 0x2029, r == 0x202F,
		r == 0x205F, r == 0x3000:
		return append(out, ' ')
	}
	if folded, ok := stringprep.TableB2.Map(r); ok {
		return append(out, folded...)
	}
	return append(out, r)
}

// prohibited reports the code points RFC 4518 §2.4 prohibits in the
// normalized string: private use (RFC 3454 Table C.3), non-characters
// (C.4), surrogates (C.5), display-changing or deprecated (C.8), and the
// replacement character. Unassigned code points (A.1) are refused earlier.
func prohibited(r rune) bool {
	return r == 0xFFFD || stringprep.TableC3.Contains(r) ||
		stringprep.TableC4.Contains(r) || stringprep.TableC5.Contains(r) || stringprep.TableC8.Contains(r)
}

// insignificantSpace applies RFC 4518 §2.6.1 for comparison: a space is
// U+0020 not followed by a combining mark; leading and trailing spaces go,
// and each inner run of spaces becomes one.
func insignificantSpace(s string) string {
	runes := []rune(s)
	out := make([]rune, 0, len(runes))
	pending := false
	for i, r := range runes {
		if r == ' ' && (i+1 == len(runes) || !isCombining(runes[i+1])) {
			pending = len(out) > 0
			continue
		}
		if pending {
			out = append(out, ' ')
			pending = false
		}
		out = append(out, r)
	}
	return string(out)
}

func isCombining(r rune) bool {
	return unicode.In(r, unicode.Mn, unicode.Mc, unicode.Me)
}
