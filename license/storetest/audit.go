package storetest

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"securemedia/license"
)

// Reading the audit log: `audit list` and `audit export`.
var auditTests = []storeTest{
	{"audit events are listed by kind, user, media, license, play and time, page by page", testListEvents},
	{"an audit export verifies offline and ends at the store's head", testExportVerifies},
	{"an altered, removed or reordered line of an export is detected", testExportTampered},
	{"the export of a tampered log holds every event and reports the break", testExportOfTamperedStore},
}

// playHistory makes a history of plays: alice plays movie to its end
// and song partly, bob plays movie and gets a refund.
func playHistory(t *testing.T, f *fixture) (*player, *player) {
	a := f.start(t, alice, movie, license.Policy{Views: 5}, 12)
	a.mustFetch(0, 12)
	f.clock.Advance(time.Minute)
	f.start(t, alice, song, license.Policy{Views: 5}, 12).mustFetch(0, 3)
	f.clock.Advance(time.Minute)
	b := f.start(t, bob, movie, license.Policy{Views: 5}, 12)
	b.mustFetch(0, 2)
	auth, err := f.service.Authorize(context.Background(), b.pg.Grant, b.sid, movie, 2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.service.Refund(context.Background(), auth, "chunk 2 is unavailable"); err != nil {
		t.Fatal(err)
	}
	return a, b
}

func testListEvents(t *testing.T, db DB) {
	ctx := context.Background()
	f := newFixture(t, db.Open(t))
	start := f.clock.Now()
	a, b := playHistory(t, f)
	all := allEvents(t, f.store)
	count := func(fl license.EventFilter) int {
		t.Helper()
		evs, err := f.store.ListEvents(ctx, fl)
		if err != nil {
			t.Fatalf("ListEvents(%+v): %v", fl, err)
		}
		for i := 1; i < len(evs); i++ {
			if evs[i].Seq <= evs[i-1].Seq {
				t.Fatalf("ListEvents(%+v) out of order", fl)
			}
		}
		return len(evs)
	}
	// 2 user-add; alice: issue, start, count, complete (movie), issue,
	// start, count (song); bob: issue, start, count, refund.
	for _, c := range []struct {
		name   string
		filter license.EventFilter
		want   int
	}{
		{"everything", license.EventFilter{}, len(all)},
		{"by kind", license.EventFilter{Kind: license.EventPlayCount}, 3},
		{"by user", license.EventFilter{UserID: alice}, 8},
		{"by media", license.EventFilter{MediaID: movie}, 8},
		{"by license", license.EventFilter{LicenseID: b.pg.License.ID}, 4},
		{"by play", license.EventFilter{PlayID: a.pg.Play.ID}, 3},
		{"by user and kind", license.EventFilter{UserID: bob, Kind: license.EventPlayRefund}, 1},
		{"since a time", license.EventFilter{Since: start.Add(2 * time.Minute)}, 4},
		{"until a time", license.EventFilter{Until: start.Add(time.Minute)}, 6},
		{"after a sequence number", license.EventFilter{After: all[len(all)-3].Seq}, 2},
		{"a page", license.EventFilter{Limit: 5}, 5},
	} {
		if got := count(c.filter); got != c.want {
			t.Errorf("%s: %d events, want %d", c.name, got, c.want)
		}
	}
	if len(all) != 13 {
		t.Fatalf("%d events in the history, want 13", len(all))
	}
	// Paging through everything gives everything, once.
	var seen int
	for after := int64(0); ; {
		page, err := f.store.ListEvents(ctx, license.EventFilter{After: after, Limit: 4})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		seen += len(page)
		after = page[len(page)-1].Seq
	}
	if seen != len(all) {
		t.Fatalf("paging saw %d events of %d", seen, len(all))
	}
	if _, err := f.store.ListEvents(ctx, license.EventFilter{PlayID: "%"}); !errors.Is(err, license.ErrInvalidInput) {
		t.Fatalf("a play id that is a LIKE pattern: got %v, want ErrInvalidInput", err)
	}
}

func testExportVerifies(t *testing.T, db DB) {
	ctx := context.Background()
	f := newFixture(t, db.Open(t))
	playHistory(t, f)
	var buf bytes.Buffer
	n, head, err := license.ExportAudit(ctx, f.store, &buf)
	if err != nil {
		t.Fatal(err)
	}
	seq, want, err := f.store.AuditHead(ctx)
	if err != nil || n != seq || head != want {
		t.Fatalf("export of %d events ending at %x; the store's head is %d %x (%v)", n, head, seq, want, err)
	}
	if lines := strings.Count(buf.String(), "\n"); int64(lines) != n {
		t.Fatalf("%d lines for %d events", lines, n)
	}
	vn, vhead, err := license.VerifyExport(bytes.NewReader(buf.Bytes()))
	if err != nil || vn != n || vhead != head {
		t.Fatalf("VerifyExport = %d %x, %v; want %d %x", vn, vhead, err, n, head)
	}
	events, err := license.ReadExport(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if err := license.VerifyChain(events); err != nil {
		t.Fatal(err)
	}
	stored := allEvents(t, f.store)
	for i := range stored {
		if !stored[i].Time.Equal(events[i].Time) || stored[i].Hash != events[i].Hash || stored[i].Detail != events[i].Detail {
			t.Fatalf("event %d differs after the round trip: %+v, want %+v", i+1, events[i], stored[i])
		}
	}
}

func testExportTampered(t *testing.T, db DB) {
	ctx := context.Background()
	f := newFixture(t, db.Open(t))
	playHistory(t, f)
	var buf bytes.Buffer
	if _, _, err := license.ExportAudit(ctx, f.store, &buf); err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(buf.String(), "\n")
	lines = lines[:len(lines)-1] // the empty string after the last newline
	join := func(ls ...string) string { return strings.Join(ls, "") }
	swapped := append([]string(nil), lines...)
	swapped[4], swapped[5] = swapped[5], swapped[4]
	removed := append(append([]string(nil), lines[:3]...), lines[4:]...)
	altered := append([]string(nil), lines...)
	altered[4] = strings.Replace(altered[4], `"kind":"play-count"`, `"kind":"play-start"`, 1)
	if altered[4] == lines[4] {
		t.Fatalf("line 5 is not a play-count event: %s", lines[4])
	}
	for _, c := range []struct {
		name, export string
		seq          int64
	}{
		{"two events swapped", join(swapped...), 5},
		{"an event removed", join(removed...), 4},
		{"an event altered", join(altered...), 5},
	} {
		_, _, err := license.VerifyExport(strings.NewReader(c.export))
		var ae *license.AuditError
		if !errors.As(err, &ae) || ae.Seq != c.seq {
			t.Errorf("%s: got %v, want a break at event %d", c.name, err, c.seq)
		}
	}
	for _, bad := range []string{
		`{"seq":1}` + "\n",
		strings.Replace(lines[0], `"seq"`, `"extra":1,"seq"`, 1),
		strings.Replace(lines[0], `"hash":"`, `"hash":"00`, 1),
		"not json\n",
	} {
		if _, _, err := license.VerifyExport(strings.NewReader(bad)); err == nil {
			t.Errorf("a malformed export verified: %q", bad)
		}
	}
}

func testExportOfTamperedStore(t *testing.T, db DB) {
	ctx := context.Background()
	s := db.Open(t)
	fillAudit(t, s)
	db.Exec(t, "UPDATE audit_events SET detail = 'forged' WHERE seq = 4")
	var buf bytes.Buffer
	n, _, err := license.ExportAudit(ctx, s, &buf)
	var ae *license.AuditError
	if !errors.As(err, &ae) || ae.Seq != 4 {
		t.Fatalf("export of a tampered log: %d events, %v; want a break at event 4", n, err)
	}
	if lines := strings.Count(buf.String(), "\n"); lines != 13 || !strings.Contains(buf.String(), "forged") {
		t.Fatalf("the export holds %d lines, want all 13 with the forged one", lines)
	}
	if _, _, err := license.VerifyExport(&buf); !errors.As(err, &ae) || ae.Seq != 4 {
		t.Fatalf("VerifyExport of it: %v", err)
	}
}
