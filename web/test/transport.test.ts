// The connection against a server simulated from a golden handshake (its
// recorded flights, then responses sealed with the session's own server
// secret): what the connection makes of an authenticated answer.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Bytes } from '../src/bytes.js';
import { recordCipher } from '../src/key_schedule.js';
import { marshalResponse, marshalShare, Op, Status } from '../src/ops.js';
import { parseRecord, type RecordReader, RecordType, recordSequence, sealRecord } from '../src/record.js';
import { systemRandom } from '../src/random.js';
import { secretsOf } from '../src/session.js';
import { ChannelError, Connection, TransportError } from '../src/transport.js';
import { goldenCases, goldenClientConfig, readGolden, section } from './helpers.js';

/** What the simulated server saw of one request after the handshake. */
interface Seen {
  seq: bigint;
  epoch: number;
  /** The signal the client passed to fetch. */
  signal: AbortSignal | undefined;
}

/** Seals a response of the connection's session, under its current epoch, as the server would. */
async function sealResponse(conn: Connection, seq: bigint, a: { status: Status; body?: Bytes; inReplyTo?: bigint }): Promise<Bytes> {
  const s = conn.session;
  const cipher = await recordCipher(s.suite, secretsOf(s).server);
  const resp = marshalResponse({ inReplyTo: a.inReplyTo ?? seq, status: a.status, flags: 0, body: a.body ?? new Uint8Array(0) });
  return sealRecord(s.suite, cipher, RecordType.Response, s.epoch, seq, resp);
}

/**
 * A connection dialed against a golden case's recorded server flights;
 * after the handshake, each request is answered by serve (the HTTP answer
 * itself). requests lists the sequences the client sent.
 */
async function simulatedServer(name: string, serve: (req: Seen, conn: Connection) => Promise<Response>) {
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
    const rec = new Uint8Array(init!.body as ArrayBuffer);
    const seq = recordSequence(rec)!;
    requests.push(seq);
    return serve({ seq, epoch: parseRecord(rec).header.epoch, signal: init?.signal ?? undefined }, conn!);
  };
  conn = await Connection.dial({ server: 'http://127.0.0.1:1', protocol: await goldenClientConfig(c), fetch: fetchFn as typeof fetch });
  return { conn, requests };
}

/** simulatedServer, the request of sequence seq answered with the single response answer(seq). */
function simulated(name: string, answer: (seq: bigint) => { status: Status; body?: Bytes }) {
  return simulatedServer(name, async (req, conn) => new Response((await sealResponse(conn, req.seq, answer(req.seq))) as BodyInit, { status: 200 }));
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

const CASE = 'aes128gcm-sha256-x25519';

/** A body stream of the given records that then stays open until the request's signal aborts it, erroring as fetch's body does. */
function streaming(records: Uint8Array[], signal: AbortSignal | undefined): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(c) {
      for (const r of records) c.enqueue(r);
      signal?.addEventListener('abort', () => c.error(signal.reason), { once: true });
    },
  });
}

/** A well-framed record the client cannot take: a header of another protocol version. */
const badHeader = new Uint8Array(19).fill(0xff);

/** Whether a connection is over: a further call is refused without a request. */
async function assertEnded(conn: Connection, requests: bigint[]) {
  const before = requests.length;
  await assert.rejects(conn.call(Op.Catalog, new Uint8Array(0)));
  assert.equal(requests.length, before, 'nothing more is sent on an ended session');
}

