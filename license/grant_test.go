package license_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
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
	grant := g.IssuePlay(sid, "media-1", "play-1", now.Add(time.Minute))
	id, err := g.CheckPlay(grant, sid, "media-1")
	if err != nil || id != "play-1" {
		t.Fatalf("CheckPlay = %q, %v; want play-1", id, err)
	}
	// Version 1, a license grant of before durable plays, with a valid MAC.
	v1 := g.IssuePlay(sid, "media-1", "lic-1", now.Add(time.Minute))
	v1[0] = 1
	v1 = append(v1[:len(v1)-32], hmacOf(t, v1[:len(v1)-32])...)
	cases := []struct {
		name  string
		grant []byte
		sid   []byte
		media string
	}{
		{"no grant", nil, sid, "media-1"},
		{"another session", grant, []byte("session-other"), "media-1"},
		{"another media", grant, sid, "media-2"},
		{"with a flipped bit", flip(grant, 5), sid, "media-1"},
		{"with a flipped MAC bit", flip(grant, len(grant)-1), sid, "media-1"},
		{"oversized", make([]byte, license.MaxGrantSize+1), sid, "media-1"},
		{"of version 1", v1, sid, "media-1"},
	}
	for _, c := range cases {
		t.Run("a grant is refused "+c.name, func(t *testing.T) {
			if _, err := g.CheckPlay(c.grant, c.sid, c.media); !errors.Is(err, license.ErrBadGrant) {
				t.Fatalf("got %v, want ErrBadGrant", err)
			}
		})
	}
	other, _ := license.NewGrants(bytes.NewReader(bytes.Repeat([]byte{8}, 32)))
	if _, err := other.CheckPlay(grant, sid, "media-1"); !errors.Is(err, license.ErrBadGrant) {
		t.Fatalf("grant checked under another key: got %v, want ErrBadGrant", err)
	}
}

func TestNewGrantsFailsWithoutRandomness(t *testing.T) {
	if _, err := license.NewGrants(bytes.NewReader(nil)); err == nil {
		t.Fatal("NewGrants with an empty reader succeeded")
	}
}

// hmacOf is the grant MAC of body under the test key (7s), as the
// package computes it.
func hmacOf(t *testing.T, body []byte) []byte {
	t.Helper()
	h := hmac.New(sha256.New, bytes.Repeat([]byte{7}, 32))
	h.Write([]byte("securemedia v1 play grant"))
	h.Write(body)
	return h.Sum(nil)
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
	good := g.IssuePlay([]byte("sid"), "m", "l", now.Add(time.Hour))
	f.Add(good)
	f.Add([]byte{})
	f.Add(flip(good, 2))
	f.Fuzz(func(t *testing.T, b []byte) {
		id, err := g.CheckPlay(b, []byte("sid"), "m")
		if err == nil && (!bytes.Equal(b, good) || id != "l") {
			t.Fatalf("an unissued grant checked: %x", b)
		}
	})
}
