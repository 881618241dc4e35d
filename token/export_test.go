package token

// Internals for the tests of package token_test, which make their tokens
// with securemedia/token/provision (a package that imports this one, so
// they cannot live in package token).

// The layout of a wrapped key, and the longest KEK label.
const (
	KEKIVSize   = kekIVSize
	KEKTagSize  = kekTagSize
	MaxKEKLabel = maxKEKLabel
)

// CloseSessionUnder closes s's PKCS#11 session under it, as a middleware
// does when the card is pulled.
func CloseSessionUnder(s *Session) error {
	s.m.lock()
	defer s.m.unlock()
	return s.m.ctx.CloseSession(s.sh)
}

// CloseAllSessionsUnder closes every session of s's slot under it.
func CloseAllSessionsUnder(s *Session) error {
	s.m.lock()
	defer s.m.unlock()
	return s.m.ctx.CloseAllSessions(s.slot)
}
