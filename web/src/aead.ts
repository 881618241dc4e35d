// Record protection (DESIGN.md §4, "Suites" and "Records"), as
// protocol/internal/aead: one RecordCipher per direction and epoch seals and
// opens records under the key and IV the key schedule derived, with a
// per-record nonce computed from the 64-bit sequence number, so no nonce
// travels on the wire.
//
// Four kinds cover the seven suites: ChaCha20-Poly1305 (@noble/ciphers,
// WebCrypto has none), AES-128-GCM and AES-256-GCM (WebCrypto; nonce as
// RFC 8446, Section 5.3), and AES-128-CBC with HMAC-SHA-256 or -384 in the
// encrypt-then-MAC composition of RFC 7518, Section 5.2 (WebCrypto).

import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { type Bytes, concat, copy, equalConstantTime, erase, Writer } from './bytes.js';
import type { HashName } from './hash.js';

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;

/** The record protection algorithm of a suite. */
export enum Kind {
  ChaCha20Poly1305 = 1,
  AES128GCM = 2,
  AES256GCM = 3,
  AES128CBCHMAC = 4,
}

/**
 * The one error of open, whatever failed (length, tag, padding), so that a
 * peer learns nothing from the kind of failure.
 */
export class AuthenticationFailed extends Error {
  constructor() {
    super('aead: message authentication failed');
    this.name = 'AuthenticationFailed';
  }
}

/** The static IV of the AEAD kinds (RFC 8446, Section 5.3). */
const AEAD_IV_LEN = 12;
/** The AES-128 key that turns a sequence number into a record's CBC IV. */
const CBC_IV_KEY_LEN = 16;
const AES_BLOCK = 16;

/** MAC_KEY_LEN (= T_LEN) of a CBC suite's hash (RFC 7518, Section 5.2). */
export function cbcMACKeyLen(h: HashName): number {
  return h === 'SHA-256' ? 16 : 24;
}

/** The key and IV lengths the key schedule derives for kind k under h. */
export function sizes(k: Kind, h: HashName): { keyLen: number; ivLen: number } {
  switch (k) {
    case Kind.ChaCha20Poly1305:
      return { keyLen: 32, ivLen: AEAD_IV_LEN };
    case Kind.AES128GCM:
      return { keyLen: 16, ivLen: AEAD_IV_LEN };
    case Kind.AES256GCM:
      return { keyLen: 32, ivLen: AEAD_IV_LEN };
    case Kind.AES128CBCHMAC:
      return { keyLen: cbcMACKeyLen(h) + 16, ivLen: CBC_IV_KEY_LEN };
  }
}

/**
 * Seals and opens the records of one direction and epoch. The caller never
 * seals two records with one sequence number under one cipher (the record
 * layer's counter and rekey guarantee it).
 */
export interface RecordCipher {
  readonly kind: Kind;
  /** Encrypts and authenticates plaintext and aad (the header) as record seq. */
  seal(seq: bigint, aad: Uint8Array, plaintext: Uint8Array): Promise<Bytes>;
  /** Authenticates and decrypts record seq; any failure is AuthenticationFailed. */
  open(seq: bigint, aad: Uint8Array, ciphertext: Uint8Array): Promise<Bytes>;
  /** Zeroes the key material this cipher holds; it must not be used after. */
  erase(): void;
}

/** Builds the record cipher of kind k under hash h; key and iv are copied. */
export async function newRecordCipher(k: Kind, h: HashName, key: Uint8Array, iv: Uint8Array): Promise<RecordCipher> {
  const want = sizes(k, h);
  if (key.length !== want.keyLen || iv.length !== want.ivLen) {
    throw new Error(`aead: kind ${k} with ${h}: key and iv are ${key.length} and ${iv.length} bytes, want ${want.keyLen} and ${want.ivLen}`);
  }
  switch (k) {
    case Kind.ChaCha20Poly1305:
      return new ChaChaCipher(key, iv);
    case Kind.AES128GCM:
    case Kind.AES256GCM:
      return GCMCipher.create(k, key, iv);
    case Kind.AES128CBCHMAC:
      return CBCRecordCipher.create(h, key, iv);
  }
}

