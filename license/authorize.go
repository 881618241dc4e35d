package license

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"sync/atomic"
	"time"
)

// The fetch path (DESIGN.md §7): one store read per fetch, then checks
// from memory for every chunk.
//
//	a, err := svc.Authorize(ctx, grant, session, media, first) // one read
//	for i := first; i < last; i++ {
//		if err := a.Check(i, now); err != nil { ... svc.Refusal(ctx, a, err) ... }
//		chunk, err := read(i)           // an at-rest failure: svc.Refund(ctx, a, reason)
//		if !a.Counted() { svc.Count(ctx, a) } // the consumption point, before chunk one goes out
//		send(chunk); a.Delivered(i)
//	}
//	svc.Progress(ctx, a) // the answer was written whole: one write, if anything was delivered
//	svc.Forget(a)        // a write failed: nothing stored

// Authorization is what Authorize read for one fetch of a play: the
// play's position and window, and its license's period. It is used by one
// goroutine, the fetch's, and never touches the store but through the
// Service.
type Authorization struct {
	cur *cursor
	gen uint64

	playID, licenseID, userID, mediaID, session string
	chunks                                      uint32
	// floor is the lowest chunk this fetch may deliver.
	floor uint32
	// stored is the next chunk the store had; next is one past the highest
	// chunk delivered since.
	stored, next uint32
	// playEnd and licenseEnd are Unix nanoseconds (licenseEnd 0: none).
	playEnd, licenseEnd int64
	state               PlayState
	license             License
	done                bool
}

// cursor is the in-memory state of one play with fetches in flight on
// this server: the newest fetch's generation (an older fetch stops at its
// next chunk) and the highest chunk delivered.
type cursor struct {
	gen  atomic.Uint64
	next atomic.Uint32
	refs int // guarded by Service.mu
}

// advance raises the cursor's next chunk to n.
func (c *cursor) advance(n uint32) {
	for {
		cur := c.next.Load()
		if n <= cur || c.next.CompareAndSwap(cur, n) {
			return
		}
	}
}

// Authorize authorizes a fetch from chunk first of mediaID under a play
// grant in session sessionID, with one store read (the play, its license,
// its user). It refuses, in this order: a grant that is not this server's
// for this session and media, or for a play that moved to another session
// (ErrBadGrant); a disabled user (ErrUserDisabled); a removed browser
// device (ErrDeviceRemoved); a revoked license
// (ErrRevoked); a play refunded or abandoned (ErrPlayEnded); a license past
// its period (*PaymentRequiredError for ErrExpired, with an offer); a play
// past its window (ErrPlayExpired); a play not yet counted whose license
// has no view left (*PaymentRequiredError for ErrExhausted); a chunk
// outside the item (ErrInvalidInput); a chunk below the retransmission
// window (*AlreadyDeliveredError). A newer Authorize of the same play on
// this server supersedes the fetches before it. Every Authorization
// returned must end with Progress, Forget or Refund.
func (s *Service) Authorize(ctx context.Context, grant, sessionID []byte, mediaID string, first uint32) (*Authorization, error) {
	id, err := s.grants.CheckPlay(grant, sessionID, mediaID)
	if err != nil {
		return nil, err
	}
	rec, err := s.store.GetPlayRecord(ctx, id)
	if err != nil {
		return nil, err
	}
	p, l, now := rec.Play, rec.License, s.now()
	session := hex.EncodeToString(sessionID)
	switch {
	case p.Session != session || p.MediaID != mediaID:
		return nil, ErrBadGrant
	case rec.UserDisabled:
		return nil, ErrUserDisabled
	case rec.DeviceRemoved:
		return nil, ErrDeviceRemoved
	case l.Revoked:
		return nil, ErrRevoked
	case p.State == PlayAbandoned || p.State == PlayRefunded:
		return nil, p.EndedError()
	case l.Expired(now):
		return nil, s.withOffer(ctx, &PaymentRequiredError{License: l, Reason: ErrExpired}, nil)
	case p.Expired(now):
		return nil, ErrPlayExpired
	case p.State == PlayStarted && l.Exhausted():
		return nil, s.withOffer(ctx, &PaymentRequiredError{License: l, Reason: ErrExhausted}, nil)
	case first >= p.Chunks:
		return nil, fmt.Errorf("%w: chunk %d outside the item's %d chunks", ErrInvalidInput, first, p.Chunks)
	}
	a := &Authorization{playID: p.ID, licenseID: l.ID, userID: p.UserID, mediaID: p.MediaID, session: session,
		chunks: p.Chunks, stored: p.NextChunk, playEnd: p.ExpiresAt.UnixNano(), licenseEnd: unixNano(l.ExpiresAt),
		state: p.State, license: l}

	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.cursors[p.ID]
	if c == nil {
		c = &cursor{}
		s.cursors[p.ID] = c
	}
	c.advance(p.NextChunk)
	next := c.next.Load()
	if next > RetransmitWindow {
		a.floor = next - RetransmitWindow
	}
	if first < a.floor {
		if c.refs == 0 {
			delete(s.cursors, p.ID)
		}
		return nil, &AlreadyDeliveredError{Chunk: first, Next: next}
	}
	c.refs++
	a.cur, a.gen, a.next = c, c.gen.Add(1), p.NextChunk
	return a, nil
}

