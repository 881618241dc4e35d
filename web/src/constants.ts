// Spec constants: changing any of these changes the wire protocol
// (DESIGN.md §4, "Session protocol (version 1)"). They mirror
// protocol/constants.go.

/** The protocol version carried in every hello and record. */
export const VERSION = 0x0001;
/** The size of the client and server randoms. */
export const RANDOM_SIZE = 32;
/** The size of the random session id chosen by the server. */
export const SESSION_ID_SIZE = 16;
/** The size of a media id on the wire. */
export const MEDIA_ID_SIZE = 16;
/**
 * version (2) ‖ type (1) ‖ epoch (4) ‖ sequence (8) ‖ ciphertext length
 * (4); the whole header is the AEAD's associated data.
 */
export const RECORD_HEADER_SIZE = 19;
/** message type (1) ‖ length (3), as in TLS. */
export const HANDSHAKE_HEADER_SIZE = 4;
/** The epoch of the first application keys; epoch 0 is the handshake. */
export const FIRST_APPLICATION_EPOCH = 1;

/**
 * Signature contexts: every signature covers 64 spaces, one of these, a
 * zero byte and a transcript hash, so a signature made in one role never
 * verifies in another.
 */
export const CONTEXT_SERVER_SIGNATURE = 'securemedia v1 server CertificateVerify';
export const CONTEXT_CLIENT_SIGNATURE = 'securemedia v1 client device CertificateVerify';
export const CONTEXT_USER_SIGNATURE = 'securemedia v1 user CertificateVerify';
/** Separates the WebAuthn login challenge from every signature context. */
export const CONTEXT_WEBAUTHN = 'securemedia v1 webauthn login';

/** Key-schedule labels (DESIGN.md §4, modelled on RFC 8446 §7.1). */
export const LABEL = {
  derived: 'derived',
  clientHandshake: 'c hs traffic',
  serverHandshake: 's hs traffic',
  clientApp: 'c ap traffic',
  serverApp: 's ap traffic',
  rekey: 'rekey',
  key: 'key',
  iv: 'iv',
  chunk: 'chunk',
  finished: 'finished',
} as const;

// Implementation limits: not part of the protocol, but what this
// implementation accepts (the Go implementation's, so that the two agree).

/** Bounds a hello flight or a finish record. */
export const MAX_HANDSHAKE_FLIGHT = 128 << 10;
/** Bounds a certificate chain's length. */
export const MAX_CERTIFICATES = 8;
/** Bounds one DER certificate. */
export const MAX_CERTIFICATE_SIZE = 16 << 10;
/** Bounds the suites and the groups a client offers. */
export const MAX_OFFERED = 32;
/** Bounds the key shares in one ClientHello. */
export const MAX_KEY_SHARES = 4;
/** Bounds one record's payload (its true length): a chunk of at most 4 MiB and a header. */
export const MAX_RECORD_PAYLOAD = (4 << 20) + 4096;
/** The size of the true length that ends every padded plaintext (DESIGN.md §4 "Sizes"). */
export const RECORD_LENGTH_SIZE = 4;
/** Bounds a padded plaintext: the largest payload and its length. */
export const MAX_RECORD_PLAINTEXT = MAX_RECORD_PAYLOAD + RECORD_LENGTH_SIZE;
/** The most a suite's protection adds to a padded plaintext (CBC with SHA-384: a block and a 24-byte tag). */
export const MAX_SEAL_OVERHEAD = 16 + 24;
/** Bounds the length field of a record header. */
export const MAX_RECORD_CIPHERTEXT = MAX_RECORD_PLAINTEXT + MAX_SEAL_OVERHEAD;
/** The most a record is longer than its padded plaintext. */
export const MAX_RECORD_OVERHEAD = RECORD_HEADER_SIZE + MAX_SEAL_OVERHEAD;
/** Bounds how many messages one flight may hold. */
export const MAX_FLIGHT_MESSAGES = 8;
/**
 * Bounds a handshake record's padded plaintext, so that the record of any
 * suite fits MAX_HANDSHAKE_FLIGHT (the wire format depends on it).
 */
export const MAX_HANDSHAKE_PLAINTEXT = MAX_HANDSHAKE_FLIGHT - MAX_RECORD_OVERHEAD;
/** The padded sizes of records other than chunks (DESIGN.md §4 "Sizes"). */
export const RECORD_BUCKETS = [256, 1 << 10, 4 << 10, 16 << 10, 64 << 10, 256 << 10, 1 << 20, 2 << 20] as const;
/** Bounds the CRLs a server staples to its flight. */
export const MAX_STAPLED_CRLS = 4;
/** Bounds their total size. */
export const MAX_STAPLED_CRL_BYTES = 64 << 10;
/** Bounds the replica name of a ServerHello ([a-z0-9-], DESIGN.md §10). */
export const MAX_REPLICA_NAME = 32;
/** Bounds a HelloRetryRequest's cookie (opaque to the client). */
export const MAX_COOKIE = 255;
