// Package protocol is the securemedia session protocol, version 1
// (DESIGN.md §4): cipher-suite and group negotiation, an ephemeral key
// exchange, mutual certificate authentication over one signed transcript,
// a TLS 1.3-style key schedule with separate keys per direction, binary
// records with sequence numbers and a replay window, per-chunk keys, and
// in-channel rekeying.
//
// It sits between the HTTP layer (package server and package client) and the
// cryptographic building blocks (protocol/internal/...). It is the channel
// only: what travels in its request and response records (the catalog,
// licenses, fetches) is package message, opaque here; chunk records carry
// media bytes under per-chunk keys. It knows nothing of HTTP, disks or wall
// clocks: randomness and time come from Config, so a handshake is
// reproducible in tests.
//
// The message flow:
//
//	client                                   server
//	ClientHello            ───────────────▶
//	                       ◀─────────────── HelloRetryRequest   (no share for the chosen group, or a cookie under load, or both)
//	ClientHello ‖ HelloRetryRequest ‖
//	ClientHello (again)    ───────────────▶
//	                       ◀─────────────── ServerHello, Certificate, StapledCRLs, CertificateVerify   (in clear)
//	{Certificate, CertificateVerify,
//	 user kind, [UserCertificate, UserCertificateVerify | WebAuthn assertion],
//	 Finished}             ───────────────▶   (one record under the client handshake key)
//	                       ◀─────────────── {Finished}   (one record under the server handshake key)
//	[requests]             ◀──────────────▶ [responses, chunks]   (application epochs 1, 2, ...)
//
// Everything after ServerHello's flight is encrypted and authenticated.
//
// The client's first request may travel with its finish: the finish
// record and then the request record in one body (the request sealed
// under the application keys the finish fixes, ClientHandshake.EarlySession,
// as TLS 1.3 sends application data after the client's Finished). The
// server opens the request only once the finish is verified, and answers
// with its Finished and then the answer to that request, in one body. One
// round trip fewer; nothing is sent before the server is authenticated,
// and the client trusts no answer before the server's Finished.
//
// # Wire format of the handshake
//
// Integers are big-endian. A vector x<a..b> is its length in the fewest
// bytes that hold b (1 byte up to 255, 2 up to 65535, 3 up to 2^24-1),
// then its bytes, as in RFC 8446 §3.4. Every handshake message is framed
//
//	uint8  type;
//	uint24 length;         // of body
//	opaque body[length];
//
// and a flight is its framed messages back to back (at most 8, at most
// MaxHandshakeFlight bytes). The transcript hash (the suite's hash) covers
// the framed messages in the order of the flow above, exactly as they were
// sent. Message types: ClientHello 1, ServerHello 2, HelloRetryRequest 6,
// Certificate 11, CertificateVerify 15, Finished 20, UserCertificate 21,
// UserCertificateVerify 22, StapledCRLs 23. Any trailing byte inside a
// body is an error.
//
// ClientHello (type 1):
//
//	uint16 version = 0x0001;
//	opaque random[32];
//	uint16 suites<2..2^16-2>;      // SuiteIDs in preference order, at most 32
//	uint16 groups<2..2^16-2>;      // GroupIDs (TLS NamedGroup code points), at most 32
//	KeyShare shares<0..2^16-1>;    // at most 4, one per group, each for an offered group
//	struct { uint16 group; opaque share<1..2^16-1>; } KeyShare;
//
// HelloRetryRequest (type 6):
//
//	uint16 version = 0x0001;
//	uint16 suite;                  // the suite the server chose
//	uint16 group;                  // the group it wants a share for
//	opaque cookie<0..255>;         // empty, or the server's cookie (opaque to the client)
//
// The server answers a first hello with it when the client sent no share
// for the chosen group (cookie empty: group names a group the client sent
// no share for), or when it is under load (DESIGN.md §4 "Admission"; cookie
// not empty: group may name a group the client did send a share for), or
// both. The server keeps no state: the client answers with the retry
// flight ClientHello₁ ‖ HelloRetryRequest ‖ ClientHello₂, where ClientHello₁
// and the HelloRetryRequest are the framed bytes as first sent and received
// and ClientHello₂ repeats ClientHello₁'s version, random, suites and groups
// and carries exactly one key share, for the HelloRetryRequest's group (the
// same share as in ClientHello₁ when it had one, else a fresh one). The
// server recomputes the HelloRetryRequest from ClientHello₁ and checks the
// cookie, in constant time: it is
//
//	uint32 tick;                   // Unix time / 10 s when it was made
//	opaque mac[32];                // HMAC-SHA-256(cookie key, "securemedia v1 cookie" ‖ 0x00 ‖
//	                               //   tick ‖ uint16 len(client) ‖ client ‖ SHA-256(ClientHello₁ framed) ‖ suite ‖ group)
//
// where client is the client's address as the server saw it (its IPv4
// address, or its IPv6 /64, as text), and it is accepted for the tick it
// was made in and the next two (20 to 30 seconds). A client answers at
// most one HelloRetryRequest per handshake; a server answers a retry flight
// with the server flight or a refusal, never with another retry. The whole
// retry flight is in the transcript, so ClientHello₁ is bound to the
// signature directly (where TLS 1.3 binds its hash as message_hash).
//
// ServerHello (type 2):
//
//	uint16 version = 0x0001;
//	opaque session_id[16];         // 128 random bits
//	opaque random[32];
//	uint16 suite;
//	uint16 group;
//	opaque share<1..2^16-1>;
//	opaque replica<0..32>;         // the replica that holds the session, [a-z0-9-]; empty for one server
//
// The client addresses the session at /v1/session/<replica>.<hex> when
// replica is not empty, else at /v1/session/<hex>, hex being the session
// id in 32 lower-case hex digits. The replica name is only routing (for a
// balancer, DESIGN.md §10); the session id in the protocol is the 16 bytes.
//
// Certificate (type 11), UserCertificate (type 21):
//
//	opaque certificate_list<0..2^24-1>;   // of opaque cert<1..2^24-1>, DER, leaf first, 1 to 8, each at most 16 KiB
//
// StapledCRLs (type 23), always present in the server flight, between
// Certificate and CertificateVerify (DESIGN.md §4 "Stapled CRLs"):
//
//	opaque crl_list<0..2^24-1>;           // of opaque crl<1..2^24-1>, DER; at most 4, 64 KiB in all
//
// The server staples the current CRLs of the CAs of its own chain. They
// are covered by the server's signature, so a man in the middle can
// neither withhold nor replace them; the client validates the server's
// chain with them (and keeps them for the content and license chains),
// checking each as it checks a local CRL (signature and issuer, freshness,
// a CRL number never lower than one already seen), and only after the
// signature over the flight verified.
//
// CertificateVerify (type 15), UserCertificateVerify (type 22):
//
//	uint16 scheme;                 // TLS SignatureScheme code point
//	opaque signature<1..2^16-1>;   // over context ‖ 0x00 ‖ transcript hash
//
// The server's covers ClientHello (or the retry flight) ‖ ServerHello ‖
// Certificate ‖ StapledCRLs, with context "securemedia v1 server
// CertificateVerify"; the client's device and user signatures cover the
// transcript up to their own Certificate and UserCertificate.
//
// ClientFinish, the plaintext of the client's finish record:
//
//	Certificate;                   // the device's chain (type 11)
//	CertificateVerify;             // (type 15)
//	uint8 user_kind;               // none 0, certificate 1, webauthn 2
//	select (user_kind) {
//	case none:        ;
//	case certificate: UserCertificate; UserCertificateVerify;   // types 21, 22, as framed messages
//	case webauthn:    opaque credential_id<1..1023>;
//	                  opaque authenticator_data<37..2^16-1>;
//	                  opaque client_data_json<1..2^16-1>;
//	                  opaque signature<1..1023>;
//	} user;
//	Finished;                      // (type 20)
//
// Every byte of it enters the transcript in this order (the kind byte and
// a webauthn user part as they are, between the framed messages). The
// webauthn kind carries a WebAuthn assertion (W3C Web Authentication
// §5.2.2: the credential's raw id, the authenticator data, the client data
// JSON, the signature over authenticator_data ‖ SHA-256(client_data_json))
// whose challenge is
//
//	challenge = Hash("securemedia v1 webauthn login" ‖ 0x00 ‖ transcript hash)
//
// with the suite's hash, over the transcript up to the device's
// CertificateVerify; the client data carries it base64url (RFC 4648 §5,
// unpadded), as WebAuthn encodes every challenge. The device is the
// browser's non-extractable key (DESIGN.md §11), so the server sees the
// device and the person, both bound to the transcript.
//
// Finished (type 20): the HMAC of RFC 8446 §4.4.4 over the transcript hash
// (see key_schedule.go). The client's finish and the server's Finished
// each travel as one record of type handshake (1), epoch 0, sequence 0
// (record.go); the handshake traffic secrets are derived over the
// transcript up to the server's CertificateVerify.
//
// # Wire format of the records
//
// Everything after the server's flight travels in records (DESIGN.md §4
// "Records"). A record is self-delimiting, so several may follow one
// another in one HTTP body:
//
//	uint16 version = 0x0001;
//	uint8  type;                   // handshake 1, request 2, response 3, chunk 4
//	uint32 epoch;                  // 0 for the two handshake records, then 1, 2, ... (one per rekey)
//	uint64 sequence;               // per direction and epoch, from 0
//	uint32 length;                 // of ciphertext, at most 4 MiB + 4 KiB + 44
//	opaque ciphertext[length];
//
// The 19-byte header is the associated data; the ciphertext is the padded
// plaintext sealed under the direction's record key of the epoch (for a
// chunk record, under the chunk's own key, key_schedule.go) with the nonce
// derived from the sequence number (internal/aead: RFC 8446 §5.3 for the
// AEADs, for CBC the IV key applied to the sequence number). Its length
// is P + 16 for the AEAD suites and 16·(⌊P/16⌋ + 1) + 16 or + 24 for the
// CBC suites with SHA-256 or SHA-384, P being the padded plaintext's size.
//
// The padded plaintext (DESIGN.md §4 "Sizes"; the length last, so that a
// payload sits at the start of its plaintext, in place):
//
//	opaque payload[n];
//	uint8  padding[P - n - 4];     // all zero
//	uint32 n;
//
// P depends only on the record's type and on its bucket, never on n
// itself:
//
//   - chunk: P = the item's chunk size (MediaInfo.ChunkSize) + 4, whatever
//     the chunk's length, so that every chunk record of an item is as long
//     as every other; only the last chunk of an item has padding;
//   - request and response: P = the first of 256, 1024, 4096, 16384,
//     65536, 262144, 1048576 and 2097152 that is at least n + 4, else
//     4198404 (4 MiB + 4 KiB + 4, the largest plaintext); a larger n is
//     not sent;
//   - handshake: the same buckets up to 65536, else 131013
//     (MaxHandshakeFlight − 59, so that the record of any suite is at most
//     128 KiB); a larger n is not sent.
//
// For example a 100-byte request is a 291-byte record under
// DH_AES128_GCM_SHA256 (19 + 256 + 16), as is every request of up to 252
// bytes, and every chunk record of an item of 16 KiB chunks is
// 19 + 16388 + 16 = 16423 bytes under an AEAD suite. After a record authenticates, the
// receiver reads n from the last four bytes and refuses the record
// exactly as it refuses one that fails authentication (one error, no
// oracle; the replay window does not advance) when n + 4 > P, when a byte
// of the padding is not zero, or, for every type but chunk, when P is not
// the padded size of n.
package protocol
