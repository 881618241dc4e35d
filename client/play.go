package client

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"time"

	"securemedia/media"
	"securemedia/protocol"
)

// stallTimeout bounds the wait for the next record of a fetch answer: a
// server (or a man in the middle) that stops sending does not hang the
// viewer. The time the sink takes is not counted.
const stallTimeout = 60 * time.Second

// DefaultChunksPerRequest is how many chunks one fetch asks for.
const DefaultChunksPerRequest = protocol.MaxChunksPerFetch

// PlayOptions tune Play.
type PlayOptions struct {
	// ChunksPerRequest is the size of a fetch (default and at most
	// protocol.MaxChunksPerFetch).
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
	CheckChunk func(index int, data []byte) error
	// Progress, when set, is called after each chunk reaches the sink.
	Progress func(PlayStats)
}

// PlayStats describes a play, as it goes and at the end.
type PlayStats struct {
	Media    protocol.MediaInfo
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
}

// ErrSink wraps a failure to write to the sink (the player quit): the
// channel is intact.
var ErrSink = errors.New("sink")

// Play streams media id into sink, chunk by chunk: each chunk record is
// opened under its own key, checked against the manifest when CheckChunk
// is set, and only then written. A chunk that fails never reaches the sink.
func (c *Conn) Play(ctx context.Context, id protocol.MediaID, sink io.Writer, o PlayOptions) (*PlayStats, error) {
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
func verifiedManifest(info *protocol.InfoResponse, verify func([][]byte) (*x509.Certificate, error)) (*media.Manifest, error) {
	if len(info.Manifest) == 0 {
		return nil, fmt.Errorf("%w: the server sent no manifest", ErrContent)
	}
	m, err := media.VerifyManifest(info.Manifest, verify)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrContent, err)
	}
	mi := info.Info
	if m.ID != mi.ID.String() || m.Size != int64(mi.Size) || m.Chunks != int(mi.Chunks) || m.ChunkSize != int(mi.ChunkSize) {
		return nil, fmt.Errorf("%w: the manifest describes another item", ErrContent)
	}
	return m, nil
}

