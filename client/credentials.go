package client

import (
	"securemedia/protocol"
	"securemedia/token"
)

// UserCredentials are the handshake's user credentials from an opened
// token: its chain and signer, with RSA PKCS#1 v1.5 allowed only for a
// token that cannot sign with RSA-PSS (identity cards, DESIGN.md §4).
func UserCredentials(a token.Authenticator) *protocol.UserCredentials {
	return &protocol.UserCredentials{Chain: a.Chain(), Signer: a.Signer(), AllowPKCS1: !a.SupportsPSS()}
}
