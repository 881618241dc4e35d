package client

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
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

// PlayOptions tune Play.
type PlayOptions struct {
	// ChunksPerRequest is the size of a fetch (default and at most
	// message.MaxChunksPerFetch).
	ChunksPerRequest int
	// Grant is the play grant from the license layer, sent with every fetch.
	Grant []byte
	// VerifyContent validates the content-signing chain of the item's
	// manifest (the PKI validator with usage content). When set, Play
	// verifies the signed manifest, checks that it describes the item, and
	// checks every chunk against it before the chunk reaches the sink
	// (DESIGN.md §8). When nil, content is not verified.
	VerifyContent func(chain [][]byte) (*x509.Certificate, error)
	// CheckChunk verifies a chunk before it reaches the sink; Play sets it
	// from the manifest when VerifyContent is given.
	CheckChunk func(index uint32, data []byte) error
	// Progress, when set, is called after each chunk reaches the sink.
	Progress func(PlayStats)
	// StallTimeout fails the play when an answer makes no progress for
	// this long (default 60 s; the sink's time is not counted).
	StallTimeout time.Duration
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
	Verified bool // every chunk passed CheckChunk
	Elapsed  time.Duration
	// Remaining is what the license has left after this play ("4 views
	// left"), set by PlayWithLicense.
	Remaining string

	rekeysBefore int // the session's rekeys when the play began
}

// ErrSink wraps a failure to write to the sink (the player quit): the
// channel is intact.
var ErrSink = errors.New("sink")

// Play streams media id into sink, chunk by chunk: each chunk record is
// opened under its own key, checked against the manifest when CheckChunk
// is set, and only then written. A chunk that fails never reaches the sink.
func (c *Conn) Play(ctx context.Context, id content.ID, sink io.Writer, o PlayOptions) (*PlayStats, error) {
	start := time.Now()
	info, err := c.Info(ctx, id)
	if err != nil {
		return nil, err
	}
	if o.VerifyContent != nil {
		m, err := verifiedManifest(info, o.VerifyContent)
		if err != nil {
			return nil, err
		}
		o.CheckChunk = m.CheckChunk
	}
	return c.Stream(ctx, info.Info, sink, o, start)
}

// ErrContent is returned when the content fails verification: a manifest
// that does not verify or does not describe the item, or a chunk that does
// not match its manifest hash.
var ErrContent = errors.New("content verification failed")

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

// Stream plays an item whose metadata the caller already has (from Info).
func (c *Conn) Stream(ctx context.Context, mi message.MediaInfo, sink io.Writer, o PlayOptions, start time.Time) (*PlayStats, error) {
	per := o.ChunksPerRequest
	if per <= 0 {
		per = DefaultChunksPerRequest
	}
	per = min(per, message.MaxChunksPerFetch)
	st := &PlayStats{Media: mi, Suite: c.sess.Suite(), Group: c.sess.Group(), Verified: o.CheckChunk != nil,
		rekeysBefore: c.sess.Rekeys()}
	var recBuf, plainBuf []byte
	rekeyDue := false
	stall := o.StallTimeout
	if stall <= 0 {
		stall = stallTimeout
	}
	for first := uint32(0); first < mi.Chunks; {
		if rekeyDue {
			if err := c.Rekey(ctx); err != nil {
				return st, fmt.Errorf("rekey: %w", err)
			}
			rekeyDue = false
		}
		count := uint16(min(uint32(per), mi.Chunks-first))
		n, flags, err := c.fetch(ctx, mi, first, count, o, stall, sink, st, start, &recBuf, &plainBuf)
		if err != nil {
			return st, err
		}
		if n == 0 { // the server asked for a rekey first
			rekeyDue = true
			continue
		}
		first += uint32(n)
		rekeyDue = flags&message.FlagRekeyDue != 0
	}
	st.Rekeys = c.sess.Rekeys() - st.rekeysBefore
	st.Epoch = c.sess.Epoch()
	st.Elapsed = time.Since(start)
	return st, nil
}

