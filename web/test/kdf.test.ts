// Known answers for the key-schedule primitives: RFC 8448's trace with the
// "tls13 " prefix, and the pinned answers of protocol/internal/kdf for our
// own prefix (the same vectors as kdf_test.go).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { concat, fromHex, toHex, utf8 } from '../src/bytes.js';
import type { HashName } from '../src/hash.js';
import { deriveSecret, emptyHash, expandLabel, expandLabelWithPrefix, extract, finished, finishedWithPrefix, hkdfLabel, LABEL_PREFIX } from '../src/kdf.js';

const TLS13 = 'tls13 ';
const hex = (s: string): string => s.replace(/\s+/g, '');

test('the key-schedule primitives match RFC 8448, Section 3 (simple 1-RTT handshake)', () => {
  const h: HashName = 'SHA-256';
  const early = extract(h, null, new Uint8Array(32));
  assert.equal(toHex(early), hex('33 ad 0a 1c 60 7e c0 3b 09 e6 cd 98 93 68 0c e2 10 ad f3 00 aa 1f 26 60 e1 b2 2e 10 f1 70 f9 2a'));
  const derived = expandLabelWithPrefix(h, TLS13, early, 'derived', emptyHash(h), 32);
  assert.equal(toHex(derived), hex('6f 26 15 a1 08 c7 02 c5 67 8f 54 fc 9d ba b6 97 16 c0 76 18 9c 48 25 0c eb ea c3 57 6c 36 11 ba'));
  const ecdhe = fromHex('8b d4 05 4f b5 5b 9d 63 fd fb ac f9 f0 4b 9f 0d 35 e6 d6 3f 53 75 63 ef d4 62 72 90 0f 89 49 2d');
  const handshake = extract(h, derived, ecdhe);
  assert.equal(toHex(handshake), hex('1d c8 26 e9 36 06 aa 6f dc 0a ad c1 2f 74 1b 01 04 6a a6 b9 9f 69 1e d2 21 a9 f0 ca 04 3f be ac'));
  const helloHash = fromHex('86 0c 06 ed c0 78 58 ee 8e 78 f0 e7 42 8c 58 ed d6 b4 3f 2c a3 e6 e9 5f 02 ed 06 3c f0 e1 ca d8');
  const cHS = expandLabelWithPrefix(h, TLS13, handshake, 'c hs traffic', helloHash, 32);
  assert.equal(toHex(cHS), hex('b3 ed db 12 6e 06 7f 35 a7 80 b3 ab f4 5e 2d 8f 3b 1a 95 07 38 f5 2e 96 00 74 6a 0e 27 a5 5a 21'));
  const sHS = expandLabelWithPrefix(h, TLS13, handshake, 's hs traffic', helloHash, 32);
  assert.equal(toHex(sHS), hex('b6 7b 7d 69 0c c1 6c 4e 75 e5 42 13 cb 2d 37 b4 e9 c9 12 bc de d9 10 5d 42 be fd 59 d3 91 ad 38'));
  const none = new Uint8Array(0);
  assert.equal(toHex(expandLabelWithPrefix(h, TLS13, sHS, 'key', none, 16)), hex('3f ce 51 60 09 c2 17 27 d0 f2 e4 e8 6e e4 03 bc'));
  assert.equal(toHex(expandLabelWithPrefix(h, TLS13, sHS, 'iv', none, 12)), hex('5d 31 3e b2 67 12 76 ee 13 00 0b 30'));
  assert.equal(toHex(expandLabelWithPrefix(h, TLS13, cHS, 'key', none, 16)), hex('db fa a6 93 d1 76 2c 5b 66 6a f5 d9 50 25 8d 01'));
  assert.equal(toHex(expandLabelWithPrefix(h, TLS13, cHS, 'iv', none, 12)), hex('5b d3 c7 1b 83 6e 0b 76 bb 73 26 5f'));
  assert.equal(
    toHex(expandLabelWithPrefix(h, TLS13, sHS, 'finished', none, 32)),
    hex('00 8d 3b 66 f8 16 ea 55 9f 96 b5 37 e8 85 c3 1f c0 68 bf 49 2c 65 2f 01 f2 88 a1 d8 cd c1 9f c8'),
  );
  const cvHash = fromHex('ed b7 72 5f a7 a3 47 3b 03 1e c8 ef 65 a2 48 54 93 90 01 38 a2 b9 12 91 40 7d 79 51 a0 61 10 ed');
  assert.equal(
    toHex(finishedWithPrefix(h, TLS13, sHS, cvHash)),
    hex('9b 9b 14 1d 90 63 37 fb d2 cb dc e7 1d f4 de da 4a b4 2c 30 95 72 cb 7f ff ee 54 54 b7 8f 07 18'),
  );
  const derived2 = expandLabelWithPrefix(h, TLS13, handshake, 'derived', emptyHash(h), 32);
  assert.equal(toHex(derived2), hex('43 de 77 e0 c7 77 13 85 9a 94 4d b9 db 25 90 b5 31 90 a6 5b 3e e2 e4 f1 2d d7 a0 bb 7c e2 54 b4'));
  assert.equal(
    toHex(extract(h, derived2, new Uint8Array(32))),
    hex('18 df 06 84 3d 13 a0 8b f2 a4 49 84 4c 5f 8a 47 80 01 bc 4d 4c 62 79 84 d5 a4 1d a8 d0 40 29 19'),
  );
});

