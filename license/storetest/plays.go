package storetest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"securemedia/license"
)

// The durable plays (DESIGN.md §7): one view is one pass, counted at the
// first chunk, refunded when the server fails, resumable after a transport
// fault.
var playTests = []storeTest{
	{"a play request is free and a retry in the same session returns the same play and grant", testStartIsFreeAndIdempotent},
	{"a play is counted once, at its first chunk", testCountAtFirstChunk},
	{"fifty parallel counts on a five-view license count exactly five", testParallelCounts},
	{"fifty parallel counts through two store instances count exactly five", testParallelCountsTwoInstances},
	{"one pass: a second pass is refused, a retransmit within the window and a forward jump are not", testOnePass},
	{"parallel fetches of one play cannot each make a pass", testParallelFetches},
	{"progress only moves up and is not an audit event", testProgressMonotonic},
	{"a fetch whose answer was lost stores nothing, and a resume continues from what the client has", testLostAnswer},
	{"a refund restores the view, says why and is audited", testRefund},
	{"a refund after a renewal restores nothing twice", testRefundAfterReset},
	{"a play resumes in another session of the same user on any instance", testResume},
	{"a resume ticket of another user, with a wrong secret or malformed is refused", testResumeRefusals},
	{"a play resumes while it is open or completed and within its window", testResumeLimits},
	{"a period that ends mid-play is reported as expired with an offer", testPeriodEndsMidPlay},
	{"revocation and a disabled user take effect at the next fetch", testRevokeAndDisable},
	{"the play's window follows the item and ends it", testPlayWindow},
	{"open plays are bounded per user", testOpenPlaysBounded},
	{"plays are listed by user, media and state", testListPlays},
	{"play requests are refused for payment, revocation and unknown or disabled users", testStartRefusals},
	{"grants that are not this server's play grants are refused", testPlayGrantRefusals},
	{"a database of the previous schema gains plays and offers and keeps its data", testMigration},
}

// device is a stand-in for the SHA-256 of a user's device certificate.
func device(user string) string {
	h := sha256.Sum256([]byte("device of " + user))
	return hex.EncodeToString(h[:])
}

// player is one play as a client drives it.
type player struct {
	t      testing.TB
	svc    *license.Service
	clock  *Clock
	user   string
	media  string
	policy license.Policy
	chunks uint32
	sid    []byte
	pg     license.PlayGrant
}

// start starts a play of media by user in a fresh session.
func (f *fixture) start(t testing.TB, user, media string, p license.Policy, chunks uint32) *player {
	t.Helper()
	pl := &player{t: t, svc: f.service, clock: f.clock, user: user, media: media, policy: p, chunks: chunks, sid: session(t)}
	pg, err := pl.request()
	if err != nil {
		t.Fatalf("start a play of %s by %s: %v", media, user, err)
	}
	pl.pg = pg
	return pl
}

// request sends the play request (again).
func (pl *player) request() (license.PlayGrant, error) {
	return pl.svc.StartPlay(context.Background(), license.PlayRequest{UserID: pl.user, Device: device(pl.user),
		MediaID: pl.media, Session: pl.sid, Policy: pl.policy, Chunks: pl.chunks})
}

// fetch runs a fetch of n chunks from first as the server does: it
// authorizes it, checks every chunk, counts the play before its first
// chunk goes out, and records the progress at the end. It returns how many
// chunks went out and what stopped it.
func (pl *player) fetch(first, n uint32) (uint32, error) {
	ctx := context.Background()
	a, err := pl.svc.Authorize(ctx, pl.pg.Grant, pl.sid, pl.media, first)
	if err != nil {
		return 0, err
	}
	var sent uint32
	for i := first; i < first+n; i++ {
		if err = a.Check(i, pl.clock.Now()); err != nil {
			err = pl.svc.Refusal(ctx, a, err)
			break
		}
		if !a.Counted() {
			if err = pl.svc.Count(ctx, a); err != nil {
				break
			}
		}
		a.Delivered(i)
		sent++
	}
	if perr := pl.svc.Progress(ctx, a); perr != nil {
		pl.t.Fatalf("progress: %v", perr)
	}
	return sent, err
}

// mustFetch is fetch that must deliver all n chunks.
func (pl *player) mustFetch(first, n uint32) {
	pl.t.Helper()
	if sent, err := pl.fetch(first, n); err != nil || sent != n {
		pl.t.Fatalf("fetch %d+%d: %d chunks sent, %v", first, n, sent, err)
	}
}

// authorize authorizes a fetch from first that must be allowed.
func (pl *player) authorize(first uint32) *license.Authorization {
	pl.t.Helper()
	a, err := pl.svc.Authorize(context.Background(), pl.pg.Grant, pl.sid, pl.media, first)
	if err != nil {
		pl.t.Fatalf("authorize a fetch from %d: %v", first, err)
	}
	return a
}

// play returns the play as stored.
func (pl *player) play(s license.Store) license.Play {
	pl.t.Helper()
	p, err := s.GetPlay(context.Background(), pl.pg.Play.ID)
	if err != nil {
		pl.t.Fatal(err)
	}
	return p
}

func viewsUsed(t testing.TB, s license.Store, user, media string) int {
	t.Helper()
	l, err := s.Find(context.Background(), user, media)
	if err != nil {
		t.Fatal(err)
	}
	return l.ViewsUsed
}

