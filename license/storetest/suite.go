package storetest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"securemedia/license"
)

// storeTest is one test of the suite, on a fresh database.
type storeTest struct {
	name string
	fn   func(t *testing.T, db DB)
}

// Run runs the whole suite; newDB returns a fresh database per subtest.
func Run(t *testing.T, newDB func(t testing.TB) DB) {
	tests := []storeTest{
		{"users are registered, listed, disabled and enabled", testUsers},
		{"a five-view license gives exactly five plays then asks for payment", testFiveViews},
		{"racing first plays issue a single license", testRacingIssue},
		{"a period license is refused once it expires", testPeriodExpiry},
		{"a views-and-period license stops at whichever runs out first", testBoth},
		{"grant and reset restore a license under the operator's policy", testGrantReset},
		{"licenses and counters survive reopening the store", testPersistence},
		{"disabled and unknown users cannot play", testUserChecks},
		{"hostile identifiers are refused", testInputLimits},
		{"list filters by user and media", testList},
		{"the audit log records every change and verifies", testAuditOK},
		{"a deleted audit event is detected", auditTamper("DELETE FROM audit_events WHERE seq = 3", 3)},
		{"an altered audit event is detected", auditTamper("UPDATE audit_events SET detail = 'views used 0/5' WHERE seq = 4", 4)},
		{"reordered audit events are detected", auditReorder},
		{"removing the newest audit events is detected", auditTamper("DELETE FROM audit_events WHERE seq >= 6", 6)},
		{"a gap in the audit sequence is detected", auditTamper("UPDATE audit_events SET seq = seq + 10 WHERE seq >= 5", 5)},
	}
	tests = append(tests, playTests...)
	tests = append(tests, offerTests...)
	tests = append(tests, auditTests...)
	tests = append(tests, browserTests...)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, newDB(t)) })
	}
	RunCopy(t, newDB, newDB)
}

// fixture is a store with a service, a clock and one registered user.
type fixture struct {
	store   license.Store
	service *license.Service
	clock   *Clock
	grants  *license.Grants
}

const (
	alice = "PNOBE-12345678"
	bob   = "PNOBE-87654321"
	movie = "media-0001"
	song  = "media-0002"
)

