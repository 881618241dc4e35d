package protocol

import "time"

// Spec constants: changing any of these changes the wire protocol
// (DESIGN.md §4, "Session protocol (version 1)").
const (
	// Version is the protocol version carried in every hello and record.
	Version uint16 = 0x0001

	// RandomSize is the size of the client and server randoms.
	RandomSize = 32

	// SessionIDSize is the size of the random session id chosen by the server.
	SessionIDSize = 16

	// MediaIDSize is the size of the media id a per-chunk key is bound to
	// (the 16 bytes of a content.ID).
	MediaIDSize = 16

	// RecordHeaderSize is version (2) + type (1) + epoch (4) + sequence (8) +
	// ciphertext length (4). The whole header is the AEAD's associated data.
	RecordHeaderSize = 19

	// recordLengthSize is the uint32 that ends every record's padded
	// plaintext and gives the true length of its payload (DESIGN.md §4
	// "Sizes"; the layout is in doc.go).
	recordLengthSize = 4

	// handshakeHeaderSize is message type (1) + length (3), as in TLS.
	handshakeHeaderSize = 4

	// firstApplicationEpoch is the epoch of the first application keys;
	// epoch 0 is the handshake keys.
	firstApplicationEpoch = 1

	// MaxReplicaName bounds the replica name a ServerHello carries
	// (DESIGN.md §10: session URLs are /v1/session/<replica>.<hex>); a
	// name is 1..MaxReplicaName bytes of [a-z0-9-], or empty for none.
	MaxReplicaName = 32

	// cookieTick is the granularity of a cookie's time (DESIGN.md §4
	// "Admission"): a cookie carries the number of ticks since the Unix
	// epoch at which it was made.
	cookieTick = 10 * time.Second
	// cookieMaxTicks is how many ticks old a cookie may be: it is
	// accepted in the tick it was made and the next cookieMaxTicks, so it
	// lives between 20 and 30 seconds.
	cookieMaxTicks = 2
	// cookieSize is tick (4) + HMAC-SHA-256 (32).
	cookieSize = 4 + 32
	// MinCookieKeySize is the shortest cookie key a server may use.
	MinCookieKeySize = 32
)

// Signature contexts: every signature covers one of these, a zero byte and a
// transcript hash, so a signature made in one role never verifies in another.
const (
	contextServerSignature = "securemedia v1 server CertificateVerify"
	contextClientSignature = "securemedia v1 client device CertificateVerify"
	contextUserSignature   = "securemedia v1 user CertificateVerify"
	// contextCookie is the MAC context of a HelloRetryRequest cookie.
	contextCookie = "securemedia v1 cookie"
)

// Key-schedule labels (DESIGN.md §4, modelled on RFC 8446 §7.1).
const (
	labelDerived         = "derived"
	labelClientHandshake = "c hs traffic"
	labelServerHandshake = "s hs traffic"
	labelClientApp       = "c ap traffic"
	labelServerApp       = "s ap traffic"
	labelRekey           = "rekey"
	labelKey             = "key"
	labelIV              = "iv"
	labelChunk           = "chunk"
)

// Defaults for rekeying (DESIGN.md §4: 500 chunks as the original, or 64 MiB,
// or 10 minutes, whichever first).
const (
	DefaultRekeyChunks = 500
	DefaultRekeyBytes  = 64 << 20
	DefaultRekeyAge    = 10 * time.Minute
)

// Implementation limits: not part of the protocol, but what this
// implementation accepts. They bound memory per message and per session.
const (
	// MaxHandshakeFlight bounds a hello flight or a ClientFinish record.
	MaxHandshakeFlight = 128 << 10
	// maxCertificates bounds a certificate chain's length.
	maxCertificates = 8
	// maxCertificateSize bounds one DER certificate.
	maxCertificateSize = 16 << 10
	// maxOffered bounds the suites and the groups a client may offer.
	maxOffered = 32
	// maxKeyShares bounds the key shares in one ClientHello.
	maxKeyShares = 4
	// MaxStapledCRLs bounds the CRLs a server staples to its flight (its
	// chain's CAs: typically the root's and the intermediate's).
	MaxStapledCRLs = 4
	// MaxStapledCRLBytes bounds their total size, so that a server flight
	// stays within MaxHandshakeFlight beside its chain.
	MaxStapledCRLBytes = 64 << 10
	// MaxRecordPayload bounds one record's payload (its true length, and a
	// chunk record's pad size): a chunk of at most 4 MiB plus room for a
	// header.
	MaxRecordPayload = 4<<20 + 4096
	// maxRecordPlaintext bounds a padded plaintext: the largest payload
	// and its length. It is also the padded size of an application record
	// (other than a chunk) too large for the largest bucket (2 MiB,
	// paddedSize), so changing MaxRecordPayload changes the wire format
	// (doc.go, "Records").
	maxRecordPlaintext = MaxRecordPayload + recordLengthSize
	// maxSealOverhead is the most a suite's protection adds to a padded
	// plaintext: CBC's PKCS#7 padding (up to a block, 16) and the SHA-384
	// tag (24); the AEADs add a 16-byte tag.
	maxSealOverhead = 16 + 24
	// maxRecordCiphertext bounds the length field of a record header.
	maxRecordCiphertext = maxRecordPlaintext + maxSealOverhead
	// MaxRecordOverhead is the most a record is longer than its padded
	// plaintext (header and protection), so that a limit of bucket +
	// MaxRecordOverhead bytes admits every record padded to that bucket.
	MaxRecordOverhead = RecordHeaderSize + maxSealOverhead
	// maxHandshakePlaintext bounds the padded plaintext of a handshake
	// record, so that a ClientFinish record of any suite stays within
	// MaxHandshakeFlight (what a server reads of it). It is also the
	// padded size of a handshake record too large for the 64 KiB bucket,
	// so changing MaxHandshakeFlight changes the wire format.
	maxHandshakePlaintext = MaxHandshakeFlight - MaxRecordOverhead
	// rekeyHardFactor: past this multiple of a rekey threshold the server
	// refuses application data until the client rekeys.
	rekeyHardFactor = 2
)
