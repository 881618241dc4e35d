package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"securemedia/license"
)

// Renewal against an offer (DESIGN.md §7).
var offerTests = []storeTest{
	{"a refused play stores an offer, and a repeated refusal reuses it", testOfferMade},
	{"a renewal against an open offer restores the license once; a replay is refused", testRenewOnce},
	{"a renewal without an open offer of one's own is refused", testRenewWithoutOffer},
	{"a playable license is renewed only under an offer that extends it", testRenewPlayable},
	{"racing renewals under one offer: exactly one is accepted", testRacingRenewals},
	{"payments are verified before the offer is accepted", testPaymentVerifier},
	{"offers past their time are marked expired", testOffersExpire},
}

// exhaust plays the one view of user's license of media and returns the
// offer of the refusal that follows.
func (f *fixture) exhaust(t *testing.T, user, media string) license.Offer {
	t.Helper()
	f.start(t, user, media, license.Policy{Views: 1}, 12).mustFetch(0, 12)
	return f.refusedOffer(t, user, media)
}

// refusedOffer asks for a play that must be refused for payment and
// returns its offer.
func (f *fixture) refusedOffer(t *testing.T, user, media string) license.Offer {
	t.Helper()
	_, err := f.service.StartPlay(context.Background(), license.PlayRequest{UserID: user, MediaID: media, Session: session(t), Policy: license.Policy{Views: 1}, Chunks: 12})
	var pr *license.PaymentRequiredError
	if !errors.As(err, &pr) || pr.Offer.ID == "" {
		t.Fatalf("play of an exhausted license: got %v, want a payment request with an offer", err)
	}
	return pr.Offer
}

func testOfferMade(t *testing.T, db DB) {
	ctx := context.Background()
	f := newFixture(t, db.Open(t))
	o := f.exhaust(t, alice, movie)
	if again := f.refusedOffer(t, alice, movie); again.ID != o.ID {
		t.Fatalf("a second refusal made offer %s, want %s again", again.ID, o.ID)
	}
	got, err := f.store.GetOffer(ctx, o.ID)
	if err != nil || got != o {
		t.Fatalf("GetOffer = %+v, %v; want %+v", got, err, o)
	}
	// Past half its life an offer is not handed out again.
	f.clock.Advance(license.DefaultOfferLifetime/2 + time.Second)
	if fresh := f.refusedOffer(t, alice, movie); fresh.ID == o.ID {
		t.Fatal("an offer about to expire was handed out again")
	}
	events, err := f.store.ListEvents(ctx, license.EventFilter{Kind: license.EventOffer})
	if err != nil || len(events) != 2 || !strings.HasPrefix(events[0].Detail, "offer "+o.ID) {
		t.Fatalf("offer events: %+v, %v", events, err)
	}
	if _, err := f.store.GetOffer(ctx, "00112233445566778899aabbccddeeff"); !errors.Is(err, license.ErrUnknownOffer) {
		t.Fatalf("GetOffer(unknown): %v", err)
	}
	// The store refuses an offer for another user's license.
	if _, err := f.store.CreateOffer(ctx, license.NewOffer{UserID: bob, LicenseID: o.LicenseID, Amount: "1", ExpiresAt: f.clock.Now().Add(time.Minute)}, f.clock.Now()); !errors.Is(err, license.ErrNotFound) {
		t.Fatalf("an offer for another user's license: got %v, want ErrNotFound", err)
	}
}

