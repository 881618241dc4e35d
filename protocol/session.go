package protocol

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"sync"
	"time"

	"golang.org/x/crypto/cryptobyte"

	"securemedia/protocol/internal/aead"
	"securemedia/protocol/internal/kdf"
	"securemedia/protocol/internal/kex"
	"securemedia/protocol/internal/replay"
)

type role uint8

const (
	roleClient role = iota + 1
	roleServer
)

// epochKeys are one direction's keys for one epoch. The session hands them
// out under a read lock so that sealing a large chunk does not hold the
// session lock; erasing them (at rekey or close) takes the write lock and so
// waits for every user to finish.
type epochKeys struct {
	mu     sync.RWMutex
	epoch  uint32
	secret trafficSecret
	cipher *aead.Cipher
	erased bool
}

func newEpochKeys(s *suite, epoch uint32, ts trafficSecret) (*epochKeys, error) {
	c, err := s.recordCipher(ts)
	if err != nil {
		return nil, err
	}
	return &epochKeys{epoch: epoch, secret: ts, cipher: c}, nil
}

// acquire read-locks the keys; it fails once they are erased.
func (k *epochKeys) acquire() error {
	k.mu.RLock()
	if k.erased {
		k.mu.RUnlock()
		return ErrSessionClosed
	}
	return nil
}

func (k *epochKeys) release() { k.mu.RUnlock() }

func (k *epochKeys) erase() {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.erased {
		return
	}
	kdf.Erase(k.secret)
	k.cipher.Erase()
	k.erased = true
}

// Session is an established session: application epochs, records, chunk
// keys, the replay window and rekeying (DESIGN.md §4). It is safe for
// concurrent use, so a client may have several requests in flight.
type Session struct {
	role   role
	id     [SessionIDSize]byte
	suite  *suite
	group  *group
	policy RekeyPolicy
	now    func() time.Time
	rand   io.Reader
	peer   *PeerInfo

	mu         sync.Mutex
	closed     bool
	master     masterSecret
	send, recv *epochKeys
	sendSeq    uint64
	window     *replay.Window
	epochStart time.Time
	sentChunks int
	sentBytes  int64
	rekeys     int
	pending    *pendingRekey
}

// pendingRekey is a rekey in progress: on the client the ephemeral key
// awaiting the server's share, on the server the prepared next epoch.
type pendingRekey struct {
	private     kex.Private
	clientShare []byte
	next        *nextEpoch
}

type nextEpoch struct {
	master     masterSecret
	send, recv *epochKeys
}

func newSession(r role, cfg *Config, id [SessionIDSize]byte, s *suite, g *group, ms masterSecret, sendSecret, recvSecret trafficSecret) (*Session, error) {
	send, err := newEpochKeys(s, firstApplicationEpoch, sendSecret)
	if err != nil {
		return nil, err
	}
	recv, err := newEpochKeys(s, firstApplicationEpoch, recvSecret)
	if err != nil {
		send.erase()
		return nil, err
	}
	sess := &Session{
		role: r, id: id, suite: s, group: g, policy: cfg.Rekey.withDefaults(),
		now: cfg.clock(), rand: cfg.rand(), master: ms, send: send, recv: recv,
		window: replay.New(replay.DefaultSize),
	}
	sess.epochStart = sess.now()
	return sess, nil
}

// ID is the session id.
func (s *Session) ID() [SessionIDSize]byte { return s.id }

// Suite is the negotiated cipher suite.
func (s *Session) Suite() SuiteID { return s.suite.id }

// Group is the negotiated key-exchange group.
func (s *Session) Group() GroupID { return s.group.id }

// Peer is what the handshake established about the peer.
func (s *Session) Peer() *PeerInfo { return s.peer }

// SetPeer records the peer information (the server sets it from Finish).
func (s *Session) SetPeer(p *PeerInfo) { s.peer = p }

// Epoch is the current application epoch (1 after the handshake).
func (s *Session) Epoch() uint32 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.send.epoch
}

