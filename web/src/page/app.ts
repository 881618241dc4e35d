// The browser player's page (DESIGN.md §11): the viewer's journey from an
// invite to a play. It reads /config.json (the trust root, the relying
// party), keeps this browser's device key (device.ts), registers with an
// invite (the link's fragment, which the browser never sends), logs in
// with a WebAuthn assertion over each handshake, lists the catalog with
// the viewer's license state, plays with a progress bar, pause and resume,
// offers a renewal as a dialog, and says plainly what went wrong.

import { type Bytes, toHex } from '../bytes.js';
import type { Offer } from '../licenses.js';
import { ChunkIntegrityError, ManifestError } from '../manifest.js';
import { type MediaInfo, Status } from '../ops.js';
import { ChannelError, ProblemError, StatusError, TransportError } from '../transport.js';
import { PaymentRequiredError, Viewer, type ViewerConfig } from '../viewer.js';
import { ChainError } from '../x509.js';
import { type Device, loadDevice, saveDevice } from './device.js';
import { type MediaPlayer, PlaybackError, playerFor, UnsupportedMedia } from './players.js';
import { assertWith, AuthenticatorError, createCredential } from './webauthn.js';

interface PageConfig {
  root: Bytes;
  rpId: string;
}

/** The page's state, on <body data-state>: what a viewer (and a test) sees. */
type State = 'loading' | 'register' | 'login' | 'noinvite' | 'catalog' | 'playing' | 'paused' | 'ended' | 'error';

/** The DER of the first certificate of a PEM text. */
function pemToDER(pem: string): Bytes {
  const m = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/.exec(pem);
  if (!m) throw new Error('the page configuration has no root certificate');
  return Uint8Array.from(atob(m[1]!.replace(/\s+/g, '')), (c) => c.charCodeAt(0));
}

async function loadConfig(): Promise<PageConfig> {
  const res = await fetch('/config.json', { cache: 'no-store' });
  if (!res.ok) throw new Error(`the page configuration is unavailable (${res.status})`);
  const c = (await res.json()) as { root?: string; rp_id?: string };
  if (typeof c.root !== 'string' || typeof c.rp_id !== 'string') throw new Error('the page configuration is malformed');
  return { root: pemToDER(c.root), rpId: c.rp_id };
}

/** What to tell the viewer about an error, and whether it is one (kind) for the tests and the styling. */
export function explain(e: unknown): { kind: string; text: string } {
  if (e instanceof PaymentRequiredError) {
    return /expired/.test(e.reason) ? { kind: 'expired', text: 'Your license has expired.' } : { kind: 'exhausted', text: 'Your license has no views left.' };
  }
  if (e instanceof StatusError) {
    if (e.status === Status.Forbidden && /revoked/.test(e.detail)) return { kind: 'revoked', text: 'This license was revoked by the operator.' };
    if (e.status === Status.Forbidden && /disabled/.test(e.detail)) return { kind: 'disabled', text: 'This account is disabled.' };
    if (e.status === Status.Forbidden && /device removed/.test(e.detail)) return { kind: 'disabled', text: 'This browser was removed from your account.' };
    if (e.status === Status.Integrity) return { kind: 'damaged', text: "The server's copy of this title is damaged; your view was refunded." };
    if (e.status === Status.PlayEnded) return { kind: 'ended', text: 'This play has ended: start it again.' };
    return { kind: 'refused', text: `The server refused: ${e.detail || Status[e.status]}.` };
  }
  if (e instanceof ChunkIntegrityError || e instanceof ManifestError || e instanceof ChannelError) {
    return { kind: 'damaged', text: `What arrived was damaged or tampered with, and was not played (${(e as Error).message}).` };
  }
  if (e instanceof ChainError) return { kind: 'damaged', text: `The server's certificate is not valid: ${e.message}.` };
  if (e instanceof ProblemError) {
    if (e.status === 403) {
      if (/disabled/.test(e.detail)) return { kind: 'disabled', text: 'This account is disabled: you cannot log in.' };
      return { kind: 'refused', text: `Login refused: ${e.detail || e.title}.` };
    }
    if (e.status >= 500 || e.status === 429) return { kind: 'offline', text: 'The server is unavailable; try again shortly.' };
    return { kind: 'refused', text: `The server refused: ${e.detail || e.title}.` };
  }
  if (e instanceof TransportError || e instanceof TypeError) return { kind: 'offline', text: 'The server cannot be reached: check your connection.' };
  if (e instanceof AuthenticatorError) return { kind: 'refused', text: e.message };
  if (e instanceof UnsupportedMedia) return { kind: 'unsupported', text: e.message };
  if (e instanceof PlaybackError) return { kind: 'unsupported', text: `This browser could not play this title: ${e.message}.` };
  if (e instanceof Error && /content verification failed/.test(e.message)) return { kind: 'damaged', text: e.message };
  return { kind: 'error', text: e instanceof Error ? e.message : String(e) };
}

