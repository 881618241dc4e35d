package client

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"securemedia/content"
	"securemedia/message"
	"securemedia/protocol"
)

// stallTimeout bounds the wait for the next record of a fetch answer: a
// server (or a man in the middle) that stops sending does not hang the
// viewer. The time the sink takes is not counted.
const stallTimeout = 60 * time.Second

// DefaultChunksPerRequest is how many chunks one fetch asks for.
const DefaultChunksPerRequest = message.MaxChunksPerFetch

// PlayOptions tune Play and PlayWithLicense. Content verification is not
// among them: every play verifies the item's manifest with
// Config.VerifyContent and checks every chunk against it before the sink.
type PlayOptions struct {
	// ChunksPerRequest is the size of a fetch (default and at most
	// message.MaxChunksPerFetch).
	ChunksPerRequest int
	// Grant is the play grant from the license layer, sent with every
	// fetch of Play (PlayWithLicense gets its own).
	Grant []byte
	// FirstChunk and EndChunk bound what Play fetches: chunks
	// [FirstChunk, EndChunk), EndChunk 0 meaning the item's end. A viewer
	// plays the whole item; tests and tools drive the protocol with them.
	FirstChunk, EndChunk uint32
	// Progress, when set, is called after each chunk reaches the sink.
	Progress func(PlayStats)
	// StallTimeout fails a fetch whose answer makes no progress for this
	// long (default 60 s; the sink's time is not counted).
	StallTimeout time.Duration
	// InsecureSkipContentVerification plays without the manifest: no chunk
	// is checked against a signed hash, only opened under its chunk key and
	// measured against the item's geometry. It exists to measure what
	// verification costs (the benchmark's unverified figure) and must never
	// be set for a viewer; PlayStats.Verified reports it.
	InsecureSkipContentVerification bool

	// Renew answers a refusal for payment (an exhausted or expired license,
	// with the server's offer) in PlayWithLicense: true renews against the
	// offer and plays on. Nil never renews.
	Renew func(*PaymentRequiredError) bool
	// Redial makes a new connection after a transport fault in
	// PlayWithLicense (a fresh handshake: through a balancer, any replica).
	// Nil dials again with the Config the connection was dialed with.
	Redial func(context.Context) (*Conn, error)
	// Retry bounds the recovery from one transport fault (zero:
	// DefaultRetry).
	Retry RetryPolicy
}

// PlayStats describes a play, as it goes and at the end.
type PlayStats struct {
	Media    message.MediaInfo
	Suite    protocol.SuiteID
	Group    protocol.GroupID
	Chunks   int
	Bytes    int64
	Rekeys   int
	Epoch    uint32
	Verified bool // every chunk was checked against the verified manifest
	Elapsed  time.Duration
	// Remaining is what the license has left after this play ("4 views
	// left"), set by PlayWithLicense.
	Remaining string
	// Resumes counts the times PlayWithLicense resumed the play after a
	// transport fault.
	Resumes int
}

// ErrSink wraps a failure to open or write to the sink (the player did not
// start, or quit): the channel is intact.
var ErrSink = errors.New("sink")

// ErrContent is returned when the content fails verification: a manifest
// that does not verify or does not describe the item, or a chunk that does
// not match its manifest hash. A client without a content verifier
// (Config.VerifyContent) refuses to play with it too.
var ErrContent = errors.New("content verification failed")

// Play streams chunks of media id into sink (DESIGN.md §3) under
// o.Grant: the item's signed manifest is verified first; then each chunk
// record is opened under its own key, checked against the manifest, and
// only then written. A chunk that fails never reaches the sink. It does
// not start a play or recover from faults (PlayWithLicense does). On an
// error the stats say how far the play got (nil when it never started).
func (c *Conn) Play(ctx context.Context, id content.ID, sink io.Writer, o PlayOptions) (*PlayStats, error) {
	p, err := c.startPlayback(ctx, id, o)
	if err != nil {
		return nil, err
	}
	if o.FirstChunk >= p.info.Chunks || (o.EndChunk != 0 && o.EndChunk <= o.FirstChunk) {
		return nil, fmt.Errorf("chunks %d..%d of an item of %d", o.FirstChunk, o.EndChunk, p.info.Chunks)
	}
	p.sink, p.grant, p.next = sink, o.Grant, o.FirstChunk
	if o.EndChunk != 0 {
		p.end = min(o.EndChunk, p.info.Chunks)
	}
	err = p.run(ctx)
	return &p.stats, err
}