// Rekeys counts completed rekeys.
func (s *Session) Rekeys() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rekeys
}

// reserve takes the next send sequence number and read-locks the current
// send keys; the caller must release them. chunkBytes >= 0 reserves a chunk
// of that size against the epoch's rekey thresholds in the same critical
// section, so parallel fetches cannot run an epoch past its hard limit.
func (s *Session) reserve(chunkBytes int) (*epochKeys, uint64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, 0, ErrSessionClosed
	}
	if chunkBytes >= 0 {
		if s.rekeyDueFactor(rekeyHardFactor) {
			return nil, 0, ErrRekeyRequired
		}
		s.sentChunks++
		s.sentBytes += int64(chunkBytes)
	}
	if s.sendSeq == math.MaxUint64 {
		return nil, 0, errors.New("protocol: sequence numbers exhausted; rekey")
	}
	k := s.send
	seq := s.sendSeq
	s.sendSeq++
	if err := k.acquire(); err != nil {
		return nil, 0, err
	}
	return k, seq, nil
}

// Seal appends a record of type typ carrying payload to dst, padded to
// its size bucket (DESIGN.md §4 "Sizes"; doc.go, "Records").
func (s *Session) Seal(dst []byte, typ RecordType, payload []byte) ([]byte, error) {
	if err := s.checkSendType(typ); err != nil {
		return nil, err
	}
	k, seq, err := s.reserve(-1)
	if err != nil {
		return nil, err
	}
	defer k.release()
	return s.suite.sealRecord(dst, k.cipher, typ, k.epoch, seq, payload)
}

// SealChunk appends a chunk record to dst: chunk index of media, sealed
// under its own key (DESIGN.md §4 "Per-chunk keys") and padded to padSize,
// the item's chunk size, so that every chunk record of an item has the
// same length (DESIGN.md §4 "Sizes": only the last chunk is short, and
// its padding is zeros inside the encryption). It also counts the volume
// toward the rekey thresholds.
//
// A chunk that already sits at dst[len(dst)+RecordHeaderSize:], within
// dst's capacity (read there from the at-rest container), is sealed in
// place without being copied.
func (s *Session) SealChunk(dst []byte, media [MediaIDSize]byte, index uint32, chunk []byte, padSize int) ([]byte, error) {
	if s.role != roleServer {
		return nil, errors.New("protocol: only the server sends chunks")
	}
	if len(chunk) > padSize || padSize > MaxRecordPayload {
		return nil, fmt.Errorf("protocol: a chunk of %d bytes cannot be padded to %d", len(chunk), padSize)
	}
	k, seq, err := s.reserve(padSize)
	if err != nil {
		return nil, err
	}
	defer k.release()
	c, err := s.suite.chunkCipher(k.secret, media, index)
	if err != nil {
		return nil, err
	}
	defer c.Erase()
	h := recordHeader{typ: RecordChunk, epoch: k.epoch, seq: seq}
	return s.suite.sealPadded(dst, c, h, chunk, padSize+recordLengthSize)
}

func (s *Session) checkSendType(typ RecordType) error {
	switch {
	case s.role == roleClient && typ == RecordRequest, s.role == roleServer && typ == RecordResponse:
		return nil
	}
	return fmt.Errorf("protocol: a %v may not send %v records", s.role, typ)
}

func (r role) String() string {
	if r == roleClient {
		return "client"
	}
	return "server"
}

// Open authenticates and decrypts one record of the expected type and
// returns its payload (without its padding) and sequence number. Every
// failure — framing, wrong type or epoch, replay, authentication, padding
// — is ErrRecordRejected and leaves
// the session unchanged: a forger who knows only the session id achieves
// nothing (DESIGN.md §2). Only a record that authenticates advances the
// replay window.
func (s *Session) Open(record []byte, want RecordType) ([]byte, uint64, error) {
	return s.open(nil, record, want, func(k *epochKeys) (*aead.Cipher, bool, error) {
		return k.cipher, false, nil
	})
}

