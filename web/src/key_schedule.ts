// The key schedule of DESIGN.md §4, modelled on RFC 8446 §7.1 without the
// PSK branch, as protocol/key_schedule.go:
//
//	             0
//	             │
//	shared ─▶ HKDF-Extract = HandshakeSecret          (salt = Derive-Secret(Extract(0,0), "derived", ""))
//	             ├─▶ Derive-Secret(., "c hs traffic", CH…server CertificateVerify) = client_handshake_traffic
//	             ├─▶ Derive-Secret(., "s hs traffic", CH…server CertificateVerify) = server_handshake_traffic
//	             ▼
//	      Derive-Secret(., "derived", "")
//	             │
//	    0 ─▶ HKDF-Extract = MasterSecret (epoch 1)
//	             ├─▶ Derive-Secret(., "c ap traffic", CH…client Finished) = client_application_traffic_1
//	             └─▶ Derive-Secret(., "s ap traffic", CH…client Finished) = server_application_traffic_1
//
// Rekey (epoch n → n+1), th = H(session id ‖ n ‖ client share ‖ server share):
//
//	MasterSecret_{n+1} = HKDF-Extract(salt = Derive-Secret(MasterSecret_n, "rekey", th), ikm = new shared secret)
//	*_application_traffic_{n+1} = Derive-Secret(MasterSecret_{n+1}, "c ap traffic" / "s ap traffic", th)

import { type RecordCipher, newRecordCipher } from './aead.js';
import { type Bytes, concat, erase, Writer } from './bytes.js';
import { LABEL, MEDIA_ID_SIZE } from './constants.js';
import { nobleHash } from './hash.js';
import { deriveSecret, emptyHash, expandLabel, extract, finished } from './kdf.js';
import type { SuiteInfo } from './suites.js';

/** The first Extract of the schedule. */
export function deriveHandshakeSecret(s: SuiteInfo, shared: Uint8Array): Bytes {
  const early = extract(s.hash, null, new Uint8Array(0));
  const salt = deriveSecret(s.hash, early, LABEL.derived, emptyHash(s.hash));
  try {
    return extract(s.hash, salt, shared);
  } finally {
    erase(early, salt);
  }
}

/** The client and server handshake traffic secrets. */
export function handshakeTrafficSecrets(s: SuiteInfo, hs: Uint8Array, th: Uint8Array): { client: Bytes; server: Bytes } {
  return {
    client: deriveSecret(s.hash, hs, LABEL.clientHandshake, th),
    server: deriveSecret(s.hash, hs, LABEL.serverHandshake, th),
  };
}

/** The second Extract of the schedule. */
export function deriveMasterSecret(s: SuiteInfo, hs: Uint8Array): Bytes {
  const salt = deriveSecret(s.hash, hs, LABEL.derived, emptyHash(s.hash));
  try {
    return extract(s.hash, salt, new Uint8Array(0));
  } finally {
    erase(salt);
  }
}

/** An epoch's application traffic secrets. */
export function applicationTrafficSecrets(s: SuiteInfo, ms: Uint8Array, th: Uint8Array): { client: Bytes; server: Bytes } {
  return {
    client: deriveSecret(s.hash, ms, LABEL.clientApp, th),
    server: deriveSecret(s.hash, ms, LABEL.serverApp, th),
  };
}

/**
 * Mixes the old master secret and a fresh shared secret (DESIGN.md §4
 * "Rekey"), so compromise of either alone does not reveal the new epoch.
 */
export function nextMasterSecret(s: SuiteInfo, old: Uint8Array, shared: Uint8Array, th: Uint8Array): Bytes {
  const salt = deriveSecret(s.hash, old, LABEL.rekey, th);
  try {
    return extract(s.hash, salt, shared);
  } finally {
    erase(salt);
  }
}

/** HMAC(finished_key, transcript hash), RFC 8446 §4.4.4. */
export function finishedMAC(s: SuiteInfo, base: Uint8Array, th: Uint8Array): Bytes {
  return finished(s.hash, base, th);
}

/** Expands a traffic secret into a record key and IV (RFC 8446 §7.3). */
export async function recordCipher(s: SuiteInfo, ts: Uint8Array): Promise<RecordCipher> {
  const key = expandLabel(s.hash, ts, LABEL.key, new Uint8Array(0), s.keyLen);
  const iv = expandLabel(s.hash, ts, LABEL.iv, new Uint8Array(0), s.ivLen);
  try {
    return await newRecordCipher(s.kind, s.hash, key, iv);
  } finally {
    erase(key, iv);
  }
}

/**
 * The key of one media chunk, one-way from the traffic secret, the media id
 * and the chunk index (DESIGN.md §4 "Per-chunk keys"):
 * key ‖ iv = HKDF-Expand-Label(traffic, "chunk", media id ‖ index, keyLen+ivLen).
 */
export async function chunkCipher(s: SuiteInfo, ts: Uint8Array, media: Uint8Array, index: number): Promise<RecordCipher> {
  if (media.length !== MEDIA_ID_SIZE) throw new Error(`protocol: a media id is ${MEDIA_ID_SIZE} bytes`);
  const ctx = concat(media, new Writer().u32(index).finish());
  const km = expandLabel(s.hash, ts, LABEL.chunk, ctx, s.keyLen + s.ivLen);
  try {
    return await newRecordCipher(s.kind, s.hash, km.subarray(0, s.keyLen), km.subarray(s.keyLen));
  } finally {
    erase(km);
  }
}

/**
 * The running hash of the handshake messages. Until the suite is known
 * (the client's first hello), messages are buffered.
 */
export class Transcript {
  private buffered: Uint8Array[] = [];
  private h: ReturnType<ReturnType<typeof nobleHash>['create']> | null = null;

  add(...raw: Uint8Array[]): void {
    for (const r of raw) {
      if (this.h) this.h.update(r);
      else this.buffered.push(r);
    }
  }

  /** Fixes the hash once the suite is chosen, hashing what was buffered. */
  start(s: SuiteInfo): void {
    this.h = nobleHash(s.hash).create();
    for (const r of this.buffered) this.h.update(r);
    this.buffered = [];
  }

  /** The hash of the transcript so far. */
  sum(): Bytes {
    if (!this.h) throw new Error('protocol: transcript hash used before the suite is known');
    return new Uint8Array(this.h.clone().digest());
  }
}
