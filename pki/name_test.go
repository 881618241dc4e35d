package pki

import (
	"encoding/asn1"
	"encoding/binary"
	"testing"
	"unicode/utf16"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// Attribute types used in the name tables.
var (
	oidCN      = asn1.ObjectIdentifier{2, 5, 4, 3}
	oidCountry = asn1.ObjectIdentifier{2, 5, 4, 6}
	oidOrg     = asn1.ObjectIdentifier{2, 5, 4, 10}
	oidOrgUnit = asn1.ObjectIdentifier{2, 5, 4, 11}
	oidDC      = asn1.ObjectIdentifier{0, 9, 2342, 19200300, 100, 1, 25}
)

// attr is one AttributeTypeAndValue of a hand-built name: value is
// encoded for tag (UCS-2 for BMPString, UCS-4 for UniversalString, the
// bytes as they are otherwise).
type attr struct {
	oid   asn1.ObjectIdentifier
	tag   cbasn1.Tag
	value string
}

func printable(oid asn1.ObjectIdentifier, v string) attr {
	return attr{oid, cbasn1.PrintableString, v}
}
func utf8s(oid asn1.ObjectIdentifier, v string) attr   { return attr{oid, cbasn1.UTF8String, v} }
func bmp(oid asn1.ObjectIdentifier, v string) attr     { return attr{oid, tagBMPString, v} }
func teletex(oid asn1.ObjectIdentifier, v string) attr { return attr{oid, tagTeletexString, v} }

func (a attr) content() []byte {
	switch a.tag {
	case tagBMPString:
		var out []byte
		for _, u := range utf16.Encode([]rune(a.value)) {
			out = binary.BigEndian.AppendUint16(out, u)
		}
		return out
	case tagUniversalString:
		var out []byte
		for _, r := range a.value {
			out = binary.BigEndian.AppendUint32(out, uint32(r))
		}
		return out
	}
	return []byte(a.value)
}

// rawName encodes an RDNSequence exactly as given: one RDN per argument,
// its attributes in the order given (encoding/asn1 would sort a SET OF).
func rawName(rdns ...[]attr) []byte {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		for _, rdn := range rdns {
			b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
				for _, a := range rdn {
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
						b.AddASN1ObjectIdentifier(a.oid)
						b.AddASN1(a.tag, func(b *cryptobyte.Builder) { b.AddBytes(a.content()) })
					})
				}
			})
		}
	})
	return b.BytesOrPanic()
}

func rdn(attrs ...attr) []attr { return attrs }

func TestPrepareStringFollowsRFC4518(t *testing.T) {
	tests := []struct {
		name string
		tag  cbasn1.Tag
		in   string
		want string
		bad  bool
	}{
		{name: "ASCII is case folded", tag: cbasn1.PrintableString, in: "ACME Corp", want: "acme corp"},
		{name: "leading, trailing and repeated inner spaces are insignificant", tag: cbasn1.PrintableString, in: "  ACME   Corp ", want: "acme corp"},
		{name: "a string of spaces prepares to the empty string", tag: cbasn1.UTF8String, in: "   ", want: ""},
		{name: "tabs and line breaks map to spaces", tag: cbasn1.UTF8String, in: "a\tb\r\nc", want: "a b c"},
		{name: "control codes map to nothing", tag: cbasn1.UTF8String, in: "a\x01b\x7f", want: "ab"},
		{name: "non-ASCII letters are case folded", tag: cbasn1.UTF8String, in: "CARTÃO DE CIDADÃO", want: "cartão de cidadão"},
		{name: "sharp s folds to ss", tag: cbasn1.UTF8String, in: "Straße", want: "strasse"},
		{name: "full-width letters normalize to ASCII", tag: cbasn1.UTF8String, in: "ＡＣＭＥ", want: "acme"},
		{name: "a double-struck capital folds as table B.2 says", tag: cbasn1.UTF8String, in: "\u2102", want: "c"},
		{name: "a decomposed letter composes (NFKC)", tag: cbasn1.UTF8String, in: "Cidada\u0303o", want: "cidadão"},
		{name: "soft hyphens and zero width spaces map to nothing", tag: cbasn1.UTF8String, in: "ac\u00adme\u200b", want: "acme"},
		{name: "no-break and ideographic spaces map to spaces", tag: cbasn1.UTF8String, in: "a\u00a0\u3000b", want: "a b"},
		{name: "a space before a combining mark is significant", tag: cbasn1.UTF8String, in: "a \u0301", want: "a \u0301"},
		{name: "a BMPString transcodes", tag: tagBMPString, in: "Acme", want: "acme"},
		{name: "a UniversalString transcodes", tag: tagUniversalString, in: "Acme 𝔸", want: "acme a"},
		{name: "a TeletexString reads as Latin-1", tag: tagTeletexString, in: "Ren\xe9", want: "rené"},
		{name: "private use code points are prohibited", tag: cbasn1.UTF8String, in: "a\ue000", bad: true},
		{name: "the replacement character is prohibited", tag: cbasn1.UTF8String, in: "a\ufffd", bad: true},
		{name: "code points unassigned in Unicode 3.2 are prohibited", tag: cbasn1.UTF8String, in: "a\u0870", bad: true},
		{name: "invalid UTF-8 is refused", tag: cbasn1.UTF8String, in: "a\xff", bad: true},
		{name: "an odd-length BMPString is refused", tag: tagBMPString, in: "\x00A\x00", bad: true},
		{name: "a PrintableString with 8-bit bytes is refused", tag: cbasn1.PrintableString, in: "caf\xe9", bad: true},
		{name: "an OCTET STRING is not a string to prepare", tag: cbasn1.OCTET_STRING, in: "acme", bad: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			content := attr{tag: tc.tag, value: tc.in}.content()
			if tc.tag == tagBMPString && tc.bad {
				content = []byte(tc.in)
			}
			got, err := prepareString(tc.tag, content)
			if tc.bad {
				if err == nil {
					t.Fatalf("prepared to %q, want an error", got)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("got %q, %v, want %q", got, err, tc.want)
			}
		})
	}
}

