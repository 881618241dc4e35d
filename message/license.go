package message

import (
	"time"

	"golang.org/x/crypto/cryptobyte"

	"securemedia/content"
)

// The bodies of the license operations (DESIGN.md §7):
//
//   - OpPlay (PlayRequest → PlayResponse) starts a play, free of charge: its
//     view is consumed when its first chunk is delivered. The answer
//     carries the play grant every fetch presents, the resume ticket and the
//     signed license token.
//   - OpResume (ResumeRequest → PlayResponse) moves a play to this session
//     after a transport fault; PlayResponse.Next says where it continues.
//   - OpOffer (a PlayRequest naming the media → Offer) asks for a renewal
//     before the license runs out.
//   - OpRenew (RenewRequest → RenewResponse) accepts an open offer once,
//     after a (simulated) payment.
//   - OpLicense lists the viewer's licenses.
//
// A play, resume or fetch refused because the license is exhausted or
// expired answers StatusPaymentRequired with an ErrorBody whose Offer is a
// marshalled Offer. Every license outcome travels inside the encrypted
// response; the HTTP status is the same for all of them.

// Limits of the license encodings.
const (
	// maxLicenseToken bounds a signed license token (the license layer's
	// own limit is 32 KiB).
	maxLicenseToken = 32 << 10
	// maxRemaining bounds the human summary of what is left of a license.
	maxRemaining = 255
	// maxPaymentRef mirrors the license layer's bound on a payment
	// reference (license.MaxPaymentReferenceLen).
	maxPaymentRef = 128
	// maxPrice bounds the amount of an offer.
	maxPrice = 255
	// maxOfferViews mirrors the license layer's largest view count.
	maxOfferViews = 1_000_000
)

// OfferIDSize is the size of an offer id on the wire (the license layer
// spells the same 128 bits in hex).
const OfferIDSize = 16

// PlayRequest names the media of OpPlay (and of OpOffer).
type PlayRequest struct{ Media content.ID }

// Marshal encodes the request body: the media id.
func (r *PlayRequest) Marshal() []byte { return append([]byte(nil), r.Media[:]...) }

// ParsePlayRequest decodes a play request body.
func ParsePlayRequest(data []byte) (*PlayRequest, error) {
	if len(data) != content.IDSize {
		return nil, errMalformed
	}
	r := &PlayRequest{}
	copy(r.Media[:], data)
	return r, nil
}

// PlayResponse is the answer to a started or resumed play: the grant that
// must accompany every fetch of this play in this session, the resume
// ticket (it holds a secret: the client keeps it in memory only), the
// signed license token, the first chunk the play has not delivered (0 for
// a new play) and a summary for the viewer such as "4 views left". A
// server that enforces no licenses sends neither grant, ticket nor token;
// otherwise all three are present.
type PlayResponse struct {
	Grant     []byte
	Ticket    []byte
	Token     []byte
	Next      uint32
	Remaining string
}

// Marshal encodes grant<0..2^16-1> ‖ ticket<0..2^8-1> ‖ token<0..2^24-1> ‖
// next ‖ remaining<0..2^16-1>.
func (r *PlayResponse) Marshal() []byte {
	b := cryptobyte.NewBuilder(nil)
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(r.Grant) })
	b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(r.Ticket) })
	b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(r.Token) })
	b.AddUint32(r.Next)
	addString16(b, truncateUTF8(r.Remaining, maxRemaining))
	return b.BytesOrPanic()
}

// ParsePlayResponse decodes a play response body.
func ParsePlayResponse(data []byte) (*PlayResponse, error) {
	s := cryptobyte.String(data)
	r := &PlayResponse{}
	var grant, ticket, tok cryptobyte.String
	if !s.ReadUint16LengthPrefixed(&grant) || len(grant) > maxGrantSize ||
		!s.ReadUint8LengthPrefixed(&ticket) ||
		!s.ReadUint24LengthPrefixed(&tok) || len(tok) > maxLicenseToken ||
		(len(grant) == 0) != (len(tok) == 0) || (len(grant) == 0) != (len(ticket) == 0) ||
		!s.ReadUint32(&r.Next) || !readString16(&s, &r.Remaining, maxRemaining) || !s.Empty() {
		return nil, errMalformed
	}
	r.Grant, r.Ticket, r.Token = []byte(grant), []byte(ticket), []byte(tok)
	return r, nil
}

