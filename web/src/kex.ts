// The key-exchange groups (DESIGN.md §4, "Groups"), client side, as
// protocol/internal/kex: x25519, p256, p384 (WebCrypto ECDH), ffdhe2048 and
// ffdhe3072 (RFC 7919, BigInt), and the hybrid x25519mlkem768 (ML-KEM-768
// from @noble/post-quantum, which WebCrypto lacks). The browser is only ever
// a client: it generates a share, and finishes with the server's.
//
// Every private value comes from the injected RandomSource and is derived
// exactly as the Go implementation derives it from the same bytes, so a
// handshake replays byte for byte under a fixed source. Every invalid peer
// value is InvalidShare.

import { pow } from '@noble/curves/abstract/modular.js';
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import { type Bytes, concat, copy, erase, fromBigInt, fromHex, toBigInt } from './bytes.js';
import {
  FFDHE2048_EXPONENT_BITS,
  FFDHE2048_PRIME_HEX,
  FFDHE3072_EXPONENT_BITS,
  FFDHE3072_PRIME_HEX,
  FFDHE_GENERATOR,
} from './ffdhe_params.js';
import type { RandomSource } from './random.js';

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;

/** A peer key share that is not a valid element of the group. */
export class InvalidShare extends Error {
  constructor() {
    super('kex: invalid key share');
    this.name = 'InvalidShare';
  }
}

/** The client's ephemeral key, kept between generateShare and finish. */
export interface KexPrivate {
  /**
   * Validates the server's share and returns the shared secret. It may be
   * called once: the key is erased whatever the outcome.
   */
  finish(peerShare: Uint8Array): Promise<Bytes>;
  /** Drops the private key material; safe to call more than once. */
  erase(): void;
}

/** One key-exchange group, client side. */
export interface KexGroup {
  readonly name: string;
  /** Makes the client's ephemeral key from rand and returns it with its share. */
  generateShare(rand: RandomSource): Promise<{ priv: KexPrivate; share: Bytes }>;
}

const usedKey = (): Error => new Error('kex: private key already used or erased');

/**
 * A client's private value, finished at most once: it is dropped (and
 * wiped, where JavaScript allows) before the peer share is even looked at,
 * so a second finish fails whatever the first one's outcome.
 */
class SingleUse<T> implements KexPrivate {
  private value: T | null;
  constructor(
    value: T,
    private readonly combine: (v: T, peerShare: Uint8Array) => Promise<Bytes>,
    private readonly wipe: (v: T) => void = () => {},
  ) {
    this.value = value;
  }

  async finish(peerShare: Uint8Array): Promise<Bytes> {
    const v = this.value;
    if (v === null) throw usedKey();
    this.value = null;
    try {
      return await this.combine(v, peerShare);
    } finally {
      this.wipe(v);
    }
  }

  erase(): void {
    if (this.value !== null) this.wipe(this.value);
    this.value = null;
  }
}

// --- Elliptic curves (WebCrypto) -------------------------------------------

/**
 * Bounds the rejection sampling of NIST scalars: a random string falls
 * outside [1, n-1] with probability below 2^-32, so running out means rand
 * is broken.
 */
const MAX_SCALAR_TRIES = 16;

interface CurveSpec {
  name: string;
  /** The WebCrypto algorithm. */
  algorithm: { name: 'X25519' } | { name: 'ECDH'; namedCurve: 'P-256' | 'P-384' };
  scalarLen: number;
  /** The group order n of a NIST curve (FIPS 186-5 / SEC 2); absent for X25519. */
  order?: bigint;
  /**
   * The DER of a PKCS #8 private key up to the scalar's bytes: WebCrypto
   * imports private keys only as PKCS #8 or JWK (which needs the public
   * key). For X25519, RFC 8410 (OneAsymmetricKey with the raw scalar); for
   * P-256/P-384, RFC 5915's ECPrivateKey without its optional public key,
   * which WebCrypto computes.
   */
  pkcs8Prefix: Bytes;
}

