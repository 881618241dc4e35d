// The browser client against a real securemedia server on loopback, run by
// `go test ./web` (npm run test:live), which starts the server and writes
// SECUREMEDIA_LIVE_CONFIG: every suite and group end to end (handshake,
// the server's chain validated against the root with the CRLs it stapled,
// request/response, rekey, chunk records), a retry, a cookie under load, a
// whole play with the manifest verified, and tampering.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { type Bytes, fromHex, toHex, Writer } from '../src/bytes.js';
import { groupName } from '../src/groups.js';
import { ClientHandshake } from '../src/handshake_client.js';
import { ChunkIntegrityError, Manifest, ManifestError } from '../src/manifest.js';
import { marshalFetchRequest, Op, parseInfoResponse, Status } from '../src/ops.js';
import { suiteName } from '../src/suites.js';
import { ChannelError, Connection } from '../src/transport.js';
import { Viewer } from '../src/viewer.js';
import { Usage, Validator } from '../src/x509.js';

interface LiveConfig {
  server: string;
  /** The bed's root (DER, hex): the one trust anchor, as the page's /config.json gives it. */
  root: string;
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

/** The server's chain validated as the page validates it: against the root, with the stapled CRLs. */
function verifyPeer(c: LiveConfig, seen?: { crls: number }) {
  const v = new Validator({ root: fromHex(c.root) });
  return async (chain: Bytes[], crls: Bytes[]): Promise<Uint8Array> => {
    if (seen) seen.crls = crls.length;
    v.staple(crls);
    const leaf = await v.verify(chain, Usage.Server, new URL(c.server).hostname);
    assert.equal(toHex(chain[0]!), c.serverChain[0], 'the validated leaf is the server’s');
    return leaf;
  };
}

function dial(c: LiveConfig, device: Device, suites: number[], groups: number[], f?: typeof fetch): Promise<Connection> {
  return Connection.dial({
    server: c.server,
    fetch: f,
    protocol: {
      suites: suites as never,
      groups: groups as never,
      certificate: device.chain,
      privateKey: device.key,
      verifyPeer: verifyPeer(c),
    },
  });
}

function fetchBody(media: Uint8Array, first: number, count: number): Bytes {
  return marshalFetchRequest({ media, first, count, grant: new Uint8Array(0) });
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

test('the server staples the CRLs of its chain, which validate it against the root', { skip }, async () => {
  const c = cfg!;
  const [device] = await devices(c);
  const seen = { crls: 0 };
  const conn = await Connection.dial({
    server: c.server,
    protocol: { certificate: device!.chain, privateKey: device!.key, verifyPeer: verifyPeer(c, seen) },
  });
  assert.equal(seen.crls, 2, 'the root’s and the intermediate’s CRLs');
  await conn.close();
  const refused = await Connection.dial({
    server: c.server,
    protocol: {
      certificate: device!.chain,
      privateKey: device!.key,
      verifyPeer: async (chain, crls) => {
        const v = new Validator({ root: fromHex(c.root) });
        v.staple(crls.slice(1)); // one withheld
        return v.verify(chain, Usage.Server, new URL(c.server).hostname);
      },
    },
  }).catch((e: Error) => e);
  assert.match(String(refused), /bad certificate.*no CRL/);
});

test('under load the server asks for a cookie first, and the client echoes it', { skip }, async () => {
  const c = cfg!;
  const [device] = await devices(c);
  // Four half-open sessions from this host: the next hello must echo a cookie.
  for (let i = 0; i < 4; i++) {
    const hs = new ClientHandshake({ certificate: device!.chain, privateKey: device!.key, verifyPeer: verifyPeer(c) });
    const res = await fetch(`${c.server}/v1/handshake`, { method: 'POST', body: await hs.hello() });
    assert.equal(res.status, 200);
    await hs.readServerFlight(new Uint8Array(await res.arrayBuffer()));
  }
  const answers: number[] = [];
  const watching: typeof fetch = async (url, init) => {
    const res = await fetch(url, init);
    if (String(url).endsWith('/v1/handshake')) {
      const b = new Uint8Array(await res.clone().arrayBuffer());
      answers.push(b[0] === 6 ? b[b.length - 37]! : 0); // a HelloRetryRequest's cookie length byte
    }
    return res;
  };
  const conn = await dial(c, device!, [], [], watching);
  assert.deepEqual(answers, [36, 0], 'a retry with a 36-byte cookie, then the server flight');
  checkPlaintext(c, (await fetchAll(conn, c)).plain);
  await conn.close();
});

test('a Viewer verifies the manifest with the content signer’s chain and plays every chunk, checked', { skip }, async () => {
  const c = cfg!;
  const [, device] = await devices(c);
  const viewer = await Viewer.connect({
    server: c.server,
    root: fromHex(c.root),
    serverName: new URL(c.server).hostname,
    certificate: device!.chain,
    privateKey: device!.key,
  });
  const catalog = await viewer.catalog();
  assert.ok(catalog.some((m) => toHex(m.id) === c.media));
  const got: Bytes[] = [];
  const stats = await viewer.play(fromHex(c.media), { write: async (chunk, i) => void (got[i] = chunk.slice()) });
  assert.equal(stats.chunks, got.length);
  assert.equal(stats.verified, true);
  checkPlaintext(c, got);
  await viewer.close();
});

test('a manifest is verified with the content signer’s chain, and a chunk or a manifest changed by one bit is refused', { skip }, async () => {
  const c = cfg!;
  const [device] = await devices(c);
  const seen = { crls: 0 };
  const v = new Validator({ root: fromHex(c.root) });
  const conn = await Connection.dial({
    server: c.server,
    protocol: {
      certificate: device!.chain,
      privateKey: device!.key,
      verifyPeer: async (chain, crls) => {
        seen.crls = crls.length;
        v.staple(crls);
        return v.verify(chain, Usage.Server, new URL(c.server).hostname);
      },
    },
  });
  const info = parseInfoResponse((await conn.call(Op.Info, fromHex(c.media))).body);
  const content = (chain: Bytes[]) => v.verify(chain, Usage.Content);
  const m = await Manifest.verify(info.manifest, content);
  assert.equal(m.chunks, Math.ceil(fromHex(c.plaintext).length / c.chunkSize));
  const first = fromHex(c.plaintext).subarray(0, c.chunkSize);
  await m.checkChunk(0, first);
  const flipped = first.slice();
  flipped[100]! ^= 0x01;
  await assert.rejects(m.checkChunk(0, flipped), ChunkIntegrityError);
  await assert.rejects(m.checkChunk(1, first), ChunkIntegrityError, 'another chunk’s bytes');
  const forged = info.manifest.slice();
  forged[forged.length - 5]! ^= 0x01; // inside the signature
  await assert.rejects(Manifest.verify(forged, content), ManifestError);
  await assert.rejects(Manifest.verify(info.manifest, (chain) => v.verify(chain, Usage.Server, 'localhost')), /signer chain/, 'a chain of another usage');
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
