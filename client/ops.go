package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"syscall"
	"time"

	"securemedia/content"
	"securemedia/message"
	"securemedia/protocol"
)

// StatusError is a non-OK answer to an operation: the channel is fine, the
// server refused the operation (no such media, payment required, ...).
type StatusError struct {
	Op      message.Op
	Status  message.Status
	Message string
	// Offer is the renewal offer of a StatusPaymentRequired answer.
	Offer []byte
	// Refunded: the server failed the play (a fetch ended early) and
	// restored its view.
	Refunded bool
}

func (e *StatusError) Error() string {
	if e.Message != "" {
		return fmt.Sprintf("%s: %s: %s", e.Op, e.Status, e.Message)
	}
	return fmt.Sprintf("%s: %s", e.Op, e.Status)
}

// ErrChannel wraps every failure of the secure channel itself (a record
// that does not authenticate, a response to another request, omitted
// records); after one, the connection is unusable. A play never retries
// after one.
var ErrChannel = errors.New("secure channel failed")

// ErrTransport wraps a fault of the transport under the channel: the
// request did not get through, the answer was cut short or stalled, the
// server lost the session (HTTP 404) or is unavailable (502, 503, 504), or
// a draining replica sent the session elsewhere (message.StatusGoElsewhere).
// Nothing unverified reached the sink. A licensed play resumes after one in
// a new session (PlayWithLicense); Conn.Usable says whether this
// connection can still be used.
var ErrTransport = errors.New("connection to the server lost")

// usable reports why the connection cannot be used, if it cannot.
func (c *Conn) usable() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.failed != nil {
		return c.failed
	}
	if c.closed {
		return protocol.ErrSessionClosed
	}
	return nil
}

// Usable reports whether the connection can still carry requests: not
// after a channel failure, a lost session or Close.
func (c *Conn) Usable() bool { return c.usable() == nil }

// fatal ends the connection after a channel failure: it tries an
// authenticated close so the server drops the session at once, then erases
// the keys.
func (c *Conn) fatal(err error) error { return c.end(ErrChannel, err, true) }

// cutShort ends the connection after an answer that was cut short or
// stalled (a transport fault: the session may live on the server, so it is
// closed there when it still can be).
func (c *Conn) cutShort(err error) error { return c.end(ErrTransport, err, true) }

// end ends the connection with an error of class (ErrChannel or
// ErrTransport): with remote, it first tries an authenticated close so the
// server drops the session at once; then it erases the keys.
func (c *Conn) end(class, err error, remote bool) error {
	err = fmt.Errorf("%w: %w", class, err)
	c.mu.Lock()
	if c.failed == nil {
		c.failed = err
	}
	closed := c.closed
	c.closed = true
	c.mu.Unlock()
	if !closed {
		if remote {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			_, _ = c.closeRemote(ctx)
			cancel()
		}
		c.sess.Close()
	}
	return err
}