// ResumeRequest resumes a play in this session (OpResume) with the
// ticket of its play answer.
type ResumeRequest struct{ Ticket []byte }

// Marshal encodes ticket<1..2^8-1>.
func (r *ResumeRequest) Marshal() []byte {
	b := cryptobyte.NewBuilder(nil)
	b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(r.Ticket) })
	return b.BytesOrPanic()
}

// ParseResumeRequest decodes a resume request body.
func ParseResumeRequest(data []byte) (*ResumeRequest, error) {
	s := cryptobyte.String(data)
	var ticket cryptobyte.String
	if !s.ReadUint8LengthPrefixed(&ticket) || len(ticket) == 0 || !s.Empty() {
		return nil, errMalformed
	}
	return &ResumeRequest{Ticket: []byte(ticket)}, nil
}

// Offer is a renewal offer the server stored: its id (a renewal names it),
// what it restores (views, 0 = unlimited; period, 0 = none) or, when
// Extends, adds to a license that can still play, until when it can be
// accepted, and its price, for the viewer to confirm.
type Offer struct {
	ID      [OfferIDSize]byte
	Views   uint32
	Period  time.Duration
	Extends bool
	Expires time.Time
	Price   string
}

// Marshal encodes id[16] ‖ views ‖ period_ms ‖ extends ‖ expires_unix_ms ‖
// price<0..2^16-1>.
func (o *Offer) Marshal() []byte {
	b := cryptobyte.NewBuilder(nil)
	b.AddBytes(o.ID[:])
	b.AddUint32(o.Views)
	b.AddUint64(uint64(max(o.Period.Milliseconds(), 0)))
	b.AddUint8(boolByte(o.Extends))
	var exp int64
	if !o.Expires.IsZero() {
		exp = max(o.Expires.UnixMilli(), 0)
	}
	b.AddUint64(uint64(exp))
	addString16(b, truncateUTF8(o.Price, maxPrice))
	return b.BytesOrPanic()
}

// ParseOffer decodes an offer (the Offer of a payment-required ErrorBody,
// or the answer to OpOffer).
func ParseOffer(data []byte) (*Offer, error) {
	s := cryptobyte.String(data)
	o := &Offer{}
	var ms, exp uint64
	var extends uint8
	if !s.CopyBytes(o.ID[:]) || !s.ReadUint32(&o.Views) || !s.ReadUint64(&ms) || !s.ReadUint8(&extends) ||
		!s.ReadUint64(&exp) || !readString16(&s, &o.Price, maxPrice) || !s.Empty() ||
		o.Views > maxOfferViews || ms > maxMillis || extends > 1 || exp > maxUnixMillis {
		return nil, errMalformed
	}
	o.Period, o.Extends = time.Duration(ms)*time.Millisecond, extends == 1
	if exp != 0 {
		o.Expires = time.UnixMilli(int64(exp)).UTC()
	}
	return o, nil
}

func boolByte(v bool) uint8 {
	if v {
		return 1
	}
	return 0
}

// RenewRequest accepts the offer Offer (OpRenew), paid under Reference: a
// printable, single-use payment reference (the payment is simulated).
type RenewRequest struct {
	Offer     [OfferIDSize]byte
	Reference string
}

// Marshal encodes offer_id[16] ‖ reference<1..2^8-1>.
func (r *RenewRequest) Marshal() []byte {
	b := cryptobyte.NewBuilder(nil)
	b.AddBytes(r.Offer[:])
	addString8(b, r.Reference)
	return b.BytesOrPanic()
}