func testStartIsFreeAndIdempotent(t *testing.T, db DB) {
	ctx := context.Background()
	f := newFixture(t, db.Open(t))
	pl := f.start(t, alice, movie, license.Policy{Views: 5}, 12)
	if pl.pg.Play.State != license.PlayStarted || pl.pg.Play.NextChunk != 0 || pl.pg.Play.Chunks != 12 {
		t.Fatalf("started play = %+v", pl.pg.Play)
	}
	if len(pl.pg.Play.ID) != 32 || len(pl.pg.Ticket) != license.ResumeTicketSize || len(pl.pg.Grant) == 0 || len(pl.pg.Token) == 0 {
		t.Fatalf("play answer: id %q, ticket %d bytes, grant %d bytes, token %d bytes", pl.pg.Play.ID, len(pl.pg.Ticket), len(pl.pg.Grant), len(pl.pg.Token))
	}
	if got := viewsUsed(t, f.store, alice, movie); got != 0 {
		t.Fatalf("a play request consumed %d views", got)
	}
	// The token shows what is left once this play is counted.
	tok, err := license.VerifyToken(pl.pg.Token, TrustLeaf)
	if err != nil || tok.ViewsLeftAtIssue != 4 {
		t.Fatalf("token: %+v, %v; want 4 views left after this play", tok, err)
	}
	// Three dropped answers, then one delivered: the same play and grant.
	var again license.PlayGrant
	for i := 0; i < 4; i++ {
		if again, err = pl.request(); err != nil {
			t.Fatal(err)
		}
	}
	if again.Play.ID != pl.pg.Play.ID || string(again.Grant) != string(pl.pg.Grant) {
		t.Fatalf("a retried request gave play %s, want %s and the same grant", again.Play.ID, pl.pg.Play.ID)
	}
	if string(again.Ticket) == string(pl.pg.Ticket) {
		t.Fatal("a retried request kept the ticket secret (the store cannot know it)")
	}
	if got := viewsUsed(t, f.store, alice, movie); got != 0 {
		t.Fatalf("retried play requests consumed %d views", got)
	}
	// Only the newest ticket resumes.
	other := session(t)
	if _, err := f.service.Resume(ctx, license.ResumeRequest{UserID: alice, Ticket: pl.pg.Ticket, Session: other}); !errors.Is(err, license.ErrBadTicket) {
		t.Fatalf("resume with the superseded ticket: got %v, want ErrBadTicket", err)
	}
	if _, err := f.service.Resume(ctx, license.ResumeRequest{UserID: alice, Ticket: again.Ticket, Session: other}); err != nil {
		t.Fatalf("resume with the newest ticket: %v", err)
	}
	// Another session is another play.
	if pl2 := f.start(t, alice, movie, license.Policy{Views: 5}, 12); pl2.pg.Play.ID == pl.pg.Play.ID {
		t.Fatal("a play request in another session returned the same play")
	}
	counts := kindCounts(t, f.store)
	if counts[license.EventPlayStart] != 2 || counts[license.EventPlayCount] != 0 || counts[license.EventPlayResume] != 1 {
		t.Fatalf("audit events %v, want 2 play-start, 1 play-resume, no play-count", counts)
	}
}

func testCountAtFirstChunk(t *testing.T, db DB) {
	ctx := context.Background()
	f := newFixture(t, db.Open(t))
	pl := f.start(t, alice, movie, license.Policy{}, 12)
	a := pl.authorize(0)
	if a.Counted() || viewsUsed(t, f.store, alice, movie) != 0 {
		t.Fatal("authorizing a fetch consumed the view")
	}
	for i := 0; i < 3; i++ {
		if err := f.service.Count(ctx, a); err != nil {
			t.Fatalf("count %d: %v", i, err)
		}
	}
	if !a.Counted() || a.License().ViewsUsed != 1 || a.PlayID() != pl.pg.Play.ID || a.LicenseID() != pl.pg.License.ID {
		t.Fatalf("after count: counted %v, license %+v", a.Counted(), a.License())
	}
	if err := f.service.Progress(ctx, a); err != nil {
		t.Fatal(err)
	}
	// A fetch that read the play before the count, counted by another
	// fetch meanwhile, costs nothing either.
	b := pl.authorize(0)
	if !b.Counted() {
		t.Fatal("a counted play reads as not counted")
	}
	f.service.Progress(ctx, b)
	pl2 := f.start(t, alice, movie, license.Policy{}, 12)
	stale := pl2.authorize(0)
	racer := pl2.authorize(0)
	if err := f.service.Count(ctx, racer); err != nil {
		t.Fatal(err)
	}
	if err := f.service.Count(ctx, stale); err != nil {
		t.Fatal(err)
	}
	f.service.Progress(ctx, racer)
	f.service.Progress(ctx, stale)
	if got := viewsUsed(t, f.store, alice, movie); got != 2 {
		t.Fatalf("%d views used by two plays", got)
	}
	p := pl.play(f.store)
	if p.State != license.PlayCounted || !p.CountedAt.Equal(f.clock.Now()) {
		t.Fatalf("counted play = %+v", p)
	}
	if got := kindCounts(t, f.store)[license.EventPlayCount]; got != 2 {
		t.Fatalf("%d play-count events, want 2", got)
	}
}

// countConcurrently starts n plays of (alice, movie) on a five-view
// license, then runs their first fetches all at once, spread over the
// services, and returns how many were counted; every refusal must be a
// payment request with a stored offer.
func countConcurrently(t *testing.T, fixtures []*fixture, n int) int {
	players := make([]*player, n)
	for i := range players {
		players[i] = fixtures[i%len(fixtures)].start(t, alice, movie, license.DefaultPolicy, 12)
	}
	var ok atomic.Int64
	var wg sync.WaitGroup
	start := make(chan struct{})
	for _, pl := range players {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			sent, err := pl.fetch(0, 1)
			var pr *license.PaymentRequiredError
			switch {
			case err == nil && sent == 1:
				ok.Add(1)
			case errors.As(err, &pr) && errors.Is(err, license.ErrExhausted) && pr.Offer.ID != "" && sent == 0:
			default:
				t.Errorf("first fetch: %d sent, %v", sent, err)
			}
		}()
	}
	close(start)
	wg.Wait()
	return int(ok.Load())
}

func checkFiveCounted(t *testing.T, s license.Store) {
	t.Helper()
	if got := viewsUsed(t, s, alice, movie); got != 5 {
		t.Fatalf("%d views used, want 5", got)
	}
	counted, err := s.ListPlays(context.Background(), license.PlayFilter{UserID: alice, State: license.PlayCounted})
	if err != nil || len(counted) != 5 {
		t.Fatalf("%d counted plays (%v), want 5", len(counted), err)
	}
	if _, _, err := license.VerifyStore(context.Background(), s); err != nil {
		t.Fatalf("audit log: %v", err)
	}
	if got := kindCounts(t, s)[license.EventPlayCount]; got != 5 {
		t.Fatalf("%d play-count events, want 5", got)
	}
}

func testParallelCounts(t *testing.T, db DB) {
	f := newFixture(t, db.Open(t))
	if got := countConcurrently(t, []*fixture{f}, 50); got != 5 {
		t.Fatalf("%d plays counted, want exactly 5", got)
	}
	checkFiveCounted(t, f.store)
}