// lostSession reports whether a problem answer to a session record is a
// transport fault: the server no longer knows the session (it restarted,
// or a balancer sent the request elsewhere) or is unavailable.
func lostSession(pe *ProblemError) bool {
	switch pe.Status {
	case http.StatusNotFound, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// truncated reports whether reading a record failed because the answer
// ended or the connection broke, rather than because of what was read.
func truncated(err error) bool {
	var ne net.Error
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.As(err, &ne) ||
		errors.Is(err, syscall.ECONNRESET)
}

// exchange sends one request and returns its verified response and, for
// operations that stream more records, the HTTP body positioned after it.
// The caller must close the body.
func (c *Conn) exchange(ctx context.Context, op message.Op, body []byte) (*message.Response, io.ReadCloser, error) {
	if err := c.usable(); err != nil {
		return nil, nil, err
	}
	return c.roundTrip(ctx, op, body)
}

func (c *Conn) roundTrip(ctx context.Context, op message.Op, body []byte) (*message.Response, io.ReadCloser, error) {
	pf, err := c.takeFinish(ctx)
	if err != nil {
		return nil, nil, err
	}
	var (
		rec  []byte
		resp *http.Response
	)
	if pf != nil {
		if resp, rec, err = c.carryFinish(ctx, pf, op, body); err != nil {
			return nil, nil, err
		}
	} else if rec, err = c.sess.Seal(nil, protocol.RecordRequest, (&message.Request{Op: op, Body: body}).Marshal()); err != nil {
		return nil, nil, err
	}
	seq, _ := protocol.RecordSequence(rec)
	if resp == nil { // no finish to carry, or a server that takes no request with it
		if resp, err = c.send(ctx, c.sessURL, rec); err != nil {
			var pe *ProblemError
			switch {
			case ctx.Err() != nil:
				return nil, nil, ctx.Err()
			case errors.As(err, &pe) && lostSession(pe):
				return nil, nil, c.end(ErrTransport, err, false)
			case errors.As(err, &pe):
				return nil, nil, c.fatal(err)
			}
			// The request may not have reached the server; the session lives.
			return nil, nil, fmt.Errorf("%w: %w", ErrTransport, err)
		}
	}
	ok := false
	defer func() {
		if !ok {
			resp.Body.Close()
		}
	}()
	rrec, err := protocol.ReadRecord(resp.Body, nil)
	switch {
	case err == nil:
	case ctx.Err() != nil:
		return nil, nil, ctx.Err()
	case truncated(err):
		return nil, nil, c.cutShort(fmt.Errorf("%s response: %w", op, missing(err)))
	default:
		return nil, nil, c.fatal(fmt.Errorf("%s response: %w", op, err))
	}
	plain, _, err := c.sess.Open(rrec, protocol.RecordResponse)
	if err != nil {
		return nil, nil, c.fatal(fmt.Errorf("%s response: %w", op, err))
	}
	r, err := message.ParseResponse(plain)
	if err != nil {
		return nil, nil, c.fatal(fmt.Errorf("%s response: %w", op, err))
	}
	if r.InReplyTo != seq {
		return nil, nil, c.fatal(fmt.Errorf("%s response answers request %d, not %d", op, r.InReplyTo, seq))
	}
	if r.Status == message.StatusGoElsewhere && op != message.OpClose {
		// A draining replica closed the session (DESIGN.md §10): a
		// transport fault, from which a play recovers by a new handshake
		// through the balancer, on another replica.
		return nil, nil, c.end(ErrTransport, fmt.Errorf("%s: the server is stopping and sent us elsewhere", op), false)
	}
	ok = true
	return r, resp.Body, nil
}

// FinishError is the server's refusal of a handshake's finish that
// travelled with the first request (Config.FinishWithFirstRequest): of the
// device or the user, or of the finish itself, the *ProblemError Dial
// returns otherwise, now the error of that request and of every later one.
// It tells a caller that the handshake, not the operation, was refused.
type FinishError struct{ Err error }

func (e *FinishError) Error() string { return e.Err.Error() }
func (e *FinishError) Unwrap() error { return e.Err }

// takeFinish returns the pending finish when this request is to carry it
// (Config.FinishWithFirstRequest). A request made while another carries
// it waits until the server's Finished at the head of that one's answer
// has been checked: the session exists on the server only from then on.
func (c *Conn) takeFinish(ctx context.Context) (*pendingFinish, error) {
	c.mu.Lock()
	pf := c.finish
	if pf == nil || !pf.taken {
		if pf != nil {
			pf.taken = true
		}
		c.mu.Unlock()
		return pf, nil
	}
	c.mu.Unlock()
	select {
	case <-pf.done:
		return nil, pf.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// carryFinish seals the request op and sends it with the pending finish
// pf (sendWithFinish); it returns the response, positioned at the
// request's answer (none when rec is to go on its own, finishAlone), and
// the request record. A refusal that left the request unread, for load
// (429, or 503 from a draining replica) or for a handshake the server no
// longer has (404: expired, or the replica restarted), is followed, as
// Dial's Backoff says, by a new handshake through the balancer and the
// request sealed again in its session: what Dial did before the finish
// went with the first request.
func (c *Conn) carryFinish(ctx context.Context, pf *pendingFinish, op message.Op, body []byte) (*http.Response, []byte, error) {
	b := c.cfg.Backoff.withDefaults()
	for attempt := 1; ; {
		rec, err := c.sess.Seal(nil, protocol.RecordRequest, (&message.Request{Op: op, Body: body}).Marshal())
		if err != nil {
			return nil, nil, c.finishFailed(pf, ErrChannel, err, false)
		}
		resp, err := c.sendWithFinish(ctx, pf, rec)
		for {
			var again *handshakeAgain
			if !errors.As(err, &again) {
				return resp, rec, err
			}
			d, ok := b.wait(attempt, again.err)
			if !ok || b.sleep(ctx, d) != nil {
				return nil, nil, c.finishRefused(ctx, pf, again.err)
			}
			attempt++
			c.log.Debug("handshake refused at its finish; retrying", "err", again.err, "wait", d, "attempt", attempt)
			if err = c.renewFinish(ctx, pf); err == nil {
				break
			}
		}
	}
}

// handshakeAgain is a refusal of a handshake worth a new one (retryable).
type handshakeAgain struct{ err error }

func (e *handshakeAgain) Error() string { return e.err.Error() }

// renewFinish replaces the pending finish pf by that of a new handshake,
// after its server refused it for load or no longer had it: a fresh hello
// (through the balancer, to whichever replica takes it), the server's
// flight checked, a new finish and its session. A refusal of the new
// hello worth a retry is a *handshakeAgain; any other failure ends the
// connection.
func (c *Conn) renewFinish(ctx context.Context, pf *pendingFinish) error {
	hs, fin, url, err := c.toFinish(ctx, c.cfg.Protocol)
	if err != nil {
		var pe *ProblemError
		switch {
		case errors.As(err, &pe) && ctx.Err() == nil && retryable(pe):
			return &handshakeAgain{err: err}
		case errors.As(err, &pe), ctx.Err() != nil:
			return c.finishRefused(ctx, pf, err)
		case truncated(err):
			return c.finishFailed(pf, ErrTransport, err, false)
		}
		// The new server's flight did not verify: as Dial reports it.
		return c.finishFailed(pf, nil, err, false)
	}
	sess, err := hs.EarlySession()
	if err != nil {
		hs.Erase()
		return c.finishFailed(pf, ErrChannel, err, false)
	}
	old := c.sess
	c.mu.Lock()
	c.sess, c.sessURL = sess, url
	pf.hs.Erase()
	pf.hs, pf.record = hs, fin
	c.mu.Unlock()
	old.Close()
	return nil
}

// sendWithFinish posts the finish and the first request rec in one body
// to the finish endpoint (DESIGN.md §4 "Handshake") and checks the
// server's Finished at the head of the answer; it returns the response
// with its body at the answer to rec. A refusal for load or of a
// handshake the server no longer has is a *handshakeAgain (carryFinish
// runs a new handshake); any other failure ends the connection: it is
// ErrTransport when the request or the answer was lost (a play recovers
// from it by dialling again), ErrChannel when the server's Finished does
// not verify, and otherwise the server's refusal (a *FinishError around
// the *ProblemError Dial would return: of the device or the user). When
// the server may have established the session and we lost its answer
// (the request was cancelled or its answer lost or cut short before the
// Finished), the session is closed there with an authenticated close, as
// after any failure of an established connection, rather than left to
// its idle timeout.
//
// A server that takes no request with its finish gets the finish alone
// (finishAlone); sendWithFinish then returns no response, and rec goes on
// its own to the session endpoint.
func (c *Conn) sendWithFinish(ctx context.Context, pf *pendingFinish, rec []byte) (*http.Response, error) {
	body := make([]byte, 0, len(pf.record)+len(rec))
	resp, err := c.send(ctx, c.sessURL+"/finish", append(append(body, pf.record...), rec...))
	if err != nil {
		var pe *ProblemError
		switch {
		case errors.As(err, &pe) && ctx.Err() == nil && mayBeAnOlderServer(pe):
			return nil, c.finishAlone(ctx, pf, err)
		case errors.As(err, &pe) && ctx.Err() == nil && (retryable(pe) || pe.Status == http.StatusNotFound):
			return nil, &handshakeAgain{err: handshakeError(stepFinish, err)}
		}
		return nil, c.finishRefused(ctx, pf, err)
	}
	frec, err := protocol.ReadRecord(resp.Body, nil)
	if err != nil {
		resp.Body.Close()
		if ctx.Err() != nil {
			return nil, c.finishGivenUp(ctx, pf)
		}
		class := ErrChannel
		if truncated(err) {
			class = ErrTransport
		}
		return nil, c.finishFailed(pf, class, fmt.Errorf("handshake: %w", err), true)
	}
	if _, err := pf.hs.ReadServerFinished(frec); err != nil {
		// The handshake failed, and closed the session with it.
		resp.Body.Close()
		return nil, c.finishFailed(pf, ErrChannel, fmt.Errorf("handshake: %w", err), false)
	}
	c.settleFinish(pf, nil)
	c.log.Debug("session established with the first request", "suite", c.sess.Suite(), "group", c.sess.Group())
	return resp, nil
}

// finishRefused ends the connection whose finish got err instead of an
// answer (DESIGN.md §4 "Statuses": a problem document, or no answer).
func (c *Conn) finishRefused(ctx context.Context, pf *pendingFinish, err error) error {
	var pe *ProblemError
	switch {
	case ctx.Err() != nil:
		return c.finishGivenUp(ctx, pf)
	case errors.As(err, &pe) && (lostSession(pe) || retryable(pe)):
		return c.finishFailed(pf, ErrTransport, handshakeError(stepFinish, err), false)
	case errors.As(err, &pe):
		return c.finishFailed(pf, nil, &FinishError{Err: handshakeError(stepFinish, err)}, false)
	}
	// No answer: the server may hold the session.
	return c.finishFailed(pf, ErrTransport, handshakeError(stepFinish, err), true)
}

// problemRecordRejected is the problem type of a rejected record (the
// server's "record-rejected"), which is also a server's answer to a finish
// it cannot read.
const problemRecordRejected = "urn:securemedia:problem:record-rejected"

// mayBeAnOlderServer reports whether pe may be how a server that takes no
// request with its finish refuses a finish with one behind it: as an
// unreadable finish (400 record-rejected), or a body over its finish limit
// (413), either before it touched its half-open session. A current
// server answers 400 record-rejected to a request behind a valid finish
// that did not open (finishAlone tells the two apart).
func mayBeAnOlderServer(pe *ProblemError) bool {
	return (pe.Status == http.StatusBadRequest && pe.Type == problemRecordRejected) ||
		pe.Status == http.StatusRequestEntityTooLarge
}

// finishAlone sends the finish on its own after refused, a refusal of it
// with the first request behind it that an older server gives (replicas
// upgraded one at a time behind a balancer, DESIGN.md §10): such a server
// left its half-open session as it was, the finish alone establishes the
// session, and finishAlone returns nil for the request to follow on its
// own. A current server gives the same refusal when the request behind a
// valid finish did not open (it was tampered with), and drops the
// handshake: the finish alone then finds nothing (404), and the request's
// rejection fails the channel. Nothing weaker than before is sent: this
// is the handshake as it was, one round trip longer.
func (c *Conn) finishAlone(ctx context.Context, pf *pendingFinish, refused error) error {
	reply, err := c.post(ctx, c.sessURL+"/finish", pf.record, maxServerFlight)
	if err != nil {
		var pe *ProblemError
		switch {
		case errors.As(err, &pe) && ctx.Err() == nil && pe.Status == http.StatusNotFound:
			return c.finishFailed(pf, ErrChannel, fmt.Errorf("the server rejected the request sent with the finish: %w", refused), false)
		case errors.As(err, &pe) && ctx.Err() == nil && retryable(pe):
			return &handshakeAgain{err: handshakeError(stepFinish, err)}
		}
		return c.finishRefused(ctx, pf, err)
	}
	if _, err := pf.hs.ReadServerFinished(reply); err != nil {
		return c.finishFailed(pf, ErrChannel, fmt.Errorf("handshake: %w", err), false)
	}
	c.settleFinish(pf, nil)
	c.log.Debug("session established; the server takes no request with the finish", "suite", c.sess.Suite(), "group", c.sess.Group())
	return nil
}

// finishGivenUp ends the connection whose finish's request was given up
// (its context ended) before the answer came. That request's error is a
// transport fault and its context's error; the requests that waited for
// it, and later ones, get a transport fault that is not: their own
// contexts did not end, and a caller that tells an interruption by
// context.Canceled must not take their failure for one.
func (c *Conn) finishGivenUp(ctx context.Context, pf *pendingFinish) error {
	_ = c.finishFailed(pf, ErrTransport, fmt.Errorf("the request that carried the handshake's finish was given up (%v)", ctx.Err()), true)
	return fmt.Errorf("%w: %w", ErrTransport, ctx.Err())
}

// finishFailed ends the connection whose finish failed with err, of class
// (ErrChannel, ErrTransport, or nil for a refusal), and returns the error
// every request of it gets from now on. With remote (the server may hold
// the session), it first tries an authenticated close, as end does.
func (c *Conn) finishFailed(pf *pendingFinish, class, err error, remote bool) error {
	if class != nil {
		err = fmt.Errorf("%w: %w", class, err)
	}
	c.mu.Lock()
	if c.failed == nil {
		c.failed = err
	}
	c.closed = true
	c.mu.Unlock()
	// The close is sealed before the keys are erased, and sent after: no
	// request of ours goes out once the connection failed, and those that
	// waited for the finish do not wait for the close. Its answer does
	// not matter.
	var closing []byte
	if remote {
		closing, _ = c.sess.Seal(nil, protocol.RecordRequest, (&message.Request{Op: message.OpClose}).Marshal())
	}
	c.sess.Close()
	c.settleFinish(pf, err)
	if closing != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		if resp, err := c.send(ctx, c.sessURL, closing); err == nil {
			resp.Body.Close()
		}
		cancel()
	}
	return err
}

// settleFinish records the outcome of the finish, erases the handshake's
// secrets and lets waiting requests go on.
func (c *Conn) settleFinish(pf *pendingFinish, err error) {
	c.mu.Lock()
	c.finish = nil
	c.mu.Unlock()
	pf.err = err
	pf.hs.Erase()
	close(pf.done)
}

// call performs an operation whose answer is a single response and returns
// its body, or a *StatusError.
func (c *Conn) call(ctx context.Context, op message.Op, body []byte) (*message.Response, error) {
	r, rc, err := c.exchange(ctx, op, body)
	if err != nil {
		return nil, err
	}
	if err := c.expectEnd(rc, op); err != nil {
		return nil, err
	}
	if r.Status != message.StatusOK {
		return r, statusError(op, r)
	}
	return r, nil
}

// expectEnd checks that nothing follows the records we expected, and closes
// the body.
func (c *Conn) expectEnd(rc io.ReadCloser, op message.Op) error {
	defer rc.Close()
	var one [1]byte
	if n, _ := io.ReadFull(rc, one[:]); n != 0 {
		return c.fatal(fmt.Errorf("%s: unexpected bytes after the response", op))
	}
	return nil
}

func statusError(op message.Op, r *message.Response) error {
	se := &StatusError{Op: op, Status: r.Status}
	if eb, err := message.ParseErrorBody(r.Body); err == nil {
		se.Message, se.Offer = eb.Message, eb.Offer
	}
	return se
}

// Catalog lists the server's media.
func (c *Conn) Catalog(ctx context.Context) ([]message.MediaInfo, error) {
	r, err := c.call(ctx, message.OpCatalog, nil)
	if err != nil {
		return nil, err
	}
	items, err := message.ParseCatalog(r.Body)
	if err != nil {
		return nil, c.fatal(fmt.Errorf("catalog: %w", err))
	}
	return items, nil
}

// Info returns one item's metadata and signed manifest.
func (c *Conn) Info(ctx context.Context, id content.ID) (*message.InfoResponse, error) {
	r, err := c.call(ctx, message.OpInfo, (&message.InfoRequest{Media: id}).Marshal())
	if err != nil {
		return nil, err
	}
	info, err := message.ParseInfoResponse(r.Body)
	if err != nil {
		return nil, c.fatal(fmt.Errorf("info: %w", err))
	}
	if info.Info.ID != id {
		return nil, c.fatal(errors.New("info: answer is about another media"))
	}
	return info, nil
}

// Rekey runs a fresh ephemeral exchange inside the channel and moves to
// the next epoch (DESIGN.md §4 "Rekey"). No other request may be in flight.
func (c *Conn) Rekey(ctx context.Context) error {
	share, err := c.sess.RekeyRequest()
	if err != nil {
		return err
	}
	r, err := c.call(ctx, message.OpRekey, protocol.MarshalShare(share))
	if err != nil {
		return err
	}
	serverShare, err := protocol.ParseShare(r.Body)
	if err != nil {
		return c.fatal(fmt.Errorf("rekey: %w", err))
	}
	if err := c.sess.CompleteRekey(serverShare); err != nil {
		return c.fatal(fmt.Errorf("rekey: %w", err))
	}
	return nil
}

// Close ends the session on the server and erases the keys.
func (c *Conn) Close(ctx context.Context) error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	c.mu.Unlock()
	defer c.sess.Close()
	_, err := c.closeRemote(ctx)
	return err
}

func (c *Conn) closeRemote(ctx context.Context) (*message.Response, error) {
	r, rc, err := c.roundTrip(ctx, message.OpClose, nil)
	if err != nil {
		return nil, err
	}
	rc.Close()
	return r, nil
}
