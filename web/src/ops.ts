// The envelope of the operations that travel as records to the per-session
// endpoint (DESIGN.md §4 "Over HTTP"), as message/message.go: a request
// record carries a Request, the answer is a response record carrying a
// Response (and, for a fetch, chunk records); and the bodies of the catalog,
// info and fetch operations. The license operations are in licenses.ts,
// the registration in register.ts; the rekey share, which the session
// itself needs, is here (protocol/messages.go).

import { type Bytes, Reader, ShortInput, Writer } from './bytes.js';

/** Operation codes. */
export enum Op {
  Catalog = 1,
  Info = 2,
  Fetch = 3,
  Close = 4,
  Rekey = 5,
  Play = 6,
  Renew = 7,
  License = 8,
  Resume = 9,
  Offer = 10,
  RegisterOptions = 11,
  Register = 12,
}

/** The outcome of an operation, inside the encrypted response. */
export enum Status {
  OK = 0,
  BadRequest = 1,
  NotFound = 2,
  PaymentRequired = 3,
  Forbidden = 4,
  RekeyRequired = 5,
  Unavailable = 6,
  Internal = 7,
  /** The server's stored copy of a chunk failed its at-rest integrity check. */
  Integrity = 8,
  /** This play cannot deliver what was asked: a new play starts over. */
  PlayEnded = 9,
  /**
   * A draining replica closed the session (DESIGN.md §10): connect again,
   * through the balancer, and resume.
   */
  GoElsewhere = 10,
}

/** Response flag: the client should rekey before its next data request. */
export const FLAG_REKEY_DUE = 1 << 0;

/** Bounds an operation body (a signed manifest of the largest item fits). */
const MAX_OP_BODY = 2 << 20;
/** Bounds an error message. */
export const MAX_MESSAGE = 1024;
/** Bounds a title. */
const MAX_TITLE = 1024;
/** Bounds a catalog (and a license list). */
export const MAX_CATALOG = 10000;
/** Bounds a play grant. */
const MAX_GRANT = 1024;
/** Bounds one fetch (message.MaxChunksPerFetch). */
export const MAX_CHUNKS_PER_FETCH = 64;
/** Bounds times in milliseconds since 1970 (about the year 2248). */
export const MAX_UNIX_MILLIS = 2 ** 43;
/** Bounds durations in milliseconds (about 35 years). */
export const MAX_MILLIS = 2 ** 40;

/** A request or response that does not decode. */
export class MalformedOperation extends Error {
  constructor() {
    super('malformed operation');
    this.name = 'MalformedOperation';
  }
}

/** Runs a body parser: a short or malformed body, or trailing bytes, is MalformedOperation. */
export function decode<T>(parse: (r: Reader) => T, data: Uint8Array): T {
  const r = new Reader(data);
  let out: T;
  try {
    out = parse(r);
  } catch (e) {
    if (e instanceof ShortInput) throw new MalformedOperation();
    throw e;
  }
  if (!r.empty()) throw new MalformedOperation();
  return out;
}

export interface Request {
  op: Op;
  body: Uint8Array;
}

/** op ‖ body<0..2^24-1>. */
export function marshalRequest(r: Request): Bytes {
  return new Writer()
    .u8(r.op)
    .prefixed(3, (w) => w.bytes(r.body))
    .finish();
}

export function parseRequest(data: Uint8Array): Request {
  const r = decode((x) => ({ op: x.u8(), body: x.prefixed(3).rest() }), data);
  if (r.body.length > MAX_OP_BODY) throw new MalformedOperation();
  return r;
}

/**
 * One response. inReplyTo is the sequence number of the request record it
 * answers, so that responses cannot be swapped between parallel requests.
 */
export interface Response {
  inReplyTo: bigint;
  status: Status;
  flags: number;
  body: Bytes;
}

export function marshalResponse(r: Response): Bytes {
  return new Writer()
    .u64(r.inReplyTo)
    .u8(r.status)
    .u8(r.flags)
    .prefixed(3, (w) => w.bytes(r.body))
    .finish();
}

export function parseResponse(data: Uint8Array): Response {
  const r = decode((x) => ({ inReplyTo: x.u64(), status: x.u8(), flags: x.u8(), body: x.prefixed(3).rest() }), data);
  if (r.body.length > MAX_OP_BODY) throw new MalformedOperation();
  return r;
}

/** A rekey request or response body: a key share. */
export function marshalShare(share: Uint8Array): Bytes {
  return new Writer().prefixed(2, (w) => w.bytes(share)).finish();
}

export function parseShare(data: Uint8Array): Bytes {
  const share = decode((x) => x.prefixed(2).rest(), data);
  if (share.length === 0) throw new MalformedOperation();
  return share;
}

/**
 * The body of a non-OK response: a message for the viewer and, for
 * PaymentRequired, an opaque renewal offer.
 */
export interface ErrorBody {
  message: string;
  offer: Bytes;
}