func testRenewOnce(t *testing.T, db DB) {
	ctx := context.Background()
	f := newFixture(t, db.Open(t))
	o := f.exhaust(t, alice, movie)
	r, err := f.service.Renew(ctx, alice, o.ID, "pay-0001")
	if err != nil {
		t.Fatal(err)
	}
	if r.License.ViewsUsed != 0 || r.License.ViewsLeft() != 1 || r.Offer.State != license.OfferAccepted ||
		r.Offer.PaymentReference != "pay-0001" || !r.Offer.AcceptedAt.Equal(f.clock.Now()) || len(r.Token) == 0 {
		t.Fatalf("renewal = %+v", r)
	}
	tok, err := license.VerifyToken(r.Token, TrustLeaf)
	if err != nil || tok.ViewsLeftAtIssue != 1 || tok.LicenseID != o.LicenseID {
		t.Fatalf("renewed token: %+v, %v", tok, err)
	}
	// A replay, with the same or another reference, is refused.
	for _, ref := range []string{"pay-0001", "pay-0002"} {
		if _, err := f.service.Renew(ctx, alice, o.ID, ref); !errors.Is(err, license.ErrOfferUsed) {
			t.Fatalf("replayed renewal (%s): got %v, want ErrOfferUsed", ref, err)
		}
		if _, _, err := f.store.AcceptOffer(ctx, o.ID, alice, ref, f.clock.Now()); !errors.Is(err, license.ErrOfferUsed) {
			t.Fatalf("replayed acceptance (%s): got %v, want ErrOfferUsed", ref, err)
		}
	}
	f.start(t, alice, movie, license.Policy{Views: 1}, 12).mustFetch(0, 12)
	if got := viewsUsed(t, f.store, alice, movie); got != 1 {
		t.Fatalf("%d views used after renewing and playing", got)
	}
	events, err := f.store.ListEvents(ctx, license.EventFilter{Kind: license.EventRenew})
	if err != nil || len(events) != 1 || !strings.Contains(events[0].Detail, "offer "+o.ID) || !strings.Contains(events[0].Detail, `"pay-0001"`) {
		t.Fatalf("renew events: %+v, %v", events, err)
	}
	// The reference is single-use across offers.
	o2 := f.refusedOffer(t, alice, movie)
	if _, err := f.service.Renew(ctx, alice, o2.ID, "pay-0001"); !errors.Is(err, license.ErrDuplicatePayment) {
		t.Fatalf("a used reference under a new offer: got %v, want ErrDuplicatePayment", err)
	}
	if _, _, err := license.VerifyStore(ctx, f.store); err != nil {
		t.Fatal(err)
	}
}

func testRenewWithoutOffer(t *testing.T, db DB) {
	ctx := context.Background()
	f := newFixture(t, db.Open(t))
	o := f.exhaust(t, alice, movie)
	cases := []struct {
		name, user, offer, ref string
		want                   error
	}{
		{"an unknown offer", alice, "00112233445566778899aabbccddeeff", "ref-1", license.ErrUnknownOffer},
		{"another user's offer", bob, o.ID, "ref-1", license.ErrUnknownOffer},
		{"no offer", alice, "", "ref-1", license.ErrInvalidInput},
		{"an empty reference", alice, o.ID, "", license.ErrInvalidInput},
		{"a reference of 129 bytes", alice, o.ID, strings.Repeat("r", license.MaxPaymentReferenceLen+1), license.ErrInvalidInput},
		{"a reference with a newline", alice, o.ID, "ref\n1", license.ErrInvalidInput},
		{"a reference with non-ASCII text", alice, o.ID, "réf", license.ErrInvalidInput},
		{"an unknown user", "stranger", o.ID, "ref-1", license.ErrUnknownUser},
	}
	for _, c := range cases {
		if _, err := f.service.Renew(ctx, c.user, c.offer, c.ref); !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		}
	}
	if _, _, err := f.store.AcceptOffer(ctx, o.ID, bob, "ref-1", f.clock.Now()); !errors.Is(err, license.ErrUnknownOffer) {
		t.Fatalf("store: another user's offer: got %v", err)
	}
	// An expired offer is refused by the service and the store.
	f.clock.Advance(license.DefaultOfferLifetime)
	if _, err := f.service.Renew(ctx, alice, o.ID, "ref-1"); !errors.Is(err, license.ErrOfferExpired) {
		t.Fatalf("an expired offer: got %v, want ErrOfferExpired", err)
	}
	if _, _, err := f.store.AcceptOffer(ctx, o.ID, alice, "ref-1", f.clock.Now()); !errors.Is(err, license.ErrOfferExpired) {
		t.Fatalf("store: an expired offer: got %v, want ErrOfferExpired", err)
	}
	// Revoked after the offer: refused, and a revoked license gets none.
	o2 := f.refusedOffer(t, alice, movie)
	if err := f.store.Revoke(ctx, o2.LicenseID, "chargeback", f.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := f.service.Renew(ctx, alice, o2.ID, "ref-2"); !errors.Is(err, license.ErrRevoked) {
		t.Fatalf("renewal of a revoked license: got %v, want ErrRevoked", err)
	}
	if _, err := f.service.Offer(ctx, alice, movie, license.Policy{Views: 1}); !errors.Is(err, license.ErrRevoked) {
		t.Fatalf("an offer for a revoked license: got %v, want ErrRevoked", err)
	}
	if n := kindCounts(t, f.store)[license.EventRenew]; n != 0 {
		t.Fatalf("%d renew events after refused renewals", n)
	}
	if l, _ := f.store.Find(ctx, alice, movie); l.ViewsUsed != 1 {
		t.Fatalf("refused renewals changed the license: %+v", l)
	}
}

