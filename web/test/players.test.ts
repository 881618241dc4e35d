// The MSE type a WebM or MP4 gets from the tracks its first chunk names,
// when its content type names no codecs (src/page/players.ts).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MsePlayer, PlayerClosed, typeFromMedia } from '../src/page/players.js';

const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));
/** A first chunk: filler around the given pieces, as a muxer's header is. */
const head = (...parts: number[][]) => new Uint8Array([...new Array(40).fill(0x11), ...parts.flatMap((p) => [...p, 0x22, 0x33])]);
const codecID = (id: string) => [0x86, 0x80 | id.length, ...ascii(id)];
const sampleEntry = (fourcc: string) => [...ascii(fourcc), 0, 0, 0, 0, 0, 0, 0, 1];
const handler = (type: string) => [...ascii('hdlr'), 0, 0, 0, 0, 0, 0, 0, 0, ...ascii(type)];

test('a first chunk names the codecs of the MSE type, and one with a video track of an unlisted codec gets none', () => {
  const supported = new Set<string>();
  (globalThis as { MediaSource?: unknown }).MediaSource = { isTypeSupported: (t: string) => supported.size === 0 || supported.has(t) };
  const cases: [string, 'webm' | 'mp4', Uint8Array, string | null][] = [
    ['an audio-only WebM', 'webm', head(codecID('A_OPUS')), 'audio/webm; codecs="opus"'],
    ['a WebM with VP9 and Opus', 'webm', head(codecID('V_VP9'), codecID('A_OPUS')), 'video/webm; codecs="vp9, opus"'],
    ['a WebM with AV1 (not listed) and Opus', 'webm', head(codecID('V_AV1'), codecID('A_OPUS')), null],
    ['a WebM naming no codec', 'webm', head([1, 2, 3]), null],
    ['an audio-only MP4', 'mp4', head(handler('soun'), sampleEntry('mp4a')), 'audio/mp4; codecs="mp4a.40.2"'],
    ['an MP4 with H.264 (avc1) and AAC', 'mp4', head(handler('vide'), sampleEntry('avc1'), handler('soun'), sampleEntry('mp4a')), 'video/mp4; codecs="avc1.42E01E, mp4a.40.2"'],
    ['an MP4 with H.264 (avc3) and AAC', 'mp4', head(handler('vide'), sampleEntry('avc3'), handler('soun'), sampleEntry('mp4a')), 'video/mp4; codecs="avc3.42E01E, mp4a.40.2"'],
    ['an MP4 with HEVC (not listed) and AAC', 'mp4', head(handler('vide'), sampleEntry('hvc1'), handler('soun'), sampleEntry('mp4a')), null],
  ];
  for (const [name, container, bytes, want] of cases) assert.equal(typeFromMedia(container, bytes), want, name);
  supported.add('video/webm; codecs="vp8, opus"');
  assert.equal(typeFromMedia('webm', head(codecID('A_OPUS'))), null, 'a type the browser does not take');
});

/** An event target with the few members of a media element a player uses before its MediaSource opens. */
class FakeElement extends EventTarget {
  src = '';
  error = null;
  currentTime = 0;
  duration = NaN;
  pause() {}
  removeAttribute(name: string) {
    if (name === 'src') this.src = '';
  }
}

test('closing an MSE player while its first write waits for the MediaSource to open ends that write with PlayerClosed', async () => {
  const g = globalThis as Record<string, unknown>;
  const saved = { document: g.document, MediaSource: g.MediaSource, create: URL.createObjectURL, revoke: URL.revokeObjectURL };
  // A MediaSource that never opens: its 'sourceopen' would come only once the element loads it, which a closed player's never does.
  g.MediaSource = class extends EventTarget {
    readyState = 'closed';
    static isTypeSupported = () => true;
  };
  g.document = { createElement: () => new FakeElement() };
  URL.createObjectURL = () => 'blob:player';
  URL.revokeObjectURL = () => {};
  try {
    const player = new MsePlayer('audio/webm', { replaceChildren() {} } as unknown as HTMLElement);
    const write = player.write(new Uint8Array(16));
    await new Promise((r) => setTimeout(r, 10));
    player.close();
    const settled = await Promise.race([
      write.then(
        () => 'resolved',
        (e: unknown) => e,
      ),
      new Promise((r) => setTimeout(() => r('still waiting'), 1000)),
    ]);
    assert.ok(settled instanceof PlayerClosed, `want PlayerClosed, got ${String(settled)}`);
    await assert.rejects(player.write(new Uint8Array(16)), PlayerClosed);
  } finally {
    g.document = saved.document;
    g.MediaSource = saved.MediaSource;
    URL.createObjectURL = saved.create;
    URL.revokeObjectURL = saved.revoke;
  }
});
