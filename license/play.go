package license

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"
)

// The play model (DESIGN.md §7). A play is one view of one item: it is
// started free of charge, counted (its view consumed) when its first chunk
// is delivered, and delivers each chunk once, in order, with a small
// retransmission window.
const (
	// RetransmitWindow is how many chunks below a play's next chunk a fetch
	// may start again: a client that lost an answer re-requests what it
	// did not receive. A fetch that starts lower is a second pass and is
	// refused (*AlreadyDeliveredError); a fetch that starts higher only
	// gets less, so it is allowed.
	RetransmitWindow = 8
	// PlayMargin is added to twice the item's duration for the lifetime of
	// a play (pauses, a slow start, resumes after faults).
	PlayMargin = 10 * time.Minute
	// DefaultPlayWindow is the lifetime of a play of an item whose
	// duration is unknown ([license] play_window).
	DefaultPlayWindow = 6 * time.Hour
	// DefaultOfferLifetime is how long a renewal offer stays open.
	DefaultOfferLifetime = 15 * time.Minute
)

// Implementation limits that keep hostile clients from growing state.
const (
	// MaxPlayWindow caps the lifetime of a play whatever the item says.
	MaxPlayWindow = 7 * 24 * time.Hour
	// MaxOpenPlays bounds a user's started (not yet counted) plays by
	// default (Config.MaxOpenPlays): a play request is free, so the oldest
	// open one is abandoned beyond this.
	MaxOpenPlays = 64
	// MaxOpenPlaysLimit caps Config.MaxOpenPlays.
	MaxOpenPlaysLimit = 100000
	// MaxResumes bounds how often one play may move to a new session. A
	// fetch still running on another replica when its play moves can
	// deliver its range once more; this bounds that per view.
	MaxResumes = 16
	// MaxListed bounds one listing of plays or events.
	MaxListed = 10000
)

// PlayState is where a play is in its life:
//
//	started ──count──▶ counted ──progress──▶ completed
//	   │                  ├──refund──▶ refunded (the view restored)
//	   └──abandon──▶ abandoned ◀──abandon──┘
type PlayState uint8

// The states of a play.
const (
	// PlayStarted: requested, nothing delivered, no view consumed.
	PlayStarted PlayState = iota + 1
	// PlayCounted: its first chunk was delivered and its view consumed.
	PlayCounted
	// PlayCompleted: every chunk was delivered.
	PlayCompleted
	// PlayAbandoned: it ran out of time, or was superseded before it was
	// counted; a counted view stays consumed.
	PlayAbandoned
	// PlayRefunded: the server failed it (an at-rest integrity failure,
	// an unavailable chunk, an abort); its view was restored.
	PlayRefunded
)

var playStateNames = [...]string{PlayStarted: "started", PlayCounted: "counted", PlayCompleted: "completed",
	PlayAbandoned: "abandoned", PlayRefunded: "refunded"}

// String returns the state's name as stores and listings spell it.
func (s PlayState) String() string { return enumName(playStateNames[:], uint8(s), "PlayState") }

// ParsePlayState parses a state name.
func ParsePlayState(name string) (PlayState, error) {
	s, err := parseEnum(playStateNames[:], name, "play state")
	return PlayState(s), err
}

// enumName returns the name of value i of a small enum, or type(i) for
// a value without one.
func enumName(names []string, i uint8, typ string) string {
	if int(i) >= len(names) || names[i] == "" {
		return fmt.Sprintf("%s(%d)", typ, i)
	}
	return names[i]
}

// parseEnum returns the value named name.
func parseEnum(names []string, name, what string) (uint8, error) {
	for i, n := range names {
		if n != "" && n == name {
			return uint8(i), nil
		}
	}
	return 0, fmt.Errorf("%w: %s %q (want one of %s)", ErrInvalidInput, what, name, strings.Join(slices.DeleteFunc(slices.Clone(names), func(n string) bool { return n == "" }), ", "))
}

// Open reports whether the play may still deliver.
func (s PlayState) Open() bool { return s == PlayStarted || s == PlayCounted }

// Resumable reports whether a play in this state may move to a new
// session: an open play, or a completed one, whose last RetransmitWindow
// chunks stay available so that a fault after its last fetch was written,
// but before the answer arrived, does not strand the viewer.
func (s PlayState) Resumable() bool { return s.Open() || s == PlayCompleted }

