package license_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"securemedia/license"
)

func TestOfferApply(t *testing.T) {
	now := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	issued := now.Add(-10 * time.Hour)
	lic := func(p license.Policy, used int) license.License {
		return license.License{ID: "l", Policy: p, ViewsUsed: used, IssuedAt: issued, ExpiresAt: expires(issued, p)}
	}
	for _, c := range []struct {
		name      string
		l         license.License
		offer     license.Offer
		viewsLeft int
		ends      time.Time
	}{
		{"a restoring offer renews from now", lic(license.Policy{Views: 5, Period: 48 * time.Hour}, 5),
			license.Offer{Policy: license.Policy{Views: 3, Period: time.Hour}}, 3, now.Add(time.Hour)},
		{"an extension adds views to what is left", lic(license.Policy{Views: 5}, 2),
			license.Offer{Extends: true, Policy: license.Policy{Views: 5}}, 8, time.Time{}},
		{"an extension adds time from the current end", lic(license.Policy{Period: 48 * time.Hour}, 0),
			license.Offer{Extends: true, Policy: license.Policy{Period: 24 * time.Hour}}, -1, issued.Add(72 * time.Hour)},
		{"an extension of an expired period adds time from now", lic(license.Policy{Views: 2, Period: time.Hour}, 1),
			license.Offer{Extends: true, Policy: license.Policy{Views: 2, Period: time.Hour}}, 3, now.Add(time.Hour)},
		{"an unlimited dimension stays unlimited", lic(license.Policy{}, 7),
			license.Offer{Extends: true, Policy: license.Policy{Views: 5, Period: time.Hour}}, -1, time.Time{}},
		{"views never pass MaxViews", lic(license.Policy{Views: license.MaxViews}, 0),
			license.Offer{Extends: true, Policy: license.Policy{Views: 5}}, license.MaxViews, time.Time{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := c.offer.Apply(c.l, now)
			if got.ViewsLeft() != c.viewsLeft || !got.ExpiresAt.Equal(c.ends) {
				t.Fatalf("Apply = %d views left, ends %s; want %d, %s", got.ViewsLeft(), got.ExpiresAt, c.viewsLeft, c.ends)
			}
			if err := got.Policy.Validate(); err != nil {
				t.Fatalf("the applied policy is out of range: %v", err)
			}
		})
	}
}

func expires(from time.Time, p license.Policy) time.Time {
	if p.Period == 0 {
		return time.Time{}
	}
	return from.Add(p.Period)
}

func TestCheckPaymentReference(t *testing.T) {
	for _, ok := range []string{"x", "pay-0001", "ch_3Nx 2 ~!", strings.Repeat("r", license.MaxPaymentReferenceLen)} {
		if err := license.CheckPaymentReference(ok); err != nil {
			t.Errorf("CheckPaymentReference(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", strings.Repeat("r", license.MaxPaymentReferenceLen+1), "a\nb", "tab\t", "nul\x00", "réf", "\x7f"} {
		if err := license.CheckPaymentReference(bad); !errors.Is(err, license.ErrInvalidInput) {
			t.Errorf("CheckPaymentReference(%q): %v, want ErrInvalidInput", bad, err)
		}
	}
}

func TestOfferStateNames(t *testing.T) {
	for _, s := range []license.OfferState{license.OfferOpen, license.OfferAccepted, license.OfferExpired} {
		if got, err := license.ParseOfferState(s.String()); err != nil || got != s {
			t.Errorf("ParseOfferState(%q) = %v, %v", s, got, err)
		}
	}
	if _, err := license.ParseOfferState("closed"); !errors.Is(err, license.ErrInvalidInput) {
		t.Errorf("ParseOfferState(closed): %v", err)
	}
	now := time.Unix(1000, 0)
	o := license.Offer{State: license.OfferOpen, ExpiresAt: now.Add(time.Second)}
	if !o.OpenAt(now) || o.OpenAt(now.Add(time.Second)) {
		t.Error("OpenAt does not end at the expiry")
	}
	o.State = license.OfferAccepted
	if o.OpenAt(now) {
		t.Error("an accepted offer is open")
	}
}