export function parseErrorBody(data: Uint8Array): ErrorBody {
  return decode((x) => ({ message: readString(x, 2, MAX_MESSAGE), offer: x.prefixed(2).rest() }), data);
}

/** A UTF-8 string with a width-byte length prefix, at most max bytes. */
export function readString(r: Reader, width: 1 | 2, max = 255): string {
  const b = r.prefixed(width).rest();
  if (b.length > max) throw new MalformedOperation();
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    throw new MalformedOperation();
  }
}

/** Writes a UTF-8 string with a width-byte length prefix. */
export function writeString(w: Writer, width: 1 | 2, v: string): Writer {
  return w.prefixed(width, (x) => x.bytes(new TextEncoder().encode(v)));
}

/** A time in milliseconds since 1970, 0 for none. */
function readTime(r: Reader): Date | null {
  const ms = r.u64();
  if (ms > BigInt(MAX_UNIX_MILLIS)) throw new MalformedOperation();
  return ms === 0n ? null : new Date(Number(ms));
}

/** A viewer's license state for one item, for display. */
export interface LicenseState {
  /** False when the server reports no license information. */
  known: boolean;
  /** -1 for unlimited. */
  viewsLeft: number;
  /** Null when the license has no period. */
  expires: Date | null;
  /** Exhausted or expired: the next play needs a renewal. */
  needsRenewal: boolean;
}

/** One catalog item (message.MediaInfo). */
export interface MediaInfo {
  id: Bytes;
  title: string;
  contentType: string;
  size: number;
  chunkSize: number;
  chunks: number;
  /** Milliseconds, 0 when unknown. */
  duration: number;
  license: LicenseState;
}

function readMediaInfo(r: Reader): MediaInfo {
  const id = r.bytes(16);
  const title = readString(r, 2, MAX_TITLE);
  const contentType = readString(r, 1);
  const size = r.u64();
  const chunkSize = r.u32();
  const chunks = r.u32();
  const duration = r.u64();
  const flags = r.u8();
  const views = r.u32() | 0;
  const expires = readTime(r);
  if (duration > BigInt(MAX_MILLIS) || flags > 3 || size > BigInt(Number.MAX_SAFE_INTEGER)) throw new MalformedOperation();
  return {
    id,
    title,
    contentType,
    size: Number(size),
    chunkSize,
    chunks,
    duration: Number(duration),
    license: { known: (flags & 1) !== 0, needsRenewal: (flags & 2) !== 0, viewsLeft: views, expires },
  };
}

/** Decodes a catalog response body: count ‖ item<3>... */
export function parseCatalog(data: Uint8Array): MediaInfo[] {
  return decode((r) => {
    const n = r.u32();
    if (n > MAX_CATALOG) throw new MalformedOperation();
    const items: MediaInfo[] = [];
    for (let i = 0; i < n; i++) items.push(decode(readMediaInfo, r.prefixed(3).rest()));
    return items;
  }, data);
}

/** An item's metadata and its signed manifest (empty when the store has none). */
export interface InfoResponse {
  info: MediaInfo;
  manifest: Bytes;
}

export function parseInfoResponse(data: Uint8Array): InfoResponse {
  return decode((r) => ({ info: decode(readMediaInfo, r.prefixed(3).rest()), manifest: r.prefixed(3).rest() }), data);
}

/** A fetch: count chunks of media from first, under the play's grant. */
export interface FetchRequest {
  media: Uint8Array;
  first: number;
  count: number;
  grant: Uint8Array;
}

/** media ‖ first<4> ‖ count<2> ‖ grant<0..2^16-1>. */
export function marshalFetchRequest(f: FetchRequest): Bytes {
  if (f.count < 1 || f.count > MAX_CHUNKS_PER_FETCH || f.grant.length > MAX_GRANT) throw new Error('fetch: bad request');
  return new Writer()
    .bytes(f.media)
    .u32(f.first)
    .u16(f.count)
    .prefixed(2, (w) => w.bytes(f.grant))
    .finish();
}

/** How many chunk records follow a fetch's response record. */
export function parseFetchResponse(data: Uint8Array): number {
  const n = decode((r) => r.u16(), data);
  if (n > MAX_CHUNKS_PER_FETCH) throw new MalformedOperation();
  return n;
}

/**
 * The body of the response record that ends a fetch answer early: the
 * first chunk not sent (checked against those received, so dropped chunk
 * records cannot pass as the server's reason), whether the view was
 * refunded, a reason and, for a period that ended mid-play, an offer.
 */
export interface FetchEnd {
  next: number;
  refunded: boolean;
  message: string;
  offer: Bytes;
}

export function parseFetchEnd(data: Uint8Array): FetchEnd {
  return decode((r) => {
    const next = r.u32();
    const flags = r.u8();
    if (flags & ~1) throw new MalformedOperation();
    return { next, refunded: (flags & 1) !== 0, message: readString(r, 2, MAX_MESSAGE), offer: r.prefixed(2).rest() };
  }, data);
}
