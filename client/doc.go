// Package client is the viewer's side of securemedia: it runs the handshake
// over HTTP, then performs operations as records on the session's endpoint
// (catalog, info, fetch, rekey, close) and plays a media item as a verified
// byte stream into any io.Writer (a player's stdin, or stdout). Every play
// verifies the item's signed manifest with Config.VerifyContent and checks
// each chunk against it (package content) before the chunk reaches the
// sink; play.go is that path, step by step: one goroutine reads and opens
// the next chunk record of a fetch answer while the chunk before it is
// checked and written, strictly in order, in a ring of three buffers. It
// never writes media or key material to disk (DESIGN.md §2.4).
//
// Any failure of the channel (a record that does not authenticate, a
// response that answers another request, omitted chunk records, an HTTP
// 4xx) is fatal: the client stops, tells the server to close the session
// with an authenticated close when it still can, and erases its keys (an
// ErrChannel). A fault of the transport under it (the connection lost, an
// answer cut short or stalled, a server that lost the session or is
// unavailable) is an ErrTransport: PlayWithLicense recovers from it by
// resuming the play (resume.go) so that the sink sees one uninterrupted,
// verified stream, and licenses.go holds the license operations.
package client
