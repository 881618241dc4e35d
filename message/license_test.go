package message

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"

	"securemedia/content"
)

// Fuzz targets for the license operation bodies (license.go). Every
// body that decodes must encode back to the same bytes.

func FuzzParseLicenseBodies(f *testing.F) {
	f.Add((&PlayRequest{Media: content.ID{1}}).Marshal())
	f.Add((&PlayResponse{Grant: []byte("grant"), Ticket: []byte("ticket"), Token: []byte("token"), Next: 7, Remaining: "4 views left"}).Marshal())
	f.Add((&ResumeRequest{Ticket: []byte("ticket")}).Marshal())
	f.Add((&Offer{ID: [OfferIDSize]byte{1}, Views: 5, Period: 72 * time.Hour, Extends: true, Expires: time.UnixMilli(1_800_000_000_000).UTC(), Price: "1.00 EUR (simulated)"}).Marshal())
	f.Add((&RenewRequest{Offer: [OfferIDSize]byte{2}, Reference: "00112233445566778899aabbccddeeff"}).Marshal())
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
		if r, err := ParseResumeRequest(data); err == nil && !bytes.Equal(r.Marshal(), data) {
			t.Fatal("resume request does not round-trip")
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
			_, err := ParsePlayResponse((&PlayResponse{Ticket: []byte("k"), Token: []byte("t")}).Marshal())
			return err
		}},
		{"a play response without a token", func() error {
			_, err := ParsePlayResponse((&PlayResponse{Grant: []byte("g"), Ticket: []byte("k")}).Marshal())
			return err
		}},
		{"a play response without a resume ticket", func() error {
			_, err := ParsePlayResponse((&PlayResponse{Grant: []byte("g"), Token: []byte("t")}).Marshal())
			return err
		}},
		{"a play response with trailing bytes", func() error {
			_, err := ParsePlayResponse(append((&PlayResponse{Grant: []byte("g"), Ticket: []byte("k"), Token: []byte("t")}).Marshal(), 0))
			return err
		}},
		{"a resume request without a ticket", func() error { _, err := ParseResumeRequest([]byte{0}); return err }},
		{"an offer of more views than a policy may grant", func() error {
			_, err := ParseOffer((&Offer{Views: maxOfferViews + 1}).Marshal())
			return err
		}},
		{"an offer whose extends flag is neither 0 nor 1", func() error {
			b := (&Offer{Extends: true}).Marshal()
			b[OfferIDSize+4+8] = 2
			_, err := ParseOffer(b)
			return err
		}},
		{"a renew request without a payment reference", func() error {
			_, err := ParseRenewRequest((&RenewRequest{}).Marshal())
			return err
		}},
		{"a renew request with a payment reference of 129 bytes", func() error {
			_, err := ParseRenewRequest((&RenewRequest{Reference: strings.Repeat("r", 129)}).Marshal())
			return err
		}},
		{"a renew request without an offer id", func() error {
			_, err := ParseRenewRequest([]byte{3, 'r', 'e', 'f'})
			return err
		}},
		{"a fetch end with an unknown flag", func() error {
			b := (&FetchEnd{Next: 1, Refunded: true}).Marshal()
			b[4] |= 2
			_, err := ParseFetchEnd(b)
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
	offer := Offer{ID: [OfferIDSize]byte{7, 7}, Views: 5, Period: 90 * time.Minute, Extends: true, Expires: time.UnixMilli(1_900_000_000_123).UTC(), Price: "p"}
	o, err := ParseOffer(offer.Marshal())
	if err != nil || *o != offer {
		t.Fatalf("offer: got %+v, %v; want %+v", o, err, offer)
	}
	r, err := ParseRenewRequest((&RenewRequest{Offer: offer.ID, Reference: "ref"}).Marshal())
	if err != nil || r.Reference != "ref" || r.Offer != offer.ID {
		t.Fatalf("renew: got %+v, %v", r, err)
	}
	play := PlayResponse{Grant: []byte("g"), Ticket: []byte("k"), Token: []byte("t"), Next: 12, Remaining: "4 views left"}
	p, err := ParsePlayResponse(play.Marshal())
	if err != nil || !reflect.DeepEqual(*p, play) {
		t.Fatalf("play response: got %+v, %v", p, err)
	}
	end, err := ParseFetchEnd((&FetchEnd{Next: 3, Refunded: true, Message: "m"}).Marshal())
	if err != nil || !end.Refunded || end.Next != 3 || end.Message != "m" {
		t.Fatalf("fetch end: got %+v, %v", end, err)
	}
}
