package server

import (
	"errors"
	"fmt"
	"net/http"

	"securemedia/content"
	"securemedia/license"
	"securemedia/message"
	"securemedia/protocol"
)

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
	s.serveRecord(w, r, id, l, body)
}

// serveRecord opens one request record of session l and serves it: the
// per-session endpoint's work, and the finish endpoint's for a request
// that travelled with the finish (handleFinish).
func (s *Server) serveRecord(w http.ResponseWriter, r *http.Request, id sessionID, l *live, body []byte) {
	payload, seq, err := l.sess.Open(body, protocol.RecordRequest)
	if errors.Is(err, protocol.ErrSessionClosed) {
		// Closed by the server meanwhile (a per-user cap, a revocation):
		// a lost session, which the client recovers from, not a forgery.
		writeProblem(w, probNoSession, "")
		return
	}
	if err != nil {
		// Uniform answer for every record failure; no state changed.
		s.log.Info("record rejected", "session", id.String(), "remote", r.RemoteAddr, "err", err)
		s.metrics.recordsRejected.Inc()
		writeProblem(w, probRecord, "")
		return
	}
	s.serveRequest(w, r, id, l, seq, payload)
}

// serveRequest serves the opened request record seq of session l.
func (s *Server) serveRequest(w http.ResponseWriter, r *http.Request, id sessionID, l *live, seq uint64, payload []byte) {
	l.touch(s.now())
	req, err := message.ParseRequest(payload)
	if err != nil {
		s.reply(w, l, seq, message.StatusBadRequest, errorBody("malformed request"))
		return
	}
	// A draining server sends every request but a close elsewhere first,
	// whatever the session's places: the client moves to another replica
	// (DESIGN.md §10), which a refusal for places would not make it do.
	if s.Draining() && req.Op != message.OpClose {
		s.goElsewhere(w, l, id, seq)
		return
	}
	// The record opened: only now does the request take one of the
	// session's places (DESIGN.md §4 "Limits"), until its handler returns,
	// a fetch's stream included. A close is always let in: it ends the
	// session and everything it holds.
	if req.Op != message.OpClose {
		if !l.enter(s.limits.MaxRequestsPerSession) {
			s.metrics.requestsRefused.Inc()
			s.log.Info("request refused: too many in flight in its session", "session", id.String(), "op", req.Op.String(),
				"max", s.limits.MaxRequestsPerSession)
			s.reply(w, l, seq, message.StatusUnavailable, errorBody(msgTooManyInFlight))
			return
		}
		defer l.leave()
	}
	op := &operation{srv: s, w: w, r: r, l: l, id: id, seq: seq, req: req}
	op.dispatch()
}

// msgTooManyInFlight answers a request beyond Limits.MaxRequestsPerSession.
const msgTooManyInFlight = "too many requests in flight in this session"

// reply seals and writes one response record under HTTP 200: every
// authenticated record is answered with the same HTTP status, whatever the
// outcome inside (DESIGN.md §4 "Statuses").
func (s *Server) reply(w http.ResponseWriter, l *live, seq uint64, st message.Status, body []byte) {
	resp := &message.Response{InReplyTo: seq, Status: st, Body: body}
	if l.sess.RekeyDue() {
		resp.Flags |= message.FlagRekeyDue
	}
	rec, err := l.sess.Seal(nil, protocol.RecordResponse, resp.Marshal())
	if err != nil {
		s.sealFailed(w, l, "seal response", err)
		return
	}
	w.Header().Set("Content-Type", octetStream)
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(rec)
}

// sealFailed answers a request whose response could not be sealed: a
// session the server closed while the request was in flight (the per-user
// cap closed it, a revocation ended it) is a lost session, 404, which the
// client recovers from as from any transport fault; it must never look
// like a record rejected for tampering.
func (s *Server) sealFailed(w http.ResponseWriter, l *live, what string, err error) {
	if errors.Is(err, protocol.ErrSessionClosed) || l.sess.Closed() {
		writeProblem(w, probNoSession, "")
		return
	}
	s.log.Error(what, "err", err)
	writeProblem(w, probRecord, "")
}

func errorBody(msg string) []byte { return (&message.ErrorBody{Message: msg}).Marshal() }