// Check authorizes chunk i at now, from memory only: the fetch must still
// be its play's newest on this server (ErrSuperseded), i inside the item
// (ErrInvalidInput) and not below the retransmission window
// (*AlreadyDeliveredError), the license within its period (ErrExpired:
// Service.Refusal turns it into the answer with an offer) and the play
// within its window (ErrPlayExpired).
func (a *Authorization) Check(i uint32, now time.Time) error {
	if a.cur.gen.Load() != a.gen {
		return ErrSuperseded
	}
	if i >= a.chunks {
		return fmt.Errorf("%w: chunk %d outside the item's %d chunks", ErrInvalidInput, i, a.chunks)
	}
	if i < a.floor {
		return &AlreadyDeliveredError{Chunk: i, Next: a.cur.next.Load()}
	}
	t := now.UnixNano()
	if a.licenseEnd != 0 && t >= a.licenseEnd {
		return ErrExpired
	}
	if t >= a.playEnd {
		return ErrPlayExpired
	}
	return nil
}

// Delivered records that chunk i went out. A fetch superseded meanwhile
// (by a newer fetch, or by a resume of its play on this server) no longer
// moves the play's in-memory position.
func (a *Authorization) Delivered(i uint32) {
	if i >= a.next {
		a.next = i + 1
		if a.cur.gen.Load() == a.gen {
			a.cur.advance(a.next)
		}
	}
}

// Counted reports whether the play's view is consumed: until it is, the
// server calls Count before the first chunk goes out.
func (a *Authorization) Counted() bool { return a.state != PlayStarted }

// PlayID returns the play's id.
func (a *Authorization) PlayID() string { return a.playID }

// LicenseID returns the id of the play's license.
func (a *Authorization) LicenseID() string { return a.licenseID }

// License returns the license as of the fetch's read or its count.
func (a *Authorization) License() License { return a.license }

// Next returns one past the highest chunk delivered so far.
func (a *Authorization) Next() uint32 { return a.next }

// Count is the consumption point (DESIGN.md §7): before the first chunk of
// a started play goes out, one transaction checks the license, consumes
// one view and marks the play counted. A counted play costs nothing more.
// It fails with ErrRevoked, a *PaymentRequiredError (exhausted or expired,
// with an offer), ErrBadGrant (the play moved to another session) or
// ErrPlayEnded.
func (s *Service) Count(ctx context.Context, a *Authorization) error {
	if a.Counted() {
		return nil
	}
	p, l, err := s.store.CountPlay(ctx, a.playID, a.session, s.now())
	if err != nil {
		return s.withOffer(ctx, err, nil)
	}
	a.state, a.license = p.State, l
	return nil
}

// Progress ends a fetch: it persists how far the play got (at most one
// write per fetch, none if nothing was delivered) and completes the play
// at its last chunk. It is idempotent, so it may be deferred. The write
// outlives the cancellation of ctx (a client that went away keeps the
// progress it was given), within endTimeout.
func (s *Service) Progress(ctx context.Context, a *Authorization) error {
	if a == nil || a.done {
		return nil
	}
	a.done = true
	defer s.release(a)
	if a.next <= a.stored || !a.Counted() {
		return nil
	}
	ctx, cancel := endContext(ctx)
	defer cancel()
	_, err := s.store.RecordProgress(ctx, a.playID, a.next, s.now())
	return err
}

// Forget ends a fetch whose answer did not reach the client whole (a
// write failed, the connection broke): nothing is stored. The store's
// progress stays where the last fetch written in full left it, so an
// honest client that lost its connection mid-fetch resumes from what it
// received, never more than RetransmitWindow behind the store. Like
// Progress, it is idempotent.
func (s *Service) Forget(a *Authorization) {
	if a == nil || a.done {
		return
	}
	a.done = true
	s.release(a)
}

// endTimeout bounds the store write that ends a fetch.
const endTimeout = 10 * time.Second

// endContext detaches the write that ends a fetch from the request's
// cancellation, within endTimeout.
func endContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), endTimeout)
}

// Refund ends a fetch that the server failed (an at-rest integrity
// failure, an unavailable chunk, an abort) and the play with it: a counted
// play is refunded, its view restored; a play not yet counted is abandoned,
// having cost nothing. reason is recorded in the audit log. It returns the
// play as it ended (State tells which).
func (s *Service) Refund(ctx context.Context, a *Authorization, reason string) (Play, error) {
	if a.done {
		return Play{}, fmt.Errorf("license: refund of play %s after its fetch ended", a.playID)
	}
	a.done = true
	defer s.release(a)
	ctx, cancel := endContext(ctx)
	defer cancel()
	p, l, err := s.store.RefundPlay(ctx, a.playID, a.next, reason, s.now())
	if err == nil {
		a.license = l
	}
	return p, err
}

// Refusal turns an error of Check into the answer the server gives: a
// license whose period ended mid-play is a *PaymentRequiredError for
// ErrExpired with an offer; every other error is returned as it is.
func (s *Service) Refusal(ctx context.Context, a *Authorization, err error) error {
	if errors.Is(err, ErrExpired) {
		return s.withOffer(ctx, &PaymentRequiredError{License: a.license, Reason: ErrExpired}, nil)
	}
	return err
}

// followStore makes this server's in-memory record of play p agree with
// the store after a resume: fetches still in flight in the old session
// are superseded (they stop at their next chunk), and the delivery
// position is the store's, which a fetch whose answer was lost did not
// move (Forget).
func (s *Service) followStore(p Play) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.cursors[p.ID]; c != nil {
		c.gen.Add(1)
		c.next.Store(p.NextChunk)
	}
}

// release forgets a's fetch; the play's cursor goes when its last fetch
// does (after its progress is stored, so a later fetch reads it there).
func (s *Service) release(a *Authorization) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a.cur.refs--
	if a.cur.refs == 0 && s.cursors[a.playID] == a.cur {
		delete(s.cursors, a.playID)
	}
}