function seconds(s: number): string {
  const t = Math.max(0, Math.floor(s));
  return `${Math.floor(t / 60)}:${String(t % 60).padStart(2, '0')}`;
}

function licenseText(m: MediaInfo): string {
  const l = m.license;
  if (!l.known) return 'no license yet: the first play starts one';
  if (l.needsRenewal) return 'renewal needed';
  const views = l.viewsLeft < 0 ? 'unlimited views' : `${l.viewsLeft} view${l.viewsLeft === 1 ? '' : 's'} left`;
  return l.expires ? `${views}, until ${l.expires.toLocaleString()}` : views;
}

function offerText(o: Offer | null): string {
  if (!o) return 'The server made no offer.';
  const what: string[] = [];
  if (o.views) what.push(`${o.views} view${o.views === 1 ? '' : 's'}`);
  if (o.period) what.push(`${Math.round(o.period / 3600_000)} h`);
  const terms = what.length ? what.join(' and ') : 'unlimited views';
  return `${o.extends ? 'Adds' : 'Restores'} ${terms} for ${o.price || 'free'}${o.expires ? ` (offer open until ${o.expires.toLocaleTimeString()})` : ''}.`;
}

class Page {
  private viewer: Viewer | null = null;
  private player: MediaPlayer | null = null;
  private leave: AbortController | null = null; // aborts the current play's requests, a fetch streaming its chunks included
  private playing = 0; // increments per play, so a stale play stops updating the page
  private startPrompted = false; // the status asks the viewer to start the play: the play's news waits
  private toggling: MediaPlayer | null = null; // the player whose pause or resume is pending: a click meanwhile does nothing

  constructor(
    private readonly doc: Document,
    private readonly cfg: PageConfig,
    private device: Device,
  ) {}

  private $<T extends HTMLElement>(id: string): T {
    return this.doc.getElementById(id) as T;
  }

  private show(state: State, section: string | null = null): void {
    this.doc.body.dataset.state = state;
    for (const id of ['register', 'login', 'noinvite', 'catalog', 'player']) this.$(id).hidden = id !== section;
  }

  private status(text: string, kind = 'info'): void {
    const s = this.$('status');
    s.textContent = text;
    s.dataset.kind = kind;
    s.setAttribute('role', kind === 'info' ? 'status' : 'alert');
  }

  private fail(e: unknown): void {
    const { kind, text } = explain(e);
    this.status(text, 'error');
    this.$('status').dataset.error = kind;
    this.doc.body.dataset.error = kind;
  }

  private connectConfig(login: boolean): ViewerConfig {
    return {
      server: location.origin,
      root: this.cfg.root,
      serverName: location.hostname,
      certificate: [this.device.certificate],
      privateKey: this.device.privateKey,
      webauthn: login ? assertWith(this.cfg.rpId, this.device.credentialId) : undefined,
    };
  }

