package server

import (
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"securemedia/content"
	"securemedia/license"
	"securemedia/message"
)

// The license operations (DESIGN.md §7): play, resume, offer, renew, the
// viewer's license list and the license state in the catalog; the fetch
// path's authorization is in records.go. They run only when
// Config.Licenses is set. Every outcome travels inside the encrypted
// response under HTTP 200, like any other answer: an observer cannot tell a
// granted play from a refused one by its status.

// policyFor is the policy a first play of it issues a license under.
func (s *Server) policyFor(it content.Item) (license.Policy, error) {
	def := license.DefaultPolicy
	if s.cfg.DefaultPolicy != nil {
		def = *s.cfg.DefaultPolicy
	}
	return license.PolicyFromJSON(it.Policy, def)
}

// policyOf is the policy of it; an invalid one is answered here (ok
// false).
func (o *operation) policyOf(it content.Item) (p license.Policy, ok bool) {
	p, err := o.srv.policyFor(it)
	if err != nil {
		o.srv.log.Error("media policy", "media", it.ID, "err", err)
		o.fail(message.StatusUnavailable, "the media's license policy is invalid")
		return p, false
	}
	return p, true
}

// licensing reports whether licenses are enforced.
func (s *Server) licensing() bool { return s.cfg.Licenses != nil }

// requireLicensedUser answers and reports false when this server enforces
// no licenses or the session has no user: licenses belong to people, not
// to sessions.
func (o *operation) requireLicensedUser() bool {
	if !o.srv.licensing() {
		o.fail(message.StatusBadRequest, "this server does not use licenses")
		return false
	}
	return o.requireUser()
}

// requireUser answers "login required" and reports false when the session
// has no user.
func (o *operation) requireUser() bool {
	if o.l.user == "" {
		o.fail(message.StatusForbidden, "login required: this server needs an identity card")
		return false
	}
	return true
}

// userForLog names the session's user in the log: a card holder by their
// id; a browser viewer not by theirs (DESIGN.md §11: their identity stays
// out of the log at info level; the session's debug line maps the session
// to them).
func (o *operation) userForLog() string {
	if o.l.browser {
		return "browser viewer"
	}
	return o.l.user
}

// device is the license layer's name of the session's device: the SHA-256
// of its certificate, in hex, or of a browser device's key (as the
// registry names it, so that a removed device's plays stop).
func (o *operation) device() string { return o.l.device }

// play starts a play, free of charge: the license is issued on the first
// play under the media's policy and must be playable; the answer carries a
// grant bound to this session and media, the resume ticket and the signed
// license token. A retried request in this session returns the same play.
// The view is consumed at the play's first chunk (fetch). An exhausted or
// expired license answers StatusPaymentRequired with a stored offer.
func (o *operation) play() {
	req, ok := parsed(o, message.ParsePlayRequest, "play")
	if !ok {
		return
	}
	it, err := o.srv.cfg.Catalog.Stat(req.Media)
	if err != nil {
		o.notFoundOr(err, "play")
		return
	}
	if !o.srv.licensing() {
		// Nothing to enforce: no grant, no ticket, no token.
		o.ok((&message.PlayResponse{Remaining: "no license needed"}).Marshal())
		return
	}
	if !o.requireUser() {
		return
	}
	p, ok := o.policyOf(it)
	if !ok {
		return
	}
	pg, err := o.srv.cfg.Licenses.StartPlay(o.r.Context(), license.PlayRequest{UserID: o.l.user, Device: o.device(),
		MediaID: it.ID.String(), Session: o.id[:], Policy: p, Chunks: it.Chunks, Duration: it.Duration})
	if err != nil {
		outcome := "refused"
		if errors.As(err, new(*license.PaymentRequiredError)) {
			outcome = "payment_required"
		}
		o.srv.metrics.plays.WithLabelValues(outcome).Inc()
		o.licenseRefused("play", it.ID.String(), err)
		return
	}
	o.srv.metrics.plays.WithLabelValues("granted").Inc()
	o.srv.log.Info("play started", "session", o.id.String(), "user", o.userForLog(), "media", it.ID, "play", pg.Play.ID,
		"license", pg.License.ID, "remaining", pg.LicenseAfterCount().Remaining(o.srv.now()))
	o.playAnswer(pg)
}