func newFixture(t testing.TB, s license.Store) *fixture {
	t.Helper()
	clock := NewClock()
	signer, chain := NewSigner(t)
	grants, err := license.NewGrants(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{store: s, clock: clock, grants: grants}
	f.service = license.NewService(s, signer, chain, grants, clock.Now)
	ctx := context.Background()
	for _, id := range []string{alice, bob} {
		if _, err := s.GetUser(ctx, id); err == nil {
			continue
		}
		if err := s.AddUser(ctx, license.User{ID: id, Name: "user " + id, CertSHA256: sha256.Sum256([]byte(id)), Added: clock.Now()}); err != nil {
			t.Fatalf("add user %s: %v", id, err)
		}
	}
	return f
}

func session(t testing.TB) []byte {
	s := make([]byte, 16)
	if _, err := rand.Read(s); err != nil {
		t.Fatal(err)
	}
	return s
}

func testUsers(t *testing.T, db DB) {
	ctx := context.Background()
	s := db.Open(t)
	now := NewClock().Now()
	u := license.User{ID: "ID-2", Name: "Zoe", CertSHA256: sha256.Sum256([]byte("cert")), Added: now}
	if err := s.AddUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if err := s.AddUser(ctx, license.User{ID: "ID-1", Name: "Adam", Added: now}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddUser(ctx, u); !errors.Is(err, license.ErrUserExists) {
		t.Fatalf("second AddUser: got %v, want ErrUserExists", err)
	}
	got, err := s.GetUser(ctx, "ID-2")
	if err != nil {
		t.Fatal(err)
	}
	if got != u {
		t.Fatalf("GetUser = %+v, want %+v", got, u)
	}
	if _, err := s.GetUser(ctx, "nobody"); !errors.Is(err, license.ErrUnknownUser) {
		t.Fatalf("GetUser(nobody): got %v, want ErrUnknownUser", err)
	}
	list, err := s.ListUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].ID != "ID-1" || list[1].ID != "ID-2" {
		t.Fatalf("ListUsers = %+v, want ID-1 then ID-2", list)
	}
	if err := s.SetUserDisabled(ctx, "ID-2", true, now); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.GetUser(ctx, "ID-2"); !got.Disabled {
		t.Fatal("user not disabled")
	}
	if err := s.SetUserDisabled(ctx, "ID-2", false, now); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.GetUser(ctx, "ID-2"); got.Disabled {
		t.Fatal("user still disabled after enable")
	}
	if err := s.SetUserDisabled(ctx, "nobody", true, now); !errors.Is(err, license.ErrUnknownUser) {
		t.Fatalf("disable unknown: got %v, want ErrUnknownUser", err)
	}
	wantKinds(t, s, license.EventUserAdd, license.EventUserAdd, license.EventUserDisable, license.EventUserEnable)
}

// playWhole starts a play of media by user under p and delivers its one
// chunk: one view.
func (f *fixture) playWhole(t *testing.T, user, media string, p license.Policy) license.License {
	t.Helper()
	pl := f.start(t, user, media, p, 1)
	pl.mustFetch(0, 1)
	l, err := f.store.Find(context.Background(), user, media)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// refused is the refusal of a play request for payment.
func (f *fixture) refused(t *testing.T, user, media string, p license.Policy) *license.PaymentRequiredError {
	t.Helper()
	_, err := f.service.StartPlay(context.Background(), license.PlayRequest{UserID: user, MediaID: media, Session: session(t), Policy: p, Chunks: 1})
	var pr *license.PaymentRequiredError
	if !errors.As(err, &pr) {
		t.Fatalf("a play of %s by %s: got %v, want a payment request", media, user, err)
	}
	return pr
}

func testFiveViews(t *testing.T, db DB) {
	ctx := context.Background()
	f := newFixture(t, db.Open(t))
	for i := 1; i <= 5; i++ {
		if got := f.playWhole(t, alice, movie, license.DefaultPolicy).ViewsLeft(); got != 5-i {
			t.Fatalf("play %d: views left %d, want %d", i, got, 5-i)
		}
	}
	pr := f.refused(t, alice, movie, license.DefaultPolicy)
	if !errors.Is(pr, license.ErrExhausted) || pr.Offer.Policy != license.DefaultPolicy || pr.Offer.Amount == "" || pr.License.ViewsUsed != 5 {
		t.Fatalf("sixth play: %v, offer %+v, license %+v", pr, pr.Offer, pr.License)
	}
	l, err := f.store.Find(ctx, alice, movie)
	if err != nil || l.ViewsUsed != 5 {
		t.Fatalf("Find = %+v, %v; want 5 views used", l, err)
	}
}

func testRacingIssue(t *testing.T, db DB) {
	s1, s2 := db.Open(t), db.Open(t)
	now := NewClock().Now()
	ids := make(chan string, 20)
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func(s license.Store) {
			defer wg.Done()
			l, err := s.GetOrIssue(context.Background(), bob, song, license.DefaultPolicy, now)
			if err != nil {
				t.Errorf("GetOrIssue: %v", err)
				return
			}
			ids <- l.ID
		}([]license.Store{s1, s2}[i%2])
	}
	wg.Wait()
	close(ids)
	seen := map[string]bool{}
	for id := range ids {
		seen[id] = true
	}
	if len(seen) != 1 {
		t.Fatalf("%d distinct licenses issued, want 1", len(seen))
	}
	if got := kindCounts(t, s1)[license.EventIssue]; got != 1 {
		t.Fatalf("%d issue events, want 1", got)
	}
}

func testPeriodExpiry(t *testing.T, db DB) {
	ctx := context.Background()
	f := newFixture(t, db.Open(t))
	p, err := license.ParsePolicy(0, "1h")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		l := f.playWhole(t, alice, movie, p)
		if got := l.TimeLeft(f.clock.Now()); got != time.Hour-time.Duration(i)*20*time.Minute {
			t.Fatalf("play %d: time left %s", i, got)
		}
		f.clock.Advance(20 * time.Minute)
	}
	// Exactly at the expiry instant the license is over.
	pr := f.refused(t, alice, movie, p)
	if !errors.Is(pr, license.ErrExpired) || pr.Offer.Policy != p {
		t.Fatalf("play after expiry: %v, offer %+v; want ErrExpired and an offer of the period", pr, pr.Offer)
	}
	if _, err := f.service.Renew(ctx, alice, pr.Offer.ID, "pay-1"); err != nil {
		t.Fatalf("renew: %v", err)
	}
	if l := f.playWhole(t, alice, movie, p); !l.ExpiresAt.Equal(f.clock.Now().Add(time.Hour)) {
		t.Fatalf("renewed license expires %s, want %s", l.ExpiresAt, f.clock.Now().Add(time.Hour))
	}
}

func testBoth(t *testing.T, db DB) {
	f := newFixture(t, db.Open(t))
	p := license.Policy{Views: 2, Period: time.Hour}
	for i := 0; i < 2; i++ {
		f.playWhole(t, alice, movie, p)
	}
	if pr := f.refused(t, alice, movie, p); !errors.Is(pr, license.ErrExhausted) {
		t.Fatalf("third play: got %v, want ErrExhausted", pr)
	}
	f.playWhole(t, bob, movie, p)
	f.clock.Advance(2 * time.Hour)
	if pr := f.refused(t, bob, movie, p); !errors.Is(pr, license.ErrExpired) {
		t.Fatalf("play after the period with a view left: got %v, want ErrExpired", pr)
	}
}