func testRenewPlayable(t *testing.T, db DB) {
	ctx := context.Background()
	f := newFixture(t, db.Open(t))
	p := license.Policy{Views: 5, Period: 48 * time.Hour}
	pl := f.start(t, alice, movie, p, 12)
	pl.mustFetch(0, 12)
	l := pl.pg.License
	// An offer that restores does not apply to a license that can play.
	restore, err := f.store.CreateOffer(ctx, license.NewOffer{UserID: alice, LicenseID: l.ID, Amount: "1.00 EUR", Policy: p,
		ExpiresAt: f.clock.Now().Add(time.Minute)}, f.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.service.Renew(ctx, alice, restore.ID, "ref-restore"); !errors.Is(err, license.ErrStillPlayable) {
		t.Fatalf("renewal of a playable license under a restoring offer: got %v, want ErrStillPlayable", err)
	}
	// Asked for, the offer for a playable license extends it.
	f.clock.Advance(time.Hour)
	o, err := f.service.Offer(ctx, alice, movie, p)
	if err != nil {
		t.Fatal(err)
	}
	if !o.Extends || o.Policy != p {
		t.Fatalf("offer for a playable license = %+v, want one that extends by %s", o, p)
	}
	r, err := f.service.Renew(ctx, alice, o.ID, "ref-extend")
	if err != nil {
		t.Fatal(err)
	}
	if got := r.License; got.ViewsLeft() != 9 || !got.ExpiresAt.Equal(l.ExpiresAt.Add(48*time.Hour)) {
		t.Fatalf("extended license: %d views left, expires %s; want 9 and %s", got.ViewsLeft(), got.ExpiresAt, l.ExpiresAt.Add(48*time.Hour))
	}
	// Once it cannot play, the offer restores.
	if _, err := f.service.Offer(ctx, bob, movie, p); !errors.Is(err, license.ErrNotFound) {
		t.Fatalf("an offer without a license: got %v, want ErrNotFound", err)
	}
	f.clock.Advance(200 * time.Hour)
	o2, err := f.service.Offer(ctx, alice, movie, p)
	if err != nil || o2.Extends {
		t.Fatalf("offer for an expired license: %+v, %v", o2, err)
	}
	r2, err := f.service.Renew(ctx, alice, o2.ID, "ref-restore-2")
	if err != nil || r2.License.ViewsUsed != 0 || !r2.License.ExpiresAt.Equal(f.clock.Now().Add(r2.License.Policy.Period)) {
		t.Fatalf("restored license: %+v, %v", r2.License, err)
	}
}

func testRacingRenewals(t *testing.T, db DB) {
	a, b := newFixture(t, db.Open(t)), newFixture(t, db.Open(t))
	o := a.exhaust(t, alice, movie)
	var ok, used atomic.Int64
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func(svc *license.Service) {
			defer wg.Done()
			<-start
			_, err := svc.Renew(context.Background(), alice, o.ID, fmt.Sprintf("race-%d", i))
			switch {
			case err == nil:
				ok.Add(1)
			case errors.Is(err, license.ErrOfferUsed):
				used.Add(1)
			default:
				t.Errorf("renewal %d: %v", i, err)
			}
		}([]*license.Service{a.service, b.service}[i%2])
	}
	close(start)
	wg.Wait()
	if ok.Load() != 1 || used.Load() != 19 {
		t.Fatalf("%d renewals accepted, %d refused as used; want 1 and 19", ok.Load(), used.Load())
	}
	if n := kindCounts(t, a.store)[license.EventRenew]; n != 1 {
		t.Fatalf("%d renew events", n)
	}
}

