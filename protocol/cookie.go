package protocol

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
)

// A cookie (DESIGN.md §4 "Admission") lets a server under load answer a
// hello with a HelloRetryRequest and nothing else: no allocation, no key
// exchange, no signature. Only a client that comes back from the same
// address, soon, with the same first ClientHello gets the expensive answer.
// The server keeps no state: the cookie is a MAC under its cookie key.
//
//	cookie = tick ‖ HMAC-SHA-256(CookieKey, "securemedia v1 cookie" ‖ 0x00 ‖
//	         tick ‖ uint16(len(client)) ‖ client ‖ SHA-256(first ClientHello) ‖
//	         suite ‖ group)
//
// tick is a big-endian uint32, the Unix time divided by cookieTick; client
// is the client's address as the server sees it (opaque here); the first
// ClientHello is hashed framed, as sent; suite and group are the
// HelloRetryRequest's, big-endian uint16. The cookie is opaque to the
// client, which echoes the HelloRetryRequest as it received it.

// ErrCookieRejected is a retry flight whose cookie does not verify: made
// for another address, another first hello, under another key (another
// replica's), or too old. The client starts over with a fresh hello.
var ErrCookieRejected = errors.New("cookie rejected")

// cookieMAC computes the MAC of a cookie issued at tick.
func (cfg *Config) cookieMAC(tick uint32, client, firstHello []byte, s SuiteID, g GroupID) ([]byte, error) {
	if len(cfg.CookieKey) < MinCookieKeySize {
		return nil, fmt.Errorf("protocol: cookie key of %d bytes, want at least %d", len(cfg.CookieKey), MinCookieKeySize)
	}
	if len(client) > 0xffff {
		return nil, errors.New("protocol: client address too long for a cookie")
	}
	var fixed [4 + 2]byte
	m := hmac.New(sha256.New, cfg.CookieKey)
	m.Write([]byte(contextCookie))
	m.Write([]byte{0})
	binary.BigEndian.PutUint32(fixed[:4], tick)
	binary.BigEndian.PutUint16(fixed[4:], uint16(len(client)))
	m.Write(fixed[:])
	m.Write(client)
	h := sha256.Sum256(firstHello)
	m.Write(h[:])
	binary.BigEndian.PutUint16(fixed[:2], uint16(s))
	binary.BigEndian.PutUint16(fixed[2:4], uint16(g))
	m.Write(fixed[:4])
	return m.Sum(nil), nil
}

// cookieTickNow is the tick of the current time.
func (cfg *Config) cookieTickNow() uint32 {
	return uint32(cfg.now().Unix() / int64(cookieTick.Seconds()))
}

// makeCookie issues a cookie for the client at the current tick.
func (cfg *Config) makeCookie(client, firstHello []byte, s SuiteID, g GroupID) ([]byte, error) {
	tick := cfg.cookieTickNow()
	mac, err := cfg.cookieMAC(tick, client, firstHello, s, g)
	if err != nil {
		return nil, err
	}
	out := binary.BigEndian.AppendUint32(make([]byte, 0, cookieSize), tick)
	return append(out, mac...), nil
}

// checkCookie verifies a cookie in constant time and its age.
func (cfg *Config) checkCookie(cookie, client, firstHello []byte, s SuiteID, g GroupID) error {
	if len(cookie) != cookieSize {
		return &Error{Code: AlertHandshakeFailure, Err: ErrCookieRejected}
	}
	tick := binary.BigEndian.Uint32(cookie)
	now := cfg.cookieTickNow()
	if tick > now || now-tick > cookieMaxTicks {
		return &Error{Code: AlertHandshakeFailure, Err: ErrCookieRejected}
	}
	want, err := cfg.cookieMAC(tick, client, firstHello, s, g)
	if err != nil {
		return &Error{Code: AlertHandshakeFailure, Err: ErrCookieRejected}
	}
	if !hmac.Equal(want, cookie[4:]) {
		return &Error{Code: AlertHandshakeFailure, Err: ErrCookieRejected}
	}
	return nil
}
