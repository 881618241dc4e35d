package storetest

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"securemedia/license"
)

// copyTest is one test of copying a store into another (`license
// migrate`): src and dst are fresh databases, of one backend or of two.
type copyTest struct {
	name string
	fn   func(t *testing.T, src, dst DB)
}

var copyTests = []copyTest{
	{"a copy holds every row of every table, its audit log verifies to the source's head, and it goes on", testCopyEverything},
	{"a copy into a store that holds anything is refused and changes nothing", testCopyRefusesNonEmpty},
	{"a source holding a table the copy does not know is refused", testCopyRefusesUnknownTable},
	{"a copy beside writers is one snapshot of the source", testCopyIsOneSnapshot},
	{"a load that fails half-way writes nothing", testLoadIsAllOrNothing},
}

// RunCopy runs the copy tests from stores of newSrc into stores of newDst:
// Run does it within one backend; license/store between the two.
func RunCopy(t *testing.T, newSrc, newDst func(t testing.TB) DB) {
	for _, tc := range copyTests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, newSrc(t), newDst(t)) })
	}
}

// everyTable are the tables that copyHistory fills.
var everyTable = []string{"users", "licenses", "payments", "audit_events", "audit_head", "plays", "offers",
	"invites", "webauthn_credentials", "devices"}

