// The browser client against a real securemedia server on loopback, run by
// `go test ./web` (npm run test:live), which starts the server and writes
// SECUREMEDIA_LIVE_CONFIG: every suite and group end to end (handshake,
// request/response, rekey, chunk records), a retry, and tampering.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { type Bytes, fromHex, toHex, Writer } from '../src/bytes.js';
import { groupName } from '../src/groups.js';
import { Op, Status } from '../src/ops.js';
import { suiteName } from '../src/suites.js';
import { ChannelError, Connection } from '../src/transport.js';
import { pinnedChain } from './helpers.js';

interface LiveConfig {
  server: string;
  serverChain: string[];
  devices: { name: string; chain: string[]; pkcs8: string }[];
  suites: number[];
  groups: number[];
  media: string;
  chunkSize: number;
  plaintext: string;
}

const configPath = process.env.SECUREMEDIA_LIVE_CONFIG;
const skip = configPath ? false : 'needs a live server: run `npm run test:live` (go test ./web), which starts one';
const cfg: LiveConfig | null = configPath ? JSON.parse(readFileSync(configPath, 'utf8')) : null;

interface Device {
  name: string;
  chain: Bytes[];
  key: CryptoKey;
}

async function devices(c: LiveConfig): Promise<Device[]> {
  return Promise.all(
    c.devices.map(async (d) => {
      const alg = d.name === 'ed25519' ? { name: 'Ed25519' } : { name: 'ECDSA', namedCurve: 'P-256' };
      // The browser's device identity: a non-extractable WebCrypto key.
      const key = await crypto.subtle.importKey('pkcs8', fromHex(d.pkcs8), alg, false, ['sign']);
      return { name: d.name, chain: d.chain.map(fromHex), key };
    }),
  );
}

function dial(c: LiveConfig, device: Device, suites: number[], groups: number[]): Promise<Connection> {
  return Connection.dial({
    server: c.server,
    protocol: {
      suites: suites as never,
      groups: groups as never,
      certificate: device.chain,
      privateKey: device.key,
      verifyPeer: pinnedChain(c.serverChain.map(fromHex)),
    },
  });
}

/**
 * A fetch request body: media ‖ first<4> ‖ count<2> ‖ grant<2>. The
 * application messages are not part of this library yet; the live test
 * encodes the one it needs to get chunk records.
 */
function fetchBody(media: Uint8Array, first: number, count: number): Bytes {
  return new Writer().bytes(media).u32(first).u16(count).prefixed(2, () => {}).finish();
}

/** Fetches every chunk of the item and returns the records and their plaintexts. */
async function fetchAll(conn: Connection, c: LiveConfig): Promise<{ records: Bytes[]; plain: Bytes[] }> {
  const media = fromHex(c.media);
  const n = Math.ceil(fromHex(c.plaintext).length / c.chunkSize);
  const x = await conn.exchange(Op.Fetch, fetchBody(media, 0, n));
  assert.equal(x.response.status, Status.OK, 'fetch status');
  const announced = (x.response.body[0]! << 8) | x.response.body[1]!;
  assert.equal(announced, n, 'chunks announced');
  const records: Bytes[] = [];
  const plain: Bytes[] = [];
  for (let i = 0; i < n; i++) {
    const rec = await x.records.next();
    assert.ok(rec, `chunk record ${i}`);
    records.push(rec);
    plain.push(await conn.openChunk(rec, media, i));
  }
  await conn.expectEnd(x.records, Op.Fetch);
  return { records, plain };
}

function checkPlaintext(c: LiveConfig, chunks: Bytes[]): void {
  const want = fromHex(c.plaintext);
  let off = 0;
  for (const [i, p] of chunks.entries()) {
    assert.equal(toHex(p), toHex(want.subarray(off, off + c.chunkSize)), `chunk ${i}`);
    off += p.length;
  }
  assert.equal(off, want.length, 'the whole item');
}

test('every suite and group: handshake, request/response, rekey, chunk records', { skip }, async (t) => {
  const c = cfg!;
  const devs = await devices(c);
  let n = 0;
  for (const suite of c.suites) {
    for (const group of c.groups) {
      const device = devs[n++ % devs.length]!;
      await t.test(`${suiteName(suite)} ${groupName(group)} with an ${device.name} device`, async () => {
        const conn = await dial(c, device, [suite], [group]);
        assert.equal(conn.session.suite.id, suite);
        assert.equal(conn.session.group.id, group);
        const catalog = await conn.call(Op.Catalog, new Uint8Array(0));
        assert.equal(catalog.status, Status.OK);
        assert.ok(catalog.body.length > 0, 'the catalog lists the item');
        await conn.rekey();
        assert.equal(conn.session.epoch, 2);
        assert.equal(conn.session.rekeys, 1);
        checkPlaintext(c, (await fetchAll(conn, c)).plain);
        await conn.close();
      });
    }
  }
});

test('a HelloRetryRequest for the server’s preferred group is answered', { skip }, async () => {
  const c = cfg!;
  const [device] = await devices(c);
  // Offer x25519 first (its share is sent) and the hybrid second: the
  // server prefers the hybrid and asks for its share.
  const conn = await dial(c, device!, [], [0x001d, 0x11ec]);
  assert.equal(groupName(conn.session.group.id), 'x25519mlkem768');
  checkPlaintext(c, (await fetchAll(conn, c)).plain);
  await conn.close();
});

test('a tampered chunk record ends the session on both sides', { skip }, async () => {
  const c = cfg!;
  const [device] = await devices(c);
  const conn = await dial(c, device!, [], []);
  const media = fromHex(c.media);
  const x = await conn.exchange(Op.Fetch, fetchBody(media, 0, 1));
  const rec = (await x.records.next())!;
  rec[rec.length - 1]! ^= 0x01;
  await assert.rejects(conn.openChunk(rec, media, 0), ChannelError);
  await assert.rejects(conn.call(Op.Catalog, new Uint8Array(0)), ChannelError, 'the connection is unusable');
  // The client's authenticated close reached the server: the session is gone.
  const res = await fetch(`${c.server}/v1/session/${toHex(conn.session.id)}`, { method: 'POST', body: new Uint8Array(19) });
  assert.equal(res.status, 404);
  assert.match(res.headers.get('Content-Type') ?? '', /problem\+json/);
});

test('the server refuses a tampered request record and the session goes on', { skip }, async () => {
  const c = cfg!;
  const [device] = await devices(c);
  const conn = await dial(c, device!, [], []);
  const rec = await conn.session.seal(new Writer().u8(Op.Catalog).u24(0).finish());
  rec[rec.length - 1]! ^= 0x01;
  const res = await fetch(`${c.server}/v1/session/${toHex(conn.session.id)}`, { method: 'POST', body: rec });
  assert.equal(res.status, 400);
  assert.match(res.headers.get('Content-Type') ?? '', /problem\+json/);
  const catalog = await conn.call(Op.Catalog, new Uint8Array(0));
  assert.equal(catalog.status, Status.OK, 'a forged record changed nothing');
  await conn.close();
});

test('a chunk opened under another index fails and ends the session', { skip }, async () => {
  const c = cfg!;
  const [, device] = await devices(c);
  const conn = await dial(c, device!, [], []);
  const media = fromHex(c.media);
  const x = await conn.exchange(Op.Fetch, fetchBody(media, 0, 1));
  const rec = (await x.records.next())!;
  await assert.rejects(conn.openChunk(rec, media, 1), ChannelError);
});
