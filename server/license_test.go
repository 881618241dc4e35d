package server_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"securemedia/client"
	"securemedia/content"
	"securemedia/internal/testbed"
	"securemedia/license"
	"securemedia/license/storetest"
	"securemedia/message"
	"securemedia/pki"
	"securemedia/server"
)

// stores are the license stores every license test runs on.
var stores = []struct {
	name     string
	postgres bool
}{{"on SQLite", false}, {"on PostgreSQL", true}}

func mediaID(t testing.TB, id string) content.ID {
	t.Helper()
	mid, err := content.ParseID(id)
	if err != nil {
		t.Fatal(err)
	}
	return mid
}

// playOnce dials cfg and plays id under its license, renewing when renew
// says so.
func playOnce(t testing.TB, cfg client.Config, id string, renew func(*client.PaymentRequiredError) bool) ([]byte, *client.PlayStats, error) {
	return playWith(t, cfg, id, client.PlayOptions{ChunksPerRequest: 2, Renew: renew})
}

// playWith dials cfg and plays id under its license with o.
func playWith(t testing.TB, cfg client.Config, id string, o client.PlayOptions) ([]byte, *client.PlayStats, error) {
	conn, err := client.Dial(context.Background(), cfg)
	if err != nil {
		return nil, nil, err
	}
	defer conn.Close(context.Background())
	var sink bytes.Buffer
	st, err := conn.PlayWithLicense(context.Background(), mediaID(t, id), client.ToWriter(&sink), o)
	return sink.Bytes(), st, err
}

// viewsUsed is what the store says the bed's user used of id's license.
func viewsUsed(t testing.TB, bed *testbed.Bed, id string) int {
	t.Helper()
	l, err := bed.Users.Store.Find(context.Background(), bed.Users.Card.SerialNumber, id)
	if err != nil {
		t.Fatal(err)
	}
	return l.ViewsUsed
}

