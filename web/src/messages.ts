// The handshake messages (DESIGN.md §4 "Handshake"), as protocol/messages.go.
// Every message is framed as type (1 byte) ‖ length (3 bytes) ‖ body, as in
// RFC 8446 §4, and the framed bytes are what the transcript hash covers.
//
// Each message is a codec: a body type with a marshal and a parse
// function, so that a message gains a field, or a flight a message, in one
// place. The byte layouts are those of protocol/doc.go.

import { type Bytes, Reader, ShortInput, Writer } from './bytes.js';
import {
  HANDSHAKE_HEADER_SIZE,
  MAX_CERTIFICATE_SIZE,
  MAX_CERTIFICATES,
  MAX_COOKIE,
  MAX_FLIGHT_MESSAGES,
  MAX_HANDSHAKE_FLIGHT,
  MAX_KEY_SHARES,
  MAX_OFFERED,
  MAX_REPLICA_NAME,
  MAX_STAPLED_CRL_BYTES,
  MAX_STAPLED_CRLS,
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
  StapledCRLs = 23,
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

/**
 * ServerHello: the session id, the server random, the choices and the
 * replica that holds the session (empty for a single server).
 */
export interface ServerHello {
  version: number;
  sessionID: Bytes;
  random: Bytes;
  suite: number;
  group: number;
  share: Bytes;
  replica: string;
}

/** Reports whether name is a replica name: 1 to 32 bytes of [a-z0-9-]. */
export function isReplicaName(name: string): boolean {
  return name.length > 0 && name.length <= MAX_REPLICA_NAME && /^[a-z0-9-]+$/.test(name);
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
      .prefixed(1, (w) => w.bytes(new TextEncoder().encode(m.replica)))
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
        replica: r.prefixed(1).rest(),
      }),
      body,
    );
    if (m.share.length === 0) throw decodeError('malformed ServerHello');
    checkVersion(m.version, 'ServerHello');
    const replica = String.fromCharCode(...m.replica);
    if (replica !== '' && !isReplicaName(replica)) throw decodeError('ServerHello replica name');
    return { ...m, replica };
  },
};

/**
 * HelloRetryRequest names the suite and group the server chose, when the
 * client sent no share for that group, and carries a cookie (opaque to the
 * client, empty for none) when the server is under load (DESIGN.md §4
 * "Admission"); one retry may do both.
 */
export interface HelloRetryRequest {
  version: number;
  suite: number;
  group: number;
  cookie: Bytes;
}

export const helloRetryRequest = {
  marshal(m: HelloRetryRequest): Bytes {
    if (m.cookie.length > MAX_COOKIE) throw new Error('protocol: cookie too long');
    return frame(
      MsgType.HelloRetryRequest,
      new Writer()
        .u16(m.version)
        .u16(m.suite)
        .u16(m.group)
        .prefixed(1, (w) => w.bytes(m.cookie))
        .finish(),
    );
  },

  parse(body: Uint8Array): HelloRetryRequest {
    const m = decode('HelloRetryRequest', (r) => ({ version: r.u16(), suite: r.u16(), group: r.u16(), cookie: r.prefixed(1).rest() }), body);
    checkVersion(m.version, 'HelloRetryRequest');
    return m;
  },
};

/**
 * DER objects framed as type: list<0..2^24-1> of object<1..2^24-1>, the
 * body of a Certificate and of StapledCRLs.
 */
function marshalDERList(type: MsgType, items: Uint8Array[]): Bytes {
  const body = new Writer()
    .prefixed(3, (w) => items.forEach((c) => w.prefixed(3, (v) => v.bytes(c))))
    .finish();
  return frame(type, body);
}

/** Splits the body of marshalDERList into at most max objects, none empty. */
function parseDERList(what: string, body: Uint8Array, max: number): Bytes[] {
  const list = decode(what, (r) => r.prefixed(3), body);
  const items: Bytes[] = [];
  try {
    while (!list.empty()) {
      if (items.length === max) throw decodeError(`malformed ${what}, or more than ${max}`);
      const c = list.prefixed(3).rest();
      if (c.length === 0) throw decodeError(`malformed ${what}`);
      items.push(c);
    }
  } catch (e) {
    if (e instanceof ShortInput) throw decodeError(`malformed ${what}`);
    throw e;
  }
  return items;
}

/** A certificate chain (DER, leaf first), framed as type. */
export const certificate = {
  marshal(type: MsgType.Certificate | MsgType.UserCertificate, chain: Uint8Array[]): Bytes {
    return marshalDERList(type, chain);
  },

  parse(body: Uint8Array): Bytes[] {
    const chain = parseDERList('Certificate', body, MAX_CERTIFICATES);
    for (const c of chain) {
      if (c.length > MAX_CERTIFICATE_SIZE) throw decodeError(`certificate of ${c.length} bytes exceeds ${MAX_CERTIFICATE_SIZE}`);
    }
    if (chain.length === 0) throw new ProtocolError(AlertCode.BadCertificate, 'empty certificate chain');
    return chain;
  },
};

/**
 * The CRLs the server staples to its flight (DESIGN.md §4 "Stapled
 * CRLs"), each DER: at most 4, 64 KiB in all.
 */
export const stapledCRLs = {
  marshal(crls: Uint8Array[]): Bytes {
    return marshalDERList(MsgType.StapledCRLs, crls);
  },

  parse(body: Uint8Array): Bytes[] {
    const crls = parseDERList('StapledCRLs', body, MAX_STAPLED_CRLS);
    const total = crls.reduce((n, c) => n + c.length, 0);
    if (total > MAX_STAPLED_CRL_BYTES) throw decodeError(`${total} bytes of stapled CRLs, at most ${MAX_STAPLED_CRL_BYTES}`);
    return crls;
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
