// The license operations (DESIGN.md §7), as message/license.go: a play
// (free; its view is consumed when its first chunk is delivered) answers
// the grant every fetch presents, the resume ticket and the signed license
// token; a resume moves a play to a new session after a transport fault;
// an exhausted or expired license answers PaymentRequired with an offer,
// which a renewal names once, after a (simulated) payment.

import { type Bytes, Reader, Writer } from './bytes.js';
import { decode, MalformedOperation, MAX_CATALOG, MAX_MILLIS, MAX_UNIX_MILLIS, readString, writeString } from './ops.js';

/** The size of an offer id on the wire. */
export const OFFER_ID_SIZE = 16;
const MAX_LICENSE_TOKEN = 32 << 10;
const MAX_GRANT = 1024;
const MAX_REMAINING = 255;
const MAX_PRICE = 255;
const MAX_OFFER_VIEWS = 1_000_000;
const MAX_PAYMENT_REF = 128;
const MAX_TITLE = 1024;

/** The answer to a started or resumed play. */
export interface PlayResponse {
  grant: Bytes;
  /** Holds a secret: kept in memory only. */
  ticket: Bytes;
  token: Bytes;
  /** The first chunk the play has not delivered (0 for a new play). */
  next: number;
  /** For the viewer, e.g. "4 views left". */
  remaining: string;
}

/** grant<2> ‖ ticket<1> ‖ token<3> ‖ next<4> ‖ remaining<2>; all three of grant, ticket and token, or none. */
export function parsePlayResponse(data: Uint8Array): PlayResponse {
  const p = decode(
    (r) => ({ grant: r.prefixed(2).rest(), ticket: r.prefixed(1).rest(), token: r.prefixed(3).rest(), next: r.u32(), remaining: readString(r, 2, MAX_REMAINING) }),
    data,
  );
  const none = [p.grant, p.ticket, p.token].map((b) => b.length === 0);
  if (p.grant.length > MAX_GRANT || p.token.length > MAX_LICENSE_TOKEN || none.some((x) => x !== none[0])) throw new MalformedOperation();
  return p;
}

/** ticket<1..255>. */
export function marshalResumeRequest(ticket: Uint8Array): Bytes {
  return new Writer().prefixed(1, (w) => w.bytes(ticket)).finish();
}

/** A renewal offer the server stored (message.Offer). */
export interface Offer {
  id: Bytes;
  /** Views it restores, 0 = unlimited. */
  views: number;
  /** Period it restores in milliseconds, 0 = none. */
  period: number;
  /** It adds to a license that can still play. */
  extends: boolean;
  /** Until when it can be accepted. */
  expires: Date | null;
  price: string;
}

export function parseOffer(data: Uint8Array): Offer {
  return decode((r: Reader) => {
    const id = r.bytes(OFFER_ID_SIZE);
    const views = r.u32();
    const period = r.u64();
    const ext = r.u8();
    const exp = r.u64();
    const price = readString(r, 2, MAX_PRICE);
    if (views > MAX_OFFER_VIEWS || period > BigInt(MAX_MILLIS) || ext > 1 || exp > BigInt(MAX_UNIX_MILLIS)) throw new MalformedOperation();
    return { id, views, period: Number(period), extends: ext === 1, expires: exp === 0n ? null : new Date(Number(exp)), price };
  }, data);
}

/** offer_id[16] ‖ reference<1..128>: accepts the offer, paid under a single-use reference. */
export function marshalRenewRequest(offer: Uint8Array, reference: string): Bytes {
  const ref = new TextEncoder().encode(reference);
  if (offer.length !== OFFER_ID_SIZE || ref.length === 0 || ref.length > MAX_PAYMENT_REF) throw new Error('renew: bad request');
  return writeString(new Writer().bytes(offer), 1, reference).finish();
}

/** The renewed token and a summary of what it grants. */
export interface RenewResponse {
  token: Bytes;
  remaining: string;
}

export function parseRenewResponse(data: Uint8Array): RenewResponse {
  const r = decode((x) => ({ token: x.prefixed(3).rest(), remaining: readString(x, 2, MAX_REMAINING) }), data);
  if (r.token.length === 0 || r.token.length > MAX_LICENSE_TOKEN) throw new MalformedOperation();
  return r;
}

/** One of the viewer's licenses. */
export interface LicenseInfo {
  media: Bytes;
  title: string;
  /** -1 for unlimited. */
  viewsLeft: number;
  expires: Date | null;
  needsRenewal: boolean;
  revoked: boolean;
}

/** count ‖ (media ‖ title<2> ‖ views<4> ‖ expires<8> ‖ flags<1>)... */
export function parseLicenses(data: Uint8Array): LicenseInfo[] {
  return decode((r) => {
    const n = r.u32();
    if (n > MAX_CATALOG) throw new MalformedOperation();
    const out: LicenseInfo[] = [];
    for (let i = 0; i < n; i++) {
      const media = r.bytes(16);
      const title = readString(r, 2, MAX_TITLE);
      const views = r.u32() | 0;
      const exp = r.u64();
      const flags = r.u8();
      if (flags > 3 || exp > BigInt(MAX_UNIX_MILLIS) || views < -1) throw new MalformedOperation();
      out.push({ media, title, viewsLeft: views, expires: exp === 0n ? null : new Date(Number(exp)), needsRenewal: (flags & 1) !== 0, revoked: (flags & 2) !== 0 });
    }
    return out;
  }, data);
}