// OpenChunk opens a chunk record for chunk index of media, appending the
// chunk (without its padding) to dst: a chunk of another media or index,
// or a swapped record, fails authentication. dst may be
// record[RecordHeaderSize:RecordHeaderSize] to open the chunk in place.
func (s *Session) OpenChunk(dst, record []byte, media [MediaIDSize]byte, index uint32) ([]byte, uint64, error) {
	return s.open(dst, record, RecordChunk, func(k *epochKeys) (*aead.Cipher, bool, error) {
		c, err := s.suite.chunkCipher(k.secret, media, index)
		return c, true, err
	})
}

// open is Open and OpenChunk: cipherFor returns the cipher of the record
// under the epoch's keys, and whether it is the record's own (a chunk
// key), to erase once the record is opened.
func (s *Session) open(dst, record []byte, want RecordType, cipherFor func(*epochKeys) (*aead.Cipher, bool, error)) ([]byte, uint64, error) {
	h, aad, ct, rest, err := parseRecord(record)
	if err != nil {
		return nil, 0, err
	}
	if len(rest) != 0 {
		return nil, 0, fmt.Errorf("%w: trailing bytes", ErrRecordRejected)
	}
	if h.typ != want {
		return nil, 0, fmt.Errorf("%w: type %v, want %v", ErrRecordRejected, h.typ, want)
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil, 0, ErrSessionClosed
	}
	k := s.recv
	if h.epoch != k.epoch {
		s.mu.Unlock()
		return nil, 0, fmt.Errorf("%w: epoch %d, current %d", ErrRecordRejected, h.epoch, k.epoch)
	}
	if err := s.window.Check(h.seq); err != nil {
		s.mu.Unlock()
		return nil, 0, fmt.Errorf("%w: %v", ErrRecordRejected, err)
	}
	if err := k.acquire(); err != nil {
		s.mu.Unlock()
		return nil, 0, err
	}
	s.mu.Unlock()

	c, own, err := cipherFor(k)
	if err != nil {
		k.release()
		return nil, 0, err
	}
	plain, err := openRecord(c, dst, h, aad, ct)
	if own {
		c.Erase()
	}
	k.release()
	if err != nil {
		return nil, 0, err
	}

	// Commit under the lock, re-checking: two copies of one record racing
	// through Open must not both be accepted.
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.recv != k {
		return nil, 0, fmt.Errorf("%w: epoch changed", ErrRecordRejected)
	}
	if err := s.window.Check(h.seq); err != nil {
		return nil, 0, fmt.Errorf("%w: %v", ErrRecordRejected, err)
	}
	s.window.Commit(h.seq)
	return plain, h.seq, nil
}

// RekeyDue reports whether the current epoch has reached a rekey threshold
// (chunks, bytes or age; DESIGN.md §4 "Rekey"). The server announces it in
// its responses and the client then rekeys.
func (s *Session) RekeyDue() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rekeyDueFactor(1)
}

// RekeyOverdue reports whether the epoch is past twice a threshold: the
// server then refuses to send more data until the client rekeys.
func (s *Session) RekeyOverdue() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rekeyDueFactor(rekeyHardFactor)
}

// ChunkBudget is how many chunks of chunkSize bytes the server may still
// send in this epoch before reaching a rekey threshold (chunks or bytes),
// so that a fetch never runs an epoch past its threshold: the server
// shortens the fetch to the budget and flags the rekey. Past a threshold
// (the client has not rekeyed yet) the budget is one chunk per request,
// until twice the threshold, where it is zero and the server refuses.
func (s *Session) ChunkBudget(chunkSize int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rekeyDueFactor(rekeyHardFactor) {
		return 0
	}
	p := s.policy
	byChunks := p.Chunks - s.sentChunks
	byBytes := byChunks
	if chunkSize > 0 {
		byBytes = int((p.Bytes - s.sentBytes + int64(chunkSize) - 1) / int64(chunkSize))
	}
	return max(1, min(byChunks, byBytes))
}

