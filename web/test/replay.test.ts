// The RFC 6479 window: the table of protocol/internal/replay, and a model.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_WINDOW_SIZE, ReplayWindow, type ReplayVerdict } from '../src/replay.js';

const SIZE = 128n;
const MAX = (1n << 64n) - 1n;
type Step = [bigint, ReplayVerdict];

function ringWrapSteps(size: bigint): Step[] {
  const steps: Step[] = [];
  for (let seq = 0n; seq < 10n * size; seq++) {
    steps.push([seq, 'ok']);
    if (seq >= size) steps.push([seq - size, 'too old']);
    steps.push([seq - (seq % 3n), 'replayed']);
  }
  return steps;
}

const cases: [string, Step[]][] = [
  ['sequence zero is accepted first and then rejected', [[0n, 'ok'], [0n, 'replayed']]],
  ['in-order numbers are all accepted', [[0n, 'ok'], [1n, 'ok'], [2n, 'ok'], [3n, 'ok'], [200n, 'ok'], [201n, 'ok']]],
  ['out-of-order numbers within the window are accepted once', [[10n, 'ok'], [5n, 'ok'], [7n, 'ok'], [6n, 'ok'], [5n, 'replayed'], [10n, 'replayed'], [0n, 'ok']]],
  ['a duplicate of the newest number is replayed', [[42n, 'ok'], [42n, 'replayed']]],
  ['the oldest number inside the window is still accepted', [[SIZE - 1n, 'ok'], [0n, 'ok'], [0n, 'replayed']]],
  ['a number one behind the window is too old', [[SIZE, 'ok'], [0n, 'too old'], [1n, 'ok']]],
  ['a jump of more than the window forgets everything before it', [[0n, 'ok'], [1n, 'ok'], [SIZE + 10n, 'ok'], [1n, 'too old'], [11n, 'ok'], [10n, 'too old']]],
  [
    'a jump of more than twice the window clears the whole ring',
    [[3n, 'ok'], [64n, 'ok'], [130n, 'ok'], [3n * SIZE + 5n, 'ok'], [3n * SIZE + 5n - 64n, 'ok'], [3n * SIZE + 5n - 122n, 'ok'], [130n, 'too old'], [3n * SIZE, 'ok']],
  ],
  ['numbers skipped by an advance stay acceptable', [[0n, 'ok'], [100n, 'ok'], [50n, 'ok'], [99n, 'ok'], [1n, 'ok'], [50n, 'replayed']]],
  ['the ring wraps many times while in order', ringWrapSteps(SIZE)],
  [
    'numbers near the maximum are handled without overflow',
    [[MAX - 200n, 'ok'], [MAX, 'ok'], [MAX - 1n, 'ok'], [MAX, 'replayed'], [MAX - 200n, 'too old'], [MAX - 127n, 'ok']],
  ],
  ['the first commit may be far from zero', [[1n << 40n, 'ok'], [0n, 'too old'], [(1n << 40n) - 1n, 'ok']]],
];

for (const [name, steps] of cases) {
  test(name, () => {
    const w = new ReplayWindow(Number(SIZE));
    steps.forEach(([seq, want], i) => {
      assert.equal(w.check(seq), want, `step ${i}: check(${seq})`);
      if (want === 'ok') w.commit(seq);
    });
  });
}

test('check does not change the window', () => {
  const w = new ReplayWindow(64);
  for (let i = 0; i < 3; i++) assert.equal(w.check(5n), 'ok');
  w.commit(5n);
  assert.equal(w.check(5n), 'replayed');
});

test('the size is rounded up to 64 and bounded', () => {
  assert.equal(new ReplayWindow(1).size, 64n);
  assert.equal(new ReplayWindow(65).size, 128n);
  assert.equal(new ReplayWindow(4096).size, 4096n);
  assert.equal(new ReplayWindow(MAX_WINDOW_SIZE * 4).size, BigInt(MAX_WINDOW_SIZE));
});

test('the window agrees with a set-based model on a pseudo-random walk', () => {
  const w = new ReplayWindow(256);
  const seen = new Set<bigint>();
  let highest = -1n;
  let x = 12345;
  for (let i = 0; i < 20000; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    const seq = BigInt(Math.max(0, Number(highest) + (x % 300) - 250));
    const want: ReplayVerdict = highest >= 0n && highest - seq >= w.size ? 'too old' : seen.has(seq) ? 'replayed' : 'ok';
    assert.equal(w.check(seq), want, `step ${i}: seq ${seq}`);
    if (want === 'ok') {
      w.commit(seq);
      seen.add(seq);
      if (seq > highest) highest = seq;
    }
  }
});
