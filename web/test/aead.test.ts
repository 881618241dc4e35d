// Record protection: the RFC 7518 known answers of the CBC-HMAC
// composition, the nonce derivations checked against independent
// implementations (@noble/ciphers' AES and GCM), and tampering.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cbc, ecb, gcm } from '@noble/ciphers/aes.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { aeadNonce, AuthenticationFailed, CBCHMAC, Kind, newRecordCipher, sizes } from '../src/aead.js';
import { concat, fromHex, toHex, Writer } from '../src/bytes.js';
import type { HashName } from '../src/hash.js';

// RFC 7518, Appendix B.1: the inputs shared by both known-answer tests.
const P = fromHex(`41 20 63 69 70 68 65 72 20 73 79 73 74 65 6d 20 6d 75 73 74 20 6e 6f 74 20 62 65 20 72 65 71 75
  69 72 65 64 20 74 6f 20 62 65 20 73 65 63 72 65 74 2c 20 61 6e 64 20 69 74 20 6d 75 73 74 20 62
  65 20 61 62 6c 65 20 74 6f 20 66 61 6c 6c 20 69 6e 74 6f 20 74 68 65 20 68 61 6e 64 73 20 6f 66
  20 74 68 65 20 65 6e 65 6d 79 20 77 69 74 68 6f 75 74 20 69 6e 63 6f 6e 76 65 6e 69 65 6e 63 65`);
const IV = fromHex('1a f3 8c 2d c2 b9 6f fd d8 66 94 09 23 41 bc 04');
const A = fromHex(`54 68 65 20 73 65 63 6f 6e 64 20 70 72 69 6e 63 69 70 6c 65 20 6f 66 20 41 75 67 75 73 74 65 20
  4b 65 72 63 6b 68 6f 66 66 73`);

async function checkVector(h: HashName, key: Uint8Array, e: string, tag: string): Promise<void> {
  const a = await CBCHMAC.create(key, h);
  const sealed = await a.seal(IV, A, P);
  assert.equal(toHex(sealed), toHex(concat(fromHex(e), fromHex(tag))));
  assert.equal(toHex(await a.open(IV, A, sealed)), toHex(P));
}

test('AES_128_CBC_HMAC_SHA_256 matches RFC 7518, Appendix B.1', async () => {
  const key = Uint8Array.from({ length: 32 }, (_, i) => i);
  await checkVector(
    'SHA-256',
    key,
    `c8 0e df a3 2d df 39 d5 ef 00 c0 b4 68 83 42 79 a2 e4 6a 1b 80 49 f7 92 f7 6b fe 54 b9 03 a9 c9
     a9 4a c9 b4 7a d2 65 5c 5f 10 f9 ae f7 14 27 e2 fc 6f 9b 3f 39 9a 22 14 89 f1 63 62 c7 03 23 36
     09 d4 5a c6 98 64 e3 32 1c f8 29 35 ac 40 96 c8 6e 13 33 14 c5 40 19 e8 ca 79 80 df a4 b9 cf 1b
     38 4c 48 6f 3a 54 c5 10 78 15 8e e5 d7 9d e5 9f bd 34 d8 48 b3 d6 95 50 a6 76 46 34 44 27 ad e5
     4b 88 51 ff b5 98 f7 f8 00 74 b9 47 3c 82 e2 db`,
    '65 2c 3f a3 6b 0a 7c 5b 32 19 fa b3 a3 0b c1 c4',
  );
});

test('the SHA-384 variant matches the known answer of protocol/internal/aead', async () => {
  const key = Uint8Array.from({ length: 40 }, (_, i) => i);
  await checkVector(
    'SHA-384',
    key,
    `adf53b476c7aa62eb1f3450988cd1b0d89295fa0552f9254a4685a48fbfcc3d1fa4bc1fad48df16a36de05de8b92d080
     773ec64021e670a9d3591a836496fff8836409d491b9b3329c95008433cd8b4d77b519db9578ee70eb38ca3a951075ce
     cafde20ea62e5454f2d412a4752cd3a1aa2ff79958132129332b9691afd65b886493a80e3a46caf5470729bd2097399c`,
    'fc648d98dd8a692ca3527fd679671466b06766d56c5cc298',
  );
});

test('a bad padding under a valid tag is refused like any other failure', async () => {
  const key = Uint8Array.from({ length: 32 }, (_, i) => i);
  // One block that ends in 0x00: not PKCS #7. Encrypt it raw, tag it properly.
  const block = new Uint8Array(16).fill(0x41);
  block[15] = 0;
  const c = cbc(key.subarray(16), IV, { disablePadding: true }).encrypt(block);
  const al = new Writer().u64(BigInt(A.length) * 8n).finish();
  const tag = hmac(sha256, key.subarray(0, 16), concat(A, IV, c, al)).slice(0, 16);
  const a = await CBCHMAC.create(key, 'SHA-256');
  await assert.rejects(a.open(IV, A, concat(c, tag)), AuthenticationFailed);
});