// Stream plays an item whose metadata the caller already has (from Info).
func (c *Conn) Stream(ctx context.Context, mi protocol.MediaInfo, sink io.Writer, o PlayOptions, start time.Time) (*PlayStats, error) {
	per := o.ChunksPerRequest
	if per <= 0 {
		per = DefaultChunksPerRequest
	}
	per = min(per, protocol.MaxChunksPerFetch)
	st := &PlayStats{Media: mi, Suite: c.sess.Suite(), Group: c.sess.Group(), Verified: o.CheckChunk != nil}
	rekeysBefore := c.sess.Rekeys()
	var recBuf, plainBuf []byte
	rekeyDue := false
	outer := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stall := time.AfterFunc(stallTimeout, cancel)
	stall.Stop()
	for first := uint32(0); first < mi.Chunks; {
		if rekeyDue {
			if err := c.Rekey(ctx); err != nil {
				return st, fmt.Errorf("rekey: %w", err)
			}
			rekeyDue = false
		}
		count := uint16(min(uint32(per), mi.Chunks-first))
		req := &protocol.FetchRequest{Media: mi.ID, First: first, Count: count, Grant: o.Grant}
		r, body, err := c.exchange(ctx, protocol.OpFetch, req.Marshal())
		if err != nil {
			return st, err
		}
		if r.Status == protocol.StatusRekeyRequired {
			body.Close()
			rekeyDue = true
			continue
		}
		if r.Status != protocol.StatusOK {
			body.Close()
			return st, statusError(protocol.OpFetch, r)
		}
		// The server may shorten a fetch to its epoch's rekey budget.
		fr, err := protocol.ParseFetchResponse(r.Body)
		if err != nil || fr.Count == 0 || fr.Count > count {
			body.Close()
			return st, c.fatal(errors.New("fetch: the server announced an impossible chunk count"))
		}
		count = fr.Count
		for i := range uint32(count) {
			idx := first + i
			stall.Reset(stallTimeout)
			rec, err := protocol.ReadRecord(body, recBuf)
			stall.Stop()
			if err != nil {
				body.Close()
				if outer.Err() != nil {
					return st, outer.Err()
				}
				if ctx.Err() != nil {
					return st, c.fatal(fmt.Errorf("chunk %d: the server sent nothing for %s", idx, stallTimeout))
				}
				return st, c.fatal(fmt.Errorf("chunk %d: %w", idx, missing(err)))
			}
			recBuf = rec
			if t, _ := protocol.RecordTypeOf(rec); t == protocol.RecordResponse {
				// The server ended the answer early and says why.
				err := c.earlyEnd(rec, r.InReplyTo, idx)
				if !errors.Is(err, ErrChannel) {
					if endErr := c.expectEnd(body, protocol.OpFetch); endErr != nil {
						return st, endErr
					}
				} else {
					body.Close()
				}
				return st, err
			}
			plain, _, err := c.sess.OpenChunk(plainBuf[:0], rec, mi.ID, idx)
			if err != nil {
				body.Close()
				return st, c.fatal(fmt.Errorf("chunk %d: %w", idx, err))
			}
			plainBuf = plain
			if want := chunkLen(mi, idx); uint64(len(plain)) != want {
				body.Close()
				return st, c.fatal(fmt.Errorf("chunk %d: %d bytes, the manifest says %d", idx, len(plain), want))
			}
			if o.CheckChunk != nil {
				if err := o.CheckChunk(int(idx), plain); err != nil {
					body.Close()
					return st, c.fatal(fmt.Errorf("chunk %d: %w: %w", idx, ErrContent, err))
				}
			}
			if _, err := sink.Write(plain); err != nil {
				body.Close()
				return st, fmt.Errorf("%w: %w", ErrSink, err)
			}
			st.Chunks++
			st.Bytes += int64(len(plain))
			st.Rekeys = c.sess.Rekeys() - rekeysBefore
			st.Epoch = c.sess.Epoch()
			st.Elapsed = time.Since(start)
			if o.Progress != nil {
				o.Progress(*st)
			}
		}
		if err := c.expectEnd(body, protocol.OpFetch); err != nil {
			return st, err
		}
		first += uint32(count)
		rekeyDue = r.Flags&protocol.FlagRekeyDue != 0
	}
	st.Rekeys = c.sess.Rekeys() - rekeysBefore
	st.Epoch = c.sess.Epoch()
	st.Elapsed = time.Since(start)
	return st, nil
}

// earlyEnd opens the response record that ends a fetch answer early and
// returns its refusal as a *StatusError (the channel is fine), or a
// channel failure when the record is not a genuine early end.
func (c *Conn) earlyEnd(rec []byte, reqSeq uint64, idx uint32) error {
	plain, _, err := c.sess.Open(rec, protocol.RecordResponse)
	if err != nil {
		return c.fatal(fmt.Errorf("chunk %d: %w", idx, err))
	}
	r, err := protocol.ParseResponse(plain)
	if err != nil || r.InReplyTo != reqSeq || r.Status == protocol.StatusOK {
		return c.fatal(fmt.Errorf("chunk %d: a response record where a chunk was due", idx))
	}
	return statusError(protocol.OpFetch, r)
}

func missing(err error) error {
	if errors.Is(err, io.EOF) {
		return errors.New("missing chunk record (truncated answer)")
	}
	return err
}

// chunkLen is the plaintext length of chunk idx: ChunkSize for all but the
// last, the remainder for the last.
func chunkLen(mi protocol.MediaInfo, idx uint32) uint64 {
	if mi.Chunks == 0 {
		return 0
	}
	if idx+1 < mi.Chunks {
		return uint64(mi.ChunkSize)
	}
	return mi.Size - uint64(mi.Chunks-1)*uint64(mi.ChunkSize)
}
