package protocol

import (
	"bytes"
	"errors"
	"sync"
	"testing"
)

func established(t *testing.T) (c, s *Session) {
	t.Helper()
	p := newPair(t)
	cc := *p.client
	cc.Groups = []GroupID{GroupX25519}
	res := mustHandshake(t, &cc, p.server)
	return res.client, res.server
}

func TestFlippingAnyByteOfARecordIsRejectedInBothDirections(t *testing.T) {
	c, s := established(t)
	media := mediaID{9}
	req, _ := c.Seal(nil, RecordRequest, []byte("a request payload"))
	resp, _ := s.Seal(nil, RecordResponse, []byte("a response payload"))
	chunk, _ := s.SealChunk(nil, media, 0, []byte("chunk zero"), 64)
	cases := []struct {
		name string
		rec  []byte
		open func([]byte) error
	}{
		{"client to server request", req, func(b []byte) error { _, _, err := s.Open(b, RecordRequest); return err }},
		{"server to client response", resp, func(b []byte) error { _, _, err := c.Open(b, RecordResponse); return err }},
		{"server to client chunk", chunk, func(b []byte) error { _, _, err := c.OpenChunk(nil, b, media, 0); return err }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for i := range tc.rec {
				bad := append([]byte(nil), tc.rec...)
				bad[i] ^= 0x80
				if err := tc.open(bad); err == nil {
					t.Fatalf("byte %d flipped: accepted", i)
				}
			}
			if err := tc.open(tc.rec); err != nil {
				t.Fatalf("the genuine record after the tampered ones: %v", err)
			}
		})
	}
}

