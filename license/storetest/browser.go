package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"securemedia/license"
)

// The browser viewers' registry (DESIGN.md §11): invites, WebAuthn
// credentials, browser devices.
var browserTests = []storeTest{
	{"an invite registers one browser viewer, once, before it expires", testInviteRegistersOnce},
	{"racing registrations with one invite register one viewer", testRacingRegistrations},
	{"a credential's signature counter only moves forward", testSignCount},
	{"a browser device is bound once and removed for good, stopping its plays", testDevices},
	{"the audit log records invites, registrations and removals, never a code", testBrowserAudit},
}

// webUser is a registration of a fresh browser viewer under the invite of
// code; n makes its user, credential and device distinct.
func webUser(code string, n int) license.WebRegistration {
	id := fmt.Sprintf("web-%016x", n)
	return license.WebRegistration{
		InviteHash: license.InviteHash(code),
		User:       license.User{ID: id, Name: "viewer " + id},
		Credential: license.WebAuthnCredential{ID: bytes.Repeat([]byte{byte(n)}, 32), UserHandle: bytes.Repeat([]byte{0xa0, byte(n)}, 16),
			PublicKey: []byte("cose key of " + id), SignCount: 1, AAGUID: make([]byte, 16)},
		Device: device(id),
	}
}

// invite stores an invite valid for d from the clock's now and returns
// its code.
func invite(t testing.TB, s license.Store, clock *Clock, name string, d time.Duration) string {
	t.Helper()
	code, hash, err := license.NewInviteCode()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CreateInvite(context.Background(), license.Invite{CodeHash: hash, Name: name, CreatedAt: clock.Now(), ExpiresAt: clock.Now().Add(d)}); err != nil {
		t.Fatal(err)
	}
	return code
}

func testInviteRegistersOnce(t *testing.T, db DB) {
	ctx := context.Background()
	s, clock := db.Open(t), NewClock()
	code := invite(t, s, clock, "Alice", 24*time.Hour)
	inv, err := s.GetInvite(ctx, license.InviteHash(strings.ToUpper(code)))
	if err != nil || inv.Name != "Alice" || !inv.UsedAt.IsZero() || inv.Usable(clock.Now()) != nil || !inv.ExpiresAt.Equal(clock.Now().Add(24*time.Hour)) {
		t.Fatalf("GetInvite (the code in upper case) = %+v, %v", inv, err)
	}
	clock.Advance(time.Hour)
	r := webUser(code, 1)
	u, err := s.RegisterWebUser(ctx, r, clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if u.ID != r.User.ID || !u.Browser() || !u.Added.Equal(clock.Now()) {
		t.Fatalf("registered %+v", u)
	}
	if got, err := s.GetUser(ctx, u.ID); err != nil || got != u {
		t.Fatalf("GetUser = %+v, %v; want %+v", got, err, u)
	}
	c, err := s.GetWebAuthnCredential(ctx, r.Credential.ID)
	if err != nil || c.UserID != u.ID || !bytes.Equal(c.PublicKey, r.Credential.PublicKey) || !bytes.Equal(c.UserHandle, r.Credential.UserHandle) ||
		c.SignCount != 1 || !c.CreatedAt.Equal(clock.Now()) || !c.LastUsedAt.IsZero() || len(c.AAGUID) != 16 {
		t.Fatalf("credential = %+v, %v", c, err)
	}
	if d, err := s.GetDevice(ctx, r.Device); err != nil || d.UserID != u.ID || !d.RemovedAt.IsZero() {
		t.Fatalf("device = %+v, %v", d, err)
	}
	inv, err = s.GetInvite(ctx, license.InviteHash(code))
	if err != nil || !inv.UsedAt.Equal(clock.Now()) || inv.UserID != u.ID || !errors.Is(inv.Usable(clock.Now()), license.ErrInviteUsed) {
		t.Fatalf("used invite = %+v, %v", inv, err)
	}

	// Refusals change nothing: no user, no credential, no device, the
	// invite as it was.
	expired := invite(t, s, clock, "", 30*time.Minute)
	fresh := invite(t, s, clock, "", 2*time.Hour)
	taken := webUser(fresh, 4)
	taken.Credential.ID = r.Credential.ID
	bound := webUser(fresh, 5)
	bound.Device = r.Device
	clock.Advance(time.Hour)
	for name, tc := range map[string]struct {
		r    license.WebRegistration
		want error
	}{
		"a used invite":           {webUser(code, 2), license.ErrInviteUsed},
		"an expired invite":       {webUser(expired, 3), license.ErrInviteExpired},
		"an unknown code":         {webUser("not-a-code", 6), license.ErrUnknownInvite},
		"a registered user id":    {func() license.WebRegistration { w := webUser(fresh, 7); w.User.ID = u.ID; return w }(), license.ErrUserExists},
		"a registered credential": {taken, license.ErrCredentialExists},
		"a bound device":          {bound, license.ErrDeviceExists},
		"a card holder":           {func() license.WebRegistration { w := webUser(fresh, 8); w.User.CertSHA256[0] = 1; return w }(), license.ErrInvalidInput},
		"a malformed device":      {func() license.WebRegistration { w := webUser(fresh, 9); w.Device = "ABC"; return w }(), license.ErrInvalidInput},
		"a long credential id": {func() license.WebRegistration {
			w := webUser(fresh, 10)
			w.Credential.ID = make([]byte, 1024)
			return w
		}(), license.ErrInvalidInput},
		"a long user handle": {func() license.WebRegistration {
			w := webUser(fresh, 11)
			w.Credential.UserHandle = make([]byte, 65)
			return w
		}(), license.ErrInvalidInput},
	} {
		if _, err := s.RegisterWebUser(ctx, tc.r, clock.Now()); !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", name, err, tc.want)
		}
	}
	users, err := s.ListUsers(ctx)
	if err != nil || len(users) != 1 {
		t.Fatalf("%d users after the refusals, want 1: %v", len(users), err)
	}
	if inv, _ := s.GetInvite(ctx, license.InviteHash(fresh)); !inv.UsedAt.IsZero() {
		t.Fatal("a refused registration consumed the invite")
	}
	if devices, _ := s.ListDevices(ctx, ""); len(devices) != 1 {
		t.Fatalf("%d devices after the refusals, want 1", len(devices))
	}
	if _, err := s.GetInvite(ctx, license.InviteHash("nothing")); !errors.Is(err, license.ErrUnknownInvite) {
		t.Fatalf("GetInvite(unknown) = %v", err)
	}
	if err := s.CreateInvite(ctx, license.Invite{CodeHash: license.InviteHash("x"), CreatedAt: clock.Now(), ExpiresAt: clock.Now()}); !errors.Is(err, license.ErrInvalidInput) {
		t.Fatalf("an invite that expires as it is made: %v", err)
	}
}