// parsed decodes the operation's body with parse; a malformed one is
// answered here ("malformed <what> request") and ok is false.
func parsed[T any](o *operation, parse func([]byte) (T, error), what string) (v T, ok bool) {
	v, err := parse(o.req.Body)
	if err != nil {
		o.fail(message.StatusBadRequest, "malformed "+what+" request")
		return v, false
	}
	return v, true
}

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
	if o.registrationOnly() {
		return
	}
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
	case message.OpResume:
		o.resume()
	case message.OpOffer:
		o.offer()
	case message.OpRenew:
		o.renew()
	case message.OpLicense:
		o.licenses()
	case message.OpRegisterOptions:
		o.registerOptions()
	case message.OpRegister:
		o.register()
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
	it, man, err := o.srv.cfg.Catalog.Describe(req.Media)
	if err != nil {
		o.notFoundOr(err, "info")
		return
	}
	o.ok((&message.InfoResponse{Info: mediaInfo(it), Manifest: man}).Marshal())
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
// data path is O(chunk) (DESIGN.md §3): a chunk is read and opened from the
// at-rest container into the buffer it is then sealed in, in place, and
// written from; the next is read ahead while one is sealed and written.
//
// With licenses, the fetch is authorized once, with one store read (the
// play, its license, its user); every chunk is then checked from memory
// (license.Authorization.Check), the play's view is consumed before its
// first chunk goes out (Count), and the progress is stored once, when the
// whole answer was written (Progress; Forget when a write failed). A chunk
// the server cannot deliver (at-rest integrity, I/O) refunds the play.
func (o *operation) fetch() {
	req, ok := parsed(o, message.ParseFetchRequest, "fetch")
	if !ok {
		return
	}
	f := &fetching{op: o, req: req}
	if o.srv.licensing() {
		a, err := o.srv.cfg.Licenses.Authorize(o.r.Context(), req.Grant, o.id[:], req.Media.String(), req.First)
		if err != nil {
			o.licenseRefused("fetch", req.Media.String(), err)
			return
		}
		f.auth = a
	}
	defer f.end()
	rd, release, err := o.l.reader(o.srv.cfg.Catalog, req.Media)
	if errors.Is(err, protocol.ErrSessionClosed) {
		writeProblem(o.w, probNoSession, "")
		return
	}
	if err != nil {
		if f.auth == nil {
			o.notFoundOr(err, "open media")
			return
		}
		// The server cannot deliver the item it granted: a fault of its own.
		o.srv.log.Error("open media", "media", req.Media, "err", err)
		_, msg := f.refund("media unavailable")
		o.fail(message.StatusUnavailable, msg)
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
	o.l.midPlay.Store(req.First+uint32(count) < info.Chunks)
	o.ok((&message.FetchResponse{Count: uint16(count)}).Marshal())
	f.stream(rd, req.First, req.First+uint32(count))
}

// fetching is one fetch answer being written: its request, its license
// authorization (nil without licenses) and whether every write so far
// reached the connection.
type fetching struct {
	op   *operation
	req  *message.FetchRequest
	auth *license.Authorization
	lost bool
}

// stream writes chunks [first, last) after the announcing response,
// reading each next chunk ahead while one is sealed and written
// (fetchReads); nothing it started runs once it returns.
func (f *fetching) stream(rd content.ChunkReader, first, last uint32) {
	reads := newFetchReads(f.op.r.Context(), &f.op.srv.buffers, rd)
	defer reads.stop()
	for i := first; i < last && f.send(reads, i, last); i++ {
	}
	if flusher, ok := f.op.w.(http.Flusher); ok {
		flusher.Flush()
	}
}

// send writes chunk i: checked against the play, read at rest (or taken
// as read ahead), counted before the play's first chunk, sealed in place,
// written. While it is sealed and written, chunk i+1 (below end) is read
// ahead. It reports whether the answer goes on. Until it is sealed the
// chunk holds its turn or read-ahead place (chunkBuffers): a fetch
// waiting for its store or its client holds at most the record it is
// writing, and the next chunk in a read-ahead place.
func (f *fetching) send(reads *fetchReads, i, end uint32) bool {
	o, req := f.op, f.req
	svc := o.srv.cfg.Licenses
	if o.r.Context().Err() != nil {
		f.lost = true // the client went away
		return false
	}
	if f.auth != nil {
		// A license revoked or expired during the play, or a play
		// resumed elsewhere, stops it here with the reason (the 200 is
		// already sent). A chunk read ahead is checked here, when it is
		// its turn to go out, not when it was read.
		if err := f.auth.Check(i, o.srv.now()); err != nil {
			f.stop(svc.Refusal(o.r.Context(), f.auth, err), i)
			return false
		}
	}
	c, ok := f.read(reads, i)
	if !ok {
		return false
	}
	var rec []byte
	defer func() { reads.done(&c, rec) }()
	if f.auth != nil && !f.auth.Counted() {
		// The consumption point: before the play's first chunk goes out,
		// once it was read. The chunk is given back while the store
		// counts, and read again after.
		reads.drop(&c)
		if err := svc.Count(o.r.Context(), f.auth); err != nil {
			f.stop(err, i)
			return false
		}
		if c, ok = f.read(reads, i); !ok {
			return false
		}
	}
	if i+1 < end {
		reads.readAhead(i + 1)
	}
	sealed, err := o.l.sess.SealChunk((*c.buf)[:0], req.Media, i, c.plain, reads.chunkSize)
	reads.unhold(&c)
	if errors.Is(err, protocol.ErrRekeyRequired) {
		// Parallel fetches ran the epoch to its hard limit.
		f.endEarly(message.StatusRekeyRequired, &message.FetchEnd{Next: i, Message: "rekey before fetching more"})
		return false
	}
	if err != nil {
		o.srv.log.Error("seal chunk", "err", err)
		f.lost = true
		return false
	}
	rec = sealed
	if _, err := o.w.Write(rec); err != nil {
		f.lost = true
		return false
	}
	if f.auth != nil {
		f.auth.Delivered(i)
	}
	o.srv.metrics.chunks.Inc()
	o.srv.metrics.bytes.Add(float64(len(c.plain)))
	return true
}

// read returns chunk i, read at rest now or ahead. A chunk the server
// cannot read ends the answer: nothing of it is sent, the play is
// refunded and the client learns why.
func (f *fetching) read(reads *fetchReads, i uint32) (atRest, bool) {
	o, req := f.op, f.req
	c := reads.next(i)
	if c.gone {
		f.lost = true // the client went away while it waited
		return c, false
	}
	if c.err == nil {
		return c, true
	}
	o.srv.log.Error("read chunk", "media", req.Media, "chunk", i, "err", c.err)
	msg := fmt.Sprintf("chunk %d is unavailable", i)
	st := message.StatusUnavailable
	if errors.As(c.err, new(*content.IntegrityError)) {
		msg, st = fmt.Sprintf("the server's stored copy of chunk %d failed its integrity check", i), message.StatusIntegrity
	}
	end := &message.FetchEnd{Next: i, Message: msg}
	if f.auth != nil {
		end.Refunded, end.Message = f.refund(msg)
	}
	f.endEarly(st, end)
	return c, false
}

// stop ends the answer before chunk next for a refusal of the license
// layer, with its status, reason and offer.
func (f *fetching) stop(err error, next uint32) {
	o := f.op
	st, body := o.srv.refusal(err)
	if st == message.StatusUnavailable {
		o.srv.log.Error("fetch", "session", o.id.String(), "media", f.req.Media, "chunk", next, "err", err)
	} else {
		o.srv.log.Info("play stopped", "session", o.id.String(), "media", f.req.Media, "chunk", next, "reason", err)
	}
	f.endEarly(st, &message.FetchEnd{Next: next, Message: body.Message, Offer: body.Offer})
}

// refund ends the play after a failure of the server's (DESIGN.md §7): a
// counted play is refunded, its view restored; one not yet counted is
// abandoned, having cost nothing. It returns whether a view was refunded
// and the viewer's message, which says so.
func (f *fetching) refund(reason string) (bool, string) {
	o := f.op
	p, err := o.srv.cfg.Licenses.Refund(o.r.Context(), f.auth, reason)
	switch {
	case err != nil:
		o.srv.log.Error("refund play", "session", o.id.String(), "play", f.auth.PlayID(), "err", err)
		return false, reason
	case p.State == license.PlayRefunded:
		o.srv.log.Info("play refunded", "session", o.id.String(), "play", p.ID, "reason", reason)
		return true, reason + "; the play was stopped and its view refunded"
	}
	return false, reason + "; the play was stopped before it cost a view"
}

// endEarly ends a fetch answer whose 200 is already sent: one more
// response record for the same request, with the status and reason
// (message.FetchResponse).
func (f *fetching) endEarly(st message.Status, end *message.FetchEnd) {
	o := f.op
	resp := &message.Response{InReplyTo: o.seq, Status: st, Body: end.Marshal()}
	rec, err := o.l.sess.Seal(nil, protocol.RecordResponse, resp.Marshal())
	if err == nil {
		_, err = o.w.Write(rec)
	}
	if err != nil {
		f.lost = true // the client sees the answer end and fails closed
	}
}

// end ends the fetch's authorization: the progress is stored when the
// whole answer was written, and forgotten otherwise, so that the store
// never counts a chunk the client may not have (DESIGN.md §7).
func (f *fetching) end() {
	if f.auth == nil {
		return
	}
	svc := f.op.srv.cfg.Licenses
	if f.lost {
		svc.Forget(f.auth)
		return
	}
	if err := svc.Progress(f.op.r.Context(), f.auth); err != nil {
		f.op.srv.log.Error("record progress", "session", f.op.id.String(), "play", f.auth.PlayID(), "err", err)
	}
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
		msg := "rekey share refused"
		if errors.Is(err, protocol.ErrRekeyInProgress) {
			// Another rekey request of this session runs in parallel:
			// one rekey at a time (protocol.Session.PrepareRekey); this
			// one is refused inside the channel, with a 200 as every
			// authenticated record (DESIGN.md §4 "Statuses").
			msg = "another rekey is in progress"
		}
		o.fail(message.StatusBadRequest, msg)
		return
	}
	// Until it is committed, the prepared epoch is this request's own:
	// a path that ends before (the answer could not be sealed) drops it,
	// so that the session neither keeps its secrets nor refuses the next
	// rekey as in progress.
	committed := false
	defer func() {
		if !committed {
			o.l.sess.AbortRekey()
		}
	}()
	resp := &message.Response{InReplyTo: o.seq, Status: message.StatusOK, Body: protocol.MarshalShare(serverShare)}
	rec, err := o.l.sess.Seal(nil, protocol.RecordResponse, resp.Marshal())
	if err != nil {
		o.srv.sealFailed(o.w, o.l, "seal rekey response", err)
		return
	}
	o.srv.metrics.rekeys.Inc()
	committed = true
	if err := o.l.sess.CommitRekey(); err != nil {
		o.srv.sealFailed(o.w, o.l, "commit rekey", err)
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
