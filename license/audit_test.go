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

func TestEventJSONRoundTrip(t *testing.T) {
	for _, e := range chain(3) {
		e.Time = e.Time.Add(123456789 * time.Nanosecond)
		e.Detail = "play 00ff; \"quoted\"\n\x01 é"
		e = e.Seal(e.Seq-1, e.PrevHash)
		b, err := e.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		var got license.Event
		if err := got.UnmarshalJSON(b); err != nil {
			t.Fatal(err)
		}
		if got.ComputeHash() != e.Hash || got.Hash != e.Hash || got.PrevHash != e.PrevHash || !got.Time.Equal(e.Time) {
			t.Fatalf("round trip of %s gave %+v", b, got)
		}
	}
}

func TestVerifyExport(t *testing.T) {
	var b strings.Builder
	for _, e := range chain(5) {
		line, err := e.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	n, head, err := license.VerifyExport(strings.NewReader(b.String()))
	if want := chain(5)[4].Hash; err != nil || n != 5 || head != want {
		t.Fatalf("VerifyExport = %d, %x, %v; want 5 events ending at %x", n, head, err, want)
	}
	// Not from event 1: the chain does not start there.
	rest := b.String()[strings.Index(b.String(), "\n")+1:]
	var ae *license.AuditError
	if _, _, err := license.VerifyExport(strings.NewReader(rest)); !errors.As(err, &ae) || ae.Seq != 1 {
		t.Fatalf("an export without its first event: %v", err)
	}
	if _, _, err := license.VerifyExport(strings.NewReader(strings.Repeat("x", 70<<10))); err == nil {
		t.Fatal("an oversized line verified")
	}
	if n, _, err := license.VerifyExport(strings.NewReader("")); err != nil || n != 0 {
		t.Fatalf("an empty export: %d, %v", n, err)
	}
}

func FuzzVerifyExport(f *testing.F) {
	var b strings.Builder
	for _, e := range chain(2) {
		line, _ := e.MarshalJSON()
		b.Write(line)
		b.WriteByte('\n')
	}
	f.Add(b.String())
	f.Add("{}\n")
	f.Add(`{"seq":1,"time":"2030-01-02T03:04:05Z","kind":"x","prev_hash":"","hash":""}` + "\n")
	f.Fuzz(func(t *testing.T, s string) {
		n, _, err := license.VerifyExport(strings.NewReader(s))
		if err == nil && n > 0 {
			// Whatever verified must decode and chain again.
			evs, rerr := license.ReadExport(strings.NewReader(s))
			if rerr != nil || license.VerifyChain(evs) != nil || int64(len(evs)) != n {
				t.Fatalf("verified %d events that do not chain again: %v", n, rerr)
			}
		}
	})
}
