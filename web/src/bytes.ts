// Byte strings: the big-endian, length-prefixed encodings of the protocol
// (the cryptobyte style of the Go implementation), constant-time
// comparison and erasure.

import { equalBytes } from '@noble/ciphers/utils.js';

/** A byte string backed by an ArrayBuffer, as WebCrypto takes it. */
export type Bytes = Uint8Array<ArrayBuffer>;

/** Thrown by Reader when the input ends early or a length is out of range. */
export class ShortInput extends Error {
  constructor() {
    super('input too short');
  }
}

/** Concatenates byte strings. */
export function concat(...parts: Uint8Array[]): Bytes {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** Copies b into a fresh ArrayBuffer-backed array. */
export function copy(b: Uint8Array): Bytes {
  return new Uint8Array(b);
}

/**
 * Compares two byte strings in time that depends only on their lengths
 * (MACs are never compared with ===, DESIGN.md §2).
 */
export function equalConstantTime(a: Uint8Array, b: Uint8Array): boolean {
  return equalBytes(a, b);
}

/** Plain equality, for values that are not secret. */
export function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Overwrites each array with zeros. JavaScript engines may keep other
 * copies (garbage not yet collected, WebCrypto's internal key objects);
 * this clears the ones we hold.
 */
export function erase(...arrays: (Uint8Array | undefined | null)[]): void {
  for (const a of arrays) a?.fill(0);
}

export function toHex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

export function fromHex(h: string): Bytes {
  const s = h.replace(/\s+/g, '');
  if (s.length % 2 !== 0 || /[^0-9a-fA-F]/.test(s)) throw new Error('invalid hex');
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function utf8(s: string): Bytes {
  return new TextEncoder().encode(s) as Bytes;
}

/** Big-endian unsigned integer of a byte string. */
export function toBigInt(b: Uint8Array): bigint {
  return b.length === 0 ? 0n : BigInt('0x' + toHex(b));
}

/** n as exactly len big-endian bytes; n must fit. */
export function fromBigInt(n: bigint, len: number): Bytes {
  const h = n.toString(16);
  if (n < 0n || h.length > 2 * len) throw new Error('integer does not fit');
  return fromHex(h.padStart(2 * len, '0'));
}

/** Builds a message: big-endian integers and length-prefixed vectors. */
export class Writer {
  private parts: number[] = [];

  u8(v: number): this {
    this.parts.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.u8(v >>> 8).u8(v);
  }
  u24(v: number): this {
    return this.u8(v >>> 16).u8(v >>> 8).u8(v);
  }
  u32(v: number): this {
    return this.u8(v >>> 24).u8(v >>> 16).u8(v >>> 8).u8(v);
  }
  u64(v: bigint): this {
    return this.u32(Number((v >> 32n) & 0xffffffffn)).u32(Number(v & 0xffffffffn));
  }
  bytes(b: Uint8Array): this {
    for (const x of b) this.parts.push(x);
    return this;
  }
  /** A vector with a length prefix of `width` bytes (1, 2, 3 or 4). */
  prefixed(width: 1 | 2 | 3 | 4, body: (w: Writer) => void): this {
    const inner = new Writer();
    body(inner);
    const b = inner.finish();
    if (b.length >= 2 ** (8 * width)) throw new Error(`vector of ${b.length} bytes exceeds a ${width}-byte length`);
    if (width === 1) this.u8(b.length);
    else if (width === 2) this.u16(b.length);
    else if (width === 3) this.u24(b.length);
    else this.u32(b.length);
    return this.bytes(b);
  }
  finish(): Bytes {
    return Uint8Array.from(this.parts);
  }
}

/** Reads a message; every read past the end throws ShortInput. */
export class Reader {
  private off = 0;
  constructor(private readonly b: Uint8Array) {}

  get remaining(): number {
    return this.b.length - this.off;
  }
  empty(): boolean {
    return this.remaining === 0;
  }
  bytes(n: number): Bytes {
    if (n > this.remaining) throw new ShortInput();
    const out = this.b.slice(this.off, this.off + n);
    this.off += n;
    return out;
  }
  u8(): number {
    return this.bytes(1)[0]!;
  }
  u16(): number {
    const b = this.bytes(2);
    return (b[0]! << 8) | b[1]!;
  }
  u24(): number {
    const b = this.bytes(3);
    return (b[0]! << 16) | (b[1]! << 8) | b[2]!;
  }
  u32(): number {
    const b = this.bytes(4);
    return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
  }
  u64(): bigint {
    return (BigInt(this.u32()) << 32n) | BigInt(this.u32());
  }
  /** The contents of a vector with a `width`-byte length prefix. */
  prefixed(width: 1 | 2 | 3 | 4): Reader {
    const n = width === 1 ? this.u8() : width === 2 ? this.u16() : width === 3 ? this.u24() : this.u32();
    return new Reader(this.bytes(n));
  }
  /** The rest of the input. */
  rest(): Bytes {
    return this.bytes(this.remaining);
  }
}