// refusingPayments confirms only the references it knows.
type refusingPayments struct{ paid map[string]bool }

func (r refusingPayments) Verify(_ context.Context, o license.Offer, ref string) error {
	if !r.paid[ref] {
		return fmt.Errorf("no payment %q for offer %s", ref, o.ID)
	}
	return nil
}

func testPaymentVerifier(t *testing.T, db DB) {
	ctx := context.Background()
	s := db.Open(t)
	f := newFixture(t, s)
	signer, chain := NewSigner(t)
	svc, err := license.New(license.Config{Store: s, Signer: signer, Chain: chain, Now: f.clock.Now, Price: "2.50 EUR",
		Payments: refusingPayments{paid: map[string]bool{"paid-1": true}}})
	if err != nil {
		t.Fatal(err)
	}
	f.service = svc
	o := f.exhaust(t, alice, movie)
	if o.Amount != "2.50 EUR" {
		t.Fatalf("offer amount %q, want the configured price", o.Amount)
	}
	if _, err := svc.Renew(ctx, alice, o.ID, "unpaid"); !errors.Is(err, license.ErrPaymentNotConfirmed) {
		t.Fatalf("an unconfirmed payment: got %v, want ErrPaymentNotConfirmed", err)
	}
	if got, _ := s.GetOffer(ctx, o.ID); got.State != license.OfferOpen {
		t.Fatalf("an unconfirmed payment used the offer: %+v", got)
	}
	if _, err := svc.Renew(ctx, alice, o.ID, "paid-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := license.New(license.Config{Store: s, Signer: signer, Price: "1\x00"}); !errors.Is(err, license.ErrInvalidInput) {
		t.Fatalf("a price with a NUL: got %v, want ErrInvalidInput", err)
	}
	if err := (license.SimulatedPayments{}).Verify(ctx, o, "x"); err != nil {
		t.Fatalf("simulated payment of a well-formed reference: %v", err)
	}
}

func testOffersExpire(t *testing.T, db DB) {
	ctx := context.Background()
	f := newFixture(t, db.Open(t))
	o := f.exhaust(t, alice, movie)
	if _, n, err := f.service.Sweep(ctx); err != nil || n != 0 {
		t.Fatalf("sweep before the expiry: %d offers, %v", n, err)
	}
	f.clock.Advance(license.DefaultOfferLifetime)
	if _, n, err := f.service.Sweep(ctx); err != nil || n != 1 {
		t.Fatalf("sweep after the expiry: %d offers, %v; want 1", n, err)
	}
	got, err := f.store.GetOffer(ctx, o.ID)
	if err != nil || got.State != license.OfferExpired || got.OpenAt(f.clock.Now()) {
		t.Fatalf("expired offer = %+v, %v", got, err)
	}
	if _, err := f.service.Renew(ctx, alice, o.ID, "late"); !errors.Is(err, license.ErrOfferExpired) {
		t.Fatalf("renewal under an expired offer: got %v, want ErrOfferExpired", err)
	}
}
