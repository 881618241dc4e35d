package client

import (
	"context"
	"crypto/rand"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	"securemedia/content"
	"securemedia/license"
	"securemedia/message"
)

// The license operations of the client (DESIGN.md §7): start a play (free;
// its view is consumed at its first chunk), resume it in a new session
// after a transport fault, ask for a renewal offer, renew against an
// offer, list the viewer's licenses. Tokens are verified and tickets kept
// in memory only.

// Grant is a started or resumed play.
type Grant struct {
	// Grant accompanies every fetch of the play in this session; empty
	// when the server enforces no licenses.
	Grant []byte
	// Ticket resumes the play in another session (it holds a secret: keep
	// it in memory only); empty when the server enforces no licenses.
	Ticket []byte
	// Token is the verified license token; nil when the server enforces no
	// licenses.
	Token *license.Token
	// Next is the first chunk the play has not delivered (0 for a new
	// play).
	Next uint32
	// Remaining says what is left, e.g. "4 views left".
	Remaining string
}

// PaymentRequiredError is a play refused, or stopped, because the license
// is exhausted or expired; Offer is the server's renewal offer: what it
// restores, what it costs, until when it can be accepted.
type PaymentRequiredError struct {
	Message string
	Offer   *message.Offer
}

func (e *PaymentRequiredError) Error() string {
	if e.Offer == nil {
		return "payment required: " + e.Message
	}
	return fmt.Sprintf("payment required: %s (renewal: %s for %s)", e.Message, DescribeOffer(e.Offer), e.Offer.Price)
}

// DescribeOffer says what an offer restores (or adds), as
// license.Policy.String does: "5 views", "72h0m0s", "unlimited".
func DescribeOffer(o *message.Offer) string {
	s := license.Policy{Views: int(o.Views), Period: o.Period}.String()
	if o.Extends {
		return s + " more"
	}
	return s
}

// ErrBadLicense means the server sent a license token that does not verify
// or is not about this user and media: the client refuses it.
var ErrBadLicense = errors.New("license token refused")

// StartPlay asks the server to start a play of id. The request is free
// (the view is consumed when the play's first chunk is delivered) and
// idempotent in this session: asked again, the server returns the same
// play. The answer's license token is verified here (signer chain with
// usage license, signature, our user and this media). An exhausted or
// expired license is a *PaymentRequiredError.
func (c *Conn) StartPlay(ctx context.Context, id content.ID) (*Grant, error) {
	return c.playGrant(ctx, message.OpPlay, (&message.PlayRequest{Media: id}).Marshal(), id)
}

// Resume moves the play of ticket, a play of id, to this session after a
// transport fault; Grant.Next says where it continues. No view is
// consumed.
func (c *Conn) Resume(ctx context.Context, id content.ID, ticket []byte) (*Grant, error) {
	return c.playGrant(ctx, message.OpResume, (&message.ResumeRequest{Ticket: ticket}).Marshal(), id)
}

// playGrant performs a play or resume request and checks its answer.
func (c *Conn) playGrant(ctx context.Context, op message.Op, body []byte, id content.ID) (*Grant, error) {
	r, err := c.call(ctx, op, body)
	if err != nil {
		return nil, paymentRequired(err)
	}
	pr, err := message.ParsePlayResponse(r.Body)
	if err != nil {
		return nil, c.fatal(fmt.Errorf("%s: %w", op, err))
	}
	g := &Grant{Grant: pr.Grant, Ticket: pr.Ticket, Next: pr.Next, Remaining: pr.Remaining}
	if len(pr.Grant) == 0 {
		return g, nil // the server enforces no licenses
	}
	if g.Token, err = c.checkToken(pr.Token, id); err != nil {
		return nil, err
	}
	return g, nil
}

// Offer asks for an offer to renew the license of id before it runs out:
// for a license that can still play, it extends it (Offer.Extends).
func (c *Conn) Offer(ctx context.Context, id content.ID) (*message.Offer, error) {
	r, err := c.call(ctx, message.OpOffer, (&message.PlayRequest{Media: id}).Marshal())
	if err != nil {
		return nil, err
	}
	o, err := message.ParseOffer(r.Body)
	if err != nil {
		return nil, c.fatal(fmt.Errorf("offer: %w", err))
	}
	return o, nil
}

