// Shared test helpers: the repository's fixtures and golden files, and a
// random source that replays recorded draws.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Bytes, equal, fromHex } from '../src/bytes.js';
import type { RandomSource } from '../src/random.js';

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
 * of the recorded sizes; remaining() tells how many were not used.
 */
export function replayRandom(draws: string[]): RandomSource & { remaining(): number } {
  let i = 0;
  const f = ((n: number) => {
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