const X25519_SPEC: CurveSpec = {
  name: 'x25519',
  algorithm: { name: 'X25519' },
  scalarLen: 32,
  pkcs8Prefix: fromHex('302e020100300506032b656e04220420'),
};

const P256_SPEC: CurveSpec = {
  name: 'p256',
  algorithm: { name: 'ECDH', namedCurve: 'P-256' },
  scalarLen: 32,
  order: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  pkcs8Prefix: fromHex('3041020100301306072a8648ce3d020106082a8648ce3d030107042730250201010420'),
};

const P384_SPEC: CurveSpec = {
  name: 'p384',
  algorithm: { name: 'ECDH', namedCurve: 'P-384' },
  scalarLen: 48,
  order: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
  pkcs8Prefix: fromHex('304e020100301006072a8648ce3d020106052b81040022043730350201010430'),
};

function fromBase64URL(s: string): Bytes {
  const b = atob(s.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(s.length / 4) * 4, '='));
  return Uint8Array.from(b, (c) => c.charCodeAt(0));
}

/**
 * An elliptic-curve Diffie-Hellman group: X25519 (RFC 7748) or NIST
 * P-256/P-384 with uncompressed points (RFC 8446, Section 4.2.8.2).
 */
class ECDHGroup implements KexGroup {
  constructor(private readonly spec: CurveSpec) {}

  get name(): string {
    return this.spec.name;
  }

  async generateShare(rand: RandomSource): Promise<{ priv: KexPrivate; share: Bytes }> {
    const key = await this.newPrivateKey(rand);
    return { priv: new SingleUse(key.priv, (k, peer) => ecdh(this.spec, k, peer)), share: key.share };
  }

  /**
   * Reads a scalar from rand. X25519 takes any 32 bytes (the function
   * clamps them); for P-256 and P-384 the bytes are a candidate scalar,
   * redrawn while outside [1, n-1] (FIPS 186-5, Appendix A.4.2). Our copy
   * of the bytes is erased.
   */
  async newPrivateKey(rand: RandomSource): Promise<{ priv: CryptoKey; share: Bytes }> {
    const s = this.spec;
    for (let i = 0; i < MAX_SCALAR_TRIES; i++) {
      const scalar = rand(s.scalarLen);
      if (scalar.length !== s.scalarLen) throw new Error(`kex: ${s.name}: short read from rand`);
      if (s.order !== undefined) {
        const d = toBigInt(scalar);
        if (d === 0n || d >= s.order) {
          erase(scalar);
          continue;
        }
      }
      const der = concat(s.pkcs8Prefix, scalar);
      erase(scalar);
      try {
        // Extractable only so that the public point can be read back as a
        // JWK; the key is ephemeral and dropped after one exchange.
        const priv = await subtle().importKey('pkcs8', der, s.algorithm, true, ['deriveBits']);
        const jwk = await subtle().exportKey('jwk', priv);
        const share = s.order === undefined ? fromBase64URL(jwk.x!) : concat(Uint8Array.of(4), fromBase64URL(jwk.x!), fromBase64URL(jwk.y!));
        return { priv, share };
      } finally {
        erase(der);
      }
    }
    throw new Error(`kex: ${s.name}: no valid scalar in ${MAX_SCALAR_TRIES} draws from rand`);
  }
}

/**
 * The ECDH shared secret with a peer share: exactly 32 bytes for X25519,
 * an uncompressed point on the curve for P-256/P-384 (WebCrypto refuses
 * points off the curve); an all-zero X25519 result means a low-order point
 * (RFC 7748, Section 6.1).
 */