/**
 * The nonce of the AEAD kinds (RFC 8446, Section 5.3): the sequence number,
 * big-endian and right-aligned, XORed into the static 12-byte IV.
 */
export function aeadNonce(iv: Uint8Array, seq: bigint): Bytes {
  const n = copy(iv);
  const s = new Writer().u64(seq).finish();
  for (let i = 0; i < 8; i++) n[n.length - 8 + i]! ^= s[i]!;
  return n;
}

class ChaChaCipher implements RecordCipher {
  readonly kind = Kind.ChaCha20Poly1305;
  private readonly key: Bytes;
  private readonly iv: Bytes;
  constructor(key: Uint8Array, iv: Uint8Array) {
    this.key = copy(key);
    this.iv = copy(iv);
  }
  async seal(seq: bigint, aad: Uint8Array, plaintext: Uint8Array): Promise<Bytes> {
    return new Uint8Array(chacha20poly1305(this.key, aeadNonce(this.iv, seq), aad).encrypt(plaintext));
  }
  async open(seq: bigint, aad: Uint8Array, ciphertext: Uint8Array): Promise<Bytes> {
    try {
      return new Uint8Array(chacha20poly1305(this.key, aeadNonce(this.iv, seq), aad).decrypt(ciphertext));
    } catch {
      throw new AuthenticationFailed();
    }
  }
  erase(): void {
    erase(this.key, this.iv);
  }
}

class GCMCipher implements RecordCipher {
  private constructor(
    readonly kind: Kind,
    private readonly key: CryptoKey,
    private readonly iv: Bytes,
  ) {}
  static async create(kind: Kind, key: Uint8Array, iv: Uint8Array): Promise<GCMCipher> {
    const k = await subtle().importKey('raw', copy(key), 'AES-GCM', false, ['encrypt', 'decrypt']);
    return new GCMCipher(kind, k, copy(iv));
  }
  async seal(seq: bigint, aad: Uint8Array, plaintext: Uint8Array): Promise<Bytes> {
    const p = { name: 'AES-GCM', iv: aeadNonce(this.iv, seq), additionalData: copy(aad), tagLength: 128 };
    return new Uint8Array(await subtle().encrypt(p, this.key, copy(plaintext)));
  }
  async open(seq: bigint, aad: Uint8Array, ciphertext: Uint8Array): Promise<Bytes> {
    const p = { name: 'AES-GCM', iv: aeadNonce(this.iv, seq), additionalData: copy(aad), tagLength: 128 };
    try {
      return new Uint8Array(await subtle().decrypt(p, this.key, copy(ciphertext)));
    } catch {
      throw new AuthenticationFailed();
    }
  }
  erase(): void {
    // The AES key lives inside WebCrypto, out of reach; the IV is ours.
    erase(this.iv);
  }
}

/**
 * AES-CBC with HMAC-SHA-2, encrypt-then-MAC, exactly as RFC 7518,
 * Section 5.2.2, with the IV as an explicit input. key is MAC_KEY ‖ ENC_KEY:
 * with SHA-256 16 + 16 bytes and a 16-byte tag, byte for byte
 * AEAD_AES_128_CBC_HMAC_SHA_256 (Section 5.2.3); with SHA-384 the
 * encryption stays AES-128 while MAC_KEY and the tag are 24 bytes.
 */
export class CBCHMAC {
  private constructor(
    private readonly mac: CryptoKey,
    private readonly enc: CryptoKey,
    private readonly tagLen: number,
  ) {}

  static async create(key: Uint8Array, h: HashName): Promise<CBCHMAC> {
    const macLen = cbcMACKeyLen(h);
    if (key.length !== macLen + 16) throw new Error(`aead: cbc-hmac key with ${h} is ${key.length} bytes, want ${macLen + 16}`);
    const mac = await subtle().importKey('raw', copy(key.subarray(0, macLen)), { name: 'HMAC', hash: h }, false, ['sign']);
    const enc = await subtle().importKey('raw', copy(key.subarray(macLen)), 'AES-CBC', false, ['encrypt', 'decrypt']);
    return new CBCHMAC(mac, enc, macLen);
  }

  /** The tag length (T_LEN, half the hash). */
  get overhead(): number {
    return this.tagLen;
  }