// playback is one play in progress, the client's end of the data path:
// the connection, the item and its verified manifest, the sink, how far
// the play is, and the buffers every chunk reuses. Its methods are the
// steps of a play in the order they run: startPlayback, run (fetch after
// fetch, rekeying when the server asks, recovering from faults of a
// licensed play), fetch (one request and its answer, with its opener:
// readChunk and openChunk, a chunk ahead), checkChunk and deliver (one
// chunk).
type playback struct {
	c        *Conn
	info     message.MediaInfo
	manifest *content.Manifest // nil only with InsecureSkipContentVerification
	sink     io.Writer

	grant []byte
	// next is the first chunk not yet written to the sink, end one past
	// the last to play.
	next, end uint32
	perFetch  uint32
	stall     time.Duration
	progress  func(PlayStats)
	// lic is the license side of a PlayWithLicense (nil for Play).
	lic *licensedPlay

	start         time.Time
	rekeysBefore  int // the connection's rekeys when it began carrying the play
	rekeysEarlier int // the rekeys of connections that carried it before
	stats         PlayStats

	// ring holds the chunk records of a fetch, read and opened ahead.
	ring [ringSize]chunkBuf
}

// startPlayback refuses to play without a content verifier, asks for the
// item's metadata and signed manifest, and verifies the manifest.
func (c *Conn) startPlayback(ctx context.Context, id content.ID, o PlayOptions) (*playback, error) {
	start := time.Now()
	if c.verifyContent == nil && !o.InsecureSkipContentVerification {
		return nil, fmt.Errorf("%w: no content verifier configured (client.Config.VerifyContent)", ErrContent)
	}
	info, err := c.Info(ctx, id)
	if err != nil {
		return nil, err
	}
	p := &playback{c: c, info: info.Info, end: info.Info.Chunks, progress: o.Progress,
		perFetch: DefaultChunksPerRequest, stall: stallTimeout, start: start, rekeysBefore: c.sess.Rekeys()}
	if !o.InsecureSkipContentVerification {
		if p.manifest, err = verifiedManifest(info, c.verifyContent); err != nil {
			return nil, err
		}
	}
	if o.ChunksPerRequest > 0 {
		p.perFetch = uint32(min(o.ChunksPerRequest, message.MaxChunksPerFetch))
	}
	if o.StallTimeout > 0 {
		p.stall = o.StallTimeout
	}
	p.stats = PlayStats{Media: p.info, Suite: c.sess.Suite(), Group: c.sess.Group(), Verified: p.manifest != nil}
	return p, nil
}

// verifiedManifest checks the signed manifest and that it describes the
// item the server announced.
func verifiedManifest(info *message.InfoResponse, verify func([][]byte) (*x509.Certificate, error)) (*content.Manifest, error) {
	if len(info.Manifest) == 0 {
		return nil, fmt.Errorf("%w: the server sent no manifest", ErrContent)
	}
	m, err := content.VerifyManifest(info.Manifest, verify)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrContent, err)
	}
	mi := info.Info
	if m.ID != mi.ID || m.Size != int64(mi.Size) || m.Chunks != mi.Chunks || m.ChunkSize != int(mi.ChunkSize) {
		return nil, fmt.Errorf("%w: the manifest describes another item", ErrContent)
	}
	return m, nil
}

// run fetches the play's chunks from the next one to the end. The server
// may shorten a fetch to its epoch's budget and flags the rekey it wants
// before the next one, or refuses a fetch until the client rekeys. An
// error of a licensed play goes to recover first (a transport fault, a
// license that ran out mid-play); the play goes on from the next chunk not
// yet written to the sink when it recovers.
func (p *playback) run(ctx context.Context) error {
	rekeyDue := false
	for p.next < p.end {
		var err error
		if rekeyDue {
			if err = p.c.Rekey(ctx); err != nil {
				err = fmt.Errorf("rekey: %w", err)
			}
		}
		var n uint16
		var flags uint8
		if err == nil {
			n, flags, err = p.fetch(ctx, p.next, uint16(min(p.perFetch, p.end-p.next)))
		}
		if err != nil {
			if err = p.recover(ctx, err); err != nil {
				p.tally()
				return err
			}
			rekeyDue = false
			continue
		}
		// The server asked for a rekey first (n == 0), or flags one.
		rekeyDue = n == 0 || flags&message.FlagRekeyDue != 0
	}
	p.tally()
	return nil
}

