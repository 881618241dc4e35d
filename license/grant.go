package license

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"io"
	"time"

	"golang.org/x/crypto/cryptobyte"
)

// Grant wire format: an opaque value the server hands out when a play
// starts and checks on every chunk request.
//
//	struct {
//	    uint8  version = 1;
//	    opaque license_id<1..2^8-1>;
//	    opaque media_id<1..2^8-1>;
//	    opaque session_id<1..2^8-1>;
//	    int64  expires_unix_ns;
//	    opaque mac[32];  // HMAC-SHA256(grant key, grantContext ‖ all of the above)
//	} PlayGrant;
const (
	grantVersion = 1
	grantContext = "securemedia v1 play grant"
	grantKeySize = 32
	grantMACSize = sha256.Size
	// MaxGrantSize bounds a grant presented by a client.
	MaxGrantSize = 1 + 3*(1+MaxIDLen) + 8 + grantMACSize
)

// Grants issues and checks play grants. The HMAC key is random, made at
// server start and kept in memory only, so a grant dies with the server
// process; replicas each check the grants they issued (sessions are pinned
// to one replica).
type Grants struct {
	key [grantKeySize]byte
}

// NewGrants draws a fresh grant key from rand (crypto/rand.Reader in
// production).
func NewGrants(rand io.Reader) (*Grants, error) {
	g := &Grants{}
	if _, err := io.ReadFull(rand, g.key[:]); err != nil {
		return nil, fmt.Errorf("license: grant key: %w", err)
	}
	return g, nil
}

// Issue makes a grant for one play of mediaID under licenseID within the
// session sessionID, valid until expires. Inputs come from the server's own
// state; identifiers longer than MaxIDLen produce a grant that never checks.
func (g *Grants) Issue(sessionID []byte, mediaID, licenseID string, expires time.Time) []byte {
	var b cryptobyte.Builder
	b.AddUint8(grantVersion)
	addString8(&b, licenseID)
	addString8(&b, mediaID)
	b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(sessionID) })
	b.AddUint64(uint64(expires.UnixNano()))
	body, err := b.Bytes()
	if err != nil {
		// Only oversized identifiers get here; such a grant must not verify.
		return nil
	}
	return append(body, g.mac(body)...)
}

// Check verifies a grant for a chunk of mediaID in session sessionID at now
// and returns the license it was issued under. Every refusal is ErrBadGrant.
func (g *Grants) Check(grant, sessionID []byte, mediaID string, now time.Time) (string, error) {
	if len(grant) < 1+grantMACSize || len(grant) > MaxGrantSize {
		return "", ErrBadGrant
	}
	body, mac := grant[:len(grant)-grantMACSize], grant[len(grant)-grantMACSize:]
	if !hmac.Equal(mac, g.mac(body)) {
		return "", ErrBadGrant
	}
	s := cryptobyte.String(body)
	var (
		version       uint8
		lid, mid, sid cryptobyte.String
		expires       uint64
	)
	if !s.ReadUint8(&version) || version != grantVersion ||
		!s.ReadUint8LengthPrefixed(&lid) || !s.ReadUint8LengthPrefixed(&mid) ||
		!s.ReadUint8LengthPrefixed(&sid) || !s.ReadUint64(&expires) || !s.Empty() {
		return "", ErrBadGrant
	}
	sessionOK := subtle.ConstantTimeCompare(sid, sessionID) == 1
	mediaOK := subtle.ConstantTimeCompare(mid, []byte(mediaID)) == 1
	if !sessionOK || !mediaOK || len(lid) == 0 || !now.Before(time.Unix(0, int64(expires))) {
		return "", ErrBadGrant
	}
	return string(lid), nil
}

func (g *Grants) mac(body []byte) []byte {
	h := hmac.New(sha256.New, g.key[:])
	h.Write([]byte(grantContext))
	h.Write(body)
	return h.Sum(nil)
}
