// The key-schedule primitives (DESIGN.md §4): HKDF-Extract,
// HKDF-Expand-Label, Derive-Secret and the Finished MAC, modelled on
// RFC 8446, Section 7.1, as protocol/internal/kdf.
//
// WebCrypto's HKDF runs Extract and Expand as one call, while the schedule
// needs each half on its own (a secret is extracted once and expanded under
// many labels), so the two halves come from @noble/hashes (audited), whose
// extract and expand are RFC 5869, Sections 2.2 and 2.3. The tests check
// them against WebCrypto's HKDF.

import { expand, extract as hkdfExtract } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { type Bytes, erase, utf8, Writer } from './bytes.js';
import { LABEL } from './constants.js';
import { type HashName, hashSize, nobleHash } from './hash.js';

/**
 * The prefix of every HkdfLabel label, where TLS 1.3 writes "tls13 ", so
 * keys derived here never collide with a TLS 1.3 session's.
 */
export const LABEL_PREFIX = 'securemedia1 ';

/** opaque label<7..255>, opaque context<0..255> (RFC 8446, Section 7.1). */
const MAX_LABEL_LEN = 255;
const MAX_CONTEXT_LEN = 255;
/** HKDF's limit on output length in hash blocks (RFC 5869, Section 2.3). */
const MAX_EXPAND_BLOCKS = 255;

/**
 * HKDF-Extract (RFC 5869, Section 2.2). A null salt stands for hash-size
 * zero bytes, as in RFC 8446, Section 7.1.
 */
export function extract(h: HashName, salt: Uint8Array | null, ikm: Uint8Array): Bytes {
  const s = salt ?? new Uint8Array(hashSize(h));
  return new Uint8Array(hkdfExtract(nobleHash(h), ikm, s));
}

/**
 * The HkdfLabel structure of RFC 8446, Section 7.1:
 * uint16 length ‖ opaque label<7..255> = prefix + label ‖ opaque context<0..255>.
 */
export function hkdfLabel(prefix: string, label: string, context: Uint8Array, length: number): Bytes {
  const full = utf8(prefix + label);
  if (full.length > MAX_LABEL_LEN) throw new Error(`kdf: label ${label} too long`);
  if (context.length > MAX_CONTEXT_LEN) throw new Error(`kdf: context of ${context.length} bytes too long`);
  return new Writer()
    .u16(length)
    .prefixed(1, (w) => w.bytes(full))
    .prefixed(1, (w) => w.bytes(context))
    .finish();
}

/**
 * HKDF-Expand-Label with a given prefix; the known-answer tests run it with
 * TLS 1.3's "tls13 " against RFC 8448.
 */
export function expandLabelWithPrefix(
  h: HashName,
  prefix: string,
  secret: Uint8Array,
  label: string,
  context: Uint8Array,
  length: number,
): Bytes {
  if (length < 0 || length > MAX_EXPAND_BLOCKS * hashSize(h)) {
    throw new Error(`kdf: expand length ${length} out of range for ${h}`);
  }
  const info = hkdfLabel(prefix, label, context, length);
  return new Uint8Array(expand(nobleHash(h), secret, info, length));
}

/** HKDF-Expand-Label (RFC 8446, Section 7.1) with LABEL_PREFIX. */
export function expandLabel(h: HashName, secret: Uint8Array, label: string, context: Uint8Array, length: number): Bytes {
  return expandLabelWithPrefix(h, LABEL_PREFIX, secret, label, context, length);
}

/** Derive-Secret (RFC 8446, Section 7.1): an output as long as the hash. */
export function deriveSecret(h: HashName, secret: Uint8Array, label: string, transcriptHash: Uint8Array): Bytes {
  return expandLabel(h, secret, label, transcriptHash, hashSize(h));
}

/**
 * The Finished MAC of RFC 8446, Section 4.4.4: HMAC(finished_key,
 * transcript hash), finished_key = Expand-Label(base, "finished", "", Hash.length).
 * Compare it with equalConstantTime, never with ===.
 */
export function finishedWithPrefix(h: HashName, prefix: string, base: Uint8Array, transcriptHash: Uint8Array): Bytes {
  const key = expandLabelWithPrefix(h, prefix, base, LABEL.finished, new Uint8Array(0), hashSize(h));
  try {
    return new Uint8Array(hmac(nobleHash(h), key, transcriptHash));
  } finally {
    erase(key);
  }
}

export function finished(h: HashName, base: Uint8Array, transcriptHash: Uint8Array): Bytes {
  return finishedWithPrefix(h, LABEL_PREFIX, base, transcriptHash);
}

/** The hash of the empty string, the context of the "derived" steps. */
export function emptyHash(h: HashName): Bytes {
  return new Uint8Array(nobleHash(h)(new Uint8Array(0)));
}