func testParallelCountsTwoInstances(t *testing.T, db DB) {
	a, b := newFixture(t, db.Open(t)), newFixture(t, db.Open(t))
	if got := countConcurrently(t, []*fixture{a, b}, 50); got != 5 {
		t.Fatalf("%d plays counted, want exactly 5", got)
	}
	checkFiveCounted(t, a.store)
}

func testOnePass(t *testing.T, db DB) {
	f := newFixture(t, db.Open(t))
	pl := f.start(t, alice, movie, license.Policy{}, 40)
	pl.mustFetch(0, 20)
	if p := pl.play(f.store); p.NextChunk != 20 || p.State != license.PlayCounted {
		t.Fatalf("after 20 chunks: %+v", p)
	}
	// A second pass from chunk 0, or any chunk below the window, is refused.
	for _, first := range []uint32{0, 20 - license.RetransmitWindow - 1} {
		_, err := pl.fetch(first, 4)
		var ad *license.AlreadyDeliveredError
		if !errors.As(err, &ad) || !errors.Is(err, license.ErrAlreadyDelivered) || ad.Next != 20 || ad.Chunk != first {
			t.Fatalf("fetch from %d after 20 delivered: got %v, want *AlreadyDeliveredError", first, err)
		}
		if !strings.Contains(err.Error(), "start a new play") {
			t.Fatalf("refusal %q does not say what to do", err)
		}
	}
	// A retransmit within the window is allowed and moves nothing back.
	pl.mustFetch(20-license.RetransmitWindow, license.RetransmitWindow)
	if p := pl.play(f.store); p.NextChunk != 20 {
		t.Fatalf("a retransmit moved next chunk to %d", p.NextChunk)
	}
	// A forward jump gives less; it is allowed, and the play completes.
	pl.mustFetch(30, 10)
	p := pl.play(f.store)
	if p.State != license.PlayCompleted || p.NextChunk != 40 || !p.EndedAt.Equal(f.clock.Now()) {
		t.Fatalf("after the last chunk: %+v", p)
	}
	if _, err := pl.fetch(0, 1); !errors.Is(err, license.ErrAlreadyDelivered) {
		t.Fatalf("a second pass of a completed play: got %v", err)
	}
	// The window's chunks stay available to the completed play.
	pl.mustFetch(40-license.RetransmitWindow, license.RetransmitWindow)
	// One view for that pass; a new play is a new view.
	if got := viewsUsed(t, f.store, alice, movie); got != 1 {
		t.Fatalf("%d views used by one pass", got)
	}
	again := f.start(t, alice, movie, license.Policy{}, 40)
	again.mustFetch(0, 40)
	if got := viewsUsed(t, f.store, alice, movie); got != 2 {
		t.Fatalf("%d views used by two passes", got)
	}
	counts := kindCounts(t, f.store)
	if counts[license.EventPlayComplete] != 2 || counts[license.EventPlayCount] != 2 {
		t.Fatalf("audit events %v, want 2 play-count and 2 play-complete", counts)
	}
	// The per-chunk check refuses what lies outside the item.
	a, err := f.service.Authorize(context.Background(), again.pg.Grant, again.sid, movie, 39)
	if err != nil {
		t.Fatal(err)
	}
	defer f.service.Progress(context.Background(), a)
	if err := a.Check(40, f.clock.Now()); !errors.Is(err, license.ErrInvalidInput) {
		t.Fatalf("chunk 40 of 40: got %v, want ErrInvalidInput", err)
	}
	if _, err := f.service.Authorize(context.Background(), again.pg.Grant, again.sid, movie, 40); !errors.Is(err, license.ErrInvalidInput) {
		t.Fatalf("a fetch from chunk 40 of 40: got %v, want ErrInvalidInput", err)
	}
}

func testParallelFetches(t *testing.T, db DB) {
	ctx := context.Background()
	f := newFixture(t, db.Open(t))
	pl := f.start(t, alice, movie, license.Policy{}, 12)
	older := pl.authorize(0)
	if err := f.service.Count(ctx, older); err != nil {
		t.Fatal(err)
	}
	for i := uint32(0); i < 10; i++ {
		if err := older.Check(i, f.clock.Now()); err != nil {
			t.Fatalf("chunk %d: %v", i, err)
		}
		older.Delivered(i)
	}
	// Before the older fetch has stored its progress, a second fetch from
	// chunk 0 is refused from memory...
	if _, err := f.service.Authorize(ctx, pl.pg.Grant, pl.sid, movie, 0); !errors.Is(err, license.ErrAlreadyDelivered) {
		t.Fatalf("a parallel second pass: got %v, want ErrAlreadyDelivered", err)
	}
	// ...and a newer fetch within the window supersedes the older one,
	// which stops at its next chunk.
	newer := pl.authorize(10 - license.RetransmitWindow)
	if err := older.Check(10, f.clock.Now()); !errors.Is(err, license.ErrSuperseded) {
		t.Fatalf("the older fetch after a newer one: got %v, want ErrSuperseded", err)
	}
	if err := newer.Check(10, f.clock.Now()); err != nil {
		t.Fatal(err)
	}
	newer.Delivered(10)
	if err := f.service.Progress(ctx, older); err != nil {
		t.Fatal(err)
	}
	if err := f.service.Progress(ctx, newer); err != nil {
		t.Fatal(err)
	}
	if p := pl.play(f.store); p.NextChunk != 11 {
		t.Fatalf("next chunk %d after chunks 0..10, want 11", p.NextChunk)
	}
	if got := viewsUsed(t, f.store, alice, movie); got != 1 {
		t.Fatalf("%d views used", got)
	}
}

func testProgressMonotonic(t *testing.T, db DB) {
	ctx := context.Background()
	f := newFixture(t, db.Open(t))
	pl := f.start(t, alice, movie, license.Policy{}, 12)
	// Progress of a play not counted changes nothing.
	if p, err := f.store.RecordProgress(ctx, pl.pg.Play.ID, 5, f.clock.Now()); err != nil || p.NextChunk != 0 || p.State != license.PlayStarted {
		t.Fatalf("progress of a started play: %+v, %v", p, err)
	}
	pl.mustFetch(0, 1)
	before := len(allEvents(t, f.store))
	for _, c := range []struct{ next, want uint32 }{{6, 6}, {3, 6}, {6, 6}, {9, 9}} {
		p, err := f.store.RecordProgress(ctx, pl.pg.Play.ID, c.next, f.clock.Now())
		if err != nil || p.NextChunk != c.want || p.State != license.PlayCounted {
			t.Fatalf("progress to %d: %+v, %v; want next %d", c.next, p, err, c.want)
		}
	}
	if after := len(allEvents(t, f.store)); after != before {
		t.Fatalf("progress updates appended %d audit events", after-before)
	}
	// Past the end completes the play at its chunk count.
	p, err := f.store.RecordProgress(ctx, pl.pg.Play.ID, 100, f.clock.Now())
	if err != nil || p.NextChunk != 12 || p.State != license.PlayCompleted {
		t.Fatalf("progress past the end: %+v, %v", p, err)
	}
	if _, err := f.store.RecordProgress(ctx, "00112233445566778899aabbccddeeff", 1, f.clock.Now()); !errors.Is(err, license.ErrUnknownPlay) {
		t.Fatalf("progress of an unknown play: got %v", err)
	}
}