func testGrantReset(t *testing.T, db DB) {
	ctx := context.Background()
	f := newFixture(t, db.Open(t))
	now := f.clock.Now()
	l, err := f.store.Grant(ctx, alice, movie, license.Policy{Views: 2}, now)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		f.playWhole(t, alice, movie, license.DefaultPolicy)
	}
	if pr := f.refused(t, alice, movie, license.DefaultPolicy); !errors.Is(pr, license.ErrExhausted) {
		t.Fatalf("third view: got %v, want ErrExhausted", pr)
	}
	r, err := f.store.Reset(ctx, l.ID, now)
	if err != nil {
		t.Fatal(err)
	}
	if r.ID != l.ID || r.ViewsUsed != 0 || r.Policy.Views != 2 {
		t.Fatalf("reset license = %+v", r)
	}
	g, err := f.store.Grant(ctx, alice, movie, license.Policy{Views: 10, Period: 24 * time.Hour}, now)
	if err != nil {
		t.Fatal(err)
	}
	if g.ID != l.ID || g.Policy.Views != 10 || !g.ExpiresAt.Equal(now.Add(24*time.Hour)) {
		t.Fatalf("regranted license = %+v, want same id with the new policy", g)
	}
	if err := f.store.Revoke(ctx, l.ID, "test", now); err != nil {
		t.Fatal(err)
	}
	if r, err := f.store.Reset(ctx, l.ID, now); err != nil || r.Revoked {
		t.Fatalf("reset after revoke = %+v, %v; want un-revoked", r, err)
	}
	if _, err := f.store.Reset(ctx, "0000", now); !errors.Is(err, license.ErrNotFound) {
		t.Fatalf("reset unknown: got %v, want ErrNotFound", err)
	}
	if err := f.store.Revoke(ctx, "0000", "x", now); !errors.Is(err, license.ErrNotFound) {
		t.Fatalf("revoke unknown: got %v, want ErrNotFound", err)
	}
	if _, err := f.store.Grant(ctx, alice, movie, license.Policy{Views: -1}, now); !errors.Is(err, license.ErrInvalidPolicy) {
		t.Fatalf("grant of a negative policy: got %v, want ErrInvalidPolicy", err)
	}
}

