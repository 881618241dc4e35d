// Package message is what travels inside the records of an established
// session (DESIGN.md §4 "Over HTTP"): the operations (catalog, info, fetch,
// play, resume, offer, renew, license list, rekey, close, and a browser
// viewer's registration: register-options, register), their request
// and response envelopes, statuses and flags, and the bodies of each, with
// the media's description (MediaInfo) and the viewer's license state.
//
// A request record carries a Request; the answer is a response record
// carrying a Response, followed, for OpFetch, by one chunk record per chunk
// and possibly a closing response (FetchEnd). Package protocol seals and
// opens the records and knows nothing of what they carry; the server and the
// client speak these messages through it. Every decoder is strict and
// bounded: what it accepts, the encoder gives back byte for byte.
package message
