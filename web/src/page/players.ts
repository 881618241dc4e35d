// Where verified chunks play (DESIGN.md §11): PCM WAV through WebAudio,
// decoded chunk by chunk into AudioBuffers scheduled back to back; MP3,
// fragmented MP4 and WebM through Media Source Extensions, appended chunk
// by chunk to a SourceBuffer. Either way the chunks live only in memory,
// and a sink takes the next chunk only when it has room (a paused player
// stops the fetches after a bounded lead).

import { type Bytes, concat } from '../bytes.js';
import type { ChunkSink } from '../viewer.js';

/** How far ahead of the playhead a sink buffers, in seconds. */
const MAX_LEAD = 30;

/** A player the page drives: a sink of verified chunks with a clock. */
export interface MediaPlayer extends ChunkSink {
  /** Seconds played and the item's duration (0 while unknown). */
  readonly position: number;
  readonly duration: number;
  /** performance.now() of the first sample's start, once scheduled; 0 before. */
  readonly firstAudioAt: number;
  pause(): Promise<void>;
  resume(): Promise<void>;
  /**
   * Called when the browser will not start the play on its own (its
   * autoplay policy): resume() from the viewer's click starts it.
   */
  onStartRefused?: () => void;
  /** No more chunks: resolves when the last sample has played. */
  finish(): Promise<void>;
  /** Stops the player: a write waiting for room, and any write after, rejects with PlayerClosed. */
  close(): void;
}

/** A write to a player that was closed: the play was left. */
export class PlayerClosed extends Error {
  constructor() {
    super('the player was closed');
    this.name = 'PlayerClosed';
  }
}

/** Thrown when the item's format cannot play in this browser. */
export class UnsupportedMedia extends Error {
  constructor(type: string) {
    super(`this browser cannot play ${type || 'this format'}`);
    this.name = 'UnsupportedMedia';
  }
}

/**
 * Thrown when the media element stops a play of what verified: it refused
 * a chunk, or its decoder failed on the media (the bytes are the signed
 * ones, so the title as published does not play in this browser).
 */
export class PlaybackError extends Error {
  constructor(what: string) {
    super(what);
    this.name = 'PlaybackError';
  }
}

