package server

import (
	"context"
	"encoding/hex"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"securemedia/content"
	"securemedia/protocol"
)

// sessionID is the random 128-bit id in URLs.
type sessionID [protocol.SessionIDSize]byte

// parseSessionID reads a session id as the server writes it: 32
// lowercase hex digits. Uppercase ones are refused, so that a session has
// one URL (a balancer routing or a log matching on it sees one path).
func parseSessionID(s string) (sessionID, bool) {
	var id sessionID
	if len(s) != 2*len(id) || strings.ContainsAny(s, "ABCDEF") {
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
	sess *protocol.Session
	peer *protocol.PeerInfo
	// user is the user's id (the serialNumber of their certificate, or a
	// browser viewer's id), "" without one; device names the client
	// device (the SHA-256 of its certificate, hex; a browser device's is
	// the SHA-256 of its key, as the registry names it): the units of the
	// per-user and per-device caps, and the plays' device.
	user, device string
	// deviceChain and userChain are the chains as the handshake verified
	// them (userChain nil without a user), validated again after each
	// reload (Server.Revalidate); nil for a browser device, whose trust is
	// the registry, read at every fetch.
	deviceChain, userChain [][]byte
	// browser: the device is a browser's self-signed key (DESIGN.md §11);
	// without a user, the session may only register one.
	browser bool
	created time.Time
	// lastUsed is Unix nanoseconds, atomic so that the table lock never
	// waits on a session's lock.
	lastUsed atomic.Int64
	// midPlay: the session's last fetch did not reach the end of its item,
	// so its client will ask for more (a draining replica waits for it).
	midPlay atomic.Bool
	// inFlight counts the session's authenticated requests being served
	// (Limits.MaxRequestsPerSession; enter and leave).
	inFlight atomic.Int64

	mu sync.Mutex
	// readers are the media this session plays, opened once: opening an
	// item reads its description and unwraps its data key, so reopening
	// it per fetch would cost more than a chunk (DESIGN.md §3: cost per
	// chunk is O(chunk)). Bounded by maxReadersPerSession; reference
	// counted, so that a reader is closed (its data key erased) only when
	// no fetch uses it.
	readers map[content.ID]*sharedReader
	closed  bool
	// pending is the registration register-options began (register.go).
	pending *pendingRegistration
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

// enter takes one of the session's max places for a request in flight; it
// reports false, taking none, when all are taken. Each enter that
// succeeded is paired with one leave, when the request's handler returns.
func (l *live) enter(max int) bool {
	if l.inFlight.Add(1) > int64(max) {
		l.inFlight.Add(-1)
		return false
	}
	return true
}

// leave gives back the place enter took.
func (l *live) leave() { l.inFlight.Add(-1) }

// expired reports whether the session is idle too long or too old.
func (l *live) expired(now time.Time, lim Limits) bool {
	return now.Sub(time.Unix(0, l.lastUsed.Load())) > lim.IdleTimeout || now.Sub(l.created) > lim.SessionLifetime
}

// table is the bounded session table (DESIGN.md §4 "Limits" and
// "Admission"): half-open sessions, capped in all, per client and in fair
// shares, and established ones, capped in all, per user and per device.
type table struct {
	limits Limits
	now    func() time.Time

	mu   sync.Mutex
	half map[sessionID]*halfOpen
	live map[sessionID]*live
	// halfByClient lists the half-open sessions of each remote host,
	// oldest first. pending counts the places of admitted hellos whose
	// server flight is being made (a key exchange and a signature away
	// from being half-open), in all and per client; they count as
	// half-open for every cap.
	halfByClient    fifoIndex
	pending         int
	pendingByClient map[string]int
	// liveByUser and liveByDevice list established sessions, oldest first.
	liveByUser, liveByDevice fifoIndex
}

var errTableFull = errors.New("session table full")

func newTable(l Limits, now func() time.Time) *table {
	return &table{limits: l, now: now, half: map[sessionID]*halfOpen{}, live: map[sessionID]*live{},
		halfByClient: fifoIndex{}, pendingByClient: map[string]int{}, liveByUser: fifoIndex{}, liveByDevice: fifoIndex{}}
}

func (t *table) counts() (int, int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.live), len(t.half)
}

// admission is the table's answer to a hello, decided before the server
// does any work for it (DESIGN.md §4 "Admission").
type admission int

const (
	// admitted: go on (with a reserved place when one was asked for).
	admitted admission = iota
	// challenged: under load, answer with a cookie first.
	challenged
	// refused: the caps leave no room; answer 429.
	refused
)

func (a admission) String() string {
	return [...]string{admitted: "admitted", challenged: "challenged", refused: "refused"}[a]
}

// cookieAfterPerClient is how many half-open sessions a client may hold
// before its next hello must echo a cookie: a client that plays has one
// at a time.
const cookieAfterPerClient = 4

// admit decides a hello from client before any key exchange or signature.
// cookie says whether it echoed a valid cookie. A hello that will be
// answered with a server flight asks for a place (reserve): admitted, it
// holds one half-open place until place.commit or place.release.
//
// In order: a client at its own cap is refused; a full table (half-open
// cap, or all sessions) makes room only for a client below its fair share
// (the cap divided among the clients that hold half-open sessions), by
// evicting the oldest half-open session of the heaviest client, so that a
// flood from a few addresses cannot lock a new one out; otherwise it
// refuses. Under pressure (half the half-open cap taken, or the client
// holding several) a hello without a cookie is challenged, before any
// eviction: room is made only for clients that proved their address.
func (t *table) admit(client string, cookie, reserve bool) (admission, *place) {
	t.mu.Lock()
	defer t.mu.Unlock()
	full := func() bool {
		half := len(t.half) + t.pending
		return half >= t.limits.MaxHalfOpen || half+len(t.live) >= t.limits.MaxSessions
	}
	if full() {
		// Only a full table pays for a scan; the janitor expires the rest.
		t.expireLocked()
	}
	mine := t.halfByClient.count(client) + t.pendingByClient[client]
	if mine >= t.limits.MaxHalfOpenPerClient {
		return refused, nil
	}
	var victim *sessionID
	if full() {
		if victim = t.victimLocked(client, mine); victim == nil {
			return refused, nil
		}
	}
	if !cookie && (2*(len(t.half)+t.pending) >= t.limits.MaxHalfOpen || mine >= cookieAfterPerClient) {
		return challenged, nil
	}
	if !reserve {
		return admitted, nil
	}
	if victim != nil {
		h := t.half[*victim]
		t.dropHalfLocked(*victim)
		go h.erase()
	}
	t.pending++
	t.pendingByClient[client]++
	return admitted, &place{t: t, client: client}
}

// victimLocked picks the half-open session to evict for a hello from
// client, which holds mine: the oldest of the client with the most, when
// client is below its fair share and that one holds more than client.
func (t *table) victimLocked(client string, mine int) *sessionID {
	holders := len(t.halfByClient)
	if t.halfByClient.count(client) == 0 {
		holders++
	}
	if mine >= max(1, t.limits.MaxHalfOpen/holders) {
		return nil
	}
	var heaviest string
	most := 0
	for c, ids := range t.halfByClient {
		if c != client && (len(ids) > most || len(ids) == most && c < heaviest) {
			heaviest, most = c, len(ids)
		}
	}
	if most <= mine+1 {
		return nil
	}
	id := t.halfByClient[heaviest][0]
	return &id
}

// place is a half-open place reserved by admit for a hello being answered.
type place struct {
	t      *table
	client string
	done   bool
}

// commit turns the place into the half-open session hs.
func (p *place) commit(hs *protocol.ServerHandshake) error {
	t := p.t
	t.mu.Lock()
	defer t.mu.Unlock()
	p.releaseLocked()
	id := sessionID(hs.SessionID())
	if _, dup := t.half[id]; dup {
		return errors.New("duplicate session id") // 2^-128; the rand source is broken
	}
	if _, dup := t.live[id]; dup {
		return errors.New("duplicate session id")
	}
	t.half[id] = &halfOpen{hs: hs, expires: t.now().Add(t.limits.HandshakeExpiry), client: p.client}
	t.halfByClient.add(p.client, id)
	return nil
}

// release gives the place back (the answer failed).
func (p *place) release() {
	p.t.mu.Lock()
	defer p.t.mu.Unlock()
	p.releaseLocked()
}

func (p *place) releaseLocked() {
	if p.done {
		return
	}
	p.done = true
	t := p.t
	t.pending--
	if t.pendingByClient[p.client]--; t.pendingByClient[p.client] <= 0 {
		delete(t.pendingByClient, p.client)
	}
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
// refuses when h is no longer in the table (it expired or was evicted
// meanwhile). Beyond the per-user and per-device caps, the oldest
// sessions of that user or device are dropped (DESIGN.md §4 "Limits"), so
// that no one person or machine can hold the whole table; they are
// returned for the caller to close outside the table lock, before it
// answers.
func (t *table) promote(id sessionID, h *halfOpen, l *live) (ok bool, dropped []*live) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.half[id] != h {
		return false, nil
	}
	t.dropHalfLocked(id)
	t.live[id] = l
	for _, c := range []struct {
		index fifoIndex
		key   string
		max   int
	}{{t.liveByUser, l.user, t.limits.MaxSessionsPerUser}, {t.liveByDevice, l.device, t.limits.MaxSessionsPerDevice}} {
		if c.key == "" {
			continue
		}
		c.index.add(c.key, id)
		for c.index.count(c.key) > c.max {
			if old := t.dropLiveLocked(c.index[c.key][0]); old != nil {
				dropped = append(dropped, old)
			}
		}
	}
	return true, dropped
}

// dropHalf forgets the half-open session id when it is still h: its
// finish was verified but the session does not start.
func (t *table) dropHalf(id sessionID, h *halfOpen) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.half[id] == h {
		t.dropHalfLocked(id)
	}
}

