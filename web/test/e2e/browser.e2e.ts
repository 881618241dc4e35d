// The browser player end to end in headless Chromium (Debian's
// /usr/bin/chromium), driven by Playwright with a CDP virtual
// authenticator, against the real server binary that `go test ./web`
// (browser_test.go) starts behind a TCP tap and describes in
// SECUREMEDIA_E2E_CONFIG: invite → register → log in → play a synthesized
// WAV (WebAudio) and audio-only WebM/Opus and MP4/AAC files (Media Source
// Extensions) to their ends; media the decoder fails on ends its play with
// an error; a pause pressed before the first chunk has arrived holds the
// play until Resume; a Resume pending when its play is stopped leaves no
// trace; leaving a play aborts its fetch mid-stream, a WAV's write waiting
// for room included; under the default autoplay policy a play waits for the viewer's
// Play, and a Play the browser refuses again asks again → 402 and the
// offer → renew → play again; a tampered record ends the session; a
// license revoked with the CLI stops a play at its next fetch; a disabled
// user cannot log in. A screenshot of the playing page is kept under the
// artifacts directory.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { chromium, type Browser, type CDPSession, type Page, type Request, type Route } from 'playwright-core';

interface Item {
  id: string;
  title: string;
  seconds: number;
  chunks: number;
  /** The content type the catalog gives it. */
  contentType: string;
}

interface E2EConfig {
  chromium: string;
  origin: string;
  invite: string;
  /** A second viewer's invite, for a browser under Chromium's default autoplay policy. */
  defaultAutoplayInvite: string;
  binary: string;
  serverConfig: string;
  artifacts: string;
  /** Played to its end, one view, then renewed. */
  short: Item;
  /** Long enough for several fetches: revoked during its play. */
  long: Item;
  /** Tampered with on the wire. */
  tamper: Item;
  /** An audio-only WebM/Opus and fragmented MP4/AAC file over several chunks, each under the content types an operator's add may give it: each plays through Media Source Extensions. */
  mse: Item[];
  /** WebM files with one Opus packet no decoder takes: the element fails mid-play, once the page has every chunk and while it holds one back. */
  undecodable: Item[];
  /** A long WebM (60 s, several chunks in one fetch) whose play the viewer leaves while its fetch is still streaming. */
  left: Item;
  /** A long WAV (3 kHz 8-bit mono: 16 KiB chunks of 5.46 s, one fetch) whose play the viewer leaves while a write waits for room (the player 30 s ahead of its playhead). */
  leftWav: Item;
  /** Where the benchmark writes its figures (benchmark mode only). */
  bench?: { item: Item; out: string };
}

const cfgPath = process.env.SECUREMEDIA_E2E_CONFIG;
const cfg: E2EConfig | null = cfgPath ? JSON.parse(readFileSync(cfgPath, 'utf8')) : null;
const skip = cfg ? false : 'run by `go test ./web -run TestBrowserPlayerInChromium`, which starts the server';

/** The flags of the issue: headless, no sandbox (root in CI), nothing fetched behind our back. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--autoplay-policy=no-user-gesture-required',
];

/**
 * Chromium with a virtual security key, and the page's console errors and
 * uncaught exceptions as they come: a sink that failed without telling
 * the page still leaves its trace there.
 */
interface Tab {
  browser: Browser;
  page: Page;
  /** The page's console errors and uncaught exceptions. */
  errors: string[];
  cdp: CDPSession;
}

async function launch(c: E2EConfig, args = CHROMIUM_ARGS): Promise<Tab> {
  const browser = await chromium.launch({ executablePath: c.chromium, headless: true, args });
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    console.log(`page console: ${m.text()}`);
    errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => {
    console.log(`page error: ${e.message}`);
    errors.push(`uncaught: ${e.message}`);
  });
  // A security key: a CTAP2 authenticator that holds resident keys and verifies its user.
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'usb', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return { browser, page, errors, cdp };
}

/**
 * The value of expression in the page, evaluated over CDP without a user
 * gesture: Playwright's own clicks and evaluations carry one, and a
 * single gesture lets a document start media for good (Chromium's sticky
 * user activation).
 */
