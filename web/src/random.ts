// Injected randomness: every random byte the protocol uses comes from a
// RandomSource, so that a handshake replays exactly under a fixed source
// (DESIGN.md §4: no randomness the protocol was not given).

import type { Bytes } from './bytes.js';

/** Returns n fresh random bytes. */
export type RandomSource = (n: number) => Bytes;

/** getRandomValues fills at most this many bytes per call (WebCrypto). */
const MAX_GET_RANDOM = 65536;

/** The platform's CSPRNG (crypto.getRandomValues). */
export const systemRandom: RandomSource = (n) => {
  const out = new Uint8Array(n);
  for (let off = 0; off < n; off += MAX_GET_RANDOM) {
    globalThis.crypto.getRandomValues(out.subarray(off, Math.min(n, off + MAX_GET_RANDOM)));
  }
  return out;
};