async function ecdh(spec: CurveSpec, key: CryptoKey, peerShare: Uint8Array): Promise<Bytes> {
  const pointLen = spec.order === undefined ? 32 : 1 + 2 * spec.scalarLen;
  if (peerShare.length !== pointLen || (spec.order !== undefined && peerShare[0] !== 4)) throw new InvalidShare();
  let secret: Bytes;
  try {
    const peer = await subtle().importKey('raw', copy(peerShare), spec.algorithm, true, []);
    secret = new Uint8Array(await subtle().deriveBits({ name: spec.algorithm.name, public: peer }, key, 8 * spec.scalarLen));
  } catch {
    throw new InvalidShare();
  }
  let acc = 0;
  for (const b of secret) acc |= b;
  if (acc === 0) throw new InvalidShare();
  return secret;
}

// --- Finite fields (RFC 7919) ----------------------------------------------

/** Bounds redraws of an exponent below 2 (probability 2^-255 per draw). */
const MAX_EXPONENT_TRIES = 4;

/**
 * A finite-field Diffie-Hellman group of RFC 7919. The modular
 * exponentiation is @noble/curves' pow on native BigInt, which is not
 * constant time; as in Go (math/big), every exponent is ephemeral and used
 * for one exchange only, so timings cannot be accumulated.
 */
class FFDHEGroup implements KexGroup {
  readonly p: bigint;
  /** (p-1)/2, the order of the subgroup generated by 2. */
  readonly q: bigint;
  /** len(p) in bytes: every share and secret has exactly this length. */
  readonly byteLen: number;
  private readonly exponentBytes: number;

  constructor(
    readonly name: string,
    primeHex: string,
    exponentBits: number,
  ) {
    this.p = BigInt('0x' + primeHex);
    this.q = (this.p - 1n) >> 1n;
    this.byteLen = primeHex.length / 2;
    this.exponentBytes = exponentBits / 8;
  }

  async generateShare(rand: RandomSource): Promise<{ priv: KexPrivate; share: Bytes }> {
    for (let i = 0; i < MAX_EXPONENT_TRIES; i++) {
      const buf = rand(this.exponentBytes);
      if (buf.length !== this.exponentBytes) throw new Error(`kex: ${this.name}: short read from rand`);
      const x = toBigInt(buf);
      erase(buf);
      if (x > 1n) {
        // A BigInt is immutable and cannot be zeroed in place: dropping
        // the only reference is all JavaScript allows.
        const priv = new SingleUse(x, async (v, peer) => this.sharedSecret(this.parsePeer(peer), v));
        return { priv, share: fromBigInt(pow(FFDHE_GENERATOR, x, this.p), this.byteLen) };
      }
    }
    throw new Error(`kex: ${this.name}: no usable exponent in ${MAX_EXPONENT_TRIES} draws from rand`);
  }

  /**
   * Decodes and validates a peer value as RFC 7919, Section 5.1 asks:
   * exactly len(p) bytes, 1 < y < p-1, and y^q = 1 mod p, so that y lies
   * in the subgroup of prime order q.
   */
  parsePeer(share: Uint8Array): bigint {
    if (share.length !== this.byteLen) throw new InvalidShare();
    const y = toBigInt(share);
    if (y <= 1n || y >= this.p - 1n) throw new InvalidShare();
    if (pow(y, this.q, this.p) !== 1n) throw new InvalidShare();
    return y;
  }

  /** y^x mod p left-padded to len(p), refusing the degenerate 1 and p-1. */
  sharedSecret(y: bigint, x: bigint): Bytes {
    const z = pow(y, x, this.p);
    if (z <= 1n || z >= this.p - 1n) throw new InvalidShare();
    return fromBigInt(z, this.byteLen);
  }
}

// --- X25519MLKEM768 ---------------------------------------------------------

/** ML-KEM-768 sizes (FIPS 203). */
const MLKEM_SEED_LEN = 64;
const MLKEM_ENCAPSULATION_KEY_LEN = 1184;
const MLKEM_CIPHERTEXT_LEN = 1088;
const X25519_SHARE_LEN = 32;