// dropHalfLocked forgets a half-open session and its per-client entry.
func (t *table) dropHalfLocked(id sessionID) {
	h := t.half[id]
	if h == nil {
		return
	}
	delete(t.half, id)
	t.halfByClient.remove(h.client, id)
}

// dropLiveLocked forgets an established session and returns it, for the
// caller to close outside the table lock.
func (t *table) dropLiveLocked(id sessionID) *live {
	l := t.live[id]
	if l == nil {
		return nil
	}
	delete(t.live, id)
	t.liveByUser.remove(l.user, id)
	t.liveByDevice.remove(l.device, id)
	return l
}

func (t *table) get(id sessionID) *live {
	t.mu.Lock()
	defer t.mu.Unlock()
	l := t.live[id]
	if l == nil {
		return nil
	}
	if l.expired(t.now(), t.limits) {
		t.dropLiveLocked(id)
		go l.close()
		return nil
	}
	return l
}

// anyMidPlay reports whether a session is in the middle of a play.
func (t *table) anyMidPlay() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, l := range t.live {
		if l.midPlay.Load() {
			return true
		}
	}
	return false
}

// snapshot returns the established sessions at this moment.
func (t *table) snapshot() map[sessionID]*live {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make(map[sessionID]*live, len(t.live))
	for id, l := range t.live {
		out[id] = l
	}
	return out
}

