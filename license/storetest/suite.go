package storetest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
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
		{"fifty parallel plays on a five-view license let exactly five through", testParallelPlays},
		{"two store instances racing on one database let exactly five through", testTwoInstances},
		{"racing first plays issue a single license", testRacingIssue},
		{"a period license is refused once it expires", testPeriodExpiry},
		{"a views-and-period license stops at whichever runs out first", testBoth},
		{"renewal needs a confirmed single-use payment and restores the policy", testRenew},
		{"a revoked license stops a play at its next chunk", testRevokeStopsPlay},
		{"grant and reset restore a license under the operator's policy", testGrantReset},
		{"chunk requests without a valid grant are refused", testGrantRefusals},
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
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, newDB(t)) })
	}
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

func testFiveViews(t *testing.T, db DB) {
	ctx := context.Background()
	f := newFixture(t, db.Open(t))
	for i := 1; i <= 5; i++ {
		res, err := f.service.Play(ctx, alice, movie, session(t), license.DefaultPolicy)
		if err != nil {
			t.Fatalf("play %d: %v", i, err)
		}
		if got := res.License.ViewsLeft(); got != 5-i {
			t.Fatalf("play %d: views left %d, want %d", i, got, 5-i)
		}
		if len(res.Grant) == 0 || len(res.Token) == 0 {
			t.Fatalf("play %d: empty grant or token", i)
		}
	}
	_, err := f.service.Play(ctx, alice, movie, session(t), license.DefaultPolicy)
	var pr *license.PaymentRequiredError
	if !errors.As(err, &pr) || !errors.Is(err, license.ErrExhausted) {
		t.Fatalf("sixth play: got %v, want *PaymentRequiredError for ErrExhausted", err)
	}
	if pr.Offer.Policy != license.DefaultPolicy || pr.Offer.Amount == "" || pr.License.ViewsUsed != 5 {
		t.Fatalf("offer = %+v, license = %+v", pr.Offer, pr.License)
	}
	l, err := f.store.Find(ctx, alice, movie)
	if err != nil || l.ViewsUsed != 5 {
		t.Fatalf("Find = %+v, %v; want 5 views used", l, err)
	}
}

// playConcurrently runs n plays of (alice, movie), spread over the services,
// and returns how many succeeded; every failure must be a payment request.
func playConcurrently(t *testing.T, services []*license.Service, n int) int {
	var ok atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, n)
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(svc *license.Service) {
			defer wg.Done()
			<-start
			_, err := svc.Play(context.Background(), alice, movie, session(t), license.DefaultPolicy)
			var pr *license.PaymentRequiredError
			switch {
			case err == nil:
				ok.Add(1)
			case errors.As(err, &pr) && errors.Is(err, license.ErrExhausted):
			default:
				errs <- err
			}
		}(services[i%len(services)])
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("unexpected play error: %v", err)
	}
	return int(ok.Load())
}

func testParallelPlays(t *testing.T, db DB) {
	f := newFixture(t, db.Open(t))
	if got := playConcurrently(t, []*license.Service{f.service}, 50); got != 5 {
		t.Fatalf("%d plays succeeded, want exactly 5", got)
	}
	checkExactlyFive(t, f.store)
}

func testTwoInstances(t *testing.T, db DB) {
	a := newFixture(t, db.Open(t))
	b := newFixture(t, db.Open(t))
	if got := playConcurrently(t, []*license.Service{a.service, b.service}, 50); got != 5 {
		t.Fatalf("%d plays succeeded, want exactly 5", got)
	}
	checkExactlyFive(t, a.store)
}

func checkExactlyFive(t *testing.T, s license.Store) {
	t.Helper()
	ctx := context.Background()
	l, err := s.Find(ctx, alice, movie)
	if err != nil || l.ViewsUsed != 5 {
		t.Fatalf("Find = %+v, %v; want 5 views used", l, err)
	}
	if _, _, err := license.VerifyStore(ctx, s); err != nil {
		t.Fatalf("audit log: %v", err)
	}
	counts := kindCounts(t, s)
	if counts[license.EventIssue] != 1 || counts[license.EventPlay] != 5 {
		t.Fatalf("audit events %v, want 1 issue and 5 plays", counts)
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
		res, err := f.service.Play(ctx, alice, movie, session(t), p)
		if err != nil {
			t.Fatalf("play %d within the period: %v", i, err)
		}
		if got := res.License.TimeLeft(f.clock.Now()); got != time.Hour-time.Duration(i)*20*time.Minute {
			t.Fatalf("play %d: time left %s", i, got)
		}
		f.clock.Advance(20 * time.Minute)
	}
	// Exactly at the expiry instant the license is over.
	_, err = f.service.Play(ctx, alice, movie, session(t), p)
	var pr *license.PaymentRequiredError
	if !errors.As(err, &pr) || !errors.Is(err, license.ErrExpired) {
		t.Fatalf("play after expiry: got %v, want payment required for ErrExpired", err)
	}
	if _, err := f.service.RenewLegacy(ctx, alice, movie, license.Payment{Reference: "pay-1", Amount: "1.00", Confirmed: true}); err != nil {
		t.Fatalf("renew: %v", err)
	}
	res, err := f.service.Play(ctx, alice, movie, session(t), p)
	if err != nil {
		t.Fatalf("play after renewal: %v", err)
	}
	if want := f.clock.Now().Add(time.Hour); !res.License.ExpiresAt.Equal(want) {
		t.Fatalf("renewed license expires %s, want %s", res.License.ExpiresAt, want)
	}
}

