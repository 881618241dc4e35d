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

// Token wire format (DESIGN.md §7), all integers big-endian:
//
//	struct {
//	    uint8  version = 1;
//	    opaque license_id<1..2^8-1>;
//	    opaque user_id<1..2^8-1>;
//	    opaque media_id<1..2^8-1>;
//	    uint32 views;              // 0 = unlimited
//	    uint64 period_ns;          // 0 = none
//	    uint32 views_left;         // at issue; 2^32-1 = unlimited
//	    int64  issued_at_unix_ns;
//	    int64  expires_at_unix_ns; // 0 = none
//	    int64  signed_at_unix_ns;
//	    opaque chain<1..2^24-1>;   // opaque cert<1..2^24-1> list, leaf first
//	} TokenBody;
//	struct {
//	    opaque body<1..2^16-1>;    // TokenBody
//	    uint16 scheme;             // signature.Scheme
//	    opaque signature<1..2^16-1>;
//	} LicenseToken;
//
// The signature covers the body under the context tokenContext.
const (
	tokenVersion = 1
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

// rawToken is a decoded but unverified token.
type rawToken struct {
	Token
	chain  [][]byte
	body   []byte
	scheme signature.Scheme
	sig    []byte
}

// SignToken encodes l and signs it with the license-signing key; chain is
// the signer's certificate chain (DER, leaf first), carried in the token.
func SignToken(l License, signer crypto.Signer, chain [][]byte, now time.Time) ([]byte, error) {
	if err := checkTokenFields(l, chain); err != nil {
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
	b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) {
		for _, c := range chain {
			b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(c) })
		}
	})
	body, err := b.Bytes()
	if err != nil {
		return nil, fmt.Errorf("license: encode token: %w", err)
	}
	scheme, sig, err := signature.Sign(signer, tokenContext, body, signature.Options{})
	if err != nil {
		return nil, fmt.Errorf("license: sign token: %w", err)
	}
	var t cryptobyte.Builder
	t.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(body) })
	t.AddUint16(uint16(scheme))
	t.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(sig) })
	out, err := t.Bytes()
	if err != nil {
		return nil, fmt.Errorf("license: encode token: %w", err)
	}
	if len(out) > MaxTokenSize {
		return nil, fmt.Errorf("license: token of %d bytes exceeds %d", len(out), MaxTokenSize)
	}
	return out, nil
}

func checkTokenFields(l License, chain [][]byte) error {
	for _, f := range []struct{ name, v string }{{"license id", l.ID}, {"user id", l.UserID}, {"media id", l.MediaID}} {
		if err := checkID(f.name, f.v); err != nil {
			return err
		}
	}
	if err := l.Policy.Validate(); err != nil {
		return err
	}
	if len(chain) == 0 || len(chain) > maxChainCerts {
		return fmt.Errorf("license: token chain of %d certificates (want 1..%d)", len(chain), maxChainCerts)
	}
	return nil
}

// VerifyToken decodes tok strictly, validates the carried chain with
// verifyChain (which returns the verified leaf: the caller checks the trust
// anchors, revocation and the license-signing key usage) and checks the
// signature with the leaf's key. Every failure of the token itself is
// ErrBadToken; an error of verifyChain is wrapped.
func VerifyToken(tok []byte, verifyChain func(chain [][]byte) (*x509.Certificate, error)) (*Token, error) {
	raw, err := decodeToken(tok)
	if err != nil {
		return nil, err
	}
	leaf, err := verifyChain(raw.chain)
	if err != nil {
		return nil, fmt.Errorf("license: token signer: %w", err)
	}
	if leaf == nil {
		return nil, fmt.Errorf("license: token signer: no certificate: %w", ErrBadToken)
	}
	if err := signature.Verify(leaf.PublicKey, raw.scheme, tokenContext, raw.body, raw.sig, false); err != nil {
		return nil, ErrBadToken
	}
	t := raw.Token
	t.Signer = leaf
	return &t, nil
}

// decodeToken parses a token without verifying it; it accepts only the
// exact encoding SignToken produces.
func decodeToken(tok []byte) (*rawToken, error) {
	if len(tok) > MaxTokenSize {
		return nil, ErrBadToken
	}
	s := cryptobyte.String(tok)
	var raw rawToken
	var body, sig cryptobyte.String
	var scheme uint16
	if !s.ReadUint16LengthPrefixed(&body) || !s.ReadUint16(&scheme) ||
		!s.ReadUint16LengthPrefixed(&sig) || !s.Empty() || len(sig) == 0 {
		return nil, ErrBadToken
	}
	raw.body, raw.scheme, raw.sig = body, signature.Scheme(scheme), sig

	var (
		version                    uint8
		lid, uid, mid              cryptobyte.String
		views, left                uint32
		period, issued, exp, signd uint64
		chain                      cryptobyte.String
	)
	if !body.ReadUint8(&version) || version != tokenVersion ||
		!body.ReadUint8LengthPrefixed(&lid) || !body.ReadUint8LengthPrefixed(&uid) ||
		!body.ReadUint8LengthPrefixed(&mid) || !body.ReadUint32(&views) ||
		!body.ReadUint64(&period) || !body.ReadUint32(&left) ||
		!body.ReadUint64(&issued) || !body.ReadUint64(&exp) || !body.ReadUint64(&signd) ||
		!body.ReadUint24LengthPrefixed(&chain) || !body.Empty() {
		return nil, ErrBadToken
	}
	raw.LicenseID, raw.UserID, raw.MediaID = string(lid), string(uid), string(mid)
	if raw.LicenseID == "" || raw.UserID == "" || raw.MediaID == "" {
		return nil, ErrBadToken
	}
	if views > MaxViews || period > uint64(MaxPeriod) {
		return nil, ErrBadToken
	}
	raw.Policy = Policy{Views: int(views), Period: time.Duration(period)}
	if raw.Policy.Validate() != nil {
		return nil, ErrBadToken
	}
	switch {
	case left == unlimitedViews && views == 0:
		raw.ViewsLeftAtIssue = -1
	case left <= views && views != 0:
		raw.ViewsLeftAtIssue = int(left)
	default:
		return nil, ErrBadToken
	}
	raw.IssuedAt = fromUnixNano(int64(issued))
	raw.ExpiresAt = fromUnixNano(int64(exp))
	raw.SignedAt = fromUnixNano(int64(signd))
	for !chain.Empty() {
		var cert cryptobyte.String
		if !chain.ReadUint24LengthPrefixed(&cert) || len(cert) == 0 || len(raw.chain) == maxChainCerts {
			return nil, ErrBadToken
		}
		raw.chain = append(raw.chain, cert)
	}
	if len(raw.chain) == 0 {
		return nil, ErrBadToken
	}
	return &raw, nil
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
