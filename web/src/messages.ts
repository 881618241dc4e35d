// The handshake messages (DESIGN.md §4 "Handshake"), as protocol/messages.go.
// Every message is framed as type (1 byte) ‖ length (3 bytes) ‖ body, as in
// RFC 8446 §4, and the framed bytes are what the transcript hash covers.
//
// Each message is a codec: a body type with a marshal and a parse
// function, so that a message gains a field, or a flight a message, in one
// place (the stapled CRLs of the server flight and the HelloRetryRequest
// cookie of DESIGN.md §4 are the next).

import { type Bytes, Reader, ShortInput, Writer } from './bytes.js';
import {
  HANDSHAKE_HEADER_SIZE,
  MAX_CERTIFICATE_SIZE,
  MAX_CERTIFICATES,
  MAX_FLIGHT_MESSAGES,
  MAX_HANDSHAKE_FLIGHT,
  MAX_KEY_SHARES,
  MAX_OFFERED,
  RANDOM_SIZE,
  SESSION_ID_SIZE,
  VERSION,
} from './constants.js';
import { AlertCode, ProtocolError } from './errors.js';

/** A handshake message type. */
export enum MsgType {
  ClientHello = 1,
  ServerHello = 2,
  HelloRetryRequest = 6,
  Certificate = 11,
  CertificateVerify = 15,
  Finished = 20,
  UserCertificate = 21,
  UserCertificateVerify = 22,
}

/** One framed handshake message. */
export interface Message {
  type: MsgType;
  body: Bytes;
  /** The framed bytes, for the transcript. */
  raw: Bytes;
}

/** Wraps a body into a framed handshake message. */
export function frame(type: MsgType, body: Uint8Array): Bytes {
  return new Writer()
    .u8(type)
    .prefixed(3, (w) => w.bytes(body))
    .finish();
}

function decodeError(detail: string): ProtocolError {
  return new ProtocolError(AlertCode.DecodeError, detail);
}

/** Runs a parser, turning a short or malformed input into a decode error. */
function decode<T>(what: string, parse: (r: Reader) => T, body: Uint8Array): T {
  const r = new Reader(body);
  let out: T;
  try {
    out = parse(r);
  } catch (e) {
    if (e instanceof ShortInput) throw decodeError(`malformed ${what}`);
    throw e;
  }
  if (!r.empty()) throw decodeError(`malformed ${what}`);
  return out;
}

/** Splits a flight into framed messages. */
export function parseFlight(data: Uint8Array): Message[] {
  if (data.length > MAX_HANDSHAKE_FLIGHT) throw decodeError(`flight of ${data.length} bytes exceeds ${MAX_HANDSHAKE_FLIGHT}`);
  const out: Message[] = [];
  let off = 0;
  while (off < data.length) {
    if (out.length === MAX_FLIGHT_MESSAGES) throw decodeError(`more than ${MAX_FLIGHT_MESSAGES} messages in a flight`);
    if (data.length - off < HANDSHAKE_HEADER_SIZE) throw decodeError('truncated handshake message');
    const r = new Reader(data.subarray(off));
    const type = r.u8();
    const n = r.u24();
    const end = off + HANDSHAKE_HEADER_SIZE + n;
    if (end > data.length) throw decodeError('truncated handshake message');
    out.push({ type, body: data.slice(off + HANDSHAKE_HEADER_SIZE, end), raw: data.slice(off, end) });
    off = end;
  }
  if (out.length === 0) throw decodeError('empty flight');
  return out;
}

function checkVersion(v: number, what: string): void {
  if (v !== VERSION) {
    throw new ProtocolError(AlertCode.ProtocolVersion, `${what} version 0x${v.toString(16).padStart(4, '0')}, want 0x${VERSION.toString(16).padStart(4, '0')}`);
  }
}

/** One offered (or chosen) key share. */
export interface KeyShare {
  group: number;
  data: Bytes;
}

/**
 * ClientHello: version, random, the offered suites and groups in
 * preference order, and key shares.
 */
export interface ClientHello {
  version: number;
  random: Bytes;
  suites: number[];
  groups: number[];
  shares: KeyShare[];
}

