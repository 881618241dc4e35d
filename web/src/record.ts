// Records (DESIGN.md §4 "Records"), as protocol/record.go: a header
// (version, type, epoch, sequence number, length), authenticated as the
// AEAD's associated data, and a ciphertext whose nonce is derived from the
// sequence number. The plaintext is padded (DESIGN.md §4 "Sizes"):
// payload ‖ zeros ‖ uint32 length, to the item's chunk size + 4 for a
// chunk, to a size bucket for every other record (protocol/doc.go).

import { Kind, type RecordCipher } from './aead.js';
import { type Bytes, concat, Reader, Writer } from './bytes.js';
import {
  MAX_HANDSHAKE_PLAINTEXT,
  MAX_RECORD_CIPHERTEXT,
  MAX_RECORD_PLAINTEXT,
  RECORD_BUCKETS,
  RECORD_HEADER_SIZE,
  RECORD_LENGTH_SIZE,
  VERSION,
} from './constants.js';
import { RecordRejected } from './errors.js';
import { hashSize } from './hash.js';
import type { SuiteInfo } from './suites.js';

/** The content type of a record. */
export enum RecordType {
  /** The encrypted finish messages. */
  Handshake = 1,
  /** Client → server operations. */
  Request = 2,
  /** Server → client answers. */
  Response = 3,
  /** Server → client media chunks, each under its own key. */
  Chunk = 4,
}

export interface RecordHeader {
  type: RecordType;
  epoch: number;
  seq: bigint;
  length: number;
}

export function marshalHeader(h: RecordHeader): Bytes {
  return new Writer().u16(VERSION).u8(h.type).u32(h.epoch).u64(h.seq).u32(h.length).finish();
}

/** One record, split: its header, the header's bytes (the AAD) and its ciphertext. */
export interface ParsedRecord {
  header: RecordHeader;
  aad: Bytes;
  ciphertext: Bytes;
}

/**
 * Splits exactly one record. Framing errors are RecordRejected like every
 * other record failure.
 */
export function parseRecord(b: Uint8Array): ParsedRecord {
  if (b.length < RECORD_HEADER_SIZE) throw new RecordRejected('short header');
  const r = new Reader(b);
  const version = r.u16();
  if (version !== VERSION) throw new RecordRejected(`version 0x${version.toString(16).padStart(4, '0')}`);
  const header: RecordHeader = { type: r.u8(), epoch: r.u32(), seq: r.u64(), length: r.u32() };
  if (header.length > MAX_RECORD_CIPHERTEXT) throw new RecordRejected(`length ${header.length}`);
  if (r.remaining < header.length) throw new RecordRejected('truncated');
  if (r.remaining > header.length) throw new RecordRejected('trailing bytes');
  return { header, aad: b.slice(0, RECORD_HEADER_SIZE), ciphertext: b.slice(RECORD_HEADER_SIZE) };
}

/**
 * The padded plaintext size of a record of type (not a chunk) whose
 * payload is n bytes: the smallest bucket that holds the payload and its
 * length; a handshake record is never padded beyond
 * MAX_HANDSHAKE_PLAINTEXT, any other beyond MAX_RECORD_PLAINTEXT. Null
 * when the payload needs more.
 */
export function paddedSize(type: RecordType, n: number): number | null {
  const limit = type === RecordType.Handshake ? MAX_HANDSHAKE_PLAINTEXT : MAX_RECORD_PLAINTEXT;
  const need = n + RECORD_LENGTH_SIZE;
  if (n < 0 || need > limit) return null;
  for (const bucket of RECORD_BUCKETS) if (need <= bucket) return Math.min(bucket, limit);
  return limit;
}

/** payload ‖ zeros ‖ uint32 len(payload), size bytes in all. */
export function pad(payload: Uint8Array, size: number): Bytes {
  const out = new Uint8Array(size);
  out.set(payload);
  new DataView(out.buffer).setUint32(size - RECORD_LENGTH_SIZE, payload.length);
  return out;
}

/**
 * The payload of a padded plaintext, or null when its length does not fit
 * or a byte of its padding is not zero. It runs only on authenticated
 * plaintext.
 */
export function unpad(inner: Bytes): Bytes | null {
  const end = inner.length - RECORD_LENGTH_SIZE;
  if (end < 0) return null;
  const n = new DataView(inner.buffer, inner.byteOffset, inner.byteLength).getUint32(end);
  if (n > end) return null;
  let nonzero = 0;
  for (let i = n; i < end; i++) nonzero |= inner[i]!;
  return nonzero === 0 ? inner.subarray(0, n) : null;
}

/**
 * The ciphertext length of an n-byte padded plaintext: AEADs add a 16-byte
 * tag; CBC suites pad to the next block (PKCS#7, 1 to 16 bytes) and add a
 * tag of half the hash size (RFC 7518 §5.2.2.1 T_LEN).
 */
export function sealedSize(s: SuiteInfo, n: number): number {
  if (s.kind === Kind.AES128CBCHMAC) return (Math.floor(n / 16) + 1) * 16 + hashSize(s.hash) / 2;
  return n + 16;
}

