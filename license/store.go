package license

import (
	"context"
	"time"
)

// Store keeps users, licenses, plays, offers and the audit log. Implementations are safe
// for concurrent use by many goroutines and by several processes sharing the
// same database (server replicas). Every method that changes state appends
// its audit event in the same transaction, so the log and the counters never
// disagree. Methods that change state take the time to record, so tests can
// inject a clock.
type Store interface {
	// AddUser registers a user (ErrUserExists if the ID is taken).
	AddUser(ctx context.Context, u User) error
	// GetUser returns a user or ErrUnknownUser.
	GetUser(ctx context.Context, id string) (User, error)
	// ListUsers returns every user ordered by ID.
	ListUsers(ctx context.Context) ([]User, error)
	// SetUserDisabled disables or re-enables a user.
	SetUserDisabled(ctx context.Context, id string, disabled bool, now time.Time) error

	// GetOrIssue returns the license of (user, media), issuing one under p
	// if there is none. Two racing first plays create one license.
	GetOrIssue(ctx context.Context, userID, mediaID string, p Policy, now time.Time) (License, error)
	// Get returns a license by ID or ErrNotFound.
	Get(ctx context.Context, licenseID string) (License, error)
	// Find returns the license of (user, media) or ErrNotFound.
	Find(ctx context.Context, userID, mediaID string) (License, error)
	// List returns the licenses that match f, ordered by user then media.
	List(ctx context.Context, f Filter) ([]License, error)
	// Revoke marks a license revoked; plays stop at their next chunk.
	Revoke(ctx context.Context, licenseID, reason string, now time.Time) error
	// Reset restores a license's current policy from now (and un-revokes it).
	Reset(ctx context.Context, licenseID string, now time.Time) (License, error)
	// Grant creates or replaces the license of (user, media) with policy p.
	Grant(ctx context.Context, userID, mediaID string, p Policy, now time.Time) (License, error)

	// StartPlay starts a play in one transaction: the user must be
	// registered and enabled (ErrUnknownUser, ErrUserDisabled); the license
	// of (user, media) is issued under p.Policy if there is none; it must
	// be playable (ErrRevoked, or a *PaymentRequiredError for ErrExhausted
	// or ErrExpired, which holds the license and a zero offer). A started play of
	// the same user, session and media that has not expired is returned
	// (its resume hash replaced by p.ResumeHash) instead of a new one;
	// beyond p.MaxOpen started plays the user's oldest is abandoned.
	// It returns the play and its license.
	StartPlay(ctx context.Context, p NewPlay, now time.Time) (Play, License, error)
	// CountPlay is the consumption point: in one transaction the started
	// play carried by session becomes counted and its license gives one
	// view (ErrRevoked, or a *PaymentRequiredError for ErrExhausted or
	// ErrExpired). Exactly one of racing counts wins each view; counting a
	// counted play again is a no-op. A play carried by another session is
	// ErrBadGrant; an ended one ErrPlayEnded.
	CountPlay(ctx context.Context, playID, session string, now time.Time) (Play, License, error)
	// RecordProgress moves a counted play's next chunk up to next (never
	// down; not an audit event) and completes the play when next reaches
	// its chunk count (an audit event). A play that is not counted is left
	// as it is and returned.
	RecordProgress(ctx context.Context, playID string, next uint32, now time.Time) (Play, error)
	// RefundPlay ends a play the server failed: a counted play becomes
	// refunded and its view is restored (unless the license was renewed,
	// reset or granted since the count, which restored it already); a
	// started one becomes abandoned, having cost nothing. next records how
	// far it got; reason is bounded text. An ended play is ErrPlayEnded.
	RefundPlay(ctx context.Context, playID string, next uint32, reason string, now time.Time) (Play, License, error)
	// AbandonPlay ends a started or counted play without a refund.
	AbandonPlay(ctx context.Context, playID, reason string, now time.Time) (Play, error)
	// AbandonExpiredPlays abandons up to limit open plays whose window is
	// over at now and returns how many.
	AbandonExpiredPlays(ctx context.Context, now time.Time, limit int) (int, error)
	// ResumePlay moves a started, counted or completed play to session
	// after a transport fault (a completed play then serves its last
	// RetransmitWindow chunks only). The play must exist, belong to userID
	// and have the resume hash secretHash (compared in constant time), else
	// ErrBadTicket; then it must be resumable (PlayState.Resumable,
	// ErrPlayEnded), not expired (ErrPlayExpired),
	// under MaxResumes (ErrTooManyResumes), its user enabled
	// (ErrUserDisabled) and its license not revoked (ErrRevoked) nor past
	// its period (*PaymentRequiredError for ErrExpired). device is the
	// resuming device, recorded in the audit event. No view is consumed.
	ResumePlay(ctx context.Context, playID, userID string, secretHash [32]byte, session, device string, now time.Time) (Play, License, error)
	// GetPlay returns a play or ErrUnknownPlay.
	GetPlay(ctx context.Context, playID string) (Play, error)
	// GetPlayRecord reads a play, its license and its user's disabled flag
	// in one query: the one store read of a fetch (ErrUnknownPlay).
	GetPlayRecord(ctx context.Context, playID string) (PlayRecord, error)
	// ListPlays returns the plays that match f, newest first.
	ListPlays(ctx context.Context, f PlayFilter) ([]Play, error)

	// CreateOffer stores a renewal offer for the license o names, which
	// must be o.UserID's (ErrNotFound) and not revoked (ErrRevoked); it
	// returns an open offer of the same kind instead when one stays open
	// past o.ReuseUntil.
	CreateOffer(ctx context.Context, o NewOffer, now time.Time) (Offer, error)
	// GetOffer returns an offer or ErrUnknownOffer.
	GetOffer(ctx context.Context, offerID string) (Offer, error)
	// AcceptOffer renews under an offer in one transaction: the offer must
	// be userID's (ErrUnknownOffer), open (ErrOfferUsed) and not expired
	// (ErrOfferExpired); its license not revoked (ErrRevoked) and, unless
	// the offer extends, not playable (ErrStillPlayable); the reference
	// unused (ErrDuplicatePayment). The offer becomes accepted, the license
	// is renewed (Offer.Apply), and the renewal is audited with the offer
	// id and the reference.
	AcceptOffer(ctx context.Context, offerID, userID, reference string, now time.Time) (License, Offer, error)
	// ExpireOffers marks open offers past their expiry as expired and
	// returns how many.
	ExpireOffers(ctx context.Context, now time.Time) (int, error)

	// AppendEvent appends an event that records no state change (the store
	// fills in Seq, PrevHash and Hash).
	AppendEvent(ctx context.Context, e Event) (Event, error)
	// Events returns up to limit events with Seq > after, in order.
	Events(ctx context.Context, after int64, limit int) ([]Event, error)
	// ListEvents returns the events that match f, in order (a page of at
	// most f.Limit; the next page starts after the last Seq returned).
	ListEvents(ctx context.Context, f EventFilter) ([]Event, error)
	// AuditHead returns the sequence number and hash of the last event
	// (0 and the zero hash for an empty log).
	AuditHead(ctx context.Context) (seq int64, hash [32]byte, err error)

	// CreateInvite stores a one-time invite of a browser viewer (DESIGN.md
	// §11) by its code's hash; the event names the invite by Invite.Ref,
	// never the code.
	CreateInvite(ctx context.Context, inv Invite) error
	// GetInvite returns the invite whose code hashes to codeHash, or
	// ErrUnknownInvite.
	GetInvite(ctx context.Context, codeHash [32]byte) (Invite, error)
	// RegisterWebUser registers a browser viewer in one transaction: the
	// invite must exist (ErrUnknownInvite) and be usable at now
	// (ErrInviteUsed, ErrInviteExpired) and is consumed; the user is
	// added (ErrUserExists), the credential stored (ErrCredentialExists)
	// and the device bound to the user (ErrDeviceExists, also for a
	// removed device); each is audited.
	RegisterWebUser(ctx context.Context, r WebRegistration, now time.Time) (User, error)
	// GetWebAuthnCredential returns a credential by id, or
	// ErrUnknownCredential.
	GetWebAuthnCredential(ctx context.Context, id []byte) (WebAuthnCredential, error)
	// UseWebAuthnCredential records a login with credential id at now:
	// its signature counter becomes count, which must be above the stored
	// one unless both are zero (an authenticator that keeps no counter),
	// else ErrSignCount; racing logins with one counter value cannot both
	// pass. Not an audit event.
	UseWebAuthnCredential(ctx context.Context, id []byte, count uint32, now time.Time) error
	// GetDevice returns the browser device spki names (DeviceName), or
	// ErrUnknownDevice.
	GetDevice(ctx context.Context, spki string) (Device, error)
	// ListDevices returns the browser devices of userID (every user's
	// when empty), ordered by user, then registration time.
	ListDevices(ctx context.Context, userID string) ([]Device, error)
	// RemoveDevice removes a browser device for good (ErrUnknownDevice;
	// ErrDeviceRemoved when it was removed already): it cannot log in,
	// and GetPlayRecord reports its plays' device removed. Audited.
	RemoveDevice(ctx context.Context, spki string, now time.Time) (Device, error)

	// Close releases the database.
	Close() error
}
