package token

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParseURI(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want *URI // nil: refused
	}{
		{"the bare scheme selects anything", "pkcs11:", &URI{}},
		{"the scheme is case-insensitive", "PKCS11:token=A", &URI{Token: "A"}},
		{"a token label is percent-decoded", "pkcs11:token=CARTAO%20DE%20CIDADAO", &URI{Token: "CARTAO DE CIDADAO"}},
		{"all token attributes are read", "pkcs11:token=T;manufacturer=M;serial=S1;model=X", &URI{Token: "T", Manufacturer: "M", Serial: "S1", Model: "X"}},
		{"an object, id and type select the key", "pkcs11:object=my%20key;id=%01%02%ff;type=private", &URI{Object: "my key", ID: []byte{1, 2, 0xff}, Type: "private"}},
		{"a slot id is a decimal number", "pkcs11:slot-id=42", &URI{SlotID: 42, HasSlotID: true}},
		{"slot id zero is allowed", "pkcs11:slot-id=0", &URI{SlotID: 0, HasSlotID: true}},
		{"the module path comes from the query", "pkcs11:token=A?module-path=/usr/lib/x.so", &URI{Token: "A", ModulePath: "/usr/lib/x.so"}},
		{"a value may contain an equals sign", "pkcs11:object=a=b", &URI{Object: "a=b"}},
		{"the wrong scheme is refused", "pkcs12:token=A", nil},
		{"no scheme is refused", "token=A", nil},
		{"an unknown attribute is refused", "pkcs11:colour=blue", nil},
		{"a vendor attribute is refused", "pkcs11:x-vendor=1", nil},
		{"a repeated attribute is refused", "pkcs11:token=A;token=B", nil},
		{"an attribute without a value sign is refused", "pkcs11:token", nil},
		{"an empty attribute is refused", "pkcs11:token=A;", nil},
		{"a truncated escape is refused", "pkcs11:token=A%2", nil},
		{"a non-hex escape is refused", "pkcs11:token=A%zz", nil},
		{"an unencoded space is refused", "pkcs11:token=A B", nil},
		{"an unencoded slash in the path is refused", "pkcs11:object=a/b", nil},
		{"an unknown object type is refused", "pkcs11:type=secret", nil},
		{"a negative slot id is refused", "pkcs11:slot-id=-1", nil},
		{"a slot id with a leading zero is refused", "pkcs11:slot-id=01", nil},
		{"a slot id beyond 32 bits is refused", "pkcs11:slot-id=99999999999", nil},
		{"a pin-value is refused", "pkcs11:token=A?pin-value=1234", nil},
		{"a pin-source is refused", "pkcs11:token=A?pin-source=file:/pin", nil},
		{"an unknown query attribute is refused", "pkcs11:token=A?module-name=x", nil},
		{"an empty query is refused", "pkcs11:token=A?", nil},
		{"an empty module path is refused", "pkcs11:?module-path=", nil},
		{"a fragment is refused", "pkcs11:token=A#x", nil},
		{"an over-long URI is refused", "pkcs11:token=" + strings.Repeat("a", maxURILength), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseURI(tc.in)
			if tc.want == nil {
				if err == nil {
					t.Fatalf("ParseURI(%q) = %+v, want an error", tc.in, got)
				}
				var ue *URIError
				if !errors.As(err, &ue) {
					t.Errorf("error %v is not a *URIError", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseURI(%q): %v", tc.in, err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ParseURI(%q) = %+v, want %+v", tc.in, got, tc.want)
			}
			again, err := ParseURI(got.String())
			if err != nil || !reflect.DeepEqual(again, got) {
				t.Errorf("String() = %q does not parse back: %+v, %v", got.String(), again, err)
			}
		})
	}
}

func TestURIStringEncodesWhatMustBeEncoded(t *testing.T) {
	u := &URI{Token: "A;B?C D%", Object: "k", ID: []byte{0x45, 0x01}, ModulePath: "/a b/x.so"}
	want := "pkcs11:token=A%3BB%3FC%20D%25;object=k;id=%45%01?module-path=/a%20b/x.so"
	if got := u.String(); got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

func FuzzParseURI(f *testing.F) {
	for _, s := range []string{
		"pkcs11:",
		"pkcs11:token=CARTAO%20DE%20CIDADAO;object=CITIZEN%20AUTHENTICATION%20KEY;type=private",
		"pkcs11:token=T;manufacturer=M;serial=S;model=X;slot-id=3;id=%45%01?module-path=/usr/lib/softhsm/libsofthsm2.so",
		"pkcs11:token=A%2",
		"pkcs11:token=A?pin-value=1",
		"pkcs11:object=a=b&c;type=cert",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := ParseURI(s)
		if err != nil {
			return
		}
		// Round trip: what we print parses back to the same selection.
		again, err := ParseURI(u.String())
		if err != nil {
			t.Fatalf("String() of a parsed URI does not parse: %q: %v", u.String(), err)
		}
		if !reflect.DeepEqual(normalize(u), normalize(again)) {
			t.Fatalf("round trip changed the URI: %+v != %+v", u, again)
		}
	})
}

// normalize treats an empty id like a missing one: String omits both.
func normalize(u *URI) *URI {
	c := *u
	if len(c.ID) == 0 {
		c.ID = nil
	}
	c.ID = bytes.Clone(c.ID)
	return &c
}
