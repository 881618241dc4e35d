// Package token gives the rest of securemedia a user's signing key on a
// hardware token: a national identity card (the Portuguese Citizen Card
// through its PKCS#11 middleware) or any PKCS#11 token named by an RFC 7512
// URI, and a software token for machines without a PKCS#11 module.
//
// It sits at the user-authentication step of the handshake (DESIGN.md §4 and
// §6): the client opens a Session after a PIN, and the handshake signs its
// transcript hash with Session.Signer and sends Session.Chain; the server
// validates that chain against the citizen trust anchors. The package never
// reads private key values: keys are generated on the token and stay there.
//
// The media store's key-encryption key can live on a token too (OpenKEK).
// This package only reads tokens; making them (demo identity cards, the
// throwaway citizen CA, the KEK) is securemedia/token/provision's job.
package token
