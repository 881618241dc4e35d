// The two hashes of the suites (DESIGN.md §4: the HKDF, transcript and
// HMAC hash), as WebCrypto names them and as @noble/hashes implements them
// for the key schedule and the running transcript hash.

import { sha256, sha384 } from '@noble/hashes/sha2.js';
import type { CHash } from '@noble/hashes/utils.js';

export type HashName = 'SHA-256' | 'SHA-384';

/** The @noble/hashes constructor of a suite hash. */
export function nobleHash(h: HashName): CHash {
  return h === 'SHA-256' ? sha256 : sha384;
}

/** The output size of a suite hash in bytes. */
export function hashSize(h: HashName): number {
  return h === 'SHA-256' ? 32 : 48;
}
