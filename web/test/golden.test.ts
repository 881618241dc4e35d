// The browser client reproduces the Go golden handshake transcripts
// (protocol/testdata/*.golden) byte for byte: the same random draws (from
// web/testdata/golden-client.json, written by `go test ./protocol -run
// Golden -update`), the same device key, the same server flight in, the
// same client messages and records out.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromHex, toHex, utf8 } from '../src/bytes.js';
import { AlertCode, ProtocolError } from '../src/errors.js';
import { ClientHandshake } from '../src/handshake_client.js';
import { marshalRequest } from '../src/ops.js';
import { secretsOf } from '../src/session.js';
import { goldenAssertion, goldenCases, goldenDeviceKey, pinnedChain, readGolden, replayRandom, section } from './helpers.js';

test('the fixture covers every golden transcript', () => {
  assert.deepEqual(
    goldenCases.map((c) => c.name).sort(),
    [
      'aes128cbc-sha256-ffdhe2048',
      'aes128gcm-sha256-x25519',
      'aes128gcm-sha256-x25519-cookie-retry',
      'aes128gcm-sha256-x25519-webauthn',
      'aes256gcm-sha384-x25519-stapled-crls',
      'chacha20-sha256-p256-cookie-and-share-retry',
      'chacha20-sha384-x25519mlkem768-after-retry',
    ],
  );
});

for (const c of goldenCases) {
  test(`the client reproduces ${c.golden} byte for byte`, async () => {
    const g = readGolden(c.golden);
    const retry = g.some((s) => s.name === 'hello retry request');
    const rand = replayRandom(c.random);
    const privateKey = await goldenDeviceKey(c);
    let stapled: Uint8Array[] | null = null;
    const pinned = pinnedChain(c.serverChain.map(fromHex));
    const hs = new ClientHandshake({
      rand,
      suites: c.suites as never,
      groups: c.groups as never,
      keyShares: c.keyShares,
      certificate: c.deviceChain.map(fromHex),
      privateKey,
      verifyPeer: async (chain, crls) => {
        stapled = crls;
        return pinned(chain);
      },
      webauthn: c.webauthn ? goldenAssertion(c) : undefined,
    });

    assert.equal(toHex(await hs.hello()), toHex(section(g, 'client hello')), 'client hello');
    if (retry) {
      assert.equal(await hs.readServerFlight(section(g, 'hello retry request')), true, 'the retry is recognised');
      assert.equal(toHex(await hs.hello()), toHex(section(g, 'client hello retry flight')), 'client hello retry flight');
    }
    assert.equal(await hs.readServerFlight(section(g, 'server flight')), false);
    assert.equal(hs.suite?.id, c.suites[0]);
    assert.equal(stapled!.length > 0, c.name.includes('stapled-crls'), 'the stapled CRLs reach the verifier');
    assert.equal(toHex(await hs.finish()), toHex(section(g, 'client finish')), 'client finish');
    const session = await hs.readServerFinished(section(g, 'server finished'));
    assert.equal(rand.remaining(), 0, 'every recorded random draw was used');

    const secrets = secretsOf(session);
    assert.equal(toHex(secrets.master), c.epoch1.master, 'master secret');
    assert.equal(toHex(secrets.client), c.epoch1.clientTraffic, 'client application traffic secret');
    assert.equal(toHex(secrets.server), c.epoch1.serverTraffic, 'server application traffic secret');

    assert.equal(toHex(marshalRequest({ op: 1, body: new Uint8Array(0) })), c.request, 'the request envelope');
    const req = await session.seal(fromHex(c.request));
    assert.equal(toHex(req), toHex(section(g, 'first request record (catalog)')), 'first request record');

    const chunkRecord = section(g, 'first chunk record');
    const opened = await session.openChunk(chunkRecord, fromHex(c.media), c.chunkIndex);
    assert.equal(toHex(opened.payload), toHex(utf8('the first chunk of the media')));
    assert.equal(toHex(opened.payload), c.chunk);
    await assert.rejects(session.openChunk(chunkRecord, fromHex(c.media), c.chunkIndex), /replayed/, 'a replayed chunk record');
  });
}

test('a flipped byte of the server flight fails the handshake', async () => {
  const c = goldenCases.find((x) => x.name === 'aes128gcm-sha256-x25519')!;
  const g = readGolden(c.golden);
  const flight = section(g, 'server flight');
  const privateKey = await crypto.subtle.importKey('pkcs8', fromHex(c.deviceKeyPKCS8), { name: 'Ed25519' }, false, ['sign']);
  // Every 7th byte keeps the run short; each flip must be refused.
  for (let i = 0; i < flight.length; i += 7) {
    const hs = new ClientHandshake({
      rand: replayRandom(c.random),
      suites: c.suites as never,
      groups: c.groups as never,
      certificate: c.deviceChain.map(fromHex),
      privateKey,
      verifyPeer: pinnedChain(c.serverChain.map(fromHex)),
    });
    await hs.hello();
    const bad = flight.slice();
    bad[i]! ^= 0x01;
    await assert.rejects(hs.readServerFlight(bad), `a flip at byte ${i} was accepted`);
  }
});

test('the server flight is refused when our offer differs from what the server signed (downgrade) or the chain is refused', async () => {
  const c = goldenCases.find((x) => x.name === 'aes128gcm-sha256-x25519')!;
  const g = readGolden(c.golden);
  const client = async (random: string[], verifyPeer = pinnedChain(c.serverChain.map(fromHex))) => {
    const hs = new ClientHandshake({
      rand: replayRandom(random),
      suites: c.suites as never,
      groups: c.groups as never,
      certificate: c.deviceChain.map(fromHex),
      privateKey: await goldenDeviceKey(c),
      verifyPeer,
    });
    await hs.hello();
    return hs;
  };
  // Another client random: the hello the server signed is not ours.
  const otherRandom = [c.random[0]!.replace(/^../, 'ff'), ...c.random.slice(1)];
  await assert.rejects((await client(otherRandom)).readServerFlight(section(g, 'server flight')), (e) => e instanceof ProtocolError && e.code === AlertCode.DecryptError);
  const refusing = async (): Promise<Uint8Array> => {
    throw new Error('revoked');
  };
  await assert.rejects((await client(c.random, refusing)).readServerFlight(section(g, 'server flight')), (e) => e instanceof ProtocolError && e.code === AlertCode.BadCertificate);
  // A failed handshake is over: its steps are refused.
  const hs = await client(otherRandom);
  await assert.rejects(hs.readServerFlight(section(g, 'server flight')));
  await assert.rejects(hs.finish(), /out of order/);
});