func testLostAnswer(t *testing.T, db DB) {
	ctx := context.Background()
	f := newFixture(t, db.Open(t))
	pl := f.start(t, alice, movie, license.Policy{Views: 5}, 40)
	pl.mustFetch(0, 10)
	// The server writes chunks 10..29; the connection breaks after the
	// client received chunk 13, before the server noticed.
	lost := pl.authorize(10)
	for i := uint32(10); i < 30; i++ {
		if err := lost.Check(i, f.clock.Now()); err != nil {
			t.Fatalf("chunk %d: %v", i, err)
		}
		lost.Delivered(i)
	}
	// The client resumes in a new session on the same server: the fetch
	// still in flight is superseded, and the play's position is the
	// store's again.
	sid := session(t)
	pg, err := f.service.Resume(ctx, license.ResumeRequest{UserID: alice, Ticket: pl.pg.Ticket, Session: sid})
	if err != nil || pg.Play.NextChunk != 10 {
		t.Fatalf("resume: %+v, %v; want next chunk 10", pg.Play, err)
	}
	if err := lost.Check(30, f.clock.Now()); !errors.Is(err, license.ErrSuperseded) {
		t.Fatalf("the lost fetch after the resume: got %v, want ErrSuperseded", err)
	}
	f.service.Forget(lost)
	f.service.Forget(lost) // idempotent
	if p := pl.play(f.store); p.NextChunk != 10 {
		t.Fatalf("a lost answer stored progress: next chunk %d, want 10", p.NextChunk)
	}
	resumed := &player{t: t, svc: f.service, clock: f.clock, user: alice, media: movie, chunks: 40, sid: sid, pg: pg}
	resumed.mustFetch(14, 26)
	if p := resumed.play(f.store); p.State != license.PlayCompleted {
		t.Fatalf("after the resumed fetch: %+v", p)
	}
	if got := viewsUsed(t, f.store, alice, movie); got != 1 {
		t.Fatalf("%d views used", got)
	}
}

func testRefund(t *testing.T, db DB) {
	ctx := context.Background()
	f := newFixture(t, db.Open(t))
	pl := f.start(t, alice, movie, license.Policy{Views: 5}, 12)
	pl.mustFetch(0, 3)
	a := pl.authorize(3)
	const reason = "the server's stored copy of chunk 3 failed its integrity check"
	p, err := f.service.Refund(ctx, a, reason)
	if err != nil {
		t.Fatal(err)
	}
	if p.State != license.PlayRefunded || p.Reason != reason || p.NextChunk != 3 || !p.EndedAt.Equal(f.clock.Now()) {
		t.Fatalf("refunded play = %+v", p)
	}
	if got := viewsUsed(t, f.store, alice, movie); got != 0 {
		t.Fatalf("%d views used after the refund, want 0", got)
	}
	if a.License().ViewsUsed != 0 {
		t.Fatalf("the authorization's license after the refund: %+v", a.License())
	}
	if err := f.service.Progress(ctx, a); err != nil {
		t.Fatalf("progress after a refund: %v", err)
	}
	if _, err := pl.fetch(3, 1); !errors.Is(err, license.ErrPlayEnded) {
		t.Fatalf("a fetch of a refunded play: got %v, want ErrPlayEnded", err)
	}
	if _, err := f.service.Refund(ctx, a, "again"); err == nil {
		t.Fatal("a second refund through an ended fetch succeeded")
	}
	if _, _, err := f.store.RefundPlay(ctx, p.ID, 3, "again", f.clock.Now()); !errors.Is(err, license.ErrPlayEnded) {
		t.Fatalf("a second refund: got %v, want ErrPlayEnded", err)
	}
	events, err := f.store.ListEvents(ctx, license.EventFilter{Kind: license.EventPlayRefund})
	if err != nil || len(events) != 1 || !strings.Contains(events[0].Detail, reason) || !strings.Contains(events[0].Detail, "view restored") ||
		!strings.HasPrefix(events[0].Detail, license.PlayDetail(p.ID)) {
		t.Fatalf("refund events: %+v, %v", events, err)
	}
	// A play that fails before its first chunk cost nothing: abandoned.
	pl2 := f.start(t, alice, movie, license.Policy{Views: 5}, 12)
	a2 := pl2.authorize(0)
	p2, err := f.service.Refund(ctx, a2, "chunk 0 is unavailable")
	if err != nil || p2.State != license.PlayAbandoned || !strings.Contains(p2.Reason, "chunk 0 is unavailable") {
		t.Fatalf("refund before the count: %+v, %v", p2, err)
	}
	if got := viewsUsed(t, f.store, alice, movie); got != 0 {
		t.Fatalf("%d views used", got)
	}
	if _, _, err := license.VerifyStore(ctx, f.store); err != nil {
		t.Fatal(err)
	}
}

func testRefundAfterReset(t *testing.T, db DB) {
	ctx := context.Background()
	f := newFixture(t, db.Open(t))
	pl := f.start(t, alice, movie, license.Policy{Views: 2}, 12)
	pl.mustFetch(0, 2)
	f.clock.Advance(time.Minute)
	if _, err := f.store.Reset(ctx, pl.pg.License.ID, f.clock.Now()); err != nil {
		t.Fatal(err)
	}
	other := f.start(t, alice, movie, license.Policy{Views: 2}, 12)
	other.mustFetch(0, 1)
	p, l, err := f.store.RefundPlay(ctx, pl.pg.Play.ID, 2, "aborted", f.clock.Now())
	if err != nil || p.State != license.PlayRefunded {
		t.Fatalf("refund: %+v, %v", p, err)
	}
	if l.ViewsUsed != 1 {
		t.Fatalf("views used %d after refunding a play counted before the reset, want 1 (the newer play's)", l.ViewsUsed)
	}
}