// Play is one view of one item by one user: the durable object that the
// license store keeps for it.
type Play struct {
	// ID is 128 random bits in hex.
	ID     string
	UserID string
	// Device is the SHA-256 (hex) of the device certificate that started
	// the play.
	Device    string
	MediaID   string
	LicenseID string
	// Session is the session that carries the play (hex); a resume
	// replaces it, and grants of the old session stop working.
	Session string
	State   PlayState
	// NextChunk is one past the highest chunk delivered (0 before any).
	NextChunk uint32
	// Chunks is the item's chunk count; the play completes there.
	Chunks uint32
	// ResumeHash is SHA-256 of the resume ticket's secret.
	ResumeHash [32]byte
	// Resumes counts the moves to a new session.
	Resumes   int
	CreatedAt time.Time
	// CountedAt is when the view was consumed (zero before).
	CountedAt time.Time
	UpdatedAt time.Time
	// EndedAt is when the play completed, was abandoned or refunded.
	EndedAt   time.Time
	ExpiresAt time.Time
	// Reason says why a play was refunded or abandoned.
	Reason string
}

// EndedError returns ErrPlayEnded saying how the play ended.
func (p Play) EndedError() error {
	if p.Reason == "" {
		return fmt.Errorf("%w (%s)", ErrPlayEnded, p.State)
	}
	return fmt.Errorf("%w (%s: %s)", ErrPlayEnded, p.State, p.Reason)
}

// Expired reports whether the play's window is over at now.
func (p Play) Expired(now time.Time) bool { return !now.Before(p.ExpiresAt) }

// PlayFilter selects plays in ListPlays; zero fields match everything.
type PlayFilter struct {
	UserID  string
	MediaID string
	State   PlayState
	// Limit bounds the result (0 or more than MaxListed: MaxListed).
	Limit int
}

// NewPlay is what a store needs to start a play (Store.StartPlay).
type NewPlay struct {
	UserID  string
	Device  string
	MediaID string
	// Session is the session id in hex.
	Session string
	// Policy is the media's policy, for the license a first play issues.
	Policy Policy
	Chunks uint32
	// ExpiresAt ends the play's window.
	ExpiresAt time.Time
	// ResumeHash is SHA-256 of the resume ticket's secret; a start that
	// returns an existing play replaces that play's hash with it.
	ResumeHash [32]byte
	// MaxOpen is how many started plays of the user stay open, this one
	// included; the oldest beyond are abandoned (0: MaxOpenPlays).
	MaxOpen int
}

// PlayRecord is what one fetch reads from the store: the play, its
// license, whether its user is disabled (a user no longer registered
// counts as disabled) and whether its device is a browser device the
// operator removed.
type PlayRecord struct {
	Play          Play
	License       License
	UserDisabled  bool
	DeviceRemoved bool
}

// Resume ticket wire format (DESIGN.md §7): what the play answer carries
// so that a new session, on any server sharing the store, can resume the
// play after a transport fault.
//
//	struct {
//	    opaque play_id[16];  // the play id, raw
//	    opaque secret[32];   // random; the store keeps SHA-256(secret)
//	} ResumeTicket;
const (
	playIDSize = 16
	secretSize = 32
	// ResumeTicketSize is the exact length of a resume ticket.
	ResumeTicketSize = playIDSize + secretSize
)

// makeTicket encodes a resume ticket.
func makeTicket(playID string, secret *[secretSize]byte) ([]byte, error) {
	id, err := hex.DecodeString(playID)
	if err != nil || len(id) != playIDSize {
		return nil, fmt.Errorf("license: play id %q is not %d hex bytes", playID, playIDSize)
	}
	return append(id, secret[:]...), nil
}

// parseTicket splits a resume ticket into the play id (hex) and the hash
// of its secret; every malformed ticket is ErrBadTicket.
func parseTicket(t []byte) (string, [32]byte, error) {
	if len(t) != ResumeTicketSize {
		return "", [32]byte{}, ErrBadTicket
	}
	return hex.EncodeToString(t[:playIDSize]), sha256.Sum256(t[playIDSize:]), nil
}

// PlayLifetime is how long a play of an item of duration d stays valid:
// twice the duration plus PlayMargin when d is known (positive), window
// otherwise, never more than MaxPlayWindow.
func PlayLifetime(d, window time.Duration) time.Duration {
	switch {
	case d >= MaxPlayWindow:
		return MaxPlayWindow
	case d > 0:
		return min(2*d+PlayMargin, MaxPlayWindow)
	case window <= 0:
		return DefaultPlayWindow
	}
	return min(window, MaxPlayWindow)
}
