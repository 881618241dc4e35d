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
// and, on the admin listener (AdminHandler; loopback or a private
// interface): GET /healthz, /readyz, /metrics.
//
// {id} is the random session id in hex, prefixed with the replica's name
// and a dot when the server has one (Config.Replica, DESIGN.md §10), so
// that a balancer routes a session to its replica by path. A URL shows
// only that; everything else travels inside records.
//
// Admission comes before any work (DESIGN.md §4 "Admission"): a hello is
// read (parsed, negotiated, its cookie's MAC checked), then the caps of
// the session table decide: refused (429 with Retry-After), challenged
// under load (a HelloRetryRequest carrying a cookie; nothing is kept or
// signed), or admitted, and only then does the server run its key
// exchange and sign. A full half-open table makes room for a client below
// its fair share by evicting the oldest half-open session of the heaviest
// client; established sessions are capped per user and per device, the
// oldest closed beyond. Errors before a session exists are RFC 9457 problem documents.
// Any record that fails authentication, framing or the replay window gets
// the same 400 problem, and changes nothing on the server: someone who
// knows only a session id achieves nothing (DESIGN.md §2). The client
// treats such an answer as fatal and closes the session itself. A session
// the server closed under a request (a cap, a revocation: Revalidate) is
// answered 404, a lost session the client recovers from; a draining
// replica (Drain) answers "go elsewhere" inside the channel.
package server
