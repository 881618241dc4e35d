package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// How a licensed play survives faults that are not the viewer's (DESIGN.md
// §7): the play request is free and idempotent, so it is simply sent
// again; a play that has begun is resumed with its ticket, in this session
// while it lives, else in a new one (a fresh handshake: through a
// balancer, any replica), from the first chunk not yet written to the
// sink. A channel failure is never retried.

// RetryPolicy bounds the recovery from one transport fault: up to Tries
// attempts, the first at once, then after waits that start at Initial and
// double up to Max, each jittered to between half and all of itself. The
// budget starts afresh at each fault.
type RetryPolicy struct {
	Tries        int
	Initial, Max time.Duration
}

// The default recovery: 8 attempts over about 11 seconds, long enough for
// a server to restart (DefaultRetryTries, DefaultRetryInitial,
// DefaultRetryMax).
const (
	DefaultRetryTries   = 8
	DefaultRetryInitial = 100 * time.Millisecond
	DefaultRetryMax     = 5 * time.Second
)

// withDefaults fills the zero fields.
func (r RetryPolicy) withDefaults() RetryPolicy {
	if r.Tries <= 0 {
		r.Tries = DefaultRetryTries
	}
	if r.Initial <= 0 {
		r.Initial = DefaultRetryInitial
	}
	if r.Max <= 0 {
		r.Max = DefaultRetryMax
	}
	return r
}

// wait is the jittered wait before attempt n (n >= 1).
func (r RetryPolicy) wait(n int) time.Duration { return doublingWait(r.Initial, r.Max, n) }

// maxRenewals bounds the renewals of one play (each needs the viewer's
// yes), so that a renewal that does not make the license playable cannot
// loop.
const maxRenewals = 3

// licensedPlay is the license side of a PlayWithLicense: how to renew,
// redial and retry, the play's resume ticket, and the connections the play
// dialed itself (closed when it ends).
type licensedPlay struct {
	renew    func(*PaymentRequiredError) bool
	redial   func(context.Context) (*Conn, error)
	retry    RetryPolicy
	renewals int
	ticket   []byte
	dialed   []*Conn
	// recovered counts the recoveries since the play last delivered a
	// chunk (at recoveredAt): a fault that recurs at once, however often
	// its recovery succeeds, ends the play after retry.Tries.
	recovered   int
	recoveredAt uint32
}

// request asks for the play, through transport faults, renewing on a
// refusal for payment when the viewer agrees, and takes its grant.
func (p *playback) request(ctx context.Context) error {
	for {
		var g *Grant
		err := p.retrying(ctx, func(c *Conn) (err error) {
			g, err = c.StartPlay(ctx, p.info.ID)
			return err
		})
		var pe *PaymentRequiredError
		if errors.As(err, &pe) {
			if err := p.renewal(ctx, pe); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return err
		}
		p.take(g)
		return nil
	}
}

// take makes g the play's grant (a resume answers with the same ticket).
func (p *playback) take(g *Grant) {
	p.grant, p.stats.Remaining = g.Grant, g.Remaining
	if len(g.Ticket) > 0 {
		p.lic.ticket = g.Ticket
	}
}

// renewal asks the viewer about pe's offer and, on a yes, renews against
// it. Without a yes, pe is the answer. After a transport fault the
// renewal may or may not have been accepted: the next request tells.
func (p *playback) renewal(ctx context.Context, pe *PaymentRequiredError) error {
	if p.lic.renew == nil || pe.Offer == nil || p.lic.renewals >= maxRenewals || !p.lic.renew(pe) {
		return pe
	}
	p.lic.renewals++
	if _, err := p.c.Renew(ctx, p.info.ID, pe.Offer); err != nil && !errors.Is(err, ErrTransport) {
		return fmt.Errorf("renew: %w", err)
	}
	return nil
}

// recover handles an error of the play loop of a licensed play: a license
// that ran out mid-play is renewed when the viewer agrees (the play goes
// on under its grant), and a transport fault is recovered from by resuming
// the play. Anything else ends the play.
func (p *playback) recover(ctx context.Context, err error) error {
	if p.lic == nil {
		return err
	}
	var pe *PaymentRequiredError
	if errors.As(paymentRequired(err), &pe) {
		return p.renewal(ctx, pe)
	}
	if !errors.Is(err, ErrTransport) {
		return err
	}
	if p.next != p.lic.recoveredAt {
		p.lic.recovered, p.lic.recoveredAt = 0, p.next
	}
	if p.lic.recovered++; p.lic.recovered > p.lic.retry.Tries {
		return fmt.Errorf("%w (no chunk delivered after %d recoveries)", err, p.lic.retry.Tries)
	}
	p.c.log.Info("resuming the play after a transport fault", "media", p.info.ID, "next_chunk", p.next, "err", err)
	return p.retrying(ctx, func(c *Conn) error {
		if len(p.lic.ticket) == 0 {
			// A server without licenses has no plays to resume: the play
			// request (free, and answered with no grant) is the probe.
			g, err := c.StartPlay(ctx, p.info.ID)
			if err == nil {
				p.take(g)
			}
			return err
		}
		g, err := c.Resume(ctx, p.info.ID, p.lic.ticket)
		if err == nil {
			p.take(g)
			p.stats.Resumes++
		}
		return err
	})
}

// retrying runs step on the play's connection and, after a transport
// fault, again, on the same connection while it is usable, else on a new
// one, within the retry policy. Any other error is step's answer.
func (p *playback) retrying(ctx context.Context, step func(*Conn) error) error {
	pol := p.lic.retry
	var cause error
	for attempt := 0; attempt < pol.Tries; attempt++ {
		if attempt > 0 {
			t := time.NewTimer(pol.wait(attempt))
			select {
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			case <-t.C:
			}
		}
		if !p.c.Usable() {
			c, err := p.lic.redial(ctx)
			switch {
			case ctx.Err() != nil:
				return ctx.Err()
			case err != nil && !transient(err):
				return err
			case err != nil:
				cause = fmt.Errorf("%w: redial: %w", ErrTransport, err)
				continue
			}
			p.switchTo(c)
		}
		err := step(p.c)
		if !errors.Is(err, ErrTransport) {
			return err
		}
		cause = err
	}
	return fmt.Errorf("%w (gave up after %d attempts)", cause, pol.Tries)
}

// transient reports whether a failed dial may succeed later: the server
// could not be reached, went away mid-handshake, or asked to come back.
func transient(err error) bool {
	var pe *ProblemError
	if errors.As(err, &pe) {
		return pe.Status == http.StatusTooManyRequests || lostSession(pe)
	}
	return errors.Is(err, ErrTransport) || truncated(err)
}

// switchTo moves the play to the new connection c.
func (p *playback) switchTo(c *Conn) {
	p.rekeysEarlier += p.c.sess.Rekeys() - p.rekeysBefore
	p.c, p.rekeysBefore = c, c.sess.Rekeys()
	p.lic.dialed = append(p.lic.dialed, c)
}

// closeTimeout bounds the authenticated close of a connection the play
// dialed.
const closeTimeout = 3 * time.Second

// closeDialed closes the connections the play dialed itself, even after
// the caller's context was cancelled.
func (p *playback) closeDialed() {
	for _, c := range p.lic.dialed {
		ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
		_ = c.Close(ctx)
		cancel()
	}
}
