package server

import (
	"context"
	"encoding/hex"
	"errors"
	"log/slog"
	"sync"
	"time"

	"securemedia/media"
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
	sess     *protocol.Session
	peer     *protocol.PeerInfo
	user     string
	created  time.Time
	mu       sync.Mutex
	lastUsed time.Time
	// readers are the media this session plays, opened once: opening an
	// item reads and decrypts its manifest, which grows with its size,
	// so reopening it per fetch would make a chunk of a large item cost
	// more than one of a small item (DESIGN.md §3: cost per chunk is
	// O(chunk)). Bounded by maxReadersPerSession; closed with the session.
	readers map[string]*media.Reader
	closed  bool
}

// maxReadersPerSession bounds the media a session keeps open.
const maxReadersPerSession = 4

// reader returns the session's open reader of media id, opening it once.
func (l *live) reader(c Catalog, id string) (*media.Reader, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil, protocol.ErrSessionClosed
	}
	if r := l.readers[id]; r != nil {
		return r, nil
	}
	r, err := c.Open(id)
	if err != nil {
		return nil, err
	}
	if l.readers == nil {
		l.readers = map[string]*media.Reader{}
	}
	if len(l.readers) >= maxReadersPerSession {
		for k, old := range l.readers { // evict one; the session plays one item at a time
			old.Close()
			delete(l.readers, k)
			break
		}
	}
	l.readers[id] = r
	return r, nil
}

// close ends the session: its keys are erased and its readers closed
// (which erases their data keys).
func (l *live) close() {
	l.sess.Close()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = true
	for k, r := range l.readers {
		r.Close()
		delete(l.readers, k)
	}
}

func (l *live) touch(now time.Time) {
	l.mu.Lock()
	l.lastUsed = now
	l.mu.Unlock()
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

// promote replaces a half-open session by the established one.
func (t *table) promote(id sessionID, l *live) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.dropHalfLocked(id)
	t.live[id] = l
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
	l.mu.Lock()
	expired := now.Sub(l.lastUsed) > t.limits.IdleTimeout || now.Sub(l.created) > t.limits.SessionLifetime
	l.mu.Unlock()
	if expired {
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
		l.mu.Lock()
		expired := now.Sub(l.lastUsed) > t.limits.IdleTimeout || now.Sub(l.created) > t.limits.SessionLifetime
		l.mu.Unlock()
		if expired {
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
