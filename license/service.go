package license

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"
)

// Config configures a Service. Store and Signer are required; every other
// zero field has a useful default.
type Config struct {
	// Store keeps the authoritative state.
	Store Store
	// Signer is the license-signing key; Chain its certificate chain (DER,
	// leaf first), carried in every license token.
	Signer crypto.Signer
	Chain  [][]byte
	// Grants issues and checks play grants (nil: a fresh key from Rand).
	Grants *Grants
	// PlayWindow is the lifetime of a play of an item whose duration is
	// unknown (0: DefaultPlayWindow).
	PlayWindow time.Duration
	// OfferLifetime is how long a renewal offer stays open (0:
	// DefaultOfferLifetime).
	OfferLifetime time.Duration
	// Price is the amount offers quote ("": DefaultPrice).
	Price string
	// Payments verifies renewal payments (nil: SimulatedPayments).
	Payments PaymentVerifier
	// MaxOpenPlays bounds a user's plays started and not yet counted; the
	// oldest beyond are abandoned (0: MaxOpenPlays, at most
	// MaxOpenPlaysLimit).
	MaxOpenPlays int
	// Rand is the source of resume secrets (nil: crypto/rand.Reader).
	Rand io.Reader
	// Now is the clock (nil: time.Now).
	Now func() time.Time
}

// Service runs the license operations of the protocol (DESIGN.md §7): it
// starts plays, authorizes fetches, counts views at the first chunk,
// records progress, refunds the server's failures, resumes plays after
// transport faults and renews licenses against offers. It is safe for
// concurrent use.
type Service struct {
	store     Store
	signer    crypto.Signer
	chain     [][]byte
	grants    *Grants
	window    time.Duration
	offerLife time.Duration
	price     string
	payments  PaymentVerifier
	maxOpen   int
	rand      io.Reader
	now       func() time.Time

	// cursors holds, per play with a fetch in flight on this server, the
	// delivery position and the generation of its newest fetch, so that
	// parallel fetches of one play cannot each make a pass.
	mu      sync.Mutex
	cursors map[string]*cursor
}

// New makes a Service from cfg.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil || cfg.Signer == nil {
		return nil, errors.New("license: service needs a store and a signing key")
	}
	s := &Service{store: cfg.Store, signer: cfg.Signer, chain: cfg.Chain, grants: cfg.Grants,
		window: cfg.PlayWindow, offerLife: cfg.OfferLifetime, price: cfg.Price, payments: cfg.Payments,
		maxOpen: cfg.MaxOpenPlays, rand: cfg.Rand, now: cfg.Now, cursors: make(map[string]*cursor)}
	if s.maxOpen < 0 || s.maxOpen > MaxOpenPlaysLimit {
		return nil, fmt.Errorf("license: %d open plays per user, want 1 to %d", s.maxOpen, MaxOpenPlaysLimit)
	}
	if s.rand == nil {
		s.rand = rand.Reader
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.window <= 0 {
		s.window = DefaultPlayWindow
	}
	if s.window > MaxPlayWindow {
		return nil, fmt.Errorf("license: play window %s longer than %s", s.window, MaxPlayWindow)
	}
	if s.offerLife <= 0 {
		s.offerLife = DefaultOfferLifetime
	}
	if s.price == "" {
		s.price = DefaultPrice
	}
	if err := CheckPrintable("price", s.price, 1, MaxAmountLen); err != nil {
		return nil, err
	}
	if s.payments == nil {
		s.payments = SimulatedPayments{}
	}
	if s.grants == nil {
		g, err := NewGrants(s.rand)
		if err != nil {
			return nil, err
		}
		s.grants = g
	}
	return s, nil
}

// NewService is New with the defaults for everything but the store, the
// license-signing key and chain, the grant issuer and the clock (nil means
// time.Now). grants must not be nil.
func NewService(s Store, signer crypto.Signer, chain [][]byte, grants *Grants, now func() time.Time) *Service {
	svc, err := New(Config{Store: s, Signer: signer, Chain: chain, Grants: grants, Now: now})
	if err != nil {
		panic(err) // only a nil store or key gets here: a wiring bug
	}
	return svc
}

// PlayRequest asks for a play (Service.StartPlay).
type PlayRequest struct {
	// UserID is the session's user; Device the SHA-256 (hex) of its
	// device certificate.
	UserID string
	Device string
	// MediaID is the license layer's text form of the media id.
	MediaID string
	// Session is the session id that will carry the play.
	Session []byte
	// Policy is the media's policy, for the license a first play issues.
	Policy Policy
	// Chunks is the item's chunk count; Duration its playing time (0 when
	// unknown), which sets the play's window (PlayLifetime).
	Chunks   uint32
	Duration time.Duration
}

// PlayGrant is what a started or resumed play hands to the client.
type PlayGrant struct {
	// Play is the play as stored.
	Play Play
	// Grant must accompany every fetch of the play in this session.
	Grant []byte
	// Ticket resumes the play in a new session (ResumeTicketSize bytes; it
	// holds a secret: the client keeps it in memory only).
	Ticket []byte
	// Token is the signed license; for a play not yet counted it shows the
	// views left once this play is counted (LicenseAfterCount).
	Token []byte
	// License is the license as stored.
	License License
}

