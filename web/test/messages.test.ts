// The handshake message codec and the record framing: round trips of the
// golden messages, and refusal of malformed input.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Bytes, concat, toHex, Writer } from '../src/bytes.js';
import { MAX_CERTIFICATE_SIZE, MAX_RECORD_CIPHERTEXT } from '../src/constants.js';
import { AlertCode, ProtocolError, RecordRejected } from '../src/errors.js';
import { certificate, clientHello, frame, helloRetryRequest, MsgType, parseFlight, serverHello, stapledCRLs } from '../src/messages.js';
import { marshalHeader, pad, paddedSize, parseRecord, RecordReader, RecordType, unpad } from '../src/record.js';
import { goldenCases, readGolden, section } from './helpers.js';

function decodeError(code = AlertCode.DecodeError) {
  return (e: unknown) => e instanceof ProtocolError && e.code === code;
}

test('the golden hellos parse and marshal back to the same bytes', () => {
  for (const c of goldenCases) {
    const g = readGolden(c.golden);
    const [ch] = parseFlight(section(g, 'client hello'));
    assert.equal(toHex(clientHello.marshal(clientHello.parse(ch!.body))), toHex(ch!.raw));
    const [sh, cert, crls, cv] = parseFlight(section(g, 'server flight'));
    const parsed = serverHello.parse(sh!.body);
    assert.equal(parsed.suite, c.suites[0]);
    assert.equal(toHex(serverHello.marshal(parsed)), toHex(sh!.raw));
    assert.equal(certificate.parse(cert!.body).length, c.serverChain.length);
    assert.equal(crls!.type, MsgType.StapledCRLs);
    assert.equal(toHex(stapledCRLs.marshal(stapledCRLs.parse(crls!.body))), toHex(crls!.raw));
    assert.equal(cv!.type, MsgType.CertificateVerify);
    if (g.some((s) => s.name === 'hello retry request')) {
      const [hrr] = parseFlight(section(g, 'hello retry request'));
      assert.equal(toHex(helloRetryRequest.marshal(helloRetryRequest.parse(hrr!.body))), toHex(hrr!.raw));
    }
  }
});

function hello(mod: (w: Writer) => void): Bytes {
  const w = new Writer();
  mod(w);
  return w.finish();
}

const random = new Uint8Array(32);
const offer = (w: Writer, suites: number[], groups: number[]) =>
  w
    .u16(1)
    .bytes(random)
    .prefixed(2, (v) => suites.forEach((s) => v.u16(s)))
    .prefixed(2, (v) => groups.forEach((g) => v.u16(g)));
const shares = (w: Writer, list: [number, number][]) => w.prefixed(2, (v) => list.forEach(([g, n]) => v.u16(g).prefixed(2, (x) => x.bytes(new Uint8Array(n).fill(1)))));

/** A well-formed hello of version 2. */
function otherVersion(): Bytes {
  const b = hello((w) => shares(offer(w, [0x0105], [0x1d]), []));
  b[1] = 2;
  return b;
}

test('malformed ClientHellos are refused', () => {
  const cases: [string, Bytes, AlertCode][] = [
    ['another version', otherVersion(), AlertCode.ProtocolVersion],
    ['an odd suites list', hello((w) => shares(w.u16(1).bytes(random).prefixed(2, (v) => v.u8(1)).prefixed(2, (v) => v.u16(0x1d)), [])), AlertCode.DecodeError],
    ['no groups', hello((w) => shares(offer(w, [0x0105], []), [])), AlertCode.DecodeError],
    ['a share for a group not offered', hello((w) => shares(offer(w, [0x0105], [0x1d]), [[0x17, 65]])), AlertCode.DecodeError],
    ['two shares for one group', hello((w) => shares(offer(w, [0x0105], [0x1d]), [[0x1d, 32], [0x1d, 32]])), AlertCode.DecodeError],
    ['an empty share', hello((w) => shares(offer(w, [0x0105], [0x1d]), [[0x1d, 0]])), AlertCode.DecodeError],
    ['trailing bytes', hello((w) => shares(offer(w, [0x0105], [0x1d]), []).u8(0)), AlertCode.DecodeError],
    ['a truncated body', hello((w) => offer(w, [0x0105], [0x1d])), AlertCode.DecodeError],
  ];
  for (const [name, body, code] of cases) assert.throws(() => clientHello.parse(body), decodeError(code), name);
  assert.equal(clientHello.parse(hello((w) => shares(offer(w, [0x0105], [0x1d]), [[0x1d, 32]]))).shares.length, 1);
});

