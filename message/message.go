package message

import (
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/cryptobyte"

	"securemedia/content"
)

// Op is an operation.
type Op uint8

// Operations.
const (
	OpCatalog Op = 1  // list the catalog
	OpInfo    Op = 2  // one item's metadata (and signed manifest)
	OpFetch   Op = 3  // a range of chunks
	OpClose   Op = 4  // end the session
	OpRekey   Op = 5  // a fresh ephemeral exchange, next epoch
	OpPlay    Op = 6  // start a play (free; its view is consumed at its first chunk): grant, ticket, token
	OpRenew   Op = 7  // renew a license against an open offer, after a (simulated) payment
	OpLicense Op = 8  // the viewer's licenses
	OpResume  Op = 9  // resume a play in this session with its ticket, after a transport fault
	OpOffer   Op = 10 // ask for a renewal offer before the license runs out
)

func (o Op) String() string {
	names := map[Op]string{OpCatalog: "catalog", OpInfo: "info", OpFetch: "fetch", OpClose: "close",
		OpRekey: "rekey", OpPlay: "play", OpRenew: "renew", OpLicense: "license", OpResume: "resume", OpOffer: "offer",
		OpRegisterOptions: "register-options", OpRegister: "register"}
	if n, ok := names[o]; ok {
		return n
	}
	return fmt.Sprintf("op(%d)", uint8(o))
}

// Status is the outcome of an operation, inside the encrypted response.
type Status uint8

// Statuses.
const (
	StatusOK              Status = 0
	StatusBadRequest      Status = 1
	StatusNotFound        Status = 2
	StatusPaymentRequired Status = 3
	StatusForbidden       Status = 4
	StatusRekeyRequired   Status = 5
	StatusUnavailable     Status = 6
	StatusInternal        Status = 7
	// StatusIntegrity: the server's stored copy of a chunk failed its
	// at-rest integrity check; nothing of that chunk was sent.
	StatusIntegrity Status = 8
	// StatusPlayEnded: this play cannot deliver what was asked (a chunk it
	// delivered before, below the retransmission window; a play that
	// ended, ran out of time or was resumed elsewhere): a new play starts
	// over.
	StatusPlayEnded Status = 9
	// StatusGoElsewhere: this replica is draining (DESIGN.md §10); it
	// closed the session without doing what was asked. The client treats
	// it as a transport fault: a new handshake through the balancer
	// reaches another replica, where the play resumes.
	StatusGoElsewhere Status = 10
)

func (s Status) String() string {
	names := map[Status]string{StatusOK: "ok", StatusBadRequest: "bad request", StatusNotFound: "not found",
		StatusPaymentRequired: "payment required", StatusForbidden: "forbidden", StatusRekeyRequired: "rekey required",
		StatusUnavailable: "unavailable", StatusInternal: "internal error", StatusIntegrity: "integrity error",
		StatusPlayEnded: "play ended", StatusGoElsewhere: "go elsewhere"}
	if n, ok := names[s]; ok {
		return n
	}
	return fmt.Sprintf("status(%d)", uint8(s))
}

// Response flags.
const (
	// FlagRekeyDue asks the client to rekey before its next data request.
	FlagRekeyDue uint8 = 1 << 0
)

// MaxChunksPerFetch bounds one chunk-fetch request (an implementation
// limit: it bounds the work and the memory of one fetch answer).
const MaxChunksPerFetch = 64

// Limits of the operation encodings.
const (
	maxOpBody    = 2 << 20 // a signed manifest of the largest item (content.MaxSignedManifestLen) fits
	maxTitle     = 1024
	maxTypeLen   = 255
	maxCatalog   = 10000
	maxGrantSize = 1024
	maxMessage   = 1024
	// maxMillis bounds durations in milliseconds (about 35 years) so
	// conversions cannot overflow.
	maxMillis = 1 << 40
	// maxUnixMillis bounds times in milliseconds since 1970 (about the
	// year 2248); 1<<40 would end in 2004.
	maxUnixMillis = 1 << 43
)

// A signed manifest travels to the client in one info response, so the
// largest one must fit an operation body (the constant would overflow uint
// otherwise).
const _ = uint(maxOpBody - content.MaxSignedManifestLen)

var errMalformed = errors.New("malformed operation")

// Request is one operation request.
type Request struct {
	Op   Op
	Body []byte
}

