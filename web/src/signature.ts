// Signatures over the transcript (DESIGN.md §4 "Signatures"), as
// internal/signature: what is signed is 64 spaces, a context string that
// names the purpose, a zero byte and a transcript hash (RFC 8446 §4.4.3),
// so a signature made for one purpose never verifies for another. The
// scheme follows the key: Ed25519, ECDSA P-256 with SHA-256, ECDSA P-384
// with SHA-384, RSA-PSS with SHA-256. The codes are TLS SignatureScheme
// values. Verification and signing are WebCrypto's; @peculiar's ASN.1
// schemas read public keys and convert ECDSA signatures between DER (the
// wire) and r ‖ s (WebCrypto).

import { AsnConvert } from '@peculiar/asn1-schema';
import { ECDSASigValue, ECParameters } from '@peculiar/asn1-ecc';
import { SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { type Bytes, concat, copy, utf8 } from './bytes.js';

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;

export const Scheme = {
  RSA_PKCS1_SHA256: 0x0401,
  ECDSA_P256_SHA256: 0x0403,
  ECDSA_P384_SHA384: 0x0503,
  RSA_PSS_SHA256: 0x0804,
  Ed25519: 0x0807,
} as const;
export type SchemeID = (typeof Scheme)[keyof typeof Scheme];

/** Every signature that does not verify, whatever the reason (no oracle). */
export class InvalidSignature extends Error {
  constructor() {
    super('signature: invalid signature');
    this.name = 'InvalidSignature';
  }
}

/** The smallest RSA modulus accepted for signatures. */
const MIN_RSA_BITS = 2048;

const OID = {
  ed25519: '1.3.101.112',
  ecPublicKey: '1.2.840.10045.2.1',
  p256: '1.2.840.10045.3.1.7',
  p384: '1.3.132.0.34',
  rsaEncryption: '1.2.840.113549.1.1.1',
} as const;

/** The signed bytes: 64 spaces ‖ context ‖ 0 ‖ content (RFC 8446 §4.4.3 layout). */
export function signedMessage(context: string, content: Uint8Array): Bytes {
  return concat(new Uint8Array(64).fill(0x20), utf8(context), Uint8Array.of(0), content);
}

interface VerifyParams {
  scheme: SchemeID;
  importAlg: AlgorithmIdentifier | RsaHashedImportParams | EcKeyImportParams;
  verifyAlg: AlgorithmIdentifier | EcdsaParams | RsaPssParams;
  /** The byte length of r and s for ECDSA. */
  ecdsaSize?: number;
}

/**
 * The one scheme a public key (an SPKI) signs with, and how WebCrypto
 * verifies it. RSA keys are RSA-PSS (PKCS #1 v1.5 is only for identity
 * cards, which the browser never verifies).
 */
function paramsFor(spki: Uint8Array): VerifyParams {
  let info: SubjectPublicKeyInfo;
  try {
    info = AsnConvert.parse(copy(spki), SubjectPublicKeyInfo);
  } catch {
    throw new InvalidSignature();
  }
  switch (info.algorithm.algorithm) {
    case OID.ed25519:
      return { scheme: Scheme.Ed25519, importAlg: { name: 'Ed25519' }, verifyAlg: { name: 'Ed25519' } };
    case OID.ecPublicKey: {
      const params = info.algorithm.parameters;
      if (!params) throw new InvalidSignature();
      const curve = AsnConvert.parse(params, ECParameters).namedCurve;
      if (curve === OID.p256) {
        return { scheme: Scheme.ECDSA_P256_SHA256, importAlg: { name: 'ECDSA', namedCurve: 'P-256' }, verifyAlg: { name: 'ECDSA', hash: 'SHA-256' }, ecdsaSize: 32 };
      }
      if (curve === OID.p384) {
        return { scheme: Scheme.ECDSA_P384_SHA384, importAlg: { name: 'ECDSA', namedCurve: 'P-384' }, verifyAlg: { name: 'ECDSA', hash: 'SHA-384' }, ecdsaSize: 48 };
      }
      throw new InvalidSignature();
    }
    case OID.rsaEncryption:
      return { scheme: Scheme.RSA_PSS_SHA256, importAlg: { name: 'RSA-PSS', hash: 'SHA-256' }, verifyAlg: { name: 'RSA-PSS', saltLength: 32 } };
  }
  throw new InvalidSignature();
}

/** An ASN.1 INTEGER's bytes as exactly n unsigned big-endian bytes. */
function fixedWidth(b: ArrayBuffer, n: number): Bytes {
  let v = new Uint8Array(b);
  while (v.length > n && v[0] === 0) v = v.subarray(1);
  if (v.length > n) throw new InvalidSignature();
  const out = new Uint8Array(n);
  out.set(v, n - v.length);
  return out;
}

/** A non-negative integer's minimal ASN.1 INTEGER contents. */
function asn1Integer(b: Uint8Array): ArrayBuffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  const v = b.subarray(i);
  return (v[0]! & 0x80 ? concat(Uint8Array.of(0), v) : copy(v)).buffer;
}

