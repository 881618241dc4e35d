package server

import (
	"errors"
	"net/http"
	"time"

	"securemedia/content"
	"securemedia/license"
	"securemedia/message"
)

// The license operations (DESIGN.md §7): play, renew, the viewer's license
// list, the license state in the catalog and the grant check of every
// chunk. They run only when Config.Licenses is set.

// policyFor is the policy a first play of it issues a license under.
func (s *Server) policyFor(it content.Item) (license.Policy, error) {
	def := license.DefaultPolicy
	if s.cfg.DefaultPolicy != nil {
		def = *s.cfg.DefaultPolicy
	}
	return license.PolicyFromJSON(it.Policy, def)
}

// licensing reports whether licenses are enforced.
func (s *Server) licensing() bool { return s.cfg.Licenses != nil }

// requireUser answers "login required" and reports false when the session
// has no user: licenses belong to people, not to sessions.
func (o *operation) requireUser() bool {
	if o.l.user == "" {
		o.fail(message.StatusForbidden, "login required: this server needs an identity card")
		return false
	}
	return true
}

// play starts a play: the license is issued on the first play under the
// media's policy, one view is consumed atomically, and the answer carries a
// grant bound to this session and media plus the signed license token. An
// exhausted or expired license answers StatusPaymentRequired with a renewal
// offer, and HTTP 402 so that the status is visible on the wire.
func (o *operation) play() {
	req, err := message.ParsePlayRequest(o.req.Body)
	if err != nil {
		o.fail(message.StatusBadRequest, "malformed play request")
		return
	}
	it, err := o.srv.cfg.Catalog.Stat(req.Media)
	if err != nil {
		o.notFoundOr(err, "play")
		return
	}
	if !o.srv.licensing() {
		// Nothing to enforce: an empty grant and no token.
		o.ok((&message.PlayResponse{Remaining: "no license needed"}).Marshal())
		return
	}
	if !o.requireUser() {
		return
	}
	p, err := o.srv.policyFor(it)
	if err != nil {
		o.srv.log.Error("media policy", "media", it.ID, "err", err)
		o.fail(message.StatusUnavailable, "the media's license policy is invalid")
		return
	}
	res, err := o.srv.cfg.Licenses.Play(o.r.Context(), o.l.user, it.ID.String(), o.id[:], p)
	if err != nil {
		var pr *license.PaymentRequiredError
		if errors.As(err, &pr) {
			o.srv.metrics.plays.WithLabelValues("payment_required").Inc()
		} else {
			o.srv.metrics.plays.WithLabelValues("refused").Inc()
		}
		o.licenseRefused("play", it.ID.String(), err)
		return
	}
	o.srv.metrics.plays.WithLabelValues("granted").Inc()
	o.srv.log.Info("play started", "session", o.id.String(), "user", o.l.user, "media", it.ID,
		"license", res.License.ID, "remaining", res.License.Remaining(o.srv.now()))
	o.ok((&message.PlayResponse{Grant: res.Grant, Token: res.Token, Remaining: res.License.Remaining(o.srv.now())}).Marshal())
}

// licenseRefused answers a refusal of the license layer.
func (o *operation) licenseRefused(what, mediaID string, err error) {
	var pr *license.PaymentRequiredError
	switch {
	case errors.As(err, &pr):
		msg := "license exhausted: no views left"
		if errors.Is(err, license.ErrExpired) {
			msg = "license expired"
		}
		o.srv.log.Info("payment required", "session", o.id.String(), "user", o.l.user, "media", mediaID, "reason", msg)
		o.paymentRequired(msg, offerOf(pr.Offer))
	case errors.Is(err, license.ErrRevoked):
		o.fail(message.StatusForbidden, "license revoked by the operator")
	case errors.Is(err, license.ErrUserDisabled):
		o.fail(message.StatusForbidden, "user disabled")
	case errors.Is(err, license.ErrUnknownUser):
		o.fail(message.StatusForbidden, "user not registered")
	case errors.Is(err, license.ErrNotFound):
		o.fail(message.StatusNotFound, "no license for this media")
	case errors.Is(err, license.ErrPaymentNotConfirmed):
		o.fail(message.StatusPaymentRequired, "payment not confirmed")
	case errors.Is(err, license.ErrDuplicatePayment):
		o.fail(message.StatusBadRequest, "payment reference already used")
	case errors.Is(err, license.ErrInvalidInput):
		o.fail(message.StatusBadRequest, "invalid license request")
	default:
		o.srv.log.Error(what, "user", o.l.user, "media", mediaID, "err", err)
		o.fail(message.StatusUnavailable, "license service unavailable")
	}
}

func offerOf(ro license.Offer) *message.Offer {
	return &message.Offer{Views: uint32(ro.Policy.Views), Period: ro.Policy.Period, Price: ro.Amount}
}

// paymentRequired answers StatusPaymentRequired with the offer inside the
// encrypted record, under HTTP 402.
func (o *operation) paymentRequired(msg string, offer *message.Offer) {
	body := (&message.ErrorBody{Message: msg, Offer: offer.Marshal()}).Marshal()
	o.srv.replyHTTP(o.w, o.l, o.seq, message.StatusPaymentRequired, body, http.StatusPaymentRequired)
}

