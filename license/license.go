package license

import (
	"strings"
	"time"
)

// License is the authoritative state of one viewer's rights to one media
// item. There is at most one license per (user, media) pair; renewals and
// grants update it in place.
type License struct {
	// ID is a random identifier (hex), unguessable so that it grants nothing
	// by itself.
	ID      string
	UserID  string
	MediaID string
	Policy  Policy
	// ViewsUsed counts the views consumed under the current policy.
	ViewsUsed int
	// IssuedAt is when the license was issued, renewed, granted or reset.
	IssuedAt time.Time
	// ExpiresAt is IssuedAt + Policy.Period (moved on by an offer that
	// extends the license), or the zero time without a period.
	ExpiresAt time.Time
	// Revoked is set by the operator; a revoked license stops every play.
	Revoked      bool
	RevokeReason string
}

// ViewsLeft is the number of plays left, or -1 when views are unlimited.
func (l License) ViewsLeft() int {
	if l.Policy.Views == 0 {
		return -1
	}
	return max(l.Policy.Views-l.ViewsUsed, 0)
}

// TimeLeft is the time left at now, or -1 when there is no time limit.
func (l License) TimeLeft(now time.Time) time.Duration {
	if l.ExpiresAt.IsZero() {
		return -1
	}
	return max(l.ExpiresAt.Sub(now), 0)
}

// Expired reports whether the period of the license is over at now.
func (l License) Expired(now time.Time) bool {
	return !l.ExpiresAt.IsZero() && !now.Before(l.ExpiresAt)
}

// Exhausted reports whether every view has been used.
func (l License) Exhausted() bool {
	return l.Policy.Views != 0 && l.ViewsUsed >= l.Policy.Views
}

// Playable returns nil when a new play may start at now, or the reason it
// may not: ErrRevoked, ErrExpired or ErrExhausted, in that order.
func (l License) Playable(now time.Time) error {
	switch {
	case l.Revoked:
		return ErrRevoked
	case l.Expired(now):
		return ErrExpired
	case l.Exhausted():
		return ErrExhausted
	}
	return nil
}

// Renewed returns the license with its policy restored from now: no views
// used, a fresh period, not revoked. Stores apply it on Renew, Reset and
// Grant.
func (l License) Renewed(p Policy, now time.Time) License {
	l.Policy = p
	l.ViewsUsed = 0
	l.IssuedAt = now
	l.ExpiresAt = time.Time{}
	if p.Period != 0 {
		l.ExpiresAt = now.Add(p.Period)
	}
	l.Revoked = false
	l.RevokeReason = ""
	return l
}

// User is a registered viewer. The identity of a card holder is the
// serialNumber attribute of the subject of their authentication
// certificate, as an identity card carries it; a browser viewer's is
// "web-" and 16 hex digits, given at registration (browser.go).
type User struct {
	ID   string
	Name string
	// CertSHA256 is the SHA-256 of the registered certificate (DER); zero
	// for a browser viewer, who logs in with WebAuthn (no certificate
	// hashes to zero).
	CertSHA256 [32]byte
	Disabled   bool
	Added      time.Time
}

// Browser reports whether u is a browser viewer, registered with an
// invite and logging in with WebAuthn, rather than a card holder.
func (u User) Browser() bool { return u.CertSHA256 == [32]byte{} }

// Filter selects licenses in List; empty fields match everything.
type Filter struct {
	UserID  string
	MediaID string
}

// Limits on identifiers and free text, so hostile input cannot grow rows or
// tokens without bound.
const (
	// MaxIDLen bounds user, media and license identifiers and payment references.
	MaxIDLen = 255
	// MaxTextLen bounds names, reasons, amounts and event details.
	MaxTextLen = 1024
)

// Remaining describes what is left of a license at now for a viewer: "4
// views left", "47h59m0s left", "2 views left, 1h0m0s left" or "unlimited".
// The client prints it on stderr when a play starts.
func (l License) Remaining(now time.Time) string {
	return remaining(l.ViewsLeft(), l.TimeLeft(now))
}

// Remaining describes what the token says is left at now (see
// License.Remaining).
func (t *Token) Remaining(now time.Time) string {
	left := time.Duration(-1)
	if !t.ExpiresAt.IsZero() {
		left = max(t.ExpiresAt.Sub(now), 0)
	}
	return remaining(t.ViewsLeftAtIssue, left)
}

func remaining(views int, left time.Duration) string {
	var parts []string
	if views >= 0 {
		parts = append(parts, plural(views, "view")+" left")
	}
	if left >= 0 {
		parts = append(parts, left.Round(time.Second).String()+" left")
	}
	if len(parts) == 0 {
		return "unlimited"
	}
	return strings.Join(parts, ", ")
}