// fetch runs one fetch of count chunks from first: the request, then each
// chunk record read and opened by the fetch's opener (one goroutine, a
// step ahead: it reads and opens chunk i+1 while this one hashes chunk i),
// checked against the manifest and delivered, strictly in order. It
// returns how many chunks the server sent (0 when it asks for a rekey
// first) and the response flags. A watchdog fails the fetch when the
// answer makes no progress for the stall timeout (the sink's time is not
// counted). Whatever it returns, the opener has stopped and the body is
// closed.
func (p *playback) fetch(ctx context.Context, first uint32, count uint16) (uint16, uint8, error) {
	c := p.c
	fctx, cancel := context.WithCancel(ctx)
	defer cancel()
	wd := newWatchdog(p.stall, cancel)
	defer wd.stop()
	req := &message.FetchRequest{Media: p.info.ID, First: first, Count: count, Grant: p.grant}
	r, rawBody, err := c.exchange(fctx, message.OpFetch, req.Marshal())
	if err != nil {
		if wd.fired.Load() {
			return 0, 0, p.stalled(first)
		}
		return 0, 0, err
	}
	body := watchedBody{Reader: &activityReader{r: rawBody, wd: wd}, Closer: rawBody}
	if r.Status == message.StatusRekeyRequired {
		body.Close()
		return 0, 0, nil
	}
	if r.Status != message.StatusOK {
		body.Close()
		return 0, 0, statusError(message.OpFetch, r)
	}
	// The server may shorten a fetch to its epoch's rekey budget.
	fr, err := message.ParseFetchResponse(r.Body)
	if err != nil || fr.Count == 0 || fr.Count > count {
		body.Close()
		return 0, 0, c.fatal(errors.New("fetch: the server announced an impossible chunk count"))
	}
	end := first + uint32(fr.Count)
	op := p.startOpener(body, cancel, first, end)
	defer op.halt()
	for idx := first; idx < end; idx++ {
		b := <-op.ready
		switch {
		case b.readErr != nil:
			op.halt()
			switch {
			case wd.fired.Load():
				return 0, 0, p.stalled(idx)
			case ctx.Err() != nil:
				return 0, 0, ctx.Err()
			case truncated(b.readErr):
				return 0, 0, c.cutShort(fmt.Errorf("chunk %d: %w", idx, missing(b.readErr)))
			}
			return 0, 0, c.fatal(fmt.Errorf("chunk %d: %w", idx, b.readErr))
		case b.early:
			// The server ended the answer early and says why; the opener
			// stopped there, so the rest of the body is ours to read.
			op.wait()
			err := c.earlyEnd(b.rec, r.InReplyTo, idx)
			if errors.Is(err, ErrChannel) {
				body.Close()
			} else if endErr := c.expectEnd(body, message.OpFetch); endErr != nil {
				return 0, 0, endErr
			}
			var se *StatusError
			if errors.As(err, &se) && se.Status == message.StatusRekeyRequired {
				// Parallel requests ran the epoch to its limit: rekey, then
				// go on from the chunk the answer ended at.
				return 0, 0, nil
			}
			return 0, 0, err
		case b.openErr != nil:
			op.halt()
			return 0, 0, c.fatal(b.openErr)
		}
		if err := p.checkChunk(idx, b.plain); err != nil {
			op.halt()
			return 0, 0, c.fatal(err)
		}
		if err := ctx.Err(); err != nil {
			// Cancelled while the chunk was read ahead: a cancelled play
			// delivers nothing more.
			op.halt()
			return 0, 0, err
		}
		if err := p.deliver(b.plain, wd); err != nil {
			op.halt()
			return 0, 0, err
		}
		op.free <- b
	}
	op.wait()
	if err := c.expectEnd(body, message.OpFetch); err != nil {
		if wd.fired.Load() {
			return 0, 0, p.stalled(end)
		}
		return 0, 0, err
	}
	return fr.Count, r.Flags, nil
}