// renew restores a license after a confirmed (simulated) payment, recorded
// in the audit log, and returns the renewed token. The client then plays
// again.
func (o *operation) renew() {
	req, err := message.ParseRenewRequest(o.req.Body)
	if err != nil {
		o.fail(message.StatusBadRequest, "malformed renew request")
		return
	}
	if !o.srv.licensing() {
		o.fail(message.StatusBadRequest, "this server does not use licenses")
		return
	}
	if !o.requireUser() {
		return
	}
	mid := req.Media.String()
	pay := license.Payment{Reference: req.Reference, Confirmed: req.Confirmed}
	l, err := o.srv.cfg.Licenses.RenewLegacy(o.r.Context(), o.l.user, mid, pay)
	if err != nil {
		o.licenseRefused("renew", mid, err)
		return
	}
	now := o.srv.now()
	tok, err := license.SignToken(l, o.srv.cfg.LicenseSigner, o.srv.cfg.LicenseChain, now)
	if err != nil {
		o.srv.log.Error("sign renewed license", "license", l.ID, "err", err)
		o.fail(message.StatusUnavailable, "license service unavailable")
		return
	}
	o.srv.log.Info("license renewed", "session", o.id.String(), "user", o.l.user, "media", mid, "license", l.ID)
	o.ok((&message.RenewResponse{Token: tok, Remaining: l.Remaining(now)}).Marshal())
}

// licenses lists the viewer's licenses.
func (o *operation) licenses() {
	if o.srv.cfg.LicenseStore == nil {
		o.ok(message.MarshalLicenses(nil))
		return
	}
	if !o.requireUser() {
		return
	}
	ls, err := o.srv.cfg.LicenseStore.List(o.r.Context(), license.Filter{UserID: o.l.user})
	if err != nil {
		o.srv.log.Error("list licenses", "user", o.l.user, "err", err)
		o.fail(message.StatusUnavailable, "license service unavailable")
		return
	}
	now := o.srv.now()
	out := make([]message.LicenseInfo, 0, len(ls))
	for _, l := range ls {
		id, err := content.ParseID(l.MediaID)
		if err != nil {
			continue // a license the operator granted for a non-catalog id
		}
		li := message.LicenseInfo{Media: id, ViewsLeft: int32(l.ViewsLeft()), Expires: l.ExpiresAt,
			NeedsRenewal: l.Exhausted() || l.Expired(now), Revoked: l.Revoked}
		if it, err := o.srv.cfg.Catalog.Stat(id); err == nil {
			li.Title = it.Title
		}
		out = append(out, li)
		if len(out) == maxLicensesListed {
			break
		}
	}
	o.ok(message.MarshalLicenses(out))
}

// maxLicensesListed keeps the license list within one response record.
const maxLicensesListed = 2000

// licenseState is a license as the catalog shows it; a revoked license
// also needs a renewal (the operator's reset).
func licenseState(l license.License, now time.Time) message.LicenseState {
	return message.LicenseState{Known: true, ViewsLeft: int32(l.ViewsLeft()), Expires: l.ExpiresAt,
		NeedsRenewal: l.Playable(now) != nil}
}

// userLicenses returns the session user's licenses by media id, or nil
// when there is no store or no user (the catalog then shows no license).
func (o *operation) userLicenses() map[string]license.License {
	if o.srv.cfg.LicenseStore == nil || o.l.user == "" {
		return nil
	}
	ls, err := o.srv.cfg.LicenseStore.List(o.r.Context(), license.Filter{UserID: o.l.user})
	if err != nil {
		o.srv.log.Warn("catalog: licenses unavailable", "user", o.l.user, "err", err)
		return nil
	}
	m := make(map[string]license.License, len(ls))
	for _, l := range ls {
		m[l.MediaID] = l
	}
	return m
}

// checkGrant authorizes the next chunk of a fetch of media (the license
// layer's text form of the id); it returns the status and message of a
// refusal, or StatusOK.
func (o *operation) checkGrant(grant []byte, media string) (message.Status, string) {
	err := o.srv.cfg.Licenses.CheckChunk(o.r.Context(), grant, o.id[:], media)
	switch {
	case err == nil:
		return message.StatusOK, ""
	case errors.Is(err, license.ErrBadGrant):
		return message.StatusForbidden, "no valid play grant for this media in this session (or it expired): start a play"
	case errors.Is(err, license.ErrRevoked):
		return message.StatusForbidden, "license revoked by the operator"
	case errors.Is(err, license.ErrExpired):
		return message.StatusPaymentRequired, "license expired"
	}
	o.srv.log.Error("check chunk", "session", o.id.String(), "err", err)
	return message.StatusUnavailable, "license service unavailable"
}

// checkUserStillEnabled refuses a fetch for a user the operator disabled
// after the session began (once per fetch request; the per-chunk check is
// the license's).
func (o *operation) checkUserStillEnabled() (message.Status, string) {
	if o.srv.cfg.LicenseStore == nil || o.l.user == "" {
		return message.StatusOK, ""
	}
	u, err := o.srv.cfg.LicenseStore.GetUser(o.r.Context(), o.l.user)
	switch {
	case errors.Is(err, license.ErrUnknownUser), errors.Is(err, license.ErrNotFound):
		return message.StatusForbidden, "user not registered"
	case err != nil:
		o.srv.log.Error("user check", "session", o.id.String(), "err", err)
		return message.StatusUnavailable, "user registry unavailable"
	case u.Disabled:
		return message.StatusForbidden, "user disabled"
	}
	return message.StatusOK, ""
}

// refuseFetch answers a refused fetch; an expired license answers under
// HTTP 402 like a refused play.
func (o *operation) refuseFetch(st message.Status, msg string) {
	if st == message.StatusPaymentRequired {
		o.srv.replyHTTP(o.w, o.l, o.seq, st, errorBody(msg), http.StatusPaymentRequired)
		return
	}
	o.fail(st, msg)
}