  start(): void {
    this.$('register-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      void this.register();
    });
    this.$('login-button').addEventListener('click', () => void this.login());
    this.$('pause').addEventListener('click', () => void this.togglePause());
    this.$('stop').addEventListener('click', () => void this.backToCatalog());
    const invite = new URLSearchParams(location.hash.slice(1)).get('invite');
    if (invite) {
      this.status('Welcome: register this browser with your invite.');
      this.show('register', 'register');
    } else {
      this.home();
    }
  }

  private home(): void {
    if (this.device.credentialId) {
      this.status(this.device.name ? `Registered as ${this.device.name}.` : 'Registered.');
      this.show('login', 'login');
    } else {
      this.status('');
      this.show('noinvite', 'noinvite');
    }
  }

  /** Registration: a session of this device without a user, the invite, the new credential. */
  private async register(): Promise<void> {
    const invite = new URLSearchParams(location.hash.slice(1)).get('invite') ?? '';
    const name = (this.$<HTMLInputElement>('register-name').value || '').trim();
    const button = this.$<HTMLButtonElement>('register-button');
    button.disabled = true;
    this.status('Registering: touch your security key when it asks…');
    try {
      const v = await Viewer.connect(this.connectConfig(false));
      let credentialId: Bytes | undefined;
      try {
        const r = await v.register(invite, name, async (options) => {
          const c = await createCredential(options);
          credentialId = c.id;
          return c.json;
        });
        this.device = { ...this.device, credentialId, user: r.user, name: r.name || name };
        await saveDevice(this.device);
      } finally {
        await v.close();
      }
      history.replaceState(null, '', location.pathname); // the invite is spent: out of the address bar
      this.home();
      this.status(`Registered as ${this.device.name || this.device.user}. Log in with your security key.`);
    } catch (e) {
      this.fail(e);
    } finally {
      button.disabled = false;
    }
  }

  /** Login: a handshake whose finish carries the security key's assertion over the transcript. */
  private async login(): Promise<void> {
    const button = this.$<HTMLButtonElement>('login-button');
    button.disabled = true;
    this.status('Logging in: touch your security key…');
    try {
      this.viewer = await Viewer.connect(this.connectConfig(true));
      this.$('who').textContent = this.device.name ? `${this.device.name} (${this.device.user})` : (this.device.user ?? '');
      await this.showCatalog();
    } catch (e) {
      this.viewer = null;
      this.fail(e);
    } finally {
      button.disabled = false;
    }
  }

  /** A live session: the current one, or a fresh login when it ended. */
  private async session(): Promise<Viewer> {
    if (this.viewer?.connection.session.isClosed === false) return this.viewer;
    this.viewer = await Viewer.connect(this.connectConfig(true));
    return this.viewer;
  }

  private async showCatalog(note = ''): Promise<void> {
    const v = await this.session();
    const items = await v.catalog();
    const list = this.$('items');
    list.replaceChildren(
      ...items.map((m) => {
        const li = this.doc.createElement('li');
        li.className = 'item';
        li.dataset.id = toHex(m.id);
        const title = this.doc.createElement('div');
        const t = this.doc.createElement('div');
        t.className = 'title';
        t.textContent = m.title || toHex(m.id);
        const lic = this.doc.createElement('div');
        lic.className = 'license muted';
        lic.textContent = `${licenseText(m)} · ${m.contentType || 'unknown type'} · ${seconds(m.duration / 1000)}`;
        lic.dataset.renew = String(m.license.needsRenewal);
        title.append(t, lic);
        const play = this.doc.createElement('button');
        play.className = 'play';
        play.type = 'button';
        play.textContent = 'Play';
        play.addEventListener('click', () => void this.play(m));
        li.append(title, play);
        return li;
      }),
    );
    this.status(note || (items.length ? `${items.length} title${items.length === 1 ? '' : 's'}.` : 'The catalog is empty.'));
    delete this.doc.body.dataset.error;
    this.show('catalog', 'catalog');
  }

  private async backToCatalog(): Promise<void> {
    this.stopPlayer();
    try {
      await this.showCatalog();
    } catch (e) {
      this.fail(e);
    }
  }

  /** Leaves the current play: its request in flight aborted (the server stops streaming), its player stopped. */
  private stopPlayer(): void {
    this.playing++;
    this.leave?.abort();
    this.leave = null;
    this.player?.close();
    this.player = null;
  }

  /** One play: the player made in the click (a user gesture), the chunks verified into it, the clock on the page. */
  private async play(m: MediaInfo): Promise<void> {
    this.stopPlayer();
    const run = this.playing;
    const clickedAt = performance.now();
    let player: MediaPlayer;
    try {
      player = playerFor(m.contentType, this.$('video-slot'));
    } catch (e) {
      this.fail(e);
      return;
    }
    this.player = player;
    const leave = new AbortController();
    this.leave = leave;
    this.startPrompted = false;
    player.onStartRefused = () => {
      if (run !== this.playing) return;
      this.promptStart(`The browser did not start ${m.title} on its own: press Play.`);
    };
    this.$('now-playing').textContent = m.title;
    this.$<HTMLButtonElement>('pause').textContent = 'Pause';
    delete this.doc.body.dataset.error;
    this.status('Starting…');
    this.show('playing', 'player');
    const section = this.$('player');
    const progress = this.$<HTMLProgressElement>('progress');
    const tick = () => {
      if (run !== this.playing) return;
      const d = player.duration || m.duration / 1000;
      section.dataset.position = player.position.toFixed(3);
      section.dataset.duration = d.toFixed(3);
      section.dataset.firstAudio = player.firstAudioAt ? (player.firstAudioAt - clickedAt).toFixed(1) : '0';
      progress.max = d || 1;
      progress.value = Math.min(player.position, d || 1);
      this.$('time').textContent = `${seconds(player.position)} / ${seconds(d)}`;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    try {
      const v = await this.session();
      const stats = await v.play(m.id, player, {
        signal: leave.signal,
        progress: (s) => {
          if (run !== this.playing) return;
          this.$('received').textContent = `${s.chunks} of ${m.chunks} chunks verified`;
          if (s.chunks === 1 && !this.startPrompted) this.status(`Playing ${m.title}: every chunk checked against the signed manifest.`);
        },
      });
      if (run !== this.playing) return;
      if (!this.startPrompted) this.status(`Playing ${m.title}: ${stats.chunks} chunks verified${stats.remaining ? `; ${stats.remaining}` : ''}.`);
      await player.finish();
      if (run !== this.playing) return;
      section.dataset.position = player.duration.toFixed(3);
      this.doc.body.dataset.state = 'ended';
      this.status(`Finished ${m.title}.${stats.remaining ? ` ${stats.remaining}.` : ''}`);
    } catch (e) {
      if (run !== this.playing) return;
      this.stopPlayer();
      if (e instanceof PaymentRequiredError) {
        await this.offer(m, e);
        return;
      }
      this.fail(e);
      this.doc.body.dataset.state = 'error';
    }
  }

  /** The play waits paused for the viewer's Play, and the status says why. */
  private promptStart(text: string): void {
    this.startPrompted = true;
    this.doc.body.dataset.state = 'paused';
    this.$<HTMLButtonElement>('pause').textContent = 'Play';
    this.status(text);
  }

  /**
   * Pause or resume the current play. A click while one is pending does
   * nothing; a play stopped meanwhile is left alone; a resume the browser
   * refuses (its autoplay policy again) keeps the play paused and asks for
   * Play again.
   */
  private async togglePause(): Promise<void> {
    const p = this.player;
    if (!p || this.toggling === p) return;
    const run = this.playing;
    const current = () => run === this.playing && this.player === p;
    const button = this.$<HTMLButtonElement>('pause');
    this.toggling = p;
    try {
      if (this.doc.body.dataset.state === 'paused') {
        try {
          await p.resume();
        } catch {
          if (current()) this.promptStart(`The browser did not start ${this.$('now-playing').textContent}: press Play again.`);
          return;
        }
        if (!current()) return;
        this.doc.body.dataset.state = 'playing';
        button.textContent = 'Pause';
        if (this.startPrompted) {
          this.startPrompted = false;
          this.status(`Playing ${this.$('now-playing').textContent}.`);
        }
      } else if (this.doc.body.dataset.state === 'playing') {
        try {
          await p.pause();
        } catch (e) {
          if (current()) this.fail(e);
          return;
        }
        if (!current()) return;
        this.doc.body.dataset.state = 'paused';
        button.textContent = 'Resume';
      }
    } finally {
      if (this.toggling === p) this.toggling = null;
    }
  }

  /** The renewal offer as a dialog: renew (a simulated payment) and play, or back to the catalog. */
  private async offer(m: MediaInfo, e: PaymentRequiredError): Promise<void> {
    const { text } = explain(e);
    await this.showCatalog(text).catch(() => {});
    this.doc.body.dataset.error = explain(e).kind;
    const dialog = this.$<HTMLDialogElement>('offer');
    this.$('offer-reason').textContent = text;
    this.$('offer-terms').textContent = offerText(e.offer);
    this.$<HTMLButtonElement>('offer-renew').disabled = !e.offer;
    const choice = await new Promise<string>((resolve) => {
      dialog.addEventListener('close', () => resolve(dialog.returnValue), { once: true });
      dialog.showModal();
    });
    if (choice !== 'renew' || !e.offer) return;
    try {
      const v = await this.session();
      const ref = 'web-' + toHex(crypto.getRandomValues(new Uint8Array(8)));
      const r = await v.renew(e.offer, ref);
      await this.showCatalog(`Renewed: ${r.remaining || 'the license is restored'}.`);
      await this.play(m);
    } catch (err) {
      this.fail(err);
    }
  }
}

