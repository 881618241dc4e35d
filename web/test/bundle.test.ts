// The committed bundle (dist/securemedia.js), not only the sources, speaks
// the protocol: it replays a golden handshake byte for byte.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { fromHex, toHex } from '../src/bytes.js';
import { goldenCases, goldenDeviceKey, pinnedChain, readGolden, replayRandom, section, webDir } from './helpers.js';

test('the bundle replays the golden x25519 handshake byte for byte', async () => {
  const bundle = await import(pathToFileURL(join(webDir, 'dist', 'securemedia.js')).href);
  const c = goldenCases.find((x) => x.name === 'aes128gcm-sha256-x25519')!;
  const g = readGolden(c.golden);
  const hs = new bundle.ClientHandshake({
    rand: replayRandom(c.random),
    suites: c.suites,
    groups: c.groups,
    certificate: c.deviceChain.map(fromHex),
    privateKey: await goldenDeviceKey(c),
    verifyPeer: pinnedChain(c.serverChain.map(fromHex)),
  });
  assert.equal(toHex(await hs.hello()), toHex(section(g, 'client hello')));
  assert.equal(await hs.readServerFlight(section(g, 'server flight')), false);
  assert.equal(toHex(await hs.finish()), toHex(section(g, 'client finish')));
  const session = await hs.readServerFinished(section(g, 'server finished'));
  assert.equal(toHex(await session.seal(fromHex(c.request))), toHex(section(g, 'first request record (catalog)')));
  assert.equal(toHex((await session.openChunk(section(g, 'first chunk record'), fromHex(c.media), 0)).payload), c.chunk);
});
