package license_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

	"securemedia/license"
)

func chain(n int) []license.Event {
	var out []license.Event
	var seq int64
	var prev [32]byte
	for i := 0; i < n; i++ {
		e := license.Event{Time: time.Unix(int64(1000+i), 0), Kind: license.EventPlay, UserID: "u", MediaID: "m", LicenseID: "l", Detail: "d"}.Seal(seq, prev)
		seq, prev = e.Seq, e.Hash
		out = append(out, e)
	}
	return out
}

// TestEventHashKnownAnswer pins the canonical encoding: changing it would
// break every existing audit log.
func TestEventHashKnownAnswer(t *testing.T) {
	e := license.Event{Time: time.Unix(1000, 0), Kind: "play", UserID: "u", MediaID: "m", LicenseID: "l", Detail: "d"}.Seal(0, [32]byte{})
	// The encoding spelled out by hand: context, seq, time in ns, five
	// uint32-length-prefixed strings, the previous hash.
	enc := "securemedia v1 audit event" +
		"0000000000000001" + "000000e8d4a51000" +
		"00000004" + "706c6179" + "00000001" + "75" + "00000001" + "6d" + "00000001" + "6c" + "00000001" + "64" +
		strings.Repeat("00", 32)
	raw, err := hex.DecodeString(hex.EncodeToString([]byte(enc[:26])) + enc[26:])
	if err != nil {
		t.Fatal(err)
	}
	want := sha256.Sum256(raw)
	if e.Hash != want {
		t.Fatalf("hash %x, want %x", e.Hash, want)
	}
	if got := hex.EncodeToString(e.Hash[:]); got != "a08b4f02fdc4abae1b28fe6d745bc65a2a26619e7621d7b42fe7b4032652d0a5" {
		t.Fatalf("hash %s changed", got)
	}
}

func TestVerifyChain(t *testing.T) {
	good := chain(5)
	if err := license.VerifyChain(good); err != nil {
		t.Fatalf("intact chain: %v", err)
	}
	cases := []struct {
		name    string
		mutate  func([]license.Event) []license.Event
		wantSeq int64
	}{
		{"a removed event", func(e []license.Event) []license.Event { return append(e[:2:2], e[3:]...) }, 3},
		{"a removed first event", func(e []license.Event) []license.Event { return e[1:] }, 1},
		{"an altered detail", func(e []license.Event) []license.Event { e[1].Detail = "x"; return e }, 2},
		{"an altered time", func(e []license.Event) []license.Event { e[3].Time = e[3].Time.Add(time.Second); return e }, 4},
		{"swapped events", func(e []license.Event) []license.Event { e[1], e[2] = e[2], e[1]; return e }, 2},
		{"renumbered swapped events", func(e []license.Event) []license.Event {
			e[1], e[2] = e[2], e[1]
			e[1].Seq, e[2].Seq = 2, 3
			return e
		}, 2},
		{"an inserted resealed event", func(e []license.Event) []license.Event {
			ins := license.Event{Kind: "grant"}.Seal(e[1].Seq, e[1].Hash)
			return append(append(e[:2:2], ins), e[2:]...)
		}, 4},
	}
	for _, c := range cases {
		t.Run("the chain detects "+c.name, func(t *testing.T) {
			events := append([]license.Event(nil), good...)
			err := license.VerifyChain(c.mutate(events))
			var ae *license.AuditError
			if !errors.As(err, &ae) || ae.Seq != c.wantSeq {
				t.Fatalf("got %v, want *AuditError at %d", err, c.wantSeq)
			}
		})
	}
}