func testPersistence(t *testing.T, db DB) {
	ctx := context.Background()
	s := db.Open(t)
	f := newFixture(t, s)
	p := license.Policy{Views: 5, Period: 48 * time.Hour}
	var last license.License
	for i := 0; i < 3; i++ {
		last = f.playWhole(t, alice, movie, p)
	}
	_, wantHead, err := license.VerifyStore(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2 := db.Open(t)
	got, err := s2.Get(ctx, last.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got != last {
		t.Fatalf("after reopening: %+v, want %+v", got, last)
	}
	if _, head, err := license.VerifyStore(ctx, s2); err != nil || head != wantHead {
		t.Fatalf("audit after reopening: head %x, %v", head, err)
	}
	if u, err := s2.GetUser(ctx, alice); err != nil || u.ID != alice {
		t.Fatalf("user after reopening: %+v, %v", u, err)
	}
}

func testUserChecks(t *testing.T, db DB) {
	ctx := context.Background()
	f := newFixture(t, db.Open(t))
	start := func(user string) error {
		_, err := f.service.StartPlay(ctx, license.PlayRequest{UserID: user, MediaID: movie, Session: session(t), Chunks: 1})
		return err
	}
	if err := start("stranger"); !errors.Is(err, license.ErrUnknownUser) {
		t.Fatalf("unknown user: got %v, want ErrUnknownUser", err)
	}
	if err := f.store.SetUserDisabled(ctx, bob, true, f.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if err := start(bob); !errors.Is(err, license.ErrUserDisabled) {
		t.Fatalf("disabled user: got %v, want ErrUserDisabled", err)
	}
	if _, err := f.service.Renew(ctx, bob, "00112233445566778899aabbccddeeff", "r"); !errors.Is(err, license.ErrUserDisabled) {
		t.Fatalf("disabled user renewal: got %v, want ErrUserDisabled", err)
	}
}

func testInputLimits(t *testing.T, db DB) {
	ctx := context.Background()
	f := newFixture(t, db.Open(t))
	long := strings.Repeat("x", license.MaxIDLen+1)
	now := f.clock.Now()
	checks := map[string]error{}
	_, checks["GetOrIssue with a long media id"] = f.store.GetOrIssue(ctx, alice, long, license.DefaultPolicy, now)
	_, checks["GetOrIssue with an empty user id"] = f.store.GetOrIssue(ctx, "", movie, license.DefaultPolicy, now)
	_, checks["StartPlay with a long media id"] = f.service.StartPlay(ctx, license.PlayRequest{UserID: alice, MediaID: long, Session: session(t), Chunks: 1})
	_, _, checks["CountPlay with a long id"] = f.store.CountPlay(ctx, long, "session", now)
	checks["AddUser with a long id"] = f.store.AddUser(ctx, license.User{ID: long})
	checks["Revoke with a huge reason"] = f.store.Revoke(ctx, "abc", strings.Repeat("r", license.MaxTextLen+1), now)
	_, checks["AppendEvent with a huge detail"] = f.store.AppendEvent(ctx, license.Event{Kind: "note", Detail: strings.Repeat("d", license.MaxTextLen+1), Time: now})
	for name, err := range checks {
		if !errors.Is(err, license.ErrInvalidInput) {
			t.Errorf("%s: got %v, want ErrInvalidInput", name, err)
		}
	}
}

func testList(t *testing.T, db DB) {
	ctx := context.Background()
	f := newFixture(t, db.Open(t))
	now := f.clock.Now()
	for _, pair := range [][2]string{{alice, movie}, {alice, song}, {bob, movie}} {
		if _, err := f.store.Grant(ctx, pair[0], pair[1], license.DefaultPolicy, now); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		filter license.Filter
		want   int
	}{{license.Filter{}, 3}, {license.Filter{UserID: alice}, 2}, {license.Filter{MediaID: movie}, 2}, {license.Filter{UserID: bob, MediaID: song}, 0}} {
		got, err := f.store.List(ctx, c.filter)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != c.want {
			t.Errorf("List(%+v) = %d licenses, want %d", c.filter, len(got), c.want)
		}
	}
}

// fillAudit makes a short history: 2 user-add, issue, 3 plays (each
// play-start, play-count, play-complete), a note.
func fillAudit(t *testing.T, s license.Store) {
	ctx := context.Background()
	f := newFixture(t, s)
	for i := 0; i < 3; i++ {
		f.playWhole(t, alice, movie, license.DefaultPolicy)
	}
	if _, err := s.AppendEvent(ctx, license.Event{Time: f.clock.Now(), Kind: "note", Detail: "operator note"}); err != nil {
		t.Fatal(err)
	}
}

func testAuditOK(t *testing.T, db DB) {
	s := db.Open(t)
	fillAudit(t, s)
	n, head, err := license.VerifyStore(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	seq, want, err := s.AuditHead(context.Background())
	if err != nil || n != 13 || seq != 13 || head != want {
		t.Fatalf("VerifyStore = %d %x, head %d %x, %v; want 13 events", n, head, seq, want, err)
	}
	play := []string{license.EventPlayStart, license.EventPlayCount, license.EventPlayComplete}
	kinds := append([]string{license.EventUserAdd, license.EventUserAdd, license.EventIssue}, play...)
	kinds = append(append(append(kinds, play...), play...), "note")
	wantKinds(t, s, kinds...)
}

func auditTamper(query string, wantSeq int64) func(t *testing.T, db DB) {
	return func(t *testing.T, db DB) {
		s := db.Open(t)
		fillAudit(t, s)
		db.Exec(t, query)
		checkBrokenAt(t, s, wantSeq)
	}
}

func auditReorder(t *testing.T, db DB) {
	s := db.Open(t)
	fillAudit(t, s)
	db.Exec(t, "UPDATE audit_events SET seq = 100 WHERE seq = 4")
	db.Exec(t, "UPDATE audit_events SET seq = 4 WHERE seq = 5")
	db.Exec(t, "UPDATE audit_events SET seq = 5 WHERE seq = 100")
	checkBrokenAt(t, s, 4)
}

func checkBrokenAt(t *testing.T, s license.Store, wantSeq int64) {
	t.Helper()
	_, _, err := license.VerifyStore(context.Background(), s)
	var ae *license.AuditError
	if !errors.As(err, &ae) {
		t.Fatalf("VerifyStore after tampering: got %v, want *AuditError", err)
	}
	if ae.Seq != wantSeq {
		t.Fatalf("chain reported broken at %d (%v), want %d", ae.Seq, err, wantSeq)
	}
}

func allEvents(t testing.TB, s license.Store) []license.Event {
	t.Helper()
	evs, err := s.Events(context.Background(), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

func kindCounts(t testing.TB, s license.Store) map[string]int {
	m := map[string]int{}
	for _, e := range allEvents(t, s) {
		m[e.Kind]++
	}
	return m
}

func wantKinds(t testing.TB, s license.Store, kinds ...string) {
	t.Helper()
	evs := allEvents(t, s)
	got := make([]string, len(evs))
	for i, e := range evs {
		got[i] = e.Kind
	}
	if fmt.Sprint(got) != fmt.Sprint(kinds) {
		t.Fatalf("audit kinds %v, want %v", got, kinds)
	}
}