// resume moves a play to this session after a transport fault: the ticket
// must be the session user's own play's, the play resumable and within its
// window. The answer is a play answer whose Next says where the play
// continues; no view is consumed.
func (o *operation) resume() {
	req, ok := parsed(o, message.ParseResumeRequest, "resume")
	if !ok || !o.requireLicensedUser() {
		return
	}
	pg, err := o.srv.cfg.Licenses.Resume(o.r.Context(), license.ResumeRequest{UserID: o.l.user, Device: o.device(),
		Ticket: req.Ticket, Session: o.id[:]})
	if err != nil {
		o.licenseRefused("resume", "", err)
		return
	}
	o.srv.metrics.plays.WithLabelValues("resumed").Inc()
	o.srv.log.Info("play resumed", "session", o.id.String(), "user", o.userForLog(), "media", pg.Play.MediaID, "play", pg.Play.ID,
		"next_chunk", pg.Play.NextChunk, "resumes", pg.Play.Resumes)
	o.playAnswer(pg)
}

// playAnswer answers a started or resumed play.
func (o *operation) playAnswer(pg license.PlayGrant) {
	o.ok((&message.PlayResponse{Grant: pg.Grant, Ticket: pg.Ticket, Token: pg.Token, Next: pg.Play.NextChunk,
		Remaining: pg.LicenseAfterCount().Remaining(o.srv.now())}).Marshal())
}

// offer proposes a renewal of the viewer's license of a media before it
// runs out (one that can still play is extended by the offer).
func (o *operation) offer() {
	req, ok := parsed(o, message.ParsePlayRequest, "offer")
	if !ok || !o.requireLicensedUser() {
		return
	}
	it, err := o.srv.cfg.Catalog.Stat(req.Media)
	if err != nil {
		o.notFoundOr(err, "offer")
		return
	}
	p, ok := o.policyOf(it)
	if !ok {
		return
	}
	off, err := o.srv.cfg.Licenses.Offer(o.r.Context(), o.l.user, it.ID.String(), p)
	if err != nil {
		o.licenseRefused("offer", it.ID.String(), err)
		return
	}
	o.ok(offerOf(off).Marshal())
}

// renew accepts an open offer of the viewer's once, after the payment
// verifier confirmed the payment reference (simulated by default), and
// returns the renewed token. The renewal is in the audit log with the
// offer and the reference.
func (o *operation) renew() {
	req, ok := parsed(o, message.ParseRenewRequest, "renew")
	if !ok || !o.requireLicensedUser() {
		return
	}
	r, err := o.srv.cfg.Licenses.Renew(o.r.Context(), o.l.user, hex.EncodeToString(req.Offer[:]), req.Reference)
	if err != nil {
		o.licenseRefused("renew", "", err)
		return
	}
	o.srv.log.Info("license renewed", "session", o.id.String(), "user", o.userForLog(), "media", r.License.MediaID,
		"license", r.License.ID, "offer", r.Offer.ID)
	o.ok((&message.RenewResponse{Token: r.Token, Remaining: r.License.Remaining(o.srv.now())}).Marshal())
}

// licenseRefused answers a refusal of the license layer with its status
// and a message for the viewer; what is not a refusal is logged and
// answered as unavailable.
func (o *operation) licenseRefused(what, mediaID string, err error) {
	st, body := o.srv.refusal(err)
	if st == message.StatusUnavailable {
		o.srv.log.Error(what, "session", o.id.String(), "user", o.userForLog(), "media", mediaID, "err", err)
	} else {
		o.srv.log.Info(what+" refused", "session", o.id.String(), "user", o.userForLog(), "media", mediaID, "status", st, "reason", err)
	}
	o.srv.reply(o.w, o.l, o.seq, st, body.Marshal())
	o.endIfLockedOut(err)
}