func testResume(t *testing.T, db DB) {
	ctx := context.Background()
	f := newFixture(t, db.Open(t))
	pl := f.start(t, alice, movie, license.Policy{Views: 5}, 12)
	pl.mustFetch(0, 5)
	// The server dies; the client resumes on another instance sharing the
	// store, in a fresh session.
	replica := newFixture(t, db.Open(t))
	sid := session(t)
	pg, err := replica.service.Resume(ctx, license.ResumeRequest{UserID: alice, Device: device(alice), Ticket: pl.pg.Ticket, Session: sid})
	if err != nil {
		t.Fatal(err)
	}
	if pg.Play.ResumeHash != sha256.Sum256(pl.pg.Ticket[16:]) {
		t.Fatal("the store does not keep the SHA-256 of the ticket's secret")
	}
	if pg.Play.ID != pl.pg.Play.ID || pg.Play.NextChunk != 5 || pg.Play.State != license.PlayCounted || pg.Play.Resumes != 1 ||
		string(pg.Ticket) != string(pl.pg.Ticket) || len(pg.Grant) == 0 {
		t.Fatalf("resumed play = %+v", pg.Play)
	}
	// The old session's grant stops working; the new one continues.
	if _, err := pl.fetch(5, 1); !errors.Is(err, license.ErrBadGrant) {
		t.Fatalf("a fetch in the old session after the resume: got %v, want ErrBadGrant", err)
	}
	resumed := &player{t: t, svc: replica.service, clock: f.clock, user: alice, media: movie, chunks: 12, sid: sid, pg: pg}
	resumed.mustFetch(5, 7)
	if p := resumed.play(f.store); p.State != license.PlayCompleted {
		t.Fatalf("after the resumed fetch: %+v", p)
	}
	if got := viewsUsed(t, f.store, alice, movie); got != 1 {
		t.Fatalf("%d views used by a resumed play", got)
	}
	events, err := f.store.ListEvents(ctx, license.EventFilter{PlayID: pl.pg.Play.ID})
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range events {
		kinds = append(kinds, e.Kind)
	}
	want := []string{license.EventPlayStart, license.EventPlayCount, license.EventPlayResume, license.EventPlayComplete}
	if strings.Join(kinds, " ") != strings.Join(want, " ") {
		t.Fatalf("the play's events %v, want %v", kinds, want)
	}
	// A started play resumes too (a fault before the first chunk).
	pl2 := f.start(t, alice, movie, license.Policy{Views: 5}, 12)
	if pg, err := f.service.Resume(ctx, license.ResumeRequest{UserID: alice, Ticket: pl2.pg.Ticket, Session: session(t)}); err != nil || pg.Play.State != license.PlayStarted {
		t.Fatalf("resume of a started play: %+v, %v", pg.Play, err)
	}
}

func testResumeRefusals(t *testing.T, db DB) {
	ctx := context.Background()
	f := newFixture(t, db.Open(t))
	pl := f.start(t, alice, movie, license.Policy{Views: 5}, 12)
	pl.mustFetch(0, 2)
	unknown := make([]byte, license.ResumeTicketSize)
	rand.Read(unknown)
	cases := []struct {
		name   string
		user   string
		ticket []byte
	}{
		{"another user's ticket", bob, pl.pg.Ticket},
		{"a wrong secret", alice, flipped(pl.pg.Ticket, license.ResumeTicketSize-1)},
		{"another play's id", alice, flipped(pl.pg.Ticket, 0)},
		{"an unknown play", alice, unknown},
		{"a truncated ticket", alice, pl.pg.Ticket[:license.ResumeTicketSize-1]},
		{"no ticket", alice, nil},
	}
	for _, c := range cases {
		if _, err := f.service.Resume(ctx, license.ResumeRequest{UserID: c.user, Ticket: c.ticket, Session: session(t)}); !errors.Is(err, license.ErrBadTicket) {
			t.Errorf("%s: got %v, want ErrBadTicket", c.name, err)
		}
	}
	if p := pl.play(f.store); p.Session != hex.EncodeToString(pl.sid) || p.Resumes != 0 {
		t.Fatalf("a refused resume moved the play: %+v", p)
	}
	pl.mustFetch(2, 1)
}

func flipped(b []byte, i int) []byte {
	c := append([]byte(nil), b...)
	c[i] ^= 1
	return c
}

