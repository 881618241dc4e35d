// Content authenticity in the browser (DESIGN.md §8), as
// internal/signature/envelope.go and content/manifest.go: the signed
// envelope (body, signer chain, scheme, signature over
// Message(context, SHA-256(body))), the manifest body it carries, and the
// check of every chunk against the manifest's SHA-256 before the chunk
// reaches the media element.

import { type Bytes, equalConstantTime, Reader, ShortInput } from './bytes.js';
import { subjectPublicKeyInfo } from './certificate.js';
import { verify } from './signature.js';

/** The signature context of content manifests. */
export const MANIFEST_CONTEXT = 'securemedia v1 content manifest';

const ENVELOPE_VERSION = 1;
const MANIFEST_VERSION = 1;
const MAX_CERTIFICATE_LEN = 16 << 10;
const MAX_SIGNATURE_LEN = 1024;
const MAX_CHAIN = 8;
/** content.MaxChunks: an item holds at most 32 768 chunks. */
const MAX_CHUNKS = 32768;
const MAX_TITLE = 1024;
const MAX_CONTENT_TYPE = 255;
/** content.MaxSignedManifestLen. */
const MAX_SIGNED_MANIFEST = 4096 + MAX_CHUNKS * 32 + MAX_CHAIN * MAX_CERTIFICATE_LEN + MAX_SIGNATURE_LEN;

/** A manifest that is malformed or whose signature or chain does not verify (one class: no oracle). */
export class ManifestError extends Error {
  constructor(detail: string, options?: { cause?: unknown }) {
    super(`invalid content manifest: ${detail}`, options);
    this.name = 'ManifestError';
  }
}

/** A chunk that does not match the signed manifest. */
export class ChunkIntegrityError extends Error {
  constructor(
    readonly chunk: number,
    detail: string,
  ) {
    super(`chunk ${chunk}: ${detail}`);
    this.name = 'ChunkIntegrityError';
  }
}

/** A decoded, not yet verified, signed envelope. */
interface Envelope {
  body: Bytes;
  chain: Bytes[];
  scheme: number;
  signature: Bytes;
}

/** Decodes an envelope strictly: only the exact encoding Go's Marshal produces. */
function parseEnvelope(b: Uint8Array): Envelope {
  if (b.length > MAX_SIGNED_MANIFEST) throw new ManifestError('too large');
  const r = new Reader(b);
  try {
    if (r.u8() !== ENVELOPE_VERSION) throw new ManifestError('envelope version');
    const body = r.prefixed(4).rest();
    const n = r.u8();
    if (n === 0 || n > MAX_CHAIN) throw new ManifestError('signer chain length');
    const chain: Bytes[] = [];
    for (let i = 0; i < n; i++) {
      const c = r.prefixed(3).rest();
      if (c.length === 0 || c.length > MAX_CERTIFICATE_LEN) throw new ManifestError('signer certificate');
      chain.push(c);
    }
    const scheme = r.u16();
    const signature = r.prefixed(2).rest();
    if (signature.length === 0 || signature.length > MAX_SIGNATURE_LEN || !r.empty()) throw new ManifestError('malformed envelope');
    return { body, chain, scheme, signature };
  } catch (e) {
    if (e instanceof ShortInput) throw new ManifestError('malformed envelope');
    throw e;
  }
}

/** A verified content manifest: the item and the SHA-256 of each chunk. */
export class Manifest {
  private constructor(
    readonly id: Bytes,
    readonly title: string,
    readonly contentType: string,
    readonly size: number,
    readonly chunkSize: number,
    readonly chunks: number,
    /** Nanoseconds. */
    readonly duration: bigint,
    private readonly hashes: Bytes,
  ) {}

  /**
   * Decodes a signed manifest, has verifyChain validate the signer chain
   * (the validator with the content-signing usage) and return its leaf,
   * checks the signature under that leaf's key, and only then decodes the
   * body.
   */
  static async verify(signed: Uint8Array, verifyChain: (chain: Bytes[]) => Promise<Uint8Array>): Promise<Manifest> {
    const e = parseEnvelope(signed);
    let leaf: Uint8Array;
    try {
      leaf = await verifyChain(e.chain);
    } catch (err) {
      throw new ManifestError(`signer chain: ${(err as Error).message}`, { cause: err });
    }
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', e.body as BufferSource));
    try {
      await verify(subjectPublicKeyInfo(leaf), e.scheme, MANIFEST_CONTEXT, digest, e.signature);
    } catch (err) {
      throw new ManifestError('signature does not verify', { cause: err });
    }
    return Manifest.parseBody(e.body);
  }

  private static parseBody(body: Bytes): Manifest {
    const r = new Reader(body);
    try {
      if (r.u8() !== MANIFEST_VERSION) throw new ManifestError('version');
      const id = r.bytes(16);
      const title = r.prefixed(2).rest();
      const ctype = r.prefixed(1).rest();
      const size = r.u64();
      const chunkSize = r.u32();
      const chunks = r.u32();
      const duration = r.u64();
      r.u64(); // created
      const hashesLen = r.u32();
      if (hashesLen > MAX_CHUNKS * 32) throw new ManifestError('chunk hashes');
      const hashes = r.bytes(hashesLen);
      if (!r.empty()) throw new ManifestError('trailing bytes');
      const dec = new TextDecoder('utf-8', { fatal: true });
      const n = Number(size);
      const expected = chunkSize > 0 ? Math.ceil(n / chunkSize) : -1;
      if (size > BigInt(Number.MAX_SAFE_INTEGER) || chunks > MAX_CHUNKS || hashes.length !== chunks * 32 || chunks !== expected || chunkSize === 0) {
        throw new ManifestError('geometry');
      }
      if (title.length > MAX_TITLE || ctype.length > MAX_CONTENT_TYPE) throw new ManifestError('strings');
      return new Manifest(id, dec.decode(title), dec.decode(ctype), n, chunkSize, chunks, duration, hashes);
    } catch (e) {
      if (e instanceof ShortInput || e instanceof TypeError) throw new ManifestError('malformed body');
      throw e;
    }
  }

  /** The plaintext length of chunk i (content.ChunkLen). */
  chunkLen(i: number): number {
    if (i < 0 || i >= this.chunks) return 0;
    return i === this.chunks - 1 ? this.size - i * this.chunkSize : this.chunkSize;
  }

  /** Checks chunk i against the manifest: its length, then its SHA-256 in constant time. */
  async checkChunk(i: number, data: Uint8Array): Promise<void> {
    if (!Number.isInteger(i) || i < 0 || i >= this.chunks) throw new ChunkIntegrityError(i, 'index out of range');
    if (data.length !== this.chunkLen(i)) throw new ChunkIntegrityError(i, `${data.length} bytes, the manifest says ${this.chunkLen(i)}`);
    const sum = new Uint8Array(await crypto.subtle.digest('SHA-256', data as BufferSource));
    if (!equalConstantTime(sum, this.hashes.subarray(i * 32, i * 32 + 32))) throw new ChunkIntegrityError(i, 'hash does not match the signed manifest');
  }
}
