package pki

import (
	"crypto/x509"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"
)

const day = 24 * time.Hour

// crlValid makes a CRL mutation: the given number, valid from an hour
// before testNow for the given duration.
func crlValid(number int64, d time.Duration) func(*x509.RevocationList) {
	return func(r *x509.RevocationList) {
		r.Number = big.NewInt(number)
		r.ThisUpdate, r.NextUpdate = testNow.Add(-time.Hour), testNow.Add(d)
	}
}

func sources(l CRLStatuses) []string {
	var out []string
	for _, s := range l {
		out = append(out, s.Source)
	}
	return out
}

func sameList(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestCRLSetReportsWhichCRLsGoStale(t *testing.T) {
	root := newTestRoot(t, "Test Root", nil)
	inter := root.subCA(t, "Test Intermediate", nil)
	dir := t.TempDir()
	write := func(name string, der []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, der, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// The intermediate's CRL is listed first but goes stale last.
	paths := []string{write("intermediate.crl", inter.crl(t, crlValid(9, 8*day))), write("root.crl", root.crl(t, crlValid(3, 2*day)))}
	set, err := NewCRLSet(paths)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("the status names each crl's file, issuer, number and next update in path order", func(t *testing.T) {
		st := set.Status()
		if len(st) != 2 {
			t.Fatalf("%d statuses, want 2", len(st))
		}
		want := []CRLStatus{
			{Source: "intermediate", Issuer: "CN=Test Intermediate", Number: big.NewInt(9), NextUpdate: testNow.Add(8 * day)},
			{Source: "root", Issuer: "CN=Test Root", Number: big.NewInt(3), NextUpdate: testNow.Add(2 * day)},
		}
		for i, w := range want {
			g := st[i]
			if g.Source != w.Source || g.Issuer != w.Issuer || g.Number.Cmp(w.Number) != 0 || !g.NextUpdate.Equal(w.NextUpdate) || !g.ThisUpdate.Equal(testNow.Add(-time.Hour)) {
				t.Errorf("status %d = %v, want %v", i, g, w)
			}
		}
		if got := st[1].String(); got != "root: crl of CN=Test Root number 3, next update 2026-06-03T12:00:00Z" {
			t.Errorf("String() = %q", got)
		}
	})
	for _, tc := range []struct {
		name string
		now  time.Time
		d    time.Duration
		want []string
	}{
		{"no crl is stale within a day", testNow, day, nil},
		{"the root's crl is stale within three days", testNow, 3 * day, []string{"root"}},
		{"both are stale within ten days, the sooner first", testNow, 10 * day, []string{"root", "intermediate"}},
		{"a crl is stale from the instant of its next update", testNow.Add(2 * day), 0, []string{"root"}},
		{"a crl is not stale an instant before its next update", testNow.Add(2*day - time.Nanosecond), 0, nil},
		{"an already stale crl is reported", testNow.Add(9 * day), day, []string{"root", "intermediate"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := sources(set.StaleWithin(tc.now, tc.d)); !sameList(got, tc.want) {
				t.Fatalf("StaleWithin = %v, want %v", got, tc.want)
			}
		})
	}

	t.Run("the status follows a reload", func(t *testing.T) {
		write("root.crl", root.crl(t, crlValid(4, 30*day)))
		if err := set.Reload(); err != nil {
			t.Fatal(err)
		}
		st := set.Status()
		if st[1].Number.Int64() != 4 || !st[1].NextUpdate.Equal(testNow.Add(30*day)) {
			t.Fatalf("after reload: %v", st[1])
		}
		if got := sources(set.StaleWithin(testNow, 10*day)); !sameList(got, []string{"intermediate"}) {
			t.Fatalf("StaleWithin after reload = %v", got)
		}
	})

	t.Run("a caller cannot change the set's status", func(t *testing.T) {
		st := set.Status()
		st[0].Source = "changed"
		st[0].Number.SetInt64(1000)
		if again := set.Status(); again[0].Source != "intermediate" || again[0].Number.Int64() != 9 {
			t.Fatalf("status changed through a returned copy: %v", again[0])
		}
	})
}

func TestCRLStatusWithoutNextUpdateIsAlwaysStale(t *testing.T) {
	s := CRLStatus{Source: "x", Issuer: "CN=X"}
	if !s.StaleAt(testNow.Add(-100*365*day)) || len(CRLStatuses{s}.StaleWithin(testNow, 0)) != 1 {
		t.Fatal("a crl without next update was not reported stale")
	}
	if got := s.String(); got != "x: crl of CN=X, no next update" {
		t.Fatalf("String() = %q", got)
	}
}

func TestValidatorReportsTheCRLsItReliesOn(t *testing.T) {
	root := newTestRoot(t, "Test Root", nil)
	inter := root.subCA(t, "Test Intermediate", nil)
	leaf := inter.leaf(t, nil)
	variant := inter.withName(rawName(rdn(utf8s(oidCN, "test intermediate"))))
	now := testNow
	v, err := NewValidator(ValidatorOptions{
		Roots: []*x509.Certificate{root.cert},
		// Two CRLs of the intermediate, under two encodings of its name:
		// the newer (number 5) is the one relied on.
		CRLs:            [][]byte{root.crl(t, crlValid(2, 6*day)), inter.crl(t, crlValid(3, day)), crlBy(t, variant.cert, variant.key, crlValid(5, 3*day))},
		CheckRevocation: true,
		Now:             func() time.Time { return now },
	})
	if err != nil {
		t.Fatal(err)
	}
	st := v.CRLStatus()
	if got := sources(st); !sameList(got, []string{"crl 1", "crl 3"}) {
		t.Fatalf("sources %v, want crl 1 and crl 3", got)
	}
	if st[1].Number.Int64() != 5 || !st[1].NextUpdate.Equal(testNow.Add(3*day)) {
		t.Fatalf("intermediate status %v, want number 5", st[1])
	}
	stale := st.StaleWithin(testNow, 4*day)
	if len(stale) != 1 || stale[0].Source != "crl 3" {
		t.Fatalf("stale within 4 days: %v", stale)
	}
	// What the status predicts is what the validator does.
	chain := ders(leaf.cert, inter.cert)
	now = stale[0].NextUpdate.Add(-time.Second)
	if _, err := v.Verify(chain, UsageServer, ""); err != nil {
		t.Fatalf("a second before the reported next update: %v", err)
	}
	now = stale[0].NextUpdate
	if _, err := v.Verify(chain, UsageServer, ""); ReasonOf(err) != ReasonCRLStale {
		t.Fatalf("at the reported next update: got %v, want a stale crl", err)
	}
}