// fetch runs one fetch of count chunks from first: the request, then each
// chunk record opened, checked and written to the sink. It returns how many
// chunks the server sent (0 when it asks for a rekey first) and the
// response flags. A watchdog fails the fetch when the answer makes no
// progress for stall (the sink's time is not counted).
func (c *Conn) fetch(ctx context.Context, mi message.MediaInfo, first uint32, count uint16, o PlayOptions, stall time.Duration,
	sink io.Writer, st *PlayStats, start time.Time, recBuf, plainBuf *[]byte) (uint16, uint8, error) {
	fctx, cancel := context.WithCancel(ctx)
	defer cancel()
	wd := newWatchdog(stall, cancel)
	defer wd.stop()
	stalled := func(idx uint32) error {
		return c.fatal(fmt.Errorf("chunk %d: the server sent nothing for %s", idx, stall))
	}
	req := &message.FetchRequest{Media: mi.ID, First: first, Count: count, Grant: o.Grant}
	r, rawBody, err := c.exchange(fctx, message.OpFetch, req.Marshal())
	if err != nil {
		if wd.fired.Load() {
			return 0, 0, stalled(first)
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
	for i := range uint32(fr.Count) {
		idx := first + i
		rec, err := protocol.ReadRecord(body, *recBuf)
		if err != nil {
			body.Close()
			switch {
			case wd.fired.Load():
				return 0, 0, stalled(idx)
			case ctx.Err() != nil:
				return 0, 0, ctx.Err()
			}
			return 0, 0, c.fatal(fmt.Errorf("chunk %d: %w", idx, missing(err)))
		}
		*recBuf = rec
		if t, _ := protocol.RecordTypeOf(rec); t == protocol.RecordResponse {
			// The server ended the answer early and says why.
			err := c.earlyEnd(rec, r.InReplyTo, idx)
			if errors.Is(err, ErrChannel) {
				body.Close()
			} else if endErr := c.expectEnd(body, message.OpFetch); endErr != nil {
				return 0, 0, endErr
			}
			return 0, 0, err
		}
		plain, _, err := c.sess.OpenChunk((*plainBuf)[:0], rec, mi.ID, idx)
		if err != nil {
			body.Close()
			return 0, 0, c.fatal(fmt.Errorf("chunk %d: %w", idx, err))
		}
		*plainBuf = plain
		if want := chunkLen(mi, idx); uint64(len(plain)) != want {
			body.Close()
			return 0, 0, c.fatal(fmt.Errorf("chunk %d: %d bytes, the manifest says %d", idx, len(plain), want))
		}
		if o.CheckChunk != nil {
			if err := o.CheckChunk(idx, plain); err != nil {
				body.Close()
				return 0, 0, c.fatal(fmt.Errorf("chunk %d: %w: %w", idx, ErrContent, err))
			}
		}
		wd.pause() // a slow player is not a stalled server
		_, err = sink.Write(plain)
		wd.resume()
		if err != nil {
			body.Close()
			return 0, 0, fmt.Errorf("%w: %w", ErrSink, err)
		}
		st.Chunks++
		st.Bytes += int64(len(plain))
		st.Rekeys = c.sess.Rekeys() - st.rekeysBefore
		st.Epoch = c.sess.Epoch()
		st.Elapsed = time.Since(start)
		if o.Progress != nil {
			o.Progress(*st)
		}
	}
	if err := c.expectEnd(body, message.OpFetch); err != nil {
		if wd.fired.Load() {
			return 0, 0, stalled(first + uint32(fr.Count))
		}
		return 0, 0, err
	}
	return fr.Count, r.Flags, nil
}

// watchdog cancels a fetch whose answer makes no progress for d.
type watchdog struct {
	d     time.Duration
	timer *time.Timer
	fired atomic.Bool
}

func newWatchdog(d time.Duration, cancel context.CancelFunc) *watchdog {
	w := &watchdog{d: d}
	w.timer = time.AfterFunc(d, func() {
		w.fired.Store(true)
		cancel()
	})
	return w
}

func (w *watchdog) pause()  { w.timer.Stop() }
func (w *watchdog) resume() { w.timer.Reset(w.d) }
func (w *watchdog) stop()   { w.timer.Stop() }

// activityReader rearms the watchdog at every read that brings bytes.
type activityReader struct {
	r  io.Reader
	wd *watchdog
}

func (a *activityReader) Read(p []byte) (int, error) {
	n, err := a.r.Read(p)
	if n > 0 {
		a.wd.resume()
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
	return &StatusError{Op: message.OpFetch, Status: r.Status, Message: end.Message}
}

func missing(err error) error {
	if errors.Is(err, io.EOF) {
		return errors.New("missing chunk record (truncated answer)")
	}
	return err
}

// chunkLen is the plaintext length of chunk idx: ChunkSize for all but the
// last, the remainder for the last.
func chunkLen(mi message.MediaInfo, idx uint32) uint64 {
	if mi.Chunks == 0 {
		return 0
	}
	if idx+1 < mi.Chunks {
		return uint64(mi.ChunkSize)
	}
	return mi.Size - uint64(mi.Chunks-1)*uint64(mi.ChunkSize)
}