// ringSize is the number of chunk buffers of a playback, reused by every
// fetch: one the fetch's goroutine checks and delivers, one opened and
// waiting, one the opener reads and opens. It bounds the read-ahead to two
// chunks, and a slow sink stops the reading (the server's answer waits in
// the socket) instead of growing a buffer.
const ringSize = 3

// chunkBuf is one buffer of the ring: a chunk record as read, its
// ciphertext opened in place, or why it is not a good chunk.
type chunkBuf struct {
	// rec is the record as read; plain, the chunk inside it once opened
	// and its length checked.
	rec, plain []byte
	// readErr: the record could not be read (the answer ended, stalled or
	// broke, or a malformed frame); early: a response record where the
	// chunk was due; openErr: the record did not open as chunk idx.
	readErr error
	early   bool
	openErr error
}

// opener reads and opens the chunk records of one fetch answer ahead of
// the fetch's goroutine, in the buffers of the playback's ring: it takes a
// buffer from free, fills it (readChunk) and hands it over on ready, in
// chunk order. It stops after the last chunk, after the first buffer that
// is not a good chunk, or when halted; ready is closed when it has
// returned. Only the fetch's goroutine halts or waits for it.
type opener struct {
	free, ready chan *chunkBuf
	stop        chan struct{}
	body        io.Closer
	// cancel ends the fetch's request (its context).
	cancel context.CancelFunc
	halted bool
}

// startOpener starts the opener of chunks [first, end) of body, the
// answer to the request that cancel ends.
func (p *playback) startOpener(body io.ReadCloser, cancel context.CancelFunc, first, end uint32) *opener {
	op := &opener{free: make(chan *chunkBuf, ringSize), ready: make(chan *chunkBuf, ringSize),
		stop: make(chan struct{}), body: body, cancel: cancel}
	for i := range p.ring {
		op.free <- &p.ring[i]
	}
	go func() {
		defer close(op.ready)
		for idx := first; idx < end; idx++ {
			var b *chunkBuf
			select {
			case b = <-op.free:
			case <-op.stop:
				return
			}
			p.readChunk(body, idx, b)
			op.ready <- b // never blocks: ready holds the whole ring
			if b.readErr != nil || b.early || b.openErr != nil {
				return
			}
		}
	}()
	return op
}

// wait returns when the opener has returned.
func (op *opener) wait() {
	for range op.ready {
	}
}

// halt stops the opener: ending the request's context and closing the
// body end a read it is blocked in (a transport's body honours one or the
// other: net/http's both). It returns when the opener has returned; the
// buffers it held are left in the ring for the next fetch.
func (op *opener) halt() {
	if !op.halted {
		op.halted = true
		close(op.stop)
		op.cancel()
		op.body.Close()
	}
	op.wait()
}

// readChunk reads chunk record idx from body into b and opens it (the
// opener's step). It stops at a response record, which ends an answer
// early: the fetch's goroutine opens that one (earlyEnd).
func (p *playback) readChunk(body io.Reader, idx uint32, b *chunkBuf) {
	*b = chunkBuf{rec: b.rec}
	rec, err := protocol.ReadRecord(body, b.rec)
	if err != nil {
		b.readErr = err
		return
	}
	b.rec = rec
	if t, _ := protocol.RecordTypeOf(rec); t == protocol.RecordResponse {
		b.early = true
		return
	}
	b.plain, b.openErr = p.openChunk(idx, rec)
}

// openChunk opens chunk record idx in place under its chunk key and checks
// its length against the item's geometry. A failure is one the caller
// ends the channel with.
func (p *playback) openChunk(idx uint32, rec []byte) ([]byte, error) {
	inPlace := rec[protocol.RecordHeaderSize:protocol.RecordHeaderSize]
	plain, _, err := p.c.sess.OpenChunk(inPlace, rec, p.info.ID, idx)
	if err != nil {
		return nil, fmt.Errorf("chunk %d: %w", idx, err)
	}
	if want := content.ChunkLen(int64(p.info.Size), int(p.info.ChunkSize), idx); len(plain) != want {
		return nil, fmt.Errorf("chunk %d: %d bytes, the manifest says %d", idx, len(plain), want)
	}
	return plain, nil
}

