// Package license is the rights layer of securemedia (DESIGN.md §7): who may
// play what, how many times and until when.
//
// It sits between the session protocol and the media store. When a viewer
// starts a play, the server calls Service.Play, which issues a license on the
// first play (per the media's policy), consumes one view atomically in the
// Store, and returns a play grant bound to the session and the media plus a
// license token signed by the license-signing key. Every chunk request then
// goes through Service.CheckChunk, so a revoked or expired license stops a
// play at its next chunk. An exhausted or expired license answers with a
// *PaymentRequiredError carrying a renewal offer (HTTP 402 on the wire).
//
// The Store keeps the authoritative counters, the registered users and an
// audit log chained by hashes; implementations live in license/store/sqlite
// (embedded default) and license/store/postgres (several server replicas),
// and license/store opens one from the [license] database setting. Every
// state change appends its audit event in the same transaction.
package license