test('our prefix gives the answers pinned in protocol/internal/kdf', () => {
  const secret = new Uint8Array(48).fill(0x42);
  const th = new Uint8Array(32).fill(0x24);
  const cases: [string, () => Uint8Array, string][] = [
    ['extract with SHA-256 and a nil salt', () => extract('SHA-256', null, secret), 'e2e506f1628fa68b7f304af6d6ba66488aa528826ef42ee1731c018b272eadf2'],
    ['extract with SHA-384 and a nil salt', () => extract('SHA-384', null, secret), '81bdcc3a4cd95dec7e6cae8deac9bce6883179979174c745a34bde26d3221486eb4cc68cdbaa0f53aff8ec35c9722641'],
    ['expand label with SHA-256', () => expandLabel('SHA-256', secret.subarray(0, 32), 'key', th, 16), 'ad7e2d61002bc8f6532cb6e1c39f3159'],
    ['expand label with SHA-384', () => expandLabel('SHA-384', secret, 'iv', new Uint8Array(0), 12), '0f722b37331d70c6e0d269cf'],
    ['derive secret with SHA-256', () => deriveSecret('SHA-256', secret.subarray(0, 32), 'c hs traffic', th), 'e5130ab6ccdd43437dc33c28483c8c9d2316028f4afb42546611342fd037cb58'],
    ['derive secret with SHA-384', () => deriveSecret('SHA-384', secret, 's ap traffic', th), 'a9a92b3f04e09ab703dc0394d036a7c93204373048d39241678b8b1bc6a0ac38fc3a18aa69062f95f74f95959b395398'],
    ['finished with SHA-256', () => finished('SHA-256', secret.subarray(0, 32), th), '7dabc087918183e6da1d03ec2646a3ac267351c72a19fb1a4fa75435fcf74555'],
    ['finished with SHA-384', () => finished('SHA-384', secret, th), 'c35f720efcf1a02d8d6a129aa5eaa927d0781353a5bbd09f80ba60fd3cbb22e1f06ed76f5b27fb3528f5f220feb42169'],
  ];
  for (const [name, got, want] of cases) assert.equal(toHex(got()), want, name);
});

test('HkdfLabel is length ‖ prefixed label ‖ prefixed context', () => {
  const want = concat(Uint8Array.of(0x00, 0x10, LABEL_PREFIX.length + 3), utf8(LABEL_PREFIX + 'key'), Uint8Array.of(0x02, 0xaa, 0xbb));
  assert.equal(toHex(hkdfLabel(LABEL_PREFIX, 'key', Uint8Array.of(0xaa, 0xbb), 16)), toHex(want));
});

test('our prefix derives other keys than TLS 1.3', () => {
  const s = new Uint8Array(32).fill(7);
  assert.notEqual(toHex(expandLabel('SHA-256', s, 'key', new Uint8Array(0), 16)), toHex(expandLabelWithPrefix('SHA-256', TLS13, s, 'key', new Uint8Array(0), 16)));
});

test('Extract then Expand equals WebCrypto HKDF for both hashes', async () => {
  for (const h of ['SHA-256', 'SHA-384'] as const) {
    const salt = new Uint8Array(17).fill(3);
    const ikm = new Uint8Array(40).fill(9);
    const label = hkdfLabel(LABEL_PREFIX, 'c ap traffic', new Uint8Array(5).fill(1), 100);
    const key = await crypto.subtle.importKey('raw', ikm, 'HKDF', false, ['deriveBits']);
    const web = new Uint8Array(await crypto.subtle.deriveBits({ name: 'HKDF', hash: h, salt, info: label }, key, 800));
    const ours = expandLabel(h, extract(h, salt, ikm), 'c ap traffic', new Uint8Array(5).fill(1), 100);
    assert.equal(toHex(ours), toHex(web), h);
  }
});

test('programmer errors throw', () => {
  assert.throws(() => expandLabel('SHA-256', new Uint8Array(32), 'key', new Uint8Array(0), 255 * 32 + 1), /out of range/);
  assert.throws(() => expandLabel('SHA-256', new Uint8Array(32), 'key', new Uint8Array(0), -1), /out of range/);
  assert.throws(() => expandLabel('SHA-256', new Uint8Array(32), 'x'.repeat(256 - LABEL_PREFIX.length), new Uint8Array(0), 16), /too long/);
  assert.throws(() => expandLabel('SHA-256', new Uint8Array(32), 'key', new Uint8Array(256), 16), /too long/);
  assert.equal(expandLabel('SHA-256', new Uint8Array(32), 'x'.repeat(255 - LABEL_PREFIX.length), new Uint8Array(255), 255 * 32).length, 255 * 32);
});