test('malformed flights are refused', () => {
  assert.throws(() => parseFlight(new Uint8Array(0)), decodeError(), 'an empty flight');
  assert.throws(() => parseFlight(Uint8Array.of(1, 0, 0)), decodeError(), 'a truncated header');
  assert.throws(() => parseFlight(Uint8Array.of(1, 0, 0, 5, 1)), decodeError(), 'a truncated body');
  assert.throws(() => parseFlight(concat(...Array.from({ length: 9 }, () => frame(MsgType.Finished, new Uint8Array(1))))), decodeError(), 'nine messages');
  assert.throws(() => parseFlight(new Uint8Array((128 << 10) + 1)), decodeError(), 'a flight above the limit');
  assert.equal(parseFlight(concat(frame(MsgType.Finished, Uint8Array.of(1)), frame(MsgType.Finished, new Uint8Array(0)))).length, 2);
});

test('malformed certificate chains are refused', () => {
  const chain = (certs: Uint8Array[]) => certificate.marshal(MsgType.Certificate, certs).subarray(4);
  assert.throws(() => certificate.parse(chain([])), decodeError(AlertCode.BadCertificate), 'an empty chain');
  assert.throws(() => certificate.parse(chain([new Uint8Array(0)])), decodeError(), 'an empty entry');
  assert.throws(() => certificate.parse(chain([new Uint8Array(MAX_CERTIFICATE_SIZE + 1)])), decodeError(), 'an oversized certificate');
  assert.throws(() => certificate.parse(chain(Array.from({ length: 9 }, () => Uint8Array.of(1)))), decodeError(), 'nine certificates');
  assert.equal(certificate.parse(chain(Array.from({ length: 8 }, () => Uint8Array.of(1)))).length, 8);
});

function record(len: number, body = new Uint8Array(len)): Bytes {
  return concat(marshalHeader({ type: RecordType.Response, epoch: 1, seq: 3n, length: len }), body);
}

test('record framing: short, truncated, oversized, trailing and other versions are rejected', () => {
  assert.throws(() => parseRecord(new Uint8Array(18)), RecordRejected);
  assert.throws(() => parseRecord(record(10).subarray(0, 25)), RecordRejected);
  assert.throws(() => parseRecord(concat(record(10), Uint8Array.of(0))), RecordRejected);
  assert.throws(() => parseRecord(record(MAX_RECORD_CIPHERTEXT + 1, new Uint8Array(0))), RecordRejected);
  const v2 = record(10);
  v2[1] = 2;
  assert.throws(() => parseRecord(v2), RecordRejected);
  const r = parseRecord(record(10));
  assert.deepEqual(r.header, { type: RecordType.Response, epoch: 1, seq: 3n, length: 10 });
  assert.equal(r.aad.length, 19);
});

function streamOf(b: Uint8Array, piece: number): ReadableStreamDefaultReader<Uint8Array> {
  let off = 0;
  return new ReadableStream<Uint8Array>({
    pull(c) {
      if (off >= b.length) return c.close();
      c.enqueue(b.slice(off, off + piece));
      off += piece;
    },
  }).getReader();
}

test('the record reader splits a stream delivered in arbitrary pieces', async () => {
  const recs = [record(5, Uint8Array.of(1, 2, 3, 4, 5)), record(0), record(300, new Uint8Array(300).fill(9))];
  for (const piece of [1, 7, 19, 1000]) {
    const r = new RecordReader(streamOf(concat(...recs), piece));
    for (const want of recs) assert.equal(toHex((await r.next())!), toHex(want), `pieces of ${piece}`);
    assert.equal(await r.next(), null);
    assert.equal(await r.atEnd(), true);
  }
  await assert.rejects(new RecordReader(streamOf(record(5).subarray(0, 10), 3)).next(), /truncated header/);
  await assert.rejects(new RecordReader(streamOf(record(5).subarray(0, 22), 3)).next(), /truncated body/);
  await assert.rejects(RecordReader.fromBytes(record(MAX_RECORD_CIPHERTEXT + 1, new Uint8Array(0))).next(), /bad header/);
});

