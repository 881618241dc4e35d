package server

import (
	"context"
	"encoding/hex"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"securemedia/content"
	"securemedia/protocol"
)

// sessionID is the random 128-bit id in URLs.
type sessionID [protocol.SessionIDSize]byte

func parseSessionID(s string) (sessionID, bool) {
	var id sessionID
	if len(s) != 2*len(id) {
		return id, false
	}
	if _, err := hex.Decode(id[:], []byte(s)); err != nil {
		return id, false
	}
	return id, true
}

func (id sessionID) String() string { return hex.EncodeToString(id[:]) }

// halfOpen is a session between the server flight and the client finish.
type halfOpen struct {
	hs      *protocol.ServerHandshake
	expires time.Time
	client  string     // the remote host, for the per-client cap
	mu      sync.Mutex // serialises finish attempts
}

// erase zeroes the half-open handshake's secrets once no finish is using them.
func (h *halfOpen) erase() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.hs.Erase()
}

// live is an established session.
type live struct {
	sess    *protocol.Session
	peer    *protocol.PeerInfo
	user    string
	created time.Time
	// lastUsed is Unix nanoseconds, atomic so that the table lock never
	// waits on a session's lock.
	lastUsed atomic.Int64

	mu sync.Mutex
	// readers are the media this session plays, opened once: opening an
	// item reads its description and unwraps its data key, so reopening
	// it per fetch would cost more than a chunk (DESIGN.md §3: cost per
	// chunk is O(chunk)). Bounded by maxReadersPerSession; reference
	// counted, so that a reader is closed (its data key erased) only when
	// no fetch uses it.
	readers map[content.ID]*sharedReader
	closed  bool
}

// sharedReader is a cached reader and the fetches using it.
type sharedReader struct {
	r      content.ChunkReader
	refs   int
	doomed bool // evicted or session closed: close at the last release
}

// maxReadersPerSession bounds the media a session keeps open.
const maxReadersPerSession = 4

// reader returns the session's reader of media id, opening it once, and
// the function that releases it. The item is opened outside the session
// lock: with a token-held master key that is a round trip to the token.
func (l *live) reader(c Catalog, id content.ID) (content.ChunkReader, func(), error) {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil, nil, protocol.ErrSessionClosed
	}
	if sr := l.readers[id]; sr != nil {
		sr.refs++
		l.mu.Unlock()
		return sr.r, l.releaser(sr), nil
	}
	l.mu.Unlock()

	r, err := c.Open(id)
	if err != nil {
		return nil, nil, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		r.Close()
		return nil, nil, protocol.ErrSessionClosed
	}
	if sr := l.readers[id]; sr != nil { // opened meanwhile by another fetch
		r.Close()
		sr.refs++
		return sr.r, l.releaser(sr), nil
	}
	if l.readers == nil {
		l.readers = map[content.ID]*sharedReader{}
	}
	if len(l.readers) >= maxReadersPerSession {
		for k, old := range l.readers { // evict one; a session plays one item at a time
			delete(l.readers, k)
			l.retireLocked(old)
			break
		}
	}
	sr := &sharedReader{r: r, refs: 1}
	l.readers[id] = sr
	return r, l.releaser(sr), nil
}

func (l *live) releaser(sr *sharedReader) func() {
	var once sync.Once
	return func() {
		once.Do(func() {
			l.mu.Lock()
			defer l.mu.Unlock()
			sr.refs--
			if sr.doomed && sr.refs == 0 {
				sr.r.Close()
			}
		})
	}
}

// retireLocked closes a reader now if unused, else at its last release.
func (l *live) retireLocked(sr *sharedReader) {
	sr.doomed = true
	if sr.refs == 0 {
		sr.r.Close()
	}
}

// close ends the session: its keys are erased and its readers closed
// (which erases their data keys) once no fetch uses them.
func (l *live) close() {
	l.sess.Close()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = true
	for k, sr := range l.readers {
		delete(l.readers, k)
		l.retireLocked(sr)
	}
}

func (l *live) touch(now time.Time) { l.lastUsed.Store(now.UnixNano()) }

// expired reports whether the session is idle too long or too old.
func (l *live) expired(now time.Time, lim Limits) bool {
	return now.Sub(time.Unix(0, l.lastUsed.Load())) > lim.IdleTimeout || now.Sub(l.created) > lim.SessionLifetime
}