/**
 * X25519MLKEM768 as crypto/tls and draft-ietf-tls-ecdhe-mlkem define it:
 * the client share is the ML-KEM-768 encapsulation key followed by an
 * X25519 share; the server share is the ML-KEM ciphertext followed by an
 * X25519 share; the secret is the ML-KEM shared secret followed by the
 * X25519 shared secret (protocol/internal/kex/hybrid.go).
 */
class HybridGroup implements KexGroup {
  readonly name = 'x25519mlkem768';
  private readonly x25519 = new ECDHGroup(X25519_SPEC);

  /** Draws the ML-KEM seed (d ‖ z, FIPS 203) and then the X25519 scalar. */
  async generateShare(rand: RandomSource): Promise<{ priv: KexPrivate; share: Bytes }> {
    const seed = rand(MLKEM_SEED_LEN);
    if (seed.length !== MLKEM_SEED_LEN) throw new Error(`kex: ${this.name}: short read from rand`);
    const { publicKey, secretKey } = ml_kem768.keygen(seed);
    erase(seed);
    const x = await this.x25519.newPrivateKey(rand);
    const priv = new SingleUse({ dk: new Uint8Array(secretKey), x: x.priv }, hybridFinish, (k) => erase(k.dk));
    erase(secretKey);
    return { priv, share: concat(publicKey, x.share) };
  }
}

/**
 * The hybrid's finish: the server's share is validated and both secrets
 * combined. ML-KEM decapsulation rejects only a ciphertext of the wrong
 * length; any other tampered ciphertext yields an unrelated secret
 * (implicit rejection, FIPS 203, Section 6.3), which the handshake's
 * Finished MAC then catches.
 */
async function hybridFinish(k: { dk: Bytes; x: CryptoKey }, peerShare: Uint8Array): Promise<Bytes> {
  if (peerShare.length !== MLKEM_CIPHERTEXT_LEN + X25519_SHARE_LEN) throw new InvalidShare();
  const xSecret = await ecdh(X25519_SPEC, k.x, peerShare.subarray(MLKEM_CIPHERTEXT_LEN));
  let kemSecret: Uint8Array;
  try {
    kemSecret = ml_kem768.decapsulate(peerShare.subarray(0, MLKEM_CIPHERTEXT_LEN), k.dk);
  } catch {
    throw new InvalidShare();
  }
  const secret = concat(kemSecret, xSecret);
  erase(kemSecret, xSecret);
  return secret;
}

/** The protocol names of the groups, as in Go. */
export const GROUP_NAMES = ['x25519mlkem768', 'x25519', 'p256', 'p384', 'ffdhe3072', 'ffdhe2048'] as const;
export type GroupName = (typeof GROUP_NAMES)[number];

/** The group called name. */
export function kexByName(name: GroupName): KexGroup {
  switch (name) {
    case 'x25519mlkem768':
      return new HybridGroup();
    case 'x25519':
      return new ECDHGroup(X25519_SPEC);
    case 'p256':
      return new ECDHGroup(P256_SPEC);
    case 'p384':
      return new ECDHGroup(P384_SPEC);
    case 'ffdhe2048':
      return new FFDHEGroup('ffdhe2048', FFDHE2048_PRIME_HEX, FFDHE2048_EXPONENT_BITS);
    case 'ffdhe3072':
      return new FFDHEGroup('ffdhe3072', FFDHE3072_PRIME_HEX, FFDHE3072_EXPONENT_BITS);
  }
}

/** For tests: the curve orders and the FFDHE group internals. */
export const internals = {
  curveOrders: { p256: P256_SPEC.order!, p384: P384_SPEC.order! },
  ffdhe: (name: 'ffdhe2048' | 'ffdhe3072') => kexByName(name) as FFDHEGroup,
  mlkemLengths: { encapsulationKey: MLKEM_ENCAPSULATION_KEY_LEN, ciphertext: MLKEM_CIPHERTEXT_LEN },
};