/** Seals one record of type (not a chunk), its payload padded to its bucket. */
export async function sealRecord(
  s: SuiteInfo,
  c: RecordCipher,
  type: RecordType,
  epoch: number,
  seq: bigint,
  payload: Uint8Array,
): Promise<Bytes> {
  const size = paddedSize(type, payload.length);
  if (size === null) throw new Error(`protocol: ${RecordType[type]} record payload of ${payload.length} bytes is too large`);
  const n = sealedSize(s, size);
  const aad = marshalHeader({ type, epoch, seq, length: n });
  const ct = await c.seal(seq, aad, pad(payload, size));
  if (ct.length !== n) throw new Error('protocol: sealed size disagrees with the suite (broken invariant)');
  return concat(aad, ct);
}

/**
 * Opens the ciphertext of a parsed record under c and returns its payload.
 * A record other than a chunk must be padded exactly to its bucket. A bad
 * length or padding is rejected as a failed authentication is (no oracle).
 */
export async function openRecord(c: RecordCipher, h: RecordHeader, aad: Uint8Array, ciphertext: Uint8Array): Promise<Bytes> {
  let inner: Bytes;
  try {
    inner = await c.open(h.seq, aad, ciphertext);
  } catch {
    throw new RecordRejected('authentication');
  }
  const payload = unpad(inner);
  const ok = payload !== null && (h.type === RecordType.Chunk || paddedSize(h.type, payload.length) === inner.length);
  if (!ok) {
    inner.fill(0);
    throw new RecordRejected('padding');
  }
  return payload;
}

/** The type in a record's header (not yet authenticated). */
export function recordTypeOf(record: Uint8Array): RecordType | undefined {
  return record.length < RECORD_HEADER_SIZE ? undefined : record[2];
}

/** The sequence number in a record's header (not yet authenticated). */
export function recordSequence(record: Uint8Array): bigint | undefined {
  return record.length < RECORD_HEADER_SIZE ? undefined : new Reader(record.subarray(7, 15)).u64();
}

/**
 * An answer that ended (or whose connection broke) inside a record: a
 * transport fault, not a forgery (nothing of it was opened).
 */
export class TruncatedAnswer extends Error {
  constructor(detail: string, options?: { cause?: unknown }) {
    super(`answer cut short: ${detail}`, options);
    this.name = 'TruncatedAnswer';
  }
}

/**
 * Splits a byte stream (an HTTP body) into records, one at a time, bounded
 * by the record size limit; it never holds more than one record and what
 * the stream delivered beyond it.
 */
export class RecordReader {
  /** What the stream delivered and no record took yet, in the pieces it came in. */
  private parts: Uint8Array[] = [];
  private have = 0;
  private done = false;

  constructor(private readonly source: ReadableStreamDefaultReader<Uint8Array>) {}

  /** Reads from a whole body already in memory. */
  static fromBytes(b: Uint8Array): RecordReader {
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(b);
        c.close();
      },
    });
    return new RecordReader(stream.getReader());
  }

  /**
   * Reads until n bytes are buffered (or the stream ends); then the first
   * piece holds them all, joined once (not at every read: a record arrives
   * in many pieces).
   */
  private async fill(n: number): Promise<boolean> {
    while (this.have < n && !this.done) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await this.source.read();
      } catch (e) {
        throw new TruncatedAnswer('the connection broke', { cause: e });
      }
      const { value, done } = chunk;
      if (done) this.done = true;
      else if (value.length > 0) {
        this.parts.push(value);
        this.have += value.length;
      }
    }
    if (this.parts.length > 1 && this.parts[0]!.length < Math.min(n, this.have)) this.parts = [concat(...this.parts)];
    return this.have >= n;
  }

  /** The first n buffered bytes, removed from the buffer. */
  private take(n: number): Bytes {
    const first = this.parts[0]!;
    const out = first.slice(0, n);
    if (first.length === n) this.parts.shift();
    else this.parts[0] = first.subarray(n);
    this.have -= n;
    return out;
  }

  /**
   * The next record, or null at a clean end between records; a truncated
   * record is TruncatedAnswer, an oversized one RecordRejected.
   */
  async next(): Promise<Bytes | null> {
    if (!(await this.fill(1))) return null;
    if (!(await this.fill(RECORD_HEADER_SIZE))) throw new TruncatedAnswer('truncated header');
    const h = new Reader(this.parts[0]!.subarray(0, RECORD_HEADER_SIZE));
    const version = h.u16();
    h.bytes(13);
    const length = h.u32();
    if (version !== VERSION || length > MAX_RECORD_CIPHERTEXT) throw new RecordRejected('bad header');
    const n = RECORD_HEADER_SIZE + length;
    if (!(await this.fill(n))) throw new TruncatedAnswer('truncated body');
    return this.take(n);
  }

  /** Whether the stream ended right here (nothing follows the records read). */
  async atEnd(): Promise<boolean> {
    return !(await this.fill(1));
  }

  /** Stops reading the stream. */
  async cancel(): Promise<void> {
    this.done = true;
    await this.source.cancel().catch(() => {});
  }
}