func testResumeLimits(t *testing.T, db DB) {
	ctx := context.Background()
	f := newFixture(t, db.Open(t))
	resume := func(pl *player) error {
		_, err := f.service.Resume(ctx, license.ResumeRequest{UserID: alice, Ticket: pl.pg.Ticket, Session: session(t)})
		return err
	}
	// A completed play resumes for its last RetransmitWindow chunks only:
	// its last answer may have been lost after the server wrote it.
	completed := f.start(t, alice, movie, license.Policy{}, 12)
	completed.mustFetch(0, 12)
	sid := session(t)
	pg, err := f.service.Resume(ctx, license.ResumeRequest{UserID: alice, Ticket: completed.pg.Ticket, Session: sid})
	if err != nil || pg.Play.State != license.PlayCompleted || pg.Play.NextChunk != 12 {
		t.Fatalf("resume of a completed play: %+v, %v", pg.Play, err)
	}
	completed.sid, completed.pg = sid, pg
	completed.mustFetch(12-license.RetransmitWindow, license.RetransmitWindow)
	if _, err := completed.fetch(12-license.RetransmitWindow-1, 1); !errors.Is(err, license.ErrAlreadyDelivered) {
		t.Fatalf("a resumed completed play below its window: got %v, want ErrAlreadyDelivered", err)
	}
	if got := viewsUsed(t, f.store, alice, movie); got != 1 {
		t.Fatalf("%d views used by a completed play resumed", got)
	}
	refunded := f.start(t, alice, movie, license.Policy{}, 12)
	refunded.mustFetch(0, 1)
	if _, _, err := f.store.RefundPlay(ctx, refunded.pg.Play.ID, 1, "aborted", f.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if err := resume(refunded); !errors.Is(err, license.ErrPlayEnded) {
		t.Fatalf("resume of a refunded play: got %v, want ErrPlayEnded", err)
	}
	often := f.start(t, alice, movie, license.Policy{}, 12)
	for i := 0; i < license.MaxResumes; i++ {
		if err := resume(often); err != nil {
			t.Fatalf("resume %d: %v", i+1, err)
		}
	}
	if err := resume(often); !errors.Is(err, license.ErrTooManyResumes) {
		t.Fatalf("resume %d: got %v, want ErrTooManyResumes", license.MaxResumes+1, err)
	}
	late := f.start(t, alice, song, license.Policy{}, 12)
	late.mustFetch(0, 1)
	revoked := f.start(t, bob, song, license.Policy{}, 12)
	revoked.mustFetch(0, 1)
	if err := f.store.Revoke(ctx, revoked.pg.License.ID, "chargeback", f.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := f.service.Resume(ctx, license.ResumeRequest{UserID: bob, Ticket: revoked.pg.Ticket, Session: session(t)}); !errors.Is(err, license.ErrRevoked) {
		t.Fatalf("resume under a revoked license: got %v, want ErrRevoked", err)
	}
	f.clock.Advance(license.DefaultPlayWindow)
	if err := resume(late); !errors.Is(err, license.ErrPlayExpired) {
		t.Fatalf("resume after the window: got %v, want ErrPlayExpired", err)
	}
}

func testPeriodEndsMidPlay(t *testing.T, db DB) {
	ctx := context.Background()
	f := newFixture(t, db.Open(t))
	p := license.Policy{Period: time.Hour}
	pl := &player{t: t, svc: f.service, clock: f.clock, user: alice, media: movie, policy: p, chunks: 12, sid: session(t)}
	var err error
	if pl.pg, err = f.service.StartPlay(ctx, license.PlayRequest{UserID: alice, MediaID: movie, Session: pl.sid, Policy: p, Chunks: 12, Duration: 50 * time.Minute}); err != nil {
		t.Fatal(err)
	}
	pl.mustFetch(0, 4)
	// The period ends during a fetch: the per-chunk check stops it, and the
	// answer is the expiry with an offer.
	a := pl.authorize(4)
	f.clock.Advance(time.Hour)
	cerr := a.Check(4, f.clock.Now())
	if !errors.Is(cerr, license.ErrExpired) {
		t.Fatalf("per-chunk check after the period: got %v, want ErrExpired", cerr)
	}
	var pr *license.PaymentRequiredError
	if err := f.service.Refusal(ctx, a, cerr); !errors.As(err, &pr) || !errors.Is(err, license.ErrExpired) || pr.Offer.ID == "" {
		t.Fatalf("refusal: got %v, want a payment request with an offer", err)
	}
	f.service.Progress(ctx, a)
	// The next fetch too, though the play's window (100 min + margin) is
	// still open.
	if _, err := pl.fetch(4, 1); !errors.As(err, &pr) || !errors.Is(err, license.ErrExpired) || pr.Offer.ID == "" {
		t.Fatalf("fetch after the period: got %v, want a payment request with an offer", err)
	}
	// Once the play's window is over as well, the license's expiry still
	// comes first: it is what the viewer can act on.
	f.clock.Advance(time.Hour)
	if _, err := pl.fetch(4, 1); !errors.As(err, &pr) || !errors.Is(err, license.ErrExpired) {
		t.Fatalf("fetch after the period and the window: got %v, want a payment request", err)
	}
}

func testRevokeAndDisable(t *testing.T, db DB) {
	ctx := context.Background()
	f := newFixture(t, db.Open(t))
	operator := db.Open(t) // the operator's CLI is another process
	pl := f.start(t, alice, movie, license.Policy{}, 12)
	pl.mustFetch(0, 2)
	if err := operator.Revoke(ctx, pl.pg.License.ID, "abuse", f.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := pl.fetch(2, 1); !errors.Is(err, license.ErrRevoked) {
		t.Fatalf("next fetch after revocation: got %v, want ErrRevoked", err)
	}
	if _, err := f.service.StartPlay(ctx, license.PlayRequest{UserID: alice, MediaID: movie, Session: session(t), Chunks: 12}); !errors.Is(err, license.ErrRevoked) {
		t.Fatalf("play after revocation: got %v, want ErrRevoked", err)
	}
	if offers := kindCounts(t, f.store)[license.EventOffer]; offers != 0 {
		t.Fatalf("%d offers for a revoked license", offers)
	}
	pl2 := f.start(t, bob, movie, license.Policy{}, 12)
	pl2.mustFetch(0, 2)
	if err := operator.SetUserDisabled(ctx, bob, true, f.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := pl2.fetch(2, 1); !errors.Is(err, license.ErrUserDisabled) {
		t.Fatalf("next fetch after disabling the user: got %v, want ErrUserDisabled", err)
	}
}

func testPlayWindow(t *testing.T, db DB) {
	ctx := context.Background()
	for _, c := range []struct {
		duration, window, want time.Duration
	}{
		{3 * time.Minute, 0, 16 * time.Minute},
		{2 * time.Hour, time.Hour, 4*time.Hour + 10*time.Minute},
		{0, 0, license.DefaultPlayWindow},
		{0, 90 * time.Minute, 90 * time.Minute},
		{30 * 24 * time.Hour, 0, license.MaxPlayWindow},
	} {
		if got := license.PlayLifetime(c.duration, c.window); got != c.want {
			t.Errorf("PlayLifetime(%s, %s) = %s, want %s", c.duration, c.window, got, c.want)
		}
	}
	s := db.Open(t)
	f := newFixture(t, s)
	signer, chain := NewSigner(t)
	svc, err := license.New(license.Config{Store: s, Signer: signer, Chain: chain, PlayWindow: 30 * time.Minute, Now: f.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	sid := session(t)
	pg, err := svc.StartPlay(ctx, license.PlayRequest{UserID: alice, MediaID: movie, Session: sid, Chunks: 12})
	if err != nil {
		t.Fatal(err)
	}
	if want := f.clock.Now().Add(30 * time.Minute); !pg.Play.ExpiresAt.Equal(want) {
		t.Fatalf("window of an item of unknown duration ends %s, want %s", pg.Play.ExpiresAt, want)
	}
	pl := &player{t: t, svc: svc, clock: f.clock, user: alice, media: movie, chunks: 12, sid: sid, pg: pg}
	pl.mustFetch(0, 3)
	a := pl.authorize(3)
	f.clock.Advance(30 * time.Minute)
	if err := a.Check(3, f.clock.Now()); !errors.Is(err, license.ErrPlayExpired) {
		t.Fatalf("per-chunk check after the window: got %v, want ErrPlayExpired", err)
	}
	svc.Progress(ctx, a)
	if _, err := pl.fetch(3, 1); !errors.Is(err, license.ErrPlayExpired) {
		t.Fatalf("fetch after the window: got %v, want ErrPlayExpired", err)
	}
	// A started play that ran out, too; the sweep abandons both.
	if _, err := svc.StartPlay(ctx, license.PlayRequest{UserID: bob, MediaID: movie, Session: session(t), Chunks: 12}); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Hour)
	plays, _, err := svc.Sweep(ctx)
	if err != nil || plays != 2 {
		t.Fatalf("sweep abandoned %d plays (%v), want 2", plays, err)
	}
	if p := pl.play(s); p.State != license.PlayAbandoned || p.Reason == "" {
		t.Fatalf("expired play after the sweep: %+v", p)
	}
	if got := viewsUsed(t, s, alice, movie); got != 1 {
		t.Fatalf("an abandoned counted play: %d views used, want 1 (not refunded)", got)
	}
	if plays, _, err := svc.Sweep(ctx); err != nil || plays != 0 {
		t.Fatalf("second sweep: %d, %v", plays, err)
	}
	if _, err := license.New(license.Config{Store: s, Signer: signer, PlayWindow: license.MaxPlayWindow + time.Hour}); err == nil {
		t.Fatal("a play window beyond MaxPlayWindow was accepted")
	}
}

func testOpenPlaysBounded(t *testing.T, db DB) {
	ctx := context.Background()
	f := newFixture(t, db.Open(t))
	first := f.start(t, alice, movie, license.Policy{}, 12)
	for i := 0; i < license.MaxOpenPlays; i++ {
		f.clock.Advance(time.Second)
		f.start(t, alice, movie, license.Policy{}, 12)
	}
	open, err := f.store.ListPlays(ctx, license.PlayFilter{UserID: alice, State: license.PlayStarted})
	if err != nil || len(open) != license.MaxOpenPlays {
		t.Fatalf("%d open plays (%v), want %d", len(open), err, license.MaxOpenPlays)
	}
	if p := first.play(f.store); p.State != license.PlayAbandoned || !strings.Contains(p.Reason, "superseded") {
		t.Fatalf("the oldest open play: %+v", p)
	}
	// Counted plays are not capped (each cost a view).
	if _, err := first.fetch(0, 1); !errors.Is(err, license.ErrPlayEnded) {
		t.Fatalf("fetch of a superseded play: got %v, want ErrPlayEnded", err)
	}

	// A service may keep more, or fewer, open ([license] max_open_plays).
	signer, chain := NewSigner(t)
	f.service, err = license.New(license.Config{Store: f.store, Signer: signer, Chain: chain, Grants: f.grants, Now: f.clock.Now, MaxOpenPlays: 2})
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Second)
	f.start(t, bob, movie, license.Policy{}, 12)
	f.clock.Advance(time.Second)
	f.start(t, bob, movie, license.Policy{}, 12)
	f.clock.Advance(time.Second)
	f.start(t, bob, movie, license.Policy{}, 12)
	if open, err := f.store.ListPlays(ctx, license.PlayFilter{UserID: bob, State: license.PlayStarted}); err != nil || len(open) != 2 {
		t.Fatalf("%d open plays of a service that keeps 2 (%v)", len(open), err)
	}
}

func testListPlays(t *testing.T, db DB) {
	ctx := context.Background()
	f := newFixture(t, db.Open(t))
	a1 := f.start(t, alice, movie, license.Policy{}, 12)
	a1.mustFetch(0, 1)
	f.clock.Advance(time.Second)
	f.start(t, alice, song, license.Policy{}, 12)
	f.clock.Advance(time.Second)
	f.start(t, bob, movie, license.Policy{}, 12)
	for _, c := range []struct {
		filter license.PlayFilter
		want   int
	}{
		{license.PlayFilter{}, 3},
		{license.PlayFilter{UserID: alice}, 2},
		{license.PlayFilter{MediaID: movie}, 2},
		{license.PlayFilter{UserID: alice, State: license.PlayCounted}, 1},
		{license.PlayFilter{State: license.PlayRefunded}, 0},
		{license.PlayFilter{Limit: 1}, 1},
	} {
		got, err := f.store.ListPlays(ctx, c.filter)
		if err != nil || len(got) != c.want {
			t.Errorf("ListPlays(%+v) = %d plays, %v; want %d", c.filter, len(got), err, c.want)
		}
	}
	all, err := f.store.ListPlays(ctx, license.PlayFilter{})
	if err != nil || all[0].UserID != bob || all[2].ID != a1.pg.Play.ID {
		t.Fatalf("plays not newest first: %+v", all)
	}
	if got := all[2]; got.Device != device(alice) || got.LicenseID != a1.pg.License.ID || got.MediaID != movie {
		t.Fatalf("listed play = %+v", got)
	}
	if _, err := license.ParsePlayState("paused"); !errors.Is(err, license.ErrInvalidInput) {
		t.Fatalf("ParsePlayState(paused): %v", err)
	}
	if _, err := f.store.GetPlay(ctx, "00112233445566778899aabbccddeeff"); !errors.Is(err, license.ErrUnknownPlay) {
		t.Fatalf("GetPlay(unknown): %v", err)
	}
}

func testStartRefusals(t *testing.T, db DB) {
	ctx := context.Background()
	f := newFixture(t, db.Open(t))
	one := license.Policy{Views: 1}
	pl := f.start(t, alice, movie, one, 12)
	pl.mustFetch(0, 1)
	_, err := f.service.StartPlay(ctx, license.PlayRequest{UserID: alice, MediaID: movie, Session: session(t), Policy: one, Chunks: 12})
	var pr *license.PaymentRequiredError
	if !errors.As(err, &pr) || !errors.Is(err, license.ErrExhausted) {
		t.Fatalf("play of an exhausted license: got %v, want a payment request", err)
	}
	if o := pr.Offer; o.ID == "" || o.State != license.OfferOpen || o.LicenseID != pl.pg.License.ID || o.UserID != alice ||
		o.MediaID != movie || o.Policy != one || o.Extends || o.Amount != license.DefaultPrice ||
		!o.ExpiresAt.Equal(f.clock.Now().Add(license.DefaultOfferLifetime)) {
		t.Fatalf("offer = %+v", o)
	}
	if pr.License.ViewsUsed != 1 {
		t.Fatalf("license in the refusal = %+v", pr.License)
	}
	if _, err := f.service.StartPlay(ctx, license.PlayRequest{UserID: "stranger", MediaID: movie, Session: session(t), Chunks: 12}); !errors.Is(err, license.ErrUnknownUser) {
		t.Fatalf("unknown user: got %v", err)
	}
	if err := f.store.SetUserDisabled(ctx, bob, true, f.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := f.service.StartPlay(ctx, license.PlayRequest{UserID: bob, MediaID: movie, Session: session(t), Chunks: 12}); !errors.Is(err, license.ErrUserDisabled) {
		t.Fatalf("disabled user: got %v", err)
	}
	long := strings.Repeat("x", license.MaxIDLen+1)
	for name, r := range map[string]license.PlayRequest{
		"a long media id":   {UserID: alice, MediaID: long, Session: session(t), Chunks: 12},
		"no session":        {UserID: alice, MediaID: song, Chunks: 12},
		"no chunks":         {UserID: alice, MediaID: song, Session: session(t)},
		"a long device":     {UserID: alice, MediaID: song, Session: session(t), Chunks: 12, Device: long},
		"a negative policy": {UserID: alice, MediaID: song, Session: session(t), Chunks: 12, Policy: license.Policy{Views: -1}},
	} {
		if _, err := f.service.StartPlay(ctx, r); !errors.Is(err, license.ErrInvalidInput) && !errors.Is(err, license.ErrInvalidPolicy) {
			t.Errorf("%s: got %v, want ErrInvalidInput", name, err)
		}
	}
}

func testPlayGrantRefusals(t *testing.T, db DB) {
	ctx := context.Background()
	f := newFixture(t, db.Open(t))
	pl := f.start(t, alice, movie, license.Policy{}, 12)
	foreign, err := license.NewGrants(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		grant   []byte
		session []byte
		media   string
	}{
		{"no grant", nil, pl.sid, movie},
		{"another session", pl.pg.Grant, session(t), movie},
		{"another media", pl.pg.Grant, pl.sid, song},
		{"a flipped MAC bit", flipped(pl.pg.Grant, len(pl.pg.Grant)-1), pl.sid, movie},
		{"another server's key", foreign.IssuePlay(pl.sid, movie, pl.pg.Play.ID, f.clock.Now().Add(time.Hour)), pl.sid, movie},
	}
	for _, c := range cases {
		if _, err := f.service.Authorize(ctx, c.grant, c.session, c.media, 0); !errors.Is(err, license.ErrBadGrant) {
			t.Errorf("%s: got %v, want ErrBadGrant", c.name, err)
		}
	}
	// A grant for a play the store does not know.
	ghost := f.grants.IssuePlay(pl.sid, movie, "00112233445566778899aabbccddeeff", f.clock.Now().Add(time.Hour))
	if _, err := f.service.Authorize(ctx, ghost, pl.sid, movie, 0); !errors.Is(err, license.ErrUnknownPlay) {
		t.Fatalf("a grant for an unknown play: got %v, want ErrUnknownPlay", err)
	}
	pl.mustFetch(0, 1)
}

func testMigration(t *testing.T, db DB) {
	ctx := context.Background()
	// Version 1: users, licenses, payments, the audit log.
	old := db.OpenSchema(t, 1)
	clock := NewClock()
	if err := old.AddUser(ctx, license.User{ID: alice, Name: "Alice", CertSHA256: sha256.Sum256([]byte(alice)), Added: clock.Now()}); err != nil {
		t.Fatal(err)
	}
	l, err := old.GetOrIssue(ctx, alice, movie, license.Policy{Views: 2}, clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	// A view consumed when its play started, and a renewal's payment, as
	// that release wrote them.
	db.Exec(t, "UPDATE licenses SET views_used = 1 WHERE id = '"+l.ID+"'")
	db.Exec(t, fmt.Sprintf("INSERT INTO payments (reference, license_id, amount, paid_ns) VALUES ('old-ref', '%s', '1.00', %d)", l.ID, clock.Now().UnixNano()))
	l.ViewsUsed = 1
	if _, err := old.ListPlays(ctx, license.PlayFilter{}); err == nil {
		t.Fatal("the version 1 schema has a plays table: the test does not test a migration")
	}
	_, head, err := license.VerifyStore(ctx, old)
	if err != nil {
		t.Fatal(err)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	// This release opens it: the new tables appear, the data stays.
	s := db.Open(t)
	got, err := s.Get(ctx, l.ID)
	if err != nil || got != l {
		t.Fatalf("license after the migration: %+v, %v; want %+v", got, err, l)
	}
	if n, h, err := license.VerifyStore(ctx, s); err != nil || h != head || n != 2 {
		t.Fatalf("audit log after the migration: %d events, head %x, %v", n, h, err)
	}
	f := newFixture(t, s)
	f.clock = clock
	pl := f.start(t, alice, movie, license.Policy{Views: 2}, 12)
	if pl.pg.License.ID != l.ID {
		t.Fatalf("a play after the migration under license %s, want %s", pl.pg.License.ID, l.ID)
	}
	pl.mustFetch(0, 12)
	if got := viewsUsed(t, s, alice, movie); got != 2 {
		t.Fatalf("%d views used, want 2", got)
	}
	// The old payment reference stays single-use under offers too.
	_, err = f.service.StartPlay(ctx, license.PlayRequest{UserID: alice, MediaID: movie, Session: session(t), Chunks: 12})
	var pr *license.PaymentRequiredError
	if !errors.As(err, &pr) {
		t.Fatalf("exhausted after the migration: %v", err)
	}
	if _, err := f.service.Renew(ctx, alice, pr.Offer.ID, "old-ref"); !errors.Is(err, license.ErrDuplicatePayment) {
		t.Fatalf("a pre-migration reference: got %v, want ErrDuplicatePayment", err)
	}
	if _, err := f.service.Renew(ctx, alice, pr.Offer.ID, "new-ref"); err != nil {
		t.Fatal(err)
	}
	// Opening again migrates nothing more.
	if _, _, err := license.VerifyStore(ctx, db.Open(t)); err != nil {
		t.Fatal(err)
	}
}