func (s *Session) rekeyDueFactor(f int) bool {
	p := s.policy
	return s.sentChunks >= f*p.Chunks || s.sentBytes >= int64(f)*p.Bytes ||
		s.now().Sub(s.epochStart) >= time.Duration(f)*p.Age
}

// rekeyTranscript binds a rekey exchange to the session and the epoch it
// leaves: th = H(session id ‖ epoch ‖ client share ‖ server share).
func (s *Session) rekeyTranscript(epoch uint32, clientShare, serverShare []byte) []byte {
	h := s.suite.hash.New()
	h.Write(s.id[:])
	var e [4]byte
	binary.BigEndian.PutUint32(e[:], epoch)
	h.Write(e[:])
	b := cryptobyte.NewBuilder(nil)
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(clientShare) })
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(serverShare) })
	h.Write(b.BytesOrPanic())
	return h.Sum(nil)
}

// deriveNextEpochLocked computes the next epoch's master and traffic
// secrets from the current ones. The caller holds s.mu and has checked
// that the session is open: the master secret is swapped by switchEpoch
// and erased by switchEpoch and Close, so reading it outside the lock
// would race with a rekey or a close running in parallel (a peer can
// send a rekey request beside a close or another rekey), and derive the
// next epoch from a secret being zeroed.
func (s *Session) deriveNextEpochLocked(shared, clientShare, serverShare []byte) (*nextEpoch, error) {
	epoch := s.send.epoch
	th := s.rekeyTranscript(epoch, clientShare, serverShare)
	ms := s.suite.nextMasterSecret(s.master, shared, th)
	cAP, sAP := s.suite.applicationTrafficSecrets(ms, th)
	sendSecret, recvSecret := sAP, cAP
	if s.role == roleClient {
		sendSecret, recvSecret = cAP, sAP
	}
	send, err := newEpochKeys(s.suite, epoch+1, sendSecret)
	if err != nil {
		return nil, err
	}
	recv, err := newEpochKeys(s.suite, epoch+1, recvSecret)
	if err != nil {
		send.erase()
		return nil, err
	}
	return &nextEpoch{master: ms, send: send, recv: recv}, nil
}

// RekeyRequest (client) starts a rekey: a fresh ephemeral share of the
// session's group, to send in a rekey request under the current epoch.
func (s *Session) RekeyRequest() ([]byte, error) {
	if s.role != roleClient {
		return nil, errors.New("protocol: only the client starts a rekey")
	}
	priv, share, err := s.group.kex.GenerateShare(s.rand)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		priv.Erase()
		return nil, ErrSessionClosed
	}
	if s.pending != nil {
		s.pending.private.Erase()
	}
	s.pending = &pendingRekey{private: priv, clientShare: share}
	return share, nil
}

// CompleteRekey (client) combines the server's share and moves both
// directions to the next epoch, erasing the old keys.
func (s *Session) CompleteRekey(serverShare []byte) error {
	s.mu.Lock()
	p := s.pending
	s.pending = nil
	s.mu.Unlock()
	if p == nil || p.private == nil {
		return errors.New("protocol: no rekey in progress")
	}
	shared, err := p.private.Finish(serverShare)
	p.private.Erase()
	if err != nil {
		return &Error{Code: AlertHandshakeFailure, Err: fmt.Errorf("rekey share: %w", err)}
	}
	defer kdf.Erase(shared)
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return ErrSessionClosed
	}
	next, err := s.deriveNextEpochLocked(shared, p.clientShare, serverShare)
	s.mu.Unlock()
	if err != nil {
		return err
	}
	s.switchEpoch(next)
	return nil
}