// copyHistory gives a store rows in every table: users (one disabled),
// licenses (one revoked), plays completed, counted and refunded, offers
// open and accepted, a payment; browser viewers registered under invites
// (credentials whose ids sort apart, one used, one device removed) and an
// invite still open.
func copyHistory(t *testing.T, f *fixture) {
	t.Helper()
	ctx := context.Background()
	playHistory(t, f)
	o := f.exhaust(t, bob, song)
	if _, err := f.service.Renew(ctx, bob, o.ID, "pay-0001"); err != nil {
		t.Fatal(err)
	}
	f.exhaust(t, alice, "media-0003")
	carol := license.User{ID: "PNOBE-11111111", Name: "Carol \"C\" Ç", CertSHA256: sha256.Sum256([]byte("carol")), Added: f.clock.Now()}
	if err := f.store.AddUser(ctx, carol); err != nil {
		t.Fatal(err)
	}
	if err := f.store.SetUserDisabled(ctx, carol.ID, true, f.clock.Now()); err != nil {
		t.Fatal(err)
	}
	l, err := f.store.Grant(ctx, carol.ID, movie, license.Policy{Views: 0, Period: 48 * 3600e9}, f.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.Revoke(ctx, l.ID, "chargeback", f.clock.Now()); err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{1, 200} {
		r := webUser(invite(t, f.store, f.clock, fmt.Sprintf("viewer %d", n), time.Hour), n)
		if _, err := f.store.RegisterWebUser(ctx, r, f.clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.store.UseWebAuthnCredential(ctx, webUser("", 1).Credential.ID, 7, f.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.RemoveDevice(ctx, webUser("", 200).Device, f.clock.Now()); err != nil {
		t.Fatal(err)
	}
	invite(t, f.store, f.clock, "not yet", 24*time.Hour)
}

// dump summarizes every table of s.
func dump(t testing.TB, s license.Store) []license.TableSummary {
	t.Helper()
	c, ok := s.(license.Copier)
	if !ok {
		t.Fatalf("%T is not a license.Copier", s)
	}
	sums, err := c.Dump(context.Background(), nil)
	if err != nil {
		t.Fatalf("dump: %v", err)
	}
	return sums
}

func rowsOf(sums []license.TableSummary) map[string]int64 {
	out := map[string]int64{}
	for _, s := range sums {
		out[s.Table] = s.Rows
	}
	return out
}

func testCopyEverything(t *testing.T, src, dst DB) {
	ctx := context.Background()
	s := src.Open(t)
	f := newFixture(t, s)
	copyHistory(t, f)
	before := dump(t, s)
	for table, n := range rowsOf(before) {
		if n == 0 && slices.Contains(everyTable, table) {
			t.Fatalf("the history left table %s empty: the test would not test its copy", table)
		}
	}
	n, head, err := license.VerifyStore(ctx, s)
	if err != nil {
		t.Fatal(err)
	}

	d := dst.Open(t)
	rep, err := license.CopyStore(ctx, s, d)
	if err != nil {
		t.Fatalf("copy: %v", err)
	}
	if !slices.Equal(rep.Tables, before) || rep.Events != n || rep.Head != head {
		t.Fatalf("copy report %+v; want the source's tables %+v, %d events, head %x", rep, before, n, head)
	}
	if got := dump(t, s); !slices.Equal(got, before) {
		t.Fatal("the copy changed the source")
	}
	// Read through the store's own methods, as the server reads.
	if dn, dh, err := license.VerifyStore(ctx, d); err != nil || dn != n || dh != head {
		t.Fatalf("the copy's audit log: %d events, head %x, %v; want %d, %x", dn, dh, err, n, head)
	}
	if a, b := allEvents(t, s), allEvents(t, d); fmt.Sprint(a) != fmt.Sprint(b) {
		t.Fatal("the copy's events differ from the source's")
	}
	for _, read := range []func(license.Store) (any, error){
		func(st license.Store) (any, error) { return st.ListUsers(ctx) },
		func(st license.Store) (any, error) { return st.List(ctx, license.Filter{}) },
		func(st license.Store) (any, error) { return st.ListPlays(ctx, license.PlayFilter{}) },
		func(st license.Store) (any, error) { return st.ListDevices(ctx, "") },
	} {
		a, errA := read(s)
		b, errB := read(d)
		if errA != nil || errB != nil || fmt.Sprint(a) != fmt.Sprint(b) {
			t.Fatalf("the copy reads %v (%v), the source %v (%v)", b, errB, a, errA)
		}
	}

	// The copy goes on where the source stopped: a play consumes a view,
	// a used payment reference stays used, the chain grows from the head.
	g := newFixture(t, d)
	g.clock.Advance(f.clock.Now().Sub(g.clock.Now()))
	pl := g.start(t, alice, "media-0004", license.Policy{Views: 2}, 12)
	pl.mustFetch(0, 12)
	if got := viewsUsed(t, d, alice, "media-0004"); got != 1 {
		t.Fatalf("%d views used by a play on the copy, want 1", got)
	}
	o := g.refusedOffer(t, alice, "media-0003")
	if _, err := g.service.Renew(ctx, alice, o.ID, "pay-0001"); !errors.Is(err, license.ErrDuplicatePayment) {
		t.Fatalf("a payment reference used on the source, renewed on the copy: got %v, want ErrDuplicatePayment", err)
	}
	cred := webUser("", 1).Credential.ID
	if err := d.UseWebAuthnCredential(ctx, cred, 7, g.clock.Now()); !errors.Is(err, license.ErrSignCount) {
		t.Fatalf("the signature counter the source saw, on the copy: got %v, want ErrSignCount", err)
	}
	if err := d.UseWebAuthnCredential(ctx, cred, 8, g.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if dev, err := d.GetDevice(ctx, webUser("", 200).Device); err != nil || dev.RemovedAt.IsZero() {
		t.Fatalf("the device removed on the source, on the copy: %+v, %v", dev, err)
	}
	if dn, _, err := license.VerifyStore(ctx, d); err != nil || dn <= n {
		t.Fatalf("the copy's audit log after a play: %d events, %v", dn, err)
	}
	if got := dump(t, s); !slices.Equal(got, before) {
		t.Fatal("a play on the copy changed the source")
	}
}

func testCopyRefusesNonEmpty(t *testing.T, src, dst DB) {
	ctx := context.Background()
	s := src.Open(t)
	copyHistory(t, newFixture(t, s))
	d := dst.Open(t)
	if err := d.AddUser(ctx, license.User{ID: "PNOBE-22222222", Name: "already here", Added: NewClock().Now()}); err != nil {
		t.Fatal(err)
	}
	err := refusedCopy(t, s, d)
	var ne *license.NotEmptyError
	if !errors.Is(err, license.ErrNotEmpty) || !errors.As(err, &ne) || ne.Table != "users" || ne.Rows != 1 {
		t.Fatalf("copy into a store with a user: got %v, want a *NotEmptyError for users", err)
	}
}

// refusedCopy copies s into d, which must come out of it as it was, and
// returns the copy's error.
func refusedCopy(t *testing.T, s, d license.Store) error {
	t.Helper()
	before := dump(t, d)
	_, err := license.CopyStore(context.Background(), s, d)
	if err == nil {
		t.Fatal("the copy was not refused")
	}
	if got := dump(t, d); !slices.Equal(got, before) {
		t.Fatalf("a refused copy (%v) changed the target", err)
	}
	return err
}

func testCopyRefusesUnknownTable(t *testing.T, src, dst DB) {
	s := src.Open(t)
	copyHistory(t, newFixture(t, s))
	src.Exec(t, "CREATE TABLE guest_notes (id TEXT PRIMARY KEY, note TEXT NOT NULL)")
	if err := refusedCopy(t, s, dst.Open(t)); !strings.Contains(err.Error(), "guest_notes") {
		t.Fatalf("copy of a store with a table it does not know: got %v, want an error naming the table", err)
	}
}

func testCopyIsOneSnapshot(t *testing.T, src, dst DB) {
	ctx := context.Background()
	s := src.Open(t)
	f := newFixture(t, s)
	copyHistory(t, f)
	// A writer on another instance of the source, as a running server.
	stop := WriteBeside(t, src.Open(t), bob)
	d := dst.Open(t)
	rep, err := license.CopyStore(ctx, s, d)
	stop()
	if err != nil {
		t.Fatalf("copy beside a writer: %v", err)
	}
	// The copy ends at an event of the source's chain, and holds the
	// licenses of exactly the grants up to it.
	evs, err := s.Events(ctx, rep.Events-1, 1)
	if err != nil || len(evs) != 1 || evs[0].Hash != rep.Head {
		t.Fatalf("the copy's head %d %x is not the source's event %d: %+v, %v", rep.Events, rep.Head, rep.Events, evs, err)
	}
	copied, err := d.ListEvents(ctx, license.EventFilter{Kind: license.EventGrant, Limit: license.MaxListed})
	if err != nil {
		t.Fatal(err)
	}
	ls, err := d.List(ctx, license.Filter{UserID: bob})
	if err != nil {
		t.Fatal(err)
	}
	writes, held := 0, 0
	for _, e := range copied {
		writes += written(e.MediaID)
	}
	for _, l := range ls {
		held += written(l.MediaID)
	}
	if writes != held || writes < 3 {
		t.Fatalf("the copy holds %d licenses of the writer and %d of its grant events, want the same, at least the 3 made before the copy", held, writes)
	}
}

// writtenMedia begins the media ids of WriteBeside's grants.
const writtenMedia = "media-w"

// written is 1 for a media id of WriteBeside's, else 0.
func written(mediaID string) int {
	if strings.HasPrefix(mediaID, writtenMedia) {
		return 1
	}
	return 0
}

// WriteBeside grants licenses of media "media-wNNNN" to user on s, one
// after another, as a running server writes beside a copy or a backup,
// until the stop it returns is called. It returns once three grants have
// committed; stop waits for the writer and fails the test on its error.
func WriteBeside(t testing.TB, s license.Store, user string) (stop func()) {
	t.Helper()
	done, started := make(chan struct{}), make(chan struct{})
	var (
		wg   sync.WaitGroup
		werr error
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer func() {
			select {
			case <-started:
			default:
				close(started)
			}
		}()
		for i := 0; ; i++ {
			if i == 3 {
				close(started)
			}
			select {
			case <-done:
				return
			default:
			}
			if _, err := s.Grant(context.Background(), user, fmt.Sprintf("%s%04d", writtenMedia, i), license.Policy{Views: 3}, time.Now()); err != nil {
				werr = err
				return
			}
		}
	}()
	<-started
	return func() {
		t.Helper()
		close(done)
		wg.Wait()
		if werr != nil {
			t.Fatalf("the writer beside: %v", werr)
		}
	}
}

func testLoadIsAllOrNothing(t *testing.T, src, dst DB) {
	ctx := context.Background()
	s := src.Open(t)
	copyHistory(t, newFixture(t, s))
	d := dst.Open(t)
	empty := dump(t, d)
	from, to := s.(license.Copier), d.(license.Copier)
	boom := errors.New("the source went away")
	_, err := to.Load(ctx, func(put license.PutRow) error {
		n := 0
		_, err := from.Dump(ctx, func(table string, cols []string, vals []any) error {
			if n++; n == 20 {
				return boom
			}
			return put(table, cols, vals)
		})
		return err
	})
	if !errors.Is(err, boom) {
		t.Fatalf("a load whose source failed: got %v, want the source's error", err)
	}
	if got := dump(t, d); !slices.Equal(got, empty) {
		t.Fatal("a failed load left rows in the target")
	}
	// Then the copy is made in full.
	if _, err := license.CopyStore(ctx, s, d); err != nil {
		t.Fatalf("copy after a failed load: %v", err)
	}
}
