// Signatures: every server key type's signature made by Go
// (web/testdata/signatures.json, written by the protocol package's tests)
// verifies here, nothing else does; device signatures made with WebCrypto
// keys verify under the same rules.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromHex, utf8 } from '../src/bytes.js';
import { CONTEXT_CLIENT_SIGNATURE, CONTEXT_SERVER_SIGNATURE } from '../src/constants.js';
import { InvalidSignature, Scheme, sign, signedMessage, verify } from '../src/signature.js';
import { readJSON } from './helpers.js';

interface GoSignature {
  key: string;
  spki: string;
  scheme: number;
  context: string;
  content: string;
  signature: string;
}

const goSignatures = readJSON<GoSignature[]>('testdata/signatures.json');

test('the fixture has one Go signature per server key type', () => {
  assert.deepEqual(goSignatures.map((s) => s.key), ['ed25519', 'ecdsa-p256', 'ecdsa-p384', 'rsa-2048']);
});

for (const s of goSignatures) {
  test(`a Go ${s.key} signature verifies, and fails once anything changes`, async () => {
    const spki = fromHex(s.spki);
    const content = fromHex(s.content);
    const sig = fromHex(s.signature);
    await verify(spki, s.scheme, s.context, content, sig);
    const flipped = sig.slice();
    flipped[flipped.length >> 1]! ^= 1;
    await assert.rejects(verify(spki, s.scheme, s.context, content, flipped), InvalidSignature, 'a flipped signature byte');
    await assert.rejects(verify(spki, s.scheme, CONTEXT_CLIENT_SIGNATURE, content, sig), InvalidSignature, 'another context');
    await assert.rejects(verify(spki, s.scheme, s.context, content.subarray(1), sig), InvalidSignature, 'other content');
    for (const other of Object.values(Scheme)) {
      if (other !== s.scheme) await assert.rejects(verify(spki, other, s.context, content, sig), InvalidSignature, `scheme 0x${other.toString(16)}`);
    }
    await assert.rejects(verify(spki.subarray(1), s.scheme, s.context, content, sig), InvalidSignature, 'a broken key');
  });
}

test('the signed message is 64 spaces, the context, a zero byte and the content', () => {
  const m = signedMessage('ctx', Uint8Array.of(7));
  assert.deepEqual([...m], [...new Uint8Array(64).fill(0x20), ...utf8('ctx'), 0, 7]);
});

const deviceKeys: [string, RsaHashedKeyGenParams | EcKeyGenParams | { name: 'Ed25519' }, number][] = [
  ['Ed25519', { name: 'Ed25519' }, Scheme.Ed25519],
  ['ECDSA P-256', { name: 'ECDSA', namedCurve: 'P-256' }, Scheme.ECDSA_P256_SHA256],
  ['ECDSA P-384', { name: 'ECDSA', namedCurve: 'P-384' }, Scheme.ECDSA_P384_SHA384],
  ['RSA-PSS 2048', { name: 'RSA-PSS', modulusLength: 2048, publicExponent: Uint8Array.of(1, 0, 1), hash: 'SHA-256' }, Scheme.RSA_PSS_SHA256],
];

for (const [name, alg, scheme] of deviceKeys) {
  test(`a non-extractable ${name} device key signs what verify accepts`, async () => {
    const pair = (await crypto.subtle.generateKey(alg, false, ['sign', 'verify'])) as CryptoKeyPair;
    const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
    // ECDSA signatures vary in DER length (r and s with or without a
    // leading zero): sign often enough to meet both.
    for (let i = 0; i < (scheme === Scheme.Ed25519 || scheme === Scheme.RSA_PSS_SHA256 ? 2 : 24); i++) {
      const th = crypto.getRandomValues(new Uint8Array(48));
      const out = await sign(pair.privateKey, CONTEXT_CLIENT_SIGNATURE, th);
      assert.equal(out.scheme, scheme);
      await verify(spki, out.scheme, CONTEXT_CLIENT_SIGNATURE, th, out.signature);
      await assert.rejects(verify(spki, out.scheme, CONTEXT_SERVER_SIGNATURE, th, out.signature), InvalidSignature);
    }
  });
}

test('an RSA key below 2048 bits is refused', async () => {
  const pair = (await crypto.subtle.generateKey({ name: 'RSA-PSS', modulusLength: 1024, publicExponent: Uint8Array.of(1, 0, 1), hash: 'SHA-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
  const msg = signedMessage(CONTEXT_SERVER_SIGNATURE, new Uint8Array(32));
  const sig = new Uint8Array(await crypto.subtle.sign({ name: 'RSA-PSS', saltLength: 32 }, pair.privateKey, msg));
  await assert.rejects(verify(spki, Scheme.RSA_PSS_SHA256, CONTEXT_SERVER_SIGNATURE, new Uint8Array(32), sig), InvalidSignature);
  await assert.rejects(sign(pair.privateKey, CONTEXT_CLIENT_SIGNATURE, new Uint8Array(32)), /2048/);
});