test('an answer that fails its checks ends the connection even when the caller aborted meanwhile (fail closed)', async (t) => {
  const cases: { name: string; want: (e: unknown) => boolean; serve: (req: Seen, conn: Connection) => Promise<Response>; read?: 'next' | 'end' }[] = [
    {
      name: 'a response record that does not authenticate',
      want: (e) => e instanceof ChannelError,
      serve: async (req, conn) => {
        const rec = await sealResponse(conn, req.seq, { status: Status.OK });
        rec[rec.length - 1]! ^= 1;
        return new Response(rec as BodyInit, { status: 200 });
      },
    },
    {
      name: 'a response to another request',
      want: (e) => e instanceof ChannelError && /answers request 7/.test(e.message),
      serve: async (req, conn) => new Response((await sealResponse(conn, req.seq, { status: Status.OK, inReplyTo: 7n })) as BodyInit, { status: 200 }),
    },
    {
      name: 'a lost session (404)',
      want: (e) => e instanceof TransportError,
      serve: async () => new Response('{"title":"Not Found"}', { status: 404, headers: { 'Content-Type': 'application/problem+json' } }),
    },
    {
      name: 'a draining server’s go elsewhere',
      want: (e) => e instanceof TransportError && /elsewhere/.test(e.message),
      serve: async (req, conn) => new Response((await sealResponse(conn, req.seq, { status: Status.GoElsewhere })) as BodyInit, { status: 200 }),
    },
    {
      name: 'a record after the response that is not one (nextRecord)',
      read: 'next',
      want: (e) => e instanceof ChannelError,
      serve: async (req, conn) => new Response(streaming([await sealResponse(conn, req.seq, { status: Status.OK }), badHeader], undefined), { status: 200 }),
    },
    {
      name: 'an answer whose stream breaks after the response (expectEnd)',
      read: 'end',
      want: (e) => e instanceof ChannelError,
      serve: async (req, conn) => {
        const rec = await sealResponse(conn, req.seq, { status: Status.OK });
        return new Response(
          new ReadableStream<Uint8Array>({
            start(c) {
              c.enqueue(rec);
            },
            // Once the response record is read, the stream breaks.
            pull(c) {
              c.error(new Error('connection reset'));
            },
          }),
          { status: 200 },
        );
      },
    },
  ];
  for (const k of cases) {
    await t.test(k.name, async () => {
      const leave = new AbortController();
      // The answer arrives after the caller aborted: this fetch does not watch the signal.
      const { conn, requests } = await simulatedServer(CASE, async (req, c) => {
        if (requests.length === 1) leave.abort(new Error('left the play'));
        return k.serve(req, c);
      });
      const op = k.read === 'end' ? conn.call(Op.Catalog, new Uint8Array(0), leave.signal) : conn.exchange(Op.Fetch, new Uint8Array(0), leave.signal);
      const run = k.read === 'next' ? op.then((x) => conn.nextRecord((x as { records: RecordReader }).records, Op.Fetch, leave.signal)) : op;
      await assert.rejects(run, (e: unknown) => {
        assert.ok(k.want(e), `want the channel's failure, not the abort: got ${e}`);
        return true;
      });
      await assertEnded(conn, requests);
    });
  }
});

test('aborting a fetch while its chunk records stream ends it with the abort; the next call on the connection succeeds', async () => {
  const { conn, requests } = await simulatedServer(CASE, async (req, c) => {
    const resp = await sealResponse(c, req.seq, { status: Status.OK });
    if (req.seq !== 0n) return new Response(resp as BodyInit, { status: 200 });
    // The fetch: its response and a first chunk record, then the rest still on its way.
    const chunk = await sealResponse(c, req.seq + 1000n, { status: Status.OK });
    return new Response(streaming([resp, chunk], req.signal), { status: 200 });
  });
  const leave = new AbortController();
  const x = await conn.exchange(Op.Fetch, new Uint8Array(0), leave.signal);
  assert.equal(x.response.status, Status.OK);
  assert.ok(await conn.nextRecord(x.records, Op.Fetch, leave.signal), 'the first chunk record');
  const reading = conn.nextRecord(x.records, Op.Fetch, leave.signal);
  const reason = new Error('left the play');
  leave.abort(reason);
  await assert.rejects(reading, (e: unknown) => e === reason);
  const r = await conn.call(Op.Catalog, new Uint8Array(0));
  assert.equal(r.status, Status.OK);
  assert.deepEqual(requests, [0n, 1n], 'the same session: no close, no new handshake');
});

test('a request made while a rekey is in flight waits for it and goes under the new epoch, on the same connection', async () => {
  let rekeyAnswered!: () => void;
  const gate = new Promise<void>((r) => (rekeyAnswered = r));
  let serverEpoch = 1;
  const { conn, requests } = await simulatedServer(CASE, async (req, c) => {
    // The server takes only records of the epoch it is at: it commits the new one as it takes the rekey.
    if (req.epoch !== serverEpoch) return new Response('{"title":"record rejected"}', { status: 400, headers: { 'Content-Type': 'application/problem+json' } });
    if (requests.length === 1) {
      serverEpoch++;
      const { share } = await c.session.group.kex.generateShare(systemRandom);
      await gate;
      return new Response((await sealResponse(c, req.seq, { status: Status.OK, body: marshalShare(share) })) as BodyInit, { status: 200 });
    }
    return new Response((await sealResponse(c, req.seq, { status: Status.OK })) as BodyInit, { status: 200 });
  });
  const rekey = conn.rekey();
  while (requests.length === 0) await new Promise((r) => setTimeout(r, 1));
  const catalog = conn.call(Op.Catalog, new Uint8Array(0));
  await new Promise((r) => setTimeout(r, 20));
  rekeyAnswered();
  await rekey;
  assert.equal((await catalog).status, Status.OK);
  assert.equal(conn.session.epoch, 2);
  assert.equal(conn.session.rekeys, 1);
  assert.equal((await conn.call(Op.Catalog, new Uint8Array(0))).status, Status.OK, 'the connection goes on');
  assert.deepEqual(requests, [0n, 0n, 1n], 'the rekey under epoch 1, then the calls under epoch 2');
});