// StartPlay starts a play, free of charge: the license is issued on the
// first play of the media (under r.Policy), and must be playable. A
// revoked license is ErrRevoked; an exhausted or expired one a
// *PaymentRequiredError with a stored offer that restores r.Policy. Asked again in the same
// session for the same media before its first chunk, it returns the same
// play and the same grant, with a fresh resume ticket (the store keeps only
// the hash of the secret, so the earlier ticket stops working).
func (s *Service) StartPlay(ctx context.Context, r PlayRequest) (PlayGrant, error) {
	if err := checkCarrier(r.UserID, r.Device, r.Session); err != nil {
		return PlayGrant{}, err
	}
	if err := checkID("media id", r.MediaID); err != nil {
		return PlayGrant{}, err
	}
	if r.Chunks == 0 {
		return PlayGrant{}, fmt.Errorf("%w: an item of no chunks", ErrInvalidInput)
	}
	var secret [secretSize]byte
	defer clear(secret[:])
	if _, err := io.ReadFull(s.rand, secret[:]); err != nil {
		return PlayGrant{}, fmt.Errorf("license: resume secret: %w", err)
	}
	now := s.now()
	p, l, err := s.store.StartPlay(ctx, NewPlay{UserID: r.UserID, Device: r.Device, MediaID: r.MediaID,
		Session: hex.EncodeToString(r.Session), Policy: r.Policy, Chunks: r.Chunks,
		ExpiresAt: now.Add(PlayLifetime(r.Duration, s.window)), ResumeHash: sha256.Sum256(secret[:]), MaxOpen: s.maxOpen}, now)
	if err != nil {
		return PlayGrant{}, s.withOffer(ctx, err, &r.Policy)
	}
	return s.playGrant(p, l, r.Session, &secret, now)
}

// ResumeRequest asks to resume a play in a new session (Service.Resume).
type ResumeRequest struct {
	// UserID is the new session's user; Device its device (hex SHA-256).
	UserID string
	Device string
	// Ticket is the resume ticket of the play answer.
	Ticket []byte
	// Session is the new session id.
	Session []byte
}

// Resume moves a play to a new session after a transport fault: the
// ticket must be the user's own play's (ErrBadTicket for anything else),
// the play resumable (PlayState.Resumable) and within its window. The
// answer carries a grant bound to the new session, the play (its NextChunk
// is where to continue) and the same ticket; no view is consumed. Any
// server sharing the store can resume any play; on this one, fetches of
// the old session stop at their next chunk and the play's position is the
// store's again.
func (s *Service) Resume(ctx context.Context, r ResumeRequest) (PlayGrant, error) {
	id, hash, err := parseTicket(r.Ticket)
	if err != nil {
		return PlayGrant{}, err
	}
	if err := checkCarrier(r.UserID, r.Device, r.Session); err != nil {
		return PlayGrant{}, err
	}
	now := s.now()
	p, l, err := s.store.ResumePlay(ctx, id, r.UserID, hash, hex.EncodeToString(r.Session), r.Device, now)
	if err != nil {
		return PlayGrant{}, s.withOffer(ctx, err, nil)
	}
	s.followStore(p)
	var secret [secretSize]byte
	defer clear(secret[:])
	copy(secret[:], r.Ticket[playIDSize:])
	return s.playGrant(p, l, r.Session, &secret, now)
}

// playGrant assembles the answer to a started or resumed play.
func (s *Service) playGrant(p Play, l License, session []byte, secret *[secretSize]byte, now time.Time) (PlayGrant, error) {
	ticket, err := makeTicket(p.ID, secret)
	if err != nil {
		return PlayGrant{}, err
	}
	pg := PlayGrant{Play: p, Grant: s.grants.IssuePlay(session, p.MediaID, p.ID, p.ExpiresAt), Ticket: ticket, License: l}
	if pg.Token, err = SignToken(pg.LicenseAfterCount(), s.signer, s.chain, now); err != nil {
		return PlayGrant{}, err
	}
	return pg, nil
}

// LicenseAfterCount returns the play's license as it stands once the play is
// counted: for a play not yet counted, one more view used. The token
// shows it, and the viewer is told what it leaves ("4 views left").
func (g PlayGrant) LicenseAfterCount() License {
	l := g.License
	if g.Play.State == PlayStarted && l.Policy.Views != 0 {
		l.ViewsUsed++ // the view this play costs once counted
	}
	return l
}

// Sweep abandons plays whose window is over and expires offers past
// theirs, a bounded batch at a time; the server runs it now and then.
func (s *Service) Sweep(ctx context.Context) (plays, offers int, err error) {
	now := s.now()
	if plays, err = s.store.AbandonExpiredPlays(ctx, now, sweepBatch); err != nil {
		return plays, 0, err
	}
	offers, err = s.store.ExpireOffers(ctx, now)
	return plays, offers, err
}

// sweepBatch bounds the plays one Sweep abandons (each is a transaction).
const sweepBatch = 1000

// checkCarrier validates who carries a play: the user, the device and the
// session id (stored in hex, so at most MaxIDLen/2 bytes).
func checkCarrier(userID, device string, session []byte) error {
	if err := checkID("user id", userID); err != nil {
		return err
	}
	if len(device) > MaxIDLen {
		return fmt.Errorf("%w: device longer than %d bytes", ErrInvalidInput, MaxIDLen)
	}
	if len(session) == 0 || len(session) > MaxIDLen/2 {
		return fmt.Errorf("%w: session id of %d bytes", ErrInvalidInput, len(session))
	}
	return nil
}

func (s *Service) checkUser(ctx context.Context, userID string) error {
	if err := checkID("user id", userID); err != nil {
		return err
	}
	u, err := s.store.GetUser(ctx, userID)
	if err != nil {
		return err
	}
	if u.Disabled {
		return ErrUserDisabled
	}
	return nil
}
