package license_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"securemedia/license"
)

func TestParsePolicy(t *testing.T) {
	cases := []struct {
		name   string
		views  int
		period string
		want   license.Policy
		err    bool
	}{
		{"five views without a period", 5, "", license.Policy{Views: 5}, false},
		{"unlimited views for seconds", 0, "30s", license.Policy{Period: 30 * time.Second}, false},
		{"views and minutes", 3, "90m", license.Policy{Views: 3, Period: 90 * time.Minute}, false},
		{"days", 0, "7d", license.Policy{Period: 7 * 24 * time.Hour}, false},
		{"negative views are refused", -1, "", license.Policy{}, true},
		{"too many views are refused", license.MaxViews + 1, "", license.Policy{}, true},
		{"a negative period is refused", 1, "-1h", license.Policy{}, true},
		{"a sub-second period is refused", 1, "10ms", license.Policy{}, true},
		{"garbage is refused", 1, "soon", license.Policy{}, true},
		{"fractional days are refused", 1, "1.5d", license.Policy{}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := license.ParsePolicy(c.views, c.period)
			if c.err {
				if !errors.Is(err, license.ErrInvalidPolicy) {
					t.Fatalf("got %v, %v; want ErrInvalidPolicy", got, err)
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("got %+v, %v; want %+v", got, err, c.want)
			}
		})
	}
}

func TestLicenseState(t *testing.T) {
	now := time.Unix(1_900_000_000, 0).UTC()
	l := license.License{ID: "x"}.Renewed(license.Policy{Views: 2, Period: time.Hour}, now)
	if l.ViewsLeft() != 2 || l.TimeLeft(now) != time.Hour || l.Playable(now) != nil {
		t.Fatalf("fresh license %+v", l)
	}
	l.ViewsUsed = 2
	if !errors.Is(l.Playable(now), license.ErrExhausted) {
		t.Fatal("a license with no views left is playable")
	}
	l.ViewsUsed = 0
	if !errors.Is(l.Playable(now.Add(time.Hour)), license.ErrExpired) || l.TimeLeft(now.Add(2*time.Hour)) != 0 {
		t.Fatal("a license past its period is playable")
	}
	l.Revoked = true
	if !errors.Is(l.Playable(now), license.ErrRevoked) {
		t.Fatal("a revoked license is playable")
	}
	u := license.License{}.Renewed(license.Policy{}, now)
	if u.ViewsLeft() != -1 || u.TimeLeft(now) != -1 || u.Playable(now.Add(1e6*time.Hour)) != nil {
		t.Fatalf("unlimited license %+v", u)
	}
}

func TestRemaining(t *testing.T) {
	now := time.Unix(1_900_000_000, 0).UTC()
	cases := []struct {
		name   string
		policy license.Policy
		used   int
		want   string
	}{
		{"views only", license.Policy{Views: 5}, 1, "4 views left"},
		{"one view", license.Policy{Views: 5}, 4, "1 view left"},
		{"period only", license.Policy{Period: 48 * time.Hour}, 3, "48h0m0s left"},
		{"both", license.Policy{Views: 2, Period: time.Hour}, 0, "2 views left, 1h0m0s left"},
		{"neither", license.Policy{}, 9, "unlimited"},
	}
	for _, c := range cases {
		t.Run("a license with "+c.name+" says "+c.want, func(t *testing.T) {
			l := license.License{}.Renewed(c.policy, now)
			l.ViewsUsed = c.used
			if got := l.Remaining(now); got != c.want {
				t.Fatalf("Remaining = %q, want %q", got, c.want)
			}
		})
	}
}

func TestPolicyJSON(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    license.Policy
		want string
	}{
		{"views only", license.Policy{Views: 5}, `{"views":5}`},
		{"views and a period", license.Policy{Views: 3, Period: 72 * time.Hour}, `{"views":3,"period":"72h0m0s"}`},
		{"unlimited", license.Policy{}, `{"views":0}`},
	} {
		t.Run(tc.name+" encodes as media items store it and decodes back", func(t *testing.T) {
			b, err := json.Marshal(tc.p)
			if err != nil || string(b) != tc.want {
				t.Fatalf("Marshal = %s, %v; want %s", b, err, tc.want)
			}
			got, err := license.PolicyFromJSON(b, license.DefaultPolicy)
			if err != nil || got != tc.p {
				t.Fatalf("PolicyFromJSON = %+v, %v", got, err)
			}
		})
	}
	def := license.Policy{Views: 9}
	for _, absent := range []string{"", " ", "null"} {
		if got, err := license.PolicyFromJSON([]byte(absent), def); err != nil || got != def {
			t.Errorf("absent policy %q = %+v, %v; want the default", absent, got, err)
		}
	}
	for _, bad := range []string{`{"views":-1}`, `{"views":1,"period":"soon"}`, `{"views":1,"price":2}`, `{"views":"1"}`, `[1]`} {
		if _, err := license.PolicyFromJSON([]byte(bad), def); !errors.Is(err, license.ErrInvalidPolicy) {
			t.Errorf("PolicyFromJSON(%s) = %v, want ErrInvalidPolicy", bad, err)
		}
	}
	if _, err := json.Marshal(license.Policy{Views: -1}); err == nil {
		t.Error("an invalid policy was encoded")
	}
}