  /**
   * RFC 7518, Section 5.2.2.1: PKCS #7 padding and CBC encryption under
   * ENC_KEY (WebCrypto's AES-CBC pads as PKCS #7), then
   * T = HMAC(MAC_KEY, A ‖ IV ‖ C ‖ AL) truncated to T_LEN. Returns C ‖ T.
   */
  async seal(iv: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Promise<Bytes> {
    if (iv.length !== AES_BLOCK) throw new Error('aead: cbc-hmac: incorrect IV length');
    const c = new Uint8Array(await subtle().encrypt({ name: 'AES-CBC', iv: copy(iv) }, this.enc, copy(plaintext)));
    return concat(c, await this.tag(iv, c, aad));
  }

  /**
   * RFC 7518, Section 5.2.2.2: the tag is checked in constant time before
   * anything is decrypted, and the padding only after it, so there is no
   * padding oracle; every failure is AuthenticationFailed.
   */
  async open(iv: Uint8Array, aad: Uint8Array, data: Uint8Array): Promise<Bytes> {
    if (iv.length !== AES_BLOCK || data.length < AES_BLOCK + this.tagLen) throw new AuthenticationFailed();
    const ctLen = data.length - this.tagLen;
    if (ctLen % AES_BLOCK !== 0) throw new AuthenticationFailed();
    const c = data.subarray(0, ctLen);
    const expected = await this.tag(iv, c, aad);
    if (!equalConstantTime(expected, data.subarray(ctLen))) throw new AuthenticationFailed();
    try {
      return new Uint8Array(await subtle().decrypt({ name: 'AES-CBC', iv: copy(iv) }, this.enc, copy(c)));
    } catch {
      throw new AuthenticationFailed(); // bad padding under a valid tag
    }
  }

  /** T = HMAC(MAC_KEY, A ‖ IV ‖ C ‖ AL)[:T_LEN], AL = bit length of A as a uint64. */
  private async tag(iv: Uint8Array, c: Uint8Array, aad: Uint8Array): Promise<Bytes> {
    const al = new Writer().u64(BigInt(aad.length) * 8n).finish();
    const full = new Uint8Array(await subtle().sign('HMAC', this.mac, concat(aad, iv, c, al)));
    return full.slice(0, this.tagLen);
  }
}

/**
 * The CBC kind as a record cipher. A record's IV must be unpredictable
 * before it is sealed (a predictable CBC IV lets a chosen-plaintext
 * attacker test guesses, the BEAST attack), so it is AES-128 under a
 * separate IV key of the block 0^8 ‖ seq: a pseudorandom permutation of a
 * counter. WebCrypto has no raw block encryption; AES-CBC of one block
 * under a zero IV is exactly that block's encryption (its first 16 bytes).
 */
class CBCRecordCipher implements RecordCipher {
  readonly kind = Kind.AES128CBCHMAC;
  private constructor(
    private readonly aead: CBCHMAC,
    private readonly ivKey: CryptoKey,
  ) {}
  static async create(h: HashName, key: Uint8Array, ivKey: Uint8Array): Promise<CBCRecordCipher> {
    const aead = await CBCHMAC.create(key, h);
    const k = await subtle().importKey('raw', copy(ivKey), 'AES-CBC', false, ['encrypt']);
    return new CBCRecordCipher(aead, k);
  }
  /** The CBC IV of record seq: AES(ivKey, 0^8 ‖ seq). */
  async nonce(seq: bigint): Promise<Bytes> {
    const block = new Writer().u64(0n).u64(seq).finish();
    const out = await subtle().encrypt({ name: 'AES-CBC', iv: new Uint8Array(AES_BLOCK) }, this.ivKey, block);
    return new Uint8Array(out, 0, AES_BLOCK).slice();
  }
  async seal(seq: bigint, aad: Uint8Array, plaintext: Uint8Array): Promise<Bytes> {
    return this.aead.seal(await this.nonce(seq), aad, plaintext);
  }
  async open(seq: bigint, aad: Uint8Array, ciphertext: Uint8Array): Promise<Bytes> {
    return this.aead.open(await this.nonce(seq), aad, ciphertext);
  }
  erase(): void {
    // Every key of this kind lives inside WebCrypto; dropping the cipher
    // drops them.
  }
}