/**
 * Plays media (hex) through this browser's device and security key into a
 * sink that takes every chunk at once, for the benchmark: the protocol,
 * the chain and manifest checks and the per-chunk SHA-256, without the
 * playback's pacing. It returns the bytes, the time and the chunks.
 */
export async function benchmarkPlay(mediaHex: string): Promise<{ bytes: number; ms: number; chunks: number }> {
  const [cfg, device] = await Promise.all([loadConfig(), loadDevice()]);
  const v = await Viewer.connect({
    server: location.origin,
    root: cfg.root,
    serverName: location.hostname,
    certificate: [device.certificate],
    privateKey: device.privateKey,
    webauthn: assertWith(cfg.rpId, device.credentialId),
  });
  try {
    const id = Uint8Array.from(mediaHex.match(/../g)!, (h) => parseInt(h, 16));
    const start = performance.now();
    const s = await v.play(id, { write: async () => {} });
    return { bytes: s.bytes, ms: performance.now() - start, chunks: s.chunks };
  } finally {
    await v.close();
  }
}

/** Starts the page in doc: its configuration, this browser's device, then the viewer's journey. */
export async function startPage(doc: Document): Promise<void> {
  const status = doc.getElementById('status');
  try {
    if (!window.isSecureContext) throw new Error('the page must be served over HTTPS or from localhost');
    const [cfg, device] = await Promise.all([loadConfig(), loadDevice()]);
    new Page(doc, cfg, device).start();
  } catch (e) {
    doc.body.dataset.state = 'error';
    if (status) {
      status.textContent = explain(e).text;
      status.dataset.kind = 'error';
    }
  }
}