func testRacingRegistrations(t *testing.T, db DB) {
	ctx := context.Background()
	clock := NewClock()
	code := invite(t, db.Open(t), clock, "", time.Hour)
	const racers = 6
	var wg sync.WaitGroup
	errs := make([]error, racers)
	for i := range racers {
		s := db.Open(t) // each as another server replica
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = s.RegisterWebUser(ctx, webUser(code, 100+i), clock.Now())
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, license.ErrInviteUsed):
			t.Errorf("a losing registration: %v, want ErrInviteUsed", err)
		}
	}
	users, err := db.Open(t).ListUsers(ctx)
	if won != 1 || err != nil || len(users) != 1 {
		t.Fatalf("%d registrations won, %d users (%v); want one", won, len(users), err)
	}
}

func testSignCount(t *testing.T, db DB) {
	ctx := context.Background()
	s, clock := db.Open(t), NewClock()
	r := webUser(invite(t, s, clock, "", time.Hour), 1)
	r.Credential.SignCount = 4
	if _, err := s.RegisterWebUser(ctx, r, clock.Now()); err != nil {
		t.Fatal(err)
	}
	id := r.Credential.ID
	for _, step := range []struct {
		count uint32
		want  error
	}{{5, nil}, {5, license.ErrSignCount}, {3, license.ErrSignCount}, {0, license.ErrSignCount}, {9, nil}} {
		clock.Advance(time.Minute)
		if err := s.UseWebAuthnCredential(ctx, id, step.count, clock.Now()); !errors.Is(err, step.want) {
			t.Fatalf("counter %d: got %v, want %v", step.count, err, step.want)
		}
	}
	if c, _ := s.GetWebAuthnCredential(ctx, id); c.SignCount != 9 || !c.LastUsedAt.Equal(clock.Now()) {
		t.Fatalf("credential after the logins: count %d, last used %v", c.SignCount, c.LastUsedAt)
	}
	// An authenticator that keeps no counter reports 0 each time, until
	// it reports one.
	z := webUser(invite(t, s, clock, "", time.Hour), 2)
	z.Credential.SignCount = 0
	if _, err := s.RegisterWebUser(ctx, z, clock.Now()); err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		count uint32
		want  error
	}{{0, nil}, {0, nil}, {1, nil}, {0, license.ErrSignCount}} {
		if err := s.UseWebAuthnCredential(ctx, z.Credential.ID, step.count, clock.Now()); !errors.Is(err, step.want) {
			t.Fatalf("counter %d of a counterless credential: got %v, want %v", step.count, err, step.want)
		}
	}
	if err := s.UseWebAuthnCredential(ctx, []byte("unknown"), 1, clock.Now()); !errors.Is(err, license.ErrUnknownCredential) {
		t.Fatalf("an unknown credential: %v", err)
	}
	if _, err := s.GetWebAuthnCredential(ctx, []byte("unknown")); !errors.Is(err, license.ErrUnknownCredential) {
		t.Fatalf("GetWebAuthnCredential(unknown): %v", err)
	}
	// Racing logins with the same counter: one wins.
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		other := db.Open(t)
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = other.UseWebAuthnCredential(ctx, id, 10, clock.Now()) }()
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
		} else if !errors.Is(err, license.ErrSignCount) {
			t.Errorf("a losing login: %v", err)
		}
	}
	if won != 1 {
		t.Fatalf("%d logins with counter 10 won, want one", won)
	}
}