// Marshal encodes the request: op ‖ body<0..2^24-1>.
func (r *Request) Marshal() []byte {
	b := cryptobyte.NewBuilder(make([]byte, 0, 4+len(r.Body)))
	b.AddUint8(uint8(r.Op))
	b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(r.Body) })
	return b.BytesOrPanic()
}

// ParseRequest decodes a request.
func ParseRequest(data []byte) (*Request, error) {
	s := cryptobyte.String(data)
	var op uint8
	var body cryptobyte.String
	if !s.ReadUint8(&op) || !s.ReadUint24LengthPrefixed(&body) || !s.Empty() || len(body) > maxOpBody {
		return nil, errMalformed
	}
	return &Request{Op: Op(op), Body: []byte(body)}, nil
}

// Response is one operation response. InReplyTo is the sequence number of
// the request record it answers, so that responses cannot be swapped
// between parallel requests.
type Response struct {
	InReplyTo uint64
	Status    Status
	Flags     uint8
	Body      []byte
}

// Marshal encodes the response.
func (r *Response) Marshal() []byte {
	b := cryptobyte.NewBuilder(make([]byte, 0, 14+len(r.Body)))
	b.AddUint64(r.InReplyTo)
	b.AddUint8(uint8(r.Status))
	b.AddUint8(r.Flags)
	b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(r.Body) })
	return b.BytesOrPanic()
}

// ParseResponse decodes a response.
func ParseResponse(data []byte) (*Response, error) {
	s := cryptobyte.String(data)
	r := &Response{}
	var st uint8
	var body cryptobyte.String
	if !s.ReadUint64(&r.InReplyTo) || !s.ReadUint8(&st) || !s.ReadUint8(&r.Flags) ||
		!s.ReadUint24LengthPrefixed(&body) || !s.Empty() || len(body) > maxOpBody {
		return nil, errMalformed
	}
	r.Status, r.Body = Status(st), []byte(body)
	return r, nil
}

// MediaInfo describes one catalog item.
type MediaInfo struct {
	ID          content.ID
	Title       string
	ContentType string
	Size        uint64
	ChunkSize   uint32
	Chunks      uint32
	Duration    time.Duration
	// License is the viewer's license state for this item, when known.
	License LicenseState
}

// LicenseState summarises a viewer's license for display.
type LicenseState struct {
	// Known is false when the server reports no license information.
	Known bool
	// ViewsLeft is -1 for unlimited.
	ViewsLeft int32
	// Expires is zero when the license has no period.
	Expires time.Time
	// Exhausted or expired: the next play needs a renewal.
	NeedsRenewal bool
}

func (m *MediaInfo) marshal(b *cryptobyte.Builder) {
	b.AddBytes(m.ID[:])
	addString16(b, truncateUTF8(m.Title, maxTitle))
	addString8(b, m.ContentType)
	b.AddUint64(m.Size)
	b.AddUint32(m.ChunkSize)
	b.AddUint32(m.Chunks)
	b.AddUint64(uint64(m.Duration.Milliseconds()))
	m.License.marshal(b)
}

func (m *MediaInfo) parse(s *cryptobyte.String) bool {
	var ms uint64
	ok := s.CopyBytes(m.ID[:]) && readString16(s, &m.Title, maxTitle) && readString8(s, &m.ContentType) &&
		s.ReadUint64(&m.Size) && s.ReadUint32(&m.ChunkSize) && s.ReadUint32(&m.Chunks) && s.ReadUint64(&ms) &&
		m.License.parse(s)
	if !ok || ms > maxMillis {
		return false
	}
	m.Duration = time.Duration(ms) * time.Millisecond
	return true
}

func (l *LicenseState) marshal(b *cryptobyte.Builder) {
	var flags uint8
	if l.Known {
		flags |= 1
	}
	if l.NeedsRenewal {
		flags |= 2
	}
	b.AddUint8(flags)
	b.AddUint32(uint32(l.ViewsLeft))
	var exp int64
	if !l.Expires.IsZero() {
		exp = l.Expires.UnixMilli()
	}
	b.AddUint64(uint64(exp))
}

func (l *LicenseState) parse(s *cryptobyte.String) bool {
	var flags uint8
	var views uint32
	var exp uint64
	if !s.ReadUint8(&flags) || !s.ReadUint32(&views) || !s.ReadUint64(&exp) || flags > 3 || exp > maxUnixMillis {
		return false
	}
	l.Known, l.NeedsRenewal, l.ViewsLeft = flags&1 != 0, flags&2 != 0, int32(views)
	if exp != 0 {
		l.Expires = time.UnixMilli(int64(exp)).UTC()
	}
	return true
}