func TestNamesMatchPerRFC5280(t *testing.T) {
	base := rawName(rdn(printable(oidCountry, "PT")), rdn(printable(oidOrg, "Acme Corp")), rdn(printable(oidCN, "Test CA")))
	tests := []struct {
		name  string
		other []byte
		match bool
	}{
		{"an identical encoding matches", base, true},
		{"a name differing only in case matches",
			rawName(rdn(printable(oidCountry, "pt")), rdn(printable(oidOrg, "ACME CORP")), rdn(printable(oidCN, "test ca"))), true},
		{"a name differing only in insignificant spaces matches",
			rawName(rdn(printable(oidCountry, "PT ")), rdn(printable(oidOrg, " Acme   Corp")), rdn(printable(oidCN, "Test  CA  "))), true},
		{"a UTF8String matches a PrintableString",
			rawName(rdn(printable(oidCountry, "PT")), rdn(utf8s(oidOrg, "Acme Corp")), rdn(utf8s(oidCN, "Test CA"))), true},
		{"a BMPString and a TeletexString match a PrintableString",
			rawName(rdn(printable(oidCountry, "PT")), rdn(bmp(oidOrg, "acme corp")), rdn(teletex(oidCN, "TEST CA"))), true},
		{"a value differing in one letter does not match",
			rawName(rdn(printable(oidCountry, "PT")), rdn(printable(oidOrg, "Acme Corq")), rdn(printable(oidCN, "Test CA"))), false},
		{"a space removed inside a value does not match",
			rawName(rdn(printable(oidCountry, "PT")), rdn(printable(oidOrg, "AcmeCorp")), rdn(printable(oidCN, "Test CA"))), false},
		{"another attribute type with the same value does not match",
			rawName(rdn(printable(oidCountry, "PT")), rdn(printable(oidOrgUnit, "Acme Corp")), rdn(printable(oidCN, "Test CA"))), false},
		{"the same RDNs in another order do not match",
			rawName(rdn(printable(oidCountry, "PT")), rdn(printable(oidCN, "Test CA")), rdn(printable(oidOrg, "Acme Corp"))), false},
		{"a name with an RDN missing does not match",
			rawName(rdn(printable(oidCountry, "PT")), rdn(printable(oidCN, "Test CA"))), false},
		{"a name with an extra RDN does not match",
			rawName(rdn(printable(oidCountry, "PT")), rdn(printable(oidOrg, "Acme Corp")), rdn(printable(oidOrgUnit, "CA")), rdn(printable(oidCN, "Test CA"))), false},
		{"two RDNs merged into one multi-valued RDN do not match",
			rawName(rdn(printable(oidCountry, "PT")), rdn(printable(oidOrg, "Acme Corp"), printable(oidCN, "Test CA"))), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := namesMatch(base, tc.other); got != tc.match {
				t.Fatalf("namesMatch = %v, want %v", got, tc.match)
			}
			if got := namesMatch(tc.other, base); got != tc.match {
				t.Fatalf("namesMatch reversed = %v, want %v", got, tc.match)
			}
		})
	}

	multi := rawName(rdn(printable(oidOrg, "Acme"), printable(oidOrgUnit, "Devices")))
	t.Run("the attributes of a multi-valued RDN match in any order", func(t *testing.T) {
		if !namesMatch(multi, rawName(rdn(utf8s(oidOrgUnit, "devices"), printable(oidOrg, "ACME")))) {
			t.Fatal("no match")
		}
	})
	t.Run("a multi-valued RDN with one value changed does not match", func(t *testing.T) {
		if namesMatch(multi, rawName(rdn(printable(oidOrgUnit, "Devices"), printable(oidOrg, "Acme2")))) {
			t.Fatal("matched")
		}
	})
	t.Run("a domain component matches case insensitively", func(t *testing.T) {
		if !namesMatch(rawName(rdn(attr{oidDC, cbasn1.IA5String, "Example"})), rawName(rdn(attr{oidDC, cbasn1.IA5String, "EXAMPLE"}))) {
			t.Fatal("no match")
		}
	})
	t.Run("a value that cannot be prepared matches only its identical encoding", func(t *testing.T) {
		priv := rawName(rdn(utf8s(oidCN, "CA \ue000")))
		if !namesMatch(priv, rawName(rdn(utf8s(oidCN, "CA \ue000")))) {
			t.Fatal("an identical encoding did not match")
		}
		if namesMatch(priv, rawName(rdn(utf8s(oidCN, "ca \ue000")))) {
			t.Fatal("a case variant of an unpreparable value matched")
		}
	})
	t.Run("a value of a non-string type matches only its identical encoding", func(t *testing.T) {
		num := rawName(rdn(attr{oidCN, cbasn1.INTEGER, "\x01"}))
		if !namesMatch(num, rawName(rdn(attr{oidCN, cbasn1.INTEGER, "\x01"}))) || namesMatch(num, rawName(rdn(attr{oidCN, cbasn1.INTEGER, "\x02"}))) {
			t.Fatal("integers compared other than exactly")
		}
		if namesMatch(num, rawName(rdn(attr{oidCN, cbasn1.OCTET_STRING, "\x01"}))) {
			t.Fatal("an integer matched an octet string")
		}
	})
	t.Run("a name that does not parse matches only identical bytes", func(t *testing.T) {
		junk := []byte{0x30, 0x03, 0x31, 0x01}
		if !namesMatch(junk, append([]byte(nil), junk...)) || namesMatch(junk, base) || nameKey(junk) == nameKey(base[:len(base)-1]) {
			t.Fatal("unparsed names compared other than exactly")
		}
	})
}

