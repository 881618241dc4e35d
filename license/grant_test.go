package license_test

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"securemedia/license"
)

func TestGrantCheck(t *testing.T) {
	g, err := license.NewGrants(bytes.NewReader(bytes.Repeat([]byte{7}, 32)))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1_900_000_000, 0)
	sid := []byte("session-0123456789")
	grant := g.Issue(sid, "media-1", "lic-1", now.Add(time.Minute))
	id, err := g.Check(grant, sid, "media-1", now)
	if err != nil || id != "lic-1" {
		t.Fatalf("Check = %q, %v; want lic-1", id, err)
	}
	cases := []struct {
		name  string
		grant []byte
		sid   []byte
		media string
		at    time.Time
	}{
		{"no grant", nil, sid, "media-1", now},
		{"another session", grant, []byte("session-other"), "media-1", now},
		{"another media", grant, sid, "media-2", now},
		{"at its expiry", grant, sid, "media-1", now.Add(time.Minute)},
		{"with a flipped bit", flip(grant, 5), sid, "media-1", now},
		{"with a flipped MAC bit", flip(grant, len(grant)-1), sid, "media-1", now},
		{"oversized", make([]byte, license.MaxGrantSize+1), sid, "media-1", now},
	}
	for _, c := range cases {
		t.Run("a grant is refused "+c.name, func(t *testing.T) {
			if _, err := g.Check(c.grant, c.sid, c.media, c.at); !errors.Is(err, license.ErrBadGrant) {
				t.Fatalf("got %v, want ErrBadGrant", err)
			}
		})
	}
	other, _ := license.NewGrants(bytes.NewReader(bytes.Repeat([]byte{8}, 32)))
	if _, err := other.Check(grant, sid, "media-1", now); !errors.Is(err, license.ErrBadGrant) {
		t.Fatalf("grant checked under another key: got %v, want ErrBadGrant", err)
	}
}

func TestNewGrantsFailsWithoutRandomness(t *testing.T) {
	if _, err := license.NewGrants(bytes.NewReader(nil)); err == nil {
		t.Fatal("NewGrants with an empty reader succeeded")
	}
}

func flip(b []byte, i int) []byte {
	c := append([]byte(nil), b...)
	c[i] ^= 1
	return c
}

func FuzzGrantCheck(f *testing.F) {
	g, err := license.NewGrants(bytes.NewReader(bytes.Repeat([]byte{7}, 32)))
	if err != nil {
		f.Fatal(err)
	}
	now := time.Unix(1_900_000_000, 0)
	good := g.Issue([]byte("sid"), "m", "l", now.Add(time.Hour))
	f.Add(good)
	f.Add([]byte{})
	f.Add(flip(good, 2))
	f.Fuzz(func(t *testing.T, b []byte) {
		id, err := g.Check(b, []byte("sid"), "m", now)
		if err == nil && (!bytes.Equal(b, good) || id != "l") {
			t.Fatalf("an unissued grant checked: %x", b)
		}
	})
}
