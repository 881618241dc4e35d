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
// starts and checks on every fetch.
//
//	struct {
//	    uint8  version;            // 2
//	    opaque play_id<1..2^8-1>;
//	    opaque media_id<1..2^8-1>;
//	    opaque session_id<1..2^8-1>;
//	    int64  expires_unix_ns;
//	    opaque mac[32];  // HMAC-SHA256(grant key, grantContext ‖ all of the above)
//	} PlayGrant;
//
// A grant names the durable play whose state the store keeps
// (Service.Authorize). Version 1 named a license, for plays that consumed
// their view when they started; it is no longer issued or accepted.
const (
	grantVersionPlay = 2
	grantContext     = "securemedia v1 play grant"
	grantKeySize     = 32
	grantMACSize     = sha256.Size
	// MaxGrantSize bounds a grant presented by a client.
	MaxGrantSize = 1 + 3*(1+MaxIDLen) + 8 + grantMACSize
)

// Grants issues and checks play grants. The HMAC key is random, made at
// server start and kept in memory only, so a grant dies with the server
// process; replicas each check the grants they issued (sessions are pinned
// to one replica), and a play outlives its grant through its resume
// ticket.
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

// IssuePlay makes a grant for the play playID of mediaID carried by the
// session sessionID, valid until expires (the play's window).
func (g *Grants) IssuePlay(sessionID []byte, mediaID, playID string, expires time.Time) []byte {
	var b cryptobyte.Builder
	b.AddUint8(grantVersionPlay)
	addString8(&b, playID)
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

// CheckPlay verifies a play grant for mediaID in session sessionID and
// returns the play it names. It does not look at the grant's expiry: the
// play's window is the store's Play.ExpiresAt, which Service.Authorize
// checks after the license's own period, so that a period that ended
// mid-play is reported as such. Every refusal is ErrBadGrant.
func (g *Grants) CheckPlay(grant, sessionID []byte, mediaID string) (string, error) {
	if len(grant) < 1+grantMACSize || len(grant) > MaxGrantSize {
		return "", ErrBadGrant
	}
	body, mac := grant[:len(grant)-grantMACSize], grant[len(grant)-grantMACSize:]
	if !hmac.Equal(mac, g.mac(body)) {
		return "", ErrBadGrant
	}
	s := cryptobyte.String(body)
	var (
		v            uint8
		id, mid, sid cryptobyte.String
		expires      uint64
	)
	if !s.ReadUint8(&v) || v != grantVersionPlay ||
		!s.ReadUint8LengthPrefixed(&id) || !s.ReadUint8LengthPrefixed(&mid) ||
		!s.ReadUint8LengthPrefixed(&sid) || !s.ReadUint64(&expires) || !s.Empty() {
		return "", ErrBadGrant
	}
	sessionOK := subtle.ConstantTimeCompare(sid, sessionID) == 1
	mediaOK := subtle.ConstantTimeCompare(mid, []byte(mediaID)) == 1
	if !sessionOK || !mediaOK || len(id) == 0 {
		return "", ErrBadGrant
	}
	return string(id), nil
}

func (g *Grants) mac(body []byte) []byte {
	h := hmac.New(sha256.New, g.key[:])
	h.Write([]byte(grantContext))
	h.Write(body)
	return h.Sum(nil)
}
