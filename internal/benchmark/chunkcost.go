package benchmark

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"securemedia/client"
	"securemedia/content"
	"securemedia/message"
	"securemedia/protocol"
)

// chunkFetcher fetches single chunks over an established session: the same
// fetch operation the client's Play sends (a one-chunk range), sealed and
// opened with the session's keys, each chunk checked against the signed
// manifest. The client library streams from the first chunk only, so the
// range request is built here from the protocol package's messages.
type chunkFetcher struct {
	conn     *client.Conn
	hc       *http.Client
	url      string
	recBuf   []byte
	plainBuf []byte
}

// errRekeyRequired says the server wants a rekey before the next fetch.
var errRekeyRequired = errors.New("rekey required")

// maxFetchAnswer bounds the response record of a fetch.
const maxFetchAnswer = 64 << 10

func newChunkFetcher(conn *client.Conn, hc *http.Client, base string) *chunkFetcher {
	id := conn.Session().ID()
	return &chunkFetcher{conn: conn, hc: hc, url: base + "/v1/session/" + hex.EncodeToString(id[:])}
}

// target is one chunk of one item to fetch repeatedly.
type target struct {
	info     message.MediaInfo
	manifest *content.Manifest
	index    uint32
	// grant is the play grant of the item (nil without licenses).
	grant []byte
}

// fetch fetches t's chunk once; rekeyDue reports the server's hint that
// the epoch is nearly used up.
func (f *chunkFetcher) fetch(ctx context.Context, t target) (rekeyDue bool, err error) {
	sess := f.conn.Session()
	req := &message.FetchRequest{Media: t.info.ID, First: t.index, Count: 1, Grant: t.grant}
	rec, err := sess.Seal(nil, protocol.RecordRequest, (&message.Request{Op: message.OpFetch, Body: req.Marshal()}).Marshal())
	if err != nil {
		return false, err
	}
	seq, _ := protocol.RecordSequence(rec)
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, f.url, bytes.NewReader(rec))
	if err != nil {
		return false, err
	}
	hreq.Header.Set("Content-Type", "application/octet-stream")
	resp, err := f.hc.Do(hreq)
	if err != nil {
		return false, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return false, fmt.Errorf("fetch: HTTP %d", resp.StatusCode)
	}
	rrec, err := protocol.ReadRecord(io.LimitReader(resp.Body, maxFetchAnswer), nil)
	if err != nil {
		return false, fmt.Errorf("fetch response: %w", err)
	}
	plain, _, err := sess.Open(rrec, protocol.RecordResponse)
	if err != nil {
		return false, fmt.Errorf("fetch response: %w", err)
	}
	r, err := message.ParseResponse(plain)
	if err != nil {
		return false, fmt.Errorf("fetch response: %w", err)
	}
	if r.InReplyTo != seq {
		return false, errors.New("fetch response answers another request")
	}
	switch r.Status {
	case message.StatusOK:
	case message.StatusRekeyRequired:
		return true, errRekeyRequired
	default:
		return false, fmt.Errorf("fetch: %s", r.Status)
	}
	fr, err := message.ParseFetchResponse(r.Body)
	if err != nil || fr.Count != 1 {
		return false, errors.New("fetch: the server announced another chunk count")
	}
	crec, err := protocol.ReadRecord(resp.Body, f.recBuf)
	if err != nil {
		return false, fmt.Errorf("chunk %d: %w", t.index, err)
	}
	f.recBuf = crec
	p, _, err := sess.OpenChunk(f.plainBuf[:0], crec, t.info.ID, t.index)
	if err != nil {
		return false, fmt.Errorf("chunk %d: %w", t.index, err)
	}
	f.plainBuf = p
	if err := t.manifest.CheckChunk(t.index, p); err != nil {
		return false, fmt.Errorf("chunk %d: %w", t.index, err)
	}
	var one [1]byte
	if n, _ := io.ReadFull(resp.Body, one[:]); n != 0 {
		return false, errors.New("fetch: unexpected bytes after the chunk")
	}
	return r.Flags&message.FlagRekeyDue != 0, nil
}

// timedFetch fetches t once and returns how long it took; a rekey the
// server asks for is run outside the timing (it is counted by the rekey
// figures, not here).
func (f *chunkFetcher) timedFetch(ctx context.Context, t target) (time.Duration, error) {
	for attempt := 0; attempt < 2; attempt++ {
		start := time.Now()
		due, err := f.fetch(ctx, t)
		elapsed := time.Since(start)
		if errors.Is(err, errRekeyRequired) {
			if err := f.conn.Rekey(ctx); err != nil {
				return 0, fmt.Errorf("rekey: %w", err)
			}
			continue
		}
		if err != nil {
			return 0, err
		}
		if due {
			if err := f.conn.Rekey(ctx); err != nil {
				return 0, fmt.Errorf("rekey: %w", err)
			}
		}
		return elapsed, nil
	}
	return 0, errors.New("fetch: the server asked for a rekey twice")
}

// loadTarget starts a play of the item (one view, the grant every fetch
// carries) and reads its metadata and verified manifest over conn; the
// returned target fetches chunk 0 until its index is set.
func loadTarget(ctx context.Context, conn *client.Conn, mid content.ID, verify func([][]byte) (*x509.Certificate, error)) (target, error) {
	g, err := conn.StartPlay(ctx, mid)
	if err != nil {
		return target{}, fmt.Errorf("start play: %w", err)
	}
	info, err := conn.Info(ctx, mid)
	if err != nil {
		return target{}, err
	}
	m, err := content.VerifyManifest(info.Manifest, verify)
	if err != nil {
		return target{}, fmt.Errorf("manifest: %w", err)
	}
	return target{info: info.Info, manifest: m, grant: g.Grant}, nil
}