/**
 * Checks sig over context ‖ 0 ‖ content under the key spki with scheme.
 * The scheme must be the one the key type calls for (no algorithm
 * substitution); any failure is InvalidSignature.
 */
export async function verify(spki: Uint8Array, scheme: number, context: string, content: Uint8Array, sig: Uint8Array): Promise<void> {
  const p = paramsFor(spki);
  if (p.scheme !== scheme) throw new InvalidSignature();
  let ok = false;
  try {
    const key = await subtle().importKey('spki', copy(spki), p.importAlg, false, ['verify']);
    const alg = key.algorithm as RsaHashedKeyAlgorithm;
    if (p.scheme === Scheme.RSA_PSS_SHA256 && alg.modulusLength < MIN_RSA_BITS) throw new InvalidSignature();
    let raw: Bytes = copy(sig);
    if (p.ecdsaSize !== undefined) {
      const v = AsnConvert.parse(raw, ECDSASigValue);
      raw = concat(fixedWidth(v.r, p.ecdsaSize), fixedWidth(v.s, p.ecdsaSize));
    }
    ok = await subtle().verify(p.verifyAlg, key, raw, signedMessage(context, content));
  } catch {
    ok = false;
  }
  if (!ok) throw new InvalidSignature();
}

/**
 * Signs context ‖ 0 ‖ content with a WebCrypto private key (the browser's
 * device key, typically non-extractable) and returns the scheme and the
 * signature as the wire carries it (DER for ECDSA).
 */
export async function sign(key: CryptoKey, context: string, content: Uint8Array): Promise<{ scheme: SchemeID; signature: Bytes }> {
  const msg = signedMessage(context, content);
  const alg = key.algorithm as EcKeyAlgorithm & RsaHashedKeyAlgorithm;
  switch (alg.name) {
    case 'Ed25519':
      return { scheme: Scheme.Ed25519, signature: new Uint8Array(await subtle().sign('Ed25519', key, msg)) };
    case 'ECDSA': {
      const [scheme, hash, n] =
        alg.namedCurve === 'P-256' ? [Scheme.ECDSA_P256_SHA256, 'SHA-256', 32] : alg.namedCurve === 'P-384' ? [Scheme.ECDSA_P384_SHA384, 'SHA-384', 48] : [0, '', 0];
      if (n === 0) throw new Error(`signature: unsupported ECDSA curve ${alg.namedCurve}`);
      const raw = new Uint8Array(await subtle().sign({ name: 'ECDSA', hash }, key, msg));
      const der = AsnConvert.serialize(new ECDSASigValue({ r: asn1Integer(raw.subarray(0, n)), s: asn1Integer(raw.subarray(n)) }));
      return { scheme: scheme as SchemeID, signature: new Uint8Array(der) };
    }
    case 'RSA-PSS':
      if (alg.hash.name !== 'SHA-256' || alg.modulusLength < MIN_RSA_BITS) throw new Error('signature: RSA-PSS keys must be SHA-256 and at least 2048 bits');
      return { scheme: Scheme.RSA_PSS_SHA256, signature: new Uint8Array(await subtle().sign({ name: 'RSA-PSS', saltLength: 32 }, key, msg)) };
  }
  throw new Error(`signature: unsupported key type ${alg.name}`);
}