// FuzzPrepareString checks that preparation never panics, that the ASCII
// shortcut agrees with the full algorithm, and that a prepared string
// prepares to itself.
func FuzzPrepareString(f *testing.F) {
	for _, s := range []string{"ACME  Corp", " a\tb ", "Straße", "\u2102", "a \u0301", "\x00\x01", "ＡＣＭＥ", "a\ue000"} {
		f.Add(uint8(cbasn1.UTF8String), []byte(s))
	}
	f.Add(uint8(tagBMPString), []byte{0, 'A', 0, 'b'})
	f.Add(uint8(tagTeletexString), []byte("Ren\xe9"))
	f.Fuzz(func(t *testing.T, tag uint8, content []byte) {
		got, err := prepareString(cbasn1.Tag(tag), content)
		if fast, ok := prepareASCII(cbasn1.Tag(tag), content); ok {
			full, ferr := prepareUnicode(cbasn1.Tag(tag), content)
			if ferr != nil || full != fast {
				t.Fatalf("ASCII shortcut %q, full algorithm %q, %v", fast, full, ferr)
			}
		}
		if err != nil {
			return
		}
		again, err := prepareString(cbasn1.UTF8String, []byte(got))
		if err != nil || again != got {
			t.Fatalf("%q prepared to %q, which prepares to %q, %v", content, got, again, err)
		}
	})
}

// FuzzNameKey checks that any bytes give a key without a panic, that equal
// bytes match, and that reordering the attributes of each RDN keeps a
// parsed name's key.
func FuzzNameKey(f *testing.F) {
	f.Add(rawName(rdn(printable(oidCountry, "PT")), rdn(printable(oidOrg, "Acme"), utf8s(oidOrgUnit, "Devices"))))
	f.Add(rawName(rdn(bmp(oidCN, "Test CA"))))
	f.Add([]byte{0x30, 0x00})
	f.Fuzz(func(t *testing.T, raw []byte) {
		key := nameKey(raw)
		if !namesMatch(raw, append([]byte(nil), raw...)) {
			t.Fatal("a name does not match itself")
		}
		if key == "" || key[0] != keyParsed {
			return
		}
		if reversed, ok := reverseRDNAttributes(raw); ok && nameKey(reversed) != key {
			t.Fatalf("reordering the attributes inside RDNs changed the key of %x", raw)
		}
	})
}

// reverseRDNAttributes re-encodes a name with the attributes of each RDN in
// reverse order.
func reverseRDNAttributes(raw []byte) ([]byte, bool) {
	in := cryptobyte.String(raw)
	var rdns cryptobyte.String
	if !in.ReadASN1(&rdns, cbasn1.SEQUENCE) {
		return nil, false
	}
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		for !rdns.Empty() {
			var set cryptobyte.String
			if !rdns.ReadASN1(&set, cbasn1.SET) {
				return
			}
			var elems [][]byte
			for !set.Empty() {
				var e cryptobyte.String
				if !set.ReadASN1Element(&e, cbasn1.SEQUENCE) {
					return
				}
				elems = append(elems, e)
			}
			b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
				for i := len(elems) - 1; i >= 0; i-- {
					b.AddBytes(elems[i])
				}
			})
		}
	})
	out, err := b.Bytes()
	return out, err == nil
}