// drop closes the session id when it is still l, and reports whether it
// was.
func (t *table) drop(id sessionID, l *live) bool {
	t.mu.Lock()
	if t.live[id] != l {
		t.mu.Unlock()
		return false
	}
	t.dropLiveLocked(id)
	t.mu.Unlock()
	l.close()
	return true
}

func (t *table) remove(id sessionID) {
	t.mu.Lock()
	l := t.dropLiveLocked(id)
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
			t.dropLiveLocked(id)
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
	t.half, t.live = map[sessionID]*halfOpen{}, map[sessionID]*live{}
	t.halfByClient, t.liveByUser, t.liveByDevice = fifoIndex{}, fifoIndex{}, fifoIndex{}
	t.mu.Unlock()
	for _, h := range half {
		h.erase()
	}
	for _, l := range lives {
		l.close()
	}
}

// fifoIndex lists session ids by a key (a client, a user, a device) in
// the order they were added, oldest first. Lists are short: they are
// bounded by the caps they enforce.
type fifoIndex map[string][]sessionID

func (x fifoIndex) add(key string, id sessionID) { x[key] = append(x[key], id) }

func (x fifoIndex) count(key string) int { return len(x[key]) }

func (x fifoIndex) remove(key string, id sessionID) {
	ids := x[key]
	for i, v := range ids {
		if v == id {
			ids = append(ids[:i:i], ids[i+1:]...)
			break
		}
	}
	if len(ids) == 0 {
		delete(x, key)
	} else {
		x[key] = ids
	}
}
