// Shared test helpers: the repository's fixtures and golden files, and a
// random source that replays recorded draws.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Bytes, equal, fromHex, toHex } from '../src/bytes.js';
import { type RandomSource, systemRandom } from '../src/random.js';
import { type ClientConfig, ClientHandshake, type WebAuthnAssertion } from '../src/handshake_client.js';
import type { Session } from '../src/session.js';

export const webDir = join(dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = join(webDir, '..');

/** One "# name" section of a golden transcript file, decoded. */
export interface Section {
  name: string;
  bytes: Bytes;
}

/** Reads a protocol/testdata/*.golden file: "# name" lines, each followed by hex lines. */
export function readGolden(path: string): Section[] {
  const out: Section[] = [];
  let cur: { name: string; hex: string } | null = null;
  for (const line of readFileSync(join(repoRoot, path), 'utf8').split('\n')) {
    if (line.startsWith('# ')) {
      if (cur) out.push({ name: cur.name, bytes: fromHex(cur.hex) });
      cur = { name: line.slice(2), hex: '' };
    } else if (cur) {
      cur.hex += line.trim();
    }
  }
  if (cur) out.push({ name: cur.name, bytes: fromHex(cur.hex) });
  return out;
}

export function section(sections: Section[], name: string): Bytes {
  const s = sections.find((x) => x.name === name);
  if (!s) throw new Error(`no section ${name}`);
  return s.bytes;
}

/**
 * A random source that hands out exactly the recorded draws, in order and
 * of the recorded sizes, then (if given) continues with after;
 * remaining() tells how many recorded draws were not used.
 */
export function replayRandom(draws: string[], after?: RandomSource): RandomSource & { remaining(): number } {
  let i = 0;
  const f = ((n: number) => {
    if (i >= draws.length && after) return after(n);
    if (i >= draws.length) throw new Error(`random draw ${i} of ${n} bytes: the recording has only ${draws.length} draws`);
    const d = fromHex(draws[i]!);
    if (d.length !== n) throw new Error(`random draw ${i} is ${n} bytes, the recording's is ${d.length}`);
    i++;
    return d;
  }) as RandomSource & { remaining(): number };
  f.remaining = () => draws.length - i;
  return f;
}

export function readJSON<T>(path: string): T {
  return JSON.parse(readFileSync(join(webDir, path), 'utf8')) as T;
}

/** A verifier that accepts exactly the expected chain and returns its leaf. */
export function pinnedChain(expected: Bytes[]) {
  return async (chain: Bytes[]): Promise<Uint8Array> => {
    if (chain.length !== expected.length || chain.some((c, i) => !equal(c, expected[i]!))) throw new Error('not the expected server chain');
    return chain[0]!;
  };
}


export interface GoldenCase {
  name: string;
  golden: string;
  suites: number[];
  groups: number[];
  keyShares: number;
  random: string[];
  deviceChain: string[];
  deviceKeyPKCS8: string;
  serverChain: string[];
  request: string;
  media: string;
  chunkIndex: number;
  chunk: string;
  chunkPad: number;
  webauthn?: {
    rpId: string;
    origin: string;
    challenge: string;
    credentialId: string;
    authenticatorData: string;
    clientDataJSON: string;
    clientData: string;
    signature: string;
  };
  epoch1: { master: string; clientTraffic: string; serverTraffic: string };
}

export const goldenCases = readJSON<GoldenCase[]>('testdata/golden-client.json');

/** The device key of a golden case, imported as the browser would: non-extractable. */
export function goldenDeviceKey(c: GoldenCase): Promise<CryptoKey> {
  return crypto.subtle.importKey('pkcs8', fromHex(c.deviceKeyPKCS8), { name: 'Ed25519' }, false, ['sign']);
}

/**
 * The WebAuthn login of a golden case: it checks that the client derived
 * the challenge the Go client did, and answers with the recorded assertion.
 */
export function goldenAssertion(c: GoldenCase) {
  const w = c.webauthn!;
  return async (challenge: Uint8Array): Promise<WebAuthnAssertion> => {
    if (toHex(challenge) !== w.challenge) throw new Error(`WebAuthn challenge ${toHex(challenge)}, the Go client's is ${w.challenge}`);
    return {
      credentialId: fromHex(w.credentialId),
      authenticatorData: fromHex(w.authenticatorData),
      clientDataJSON: fromHex(w.clientDataJSON),
      signature: fromHex(w.signature),
    };
  };
}

/** Runs the client through a golden case's handshake and returns its session. */
export async function goldenSession(name: string): Promise<{ c: GoldenCase; g: Section[]; session: Session }> {
  const c = goldenCases.find((x) => x.name === name)!;
  const g = readGolden(c.golden);
  const hs = new ClientHandshake(await goldenClientConfig(c));
  await hs.hello();
  if (g.some((s) => s.name === 'hello retry request')) {
    await hs.readServerFlight(section(g, 'hello retry request'));
    await hs.hello();
  }
  await hs.readServerFlight(section(g, 'server flight'));
  await hs.finish();
  return { c, g, session: await hs.readServerFinished(section(g, 'server finished')) };
}

/** The client configuration of a golden case: its randomness, suites, groups, device and the pinned server chain. */
export async function goldenClientConfig(c: GoldenCase): Promise<ClientConfig> {
  return {
    rand: replayRandom(c.random, systemRandom),
    suites: c.suites as never,
    groups: c.groups as never,
    certificate: c.deviceChain.map(fromHex),
    privateKey: await goldenDeviceKey(c),
    verifyPeer: pinnedChain(c.serverChain.map(fromHex)),
    webauthn: c.webauthn ? goldenAssertion(c) : undefined,
  };
}
