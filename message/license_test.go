package message

import (
	"bytes"
	"reflect"
	"securemedia/content"
	"testing"
	"time"
)

// Fuzz targets for the license operation bodies (license.go). Every
// body that decodes must encode back to the same bytes.

func FuzzParseLicenseBodies(f *testing.F) {
	f.Add((&PlayRequest{Media: content.ID{1}}).Marshal())
	f.Add((&PlayResponse{Grant: []byte("grant"), Token: []byte("token"), Remaining: "4 views left"}).Marshal())
	f.Add((&Offer{Views: 5, Period: 72 * time.Hour, Price: "1.00 EUR (simulated)"}).Marshal())
	f.Add((&RenewRequest{Media: content.ID{2}, Reference: "00112233445566778899aabbccddeeff", Confirmed: true}).Marshal())
	f.Add((&RenewResponse{Token: []byte("token"), Remaining: "5 views left"}).Marshal())
	f.Add(MarshalLicenses([]LicenseInfo{
		{Media: content.ID{3}, Title: "Sunny Afternoon", ViewsLeft: -1, Expires: time.UnixMilli(1_800_000_000_000).UTC()},
		{Media: content.ID{4}, Title: "Waterloo Sunset", ViewsLeft: 0, NeedsRenewal: true, Revoked: true},
	}))
	f.Add(MarshalLicenses(nil))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		if r, err := ParsePlayRequest(data); err == nil && !bytes.Equal(r.Marshal(), data) {
			t.Fatal("play request does not round-trip")
		}
		if r, err := ParsePlayResponse(data); err == nil && !bytes.Equal(r.Marshal(), data) {
			t.Fatal("play response does not round-trip")
		}
		if o, err := ParseOffer(data); err == nil && !bytes.Equal(o.Marshal(), data) {
			t.Fatal("offer does not round-trip")
		}
		if r, err := ParseRenewRequest(data); err == nil && !bytes.Equal(r.Marshal(), data) {
			t.Fatal("renew request does not round-trip")
		}
		if r, err := ParseRenewResponse(data); err == nil && !bytes.Equal(r.Marshal(), data) {
			t.Fatal("renew response does not round-trip")
		}
		if l, err := ParseLicenses(data); err == nil {
			again, err := ParseLicenses(MarshalLicenses(l))
			if err != nil || !reflect.DeepEqual(l, again) {
				t.Fatalf("license list does not round-trip: %v", err)
			}
		}
	})
}

func TestLicenseBodiesRefuseWhatTheyCannotCarry(t *testing.T) {
	for _, tc := range []struct {
		name  string
		parse func() error
	}{
		{"a play request with a short media id", func() error { _, err := ParsePlayRequest([]byte{1, 2}); return err }},
		{"a play response without a grant", func() error {
			_, err := ParsePlayResponse((&PlayResponse{Token: []byte("t")}).Marshal())
			return err
		}},
		{"a play response without a token", func() error {
			_, err := ParsePlayResponse((&PlayResponse{Grant: []byte("g")}).Marshal())
			return err
		}},
		{"a play response with trailing bytes", func() error {
			_, err := ParsePlayResponse(append((&PlayResponse{Grant: []byte("g"), Token: []byte("t")}).Marshal(), 0))
			return err
		}},
		{"an offer of more views than a policy may grant", func() error {
			_, err := ParseOffer((&Offer{Views: maxOfferViews + 1}).Marshal())
			return err
		}},
		{"a renew request without a payment reference", func() error {
			_, err := ParseRenewRequest((&RenewRequest{Confirmed: true}).Marshal())
			return err
		}},
		{"a renew request whose confirmation is neither 0 nor 1", func() error {
			b := (&RenewRequest{Reference: "r", Confirmed: true}).Marshal()
			b[len(b)-1] = 2
			_, err := ParseRenewRequest(b)
			return err
		}},
		{"a license list that announces more entries than it has", func() error {
			b := MarshalLicenses([]LicenseInfo{{Title: "x"}})
			b[3] = 2
			_, err := ParseLicenses(b)
			return err
		}},
		{"a license list with views below -1", func() error {
			_, err := ParseLicenses(MarshalLicenses([]LicenseInfo{{ViewsLeft: -2}}))
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.parse() == nil {
				t.Fatal("accepted")
			}
		})
	}
}

func TestLicenseBodiesRoundTrip(t *testing.T) {
	in := []LicenseInfo{{Media: content.ID{9}, Title: "t", ViewsLeft: 3, Expires: time.UnixMilli(1_900_000_000_123).UTC(), NeedsRenewal: true}}
	got, err := ParseLicenses(MarshalLicenses(in))
	if err != nil || !reflect.DeepEqual(got, in) {
		t.Fatalf("got %+v, %v; want %+v", got, err, in)
	}
	o, err := ParseOffer((&Offer{Views: 5, Period: 90 * time.Minute, Price: "p"}).Marshal())
	if err != nil || o.Views != 5 || o.Period != 90*time.Minute || o.Price != "p" {
		t.Fatalf("offer: got %+v, %v", o, err)
	}
	r, err := ParseRenewRequest((&RenewRequest{Media: content.ID{1}, Reference: "ref", Confirmed: true}).Marshal())
	if err != nil || r.Reference != "ref" || !r.Confirmed || r.Media != (content.ID{1}) {
		t.Fatalf("renew: got %+v, %v", r, err)
	}
}