export const clientHello = {
  marshal(m: ClientHello): Bytes {
    const body = new Writer()
      .u16(m.version)
      .bytes(m.random)
      .prefixed(2, (w) => m.suites.forEach((s) => w.u16(s)))
      .prefixed(2, (w) => m.groups.forEach((g) => w.u16(g)))
      .prefixed(2, (w) =>
        m.shares.forEach((ks) =>
          w.u16(ks.group).prefixed(2, (v) => v.bytes(ks.data)),
        ),
      )
      .finish();
    return frame(MsgType.ClientHello, body);
  },

  parse(body: Uint8Array): ClientHello {
    const m = decode(
      'ClientHello',
      (r) => {
        const version = r.u16();
        const random = r.bytes(RANDOM_SIZE);
        const suites = r.prefixed(2);
        const groups = r.prefixed(2);
        const shares = r.prefixed(2);
        return { version, random, suites, groups, shares };
      },
      body,
    );
    checkVersion(m.version, 'ClientHello');
    const list = (r: Reader, what: string): number[] => {
      if (r.remaining % 2 !== 0 || r.remaining === 0 || r.remaining / 2 > MAX_OFFERED) {
        throw decodeError(`ClientHello ${what} list of ${r.remaining} bytes`);
      }
      const out: number[] = [];
      while (!r.empty()) out.push(r.u16());
      return out;
    };
    const out: ClientHello = { version: m.version, random: m.random, suites: list(m.suites, 'suites'), groups: list(m.groups, 'groups'), shares: [] };
    try {
      while (!m.shares.empty()) {
        if (out.shares.length === MAX_KEY_SHARES) throw decodeError(`more than ${MAX_KEY_SHARES} key shares`);
        const group = m.shares.u16();
        const data = m.shares.prefixed(2).rest();
        if (data.length === 0) throw decodeError('malformed key share');
        if (out.shares.some((ks) => ks.group === group)) throw decodeError(`two key shares for group 0x${group.toString(16)}`);
        if (!out.groups.includes(group)) throw decodeError(`key share for group 0x${group.toString(16)}, a group not offered`);
        out.shares.push({ group, data });
      }
    } catch (e) {
      if (e instanceof ShortInput) throw decodeError('malformed key share');
      throw e;
    }
    return out;
  },
};

/** ServerHello: the session id, the server random and the choices. */
export interface ServerHello {
  version: number;
  sessionID: Bytes;
  random: Bytes;
  suite: number;
  group: number;
  share: Bytes;
}

export const serverHello = {
  marshal(m: ServerHello): Bytes {
    const body = new Writer()
      .u16(m.version)
      .bytes(m.sessionID)
      .bytes(m.random)
      .u16(m.suite)
      .u16(m.group)
      .prefixed(2, (w) => w.bytes(m.share))
      .finish();
    return frame(MsgType.ServerHello, body);
  },

  parse(body: Uint8Array): ServerHello {
    const m = decode(
      'ServerHello',
      (r) => ({
        version: r.u16(),
        sessionID: r.bytes(SESSION_ID_SIZE),
        random: r.bytes(RANDOM_SIZE),
        suite: r.u16(),
        group: r.u16(),
        share: r.prefixed(2).rest(),
      }),
      body,
    );
    if (m.share.length === 0) throw decodeError('malformed ServerHello');
    checkVersion(m.version, 'ServerHello');
    return m;
  },
};

/**
 * HelloRetryRequest names the suite and group the server chose when the
 * client sent no share for that group.
 */
export interface HelloRetryRequest {
  version: number;
  suite: number;
  group: number;
}

export const helloRetryRequest = {
  marshal(m: HelloRetryRequest): Bytes {
    return frame(MsgType.HelloRetryRequest, new Writer().u16(m.version).u16(m.suite).u16(m.group).finish());
  },

  parse(body: Uint8Array): HelloRetryRequest {
    const m = decode('HelloRetryRequest', (r) => ({ version: r.u16(), suite: r.u16(), group: r.u16() }), body);
    checkVersion(m.version, 'HelloRetryRequest');
    return m;
  },
};

/** A certificate chain (DER, leaf first), framed as type. */
export const certificate = {
  marshal(type: MsgType.Certificate | MsgType.UserCertificate, chain: Uint8Array[]): Bytes {
    const body = new Writer()
      .prefixed(3, (w) => chain.forEach((c) => w.prefixed(3, (v) => v.bytes(c))))
      .finish();
    return frame(type, body);
  },

  parse(body: Uint8Array): Bytes[] {
    const list = decode('Certificate', (r) => r.prefixed(3), body);
    const chain: Bytes[] = [];
    try {
      while (!list.empty()) {
        const c = list.prefixed(3).rest();
        if (c.length === 0) throw decodeError('malformed certificate entry');
        if (c.length > MAX_CERTIFICATE_SIZE) throw decodeError(`certificate of ${c.length} bytes exceeds ${MAX_CERTIFICATE_SIZE}`);
        if (chain.length === MAX_CERTIFICATES) throw decodeError(`chain longer than ${MAX_CERTIFICATES}`);
        chain.push(c);
      }
    } catch (e) {
      if (e instanceof ShortInput) throw decodeError('malformed certificate entry');
      throw e;
    }
    if (chain.length === 0) throw new ProtocolError(AlertCode.BadCertificate, 'empty certificate chain');
    return chain;
  },
};

/** A signature scheme and a signature. */
export interface CertificateVerify {
  scheme: number;
  signature: Bytes;
}

export const certificateVerify = {
  marshal(type: MsgType.CertificateVerify | MsgType.UserCertificateVerify, m: CertificateVerify): Bytes {
    return frame(
      type,
      new Writer()
        .u16(m.scheme)
        .prefixed(2, (w) => w.bytes(m.signature))
        .finish(),
    );
  },

  parse(body: Uint8Array): CertificateVerify {
    const m = decode('CertificateVerify', (r) => ({ scheme: r.u16(), signature: r.prefixed(2).rest() }), body);
    if (m.signature.length === 0) throw decodeError('malformed CertificateVerify');
    return m;
  },
};