// table is the bounded session table.
type table struct {
	limits Limits
	now    func() time.Time

	mu   sync.Mutex
	half map[sessionID]*halfOpen
	live map[sessionID]*live
	// halfByClient counts half-open sessions per remote host.
	halfByClient map[string]int
}

var errTableFull = errors.New("session table full")

func newTable(l Limits, now func() time.Time) *table {
	return &table{limits: l, now: now, half: map[sessionID]*halfOpen{}, live: map[sessionID]*live{}, halfByClient: map[string]int{}}
}

func (t *table) counts() (int, int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.live), len(t.half)
}

func (t *table) addHalfOpen(hs *protocol.ServerHandshake, client string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.half) >= t.limits.MaxHalfOpen || len(t.half)+len(t.live) >= t.limits.MaxSessions {
		// Only a full table pays for a scan; the janitor expires the rest.
		t.expireLocked()
	}
	// Half-open sessions have their own, smaller cap: a flood of hellos
	// (cheap for a client, a signature for us) fills it and is refused,
	// while established sessions keep their room.
	if len(t.half) >= t.limits.MaxHalfOpen || len(t.half)+len(t.live) >= t.limits.MaxSessions {
		return errTableFull
	}
	// One client (a remote host) may hold only a few of them, so that a
	// single source cannot keep everyone else from logging in.
	if t.halfByClient[client] >= t.limits.MaxHalfOpenPerClient {
		return errTableFull
	}
	id := sessionID(hs.SessionID())
	if _, dup := t.half[id]; dup {
		return errors.New("duplicate session id") // 2^-128; the rand source is broken
	}
	t.half[id] = &halfOpen{hs: hs, expires: t.now().Add(t.limits.HandshakeExpiry), client: client}
	t.halfByClient[client]++
	return nil
}

func (t *table) halfOpen(id sessionID) *halfOpen {
	t.mu.Lock()
	defer t.mu.Unlock()
	h := t.half[id]
	if h == nil || t.now().After(h.expires) {
		return nil
	}
	return h
}

// promote replaces the half-open session h by the established one; it
// refuses when h is no longer in the table (it expired meanwhile).
func (t *table) promote(id sessionID, h *halfOpen, l *live) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.half[id] != h {
		return false
	}
	t.dropHalfLocked(id)
	t.live[id] = l
	return true
}

// dropHalfLocked forgets a half-open session and its per-client count.
func (t *table) dropHalfLocked(id sessionID) {
	h := t.half[id]
	if h == nil {
		return
	}
	delete(t.half, id)
	if t.halfByClient[h.client]--; t.halfByClient[h.client] <= 0 {
		delete(t.halfByClient, h.client)
	}
}

func (t *table) get(id sessionID) *live {
	t.mu.Lock()
	defer t.mu.Unlock()
	l := t.live[id]
	if l == nil {
		return nil
	}
	now := t.now()
	if l.expired(now, t.limits) {
		delete(t.live, id)
		go l.close()
		return nil
	}
	return l
}

func (t *table) remove(id sessionID) {
	t.mu.Lock()
	l := t.live[id]
	delete(t.live, id)
	t.mu.Unlock()
	if l != nil {
		l.close()
	}
}

// expireLocked drops expired half-open and live sessions.
func (t *table) expireLocked() (dropped int) {
	now := t.now()
	for id, h := range t.half {
		if now.After(h.expires) {
			t.dropHalfLocked(id)
			// Erase under the entry's own lock, after any finish in
			// progress, and without holding the table lock meanwhile.
			go h.erase()
			dropped++
		}
	}
	for id, l := range t.live {
		if l.expired(now, t.limits) {
			delete(t.live, id)
			go l.close()
			dropped++
		}
	}
	return dropped
}

// janitor expires sessions once a second until ctx is done.
func (t *table) janitor(ctx context.Context, log *slog.Logger) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			t.mu.Lock()
			n := t.expireLocked()
			t.mu.Unlock()
			if n > 0 {
				log.Debug("expired sessions", "count", n)
			}
		}
	}
}

func (t *table) closeAll() {
	t.mu.Lock()
	half, lives := t.half, t.live
	t.half, t.live, t.halfByClient = map[sessionID]*halfOpen{}, map[sessionID]*live{}, map[string]int{}
	t.mu.Unlock()
	for _, h := range half {
		h.erase()
	}
	for _, l := range lives {
		l.close()
	}
}