async function evaluateWithoutGesture<T>(cdp: CDPSession, expression: string): Promise<T> {
  const r = await cdp.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true, userGesture: false });
  if (r.exceptionDetails) throw new Error(`${expression}: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
  return r.result.value as T;
}

/** Waits, without a user gesture, until expression holds in the page; the timeout's error says what the page shows. */
async function untilWithoutGesture(cdp: CDPSession, expression: string, timeout = 30_000): Promise<void> {
  for (const end = Date.now() + timeout; !(await evaluateWithoutGesture<boolean>(cdp, expression)); ) {
    if (Date.now() > end) {
      const shows = await evaluateWithoutGesture<string>(cdp, `document.body.dataset.state + ' at ' + document.getElementById('player').dataset.position + ' s: ' + document.getElementById('status').textContent`);
      throw new Error(`${expression} did not hold in ${timeout} ms: the page is ${shows}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function cli(c: E2EConfig, ...args: string[]): string {
  return execFileSync(c.binary, [...args.slice(0, 2), '--config', c.serverConfig, ...args.slice(2)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const state = (page: Page, ...want: string[]) =>
  page.waitForFunction((w) => w.includes(document.body.dataset.state ?? ''), want, { timeout: 60_000 });

async function statusText(page: Page): Promise<string> {
  return (await page.locator('#status').textContent()) ?? '';
}

/**
 * Watches the page's POSTs from now on: the session's records, any
 * handshake, and how each request ended; stop ends the watch.
 */
function watchRequests(page: Page): { records: Request[]; handshakes: string[]; ended: Map<Request, string>; stop: () => void } {
  const records: Request[] = [];
  const handshakes: string[] = [];
  const ended = new Map<Request, string>();
  const onRequest = (r: Request) => {
    if (r.method() !== 'POST') return;
    if (/^\/v1\/session\/[^/]+$/.test(new URL(r.url()).pathname)) records.push(r);
    else handshakes.push(r.url());
  };
  const onFinished = (r: Request) => ended.set(r, 'finished');
  const onFailed = (r: Request) => ended.set(r, `failed: ${r.failure()?.errorText ?? 'no reason'}`);
  page.on('request', onRequest);
  page.on('requestfinished', onFinished);
  page.on('requestfailed', onFailed);
  return {
    records,
    handshakes,
    ended,
    stop: () => {
      page.off('request', onRequest);
      page.off('requestfinished', onFinished);
      page.off('requestfailed', onFailed);
    },
  };
}

/**
 * After a play was left: the page is back on the catalog, the session
 * went on (no new handshake, no console error), and the same title plays
 * again in it (and is left playing for the next test), within timeout.
 */
async function assertLeftAndPlaysAgain(page: Page, item: Item, handshakes: string[], newErrors: () => string[], timeout: number): Promise<void> {
  assert.equal(await page.evaluate(() => document.body.dataset.state), 'catalog');
  assert.match(await statusText(page), /^\d+ titles?\.$/);
  assert.deepEqual(handshakes, [], 'the session goes on: no new handshake');
  assert.deepEqual(newErrors(), [], 'no error in the page console');
  await playButton(page, item).click();
  await page.waitForFunction(() => Number(document.getElementById('player')!.dataset.position) > 1 || document.body.dataset.state === 'error', undefined, { timeout });
  assert.equal(await page.evaluate(() => document.body.dataset.state), 'playing', await statusText(page));
  assert.deepEqual(handshakes, [], 'no new handshake');
  assert.deepEqual(newErrors(), [], 'no error in the page console');
}

/**
 * Waits until fetch ended, either way (finished: the stopped play read
 * on, or left its answer to the network; or failed), and checks that
 * leaving the play aborted it.
 */
async function assertAborted(ended: Map<Request, string>, fetch: Request): Promise<void> {
  for (const end = Date.now() + 30_000; !ended.has(fetch); await new Promise((r) => setTimeout(r, 100))) {
    assert.ok(Date.now() < end, 'the fetch neither finished nor failed in 30 s: the page left it open');
  }
  assert.equal(ended.get(fetch), 'failed: net::ERR_ABORTED', 'leaving the play aborted its fetch');
}

/**
 * Holds the nth POST to the session endpoint (from 1, counted from now)
 * until release is called; the others pass. The requests are records,
 * opaque to the route: the count follows the page's order of operations.
 */
function holdNth(page: Page, n: number): { held: Promise<void>; release: () => void; done: () => Promise<void> } {
  let count = 0;
  let release!: () => void;
  let heldResolve!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const held = new Promise<void>((r) => (heldResolve = r));
  const handler = async (route: Route) => {
    if (route.request().method() !== 'POST' || route.request().url().endsWith('/finish')) return route.continue();
    count++;
    if (count === n) {
      heldResolve();
      await gate;
    }
    await route.continue();
  };
  void page.route('**/v1/session/**', handler);
  return { held, release, done: () => page.unroute('**/v1/session/**', handler) };
}

/**
 * Where a play's samples go: a media element on a MediaSource in the
 * player's slot is MsePlayer's; WavPlayer plays through WebAudio and puts
 * none there (a stopped MsePlayer's element is left without its src).
 */
type Sink = 'webaudio' | 'mse';

interface SlotElement {
  paused: boolean;
  ended: boolean;
  currentTime: number;
  error: string | null;
  /** Chromium's count of the audio bytes its decoder took: real decoding, not only buffering. */
  decodedBytes: number;
}

/**
 * How many SourceBuffers the page holds (every live one, found by its
 * prototype over CDP: the page exposes none) and the types of the event
 * listeners left on them.
 */
async function sourceBufferListeners(cdp: CDPSession): Promise<{ buffers: number; listeners: string[] }> {
  const proto = await cdp.send('Runtime.evaluate', { expression: 'SourceBuffer.prototype', objectGroup: 'sourcebuffers' });
  const { objects } = await cdp.send('Runtime.queryObjects', { prototypeObjectId: proto.result.objectId!, objectGroup: 'sourcebuffers' });
  const { result } = await cdp.send('Runtime.getProperties', { objectId: objects.objectId!, ownProperties: true });
  let buffers = 0;
  const listeners: string[] = [];
  for (const p of result) {
    if (!/^\d+$/.test(p.name) || !p.value?.objectId) continue;
    buffers++;
    const found = await cdp.send('DOMDebugger.getEventListeners', { objectId: p.value.objectId });
    listeners.push(...found.listeners.map((l) => l.type));
  }
  await cdp.send('Runtime.releaseObjectGroup', { objectGroup: 'sourcebuffers' });
  return { buffers, listeners };
}

/** The catalog's Play of item. */
const playButton = (page: Page, item: Item) => page.locator(`li.item[data-id="${item.id}"] button.play`);

async function slotElement(page: Page): Promise<SlotElement | null> {
  return page.evaluate(() => {
    const m = document.querySelector<HTMLMediaElement>('#video-slot > audio, #video-slot > video');
    if (!m || !m.src.startsWith('blob:')) return null;
    const decoded = (m as HTMLMediaElement & { webkitAudioDecodedByteCount?: number }).webkitAudioDecodedByteCount ?? 0;
    return { paused: m.paused, ended: m.ended, currentTime: m.currentTime, error: m.error ? `${m.error.code} ${m.error.message}` : null, decodedBytes: decoded };
  });
}

/**
 * Plays item from the catalog to its end and checks what every format
 * must show: the sink its format goes to, playing, the playback clock
 * past 0.5 s and then at the item's duration with the play ended, the
 * first sample's time set, every chunk verified, and no error on the page
 * or in its console. start starts the play (by default a click on its
 * Play); whilePlaying runs once the clock is past 0.5 s.
 */
async function playsToItsEnd(tab: Tab, item: Item, sink: Sink, whilePlaying = async () => {}, start = () => playButton(tab.page, item).click()): Promise<void> {
  const { page, errors } = tab;
  const errorsBefore = errors.length;
  await start();
  // A play that fails says so at once rather than after a wait's timeout.
  const failed = async () => (await page.evaluate(() => document.body.dataset.state)) === 'error';
  await state(page, 'playing', 'error');
  await page.waitForFunction(() => Number(document.getElementById('player')!.dataset.position) > 0.5 || document.body.dataset.state === 'error', undefined, { timeout: 60_000 });
  assert.equal(await failed(), false, `the play failed: ${await statusText(page)}`);
  const el = await slotElement(page);
  if (sink === 'webaudio') {
    assert.equal(el, null, 'WebAudio plays it: no media element in the slot');
  } else {
    assert.ok(el, 'a media element on a MediaSource plays it');
    assert.equal(el.paused, false, 'the media element plays');
    assert.ok(el.currentTime > 0.5, `the media element's clock is at ${el.currentTime}`);
  }
  await whilePlaying();
  await state(page, 'ended', 'error');
  assert.equal(await failed(), false, `the play failed: ${await statusText(page)}`);
  const position = Number(await page.locator('#player').getAttribute('data-position'));
  assert.ok(position >= item.seconds - 0.05, `the play ended at ${position} s, want ${item.seconds}`);
  const duration = Number(await page.locator('#player').getAttribute('data-duration'));
  assert.ok(Math.abs(duration - item.seconds) < 0.05, `duration ${duration}, want ${item.seconds}`);
  assert.ok(Number(await page.locator('#player').getAttribute('data-first-audio')) > 0, 'the first sample was timed');
  assert.equal(await page.locator('#received').textContent(), `${item.chunks} of ${item.chunks} chunks verified`);
  assert.equal(await page.locator('#status').getAttribute('data-kind'), 'info', await statusText(page));
  assert.match(await statusText(page), /^Finished /);
  if (sink === 'mse') {
    const end = await slotElement(page);
    assert.ok(end, 'the media element is still on its MediaSource');
    assert.equal(end.error, null, 'the media element reports no error');
    assert.equal(end.ended, true, 'the media element played to its end');
    assert.ok(Math.abs(end.currentTime - item.seconds) < 0.05, `the media element stopped at ${end.currentTime}, want ${item.seconds}`);
    assert.ok(end.decodedBytes > 0, 'the decoder took audio');
    const { buffers, listeners } = await sourceBufferListeners(tab.cdp);
    assert.ok(buffers > 0, 'the page holds the SourceBuffer it played from');
    assert.deepEqual(listeners, [], 'no listener of the appends is left on a SourceBuffer');
  }
  assert.deepEqual(errors.slice(errorsBefore), [], 'no error in the page console during the play');
}

test('the browser player in Chromium', { skip }, async (t) => {
  const c = cfg!;
  mkdirSync(c.artifacts, { recursive: true });
  const tab = await launch(c);
  const { browser, page } = tab;
  try {
    await t.test('an invite registers a security key and this browser', async () => {
      await page.goto(c.invite);
      await state(page, 'register');
      await page.fill('#register-name', 'Browser Viewer');
      await page.click('#register-button');
      await state(page, 'login');
      assert.match(await statusText(page), /Registered as Browser Viewer/);
      assert.equal(new URL(page.url()).hash, '', 'the spent invite left the address bar');
      const stored = await page.evaluate(
        () =>
          new Promise<string[]>((resolve) => {
            const req = indexedDB.open('securemedia');
            req.onsuccess = () => {
              const get = req.result.transaction('device').objectStore('device').get('device');
              get.onsuccess = () => resolve([String(get.result.privateKey.extractable), get.result.privateKey.algorithm.name, get.result.user]);
            };
          }),
      );
      assert.equal(stored[0], 'false', 'the device key is not extractable');
      assert.equal(stored[1], 'ECDSA');
      assert.match(stored[2]!, /^web-[0-9a-f]{16}$/);
    });

    await t.test('the viewer logs in with the security key and sees the catalog with license state', async () => {
      await page.click('#login-button');
      await state(page, 'catalog');
      for (const item of [c.short, c.long]) {
        await page.locator(`li.item[data-id="${item.id}"]`).waitFor();
        assert.match((await page.locator(`li.item[data-id="${item.id}"] .title`).textContent())!, new RegExp(item.title));
      }
      assert.match(await page.locator('#who').textContent() ?? '', /web-[0-9a-f]{16}/);
    });

    await t.test('a synthesized WAV plays through WebAudio to its end, and the screenshot of the playing page is kept', async () => {
      await playsToItsEnd(tab, c.short, 'webaudio', async () => {
        const shot = join(c.artifacts, 'browser-player-playing.png');
        await page.screenshot({ path: shot, fullPage: true });
        console.log(`screenshot of the playing page: ${shot}`);
      });
    });

    for (const item of c.mse) {
      await t.test(`${item.title} (${item.contentType}) plays through Media Source Extensions to its end, appended chunk by chunk`, async () => {
        await page.click('#stop');
        await state(page, 'catalog');
        await playsToItsEnd(tab, item, 'mse');
      });
    }

    for (const [item, sink] of [
      [c.mse[1]!, 'mse'],
      [c.tamper, 'webaudio'],
    ] as const) {
      await t.test(`a pause pressed before the first chunk has arrived holds the play until Resume (${item.title}, ${sink})`, async () => {
        await page.click('#stop');
        await state(page, 'catalog');
        await playsToItsEnd(tab, item, sink, undefined, async () => {
          const hold = holdNth(page, 3); // info, play, then the first fetch waits
          await playButton(page, item).click();
          await hold.held;
          await page.click('#pause');
          await state(page, 'paused');
          hold.release();
          await page.waitForFunction(() => /^Playing /.test(document.getElementById('status')!.textContent ?? ''), undefined, { timeout: 30_000 }); // the first chunk is in the player
          await hold.done();
          await page.waitForTimeout(700);
          assert.equal(await page.evaluate(() => document.body.dataset.state), 'paused', 'the page says paused');
          assert.equal(await page.locator('#pause').textContent(), 'Resume');
          assert.equal(Number(await page.locator('#player').getAttribute('data-position')), 0, 'the playback clock stands at 0');
          if (sink === 'mse') {
            const el = await slotElement(page);
            assert.ok(el, 'a media element on a MediaSource');
            assert.deepEqual({ paused: el.paused, at: el.currentTime }, { paused: true, at: 0 }, 'the media element stays paused at 0');
          }
          await page.click('#pause');
        });
      });
    }

    await t.test('a Resume still pending when its play is stopped leaves the catalog as it is, with no error; the title then plays', async () => {
      const item = c.mse[2]!;
      await page.click('#stop');
      await state(page, 'catalog');
      const errorsBefore = tab.errors.length;
      const hold = holdNth(page, 3); // info, play, then the first fetch waits
      await playButton(page, item).click();
      await hold.held;
      await page.click('#pause');
      await state(page, 'paused');
      await page.click('#pause'); // Resume: the media element has nothing yet, its play() is pending
      await page.click('#stop');
      await state(page, 'catalog');
      hold.release();
      await page.waitForTimeout(500); // the held fetch goes on, its answer goes to the stopped player
      await hold.done();
      assert.equal(await page.evaluate(() => document.body.dataset.state), 'catalog');
      assert.match(await statusText(page), /^\d+ titles?\.$/);
      const errorsOfTheStop = tab.errors.slice(errorsBefore);
      await playsToItsEnd(tab, item, 'mse'); // the next play is not disturbed, and the page is left playing for the next test
      assert.deepEqual(errorsOfTheStop, [], 'no error in the page console');
    });

    await t.test('leaving a play while its fetch is still streaming aborts that fetch and stops its player; the session goes on and the title plays again', async () => {
      const item = c.left;
      await page.click('#stop');
      await state(page, 'catalog');
      const errorsBefore = tab.errors.length;
      // From the click on: the session's records (info, play, then one fetch of every chunk), any handshake, and how each request ended.
      const { records, handshakes, ended, stop } = watchRequests(page);
      // The answers reach the page at 4 KB/s: the fetch of 60 s of WebM (its chunks of 16 KiB) streams for some 15 s, the first chunk in after 4.
      await tab.cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: 4096, uploadThroughput: -1 });
      try {
        await playButton(page, item).click();
        await page.waitForFunction(() => /^1 of /.test(document.getElementById('received')!.textContent ?? '') || document.body.dataset.state === 'error', undefined, { timeout: 60_000 });
        assert.equal(await page.evaluate(() => document.body.dataset.state), 'playing', await statusText(page));
        assert.equal(records.length, 3, 'info, play, then one fetch');
        const fetch = records[2]!;
        assert.equal(ended.get(fetch), undefined, 'the fetch is still streaming when the viewer leaves the play');
        await page.click('#stop');
        await state(page, 'catalog');
        await assertAborted(ended, fetch);
      } finally {
        await tab.cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
        stop();
      }
      assert.equal(await slotElement(page), null, 'the player is stopped: its media element is off its MediaSource');
      await assertLeftAndPlaysAgain(page, item, handshakes, () => tab.errors.slice(errorsBefore), 60_000);
    });

    await t.test('leaving a WAV play while a write waits for room (30 s ahead of the playhead) aborts its fetch and ends the wait; the session goes on and the title plays again', async () => {
      const item = c.leftWav;
      const chunkSeconds = (16 << 10) / 3000; // a chunk of 3 kHz 8-bit mono
      const lead = 30; // MAX_LEAD of players.ts
      // After this many chunks the player is close to 30 s ahead, and the next write waits some 5 s for room.
      const ahead = Math.ceil(lead / chunkSeconds);
      assert.ok(item.chunks > ahead + 4, `${item.title} has ${item.chunks} chunks, too few to get ${lead} s ahead in one fetch`);
      await page.click('#stop');
      await state(page, 'catalog');
      const errorsBefore = tab.errors.length;
      // A closed AudioContext's clock stands still: a player that goes on reading it after the play is left waits for ever.
      await page.evaluate(() => {
        const clock = Object.getOwnPropertyDescriptor(BaseAudioContext.prototype, 'currentTime')!;
        const w = window as unknown as { closedClockReads: number; restoreClock: () => void };
        w.closedClockReads = 0;
        Object.defineProperty(BaseAudioContext.prototype, 'currentTime', {
          ...clock,
          get(this: BaseAudioContext) {
            if (this.state === 'closed') w.closedClockReads++;
            return clock.get!.call(this);
          },
        });
        w.restoreClock = () => Object.defineProperty(BaseAudioContext.prototype, 'currentTime', clock);
      });
      const closedClockReads = () => page.evaluate(() => (window as unknown as { closedClockReads: number }).closedClockReads);
      const { records, handshakes, ended, stop } = watchRequests(page);
      // The answers reach the page at 64 KB/s: 12 chunks (65 s of audio) in 3 s, the fetch of some 1 MB streams for 16 s.
      await tab.cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: 64 << 10, uploadThroughput: -1 });
      try {
        await playButton(page, item).click();
        await page.waitForFunction(
          ({ n, of }) => Number(new RegExp(`^(\\d+) of ${of} `).exec(document.getElementById('received')!.textContent ?? '')?.[1] ?? 0) >= n || document.body.dataset.state === 'error',
          { n: ahead, of: item.chunks },
          { timeout: 30_000 },
        );
        assert.equal(await page.evaluate(() => document.body.dataset.state), 'playing', await statusText(page));
        assert.equal(records.length, 3, 'info, play, then one fetch');
        const fetch = records[2]!;
        assert.equal(ended.get(fetch), undefined, 'the fetch is still streaming when the viewer leaves the play');
        const written = Number(/^(\d+) of /.exec((await page.locator('#received').textContent()) ?? '')![1]);
        const position = Number(await page.locator('#player').getAttribute('data-position'));
        // The next chunk is in (the network is far ahead of the playhead), and its write waits: it would put the player more than 30 s ahead.
        assert.ok((written + 1) * chunkSeconds - position > lead + 1, `${written} chunks written at ${position} s: the next write does not wait for room`);
        await page.click('#stop');
        await state(page, 'catalog');
        await assertAborted(ended, fetch);
        // The write waiting for room has ended: nothing watches the closed context's clock any more.
        await page.waitForTimeout(300);
        const reads = await closedClockReads();
        await page.waitForTimeout(1000);
        assert.equal(await closedClockReads(), reads, 'a write of the left play still waits for room on its closed AudioContext');
      } finally {
        await tab.cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
        stop();
        await page.evaluate(() => (window as unknown as { restoreClock: () => void }).restoreClock());
      }
      await assertLeftAndPlaysAgain(page, item, handshakes, () => tab.errors.slice(errorsBefore), 30_000);
    });

    for (const item of c.undecodable) {
      await t.test(`a title whose media the decoder fails on mid-play ends with a plain error, not a play that never ends: ${item.title}`, async () => {
        await page.click('#stop');
        await state(page, 'catalog');
        await page.locator(`li.item[data-id="${item.id}"] button.play`).click();
        await state(page, 'error', 'ended');
        assert.equal(await page.evaluate(() => document.body.dataset.state), 'error', await statusText(page));
        assert.equal(await page.locator('#status').getAttribute('data-error'), 'unsupported');
        assert.match(await statusText(page), /^This browser could not play this title: its media could not be decoded \(.+\)\.$/);
        // A player takes chunks up to 30 s ahead of the playhead: of a longer item, the page had not taken every chunk.
        const verified = Number(/^(\d+) of/.exec((await page.locator('#received').textContent()) ?? '')?.[1] ?? 0);
        if (item.seconds > 30) assert.ok(verified < item.chunks, `the decoder failed with ${verified} of ${item.chunks} chunks verified: none was held back`);
        else assert.equal(verified, item.chunks, 'the decoder failed once every chunk was verified');
      });
    }

    await t.test('a play the browser will not start on its own (the default autoplay policy) waits for the viewer to press Play', async () => {
      const item = c.mse[0]!;
      const strict = await launch(
        c,
        CHROMIUM_ARGS.filter((a) => !a.startsWith('--autoplay-policy=')),
      );
      try {
        const p = strict.page;
        await p.goto(c.defaultAutoplayInvite);
        await state(p, 'register');
        await p.click('#register-button');
        await state(p, 'login');
        // A new document, driven from here without a user gesture until the viewer's Play.
        await p.reload();
        const evaluate = <T>(expression: string) => evaluateWithoutGesture<T>(strict.cdp, expression);
        const play = `document.querySelector('li.item[data-id="${item.id}"] button.play')`;
        await untilWithoutGesture(strict.cdp, `document.body.dataset.state === 'login'`);
        await evaluate(`document.getElementById('login-button').click()`);
        await untilWithoutGesture(strict.cdp, `!!${play}`);
        await evaluate(`${play}.click()`);
        await untilWithoutGesture(strict.cdp, `document.body.dataset.state !== 'playing'`);
        const shows = () =>
          evaluate<{ state: string; status: string; kind: string; button: string; paused: boolean; at: number }>(`(() => {
            const m = document.querySelector('#video-slot > audio, #video-slot > video');
            return { state: document.body.dataset.state, status: document.getElementById('status').textContent, kind: document.getElementById('status').dataset.kind,
              button: document.getElementById('pause').textContent, paused: m.paused, at: m.currentTime };
          })()`);
        const prompted = { state: 'paused', kind: 'info', button: 'Play', paused: true, at: 0 };
        const refused = `The browser did not start ${item.title} on its own: press Play.`;
        assert.deepEqual(await shows(), { ...prompted, status: refused });
        // A Play without a user gesture (its handler called over CDP): the browser refuses the start again, the page asks again.
        await evaluate(`document.getElementById('pause').click()`);
        await untilWithoutGesture(strict.cdp, `document.getElementById('status').textContent !== ${JSON.stringify(refused)}`, 10_000);
        assert.deepEqual(await shows(), { ...prompted, status: `The browser did not start ${item.title}: press Play again.` });
        // The viewer's click is a gesture: the play starts and goes to its end.
        await p.click('#pause');
        await state(p, 'ended', 'error');
        assert.match(await statusText(p), /^Finished /);
        assert.ok(Number(await p.locator('#player').getAttribute('data-position')) >= item.seconds - 0.05, 'played to its end');
        assert.deepEqual(strict.errors, [], 'no error in the page console');
      } finally {
        await strict.browser.close();
      }
    });

    await t.test('the next play is refused for payment, the offer is a dialog, a renewal plays again', async () => {
      await page.click('#stop');
      await state(page, 'catalog');
      await page.locator(`li.item[data-id="${c.short.id}"] button.play`).click();
      await page.locator('#offer[open]').waitFor({ timeout: 30_000 });
      assert.match((await page.locator('#offer-reason').textContent())!, /no views left/);
      assert.match((await page.locator('#offer-terms').textContent())!, /Restores/);
      await page.click('#offer-renew');
      await state(page, 'playing', 'ended');
      await page.waitForFunction((d) => document.body.dataset.state === 'ended' && Number(document.getElementById('player')!.dataset.position) >= d - 0.05, c.short.seconds, {
        timeout: 60_000,
      });
    });

    await t.test('pause holds the playback clock, resume moves it on', async () => {
      await page.click('#stop');
      await state(page, 'catalog');
      const hold = holdNth(page, 4); // info, play, fetch 1, then fetch 2 waits for the revocation
      await page.locator(`li.item[data-id="${c.long.id}"] button.play`).click();
      await page.waitForFunction(() => Number(document.getElementById('player')!.dataset.position) > 0.3, undefined, { timeout: 60_000 });
      await page.click('#pause');
      await state(page, 'paused');
      const at = Number(await page.locator('#player').getAttribute('data-position'));
      await page.waitForTimeout(700);
      const later = Number(await page.locator('#player').getAttribute('data-position'));
      assert.ok(Math.abs(later - at) < 0.05, `paused at ${at}, then ${later}`);
      await page.click('#pause');
      await state(page, 'playing');

      // A license revoked with the CLI stops the play at its next fetch.
      await hold.held;
      const lic = JSON.parse(cli(c, 'license', 'list', '--json')) as { id: string; media: string }[];
      const l = lic.find((x) => x.media === c.long.id);
      assert.ok(l, 'the long item has a license');
      cli(c, 'license', 'revoke', l.id, '--reason', 'browser test');
      hold.release();
      await state(page, 'error');
      assert.equal(await page.locator('#status').getAttribute('data-error'), 'revoked');
      assert.match(await statusText(page), /revoked by the operator/);
      await hold.done();
    });

    await t.test('a tampered record ends the session', async () => {
      await page.click('#stop');
      await state(page, 'catalog');
      let n = 0;
      let sessionURL = '';
      let firstBody: Buffer | null = null;
      await page.route('**/v1/session/**', async (route) => {
        const req = route.request();
        if (req.method() !== 'POST' || req.url().endsWith('/finish')) return route.continue();
        n++;
        if (n === 1) {
          sessionURL = req.url();
          firstBody = req.postDataBuffer();
        }
        if (n !== 3) return route.continue(); // info, play, then the first fetch's answer is changed
        const res = await route.fetch();
        const body = await res.body();
        body[body.length - 1]! ^= 0x01; // the last chunk record's tag
        await route.fulfill({ response: res, body });
      });
      await page.locator(`li.item[data-id="${c.tamper.id}"] button.play`).click();
      await state(page, 'error');
      assert.equal(await page.locator('#status').getAttribute('data-error'), 'damaged');
      await page.unroute('**/v1/session/**');
      // The page closed the session with an authenticated close: a record for it is now an unknown session.
      const res = await fetch(sessionURL, { method: 'POST', body: new Uint8Array(firstBody!) });
      assert.equal(res.status, 404, 'the session is gone on the server');
    });

    await t.test('a disabled user cannot log in', async () => {
      const who = (await page.locator('#who').textContent()) ?? '';
      const user = /web-[0-9a-f]{16}/.exec(who)![0];
      cli(c, 'user', 'disable', user);
      await page.reload();
      await state(page, 'login');
      await page.click('#login-button');
      await page.waitForFunction(() => document.body.dataset.error === 'disabled', undefined, { timeout: 30_000 });
      assert.match(await statusText(page), /disabled/);
    });
  } finally {
    await browser.close();
  }
});

