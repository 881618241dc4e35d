package message

import (
	"bytes"
	"strings"
	"testing"
)

// TestRegisterEncodings pins the layouts the browser's registration
// speaks (web/): lengths before every field, big-endian.
func TestRegisterEncodings(t *testing.T) {
	for _, tc := range []struct {
		name string
		got  []byte
		want []byte
	}{
		{"register-options is invite_code<1..255>", (&RegisterOptionsRequest{Invite: "abc"}).Marshal(), []byte{3, 'a', 'b', 'c'}},
		{"its answer is options_json<1..2^16-1>", (&RegisterOptionsResponse{Options: []byte("{}")}).Marshal(), []byte{0, 2, '{', '}'}},
		{"register is invite_code, credential_json<1..2^16-1> and display_name<0..2^16-1>",
			(&RegisterRequest{Invite: "c", Credential: []byte("{}"), Name: "Al"}).Marshal(), []byte{1, 'c', 0, 2, '{', '}', 0, 2, 'A', 'l'}},
		{"its answer is user_id<1..255> and display_name", (&RegisterResponse{User: "web-1", Name: ""}).Marshal(),
			[]byte{5, 'w', 'e', 'b', '-', '1', 0, 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !bytes.Equal(tc.got, tc.want) {
				t.Fatalf("got %x, want %x", tc.got, tc.want)
			}
		})
	}
	if OpRegisterOptions.String() != "register-options" || OpRegister.String() != "register" {
		t.Fatalf("op names %q, %q", OpRegisterOptions, OpRegister)
	}
}

func TestRegisterBodiesRefuseWhatTheyCannotCarry(t *testing.T) {
	for name, data := range map[string][]byte{
		"an empty invite":                 {0},
		"options with a trailing byte":    append((&RegisterOptionsRequest{Invite: "c"}).Marshal(), 0),
		"a register without a credential": (&RegisterRequest{Invite: "c"}).Marshal(),
		"a name that is not UTF-8":        {1, 'c', 0, 1, '{', 0, 1, 0xff},
		"a name over 1024 bytes":          append([]byte{1, 'c', 0, 1, '{', 0x04, 0x01}, bytes.Repeat([]byte{'a'}, 1025)...),
	} {
		_, err1 := ParseRegisterOptionsRequest(data)
		_, err2 := ParseRegisterRequest(data)
		if err1 == nil && err2 == nil {
			t.Errorf("%s: parsed", name)
		}
	}
	if _, err := ParseRegisterOptionsResponse([]byte{0, 0}); err == nil {
		t.Error("empty options parsed")
	}
	if _, err := ParseRegisterResponse([]byte{0, 0, 0}); err == nil {
		t.Error("a response without a user parsed")
	}
	long := (&RegisterRequest{Invite: "c", Credential: []byte("{}"), Name: strings.Repeat("é", 600)}).Marshal()
	if r, err := ParseRegisterRequest(long); err != nil || len(r.Name) > 1024 {
		t.Fatalf("a long name is cut to 1024 bytes on the way out: %v", err)
	}
}

func FuzzParseRegisterBodies(f *testing.F) {
	f.Add((&RegisterOptionsRequest{Invite: "abcdefghijklmnopqrstuvwxyz"}).Marshal())
	f.Add((&RegisterRequest{Invite: "c", Credential: []byte(`{"id":"x"}`), Name: "Alice"}).Marshal())
	f.Add((&RegisterResponse{User: "web-0123456789abcdef", Name: "Alice"}).Marshal())
	f.Add((&RegisterOptionsResponse{Options: []byte(`{"rp":{}}`)}).Marshal())
	f.Fuzz(func(t *testing.T, data []byte) {
		roundTrip := func(v interface{ Marshal() []byte }, err error) {
			if err == nil && !bytes.Equal(v.Marshal(), data) {
				t.Fatalf("%T does not round-trip", v)
			}
		}
		a, err := ParseRegisterOptionsRequest(data)
		roundTrip(a, err)
		b, err := ParseRegisterOptionsResponse(data)
		roundTrip(b, err)
		c, err := ParseRegisterRequest(data)
		roundTrip(c, err)
		d, err := ParseRegisterResponse(data)
		roundTrip(d, err)
		if c != nil && (len(c.Credential) == 0 || c.Invite == "") {
			t.Fatal("a register request without an invite or a credential parsed")
		}
	})
}
