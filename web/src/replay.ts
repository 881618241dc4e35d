// The anti-replay sliding window (DESIGN.md §4, "Replay"), as
// protocol/internal/replay: per direction and per epoch, every
// authenticated record's sequence number is checked here, so that records
// may arrive out of order while every duplicate or too-old one is refused.
//
// The window is the bitmap ring of RFC 6479: a ring of 64-bit words, one
// bit per sequence number, where advancing clears whole words.

/** The window size used by the record layer. */
export const DEFAULT_WINDOW_SIZE = 4096;
const WORD_BITS = 64;
/** Bounds the window (1 Mi sequence numbers = 16 KiB of bitmap). */
export const MAX_WINDOW_SIZE = 1 << 20;

export type ReplayVerdict = 'ok' | 'replayed' | 'too old';

export class ReplayWindow {
  /** One bit per sequence number; word i holds the blocks i mod length. */
  private readonly ring: BigUint64Array;
  /** How many sequence numbers behind and including highest are remembered. */
  readonly size: bigint;
  private highest = 0n;
  private committed = false;

  /** size is rounded up to a multiple of 64, at least 64, at most MAX_WINDOW_SIZE. */
  constructor(size: number = DEFAULT_WINDOW_SIZE) {
    const s = Math.min(Math.max(size, WORD_BITS), MAX_WINDOW_SIZE);
    const words = Math.ceil(s / WORD_BITS);
    // One word more than the window covers (RFC 6479, Section 2): the word
    // holding highest is only partly inside the window.
    this.ring = new BigUint64Array(words + 1);
    this.size = BigInt(words * WORD_BITS);
  }

  /**
   * Whether seq would be accepted; it changes nothing, so a record that then
   * fails authentication leaves no trace.
   */
  check(seq: bigint): ReplayVerdict {
    if (!this.committed || seq > this.highest) return 'ok';
    if (this.highest - seq >= this.size) return 'too old';
    const [word, bit] = this.position(seq);
    return (this.ring[word]! & bit) !== 0n ? 'replayed' : 'ok';
  }

  /**
   * Marks seq as seen; call it only after the record authenticated and
   * passed check. Numbers skipped by an advance stay acceptable until they
   * fall behind.
   */
  commit(seq: bigint): void {
    if (!this.committed) {
      this.committed = true;
      this.highest = seq;
    } else if (seq > this.highest) {
      this.advance(seq);
    } else if (this.highest - seq >= this.size) {
      return;
    }
    const [word, bit] = this.position(seq);
    this.ring[word] = this.ring[word]! | bit;
  }

  /** Moves the head to seq, clearing each word that enters the window. */
  private advance(seq: bigint): void {
    const oldBlock = this.highest >> 6n;
    const newBlock = seq >> 6n;
    const n = BigInt(this.ring.length);
    if (newBlock - oldBlock >= n) {
      this.ring.fill(0n);
    } else {
      for (let b = oldBlock + 1n; b <= newBlock; b++) this.ring[Number(b % n)] = 0n;
    }
    this.highest = seq;
  }

  private position(seq: bigint): [number, bigint] {
    const block = seq >> 6n;
    return [Number(block % BigInt(this.ring.length)), 1n << (seq & 63n)];
  }
}