func testBoth(t *testing.T, db DB) {
	ctx := context.Background()
	f := newFixture(t, db.Open(t))
	p := license.Policy{Views: 2, Period: time.Hour}
	for i := 0; i < 2; i++ {
		if _, err := f.service.Play(ctx, alice, movie, session(t), p); err != nil {
			t.Fatalf("play %d: %v", i, err)
		}
	}
	if _, err := f.service.Play(ctx, alice, movie, session(t), p); !errors.Is(err, license.ErrExhausted) {
		t.Fatalf("third play: got %v, want ErrExhausted", err)
	}
	if _, err := f.service.Play(ctx, bob, movie, session(t), p); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(2 * time.Hour)
	if _, err := f.service.Play(ctx, bob, movie, session(t), p); !errors.Is(err, license.ErrExpired) {
		t.Fatalf("play after the period with a view left: got %v, want ErrExpired", err)
	}
}

func testRenew(t *testing.T, db DB) {
	ctx := context.Background()
	f := newFixture(t, db.Open(t))
	p := license.Policy{Views: 1}
	if _, err := f.service.Play(ctx, alice, movie, session(t), p); err != nil {
		t.Fatal(err)
	}
	if _, err := f.service.Play(ctx, alice, movie, session(t), p); !errors.Is(err, license.ErrExhausted) {
		t.Fatalf("second play: got %v, want ErrExhausted", err)
	}
	if _, err := f.service.RenewLegacy(ctx, alice, movie, license.Payment{Reference: "ref-1", Amount: "1.00"}); !errors.Is(err, license.ErrPaymentNotConfirmed) {
		t.Fatalf("unconfirmed renewal: got %v, want ErrPaymentNotConfirmed", err)
	}
	l, err := f.service.RenewLegacy(ctx, alice, movie, license.Payment{Reference: "ref-1", Amount: "1.00", Confirmed: true})
	if err != nil {
		t.Fatal(err)
	}
	if l.ViewsUsed != 0 || l.ViewsLeft() != 1 {
		t.Fatalf("renewed license %+v, want 1 view left", l)
	}
	if _, err := f.service.Play(ctx, alice, movie, session(t), p); err != nil {
		t.Fatalf("play after renewal: %v", err)
	}
	if _, err := f.service.RenewLegacy(ctx, alice, movie, license.Payment{Reference: "ref-1", Amount: "1.00", Confirmed: true}); !errors.Is(err, license.ErrDuplicatePayment) {
		t.Fatalf("replayed payment: got %v, want ErrDuplicatePayment", err)
	}
	if _, err := f.service.RenewLegacy(ctx, alice, song, license.Payment{Reference: "ref-2", Confirmed: true}); !errors.Is(err, license.ErrNotFound) {
		t.Fatalf("renewal without a license: got %v, want ErrNotFound", err)
	}
	if err := f.store.Revoke(ctx, l.ID, "chargeback", f.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := f.service.RenewLegacy(ctx, alice, movie, license.Payment{Reference: "ref-3", Confirmed: true}); !errors.Is(err, license.ErrRevoked) {
		t.Fatalf("renewal of a revoked license: got %v, want ErrRevoked", err)
	}
	if _, err := f.store.Renew(ctx, l.ID, license.Payment{Reference: "ref-4", Confirmed: true}, f.clock.Now()); !errors.Is(err, license.ErrRevoked) {
		t.Fatalf("store renewal of a revoked license: got %v, want ErrRevoked", err)
	}
	counts := kindCounts(t, f.store)
	if counts[license.EventRenew] != 1 {
		t.Fatalf("audit events %v, want exactly one renew", counts)
	}
}

func testRevokeStopsPlay(t *testing.T, db DB) {
	ctx := context.Background()
	f := newFixture(t, db.Open(t))
	operator := db.Open(t) // the operator's CLI is another process
	sid := session(t)
	res, err := f.service.Play(ctx, alice, movie, sid, license.DefaultPolicy)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if err := f.service.CheckChunk(ctx, res.Grant, sid, movie); err != nil {
			t.Fatalf("chunk %d before revocation: %v", i, err)
		}
	}
	if err := operator.Revoke(ctx, res.License.ID, "abuse", f.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if err := f.service.CheckChunk(ctx, res.Grant, sid, movie); !errors.Is(err, license.ErrRevoked) {
		t.Fatalf("next chunk after revocation: got %v, want ErrRevoked", err)
	}
	if _, err := f.service.Play(ctx, alice, movie, session(t), license.DefaultPolicy); !errors.Is(err, license.ErrRevoked) {
		t.Fatalf("play after revocation: got %v, want ErrRevoked", err)
	}
	l, err := f.store.Get(ctx, res.License.ID)
	if err != nil || !l.Revoked || l.RevokeReason != "abuse" || l.ViewsUsed != 1 {
		t.Fatalf("revoked license = %+v, %v", l, err)
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
		if _, err := f.store.ConsumeView(ctx, l.ID, now); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.store.ConsumeView(ctx, l.ID, now); !errors.Is(err, license.ErrExhausted) {
		t.Fatalf("third view: got %v, want ErrExhausted", err)
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

func testGrantRefusals(t *testing.T, db DB) {
	ctx := context.Background()
	f := newFixture(t, db.Open(t))
	sid := session(t)
	res, err := f.service.Play(ctx, alice, movie, sid, license.DefaultPolicy)
	if err != nil {
		t.Fatal(err)
	}
	other, err := f.service.Play(ctx, alice, song, session(t), license.DefaultPolicy)
	if err != nil {
		t.Fatal(err)
	}
	forged := append([]byte(nil), res.Grant...)
	forged[len(forged)-1] ^= 1
	altered := append([]byte(nil), res.Grant...)
	altered[3] ^= 1
	foreignKey, err := license.NewGrants(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	foreign := foreignKey.Issue(sid, movie, res.License.ID, f.clock.Now().Add(time.Hour))
	if err := f.service.CheckChunk(ctx, res.Grant, sid, movie); err != nil {
		t.Fatalf("the genuine grant is refused: %v", err)
	}
	cases := []struct {
		name    string
		grant   []byte
		session []byte
		media   string
	}{
		{"no grant", nil, sid, movie},
		{"another session's grant", res.Grant, session(t), movie},
		{"another media's grant", other.Grant, sid, movie},
		{"a grant presented for another media", res.Grant, sid, song},
		{"a forged MAC", forged, sid, movie},
		{"an altered body", altered, sid, movie},
		{"a grant made under another server's key", foreign, sid, movie},
		{"a truncated grant", res.Grant[:len(res.Grant)-1], sid, movie},
	}
	for _, c := range cases {
		if err := f.service.CheckChunk(ctx, c.grant, c.session, c.media); !errors.Is(err, license.ErrBadGrant) {
			t.Errorf("%s: got %v, want ErrBadGrant", c.name, err)
		}
	}
	f.clock.Advance(license.GrantLifetime)
	if err := f.service.CheckChunk(ctx, res.Grant, sid, movie); !errors.Is(err, license.ErrBadGrant) {
		t.Errorf("an expired grant: got %v, want ErrBadGrant", err)
	}
}

func testPersistence(t *testing.T, db DB) {
	ctx := context.Background()
	s := db.Open(t)
	f := newFixture(t, s)
	p := license.Policy{Views: 5, Period: 48 * time.Hour}
	var last license.License
	for i := 0; i < 3; i++ {
		res, err := f.service.Play(ctx, alice, movie, session(t), p)
		if err != nil {
			t.Fatal(err)
		}
		last = res.License
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
	if _, err := f.service.Play(ctx, "stranger", movie, session(t), license.DefaultPolicy); !errors.Is(err, license.ErrUnknownUser) {
		t.Fatalf("unknown user: got %v, want ErrUnknownUser", err)
	}
	if err := f.store.SetUserDisabled(ctx, bob, true, f.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := f.service.Play(ctx, bob, movie, session(t), license.DefaultPolicy); !errors.Is(err, license.ErrUserDisabled) {
		t.Fatalf("disabled user: got %v, want ErrUserDisabled", err)
	}
	if _, err := f.service.RenewLegacy(ctx, bob, movie, license.Payment{Reference: "r", Confirmed: true}); !errors.Is(err, license.ErrUserDisabled) {
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
	_, checks["Play with a long media id"] = f.service.Play(ctx, alice, long, session(t), license.DefaultPolicy)
	_, checks["ConsumeView with a long id"] = f.store.ConsumeView(ctx, long, now)
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

// fillAudit makes a short history: 2 user-add, issue, 3 plays, a note.
func fillAudit(t *testing.T, s license.Store) {
	ctx := context.Background()
	f := newFixture(t, s)
	for i := 0; i < 3; i++ {
		if _, err := f.service.Play(ctx, alice, movie, session(t), license.DefaultPolicy); err != nil {
			t.Fatal(err)
		}
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
	if err != nil || n != 7 || seq != 7 || head != want {
		t.Fatalf("VerifyStore = %d %x, head %d %x, %v; want 7 events", n, head, seq, want, err)
	}
	wantKinds(t, s, license.EventUserAdd, license.EventUserAdd, license.EventIssue, license.EventPlay, license.EventPlay, license.EventPlay, "note")
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
