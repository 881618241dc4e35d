// The connection against a server simulated from a golden handshake (its
// recorded flights, then responses sealed with the session's own server
// secret): what the connection makes of an authenticated answer.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Bytes } from '../src/bytes.js';
import { recordCipher } from '../src/key_schedule.js';
import { marshalResponse, Op, Status } from '../src/ops.js';
import { RecordType, recordSequence, sealRecord } from '../src/record.js';
import { secretsOf } from '../src/session.js';
import { Connection, TransportError } from '../src/transport.js';
import { goldenCases, goldenClientConfig, readGolden, section } from './helpers.js';

/**
 * A connection dialed against a golden case's recorded server flights;
 * after the handshake, the request of sequence seq is answered with
 * answer(seq). requests lists the sequences the client sent.
 */
async function simulated(name: string, answer: (seq: bigint) => { status: Status; body?: Bytes }) {
  const c = goldenCases.find((x) => x.name === name)!;
  const g = readGolden(c.golden);
  const flights = [
    ...(g.some((s) => s.name === 'hello retry request') ? [section(g, 'hello retry request')] : []),
    section(g, 'server flight'),
    section(g, 'server finished'),
  ];
  const requests: bigint[] = [];
  let conn: Connection | null = null;
  const fetchFn = async (_url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const flight = flights.shift();
    if (flight) return new Response(flight as BodyInit, { status: 200 });
    const seq = recordSequence(new Uint8Array(init!.body as ArrayBuffer))!;
    requests.push(seq);
    const s = conn!.session;
    const cipher = await recordCipher(s.suite, secretsOf(s).server);
    const a = answer(seq);
    const resp = marshalResponse({ inReplyTo: seq, status: a.status, flags: 0, body: a.body ?? new Uint8Array(0) });
    return new Response((await sealRecord(s.suite, cipher, RecordType.Response, s.epoch, seq, resp)) as BodyInit, { status: 200 });
  };
  conn = await Connection.dial({ server: 'http://127.0.0.1:1', protocol: await goldenClientConfig(c), fetch: fetchFn as typeof fetch });
  return { conn, requests };
}

test('a draining server’s “go elsewhere” is a transport fault that ends the session (a play resumes in a new one)', async () => {
  const { conn, requests } = await simulated('aes128gcm-sha256-x25519', () => ({ status: Status.GoElsewhere }));
  await assert.rejects(conn.call(Op.Catalog, new Uint8Array(0)), (e: unknown) => {
    assert.ok(e instanceof TransportError, `want a TransportError, got ${e}`);
    assert.match((e as Error).message, /sent us elsewhere/);
    return true;
  });
  // The session is over: nothing more is sent on it.
  await assert.rejects(conn.call(Op.Catalog, new Uint8Array(0)));
  assert.deepEqual(requests, [0n]);
});

test('any other refusal stays a refusal of the operation, on a session that goes on', async () => {
  const { conn, requests } = await simulated('aes128gcm-sha256-x25519', () => ({ status: Status.NotFound }));
  for (let i = 0; i < 2; i++) {
    await assert.rejects(conn.call(Op.Info, new Uint8Array(16)), (e: unknown) => !(e instanceof TransportError));
  }
  assert.deepEqual(requests, [0n, 1n]);
});