// PrepareRekey (server) answers a client's rekey share: it computes the
// next epoch but keeps using the current one until CommitRekey, so that the
// answer travels under the keys the client still holds (DESIGN.md §4
// "Rekey").
//
// One rekey at a time: while one is prepared and not committed, another
// is refused with ErrRekeyInProgress. Replacing it instead would let two
// rekey requests in parallel (a peer may send them) commit the epoch of
// one under the answer of the other, and fail the other's commit after
// its answer was sealed. The key exchange runs outside the session lock;
// the derivation from the master secret (cheap) runs under it.
func (s *Session) PrepareRekey(clientShare []byte) ([]byte, error) {
	if s.role != roleServer {
		return nil, errors.New("protocol: only the server answers a rekey")
	}
	// Refused before the key exchange when it would be refused after it
	// (cheap checks first: a peer sending rekeys in parallel gets no key
	// exchange done for nothing), and checked again after it, under the
	// lock the derivation needs.
	s.mu.Lock()
	err := s.rekeyRefusedLocked()
	s.mu.Unlock()
	if err != nil {
		return nil, err
	}
	share, shared, err := s.group.kex.Respond(s.rand, clientShare)
	if err != nil {
		return nil, &Error{Code: AlertHandshakeFailure, Err: fmt.Errorf("rekey share: %w", err)}
	}
	defer kdf.Erase(shared)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.rekeyRefusedLocked(); err != nil {
		return nil, err
	}
	next, err := s.deriveNextEpochLocked(shared, clientShare, share)
	if err != nil {
		return nil, err
	}
	s.pending = &pendingRekey{next: next}
	return share, nil
}

// rekeyRefusedLocked is why PrepareRekey refuses a rekey now, or nil; the
// caller holds s.mu.
func (s *Session) rekeyRefusedLocked() error {
	switch {
	case s.closed:
		return ErrSessionClosed
	case s.pending != nil:
		return ErrRekeyInProgress
	}
	return nil
}

// AbortRekey (server) drops the epoch PrepareRekey prepared, its secrets
// erased, when its answer is not sent (it could not be sealed, or the
// request ended first): otherwise the session would keep the next
// epoch's secrets and refuse every later rekey as in progress. Only the
// caller of a successful PrepareRekey calls it, before CommitRekey; no
// other rekey can be prepared meanwhile, so the one it drops is its own.
// After CommitRekey it does nothing.
func (s *Session) AbortRekey() {
	s.mu.Lock()
	p := s.pending
	if p == nil || p.next == nil {
		s.mu.Unlock()
		return
	}
	s.pending = nil
	s.mu.Unlock()
	p.next.erase()
}

// CommitRekey (server) switches to the epoch prepared by PrepareRekey.
func (s *Session) CommitRekey() error {
	s.mu.Lock()
	p := s.pending
	s.pending = nil
	s.mu.Unlock()
	if p == nil || p.next == nil {
		return errors.New("protocol: no prepared rekey")
	}
	s.switchEpoch(p.next)
	return nil
}

// switchEpoch installs the next epoch and erases the old keys and master
// secret (DESIGN.md §2.7 forward secrecy: old epoch keys are erased).
func (s *Session) switchEpoch(n *nextEpoch) {
	s.mu.Lock()
	oldSend, oldRecv, oldMaster := s.send, s.recv, s.master
	if s.closed {
		s.mu.Unlock()
		n.erase()
		return
	}
	s.send, s.recv, s.master = n.send, n.recv, n.master
	s.sendSeq = 0
	s.window = replay.New(replay.DefaultSize)
	s.epochStart = s.now()
	s.sentChunks, s.sentBytes = 0, 0
	s.rekeys++
	s.mu.Unlock()
	oldSend.erase()
	oldRecv.erase()
	kdf.Erase(oldMaster)
}

func (n *nextEpoch) erase() {
	n.send.erase()
	n.recv.erase()
	kdf.Erase(n.master)
}

// Close ends the session and erases every key it holds.
func (s *Session) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	send, recv, master, p := s.send, s.recv, s.master, s.pending
	s.pending = nil
	s.mu.Unlock()
	send.erase()
	recv.erase()
	kdf.Erase(master)
	if p != nil {
		if p.private != nil {
			p.private.Erase()
		}
		if p.next != nil {
			p.next.erase()
		}
	}
}

// Closed reports whether Close was called.
func (s *Session) Closed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}