// Renew accepts the server's offer for the license of id after the viewer
// agreed to it: it pays with a random single-use payment reference (the
// payment is simulated) and returns the verified renewed token. The server
// accepts an offer once.
func (c *Conn) Renew(ctx context.Context, id content.ID, offer *message.Offer) (*license.Token, error) {
	var ref [16]byte
	if _, err := rand.Read(ref[:]); err != nil {
		return nil, err
	}
	req := &message.RenewRequest{Offer: offer.ID, Reference: hex.EncodeToString(ref[:])}
	r, err := c.call(ctx, message.OpRenew, req.Marshal())
	if err != nil {
		return nil, err
	}
	rr, err := message.ParseRenewResponse(r.Body)
	if err != nil {
		return nil, c.fatal(fmt.Errorf("renew: %w", err))
	}
	return c.checkToken(rr.Token, id)
}

// Licenses lists the viewer's licenses.
func (c *Conn) Licenses(ctx context.Context) ([]message.LicenseInfo, error) {
	r, err := c.call(ctx, message.OpLicense, nil)
	if err != nil {
		return nil, err
	}
	ls, err := message.ParseLicenses(r.Body)
	if err != nil {
		return nil, c.fatal(fmt.Errorf("licenses: %w", err))
	}
	return ls, nil
}

// checkToken verifies a license token and that it is about our user and
// media id.
func (c *Conn) checkToken(tok []byte, id content.ID) (*license.Token, error) {
	return CheckLicenseToken(tok, c.verifyLicense, c.userID, id)
}

// CheckLicenseToken verifies tok (signer chain through verifyChain, which
// must check the license-signing usage; signature) and checks that it
// names userID and media id. Every refusal wraps ErrBadLicense.
func CheckLicenseToken(tok []byte, verifyChain func([][]byte) (*x509.Certificate, error), userID string, id content.ID) (*license.Token, error) {
	if verifyChain == nil {
		return nil, fmt.Errorf("%w: no license verifier configured", ErrBadLicense)
	}
	t, err := license.VerifyToken(tok, verifyChain)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadLicense, err)
	}
	if t.MediaID != id.String() {
		return nil, fmt.Errorf("%w: the token is about another media", ErrBadLicense)
	}
	if userID == "" || t.UserID != userID {
		return nil, fmt.Errorf("%w: the token is about another user", ErrBadLicense)
	}
	return t, nil
}

// paymentRequired turns a StatusPaymentRequired answer into a
// *PaymentRequiredError; any other error is returned as it is.
func paymentRequired(err error) error {
	var se *StatusError
	if !errors.As(err, &se) || se.Status != message.StatusPaymentRequired {
		return err
	}
	pe := &PaymentRequiredError{Message: se.Message}
	if len(se.Offer) > 0 {
		if o, oerr := message.ParseOffer(se.Offer); oerr == nil {
			pe.Offer = o
		}
	}
	return pe
}

// SinkOpener opens the sink of a licensed play once the play is granted
// and before its first chunk is fetched, which is when its view is
// consumed: a player is started there and seen running, so that a player
// that cannot run costs no view.
type SinkOpener func(ctx context.Context) (io.Writer, error)

// ToWriter is the SinkOpener of a sink that is ready (stdout, a buffer).
func ToWriter(w io.Writer) SinkOpener {
	return func(context.Context) (io.Writer, error) { return w, nil }
}

// PlayWithLicense plays the whole of id under its license, in this order
// (DESIGN.md §7): the item's info and signed manifest, verified; the play
// request, free (refused for payment: o.Renew is asked, and on a yes the
// offer is renewed and the play requested again); then open opens the
// sink; then the chunks, the first of which consumes the view. A transport
// fault (a lost connection, a server that restarted, a cut-short answer)
// is recovered from by resuming the play with its ticket, on this
// connection while it is usable, else on a new one (o.Redial), within
// o.Retry: the sink sees one uninterrupted, verified stream. A license
// that runs out mid-play asks o.Renew too. A channel failure is never
// retried. Connections dialed here are closed before it returns; c is the
// caller's.
func (c *Conn) PlayWithLicense(ctx context.Context, id content.ID, open SinkOpener, o PlayOptions) (*PlayStats, error) {
	p, err := c.startPlayback(ctx, id, o)
	if err != nil {
		return nil, err
	}
	p.lic = &licensedPlay{renew: o.Renew, redial: o.Redial, retry: o.Retry.withDefaults()}
	if p.lic.redial == nil {
		p.lic.redial = func(ctx context.Context) (*Conn, error) { return Dial(ctx, c.cfg) }
	}
	defer p.closeDialed()
	if err := p.request(ctx); err != nil {
		return nil, err
	}
	sink, err := open(ctx)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSink, err)
	}
	p.sink = sink
	err = p.run(ctx)
	return &p.stats, err
}
