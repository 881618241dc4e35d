package server

import (
	"errors"
	"fmt"
	"net/http"
	"sync"

	"securemedia/content"
	"securemedia/message"
	"securemedia/protocol"
)

// chunkBuffers recycles the per-chunk buffers of the streaming path so a
// fetch costs O(chunk) memory and little garbage.
type chunkBuffers struct{ pool sync.Pool }

func (b *chunkBuffers) get() *[]byte {
	if p, ok := b.pool.Get().(*[]byte); ok {
		return p
	}
	buf := make([]byte, 0, content.DefaultChunkSize+1024)
	return &buf
}

func (b *chunkBuffers) put(p *[]byte) {
	if cap(*p) > protocol.MaxRecordPayload+1024 {
		return
	}
	*p = (*p)[:0]
	b.pool.Put(p)
}

// handleRecord is the per-session endpoint: exactly one request record in,
// a response record (and chunk records for a fetch) out.
func (s *Server) handleRecord(w http.ResponseWriter, r *http.Request) {
	id, ok := parseSessionID(r.PathValue("id"))
	if !ok {
		writeProblem(w, probNoSession, "")
		return
	}
	l := s.sessions.get(id)
	if l == nil {
		writeProblem(w, probNoSession, "")
		return
	}
	body, ok := readBody(w, r, s.limits.MaxRequestRecord)
	if !ok {
		return
	}
	payload, seq, err := l.sess.Open(body, protocol.RecordRequest)
	if err != nil {
		// Uniform answer for every record failure; no state changed.
		s.log.Info("record rejected", "session", id.String(), "remote", r.RemoteAddr, "err", err)
		s.metrics.recordsRejected.Inc()
		writeProblem(w, probRecord, "")
		return
	}
	l.touch(s.now())
	req, err := message.ParseRequest(payload)
	if err != nil {
		s.reply(w, l, seq, message.StatusBadRequest, errorBody("malformed request"))
		return
	}
	op := &operation{srv: s, w: w, r: r, l: l, id: id, seq: seq, req: req}
	op.dispatch()
}

// reply seals and writes one response record under HTTP 200.
func (s *Server) reply(w http.ResponseWriter, l *live, seq uint64, st message.Status, body []byte) {
	s.replyHTTP(w, l, seq, st, body, http.StatusOK)
}

// replyHTTP seals and writes one response record under httpStatus (402
// for a payment-required answer, so that the status is visible on the
// wire; the record inside is what the client trusts).
func (s *Server) replyHTTP(w http.ResponseWriter, l *live, seq uint64, st message.Status, body []byte, httpStatus int) {
	resp := &message.Response{InReplyTo: seq, Status: st, Body: body}
	if l.sess.RekeyDue() {
		resp.Flags |= message.FlagRekeyDue
	}
	rec, err := l.sess.Seal(nil, protocol.RecordResponse, resp.Marshal())
	if err != nil {
		s.log.Error("seal response", "err", err)
		writeProblem(w, probRecord, "")
		return
	}
	w.Header().Set("Content-Type", octetStream)
	w.Header().Set("Cache-Control", "no-store")
	if httpStatus != http.StatusOK {
		w.WriteHeader(httpStatus)
	}
	_, _ = w.Write(rec)
}

func errorBody(msg string) []byte { return (&message.ErrorBody{Message: msg}).Marshal() }

// operation is one authenticated request being served.
type operation struct {
	srv *Server
	w   http.ResponseWriter
	r   *http.Request
	l   *live
	id  sessionID
	seq uint64
	req *message.Request
}

func (o *operation) ok(body []byte) { o.srv.reply(o.w, o.l, o.seq, message.StatusOK, body) }

func (o *operation) fail(st message.Status, msg string) {
	o.srv.reply(o.w, o.l, o.seq, st, errorBody(msg))
}

func (o *operation) dispatch() {
	switch o.req.Op {
	case message.OpCatalog:
		o.catalog()
	case message.OpInfo:
		o.info()
	case message.OpFetch:
		o.fetch()
	case message.OpRekey:
		o.rekey()
	case message.OpPlay:
		o.play()
	case message.OpRenew:
		o.renew()
	case message.OpLicense:
		o.licenses()
	case message.OpClose:
		o.ok(nil)
		o.srv.sessions.remove(o.id)
		o.srv.log.Info("session closed by client", "session", o.id.String())
	default:
		o.fail(message.StatusBadRequest, "unknown operation")
	}
}