const kinds: [Kind, HashName][] = [
  [Kind.ChaCha20Poly1305, 'SHA-384'],
  [Kind.AES128GCM, 'SHA-256'],
  [Kind.AES256GCM, 'SHA-384'],
  [Kind.AES128CBCHMAC, 'SHA-256'],
  [Kind.AES128CBCHMAC, 'SHA-384'],
];

async function cipherFor(k: Kind, h: HashName, fill = 1) {
  const { keyLen, ivLen } = sizes(k, h);
  return newRecordCipher(k, h, new Uint8Array(keyLen).fill(fill), new Uint8Array(ivLen).fill(fill + 1));
}

for (const [k, h] of kinds) {
  test(`${Kind[k]} with ${h}: round trip, and every tampered byte, truncation, other sequence or key fails`, async () => {
    const c = await cipherFor(k, h);
    const aad = new Uint8Array(19).fill(7);
    const msg = new Uint8Array(100).map((_, i) => i);
    const sealed = await c.seal(5n, aad, msg);
    assert.equal(toHex(await c.open(5n, aad, sealed)), toHex(msg));
    for (let i = 0; i < sealed.length; i++) {
      const bad = sealed.slice();
      bad[i]! ^= 0x80;
      await assert.rejects(c.open(5n, aad, bad), AuthenticationFailed, `byte ${i}`);
    }
    for (let i = 0; i < aad.length; i++) {
      const bad = aad.slice();
      bad[i]! ^= 1;
      await assert.rejects(c.open(5n, bad, sealed), AuthenticationFailed, `aad byte ${i}`);
    }
    await assert.rejects(c.open(5n, aad, sealed.subarray(0, sealed.length - 1)), AuthenticationFailed);
    await assert.rejects(c.open(5n, aad, new Uint8Array(0)), AuthenticationFailed);
    await assert.rejects(c.open(6n, aad, sealed), AuthenticationFailed);
    await assert.rejects((await cipherFor(k, h, 9)).open(5n, aad, sealed), AuthenticationFailed);
  });
}

test('the AEAD nonce is the static IV XOR the sequence number (RFC 8446, Section 5.3)', async () => {
  const iv = fromHex('000102030405060708090a0b');
  assert.equal(toHex(aeadNonce(iv, 0x1122334455667788n)), '00010203' + '152735435d6f7d83');
  // And the GCM record cipher seals with exactly that nonce (checked with @noble/ciphers' GCM).
  const key = new Uint8Array(16).fill(3);
  const c = await newRecordCipher(Kind.AES128GCM, 'SHA-256', key, iv);
  const aad = Uint8Array.of(1, 2, 3);
  const sealed = await c.seal(0x1122334455667788n, aad, Uint8Array.of(9, 9));
  assert.equal(toHex(sealed), toHex(gcm(key, aeadNonce(iv, 0x1122334455667788n), aad).encrypt(Uint8Array.of(9, 9))));
});

test('the CBC IV of a record is AES-128 of 0^8 ‖ seq under the IV key', async () => {
  const h: HashName = 'SHA-256';
  const key = new Uint8Array(32).fill(5);
  const ivKey = new Uint8Array(16).fill(6);
  const c = await newRecordCipher(Kind.AES128CBCHMAC, h, key, ivKey);
  const seq = 0x0102030405060708n;
  const iv = ecb(ivKey, { disablePadding: true }).encrypt(new Writer().u64(0n).u64(seq).finish());
  const aad = Uint8Array.of(1);
  const sealed = await c.seal(seq, aad, Uint8Array.of(42));
  const direct = await (await CBCHMAC.create(key, h)).seal(iv, aad, Uint8Array.of(42));
  assert.equal(toHex(sealed), toHex(direct));
});

test('wrong key or IV lengths are refused', async () => {
  await assert.rejects(newRecordCipher(Kind.AES128GCM, 'SHA-256', new Uint8Array(32), new Uint8Array(12)), /want 16 and 12/);
  await assert.rejects(newRecordCipher(Kind.AES128CBCHMAC, 'SHA-384', new Uint8Array(32), new Uint8Array(16)), /want 40 and 16/);
  await assert.rejects(CBCHMAC.create(new Uint8Array(31), 'SHA-256'), /want 32/);
});

test('erasing a ChaCha20-Poly1305 cipher zeroes its key: it no longer opens its records', async () => {
  const c = await cipherFor(Kind.ChaCha20Poly1305, 'SHA-256');
  const sealed = await c.seal(0n, new Uint8Array(0), Uint8Array.of(1));
  c.erase();
  await assert.rejects(c.open(0n, new Uint8Array(0), sealed), AuthenticationFailed);
});
