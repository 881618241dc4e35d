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

// The license operations of the client (DESIGN.md §7): start a play (one
// view consumed, a grant returned with the signed license token), renew
// after a 402, list the viewer's licenses. Tokens are verified and kept in
// memory only.

// Grant is a started play.
type Grant struct {
	// Grant accompanies every fetch of the play; empty when the server
	// enforces no licenses.
	Grant []byte
	// Token is the verified license token; nil when the server enforces no
	// licenses.
	Token *license.Token
	// Remaining says what is left, e.g. "4 views left".
	Remaining string
}

// PaymentRequiredError is a play refused because the license is exhausted
// or expired (HTTP 402); Offer is what a renewal restores and costs.
type PaymentRequiredError struct {
	Message string
	Offer   *message.Offer
}

func (e *PaymentRequiredError) Error() string {
	if e.Offer == nil {
		return "payment required: " + e.Message
	}
	return fmt.Sprintf("payment required: %s (renewal: %s for %s)", e.Message, describeOffer(e.Offer), e.Offer.Price)
}

// describeOffer reads like license.Policy.String.
func describeOffer(o *message.Offer) string {
	return license.Policy{Views: int(o.Views), Period: o.Period}.String()
}

// ErrBadLicense means the server sent a license token that does not verify
// or is not about this user and media: the client refuses it.
var ErrBadLicense = errors.New("license token refused")

// StartPlay asks the server to start a play of id: one view is consumed
// and the answer carries the play grant and the signed license token,
// which is verified here (signer chain with usage license, signature, and
// that it names our user and this media). An exhausted or expired license
// is a *PaymentRequiredError.
func (c *Conn) StartPlay(ctx context.Context, id content.ID) (*Grant, error) {
	r, err := c.call(ctx, message.OpPlay, (&message.PlayRequest{Media: id}).Marshal())
	if err != nil {
		return nil, paymentRequired(err)
	}
	pr, err := message.ParsePlayResponse(r.Body)
	if err != nil {
		return nil, c.fatal(fmt.Errorf("play: %w", err))
	}
	g := &Grant{Grant: pr.Grant, Remaining: pr.Remaining}
	if len(pr.Grant) == 0 {
		return g, nil // the server enforces no licenses
	}
	if g.Token, err = c.checkToken(pr.Token, id); err != nil {
		return nil, err
	}
	return g, nil
}

// Renew renews the license of id after the viewer accepted the offer: it
// sends a random single-use payment reference with the confirmation (the
// payment is simulated) and returns the verified renewed token. Play again
// (StartPlay) to use it.
func (c *Conn) Renew(ctx context.Context, id content.ID) (*license.Token, error) {
	var ref [16]byte
	if _, err := rand.Read(ref[:]); err != nil {
		return nil, err
	}
	req := &message.RenewRequest{Media: id, Reference: hex.EncodeToString(ref[:]), Confirmed: true}
	r, err := c.call(ctx, message.OpRenew, req.Marshal())
	if err != nil {
		return nil, paymentRequired(err)
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
// *PaymentRequiredError.
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

// PlayWithLicense plays id under its license: it starts a play, and on a
// 402 asks renew with the offer; when renew says yes it renews and starts
// the play again. Without a yes the *PaymentRequiredError is returned.
// The remaining views or time are in the stats.
func (c *Conn) PlayWithLicense(ctx context.Context, id content.ID, sink io.Writer, o PlayOptions, renew func(*PaymentRequiredError) bool) (*PlayStats, error) {
	g, err := c.StartPlay(ctx, id)
	var pe *PaymentRequiredError
	if errors.As(err, &pe) {
		if renew == nil || !renew(pe) {
			return nil, err
		}
		if _, err := c.Renew(ctx, id); err != nil {
			return nil, fmt.Errorf("renew: %w", err)
		}
		g, err = c.StartPlay(ctx, id)
	}
	if err != nil {
		return nil, err
	}
	o.Grant = g.Grant
	st, err := c.Play(ctx, id, sink, o)
	if st != nil {
		st.Remaining = g.Remaining
	}
	// A license that expires during the play stops it with a 402.
	return st, paymentRequired(err)
}