func (o *operation) catalog() {
	items, err := o.srv.cfg.Catalog.List()
	var damaged *content.DamagedError
	if errors.As(err, &damaged) && damaged.OnlyDamage() {
		// Serve what is sound; the operator sees the rest (media verify).
		for i, id := range damaged.IDs {
			o.srv.log.Warn("catalog item damaged; not listed", "id", id, "err", damaged.Errs[i])
		}
		err = nil
	}
	if err != nil {
		o.srv.log.Error("catalog", "err", err)
		o.fail(message.StatusUnavailable, "catalog unavailable")
		return
	}
	out := make([]message.MediaInfo, 0, len(items))
	lics, now := o.userLicenses(), o.srv.now()
	for _, it := range items {
		mi := mediaInfo(it)
		if l, ok := lics[it.ID.String()]; ok {
			mi.License = licenseState(l, now)
		}
		out = append(out, mi)
	}
	o.ok(message.MarshalCatalog(out))
}

func (o *operation) info() {
	req, err := message.ParseInfoRequest(o.req.Body)
	if err != nil {
		o.fail(message.StatusBadRequest, "malformed info request")
		return
	}
	it, err := o.srv.cfg.Catalog.Stat(req.Media)
	if err != nil {
		o.notFoundOr(err, "info")
		return
	}
	mi := mediaInfo(it)
	man, err := o.srv.cfg.Catalog.SignedManifest(it.ID)
	if err != nil {
		o.srv.log.Error("manifest", "id", it.ID, "err", err)
		o.fail(message.StatusUnavailable, "media unavailable")
		return
	}
	o.ok((&message.InfoResponse{Info: mi, Manifest: man}).Marshal())
}

func (o *operation) notFoundOr(err error, what string) {
	if errors.Is(err, content.ErrNotFound) {
		o.fail(message.StatusNotFound, "no such media")
		return
	}
	o.srv.log.Error(what, "err", err)
	o.fail(message.StatusUnavailable, "media unavailable")
}

// fetch streams a range of chunks: a response record announcing the count,
// then one chunk record per chunk, each sealed under its own chunk key. The
// data path is O(chunk): one chunk is read, opened from the at-rest
// container, sealed and written at a time (DESIGN.md §3).
func (o *operation) fetch() {
	req, err := message.ParseFetchRequest(o.req.Body)
	if err != nil {
		o.fail(message.StatusBadRequest, "malformed fetch request")
		return
	}
	// With licenses enforced every chunk needs the play grant (DESIGN.md
	// §7); the first is checked before anything is written, so a refused
	// range gets a clear answer.
	licenseMedia := req.Media.String()
	if o.srv.licensing() {
		st, msg := o.checkGrant(req.Grant, licenseMedia)
		if st == message.StatusOK {
			st, msg = o.checkUserStillEnabled()
		}
		if st != message.StatusOK {
			o.refuseFetch(st, msg)
			return
		}
	}
	rd, release, err := o.l.reader(o.srv.cfg.Catalog, req.Media)
	if err != nil {
		o.notFoundOr(err, "open media")
		return
	}
	defer release()
	info := rd.Item()
	if uint64(req.First)+uint64(req.Count) > uint64(info.Chunks) {
		o.fail(message.StatusBadRequest, "chunk range outside the media")
		return
	}
	// Never run an epoch past its rekey threshold: shorten the fetch to
	// the epoch's budget; the response flags the rekey (DESIGN.md §4).
	count := min(int(req.Count), o.l.sess.ChunkBudget(info.ChunkSize))
	if count == 0 {
		o.fail(message.StatusRekeyRequired, "rekey before fetching more")
		return
	}
	last := uint64(req.First) + uint64(count)
	o.ok((&message.FetchResponse{Count: uint16(count)}).Marshal())

	plain := o.srv.buffers.get()
	sealed := o.srv.buffers.get()
	defer o.srv.buffers.put(plain)
	defer o.srv.buffers.put(sealed)
	flusher, _ := o.w.(http.Flusher)
	for i := req.First; uint64(i) < last; i++ {
		if o.srv.licensing() && i != req.First {
			// A license revoked or expired during the play stops it at its
			// next chunk, with the reason (the 200 is already sent).
			if o.r.Context().Err() != nil {
				return // the client went away
			}
			if st, msg := o.checkGrant(req.Grant, licenseMedia); st != message.StatusOK {
				o.srv.log.Info("play stopped", "session", o.id.String(), "media", info.ID, "chunk", i, "reason", msg)
				o.endFetchEarly(st, msg, i)
				return
			}
		}
		p, err := rd.Chunk(i, (*plain)[:0])
		if err != nil {
			// Nothing of this chunk is sent; the client learns why.
			o.srv.log.Error("read chunk", "media", info.ID, "chunk", i, "err", err)
			var ie *content.IntegrityError
			if errors.As(err, &ie) {
				o.endFetchEarly(message.StatusIntegrity, fmt.Sprintf("the server's stored copy of chunk %d failed its integrity check", i), i)
			} else {
				o.endFetchEarly(message.StatusUnavailable, fmt.Sprintf("chunk %d is unavailable", i), i)
			}
			return
		}
		*plain = p
		rec, err := o.l.sess.SealChunk((*sealed)[:0], req.Media, i, p)
		if errors.Is(err, protocol.ErrRekeyRequired) {
			// Parallel fetches ran the epoch to its hard limit.
			o.endFetchEarly(message.StatusRekeyRequired, "rekey before fetching more", i)
			return
		}
		if err != nil {
			o.srv.log.Error("seal chunk", "err", err)
			return
		}
		*sealed = rec
		if _, err := o.w.Write(rec); err != nil {
			return
		}
		o.srv.metrics.chunks.Inc()
		o.srv.metrics.bytes.Add(float64(len(p)))
	}
	if flusher != nil {
		flusher.Flush()
	}
}