// endIfLockedOut ends the session, after its answer, when err says its
// user is disabled or its browser device removed: such a session cannot
// log in again, and what it holds ends here, at its next fetch.
func (o *operation) endIfLockedOut(err error) {
	if errors.Is(err, license.ErrUserDisabled) || errors.Is(err, license.ErrDeviceRemoved) {
		o.srv.sessions.remove(o.id)
		o.srv.log.Info("session ended", "session", o.id.String(), "reason", strings.TrimPrefix(err.Error(), "license: "))
	}
}

// refusal maps an error of the license layer to the status and the error
// body the viewer gets. Only the license layer's own refusals reach the
// viewer as text; anything else is "license service unavailable".
func (s *Server) refusal(err error) (message.Status, *message.ErrorBody) {
	var pr *license.PaymentRequiredError
	st := message.StatusUnavailable
	switch {
	case errors.As(err, &pr):
		msg := "license exhausted: no views left"
		if errors.Is(err, license.ErrExpired) {
			msg = "license expired"
		}
		return message.StatusPaymentRequired, &message.ErrorBody{Message: msg, Offer: offerOf(pr.Offer).Marshal()}
	case errors.Is(err, license.ErrRevoked):
		return message.StatusForbidden, &message.ErrorBody{Message: "license revoked by the operator"}
	case errors.Is(err, license.ErrBadGrant), errors.Is(err, license.ErrUnknownPlay):
		return message.StatusForbidden, &message.ErrorBody{Message: "no valid play grant for this media in this session: start a play"}
	case errors.Is(err, license.ErrUserDisabled):
		return message.StatusForbidden, &message.ErrorBody{Message: "user disabled"}
	case errors.Is(err, license.ErrDeviceRemoved):
		return message.StatusForbidden, &message.ErrorBody{Message: "browser device removed"}
	case errors.Is(err, license.ErrUnknownUser):
		return message.StatusForbidden, &message.ErrorBody{Message: "user not registered"}
	case errors.Is(err, license.ErrBadTicket):
		st = message.StatusForbidden
	case errors.Is(err, license.ErrAlreadyDelivered), errors.Is(err, license.ErrPlayEnded), errors.Is(err, license.ErrPlayExpired),
		errors.Is(err, license.ErrSuperseded), errors.Is(err, license.ErrTooManyResumes):
		st = message.StatusPlayEnded
	case errors.Is(err, license.ErrNotFound):
		return message.StatusNotFound, &message.ErrorBody{Message: "no license for this media"}
	case errors.Is(err, license.ErrUnknownOffer):
		st = message.StatusNotFound
	case errors.Is(err, license.ErrPaymentNotConfirmed):
		// The verifier's reason stays in the log.
		return message.StatusBadRequest, &message.ErrorBody{Message: "payment not confirmed"}
	case errors.Is(err, license.ErrOfferUsed), errors.Is(err, license.ErrOfferExpired), errors.Is(err, license.ErrStillPlayable),
		errors.Is(err, license.ErrDuplicatePayment), errors.Is(err, license.ErrInvalidInput), errors.Is(err, license.ErrInvalidPolicy):
		st = message.StatusBadRequest
	default:
		return message.StatusUnavailable, &message.ErrorBody{Message: "license service unavailable"}
	}
	// The license layer's refusals say what happened and what to do.
	return st, &message.ErrorBody{Message: strings.TrimPrefix(err.Error(), "license: ")}
}

// offerOf is a stored offer as the viewer gets it. Offer ids are the
// license layer's 128 random bits in hex; one that is not (never the
// case) goes out as zeros and names no offer.
func offerOf(lo license.Offer) *message.Offer {
	o := &message.Offer{Views: uint32(lo.Policy.Views), Period: lo.Policy.Period, Extends: lo.Extends,
		Expires: lo.ExpiresAt, Price: lo.Amount}
	if id, err := hex.DecodeString(lo.ID); err == nil && len(id) == len(o.ID) {
		copy(o.ID[:], id)
	}
	return o
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
		o.srv.log.Error("list licenses", "user", o.userForLog(), "err", err)
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
		o.srv.log.Warn("catalog: licenses unavailable", "user", o.userForLog(), "err", err)
		return nil
	}
	m := make(map[string]license.License, len(ls))
	for _, l := range ls {
		m[l.MediaID] = l
	}
	return m
}