// ParseRenewRequest decodes a renew request body.
func ParseRenewRequest(data []byte) (*RenewRequest, error) {
	s := cryptobyte.String(data)
	r := &RenewRequest{}
	if !s.CopyBytes(r.Offer[:]) || !readString8(&s, &r.Reference) || !s.Empty() ||
		r.Reference == "" || len(r.Reference) > maxPaymentRef {
		return nil, errMalformed
	}
	return r, nil
}

// RenewResponse is the renewed license token and a summary of what it
// grants.
type RenewResponse struct {
	Token     []byte
	Remaining string
}

// Marshal encodes token<1..2^24-1> ‖ remaining<0..2^16-1>.
func (r *RenewResponse) Marshal() []byte {
	b := cryptobyte.NewBuilder(nil)
	b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(r.Token) })
	addString16(b, truncateUTF8(r.Remaining, maxRemaining))
	return b.BytesOrPanic()
}

// ParseRenewResponse decodes a renew response body.
func ParseRenewResponse(data []byte) (*RenewResponse, error) {
	s := cryptobyte.String(data)
	r := &RenewResponse{}
	var tok cryptobyte.String
	if !s.ReadUint24LengthPrefixed(&tok) || len(tok) == 0 || len(tok) > maxLicenseToken ||
		!readString16(&s, &r.Remaining, maxRemaining) || !s.Empty() {
		return nil, errMalformed
	}
	r.Token = []byte(tok)
	return r, nil
}

// LicenseInfo is one of the viewer's licenses (OpLicense).
type LicenseInfo struct {
	Media content.ID
	Title string
	// ViewsLeft is -1 for unlimited.
	ViewsLeft int32
	// Expires is zero when the license has no period.
	Expires time.Time
	// NeedsRenewal: exhausted or expired.
	NeedsRenewal bool
	Revoked      bool
}

func (l *LicenseInfo) marshal(b *cryptobyte.Builder) {
	b.AddBytes(l.Media[:])
	addString16(b, truncateUTF8(l.Title, maxTitle))
	b.AddUint32(uint32(l.ViewsLeft))
	var exp int64
	if !l.Expires.IsZero() {
		exp = max(l.Expires.UnixMilli(), 1)
	}
	b.AddUint64(uint64(exp))
	var flags uint8
	if l.NeedsRenewal {
		flags |= 1
	}
	if l.Revoked {
		flags |= 2
	}
	b.AddUint8(flags)
}

func (l *LicenseInfo) parse(s *cryptobyte.String) bool {
	var views uint32
	var exp uint64
	var flags uint8
	if !s.CopyBytes(l.Media[:]) || !readString16(s, &l.Title, maxTitle) || !s.ReadUint32(&views) ||
		!s.ReadUint64(&exp) || !s.ReadUint8(&flags) || flags > 3 || exp > maxUnixMillis {
		return false
	}
	l.ViewsLeft = int32(views)
	if l.ViewsLeft < -1 {
		return false
	}
	if exp != 0 {
		l.Expires = time.UnixMilli(int64(exp)).UTC()
	}
	l.NeedsRenewal, l.Revoked = flags&1 != 0, flags&2 != 0
	return true
}

// MarshalLicenses encodes a license list response body: count ‖ entries.
func MarshalLicenses(items []LicenseInfo) []byte {
	b := cryptobyte.NewBuilder(nil)
	b.AddUint32(uint32(len(items)))
	for i := range items {
		items[i].marshal(b)
	}
	return b.BytesOrPanic()
}

// ParseLicenses decodes a license list response body.
func ParseLicenses(data []byte) ([]LicenseInfo, error) {
	s := cryptobyte.String(data)
	var n uint32
	if !s.ReadUint32(&n) || n > maxCatalog {
		return nil, errMalformed
	}
	items := make([]LicenseInfo, 0, min(n, 64))
	for range n {
		var l LicenseInfo
		if !l.parse(&s) {
			return nil, errMalformed
		}
		items = append(items, l)
	}
	if !s.Empty() {
		return nil, errMalformed
	}
	return items, nil
}