test('browser benchmark: time to first audio and sustained MB/s', { skip: cfg?.bench ? false : 'benchmark mode only' }, async () => {
  const c = cfg!;
  const b = c.bench!;
  const { browser, page } = await launch(c);
  try {
    await page.goto(c.invite);
    await state(page, 'register');
    await page.click('#register-button');
    await state(page, 'login');
    await page.click('#login-button');
    await state(page, 'catalog');
    // Time to first audio: from the click on Play to the first sample's scheduled start.
    const firsts: number[] = [];
    for (let i = 0; i < 3; i++) {
      await page.locator(`li.item[data-id="${c.short.id}"] button.play`).click();
      await page.waitForFunction(() => Number(document.getElementById('player')!.dataset.firstAudio) > 0, undefined, { timeout: 60_000 });
      firsts.push(Number(await page.locator('#player').getAttribute('data-first-audio')));
      await page.click('#stop');
      await state(page, 'catalog');
    }
    // Sustained throughput: the whole item through the protocol and the manifest checks, into a sink that takes every chunk at once.
    const result = await page.evaluate(async (id) => {
      const m = (await import('/securemedia.js' as string)) as { benchmarkPlay(id: string): Promise<{ bytes: number; ms: number; chunks: number }> };
      return m.benchmarkPlay(id);
    }, b.item.id);
    writeFileSync(b.out, JSON.stringify({ firstAudioMs: firsts, ...result }));
  } finally {
    await browser.close();
  }
});
