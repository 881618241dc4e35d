package license

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"time"

	"golang.org/x/crypto/cryptobyte"
)

// Event kinds recorded in the audit log.
const (
	EventIssue = "issue"
	// EventPlay is a view consumed when its play started, in logs written
	// before durable plays; plays are counted at their first chunk now
	// (EventPlayCount).
	EventPlay        = "play"
	EventRenew       = "renew"
	EventRevoke      = "revoke"
	EventReset       = "reset"
	EventGrant       = "grant"
	EventUserAdd     = "user-add"
	EventUserDisable = "user-disable"
	EventUserEnable  = "user-enable"

	// The transitions of a play (DESIGN.md §7); each detail begins with
	// "play <id>". Progress is not an event.
	EventPlayStart    = "play-start"
	EventPlayCount    = "play-count"
	EventPlayComplete = "play-complete"
	EventPlayAbandon  = "play-abandon"
	EventPlayRefund   = "play-refund"
	EventPlayResume   = "play-resume"
	// EventOffer records a renewal offer; its detail begins with
	// "offer <id>", as does a renew event's under an offer.
	EventOffer = "offer"

	// Browser viewers (DESIGN.md §11): an invite made (named by
	// Invite.Ref, never its code), a browser device bound to a user at
	// registration (beside the user-add) and removed by the operator.
	EventInvite       = "invite"
	EventDeviceAdd    = "device-add"
	EventDeviceRemove = "device-remove"
)

// EventFilter selects events in ListEvents; zero fields match everything.
type EventFilter struct {
	// After skips events up to this sequence number (paging).
	After int64
	// Limit bounds the page (0 or more than MaxListed: MaxListed).
	Limit     int
	Kind      string
	UserID    string
	MediaID   string
	LicenseID string
	// PlayID selects the events of one play.
	PlayID string
	// Since and Until bound the event time (Until excluded); zero means
	// no bound.
	Since, Until time.Time
}

// PlayDetail is how a play event's detail begins; ListEvents finds the
// events of a play by it.
func PlayDetail(playID string) string { return "play " + playID }

// auditContext separates audit hashes from every other hash in the system.
const auditContext = "securemedia v1 audit event"

// Event is one entry of the audit log. Hash chains every event to the one
// before it, so removing, inserting, reordering or altering an event breaks
// the chain at that point.
type Event struct {
	Seq       int64
	Time      time.Time
	Kind      string
	UserID    string
	MediaID   string
	LicenseID string
	Detail    string
	// PrevHash is the Hash of event Seq-1 (zero for the first event).
	PrevHash [32]byte
	// Hash is SHA-256 of the canonical encoding of every other field.
	Hash [32]byte
}

// ComputeHash returns the SHA-256 of the canonical encoding of e (all
// fields but Hash, PrevHash included). The encoding is length-prefixed, so
// no two distinct events encode alike.
func (e Event) ComputeHash() [32]byte {
	var b cryptobyte.Builder
	b.AddBytes([]byte(auditContext))
	b.AddUint64(uint64(e.Seq))
	b.AddUint64(uint64(e.Time.UnixNano()))
	for _, s := range []string{e.Kind, e.UserID, e.MediaID, e.LicenseID, e.Detail} {
		b.AddUint32LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes([]byte(s)) })
	}
	b.AddBytes(e.PrevHash[:])
	return sha256.Sum256(b.BytesOrPanic())
}

// Seal fills in Seq, PrevHash and Hash to append e after the event
// (prevSeq, prevHash). Stores call it under their chain-head lock.
func (e Event) Seal(prevSeq int64, prevHash [32]byte) Event {
	e.Seq = prevSeq + 1
	e.Time = e.Time.Round(0).UTC()
	e.PrevHash = prevHash
	e.Hash = e.ComputeHash()
	return e
}

// ChainVerifier checks a log event by event from the first, so a long log
// can be verified page by page.
type ChainVerifier struct {
	seq  int64
	hash [32]byte
}

// Next checks the next event of the log.
func (v *ChainVerifier) Next(e Event) error {
	if e.Seq != v.seq+1 {
		return &AuditError{Seq: v.seq + 1, Reason: fmt.Sprintf("expected event %d, found %d (removed, inserted or reordered)", v.seq+1, e.Seq)}
	}
	if subtle.ConstantTimeCompare(e.PrevHash[:], v.hash[:]) != 1 {
		return &AuditError{Seq: e.Seq, Reason: "previous hash does not match (removed, inserted or reordered event)"}
	}
	h := e.ComputeHash()
	if subtle.ConstantTimeCompare(h[:], e.Hash[:]) != 1 {
		return &AuditError{Seq: e.Seq, Reason: "hash does not match its content (altered event)"}
	}
	v.seq, v.hash = e.Seq, e.Hash
	return nil
}

// Head returns the sequence number and hash of the last event checked.
func (v *ChainVerifier) Head() (int64, [32]byte) { return v.seq, v.hash }

// VerifyChain checks a whole log, from its first event, in order.
func VerifyChain(events []Event) error {
	var v ChainVerifier
	for _, e := range events {
		if err := v.Next(e); err != nil {
			return err
		}
	}
	return nil
}

// auditPage is how many events VerifyStore reads at a time.
const auditPage = 1000

// VerifyStore checks the whole audit log of s and that it ends at the chain
// head the store recorded, which also catches the removal of the last
// events. It returns the number of events and the head hash.
func VerifyStore(ctx context.Context, s Store) (int64, [32]byte, error) {
	return walkStore(ctx, s, nil)
}

// walkStore verifies the log of s page by page, as VerifyStore does. With
// a visit function it hands every event to it, the whole log even past a
// broken link (an export is evidence), and reports the first break at the
// end; without one it stops at the first break.
func walkStore(ctx context.Context, s Store, visit func(Event) error) (int64, [32]byte, error) {
	var (
		v      ChainVerifier
		broken error
	)
	for after := int64(0); ; {
		page, err := s.Events(ctx, after, auditPage)
		if err != nil {
			return 0, [32]byte{}, fmt.Errorf("audit: read events after %d: %w", after, err)
		}
		for _, e := range page {
			if visit != nil {
				if err := visit(e); err != nil {
					return 0, [32]byte{}, err
				}
			}
			if broken == nil {
				if broken = v.Next(e); broken != nil && visit == nil {
					return 0, [32]byte{}, broken
				}
			}
			after = e.Seq
		}
		if len(page) < auditPage {
			break
		}
	}
	if broken != nil {
		return 0, [32]byte{}, broken
	}
	n, h := v.Head()
	headSeq, headHash, err := s.AuditHead(ctx)
	if err != nil {
		return 0, [32]byte{}, fmt.Errorf("audit: read chain head: %w", err)
	}
	if headSeq != n {
		return 0, [32]byte{}, &AuditError{Seq: n + 1, Reason: fmt.Sprintf("log ends at event %d but the chain head says %d (events removed)", n, headSeq)}
	}
	if subtle.ConstantTimeCompare(headHash[:], h[:]) != 1 {
		return 0, [32]byte{}, &AuditError{Seq: n, Reason: "last event does not match the chain head"}
	}
	return n, h, nil
}