func TestReplayedTruncatedAndMisdirectedRecordsAreRejected(t *testing.T) {
	c, s := established(t)
	rec, _ := c.Seal(nil, RecordRequest, []byte("once"))
	if _, _, err := s.Open(rec, RecordRequest); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Open(rec, RecordRequest); !errors.Is(err, ErrRecordRejected) {
		t.Fatalf("replay: got %v", err)
	}
	rec2, _ := c.Seal(nil, RecordRequest, []byte("twice"))
	for name, bad := range map[string][]byte{
		"truncated body":      rec2[:len(rec2)-1],
		"truncated header":    rec2[:10],
		"extended":            append(append([]byte(nil), rec2...), 0),
		"empty":               nil,
		"wrong type":          retype(rec2, RecordResponse),
		"reflected to sender": rec2,
	} {
		var err error
		if name == "reflected to sender" {
			_, _, err = c.Open(bad, RecordRequest)
		} else {
			_, _, err = s.Open(bad, RecordRequest)
		}
		if err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, _, err := s.Open(rec2, RecordRequest); err != nil {
		t.Fatalf("rejected records changed the session state: %v", err)
	}
}

func retype(rec []byte, t RecordType) []byte {
	b := append([]byte(nil), rec...)
	b[2] = byte(t)
	return b
}

func TestReorderingWithinTheWindowWorksAndBeyondItIsRejected(t *testing.T) {
	c, s := established(t)
	var recs [][]byte
	for range 5000 {
		r, _ := c.Seal(nil, RecordRequest, []byte("x"))
		recs = append(recs, r)
	}
	// Parallel HTTP requests arrive out of order: 3, 1, 2 work.
	for _, i := range []int{3, 1, 2} {
		if _, _, err := s.Open(recs[i], RecordRequest); err != nil {
			t.Fatalf("record %d within the window: %v", i, err)
		}
	}
	if _, _, err := s.Open(recs[4999], RecordRequest); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Open(recs[0], RecordRequest); !errors.Is(err, ErrRecordRejected) {
		t.Fatalf("a record older than the window was accepted: %v", err)
	}
}

func TestAChunkUnderAnotherIndexOrMediaFails(t *testing.T) {
	c, s := established(t)
	a, b := mediaID{1}, mediaID{2}
	rec, _ := s.SealChunk(nil, a, 5, []byte("chunk five"), 64)
	if _, _, err := c.OpenChunk(nil, rec, a, 6); err == nil {
		t.Fatal("chunk 5 opened as chunk 6 (swapped chunks)")
	}
	if _, _, err := c.OpenChunk(nil, rec, b, 5); err == nil {
		t.Fatal("chunk of media a opened as media b")
	}
	if _, _, err := c.Open(rec, RecordResponse); err == nil {
		t.Fatal("chunk opened as a response")
	}
	if _, _, err := c.OpenChunk(nil, rec, a, 5); err != nil {
		t.Fatalf("the right chunk: %v", err)
	}
}

func TestRecordsOfAnOldEpochAreRejectedAfterRekey(t *testing.T) {
	c, s := established(t)
	old, _ := c.Seal(nil, RecordRequest, []byte("old epoch"))
	rekey(t, c, s)
	if _, _, err := s.Open(old, RecordRequest); !errors.Is(err, ErrRecordRejected) {
		t.Fatalf("an old-epoch record was accepted: %v", err)
	}
	exchangeRoundTrip(t, c, s, []byte("new epoch"))
}

func TestForwardSecrecyErasesOldKeysAndKeysDifferEverywhere(t *testing.T) {
	c, s := established(t)
	c2, _ := established(t)
	if bytes.Equal(c.send.secret, c2.send.secret) {
		t.Fatal("two sessions share a traffic secret")
	}
	if bytes.Equal(c.send.secret, c.recv.secret) {
		t.Fatal("both directions share one traffic secret")
	}
	oldSend, oldRecv := c.send.secret, c.recv.secret
	oldSendCopy := append([]byte(nil), oldSend...)
	oldMaster := c.master
	serverOld := s.send.secret
	rekey(t, c, s)
	for name, b := range map[string][]byte{"client send": oldSend, "client recv": oldRecv, "client master": oldMaster, "server send": serverOld} {
		if !bytes.Equal(b, make([]byte, len(b))) {
			t.Errorf("%s secret of the old epoch was not erased", name)
		}
	}
	if bytes.Equal(c.send.secret, oldSendCopy) {
		t.Fatal("the new epoch reuses the old key")
	}
	// The client's ephemeral rekey key is erased after use.
	if c.pending != nil {
		t.Fatal("a pending rekey survived its completion")
	}
	cur := c.send.secret
	c.Close()
	if !bytes.Equal(cur, make([]byte, len(cur))) {
		t.Fatal("Close did not erase the current keys")
	}
	if _, err := c.Seal(nil, RecordRequest, []byte("x")); !errors.Is(err, ErrSessionClosed) {
		t.Fatalf("sealing after Close: %v", err)
	}
}

func TestHandshakeErasesItsSecrets(t *testing.T) {
	c, hs := throughServerFlight(t, newPair(t))
	if len(c.privates) != 0 {
		t.Fatal("the client kept its ephemeral private key after computing the shared secret")
	}
	fin, _ := c.Finish()
	sfin, _, _, err := hs.Finish(fin)
	if err != nil {
		t.Fatal(err)
	}
	chs, shs := c.clientHS, hs.clientHS
	if _, err := c.ReadServerFinished(sfin); err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{"client": chs, "server": shs} {
		if !bytes.Equal(b, make([]byte, len(b))) {
			t.Errorf("%s handshake traffic secret not erased", name)
		}
	}
}

func TestRekeyThresholds(t *testing.T) {
	p := newPair(t)
	for name, pol := range map[string]RekeyPolicy{
		"by chunks": {Chunks: 2},
		"by bytes":  {Bytes: 100},
	} {
		t.Run(name, func(t *testing.T) {
			s := *p.server
			s.Rekey = pol
			res := mustHandshake(t, p.client, &s)
			if res.server.RekeyDue() {
				t.Fatal("due before any data")
			}
			streamChunks(t, res.client, res.server, mediaID{}, 0, 2, 60)
			if !res.server.RekeyDue() {
				t.Fatal("not due at the threshold")
			}
			if res.server.RekeyOverdue() {
				t.Fatal("overdue at the threshold")
			}
			streamChunks(t, res.client, res.server, mediaID{}, 2, 2, 60)
			if !res.server.RekeyOverdue() {
				t.Fatal("not overdue at twice the threshold")
			}
			rekey(t, res.client, res.server)
			if res.server.RekeyDue() {
				t.Fatal("still due after a rekey")
			}
		})
	}
}

func TestAnInvalidRekeyShareChangesNothing(t *testing.T) {
	c, s := established(t)
	if _, err := s.PrepareRekey(make([]byte, 32)); err == nil {
		t.Fatal("an all-zero x25519 rekey share was accepted")
	}
	if err := s.CommitRekey(); err == nil {
		t.Fatal("commit without a prepared rekey")
	}
	exchangeRoundTrip(t, c, s, []byte("still epoch 1"))
}

// strayShare is a valid rekey share that the session under test did not
// ask for: another session's.
func strayShare(t *testing.T) []byte {
	t.Helper()
	other, _ := established(t)
	share, err := other.RekeyRequest()
	if err != nil {
		t.Fatal(err)
	}
	return share
}

// TestASecondRekeyWhileOneIsPreparedIsRefused: a peer may send two
// rekey requests in parallel; the server runs one rekey at a time, so
// the epoch it commits is the one whose share it answered, and the
// other request is refused, not answered under an epoch it never gets.
func TestASecondRekeyWhileOneIsPreparedIsRefused(t *testing.T) {
	c, s := established(t)
	first, err := c.RekeyRequest()
	if err != nil {
		t.Fatal(err)
	}
	second := strayShare(t)
	answer, err := s.PrepareRekey(first)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.PrepareRekey(second); !errors.Is(err, ErrRekeyInProgress) {
		t.Fatalf("a second rekey while one is prepared: %v, want ErrRekeyInProgress", err)
	}
	if err := s.CommitRekey(); err != nil {
		t.Fatal(err)
	}
	if err := c.CompleteRekey(answer); err != nil {
		t.Fatal(err)
	}
	exchangeRoundTrip(t, c, s, []byte("the epoch of the first rekey"))
	rekey(t, c, s) // the commit let the next one in
	exchangeRoundTrip(t, c, s, []byte("and the next"))
}

// TestAnAbortedRekeyLeavesTheEpochAndLetsTheNextOneIn: a rekey prepared
// and then aborted (its answer never sent) leaves the session in its
// epoch, talking, and does not hold the next rekey off as in progress;
// after a commit, AbortRekey does nothing.
func TestAnAbortedRekeyLeavesTheEpochAndLetsTheNextOneIn(t *testing.T) {
	c, s := established(t)
	first := s.Epoch()
	if _, err := s.PrepareRekey(strayShare(t)); err != nil {
		t.Fatal(err)
	}
	s.AbortRekey()
	if got := s.Epoch(); got != first {
		t.Fatalf("epoch %d after an aborted rekey, want %d", got, first)
	}
	exchangeRoundTrip(t, c, s, []byte("still in the first epoch"))
	rekey(t, c, s) // would be refused as in progress without the abort
	s.AbortRekey() // after the commit: nothing to drop
	if got := s.Epoch(); got != first+1 {
		t.Fatalf("epoch %d, want %d", got, first+1)
	}
	exchangeRoundTrip(t, c, s, []byte("in the next epoch"))
}

// TestRekeysRacingEachOtherOrACloseAreSafe: rekeys in parallel with each
// other and with a close (run it with -race): the next epoch is derived
// from the master secret under the session lock, never while another
// rekey swaps it or a close erases it.
func TestRekeysRacingEachOtherOrACloseAreSafe(t *testing.T) {
	for range 20 {
		c, s := established(t)
		shares := make([][]byte, 4)
		for i := range shares {
			var err error
			if shares[i], err = c.RekeyRequest(); err != nil {
				t.Fatal(err)
			}
		}
		answer, err := s.PrepareRekey(shares[len(shares)-1])
		if err != nil {
			t.Fatal(err)
		}
		if err := s.CommitRekey(); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for _, share := range shares[:len(shares)-1] {
			wg.Go(func() {
				if _, err := s.PrepareRekey(share); err == nil {
					_ = s.CommitRekey()
				}
			})
		}
		wg.Go(s.Close)
		wg.Go(func() { _ = c.CompleteRekey(answer) })
		wg.Go(c.Close)
		wg.Wait()
	}
}

func TestChunkBudgetKeepsEveryEpochWithinItsThreshold(t *testing.T) {
	p := newPair(t)
	s := *p.server
	s.Rekey = RekeyPolicy{Chunks: 4, Bytes: 1000}
	res := mustHandshake(t, p.client, &s)
	if got := res.server.ChunkBudget(100); got != 4 {
		t.Fatalf("fresh epoch, 100-byte chunks: budget %d, want 4 (the chunk threshold)", got)
	}
	if got := res.server.ChunkBudget(300); got != 4 {
		t.Fatalf("fresh epoch, 300-byte chunks: budget %d, want 4 (bytes: ceil(1000/300))", got)
	}
	if got := res.server.ChunkBudget(600); got != 2 {
		t.Fatalf("fresh epoch, 600-byte chunks: budget %d, want 2 (the byte threshold)", got)
	}
	streamChunks(t, res.client, res.server, mediaID{}, 0, 4, 100)
	if got := res.server.ChunkBudget(100); got != 1 {
		t.Fatalf("at the threshold: budget %d, want 1 per request until the client rekeys", got)
	}
	streamChunks(t, res.client, res.server, mediaID{}, 4, 4, 100)
	if got := res.server.ChunkBudget(100); got != 0 {
		t.Fatalf("at twice the threshold: budget %d, want 0 (rekey required)", got)
	}
	rekey(t, res.client, res.server)
	if got := res.server.ChunkBudget(100); got != 4 {
		t.Fatalf("after a rekey: budget %d, want 4", got)
	}
}
