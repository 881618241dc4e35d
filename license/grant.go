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
//	    uint8  version;            // 2: a play grant; 1: a license grant
//	    opaque id<1..2^8-1>;       // version 2: the play id; 1: the license id
//	    opaque media_id<1..2^8-1>;
//	    opaque session_id<1..2^8-1>;
//	    int64  expires_unix_ns;
//	    opaque mac[32];  // HMAC-SHA256(grant key, grantContext ‖ all of the above)
//	} PlayGrant;
//
// A version 2 grant names the durable play whose state the store keeps
// (Service.Authorize); version 1 names a license only (Service.CheckChunk,
// for plays that consume their view when they start).
const (
	grantVersionLicense = 1
	grantVersionPlay    = 2
	grantContext        = "securemedia v1 play grant"
	grantKeySize        = 32
	grantMACSize        = sha256.Size
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

// Issue makes a license grant for one play of mediaID under licenseID
// within the session sessionID, valid until expires. Inputs come from the
// server's own state; identifiers longer than MaxIDLen produce a grant that
// never checks.
func (g *Grants) Issue(sessionID []byte, mediaID, licenseID string, expires time.Time) []byte {
	return g.issue(grantVersionLicense, sessionID, mediaID, licenseID, expires)
}

// IssuePlay makes a grant for the play playID of mediaID carried by the
// session sessionID, valid until expires (the play's window).
func (g *Grants) IssuePlay(sessionID []byte, mediaID, playID string, expires time.Time) []byte {
	return g.issue(grantVersionPlay, sessionID, mediaID, playID, expires)
}

func (g *Grants) issue(version uint8, sessionID []byte, mediaID, id string, expires time.Time) []byte {
	var b cryptobyte.Builder
	b.AddUint8(version)
	addString8(&b, id)
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

// Check verifies a license grant for a chunk of mediaID in session
// sessionID at now and returns the license it was issued under. Every
// refusal is ErrBadGrant.
func (g *Grants) Check(grant, sessionID []byte, mediaID string, now time.Time) (string, error) {
	id, expires, err := g.check(grantVersionLicense, grant, sessionID, mediaID)
	if err != nil || !now.Before(expires) {
		return "", ErrBadGrant
	}
	return id, nil
}

// CheckPlay verifies a play grant for mediaID in session sessionID and
// returns the play it names. It does not look at the grant's expiry: the
// play's window is the store's Play.ExpiresAt, which Service.Authorize
// checks after the license's own period, so that a period that ended
// mid-play is reported as such. Every refusal is ErrBadGrant.
func (g *Grants) CheckPlay(grant, sessionID []byte, mediaID string) (string, error) {
	id, _, err := g.check(grantVersionPlay, grant, sessionID, mediaID)
	return id, err
}

// check authenticates a grant of the given version and its binding to the
// session and media, and returns its id and expiry.
func (g *Grants) check(version uint8, grant, sessionID []byte, mediaID string) (string, time.Time, error) {
	if len(grant) < 1+grantMACSize || len(grant) > MaxGrantSize {
		return "", time.Time{}, ErrBadGrant
	}
	body, mac := grant[:len(grant)-grantMACSize], grant[len(grant)-grantMACSize:]
	if !hmac.Equal(mac, g.mac(body)) {
		return "", time.Time{}, ErrBadGrant
	}
	s := cryptobyte.String(body)
	var (
		v            uint8
		id, mid, sid cryptobyte.String
		expires      uint64
	)
	if !s.ReadUint8(&v) || v != version ||
		!s.ReadUint8LengthPrefixed(&id) || !s.ReadUint8LengthPrefixed(&mid) ||
		!s.ReadUint8LengthPrefixed(&sid) || !s.ReadUint64(&expires) || !s.Empty() {
		return "", time.Time{}, ErrBadGrant
	}
	sessionOK := subtle.ConstantTimeCompare(sid, sessionID) == 1
	mediaOK := subtle.ConstantTimeCompare(mid, []byte(mediaID)) == 1
	if !sessionOK || !mediaOK || len(id) == 0 {
		return "", time.Time{}, ErrBadGrant
	}
	return string(id), time.Unix(0, int64(expires)), nil
}

func (g *Grants) mac(body []byte) []byte {
	h := hmac.New(sha256.New, g.key[:])
	h.Write([]byte(grantContext))
	h.Write(body)
	return h.Sum(nil)
}