// checkChunk checks opened chunk idx against the manifest (SHA-256, the
// most of a play's CPU: it runs here while the opener opens the next
// chunk). A failure is one the caller ends the channel with: nothing of
// the chunk reaches the sink.
func (p *playback) checkChunk(idx uint32, plain []byte) error {
	if p.manifest == nil {
		return nil
	}
	if err := p.manifest.CheckChunk(idx, plain); err != nil {
		return fmt.Errorf("chunk %d: %w: %w", idx, ErrContent, err)
	}
	return nil
}

// deliver writes a checked chunk to the sink, with the watchdog paused (a
// slow player is not a stalled server), and reports the progress.
func (p *playback) deliver(plain []byte, wd *watchdog) error {
	wd.pause()
	_, err := p.sink.Write(plain)
	wd.resume()
	if err != nil {
		return fmt.Errorf("%w: %w", ErrSink, err)
	}
	p.next++
	p.stats.Chunks++
	p.stats.Bytes += int64(len(plain))
	p.tally()
	if p.progress != nil {
		p.progress(p.stats)
	}
	return nil
}

// tally brings the session figures and the elapsed time of the stats up
// to date.
func (p *playback) tally() {
	p.stats.Rekeys = p.rekeysEarlier + p.c.sess.Rekeys() - p.rekeysBefore
	p.stats.Suite, p.stats.Group, p.stats.Epoch = p.c.sess.Suite(), p.c.sess.Group(), p.c.sess.Epoch()
	p.stats.Elapsed = time.Since(p.start)
}

// stalled ends the connection after the watchdog fired waiting for chunk
// idx: a transport fault, which a licensed play recovers from.
func (p *playback) stalled(idx uint32) error {
	return p.c.cutShort(fmt.Errorf("chunk %d: the server sent nothing for %s", idx, p.stall))
}

// watchdog cancels a fetch whose answer makes no progress for d. The
// sink pauses it; bytes the opener reads meanwhile do not rearm it, so the
// sink's time is never counted.
type watchdog struct {
	d      time.Duration
	mu     sync.Mutex
	timer  *time.Timer
	paused bool
	fired  atomic.Bool
}

func newWatchdog(d time.Duration, cancel context.CancelFunc) *watchdog {
	w := &watchdog{d: d}
	w.timer = time.AfterFunc(d, func() {
		w.fired.Store(true)
		cancel()
	})
	return w
}

// pause and resume bracket the sink's time.
func (w *watchdog) pause() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.paused = true
	w.timer.Stop()
}

func (w *watchdog) resume() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.paused = false
	w.timer.Reset(w.d)
}

// progress rearms the watchdog after bytes of the answer arrived, unless
// the sink holds it paused.
func (w *watchdog) progress() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.paused {
		w.timer.Reset(w.d)
	}
}

func (w *watchdog) stop() { w.timer.Stop() }

// activityReader rearms the watchdog at every read that brings bytes.
type activityReader struct {
	r  io.Reader
	wd *watchdog
}

func (a *activityReader) Read(p []byte) (int, error) {
	n, err := a.r.Read(p)
	if n > 0 {
		a.wd.progress()
	}
	return n, err
}

// watchedBody is a response body read through its watchdog.
type watchedBody struct {
	io.Reader
	io.Closer
}

// earlyEnd opens the response record that ends a fetch answer early and
// returns its refusal as a *StatusError (the channel is fine), or a
// channel failure when the record is not a genuine early end.
func (c *Conn) earlyEnd(rec []byte, reqSeq uint64, idx uint32) error {
	plain, _, err := c.sess.Open(rec, protocol.RecordResponse)
	if err != nil {
		return c.fatal(fmt.Errorf("chunk %d: %w", idx, err))
	}
	r, err := message.ParseResponse(plain)
	if err != nil || r.InReplyTo != reqSeq || r.Status == message.StatusOK {
		return c.fatal(fmt.Errorf("chunk %d: a response record where a chunk was due", idx))
	}
	end, err := message.ParseFetchEnd(r.Body)
	if err != nil || end.Next != idx {
		// Chunk records were dropped before a genuine early end.
		return c.fatal(fmt.Errorf("chunk %d: missing chunk records before the end of the answer", idx))
	}
	return &StatusError{Op: message.OpFetch, Status: r.Status, Message: end.Message, Offer: end.Offer, Refunded: end.Refunded}
}

func missing(err error) error {
	if errors.Is(err, io.EOF) {
		return errors.New("missing chunk record (truncated answer)")
	}
	return err
}