// MarshalCatalog encodes a catalog response body.
func MarshalCatalog(items []MediaInfo) []byte {
	b := cryptobyte.NewBuilder(nil)
	b.AddUint32(uint32(len(items)))
	for i := range items {
		b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) { items[i].marshal(b) })
	}
	return b.BytesOrPanic()
}

// ParseCatalog decodes a catalog response body.
func ParseCatalog(data []byte) ([]MediaInfo, error) {
	s := cryptobyte.String(data)
	var n uint32
	if !s.ReadUint32(&n) || n > maxCatalog {
		return nil, errMalformed
	}
	items := make([]MediaInfo, 0, min(n, 64))
	for range n {
		var item cryptobyte.String
		var m MediaInfo
		if !s.ReadUint24LengthPrefixed(&item) || !m.parse(&item) || !item.Empty() {
			return nil, errMalformed
		}
		items = append(items, m)
	}
	if !s.Empty() {
		return nil, errMalformed
	}
	return items, nil
}

// InfoRequest asks for one item.
type InfoRequest struct{ Media content.ID }

// Marshal encodes the request body.
func (r *InfoRequest) Marshal() []byte { return append([]byte(nil), r.Media[:]...) }

// ParseInfoRequest decodes an info request body.
func ParseInfoRequest(data []byte) (*InfoRequest, error) {
	if len(data) != content.IDSize {
		return nil, errMalformed
	}
	r := &InfoRequest{}
	copy(r.Media[:], data)
	return r, nil
}

// InfoResponse is an item's metadata and its signed manifest (empty when
// the store has none).
type InfoResponse struct {
	Info     MediaInfo
	Manifest []byte
}

// Marshal encodes the response body.
func (r *InfoResponse) Marshal() []byte {
	b := cryptobyte.NewBuilder(nil)
	b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) { r.Info.marshal(b) })
	b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(r.Manifest) })
	return b.BytesOrPanic()
}

// ParseInfoResponse decodes an info response body.
func ParseInfoResponse(data []byte) (*InfoResponse, error) {
	s := cryptobyte.String(data)
	r := &InfoResponse{}
	var info, man cryptobyte.String
	if !s.ReadUint24LengthPrefixed(&info) || !r.Info.parse(&info) || !info.Empty() ||
		!s.ReadUint24LengthPrefixed(&man) || !s.Empty() {
		return nil, errMalformed
	}
	r.Manifest = []byte(man)
	return r, nil
}

// FetchRequest asks for Count chunks of Media starting at First. Grant is
// the play grant (the license layer's proof that this session may play
// this media); empty when the server does not enforce licenses.
type FetchRequest struct {
	Media content.ID
	First uint32
	Count uint16
	Grant []byte
}

// Marshal encodes the request body.
func (r *FetchRequest) Marshal() []byte {
	b := cryptobyte.NewBuilder(nil)
	b.AddBytes(r.Media[:])
	b.AddUint32(r.First)
	b.AddUint16(r.Count)
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(r.Grant) })
	return b.BytesOrPanic()
}

// ParseFetchRequest decodes a fetch request body.
func ParseFetchRequest(data []byte) (*FetchRequest, error) {
	s := cryptobyte.String(data)
	r := &FetchRequest{}
	var grant cryptobyte.String
	if !s.CopyBytes(r.Media[:]) || !s.ReadUint32(&r.First) || !s.ReadUint16(&r.Count) ||
		!s.ReadUint16LengthPrefixed(&grant) || !s.Empty() || len(grant) > maxGrantSize {
		return nil, errMalformed
	}
	if r.Count == 0 || r.Count > MaxChunksPerFetch {
		return nil, errMalformed
	}
	r.Grant = []byte(grant)
	return r, nil
}

// FetchResponse announces how many chunk records follow. The server may
// end the answer early with one more response record for the same request
// carrying a non-OK status (a stored chunk that failed its integrity
// check, a license revoked during the play); nothing follows that record.
// A client that sees the answer end without it fails closed.
type FetchResponse struct{ Count uint16 }

// Marshal encodes the response body.
func (r *FetchResponse) Marshal() []byte {
	b := cryptobyte.NewBuilder(nil)
	b.AddUint16(r.Count)
	return b.BytesOrPanic()
}