/** The media element's error as a PlaybackError. */
function elementError(el: HTMLMediaElement): PlaybackError {
  const e = el.error;
  const detail = e ? e.message || `MediaError code ${e.code}` : 'no detail';
  return new PlaybackError(`its media could not be decoded (${detail})`);
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The MSE type of a content type: the stored one when the browser takes it, else the usual codecs. */
function mseType(contentType: string): string | null {
  const base = contentType.split(';')[0]!.trim().toLowerCase();
  const candidates = [contentType];
  if (base === 'audio/mp3') candidates.push('audio/mpeg');
  if (base === 'video/mp4') candidates.push('video/mp4; codecs="avc1.42E01E, mp4a.40.2"', 'video/mp4; codecs="avc1.42E01E"');
  if (base === 'audio/mp4') candidates.push('audio/mp4; codecs="mp4a.40.2"');
  if (base === 'video/webm') candidates.push('video/webm; codecs="vp9, opus"', 'video/webm; codecs="vp8, vorbis"');
  if (base === 'audio/webm') candidates.push('audio/webm; codecs="opus"');
  return candidates.find((t) => typeof MediaSource !== 'undefined' && MediaSource.isTypeSupported(t)) ?? null;
}

/** A container whose first chunk names its tracks' codecs. */
type Container = 'webm' | 'mp4';

const ascii = (id: string) => Array.from(id, (c) => c.charCodeAt(0));

/**
 * Where a first chunk names a track's codec, and the names MSE types
 * give them: in a WebM's Tracks a CodecID element (ID 0x86, a one-byte
 * size, the name); in an MP4's moov a sample entry of a track's stsd (its
 * four-character type, six reserved zero bytes, data reference index 1).
 * hasVideo tells whether the chunk has a video track at all, whatever its
 * codec: a WebM's CodecID that names one ("V_..."), an MP4's handler of
 * type "vide" (hdlr: version and flags, pre_defined, then the type).
 */
const CODECS_IN_MEDIA: Record<Container, { mark: (id: string) => number[]; codecs: Record<string, string>; video: RegExp; hasVideo: (head: Uint8Array) => boolean }> = {
  webm: {
    mark: (id) => [0x86, 0x80 | id.length, ...ascii(id)],
    codecs: { V_VP8: 'vp8', V_VP9: 'vp9', A_OPUS: 'opus', A_VORBIS: 'vorbis' },
    video: /^vp/,
    hasVideo: webmHasVideo,
  },
  mp4: {
    mark: (id) => [...ascii(id), 0, 0, 0, 0, 0, 0, 0, 1],
    codecs: { avc1: 'avc1.42E01E', avc3: 'avc3.42E01E', mp4a: 'mp4a.40.2' },
    video: /^avc/,
    hasVideo: (head) => indexOf(head, [...ascii('hdlr'), 0, 0, 0, 0, 0, 0, 0, 0, ...ascii('vide')]) >= 0,
  },
};

/** Whether head has a CodecID element (0x86, a one-byte size of 3 to 31) naming a video codec: "V_" and a capital or digit. */
function webmHasVideo(head: Uint8Array): boolean {
  const upperOrDigit = (c: number | undefined) => c !== undefined && ((c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39));
  for (let i = 0; i + 4 < head.length; i++) {
    const size = head[i + 1]! & 0x7f;
    if (head[i] === 0x86 && head[i + 1]! & 0x80 && size >= 3 && size <= 31 && head[i + 2] === 0x56 && head[i + 3] === 0x5f && upperOrDigit(head[i + 4])) return true;
  }
  return false;
}

/**
 * The MSE type of a WebM or MP4 from the codecs its first chunk names,
 * where muxers write the tracks; null when none is found, when the chunk
 * has a video track of a codec not listed (a type naming only its audio
 * would refuse that track), or when the browser does not take the
 * result. A stored type without codecs says nothing of the tracks: an
 * audio-only WebM or MP4 is video/webm or video/mp4 to a sniff of its
 * bytes and to many MIME tables, and a SourceBuffer made for VP9 and
 * Opus, or H.264 and AAC, refuses a file without the video track.
 */
export function typeFromMedia(container: Container, head: Uint8Array): string | null {
  const { mark, codecs: names, video, hasVideo } = CODECS_IN_MEDIA[container];
  const codecs = Object.entries(names)
    .filter(([id]) => indexOf(head, mark(id)) >= 0)
    .map(([, codec]) => codec);
  if (!codecs.length) return null;
  if (!codecs.some((c) => video.test(c)) && hasVideo(head)) return null;
  const type = `${codecs.some((c) => video.test(c)) ? 'video' : 'audio'}/${container}; codecs="${codecs.join(', ')}"`;
  return MediaSource.isTypeSupported(type) ? type : null;
}

function indexOf(b: Uint8Array, pattern: number[]): number {
  outer: for (let i = 0; i + pattern.length <= b.length; i++) {
    for (let j = 0; j < pattern.length; j++) if (b[i + j] !== pattern[j]) continue outer;
    return i;
  }
  return -1;
}

/** The player for an item of contentType; slot holds a video element when one is needed. */
export function playerFor(contentType: string, slot: HTMLElement): MediaPlayer {
  const base = contentType.split(';')[0]!.trim().toLowerCase();
  if (base === 'audio/wav' || base === 'audio/x-wav' || base === 'audio/wave' || base === 'audio/vnd.wave') return new WavPlayer();
  const type = mseType(contentType);
  if (!type) throw new UnsupportedMedia(contentType);
  const container = /^(?:audio|video)\/(webm|mp4)$/.exec(base)?.[1] as Container | undefined;
  return new MsePlayer(type, slot, container && !/codecs\s*=/i.test(contentType) ? container : null);
}

/**
 * PCM WAV (8, 16, 24 or 32-bit integer) through WebAudio. The header is
 * read from the first chunks; then every whole sample frame becomes an
 * AudioBuffer started where the previous one ends.
 */
export class WavPlayer implements MediaPlayer {
  private readonly ctx = new AudioContext();
  private pending: Uint8Array = new Uint8Array(0);
  private format: { channels: number; rate: number; bytes: number; dataLeft: number } | null = null;
  private start = 0;
  private scheduled = 0; // seconds of audio scheduled
  private total = 0;
  private last: AudioBufferSourceNode | null = null;
  private ended: Promise<void> = Promise.resolve();
  private closed = false;
  firstAudioAt = 0;

  get position(): number {
    if (!this.format) return 0;
    return Math.min(Math.max(this.ctx.currentTime - this.start, 0), this.scheduled);
  }

  get duration(): number {
    return this.total;
  }

  async write(chunk: Bytes): Promise<void> {
    if (this.closed) throw new PlayerClosed();
    this.pending = this.pending.length ? concat(this.pending, chunk) : chunk.slice();
    if (!this.format && !this.readHeader()) return;
    this.schedule();
    // A closed context's clock stands still: closing ends the wait.
    while (!this.closed && this.scheduled - this.position > MAX_LEAD) await wait(250);
    if (this.closed) throw new PlayerClosed();
  }

  /** Reads RIFF/WAVE up to the data chunk; false while more bytes are needed. */
  private readHeader(): boolean {
    const b = this.pending;
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const tag = (o: number) => String.fromCharCode(b[o]!, b[o + 1]!, b[o + 2]!, b[o + 3]!);
    if (b.length < 12) return false;
    if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new UnsupportedMedia('a WAV file that is not RIFF/WAVE');
    let off = 12;
    let fmt: { channels: number; rate: number; bytes: number } | null = null;
    while (off + 8 <= b.length) {
      const id = tag(off);
      const size = v.getUint32(off + 4, true);
      if (id === 'data') {
        if (!fmt) throw new UnsupportedMedia('a WAV file without a fmt chunk');
        this.format = { ...fmt, dataLeft: size };
        this.total = size / (fmt.channels * fmt.bytes) / fmt.rate;
        this.pending = b.slice(off + 8);
        return true;
      }
      if (off + 8 + size > b.length) return false;
      if (id === 'fmt ') {
        const audioFormat = v.getUint16(off + 8, true);
        const bits = v.getUint16(off + 22, true);
        if ((audioFormat !== 1 && audioFormat !== 0xfffe) || ![8, 16, 24, 32].includes(bits)) throw new UnsupportedMedia('a WAV file that is not integer PCM');
        fmt = { channels: v.getUint16(off + 10, true), rate: v.getUint32(off + 12, true), bytes: bits / 8 };
      }
      off += 8 + size + (size & 1);
    }
    return false;
  }

  /** Turns the whole frames received into one AudioBuffer, started where the audio so far ends. */
  private schedule(): void {
    const f = this.format!;
    const frameSize = f.channels * f.bytes;
    const usable = Math.min(this.pending.length, f.dataLeft);
    const frames = Math.floor(usable / frameSize);
    if (frames === 0) return;
    const buf = this.ctx.createBuffer(f.channels, frames, f.rate);
    const v = new DataView(this.pending.buffer, this.pending.byteOffset, frames * frameSize);
    for (let c = 0; c < f.channels; c++) {
      const out = buf.getChannelData(c);
      for (let i = 0; i < frames; i++) out[i] = sample(v, i * frameSize + c * f.bytes, f.bytes);
    }
    this.pending = this.pending.slice(frames * frameSize);
    f.dataLeft -= frames * frameSize;
    if (this.scheduled === 0) {
      this.start = this.ctx.currentTime + 0.1;
      this.firstAudioAt = performance.now() + 100;
    }
    const src = this.ctx.createBufferSource();
    src.buffer = buf;
    src.connect(this.ctx.destination);
    src.start(this.start + this.scheduled);
    this.scheduled += frames / f.rate;
    this.last = src;
    this.ended = new Promise((resolve) => (src.onended = () => resolve()));
  }

  async pause(): Promise<void> {
    await this.ctx.suspend();
  }

  async resume(): Promise<void> {
    await this.ctx.resume();
  }

  async finish(): Promise<void> {
    if (!this.last) return;
    await this.ended;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.last = null;
    this.pending = new Uint8Array(0);
    void this.ctx.close();
  }
}

/** One integer PCM sample as a float in [-1, 1). */
function sample(v: DataView, off: number, bytes: number): number {
  switch (bytes) {
    case 1:
      return (v.getUint8(off) - 128) / 128;
    case 2:
      return v.getInt16(off, true) / 32768;
    case 3:
      return ((v.getUint8(off) | (v.getUint8(off + 1) << 8) | (v.getInt8(off + 2) << 16)) >> 0) / 8388608;
    default:
      return v.getInt32(off, true) / 2147483648;
  }
}

/** Appends chunk to sb: resolves at its updateend, rejects at its error; either takes both listeners away. */
function append(sb: SourceBuffer, chunk: Bytes): Promise<void> {
  return new Promise((resolve, reject) => {
    const off = () => {
      sb.removeEventListener('updateend', done);
      sb.removeEventListener('error', done);
    };
    const done = (ev: Event) => {
      off();
      if (ev.type === 'error') reject(new PlaybackError('the media element refused a chunk'));
      else resolve();
    };
    sb.addEventListener('updateend', done);
    sb.addEventListener('error', done);
    try {
      sb.appendBuffer(chunk as BufferSource);
    } catch (e) {
      off();
      reject(e);
    }
  });
}

/** MP3, fragmented MP4 or WebM through Media Source Extensions, into an audio or video element. */
export class MsePlayer implements MediaPlayer {
  private readonly el: HTMLMediaElement;
  private readonly source = new MediaSource();
  private readonly url: string;
  private readonly opened: Promise<void>;
  /** Rejects with the media element's error (its decoder failed), which ends the play. */
  private readonly failed: Promise<never>;
  /** Made at the first chunk, whose bytes may name the codecs (codecsFrom). */
  private buffer: Promise<SourceBuffer> | null = null;
  private started = false;
  /** The viewer paused: the play does not start on its own, whatever arrives, until resume(). */
  private held = false;
  private closed = false;
  /** Rejects with PlayerClosed at close(): a wait for the MediaSource (its 'sourceopen') or for the playhead ends there. */
  private readonly closing: Promise<never>;
  private endWaits!: (e: Error) => void;
  firstAudioAt = 0;
  onStartRefused?: () => void;

  constructor(
    private readonly type: string,
    slot: HTMLElement,
    /** The container whose first chunk gives the codecs, when the content type names none. */
    private readonly codecsFrom: Container | null = null,
  ) {
    this.el = document.createElement(type.startsWith('video/') ? 'video' : 'audio');
    this.el.addEventListener('playing', () => (this.firstAudioAt ||= performance.now()), { once: true });
    slot.replaceChildren(this.el);
    this.url = URL.createObjectURL(this.source);
    this.el.src = this.url;
    this.opened = new Promise((resolve) => this.source.addEventListener('sourceopen', () => resolve(), { once: true }));
    this.failed = new Promise((_, reject) => this.el.addEventListener('error', () => reject(elementError(this.el)), { once: true }));
    this.failed.catch(() => {}); // a play that ended first never awaits it
    this.closing = new Promise((_, reject) => (this.endWaits = reject));
    this.closing.catch(() => {});
  }

  /** p, unless the media element fails or the player is closed first. */
  private unlessFailed<T>(p: Promise<T>): Promise<T> {
    return Promise.race([p, this.failed, this.closing]);
  }

  private async addBuffer(first: Bytes): Promise<SourceBuffer> {
    await this.opened;
    return this.source.addSourceBuffer((this.codecsFrom && typeFromMedia(this.codecsFrom, first)) || this.type);
  }

  get position(): number {
    return this.el.currentTime;
  }

  get duration(): number {
    return Number.isFinite(this.el.duration) ? this.el.duration : 0;
  }

  async write(chunk: Bytes): Promise<void> {
    if (this.closed) throw new PlayerClosed();
    if (this.el.error) throw elementError(this.el);
    const sb = await this.unlessFailed((this.buffer ??= this.addBuffer(chunk)));
    if (this.closed) throw new PlayerClosed();
    await append(sb, chunk);
    if (!this.started && !this.held) {
      this.started = true;
      // A pause or close before the start aborts it, and media the element cannot play is its error event.
      void this.el.play().catch((e: unknown) => {
        if (e instanceof DOMException && e.name === 'NotAllowedError') this.onStartRefused?.();
      });
    }
    // A closed player's SourceBuffer is gone from its MediaSource: closing ends the wait.
    while (!this.closed && sb.buffered.length && sb.buffered.end(sb.buffered.length - 1) - this.el.currentTime > MAX_LEAD) await this.unlessFailed(wait(250));
    if (this.closed) throw new PlayerClosed();
  }

  async pause(): Promise<void> {
    this.held = true;
    this.el.pause();
  }

  /** Starts the play or goes on with it: what arrived plays, and what arrives next. */
  async resume(): Promise<void> {
    this.held = false;
    this.started = true;
    await this.el.play();
  }

  /** Resolves at the media element's end; rejects with a PlaybackError when it fails before. */
  async finish(): Promise<void> {
    await this.unlessFailed(this.opened);
    if (this.buffer) await this.unlessFailed(this.buffer);
    if (this.source.readyState === 'open') this.source.endOfStream();
    if (this.el.ended) return;
    await this.unlessFailed(new Promise<void>((resolve) => this.el.addEventListener('ended', () => resolve(), { once: true })));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.endWaits(new PlayerClosed());
    this.el.pause();
    this.el.removeAttribute('src');
    URL.revokeObjectURL(this.url);
  }
}
