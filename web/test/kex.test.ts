// The key-exchange groups, client side: RFC 7748's known answer, agreement,
// rejection of every invalid server share that protocol/internal/kex
// refuses, the derivation of private values from the random bytes, and the
// FFDHE constants against RFC 7919 and the Go source.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { p256, p384 } from '@noble/curves/nist.js';
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import { type Bytes, concat, fromBigInt, fromHex, toHex } from '../src/bytes.js';
import { FFDHE2048_PRIME_HEX, FFDHE3072_PRIME_HEX } from '../src/ffdhe_params.js';
import { GROUP_NAMES, type GroupName, internals, InvalidShare, kexByName } from '../src/kex.js';
import type { RandomSource } from '../src/random.js';
import { systemRandom } from '../src/random.js';
import { repoRoot } from './helpers.js';

/** A source that returns the given byte strings in order. */
function sequence(...draws: Uint8Array[]): RandomSource {
  let i = 0;
  return (n) => {
    const d = draws[i++];
    if (!d || d.length !== n) throw new Error(`draw ${i - 1}: want ${n} bytes`);
    return new Uint8Array(d);
  };
}

test('x25519 matches RFC 7748, Section 6.1', async () => {
  const alicePriv = fromHex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
  const alicePub = '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a';
  const bobPub = fromHex('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
  const { priv, share } = await kexByName('x25519').generateShare(sequence(alicePriv));
  assert.equal(toHex(share), alicePub);
  assert.equal(toHex(await priv.finish(bobPub)), '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742');
});

/** A valid server share for the group, and the secret the client must get with it. */
async function serverShare(name: GroupName, clientShare: Bytes): Promise<{ share: Bytes; secret?: Bytes }> {
  if (name === 'x25519mlkem768') {
    const { cipherText, sharedSecret } = ml_kem768.encapsulate(clientShare.subarray(0, internals.mlkemLengths.encapsulationKey));
    const x = await kexByName('x25519').generateShare(systemRandom);
    const xSecret = await x.priv.finish(clientShare.subarray(internals.mlkemLengths.encapsulationKey));
    return { share: concat(cipherText, x.share), secret: concat(sharedSecret, xSecret) };
  }
  return { share: (await kexByName(name).generateShare(systemRandom)).share };
}

for (const name of GROUP_NAMES) {
  test(`${name}: both sides agree and a private key is used once`, async () => {
    const g = kexByName(name);
    const a = await g.generateShare(systemRandom);
    if (name === 'x25519mlkem768') {
      const s = await serverShare(name, a.share);
      assert.equal(toHex(await a.priv.finish(s.share)), toHex(s.secret!));
    } else {
      const b = await g.generateShare(systemRandom);
      const ab = await a.priv.finish(b.share);
      assert.equal(toHex(ab), toHex(await b.priv.finish(a.share)));
    }
    await assert.rejects(a.priv.finish(a.share), /already used/);
  });
}

/** Bad values a server might send, as in protocol/internal/kex's invalidShares. */
function invalidShares(name: GroupName, valid: Bytes): [string, Uint8Array][] {
  const n = valid.length;
  const xor = (i: number, v: number): Bytes => {
    const b = valid.slice();
    b[i]! ^= v;
    return b;
  };
  const bad: [string, Uint8Array][] = [
    ['an empty share', new Uint8Array(0)],
    ['a share one byte short', valid.subarray(0, n - 1)],
    ['a share one byte long', concat(valid, Uint8Array.of(0))],
    ['a share of all zeros', new Uint8Array(n)],
  ];
  switch (name) {
    case 'x25519':
      bad.push(['the low-order point 1', fromHex('01'.padEnd(64, '0'))], ['the low-order point of order 8', fromHex('e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800')]);
      break;
    case 'p256':
    case 'p384':
      bad.push(
        ['a point off the curve', xor(n - 1, 1)],
        ['a compressed point', concat(Uint8Array.of(2), valid.subarray(1, 1 + (n - 1) / 2))],
        ['the point at infinity', Uint8Array.of(0)],
        ['an uncompressed prefix with zero coordinates', concat(Uint8Array.of(4), new Uint8Array(n - 1))],
      );
      break;
    case 'ffdhe2048':
    case 'ffdhe3072': {
      const g = internals.ffdhe(name);
      const enc = (add: bigint) => fromBigInt(g.p + add, g.byteLen);
      bad.push(
        ['the value 1', fromBigInt(1n, g.byteLen)],
        ['the value p-1', enc(-1n)],
        ['the value p', enc(0n)],
        ['the value p+1', enc(1n)],
        ['a value outside the prime-order subgroup (p-2)', enc(-2n)],
        ['a value of all ones', new Uint8Array(n).fill(0xff)],
      );
      break;
    }
    case 'x25519mlkem768': {
      const ct = internals.mlkemLengths.ciphertext;
      bad.push(
        ['a truncated ciphertext', concat(valid.subarray(0, ct - 1), valid.subarray(ct))],
        ['a low-order x25519 part', concat(valid.subarray(0, ct), new Uint8Array(32))],
        ['the ciphertext alone', valid.subarray(0, ct)],
      );
    }
  }
  return bad;
}

for (const name of GROUP_NAMES) {
  test(`${name}: the client refuses every invalid server share`, async () => {
    const g = kexByName(name);
    const { share: clientShare } = await g.generateShare(systemRandom);
    const valid = (await serverShare(name, clientShare)).share;
    for (const [what, share] of invalidShares(name, valid)) {
      const { priv } = await g.generateShare(systemRandom);
      await assert.rejects(priv.finish(share), InvalidShare, what);
    }
  });
}

test('NIST scalars are rejection-sampled from rand as in Go: 0 and n are redrawn', async () => {
  for (const [name, order, len] of [
    ['p256', internals.curveOrders.p256, 32],
    ['p384', internals.curveOrders.p384, 48],
  ] as const) {
    const good = fromBigInt(12345n, len);
    const direct = await kexByName(name).generateShare(sequence(good));
    const sampled = await kexByName(name).generateShare(sequence(new Uint8Array(len), fromBigInt(order, len), good));
    assert.equal(toHex(sampled.share), toHex(direct.share), name);
    // The share is the scalar times the base point (checked with @noble/curves).
    const curve = name === 'p256' ? p256 : p384;
    assert.equal(toHex(direct.share), toHex(curve.Point.BASE.multiply(12345n).toBytes(false)));
  }
});

test('the curve orders are those of @noble/curves', () => {
  assert.equal(internals.curveOrders.p256, p256.Point.CURVE().n);
  assert.equal(internals.curveOrders.p384, p384.Point.CURVE().n);
});

test('FFDHE exponents 0 and 1 are redrawn', async () => {
  const g = kexByName('ffdhe2048');
  const x = fromBigInt(5n, 32);
  const direct = await g.generateShare(sequence(x));
  const redrawn = await g.generateShare(sequence(new Uint8Array(32), fromBigInt(1n, 32), x));
  assert.equal(toHex(redrawn.share), toHex(direct.share));
  assert.equal(toHex(direct.share), toHex(fromBigInt(32n, 256)), '2^5');
});

/** floor(e * 2^k), summing e = Σ 1/n! in fixed point with 64 guard bits. */
function eTimes2ToThe(k: bigint): bigint {
  let term = 1n << (k + 64n);
  let sum = 0n;
  for (let n = 1n; term > 0n; n++) {
    sum += term;
    term /= n;
  }
  return sum >> 64n;
}

test('the FFDHE primes follow RFC 7919, Appendix A, and equal the Go constants', () => {
  const goSource = readFileSync(join(repoRoot, 'protocol/internal/kex/ffdhe_params.go'), 'utf8');
  const goPrime = (v: string): string => {
    const m = goSource.match(new RegExp(`${v} = "" \\+\\n((?:\\s*"[0-9A-F]+"(?: \\+)?\\n)+)`));
    return [...m![1]!.matchAll(/"([0-9A-F]+)"/g)].map((x) => x[1]).join('');
  };
  for (const [name, hex, goName, bits, x] of [
    ['ffdhe2048', FFDHE2048_PRIME_HEX, 'ffdhe2048PrimeHex', 2048n, 560316n],
    ['ffdhe3072', FFDHE3072_PRIME_HEX, 'ffdhe3072PrimeHex', 3072n, 2625351n],
  ] as const) {
    assert.equal(hex, goPrime(goName), `${name}: the Go constant`);
    const p = (1n << bits) - (1n << (bits - 64n)) + ((eTimes2ToThe(bits - 130n) + x) << 64n) - 1n;
    const g = internals.ffdhe(name);
    assert.equal(g.p, p, `${name}: the RFC 7919 formula`);
    assert.equal(g.q * 2n + 1n, g.p);
    assert.equal(g.byteLen, Number(bits / 8n));
  }
});
