// The client session's record layer against a server simulated with the
// key schedule: sequence numbers, the replay window, record types and
// epochs, per-chunk keys, rekey and erasure.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Bytes, toHex, Writer } from '../src/bytes.js';
import { RecordRejected, SessionClosed } from '../src/errors.js';
import { nobleHash } from '../src/hash.js';
import { applicationTrafficSecrets, chunkCipher, nextMasterSecret, recordCipher } from '../src/key_schedule.js';
import { systemRandom } from '../src/random.js';
import { parseRecord, RecordType, recordSequence, sealRecord } from '../src/record.js';
import { secretsOf, type Session } from '../src/session.js';
import { goldenSession } from './helpers.js';

/** The server side of a session's current epoch, from the client's secrets. */
async function serverOf(session: Session, serverSecret: Bytes, epoch: number) {
  const s = session.suite;
  const c = await recordCipher(s, serverSecret);
  return {
    response: (seq: bigint, payload: Uint8Array) => sealRecord(s, c, RecordType.Response, epoch, seq, payload),
    chunk: async (seq: bigint, media: Uint8Array, index: number, payload: Uint8Array) =>
      sealRecord(s, await chunkCipher(s, serverSecret, media, index), RecordType.Chunk, epoch, seq, payload),
  };
}

const media = new Uint8Array(16).fill(0xab);

test('requests carry sequence numbers 0, 1, 2, … of epoch 1', async () => {
  const { session } = await goldenSession('aes128gcm-sha256-x25519');
  for (let i = 0n; i < 3n; i++) {
    const rec = await session.seal(Uint8Array.of(1, 0, 0, 0));
    assert.equal(recordSequence(rec), i);
    assert.equal(parseRecord(rec).header.epoch, 1);
    assert.equal(parseRecord(rec).header.type, RecordType.Request);
  }
});

test('responses open in any order, once; a forged record changes nothing', async () => {
  const { session } = await goldenSession('aes128gcm-sha256-x25519');
  const server = await serverOf(session, secretsOf(session).server, 1);
  const r0 = await server.response(0n, Uint8Array.of(0));
  const r5 = await server.response(5n, Uint8Array.of(5));
  const forged = r0.slice();
  forged[forged.length - 1]! ^= 1;
  await assert.rejects(session.open(forged), RecordRejected);
  assert.equal(toHex((await session.open(r5)).payload), '05');
  assert.equal((await session.open(r0)).seq, 0n, 'the forged copy did not consume sequence 0');
  await assert.rejects(session.open(r0), /replayed/);
  await assert.rejects(session.open(r5), /replayed/);
});

test('a record of another type, epoch or with trailing bytes is rejected', async () => {
  const { session } = await goldenSession('aes128cbc-sha256-ffdhe2048');
  const secret = secretsOf(session).server;
  const server = await serverOf(session, secret, 1);
  const chunk = await server.chunk(0n, media, 0, Uint8Array.of(1));
  await assert.rejects(session.open(chunk), /type/);
  const other = await serverOf(session, secret, 2);
  await assert.rejects(session.open(await other.response(1n, Uint8Array.of(1))), /epoch/);
  const r = await server.response(2n, Uint8Array.of(1));
  await assert.rejects(session.open(new Uint8Array([...r, 0])), /trailing/);
  await assert.rejects(session.open(r.subarray(0, 18)), /short header/);
  assert.equal((await session.open(r)).seq, 2n);
});

test('a chunk opens only under its own media and index', async () => {
  const { session } = await goldenSession('chacha20-sha384-x25519mlkem768-after-retry');
  const server = await serverOf(session, secretsOf(session).server, 1);
  const rec = await server.chunk(0n, media, 7, Uint8Array.of(1, 2, 3));
  await assert.rejects(session.openChunk(rec, media, 6), /authentication/);
  const other = media.slice();
  other[15] = 0;
  await assert.rejects(session.openChunk(rec, other, 7), /authentication/);
  assert.equal(toHex((await session.openChunk(rec, media, 7)).payload), '010203');
});

test('a rekey moves both directions to epoch 2 under keys that mix the old master secret and a fresh exchange', async () => {
  const { session } = await goldenSession('aes128gcm-sha256-x25519');
  const before = secretsOf(session);
  const clientShare = await session.rekeyRequest();
  // The server's half of the exchange and of the schedule (protocol/session.go).
  const server = await session.group.kex.generateShare(systemRandom);
  const shared = await server.priv.finish(clientShare);
  const th = nobleHash(session.suite.hash)(
    new Writer()
      .bytes(session.id)
      .u32(1)
      .prefixed(2, (w) => w.bytes(clientShare))
      .prefixed(2, (w) => w.bytes(server.share))
      .finish(),
  );
  const ms = nextMasterSecret(session.suite, before.master, shared, th);
  const next = applicationTrafficSecrets(session.suite, ms, th);

  const oldServer = await serverOf(session, before.server, 1);
  const stale = await oldServer.response(0n, Uint8Array.of(1));
  await session.completeRekey(server.share);
  assert.equal(session.epoch, 2);
  assert.equal(session.rekeys, 1);
  const after = secretsOf(session);
  assert.equal(toHex(after.master), toHex(ms));
  assert.equal(toHex(after.client), toHex(next.client));
  assert.equal(toHex(after.server), toHex(next.server));

  const rec = await session.seal(Uint8Array.of(1, 0, 0, 0));
  assert.equal(parseRecord(rec).header.epoch, 2);
  assert.equal(recordSequence(rec), 0n, 'sequence numbers restart in the new epoch');
  await assert.rejects(session.open(stale), /epoch/, 'the old epoch is closed');
  const newServer = await serverOf(session, next.server, 2);
  assert.equal(toHex((await session.open(await newServer.response(0n, Uint8Array.of(9)))).payload), '09');
});

test('a bad rekey share from the server fails the rekey', async () => {
  const { session } = await goldenSession('aes128gcm-sha256-x25519');
  await session.rekeyRequest();
  await assert.rejects(session.completeRekey(new Uint8Array(32)), /rekey share/);
  await assert.rejects(session.completeRekey(new Uint8Array(32)), /no rekey in progress/);
});

test('close erases the keys: nothing seals or opens afterwards', async () => {
  const { session } = await goldenSession('aes128gcm-sha256-x25519');
  const secrets = secretsOf(session);
  const server = await serverOf(session, secrets.server, 1);
  const r = await server.response(0n, Uint8Array.of(1));
  session.close();
  assert.equal(session.isClosed, true);
  await assert.rejects(session.seal(Uint8Array.of(1)), SessionClosed);
  await assert.rejects(session.open(r), SessionClosed);
  const erased = secretsOf(session);
  assert.ok(erased.master.every((b) => b === 0) && erased.client.every((b) => b === 0) && erased.server.every((b) => b === 0));
  assert.notEqual(toHex(secrets.master), toHex(erased.master));
});
