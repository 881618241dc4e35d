// Cipher suites (DESIGN.md §4 "Suites"), as protocol/suites.go. The hash is
// the HKDF, transcript and HMAC hash; CHACHA20 is ChaCha20-Poly1305; CBC
// suites are RFC 7518 §5.2 encrypt-then-MAC.

import { Kind, sizes } from './aead.js';
import type { HashName } from './hash.js';

/** A cipher suite's code on the wire. */
export const Suite = {
  DH_CHACHA20_SHA384: 0x0101,
  DH_CHACHA20_SHA256: 0x0102,
  DH_AES256_GCM_SHA384: 0x0103,
  DH_AES128_GCM_SHA384: 0x0104,
  DH_AES128_GCM_SHA256: 0x0105,
  DH_AES128_CBC_SHA384: 0x0106,
  DH_AES128_CBC_SHA256: 0x0107,
} as const;
export type SuiteID = (typeof Suite)[keyof typeof Suite];

/** The immutable description of a suite. */
export interface SuiteInfo {
  readonly id: SuiteID;
  readonly name: string;
  readonly kind: Kind;
  readonly hash: HashName;
  readonly keyLen: number;
  readonly ivLen: number;
}

function define(id: SuiteID, name: string, kind: Kind, hash: HashName): SuiteInfo {
  return { id, name, kind, hash, ...sizes(kind, hash) };
}

/** The suites in the default preference order: AEADs before CBC, the stronger hash first. */
const SUITES: readonly SuiteInfo[] = [
  define(Suite.DH_AES256_GCM_SHA384, 'DH_AES256_GCM_SHA384', Kind.AES256GCM, 'SHA-384'),
  define(Suite.DH_CHACHA20_SHA384, 'DH_CHACHA20_SHA384', Kind.ChaCha20Poly1305, 'SHA-384'),
  define(Suite.DH_CHACHA20_SHA256, 'DH_CHACHA20_SHA256', Kind.ChaCha20Poly1305, 'SHA-256'),
  define(Suite.DH_AES128_GCM_SHA384, 'DH_AES128_GCM_SHA384', Kind.AES128GCM, 'SHA-384'),
  define(Suite.DH_AES128_GCM_SHA256, 'DH_AES128_GCM_SHA256', Kind.AES128GCM, 'SHA-256'),
  define(Suite.DH_AES128_CBC_SHA384, 'DH_AES128_CBC_SHA384', Kind.AES128CBCHMAC, 'SHA-384'),
  define(Suite.DH_AES128_CBC_SHA256, 'DH_AES128_CBC_SHA256', Kind.AES128CBCHMAC, 'SHA-256'),
];

export function suiteByID(id: number): SuiteInfo | undefined {
  return SUITES.find((s) => s.id === id);
}

/** Every suite in the default preference order. */
export function defaultSuites(): SuiteID[] {
  return SUITES.map((s) => s.id);
}

/** The name of a suite code, or suite(0x....) for an unknown one. */
export function suiteName(id: number): string {
  return suiteByID(id)?.name ?? `suite(0x${id.toString(16).padStart(4, '0')})`;
}

/** Maps a suite name (case-insensitive, '-' for '_') to its code. */
export function parseSuite(name: string): SuiteID {
  const n = name.toUpperCase().replaceAll('-', '_');
  const s = SUITES.find((x) => x.name === n);
  if (!s) throw new Error(`unknown cipher suite ${JSON.stringify(name)} (known: ${SUITES.map((x) => x.name).join(', ')})`);
  return s.id;
}