test('stapled CRLs: at most 4, none empty, 64 KiB in all', () => {
  const body = (crls: Uint8Array[]) => stapledCRLs.marshal(crls).subarray(4);
  assert.deepEqual(stapledCRLs.parse(body([])), []);
  assert.equal(stapledCRLs.parse(body(Array.from({ length: 4 }, () => Uint8Array.of(0x30)))).length, 4);
  assert.throws(() => stapledCRLs.parse(body(Array.from({ length: 5 }, () => Uint8Array.of(0x30)))), decodeError(), 'five CRLs');
  assert.throws(() => stapledCRLs.parse(body([new Uint8Array(0)])), decodeError(), 'an empty CRL');
  assert.throws(() => stapledCRLs.parse(body([new Uint8Array(32 << 10), new Uint8Array((32 << 10) + 1)])), decodeError(), 'more than 64 KiB');
});

test('a ServerHello names a replica of [a-z0-9-], 1 to 32 bytes, or none', () => {
  const sh = (replica: string) =>
    serverHello.marshal({ version: 1, sessionID: new Uint8Array(16), random: new Uint8Array(32), suite: 0x0105, group: 0x1d, share: Uint8Array.of(1), replica }).subarray(4);
  assert.equal(serverHello.parse(sh('')).replica, '');
  assert.equal(serverHello.parse(sh('eu-west-2')).replica, 'eu-west-2');
  for (const bad of ['EU', 'a.b', 'a/b', 'x'.repeat(33), 'é']) assert.throws(() => serverHello.parse(sh(bad)), decodeError(), bad);
});

test('a HelloRetryRequest carries a cookie of at most 255 bytes, or none', () => {
  const hrr = (cookie: Bytes) => helloRetryRequest.marshal({ version: 1, suite: 0x0105, group: 0x1d, cookie }).subarray(4);
  assert.equal(helloRetryRequest.parse(hrr(new Uint8Array(0))).cookie.length, 0);
  assert.equal(toHex(helloRetryRequest.parse(hrr(Uint8Array.of(1, 2, 3))).cookie), '010203');
  assert.throws(() => helloRetryRequest.parse(Uint8Array.of(0, 1, 1, 5, 0, 0x1d)), decodeError(), 'no cookie length');
  assert.throws(() => helloRetryRequest.marshal({ version: 1, suite: 0x0105, group: 0x1d, cookie: new Uint8Array(256) }));
});

test('padding: buckets for every record but chunks, zeros, the true length last', () => {
  assert.equal(paddedSize(RecordType.Request, 0), 256);
  assert.equal(paddedSize(RecordType.Request, 252), 256);
  assert.equal(paddedSize(RecordType.Request, 253), 1024);
  assert.equal(paddedSize(RecordType.Response, (2 << 20) - 4), 2 << 20);
  assert.equal(paddedSize(RecordType.Response, 2 << 20), (4 << 20) + 4096 + 4);
  assert.equal(paddedSize(RecordType.Response, (4 << 20) + 4097), null);
  assert.equal(paddedSize(RecordType.Handshake, 70000), 131013);
  assert.equal(paddedSize(RecordType.Handshake, 131010), null);
  const p = pad(Uint8Array.of(7, 8, 9), 16);
  assert.equal(toHex(p), '07080900000000000000000000000003');
  assert.equal(toHex(unpad(p)!), '070809');
  const bad = p.slice();
  bad[5] = 1;
  assert.equal(unpad(bad), null, 'a padding byte not zero');
  const long = p.slice();
  long[15] = 13;
  assert.equal(unpad(long), null, 'a length beyond the padding');
  assert.equal(unpad(Uint8Array.of(0, 0, 0)), null, 'shorter than the length');
});
