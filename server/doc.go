// Package server is the HTTP face of securemedia (DESIGN.md §4 "Over
// HTTP"): the handshake endpoints, one encrypted endpoint per session, the
// session table with its limits, and the wiring from server.toml.
//
// Routes:
//
//	POST /v1/handshake               hello flight → server flight (or a retry), in clear
//	POST /v1/session/{id}/finish     client finish record → server Finished record
//	POST /v1/session/{id}            one request record → response record (+ chunk records)
//
// A URL shows only the random session id; everything else travels inside
// records. Errors before a session exists are RFC 9457 problem documents.
// Any record that fails authentication, framing or the replay window gets
// the same 400 problem, and changes nothing on the server: someone who
// knows only a session id achieves nothing (DESIGN.md §2). The client
// treats such an answer as fatal and closes the session itself.
package server
