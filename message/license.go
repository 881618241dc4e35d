package message

import (
	"time"

	"golang.org/x/crypto/cryptobyte"

	"securemedia/content"
)

// The bodies of the license operations (DESIGN.md §7): OpPlay starts a play
// and returns a play grant with the signed license token, OpRenew renews a
// license after a (simulated) payment, OpLicense lists the viewer's
// licenses. A refused play answers StatusPaymentRequired with an ErrorBody
// whose Offer is a marshalled Offer.

// Limits of the license encodings.
const (
	// maxLicenseToken bounds a signed license token (the license layer's
	// own limit is 32 KiB).
	maxLicenseToken = 32 << 10
	// maxRemaining bounds the human summary of what is left of a license.
	maxRemaining = 255
	// maxPaymentRef bounds a payment reference.
	maxPaymentRef = 255
	// maxPrice bounds the price string of an offer.
	maxPrice = 255
	// maxOfferViews mirrors the license layer's largest view count.
	maxOfferViews = 1_000_000
)

// PlayRequest asks to start a play of Media (OpPlay).
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

// PlayResponse is the answer to a started play: the grant that must
// accompany every fetch of this play, the signed license token and a
// summary for the viewer such as "4 views left". A server that enforces no
// licenses sends neither grant nor token; otherwise both are present.
type PlayResponse struct {
	Grant     []byte
	Token     []byte
	Remaining string
}

// Marshal encodes grant<0..2^16-1> ‖ token<0..2^24-1> ‖ remaining<0..2^16-1>.
func (r *PlayResponse) Marshal() []byte {
	b := cryptobyte.NewBuilder(nil)
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(r.Grant) })
	b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(r.Token) })
	addString16(b, truncateUTF8(r.Remaining, maxRemaining))
	return b.BytesOrPanic()
}

// ParsePlayResponse decodes a play response body.
func ParsePlayResponse(data []byte) (*PlayResponse, error) {
	s := cryptobyte.String(data)
	r := &PlayResponse{}
	var grant, tok cryptobyte.String
	if !s.ReadUint16LengthPrefixed(&grant) || len(grant) > maxGrantSize ||
		!s.ReadUint24LengthPrefixed(&tok) || len(tok) > maxLicenseToken || (len(grant) == 0) != (len(tok) == 0) ||
		!readString16(&s, &r.Remaining, maxRemaining) || !s.Empty() {
		return nil, errMalformed
	}
	r.Grant, r.Token = []byte(grant), []byte(tok)
	return r, nil
}

// Offer is a renewal offer: what a renewal restores (views, 0 = unlimited;
// period, 0 = none) and its price, for the viewer to confirm.
type Offer struct {
	Views  uint32
	Period time.Duration
	Price  string
}

// Marshal encodes views ‖ period_ms ‖ price<0..2^16-1>.
func (o *Offer) Marshal() []byte {
	b := cryptobyte.NewBuilder(nil)
	b.AddUint32(o.Views)
	b.AddUint64(uint64(max(o.Period.Milliseconds(), 0)))
	addString16(b, truncateUTF8(o.Price, maxPrice))
	return b.BytesOrPanic()
}

// ParseOffer decodes an offer (the Offer of a payment-required ErrorBody).
func ParseOffer(data []byte) (*Offer, error) {
	s := cryptobyte.String(data)
	o := &Offer{}
	var ms uint64
	if !s.ReadUint32(&o.Views) || !s.ReadUint64(&ms) || !readString16(&s, &o.Price, maxPrice) || !s.Empty() ||
		o.Views > maxOfferViews || ms > maxMillis {
		return nil, errMalformed
	}
	o.Period = time.Duration(ms) * time.Millisecond
	return o, nil
}

// RenewRequest renews the license of Media after a payment (OpRenew).
// Reference is the client's random, single-use payment reference;
// Confirmed says the viewer accepted the offer.
type RenewRequest struct {
	Media     content.ID
	Reference string
	Confirmed bool
}

// Marshal encodes media ‖ reference<1..2^8-1> ‖ confirmed.
func (r *RenewRequest) Marshal() []byte {
	b := cryptobyte.NewBuilder(nil)
	b.AddBytes(r.Media[:])
	addString8(b, r.Reference)
	var c uint8
	if r.Confirmed {
		c = 1
	}
	b.AddUint8(c)
	return b.BytesOrPanic()
}

// ParseRenewRequest decodes a renew request body.
func ParseRenewRequest(data []byte) (*RenewRequest, error) {
	s := cryptobyte.String(data)
	r := &RenewRequest{}
	var c uint8
	if !s.CopyBytes(r.Media[:]) || !readString8(&s, &r.Reference) || !s.ReadUint8(&c) || !s.Empty() ||
		r.Reference == "" || len(r.Reference) > maxPaymentRef || c > 1 {
		return nil, errMalformed
	}
	r.Confirmed = c == 1
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
