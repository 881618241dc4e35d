// The envelope of the operations that travel as records to the per-session
// endpoint (DESIGN.md §4 "Over HTTP"), as message/message.go: a request
// record carries a Request, the answer is a response record carrying a
// Response (and, for a fetch, chunk records). The operations' own bodies
// (catalog, info, fetch, play, ...) are not here yet; the rekey share,
// which the session itself needs, is (protocol/messages.go).

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
}

/** Response flag: the client should rekey before its next data request. */
export const FLAG_REKEY_DUE = 1 << 0;

/** Bounds an operation body (a signed manifest of the largest item fits). */
const MAX_OP_BODY = 2 << 20;
/** Bounds an error message. */
const MAX_MESSAGE = 1024;

/** A request or response that does not decode. */
export class MalformedOperation extends Error {
  constructor() {
    super('malformed operation');
    this.name = 'MalformedOperation';
  }
}

function decode<T>(parse: (r: Reader) => T, data: Uint8Array): T {
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
  const e = decode((x) => ({ message: x.prefixed(2).rest(), offer: x.prefixed(2).rest() }), data);
  if (e.message.length > MAX_MESSAGE) throw new MalformedOperation();
  let message: string;
  try {
    message = new TextDecoder('utf-8', { fatal: true }).decode(e.message);
  } catch {
    throw new MalformedOperation();
  }
  return { message, offer: e.offer };
}
