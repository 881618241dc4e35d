package license

import (
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"time"

	"golang.org/x/crypto/cryptobyte"

	"securemedia/internal/signature"
)

// Token wire format (DESIGN.md §7): a TokenBody in the signed envelope
// of package signature (the format content manifests use too), all
// integers big-endian:
//
//	struct {
//	    uint8  version = 2;
//	    opaque license_id<1..2^8-1>;
//	    opaque user_id<1..2^8-1>;
//	    opaque media_id<1..2^8-1>;
//	    uint32 views;              // 0 = unlimited
//	    uint64 period_ns;          // 0 = none
//	    uint32 views_left;         // at issue; 2^32-1 = unlimited
//	    int64  issued_at_unix_ns;
//	    int64  expires_at_unix_ns; // 0 = none
//	    int64  signed_at_unix_ns;
//	} TokenBody;
//
// The envelope carries the signer chain and a signature under the context
// tokenContext. (Version 1 carried the chain inside the body, in a format
// of its own.)
const (
	tokenVersion = 2
	// tokenContext names the purpose of token signatures.
	tokenContext = "securemedia v1 license"
	// unlimitedViews encodes "no view limit" in views_left.
	unlimitedViews = 1<<32 - 1
)

// Implementation limits of the token decoder.
const (
	// MaxTokenSize bounds a whole token.
	MaxTokenSize = 32 << 10
	// maxChainCerts bounds the certificates a token may carry.
	maxChainCerts = 4
)

// tokenLimits bound the signed envelope of a token.
var tokenLimits = signature.EnvelopeLimits{MaxLen: MaxTokenSize, MaxChain: maxChainCerts}

// ErrBadToken is returned for every token that does not decode or verify.
var ErrBadToken = errors.New("license: invalid license token")

// Token is a verified license token: what the server attested about a
// license when it started a play. The client keeps it in memory only.
type Token struct {
	LicenseID string
	UserID    string
	MediaID   string
	Policy    Policy
	// ViewsLeftAtIssue is the views left after the play that issued the
	// token, or -1 when views are unlimited.
	ViewsLeftAtIssue int
	IssuedAt         time.Time
	ExpiresAt        time.Time
	SignedAt         time.Time
	// Signer is the verified license-signing certificate.
	Signer *x509.Certificate
}

// SignToken encodes l and signs it with the license-signing key; chain is
// the signer's certificate chain (DER, leaf first), carried in the token.
func SignToken(l License, signer crypto.Signer, chain [][]byte, now time.Time) ([]byte, error) {
	if err := checkTokenFields(l); err != nil {
		return nil, err
	}
	var b cryptobyte.Builder
	b.AddUint8(tokenVersion)
	addString8(&b, l.ID)
	addString8(&b, l.UserID)
	addString8(&b, l.MediaID)
	b.AddUint32(uint32(l.Policy.Views))
	b.AddUint64(uint64(l.Policy.Period))
	left := uint32(unlimitedViews)
	if v := l.ViewsLeft(); v >= 0 {
		left = uint32(v)
	}
	b.AddUint32(left)
	b.AddUint64(uint64(unixNano(l.IssuedAt)))
	b.AddUint64(uint64(unixNano(l.ExpiresAt)))
	b.AddUint64(uint64(now.UnixNano()))
	body, err := b.Bytes()
	if err != nil {
		return nil, fmt.Errorf("license: encode token: %w", err)
	}
	tok, err := signature.SignEnvelope(signer, tokenContext, body, chain, tokenLimits)
	if err != nil {
		return nil, fmt.Errorf("license: sign token: %w", err)
	}
	return tok, nil
}

func checkTokenFields(l License) error {
	for _, f := range []struct{ name, v string }{{"license id", l.ID}, {"user id", l.UserID}, {"media id", l.MediaID}} {
		if err := checkID(f.name, f.v); err != nil {
			return err
		}
	}
	return l.Policy.Validate()
}

// VerifyToken decodes tok strictly, validates the carried chain with
// verifyChain (which returns the verified leaf: the caller checks the trust
// anchors, revocation and the license-signing key usage) and checks the
// signature with the leaf's key; only then is the body decoded. Every
// failure is ErrBadToken; an error of verifyChain is wrapped too.
func VerifyToken(tok []byte, verifyChain func(chain [][]byte) (*x509.Certificate, error)) (*Token, error) {
	e, err := signature.ParseEnvelope(tok, tokenLimits)
	if err != nil {
		return nil, ErrBadToken
	}
	leaf, err := e.Verify(tokenContext, verifyChain)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadToken, err)
	}
	t, err := parseTokenBody(e.Body)
	if err != nil {
		return nil, err
	}
	t.Signer = leaf
	return t, nil
}

// parseTokenBody decodes a TokenBody; it accepts only the exact encoding
// SignToken produces.
func parseTokenBody(b []byte) (*Token, error) {
	body := cryptobyte.String(b)
	var (
		t                          Token
		version                    uint8
		lid, uid, mid              cryptobyte.String
		views, left                uint32
		period, issued, exp, signd uint64
	)
	if !body.ReadUint8(&version) || version != tokenVersion ||
		!body.ReadUint8LengthPrefixed(&lid) || !body.ReadUint8LengthPrefixed(&uid) ||
		!body.ReadUint8LengthPrefixed(&mid) || !body.ReadUint32(&views) ||
		!body.ReadUint64(&period) || !body.ReadUint32(&left) ||
		!body.ReadUint64(&issued) || !body.ReadUint64(&exp) || !body.ReadUint64(&signd) || !body.Empty() {
		return nil, ErrBadToken
	}
	t.LicenseID, t.UserID, t.MediaID = string(lid), string(uid), string(mid)
	if t.LicenseID == "" || t.UserID == "" || t.MediaID == "" {
		return nil, ErrBadToken
	}
	if views > MaxViews || period > uint64(MaxPeriod) {
		return nil, ErrBadToken
	}
	t.Policy = Policy{Views: int(views), Period: time.Duration(period)}
	if t.Policy.Validate() != nil {
		return nil, ErrBadToken
	}
	switch {
	case left == unlimitedViews && views == 0:
		t.ViewsLeftAtIssue = -1
	case left <= views && views != 0:
		t.ViewsLeftAtIssue = int(left)
	default:
		return nil, ErrBadToken
	}
	t.IssuedAt = fromUnixNano(int64(issued))
	t.ExpiresAt = fromUnixNano(int64(exp))
	t.SignedAt = fromUnixNano(int64(signd))
	return &t, nil
}

func addString8(b *cryptobyte.Builder, s string) {
	b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes([]byte(s)) })
}

// unixNano encodes a time for storage and tokens: the zero time is 0.
func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

// fromUnixNano is the inverse of unixNano, in UTC.
func fromUnixNano(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// UnixNano encodes a time as stores keep it: nanoseconds since the Unix
// epoch, with 0 for the zero time.
func UnixNano(t time.Time) int64 { return unixNano(t) }

// FromUnixNano decodes a time stored by UnixNano, in UTC.
func FromUnixNano(n int64) time.Time { return fromUnixNano(n) }