func testDevices(t *testing.T, db DB) {
	ctx := context.Background()
	s := db.Open(t)
	f := newFixture(t, s)
	var regs []license.WebRegistration
	for i := range 3 {
		r := webUser(invite(t, s, f.clock, "", time.Hour), 3-i) // registered in the reverse order of their ids
		if i == 2 {
			r.User.ID = regs[0].User.ID + "-2"
			r.Device = device(r.User.ID)
		}
		if _, err := s.RegisterWebUser(ctx, r, f.clock.Now()); err != nil {
			t.Fatal(err)
		}
		regs = append(regs, r)
		f.clock.Advance(time.Second)
	}
	all, err := s.ListDevices(ctx, "")
	if err != nil || len(all) != 3 {
		t.Fatalf("ListDevices = %+v, %v", all, err)
	}
	for i := 1; i < len(all); i++ {
		if all[i-1].UserID > all[i].UserID {
			t.Fatalf("devices not ordered by user: %+v", all)
		}
	}
	mine, err := s.ListDevices(ctx, regs[1].User.ID)
	if err != nil || len(mine) != 1 || mine[0].SPKI != regs[1].Device {
		t.Fatalf("ListDevices(%s) = %+v, %v", regs[1].User.ID, mine, err)
	}

	// A play from the device goes on until the device is removed: its
	// next fetch is refused, every replica reading the same store.
	u := regs[0].User.ID
	pl := f.start(t, u, movie, license.Policy{}, 12)
	pl.mustFetch(0, 4)
	f.clock.Advance(time.Minute)
	d, err := s.RemoveDevice(ctx, regs[0].Device, f.clock.Now())
	if err != nil || !d.RemovedAt.Equal(f.clock.Now()) || d.UserID != u {
		t.Fatalf("RemoveDevice = %+v, %v", d, err)
	}
	if rec, err := s.GetPlayRecord(ctx, pl.pg.Play.ID); err != nil || !rec.DeviceRemoved || rec.UserDisabled {
		t.Fatalf("the play record after the removal: %+v, %v", rec, err)
	}
	if _, err := pl.fetch(4, 1); !errors.Is(err, license.ErrDeviceRemoved) {
		t.Fatalf("a fetch from a removed device: got %v, want ErrDeviceRemoved", err)
	}
	if rec, _ := s.GetPlayRecord(ctx, f.start(t, alice, song, license.Policy{}, 12).pg.Play.ID); rec.DeviceRemoved {
		t.Fatal("a play from another device reads as removed")
	}
	if _, err := s.RemoveDevice(ctx, regs[0].Device, f.clock.Now()); !errors.Is(err, license.ErrDeviceRemoved) {
		t.Fatalf("removing twice: %v", err)
	}
	if _, err := s.RemoveDevice(ctx, device("nobody"), f.clock.Now()); !errors.Is(err, license.ErrUnknownDevice) {
		t.Fatalf("removing an unknown device: %v", err)
	}
	if _, err := s.GetDevice(ctx, "not hex"); !errors.Is(err, license.ErrInvalidInput) {
		t.Fatalf("GetDevice(not hex): %v", err)
	}
	// A removed device is never bound again.
	again := webUser(invite(t, s, f.clock, "", time.Hour), 9)
	again.Device = regs[0].Device
	if _, err := s.RegisterWebUser(ctx, again, f.clock.Now()); !errors.Is(err, license.ErrDeviceExists) {
		t.Fatalf("registering with a removed device: %v", err)
	}
	if got, err := s.GetDevice(ctx, regs[0].Device); err != nil || got.RemovedAt.IsZero() {
		t.Fatalf("the removed device = %+v, %v", got, err)
	}
}

func testBrowserAudit(t *testing.T, db DB) {
	ctx := context.Background()
	s, clock := db.Open(t), NewClock()
	code := invite(t, s, clock, "Alice", time.Hour)
	r := webUser(code, 1)
	if _, err := s.RegisterWebUser(ctx, r, clock.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RemoveDevice(ctx, r.Device, clock.Now()); err != nil {
		t.Fatal(err)
	}
	events, err := s.ListEvents(ctx, license.EventFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range events {
		kinds = append(kinds, e.Kind)
		if strings.Contains(e.Detail, code) {
			t.Fatalf("event %d names the invite code: %q", e.Seq, e.Detail)
		}
	}
	want := []string{license.EventInvite, license.EventUserAdd, license.EventDeviceAdd, license.EventDeviceRemove}
	if strings.Join(kinds, " ") != strings.Join(want, " ") {
		t.Fatalf("events %v, want %v", kinds, want)
	}
	ref := license.Invite{CodeHash: license.InviteHash(code)}.Ref()
	if !strings.Contains(events[0].Detail, ref) || !strings.Contains(events[1].Detail, ref) || events[1].UserID != r.User.ID {
		t.Fatalf("the invite and the registration do not name invite %s: %q, %q", ref, events[0].Detail, events[1].Detail)
	}
	if n, _, err := license.VerifyStore(ctx, s); err != nil || n != 4 {
		t.Fatalf("VerifyStore: %d events, %v", n, err)
	}
}