// ParseFetchResponse decodes a fetch response body.
func ParseFetchResponse(data []byte) (*FetchResponse, error) {
	s := cryptobyte.String(data)
	r := &FetchResponse{}
	if !s.ReadUint16(&r.Count) || !s.Empty() || r.Count > MaxChunksPerFetch {
		return nil, errMalformed
	}
	return r, nil
}

// FetchEnd is the body of the response record that ends a fetch answer
// early. Next is the index of the first chunk not sent: the client checks
// it against the chunks it received, so a man in the middle who drops
// chunk records cannot pass the omission off as the server's reason
// (DESIGN.md §2.2: an omission fails closed). Refunded says that the
// server failed the play (an at-rest integrity failure, an unavailable
// chunk) and restored its view (DESIGN.md §7); Offer is the renewal offer
// of a StatusPaymentRequired end (a period that ended mid-play), as in an
// ErrorBody.
type FetchEnd struct {
	Next     uint32
	Refunded bool
	Message  string
	Offer    []byte
}

// fetchEndRefunded is FetchEnd's flag bit for Refunded.
const fetchEndRefunded = 1

// Marshal encodes next ‖ flags ‖ message<0..2^16-1> ‖ offer<0..2^16-1>.
func (e *FetchEnd) Marshal() []byte {
	b := cryptobyte.NewBuilder(nil)
	b.AddUint32(e.Next)
	var flags uint8
	if e.Refunded {
		flags |= fetchEndRefunded
	}
	b.AddUint8(flags)
	addString16(b, truncateUTF8(e.Message, maxMessage))
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(e.Offer) })
	return b.BytesOrPanic()
}

// ParseFetchEnd decodes the body.
func ParseFetchEnd(data []byte) (*FetchEnd, error) {
	s := cryptobyte.String(data)
	e := &FetchEnd{}
	var flags uint8
	var offer cryptobyte.String
	if !s.ReadUint32(&e.Next) || !s.ReadUint8(&flags) || flags&^fetchEndRefunded != 0 ||
		!readString16(&s, &e.Message, maxMessage) || !s.ReadUint16LengthPrefixed(&offer) || !s.Empty() {
		return nil, errMalformed
	}
	e.Refunded, e.Offer = flags&fetchEndRefunded != 0, []byte(offer)
	return e, nil
}

// ErrorBody is the body of a non-OK response: a message for the viewer
// and, for StatusPaymentRequired, a renewal offer.
type ErrorBody struct {
	Message string
	// Offer is an opaque renewal offer (license layer), possibly empty.
	Offer []byte
}

// Marshal encodes the error body.
func (e *ErrorBody) Marshal() []byte {
	b := cryptobyte.NewBuilder(nil)
	addString16(b, truncateUTF8(e.Message, maxMessage))
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(e.Offer) })
	return b.BytesOrPanic()
}

// ParseErrorBody decodes an error body.
func ParseErrorBody(data []byte) (*ErrorBody, error) {
	s := cryptobyte.String(data)
	e := &ErrorBody{}
	var offer cryptobyte.String
	if !readString16(&s, &e.Message, maxMessage) || !s.ReadUint16LengthPrefixed(&offer) || !s.Empty() {
		return nil, errMalformed
	}
	e.Offer = []byte(offer)
	return e, nil
}

func addString16(b *cryptobyte.Builder, v string) {
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes([]byte(v)) })
}

func addString8(b *cryptobyte.Builder, v string) {
	v = truncateUTF8(v, maxTypeLen)
	b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes([]byte(v)) })
}

func readString16(s *cryptobyte.String, out *string, max int) bool {
	var v cryptobyte.String
	if !s.ReadUint16LengthPrefixed(&v) || len(v) > max || !utf8.Valid(v) {
		return false
	}
	*out = string(v)
	return true
}

func readString8(s *cryptobyte.String, out *string) bool {
	var v cryptobyte.String
	if !s.ReadUint8LengthPrefixed(&v) || !utf8.Valid(v) {
		return false
	}
	*out = string(v)
	return true
}

// truncateUTF8 cuts v to at most n bytes without splitting a character.
func truncateUTF8(v string, n int) string {
	if len(v) <= n {
		return v
	}
	for n > 0 && !utf8.RuneStart(v[n]) {
		n--
	}
	return v[:n]
}
