package kex

import (
	"bytes"
	"errors"
	"testing"
)

// fuzzRespond feeds arbitrary client shares to the server side of a group:
// it must never panic, and must either refuse with ErrInvalidShare or
// produce a share of the right length that a matching client could finish.
func fuzzRespond(f *testing.F, name string) {
	g := mustGroup(f, name)
	_, valid, err := g.GenerateShare(seeded(1))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(valid)
	f.Add([]byte{})
	f.Add(make([]byte, len(valid)))
	f.Add(bytes.Repeat([]byte{0xff}, len(valid)))
	f.Add(valid[:len(valid)-1])
	f.Fuzz(func(t *testing.T, share []byte) {
		serverShare, secret, err := g.Respond(seeded(2), share)
		if err != nil {
			if !errors.Is(err, ErrInvalidShare) {
				t.Fatalf("Respond: %v", err)
			}
			return
		}
		lens := shareLens[name]
		if len(share) != lens[0] || len(serverShare) != lens[1] || len(secret) != lens[2] {
			t.Fatalf("accepted a %d-byte share, answered %d bytes and a %d-byte secret", len(share), len(serverShare), len(secret))
		}
	})
}

// fuzzFinish feeds arbitrary server shares to the client side of a group:
// it must never panic and must refuse anything malformed with
// ErrInvalidShare. A genuine server share must still agree.
func fuzzFinish(f *testing.F, name string) {
	g := mustGroup(f, name)
	_, clientShare, err := g.GenerateShare(seeded(1))
	if err != nil {
		f.Fatal(err)
	}
	valid, validSecret, err := g.Respond(seeded(2), clientShare)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(valid)
	f.Add([]byte{})
	f.Add(make([]byte, len(valid)))
	f.Add(bytes.Repeat([]byte{0xff}, len(valid)))
	f.Add(append(bytes.Clone(valid), 0))
	f.Fuzz(func(t *testing.T, share []byte) {
		priv, _, err := g.GenerateShare(seeded(1))
		if err != nil {
			t.Fatal(err)
		}
		secret, err := priv.Finish(share)
		if err != nil {
			if !errors.Is(err, ErrInvalidShare) {
				t.Fatalf("Finish: %v", err)
			}
			return
		}
		if len(share) != shareLens[name][1] || len(secret) != shareLens[name][2] {
			t.Fatalf("accepted a %d-byte share giving a %d-byte secret", len(share), len(secret))
		}
		if bytes.Equal(share, valid) && !bytes.Equal(secret, validSecret) {
			t.Fatal("the genuine server share gave another secret")
		}
	})
}

func FuzzRespondX25519MLKEM768(f *testing.F) { fuzzRespond(f, NameX25519MLKEM768) }
func FuzzRespondX25519(f *testing.F)         { fuzzRespond(f, NameX25519) }
func FuzzRespondP256(f *testing.F)           { fuzzRespond(f, NameP256) }
func FuzzRespondP384(f *testing.F)           { fuzzRespond(f, NameP384) }
func FuzzRespondFFDHE2048(f *testing.F)      { fuzzRespond(f, NameFFDHE2048) }
func FuzzRespondFFDHE3072(f *testing.F)      { fuzzRespond(f, NameFFDHE3072) }

func FuzzFinishX25519MLKEM768(f *testing.F) { fuzzFinish(f, NameX25519MLKEM768) }
func FuzzFinishX25519(f *testing.F)         { fuzzFinish(f, NameX25519) }
func FuzzFinishP256(f *testing.F)           { fuzzFinish(f, NameP256) }
func FuzzFinishP384(f *testing.F)           { fuzzFinish(f, NameP384) }
func FuzzFinishFFDHE2048(f *testing.F)      { fuzzFinish(f, NameFFDHE2048) }
func FuzzFinishFFDHE3072(f *testing.F)      { fuzzFinish(f, NameFFDHE3072) }
