// Key-exchange groups on the wire (DESIGN.md §4 "Groups"), as
// protocol/groups.go. The values are the TLS NamedGroup code points.

import { type GroupName, type KexGroup, kexByName } from './kex.js';

export const Group = {
  P256: 0x0017,
  P384: 0x0018,
  X25519: 0x001d,
  FFDHE2048: 0x0100,
  FFDHE3072: 0x0101,
  X25519MLKEM768: 0x11ec,
} as const;
export type GroupID = (typeof Group)[keyof typeof Group];

export interface GroupInfo {
  readonly id: GroupID;
  readonly name: GroupName;
  readonly kex: KexGroup;
}

function define(id: GroupID, name: GroupName): GroupInfo {
  return { id, name, kex: kexByName(name) };
}

/**
 * The groups in the default preference order: the hybrid post-quantum group
 * first, then x25519, the NIST curves, then the finite fields.
 */
const GROUPS: readonly GroupInfo[] = [
  define(Group.X25519MLKEM768, 'x25519mlkem768'),
  define(Group.X25519, 'x25519'),
  define(Group.P256, 'p256'),
  define(Group.P384, 'p384'),
  define(Group.FFDHE3072, 'ffdhe3072'),
  define(Group.FFDHE2048, 'ffdhe2048'),
];

export function groupByID(id: number): GroupInfo | undefined {
  return GROUPS.find((g) => g.id === id);
}

/** Every group in the default preference order. */
export function defaultGroups(): GroupID[] {
  return GROUPS.map((g) => g.id);
}

export function groupName(id: number): string {
  return groupByID(id)?.name ?? `group(0x${id.toString(16).padStart(4, '0')})`;
}

/** Maps a group name (case-insensitive, '_' ignored) to its code. */
export function parseGroup(name: string): GroupID {
  const n = name.toLowerCase().replaceAll('_', '');
  const g = GROUPS.find((x) => x.name === n);
  if (!g) throw new Error(`unknown group ${JSON.stringify(name)} (known: ${GROUPS.map((x) => x.name).join(', ')})`);
  return g.id;
}
