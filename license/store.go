package license

import (
	"context"
	"time"
)

// Store keeps users, licenses and the audit log. Implementations are safe
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
	// ConsumeView atomically uses one view: exactly one caller wins each
	// remaining view. It fails with ErrRevoked, ErrExpired or ErrExhausted.
	ConsumeView(ctx context.Context, licenseID string, now time.Time) (License, error)
	// Renew restores the license's policy from now and records the payment
	// (ErrDuplicatePayment if its reference was used before).
	Renew(ctx context.Context, licenseID string, payment Payment, now time.Time) (License, error)
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

	// AppendEvent appends an event that records no state change (the store
	// fills in Seq, PrevHash and Hash).
	AppendEvent(ctx context.Context, e Event) (Event, error)
	// Events returns up to limit events with Seq > after, in order.
	Events(ctx context.Context, after int64, limit int) ([]Event, error)
	// AuditHead returns the sequence number and hash of the last event
	// (0 and the zero hash for an empty log).
	AuditHead(ctx context.Context) (seq int64, hash [32]byte, err error)

	// Close releases the database.
	Close() error
}