// endFetchEarly ends a fetch answer whose 200 is already sent: one more
// response record for the same request, with the status and reason
// (message.FetchResponse).
func (o *operation) endFetchEarly(st message.Status, msg string, next uint32) {
	resp := &message.Response{InReplyTo: o.seq, Status: st, Body: (&message.FetchEnd{Next: next, Message: msg}).Marshal()}
	rec, err := o.l.sess.Seal(nil, protocol.RecordResponse, resp.Marshal())
	if err != nil {
		return // the client sees the answer end and fails closed
	}
	_, _ = o.w.Write(rec)
}

// rekey answers a client's fresh share under the current epoch, then moves
// the session to the next epoch (DESIGN.md §4 "Rekey").
func (o *operation) rekey() {
	share, err := protocol.ParseShare(o.req.Body)
	if err != nil {
		o.fail(message.StatusBadRequest, "malformed rekey request")
		return
	}
	serverShare, err := o.l.sess.PrepareRekey(share)
	if err != nil {
		o.srv.log.Info("rekey refused", "session", o.id.String(), "err", err)
		o.fail(message.StatusBadRequest, "rekey share refused")
		return
	}
	resp := &message.Response{InReplyTo: o.seq, Status: message.StatusOK, Body: protocol.MarshalShare(serverShare)}
	rec, err := o.l.sess.Seal(nil, protocol.RecordResponse, resp.Marshal())
	if err != nil {
		o.srv.log.Error("seal rekey response", "err", err)
		writeProblem(o.w, probRecord, "")
		return
	}
	o.srv.metrics.rekeys.Inc()
	if err := o.l.sess.CommitRekey(); err != nil {
		o.srv.log.Error("commit rekey", "err", err)
		writeProblem(o.w, probRecord, "")
		return
	}
	o.srv.log.Debug("rekeyed", "session", o.id.String(), "epoch", o.l.sess.Epoch())
	o.w.Header().Set("Content-Type", octetStream)
	_, _ = o.w.Write(rec)
}

// mediaInfo converts a store item to its wire form.
func mediaInfo(it content.Item) message.MediaInfo {
	return message.MediaInfo{
		ID: it.ID, Title: it.Title, ContentType: it.ContentType, Size: uint64(it.Size),
		ChunkSize: uint32(it.ChunkSize), Chunks: it.Chunks, Duration: it.Duration,
	}
}