// playsOf lists the bed's user's plays of id, newest first.
func playsOf(t testing.TB, bed *testbed.Bed, id string) []license.Play {
	t.Helper()
	ps, err := bed.Users.Store.ListPlays(context.Background(), license.PlayFilter{UserID: bed.Users.Card.SerialNumber, MediaID: id})
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

func TestAFiveViewLicenseGivesExactlyFivePlaysThenAnOfferInsideA200(t *testing.T) {
	for _, store := range stores {
		t.Run(store.name, func(t *testing.T) {
			bed := userBed(t, testbed.UsersOptions{Postgres: store.postgres}, nil)
			data := randomMedia(t, 3*testChunk+7)
			id := bed.AddMediaWithPolicy(t, "Waterloo Sunset", data, license.Policy{Views: 5})
			proxy := testbed.NewProxy(t, bed.URL, testbed.Tamper{})
			cfg := bed.ClientConfig(t)
			cfg.Server = proxy.URL
			for i := range 5 {
				got, st, err := playOnce(t, cfg, id, nil)
				if err != nil {
					t.Fatalf("play %d: %v", i+1, err)
				}
				if !bytes.Equal(got, data) {
					t.Fatalf("play %d: wrong bytes", i+1)
				}
				if want := []string{"4 views left", "3 views left", "2 views left", "1 view left", "0 views left"}[i]; st.Remaining != want {
					t.Fatalf("play %d: remaining %q, want %q", i+1, st.Remaining, want)
				}
			}
			_, _, err := playOnce(t, cfg, id, nil)
			var pe *client.PaymentRequiredError
			if !errors.As(err, &pe) || pe.Offer == nil || pe.Offer.Views != 5 || pe.Offer.Extends || !strings.Contains(pe.Message, "no views left") {
				t.Fatalf("sixth play: err = %v, want payment required with a 5-view offer", err)
			}
			if pe.Offer.ID == ([message.OfferIDSize]byte{}) || !pe.Offer.Expires.After(time.Now()) || pe.Offer.Price == "" {
				t.Fatalf("the offer %+v has no id, expiry or price", pe.Offer)
			}
			// Nothing about the license is in clear: every answer to a
			// session record is a 200, the refusal included.
			for _, ex := range proxy.Log() {
				if sessionRecordPath(ex.Path) && ex.Status != http.StatusOK {
					t.Fatalf("%s answered %d", ex.Path, ex.Status)
				}
				if bytes.Contains(ex.Response, []byte("views")) {
					t.Fatal("an answer is readable on the wire")
				}
			}
		})
	}
}

func TestFiftyParallelPlaysOfAFiveViewLicenseLetExactlyFiveThrough(t *testing.T) {
	for _, store := range stores {
		t.Run(store.name, func(t *testing.T) {
			// One viewer on one device, 50 sessions at once: beyond the
			// default per-user and per-device caps, which close the oldest.
			bed := testbed.New(t, testbed.Options{ChunkSize: testChunk, Users: &testbed.UsersOptions{Postgres: store.postgres},
				Limits: server.Limits{MaxSessionsPerUser: 50, MaxSessionsPerDevice: 50}})
			data := randomMedia(t, testChunk)
			id := bed.AddMediaWithPolicy(t, "Lola", data, license.Policy{Views: 5})
			cfg := bed.ClientConfig(t)
			var ok, paymentRequired atomic.Int32
			var wg sync.WaitGroup
			errs := make(chan error, 50)
			for range 50 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					got, _, err := playOnce(t, cfg, id, nil)
					var pe *client.PaymentRequiredError
					switch {
					case err == nil && bytes.Equal(got, data):
						ok.Add(1)
					case errors.As(err, &pe) && len(got) == 0:
						paymentRequired.Add(1)
					default:
						errs <- fmt.Errorf("%d bytes, %w", len(got), err)
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Errorf("unexpected outcome: %v", err)
			}
			if ok.Load() != 5 || paymentRequired.Load() != 45 {
				t.Fatalf("%d plays succeeded and %d were refused for payment; want 5 and 45", ok.Load(), paymentRequired.Load())
			}
			if got := viewsUsed(t, bed, id); got != 5 {
				t.Fatalf("%d views used, want 5", got)
			}
			completed := 0
			for _, p := range playsOf(t, bed, id) {
				switch p.State {
				case license.PlayCompleted:
					completed++
				case license.PlayStarted: // refused at its first chunk: it cost nothing
				default:
					t.Errorf("play %s is %s", p.ID, p.State)
				}
			}
			if completed != 5 {
				t.Fatalf("%d plays completed, want 5", completed)
			}
		})
	}
}

func TestAPeriodLicenseIsRefusedAfterItExpires(t *testing.T) {
	clock := storetest.NewClock()
	// The server shares the license clock; its sessions outlive the jump.
	bed := testbed.New(t, testbed.Options{ChunkSize: testChunk, Users: &testbed.UsersOptions{Now: clock.Now},
		Limits: server.Limits{IdleTimeout: 24 * time.Hour, SessionLifetime: 24 * time.Hour}})
	id := bed.AddMediaWithPolicy(t, "Days", randomMedia(t, testChunk), license.Policy{Period: time.Hour})
	cfg := bed.ClientConfig(t)
	if _, st, err := playOnce(t, cfg, id, nil); err != nil || st.Remaining != "1h0m0s left" {
		t.Fatalf("play within the period: %v, %+v", err, st)
	}
	ctx := context.Background()
	held := bed.Dial(t, cfg)
	defer held.Close(ctx)
	g, err := held.StartPlay(ctx, mediaID(t, id))
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(59 * time.Minute)
	if _, _, err := playOnce(t, cfg, id, nil); err != nil {
		t.Fatalf("play a minute before the end: %v", err)
	}
	clock.Advance(time.Minute)
	_, _, err = playOnce(t, cfg, id, nil)
	var pe *client.PaymentRequiredError
	if !errors.As(err, &pe) || !strings.Contains(pe.Message, "expired") || pe.Offer == nil || pe.Offer.Period != time.Hour {
		t.Fatalf("play after the period: err = %v, want payment required (expired) with a 1h offer", err)
	}
	// A play started before the end no longer fetches: expired, with an
	// offer.
	var sink bytes.Buffer
	_, err = held.Play(ctx, mediaID(t, id), &sink, client.PlayOptions{Grant: g.Grant})
	var se *client.StatusError
	if !errors.As(err, &se) || se.Status != message.StatusPaymentRequired || len(se.Offer) == 0 || sink.Len() != 0 {
		t.Fatalf("fetch of a play started in the expired period: err = %v, %d bytes", err, sink.Len())
	}
}

func TestAPeriodThatEndsMidPlayIsReportedAsExpiredWithTheRenewalOffer(t *testing.T) {
	clock := storetest.NewClock()
	bed := testbed.New(t, testbed.Options{ChunkSize: testChunk, Users: &testbed.UsersOptions{Now: clock.Now},
		Limits: server.Limits{IdleTimeout: 24 * time.Hour, SessionLifetime: 24 * time.Hour}})
	data := randomMedia(t, 6*testChunk)
	id := bed.AddMediaWithPolicy(t, "Tired of Waiting", data, license.Policy{Period: time.Hour})
	cfg := bed.ClientConfig(t)
	// The period ends while chunk 2 of a fetch of chunks 0..3 is written
	// to the sink: the per-chunk check stops the answer at chunk 3, with
	// the offer.
	endsAt := func(chunks int) func(client.PlayStats) {
		return func(st client.PlayStats) {
			if st.Chunks == chunks {
				clock.Advance(time.Hour)
			}
		}
	}
	got, st, err := playWith(t, cfg, id, client.PlayOptions{ChunksPerRequest: 4, Progress: endsAt(3)})
	var pe *client.PaymentRequiredError
	if !errors.As(err, &pe) || !strings.Contains(pe.Message, "expired") || pe.Offer == nil || pe.Offer.Period != time.Hour ||
		pe.Offer.ID == ([message.OfferIDSize]byte{}) {
		t.Fatalf("a period that ended mid-fetch: err = %v, want payment required (expired) with a 1h offer", err)
	}
	if st.Chunks > 4 || !bytes.Equal(got, data[:st.Chunks*testChunk]) {
		t.Fatalf("%d chunks reached the sink after the period ended at chunk 3", st.Chunks)
	}
	// Accepting the offer renews the license and the same play goes on.
	other := bed.AddMediaWithPolicy(t, "Come Dancing", data, license.Policy{Period: time.Hour})
	var asked int
	renew := func(pe *client.PaymentRequiredError) bool { asked++; return strings.Contains(pe.Message, "expired") }
	got, _, err = playWith(t, cfg, other, client.PlayOptions{ChunksPerRequest: 4, Progress: endsAt(2), Renew: renew})
	if err != nil || !bytes.Equal(got, data) || asked != 1 {
		t.Fatalf("a renewal mid-play: %v, %d bytes, asked %d times", err, len(got), asked)
	}
	if ps := playsOf(t, bed, other); len(ps) != 1 || ps[0].State != license.PlayCompleted {
		t.Fatalf("the renewed play: %+v", ps)
	}
}

func TestAChunkFetchNeedsThisSessionsGrantForThisMedia(t *testing.T) {
	bed := userBed(t, testbed.UsersOptions{}, nil)
	id := bed.AddMedia(t, "Sunny Afternoon", randomMedia(t, 2*testChunk))
	other := bed.AddMedia(t, "Autumn Almanac", randomMedia(t, 2*testChunk))
	ctx := context.Background()
	cfg := bed.ClientConfig(t)
	a, b := bed.Dial(t, cfg), bed.Dial(t, cfg)
	defer a.Close(ctx)
	defer b.Close(ctx)
	grantA, err := a.StartPlay(ctx, mediaID(t, id))
	if err != nil {
		t.Fatal(err)
	}
	grantOther, err := b.StartPlay(ctx, mediaID(t, other))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		grant []byte
	}{
		{"a fetch without a grant is refused", nil},
		{"a fetch with another session's grant is refused", grantA.Grant},
		{"a fetch with another media's grant is refused", grantOther.Grant},
		{"a fetch with an altered grant is refused", func() []byte {
			g := bytes.Clone(grantA.Grant)
			g[len(g)/2] ^= 1
			return g
		}()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var sink bytes.Buffer
			_, err := b.Play(ctx, mediaID(t, id), &sink, client.PlayOptions{Grant: tc.grant})
			var se *client.StatusError
			if !errors.As(err, &se) || se.Status != message.StatusForbidden {
				t.Fatalf("err = %v, want forbidden", err)
			}
			if sink.Len() != 0 {
				t.Fatal("bytes reached the sink")
			}
		})
	}
	t.Run("the session's own grant plays", func(t *testing.T) {
		var sink bytes.Buffer
		if _, err := a.Play(ctx, mediaID(t, id), &sink, client.PlayOptions{Grant: grantA.Grant}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestTheClientRefusesAForgedOrAlteredLicenseToken(t *testing.T) {
	bed := userBed(t, testbed.UsersOptions{}, nil)
	mid := content.ID{1, 2, 3}
	user := bed.Users.Card.SerialNumber
	chain, key, err := pki.LoadIdentity(bed.WS.LicenseChain, bed.WS.LicenseKey, nil)
	if err != nil {
		t.Fatal(err)
	}
	contentChain, contentKey, err := pki.LoadIdentity(bed.WS.ContentChain, bed.WS.ContentKey, nil)
	if err != nil {
		t.Fatal(err)
	}
	lic := license.License{ID: "0123456789abcdef", UserID: user, MediaID: mid.String(), Policy: license.Policy{Views: 5},
		IssuedAt: time.Now()}
	sign := func(l license.License) []byte {
		tok, err := license.SignToken(l, key, chain, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	good := sign(lic)
	if _, err := client.CheckLicenseToken(good, bed.VerifyLicense, user, mid); err != nil {
		t.Fatalf("the genuine token is refused: %v", err)
	}
	otherUser, otherMedia := lic, lic
	otherUser.UserID, otherMedia.MediaID = "BI999999999", content.ID{9}.String()
	forged, err := license.SignToken(lic, contentKey, contentChain, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		tok  []byte
	}{
		{"a token with one byte altered", func() []byte { b := bytes.Clone(good); b[20] ^= 1; return b }()},
		{"a token with its signature altered", func() []byte { b := bytes.Clone(good); b[len(b)-5] ^= 1; return b }()},
		{"a token signed by a key that may not sign licenses", forged},
		{"a genuine token for another user", sign(otherUser)},
		{"a genuine token for another media", sign(otherMedia)},
		{"a truncated token", good[:len(good)-1]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := client.CheckLicenseToken(tc.tok, bed.VerifyLicense, user, mid); !errors.Is(err, client.ErrBadLicense) {
				t.Fatalf("err = %v, want ErrBadLicense", err)
			}
		})
	}
}

func TestALicenseRevokedByTheOperatorStopsThePlayAtItsNextFetch(t *testing.T) {
	bed := userBed(t, testbed.UsersOptions{}, nil)
	id := bed.AddMedia(t, "Victoria", randomMedia(t, 6*testChunk))
	ctx := context.Background()
	c := bed.Dial(t, bed.ClientConfig(t))
	defer c.Close(ctx)
	g, err := c.StartPlay(ctx, mediaID(t, id))
	if err != nil {
		t.Fatal(err)
	}
	revoke := func(st client.PlayStats) {
		if st.Chunks == 2 {
			if err := bed.Users.Store.Revoke(ctx, g.Token.LicenseID, "chargeback", time.Now()); err != nil {
				t.Error(err)
			}
		}
	}
	var sink bytes.Buffer
	st, err := c.Play(ctx, mediaID(t, id), &sink, client.PlayOptions{ChunksPerRequest: 1, Grant: g.Grant, Progress: revoke})
	var se *client.StatusError
	if !errors.As(err, &se) || se.Status != message.StatusForbidden || !strings.Contains(se.Message, "revoked") {
		t.Fatalf("err = %v, want forbidden: revoked", err)
	}
	if st.Chunks != 2 || sink.Len() != 2*testChunk {
		t.Fatalf("%d chunks (%d bytes) played after the revocation at chunk 2", st.Chunks, sink.Len())
	}
	if _, err := c.StartPlay(ctx, mediaID(t, id)); err == nil {
		t.Fatal("a revoked license started another play")
	}
}

func TestARenewalAfterARefusalRestoresTheViewsAndIsAudited(t *testing.T) {
	for _, store := range stores {
		t.Run(store.name, func(t *testing.T) {
			bed := userBed(t, testbed.UsersOptions{Postgres: store.postgres}, nil)
			id := bed.AddMediaWithPolicy(t, "Dandy", randomMedia(t, testChunk), license.Policy{Views: 1})
			cfg := bed.ClientConfig(t)
			if _, _, err := playOnce(t, cfg, id, nil); err != nil {
				t.Fatal(err)
			}
			var offered *client.PaymentRequiredError
			declined := func(pe *client.PaymentRequiredError) bool { offered = pe; return false }
			if _, _, err := playOnce(t, cfg, id, declined); offered == nil || !errors.As(err, new(*client.PaymentRequiredError)) {
				t.Fatalf("declined renewal: err = %v, want the refusal and an offer asked", err)
			}
			_, st, err := playOnce(t, cfg, id, func(*client.PaymentRequiredError) bool { return true })
			if err != nil {
				t.Fatalf("play after renewal: %v", err)
			}
			if st.Remaining != "0 views left" {
				t.Fatalf("remaining %q after renewing a 1-view license and playing", st.Remaining)
			}
			events, err := bed.Users.Store.ListEvents(context.Background(), license.EventFilter{Kind: license.EventRenew, UserID: bed.Users.Card.SerialNumber, MediaID: id})
			if err != nil {
				t.Fatal(err)
			}
			if len(events) != 1 || !strings.Contains(events[0].Detail, "offer ") {
				t.Fatalf("renew events %+v, want one naming its offer", events)
			}
		})
	}
}

func TestARenewalNeedsAnOpenOfferOfTheViewersOwnAndIsAcceptedOnce(t *testing.T) {
	bed := userBed(t, testbed.UsersOptions{}, nil)
	id := bed.AddMediaWithPolicy(t, "Days", randomMedia(t, testChunk), license.Policy{Views: 1})
	mid := mediaID(t, id)
	ctx := context.Background()
	c := bed.Dial(t, bed.ClientConfig(t))
	defer c.Close(ctx)
	refused := func(name string, err error, want message.Status, says string) {
		t.Helper()
		var se *client.StatusError
		if !errors.As(err, &se) || se.Status != want || !strings.Contains(se.Message, says) {
			t.Fatalf("%s: err = %v, want %s saying %q", name, err, want, says)
		}
	}
	// Without an open offer: fifty made-up ones.
	for i := range 50 {
		made := &message.Offer{ID: [message.OfferIDSize]byte{byte(i), 1, 2, 3}}
		_, err := c.Renew(ctx, mid, made)
		refused("a renewal naming a made-up offer", err, message.StatusNotFound, "unknown renewal offer")
	}
	if _, _, err := playOnce(t, bed.ClientConfig(t), id, nil); err != nil {
		t.Fatal(err)
	}
	_, err := c.StartPlay(ctx, mid)
	var pe *client.PaymentRequiredError
	if !errors.As(err, &pe) || pe.Offer == nil {
		t.Fatalf("an exhausted license: %v, want an offer", err)
	}
	tok, err := c.Renew(ctx, mid, pe.Offer)
	if err != nil || tok.ViewsLeftAtIssue != 1 {
		t.Fatalf("a renewal under the open offer: %+v, %v", tok, err)
	}
	// The same offer again: a replayed renewal.
	_, err = c.Renew(ctx, mid, pe.Offer)
	refused("a replayed renewal", err, message.StatusBadRequest, "already used")
	// An offer that restores, made while the license was exhausted, does
	// not renew it once it can play again.
	if _, _, err := playOnce(t, bed.ClientConfig(t), id, nil); err != nil {
		t.Fatal(err)
	}
	if _, err = c.StartPlay(ctx, mid); !errors.As(err, &pe) {
		t.Fatalf("exhausted again: %v", err)
	}
	if _, err := bed.Users.Store.Reset(ctx, tok.LicenseID, time.Now()); err != nil {
		t.Fatal(err)
	}
	_, err = c.Renew(ctx, mid, pe.Offer)
	refused("a renewal of a playable license", err, message.StatusBadRequest, "still playable")
	// Asked for before the license runs out, an offer extends it.
	o, err := c.Offer(ctx, mid)
	if err != nil || !o.Extends {
		t.Fatalf("an offer asked for a playable license: %+v, %v", o, err)
	}
	if tok, err = c.Renew(ctx, mid, o); err != nil || tok.ViewsLeftAtIssue != 2 {
		t.Fatalf("a renewal under an extending offer: %+v, %v", tok, err)
	}
	renewals, err := bed.Users.Store.ListEvents(ctx, license.EventFilter{Kind: license.EventRenew})
	if err != nil || len(renewals) != 2 {
		t.Fatalf("%d renew events, want 2 (%v)", len(renewals), err)
	}
}

func TestTheCatalogShowsNoLicenseBeforeTheFirstPlay(t *testing.T) {
	bed := userBed(t, testbed.UsersOptions{}, nil)
	id := bed.AddMediaWithPolicy(t, "Lola", randomMedia(t, testChunk), license.Policy{Views: 3, Period: 48 * time.Hour})
	ctx := context.Background()
	c := bed.Dial(t, bed.ClientConfig(t))
	defer c.Close(ctx)
	items, err := c.Catalog(ctx)
	if err != nil || len(items) != 1 || items[0].License.Known {
		t.Fatalf("catalog before a play: %+v, %v", items, err)
	}
	g, err := c.StartPlay(ctx, mediaID(t, id))
	if err != nil {
		t.Fatal(err)
	}
	// The play request issued the license and cost nothing.
	if l := catalogLicense(t, c); !l.Known || l.ViewsLeft != 3 || l.Expires.IsZero() || l.NeedsRenewal {
		t.Fatalf("catalog after a play request: %+v", l)
	}
	if _, err := c.Play(ctx, mediaID(t, id), io.Discard, client.PlayOptions{Grant: g.Grant}); err != nil {
		t.Fatal(err)
	}
	if l := catalogLicense(t, c); l.ViewsLeft != 2 {
		t.Fatalf("catalog after a play: %+v", l)
	}
}

func catalogLicense(t *testing.T, c *client.Conn) message.LicenseState {
	t.Helper()
	items, err := c.Catalog(context.Background())
	if err != nil || len(items) != 1 {
		t.Fatalf("catalog: %+v, %v", items, err)
	}
	return items[0].License
}

func TestLicensesAndCountersSurviveAServerRestart(t *testing.T) {
	for _, store := range stores {
		t.Run(store.name, func(t *testing.T) {
			bed := userBed(t, testbed.UsersOptions{Postgres: store.postgres}, nil)
			id := bed.AddMediaWithPolicy(t, "Apeman", randomMedia(t, testChunk), license.Policy{Views: 5})
			for range 2 {
				if _, _, err := playOnce(t, bed.ClientConfig(t), id, nil); err != nil {
					t.Fatal(err)
				}
			}
			bed.Restart(t)
			ctx := context.Background()
			c := bed.Dial(t, bed.ClientConfig(t))
			defer c.Close(ctx)
			ls, err := c.Licenses(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(ls) != 1 || ls[0].ViewsLeft != 3 || ls[0].Title != "Apeman" || ls[0].NeedsRenewal {
				t.Fatalf("licenses after restart: %+v, want Apeman with 3 views left", ls)
			}
			items, err := c.Catalog(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(items) != 1 || !items[0].License.Known || items[0].License.ViewsLeft != 3 {
				t.Fatalf("catalog after restart: %+v", items)
			}
			g, err := c.StartPlay(ctx, mediaID(t, id))
			if err != nil || g.Remaining != "2 views left" || g.Token.ViewsLeftAtIssue != 2 {
				t.Fatalf("play after restart: %v, %+v (a play says what it leaves once counted)", err, g)
			}
		})
	}
}

func TestWithoutLicensesAPlayNeedsNoGrant(t *testing.T) {
	bed := testbed.New(t, testbed.Options{ChunkSize: testChunk})
	data := randomMedia(t, 2*testChunk+1)
	id := bed.AddMedia(t, "Sunny Afternoon", data)
	got, st, err := playOnce(t, bed.ClientConfig(t), id, nil)
	if err != nil || !bytes.Equal(got, data) || st.Remaining != "no license needed" {
		t.Fatalf("play without licenses: %v, %+v", err, st)
	}
}

func TestAUserDisabledDuringASessionCannotFetchMore(t *testing.T) {
	bed := userBed(t, testbed.UsersOptions{}, nil)
	id := bed.AddMedia(t, "Waterloo Sunset", randomMedia(t, 4*testChunk))
	ctx := context.Background()
	c := bed.Dial(t, bed.ClientConfig(t))
	defer c.Close(ctx)
	g, err := c.StartPlay(ctx, mediaID(t, id))
	if err != nil {
		t.Fatal(err)
	}
	disable := func(st client.PlayStats) {
		if st.Chunks == 1 {
			if err := bed.Users.Store.SetUserDisabled(ctx, bed.Users.Card.SerialNumber, true, time.Now()); err != nil {
				t.Error(err)
			}
		}
	}
	var sink bytes.Buffer
	st, err := c.Play(ctx, mediaID(t, id), &sink, client.PlayOptions{ChunksPerRequest: 1, Grant: g.Grant, Progress: disable})
	var se *client.StatusError
	if !errors.As(err, &se) || se.Status != message.StatusForbidden || !strings.Contains(se.Message, "disabled") {
		t.Fatalf("err = %v, want forbidden: user disabled", err)
	}
	if st.Chunks != 1 {
		t.Fatalf("%d chunks played after the user was disabled at chunk 1", st.Chunks)
	}
}
