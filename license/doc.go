// Package license is the rights layer of securemedia (DESIGN.md §7): who may
// play what, how many times and until when.
//
// It sits between the session protocol and the media store. A view is one
// pass of one item, kept as a durable Play in the Store:
//
//   - Service.StartPlay answers a play request, free of charge: it issues the
//     license on the first play (per the media's policy), checks that it can
//     play, and returns the started play, a grant bound to the session and
//     the media, a resume ticket and a license token signed by the
//     license-signing key. Asked again in the same session before the first
//     chunk, it returns the same play.
//   - Service.Authorize runs once per fetch: one store read of the play, its
//     license and its user, so that a revocation, a reset or a disabled user
//     takes effect at the next fetch on every replica. The Authorization it
//     returns checks every chunk from memory: inside the item, not below the
//     play's retransmission window (RetransmitWindow), within the license's
//     period and the play's window.
//   - Service.Count is the consumption point: before the first chunk of a
//     play goes out, one transaction consumes one view; exactly one of racing
//     plays wins each view.
//   - Service.Progress stores how far the play got at the end of each fetch
//     (never per chunk) and completes it at its last chunk; Service.Refund
//     ends a play the server failed and restores its view.
//   - Service.Resume moves a play to a new session, on any server sharing the
//     store, after a transport fault: the ticket's secret is checked against
//     the SHA-256 the store keeps; no view is consumed.
//
// An exhausted or expired license answers with a *PaymentRequiredError
// carrying a stored Offer (status 402 inside the encrypted reply);
// Service.Renew accepts an open offer once, after a PaymentVerifier confirms
// the payment (SimulatedPayments by default: payments are simulated).
//
// The Store keeps the authoritative counters, the registered users, the
// plays, the offers and an audit log chained by hashes; implementations live
// in license/store/sqlite (embedded default) and license/store/postgres
// (several server replicas), and license/store opens one from the [license]
// database setting. Every state change appends its audit event in the same
// transaction; ExportAudit and VerifyExport carry the log out as JSON lines
// that verify offline.
package license
