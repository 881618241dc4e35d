// A viewer's connection to the server, as the Go client (client/): a
// session whose server chain is validated against the page's root with
// the stapled CRLs, the catalog and licenses, registration, and the play
// of one item (DESIGN.md §3 data path, client side): its signed manifest
// verified with the content-signing chain, then fetch after fetch, each
// chunk opened under its own key and checked against the manifest before
// the sink sees it, rekeying when the server asks, resuming in a new
// session after a transport fault.

import { type Bytes, equal } from './bytes.js';
import type { WebAuthnAssertion } from './handshake_client.js';
import {
  marshalRenewRequest,
  marshalResumeRequest,
  type Offer,
  parseLicenses,
  parseOffer,
  parsePlayResponse,
  parseRenewResponse,
  type LicenseInfo,
  type PlayResponse,
  type RenewResponse,
} from './licenses.js';
import { ChunkIntegrityError, Manifest } from './manifest.js';
import {
  FLAG_REKEY_DUE,
  marshalFetchRequest,
  MAX_CHUNKS_PER_FETCH,
  type MediaInfo,
  Op,
  parseCatalog,
  parseErrorBody,
  parseFetchEnd,
  parseFetchResponse,
  parseInfoResponse,
  Status,
} from './ops.js';
import { RecordType, recordTypeOf } from './record.js';
import { marshalRegisterOptionsRequest, marshalRegisterRequest, parseRegisterOptionsResponse, parseRegisterResponse } from './register.js';
import { type Backoff, ChannelError, Connection, type Exchange, StatusError, TransportError } from './transport.js';
import { Usage, Validator } from './x509.js';

export interface ViewerConfig {
  /** The server's origin, e.g. location.origin. */
  server: string;
  /** The trust root (DER) the page is configured with. */
  root: Uint8Array;
  /** The host the server's certificate must name (location.hostname). */
  serverName: string;
  /** The browser device: its self-signed certificate and non-extractable key. */
  certificate: Bytes[];
  privateKey: CryptoKey;
  /** The person's WebAuthn login; none for a registration session. */
  webauthn?: (challenge: Bytes) => Promise<WebAuthnAssertion>;
  fetch?: typeof fetch;
  backoff?: Backoff;
}

/** Refused for payment: the license is exhausted or expired; offer is the server's renewal offer. */
export class PaymentRequiredError extends Error {
  constructor(
    readonly reason: string,
    readonly offer: Offer | null,
  ) {
    super(`payment required: ${reason}`);
    this.name = 'PaymentRequiredError';
  }
}

/** Where verified chunks go, in order; write resolves when the sink can take the next one. */
export interface ChunkSink {
  write(chunk: Bytes, index: number): Promise<void>;
}

export interface PlayStats {
  chunks: number;
  bytes: number;
  rekeys: number;
  resumes: number;
  /** Every chunk was checked against the verified manifest. */
  verified: true;
  /** Milliseconds from the start of the play to the first chunk written to the sink, and to the end. */
  firstChunk: number;
  elapsed: number;
  remaining: string;
}

export interface PlayOptions {
  /** Called after each chunk reached the sink. */
  progress?: (s: PlayStats, info: MediaInfo) => void;
  /** How many times to resume after a transport fault (default 3). */
  resumes?: number;
  signal?: AbortSignal;
}

/** A refusal's status error, parsed for the viewer. */
function refusal(op: Op, status: Status, body: Uint8Array): Error {
  let message = '';
  let offer: Bytes = new Uint8Array(0);
  try {
    ({ message, offer } = parseErrorBody(body));
  } catch {
    // a status without a readable reason
  }
  return refusalOf(new StatusError(op, status, message, offer));
}

function refusalOf(e: StatusError): Error {
  if (e.status !== Status.PaymentRequired) return e;
  let offer: Offer | null = null;
  try {
    if (e.offer.length) offer = parseOffer(e.offer);
  } catch {
    offer = null;
  }
  return new PaymentRequiredError(e.detail || 'license exhausted or expired', offer);
}

export class Viewer {
  private conn: Connection;

  private constructor(
    private readonly cfg: ViewerConfig,
    private readonly validator: Validator,
    conn: Connection,
  ) {
    this.conn = conn;
  }

  /** Runs a handshake: the server's chain validated against the root with the CRLs it stapled. */
  static async connect(cfg: ViewerConfig): Promise<Viewer> {
    const validator = new Validator({ root: cfg.root });
    return new Viewer(cfg, validator, await Viewer.dial(cfg, validator));
  }

  private static dial(cfg: ViewerConfig, validator: Validator, signal?: AbortSignal): Promise<Connection> {
    return Connection.dial({
      server: cfg.server,
      signal,
      fetch: cfg.fetch,
      backoff: cfg.backoff,
      protocol: {
        certificate: cfg.certificate,
        privateKey: cfg.privateKey,
        webauthn: cfg.webauthn,
        verifyPeer: async (chain, crls) => {
          validator.staple(crls);
          return validator.verify(chain, Usage.Server, cfg.serverName);
        },
      },
    });
  }

  /** The current connection (its session: suite, group, epoch). */
  get connection(): Connection {
    return this.conn;
  }

  private async call(op: Op, body: Uint8Array = new Uint8Array(0), signal?: AbortSignal): Promise<Bytes> {
    try {
      return (await this.conn.call(op, body, signal)).body;
    } catch (e) {
      throw e instanceof StatusError ? refusalOf(e) : e;
    }
  }

  /** Parses an answer; one that does not decode ends the channel. */
  private async decoded<T>(what: string, parse: () => T): Promise<T> {
    try {
      return parse();
    } catch {
      throw await this.conn.fail(`${what}: malformed answer`);
    }
  }

  async catalog(): Promise<MediaInfo[]> {
    const body = await this.call(Op.Catalog);
    return this.decoded('catalog', () => parseCatalog(body));
  }

  async licenses(): Promise<LicenseInfo[]> {
    const body = await this.call(Op.License);
    return this.decoded('licenses', () => parseLicenses(body));
  }

  /** Asks for a renewal offer for media before its license runs out. */
  async offer(media: Uint8Array): Promise<Offer> {
    const body = await this.call(Op.Offer, media);
    return this.decoded('offer', () => parseOffer(body));
  }

  /** Accepts offer once, paid under a single-use reference (the payment is simulated). */
  async renew(offer: Offer, reference: string): Promise<RenewResponse> {
    const body = await this.call(Op.Renew, marshalRenewRequest(offer.id, reference));
    return this.decoded('renew', () => parseRenewResponse(body));
  }

  /**
   * Registers a viewer with an invite, in this session of the new device
   * without a user: create turns the server's creation options (JSON)
   * into the credential's JSON (navigator.credentials.create).
   */
  async register(invite: string, name: string, create: (optionsJSON: string) => Promise<string>): Promise<{ user: string; name: string }> {
    const ob = await this.call(Op.RegisterOptions, marshalRegisterOptionsRequest(invite));
    const options = await this.decoded('register-options', () => parseRegisterOptionsResponse(ob));
    const credential = await create(options);
    const rb = await this.call(Op.Register, marshalRegisterRequest(invite, credential, name));
    return this.decoded('register', () => parseRegisterResponse(rb));
  }

  /** The item's metadata and its manifest, verified with the content signer's chain. */
  private async verifiedItem(media: Uint8Array, signal?: AbortSignal): Promise<{ info: MediaInfo; manifest: Manifest }> {
    const body = await this.call(Op.Info, media, signal);
    const r = await this.decoded('info', () => parseInfoResponse(body));
    if (!equal(r.info.id, media)) throw await this.conn.fail('info: the answer is about another media');
    if (r.manifest.length === 0) throw new Error('content verification failed: the server sent no manifest');
    const manifest = await Manifest.verify(r.manifest, (chain) => this.validator.verify(chain, Usage.Content));
    const i = r.info;
    if (!equal(manifest.id, i.id) || manifest.size !== i.size || manifest.chunks !== i.chunks || manifest.chunkSize !== i.chunkSize) {
      throw new Error('content verification failed: the manifest describes another item');
    }
    return { info: i, manifest };
  }

  /**
   * Plays media into sink: the manifest verified, a play started (free;
   * its view is consumed at its first chunk), then every chunk fetched,
   * opened, checked and written in order. A transport fault resumes the
   * play in a new session with its ticket (no new view); a channel failure
   * or a chunk that does not match the manifest ends the session.
   * Aborting o.signal ends the play with its reason: the request in
   * flight is aborted (a fetch's answer mid-stream included), and the
   * session goes on.
   */
  async play(media: Uint8Array, sink: ChunkSink, o: PlayOptions = {}): Promise<PlayStats> {
    const start = performance.now();
    const signal = o.signal;
    signal?.throwIfAborted();
    const { info, manifest } = await this.verifiedItem(media, signal);
    const grant = await this.startPlay(Op.Play, media, signal);
    const stats: PlayStats = { chunks: 0, bytes: 0, rekeys: 0, resumes: 0, verified: true, firstChunk: 0, elapsed: 0, remaining: grant.remaining };
    let play = grant;
    let next = 0;
    let rekeyDue = false;
    let rekeysBefore = this.conn.session.rekeys;
    let rekeysEarlier = 0;
    while (next < info.chunks) {
      signal?.throwIfAborted();
      try {
        if (rekeyDue) {
          await this.conn.rekey();
          rekeyDue = false;
        }
        const r = await this.fetch(info, manifest, play.grant, next, Math.min(MAX_CHUNKS_PER_FETCH, info.chunks - next), signal, async (chunk, idx) => {
          await sink.write(chunk, idx);
          if (stats.chunks === 0) stats.firstChunk = performance.now() - start;
          next = idx + 1;
          stats.chunks++;
          stats.bytes += chunk.length;
          stats.elapsed = performance.now() - start;
          stats.rekeys = rekeysEarlier + this.conn.session.rekeys - rekeysBefore;
          o.progress?.(stats, info);
        });
        rekeyDue = r.rekeyDue;
      } catch (e) {
        // A left play ends with the abort, unless the channel failed: that ended the session, and says so.
        if (signal?.aborted && !(e instanceof ChannelError)) throw signal.reason;
        if (!(e instanceof TransportError) || stats.resumes >= (o.resumes ?? 3) || play.ticket.length === 0) throw e;
        // The connection is gone, the play is not: a new session, the same play.
        stats.resumes++;
        this.conn = await Viewer.dial(this.cfg, this.validator, signal);
        rekeysEarlier = stats.rekeys;
        rekeysBefore = this.conn.session.rekeys;
        play = await this.startPlay(Op.Resume, marshalResumeRequest(play.ticket), signal);
        rekeyDue = false;
      }
    }
    stats.elapsed = performance.now() - start;
    return stats;
  }

  private async startPlay(op: Op.Play | Op.Resume, body: Uint8Array, signal?: AbortSignal): Promise<PlayResponse> {
    const b = await this.call(op, body, signal);
    return this.decoded(Op[op]!, () => parsePlayResponse(b));
  }

  /**
   * One fetch of count chunks from first: the request, then each chunk
   * record opened, checked and delivered. An answer the server ended early
   * says why (a revoked license, a chunk it could not deliver); the end
   * must name the chunk where the records stopped. Aborting signal aborts
   * the request and its answer's body, wherever the fetch is: it ends
   * with the signal's reason.
   */
  private async fetch(
    info: MediaInfo,
    manifest: Manifest,
    grant: Uint8Array,
    first: number,
    count: number,
    signal: AbortSignal | undefined,
    deliver: (chunk: Bytes, index: number) => Promise<void>,
  ): Promise<{ rekeyDue: boolean }> {
    const c = this.conn;
    const x = await c.exchange(Op.Fetch, marshalFetchRequest({ media: info.id, first, count, grant }), signal);
    try {
      return await this.fetchAnswer(c, x, info, manifest, first, count, signal, deliver);
    } catch (e) {
      if (!signal?.aborted || e instanceof ChannelError) throw e;
      await x.records.cancel();
      throw signal.reason;
    }
  }

  /** The records of a fetch's answer x, after its response. */
  private async fetchAnswer(
    c: Connection,
    x: Exchange,
    info: MediaInfo,
    manifest: Manifest,
    first: number,
    count: number,
    signal: AbortSignal | undefined,
    deliver: (chunk: Bytes, index: number) => Promise<void>,
  ): Promise<{ rekeyDue: boolean }> {
    if (x.response.status === Status.RekeyRequired) {
      await c.expectEnd(x.records, Op.Fetch, signal);
      return { rekeyDue: true };
    }
    if (x.response.status !== Status.OK) {
      await c.expectEnd(x.records, Op.Fetch, signal);
      throw refusal(Op.Fetch, x.response.status, x.response.body);
    }
    let n: number;
    try {
      n = parseFetchResponse(x.response.body);
    } catch {
      n = 0;
    }
    if (n === 0 || n > count) {
      await x.records.cancel();
      throw await c.fail('fetch: the server announced an impossible chunk count');
    }
    for (let idx = first; idx < first + n; idx++) {
      const rec = await c.nextRecord(x.records, Op.Fetch, signal);
      if (rec === null) throw await c.fail(`chunk ${idx}: missing chunk record`);
      if (recordTypeOf(rec) === RecordType.Response) {
        const r = await c.openResponse(rec, `chunk ${idx}`);
        let end: ReturnType<typeof parseFetchEnd> | null = null;
        try {
          end = parseFetchEnd(r.body);
        } catch {
          end = null;
        }
        if (r.inReplyTo !== x.response.inReplyTo || r.status === Status.OK || !end || end.next !== idx) {
          throw await c.fail(`chunk ${idx}: missing chunk records before the end of the answer`);
        }
        await c.expectEnd(x.records, Op.Fetch, signal);
        if (r.status === Status.RekeyRequired) return { rekeyDue: true };
        const err = refusalOf(new StatusError(Op.Fetch, r.status, end.message, end.offer));
        throw Object.assign(err, { refunded: end.refunded });
      }
      const chunk = await c.openChunk(rec, info.id, idx);
      try {
        await manifest.checkChunk(idx, chunk);
      } catch (e) {
        await x.records.cancel();
        throw await c.fail(e instanceof ChunkIntegrityError ? e.message : `chunk ${idx}: ${(e as Error).message}`);
      }
      await deliver(chunk, idx);
      signal?.throwIfAborted();
    }
    await c.expectEnd(x.records, Op.Fetch, signal);
    return { rekeyDue: (x.response.flags & FLAG_REKEY_DUE) !== 0 };
  }

  /** Ends the session on the server and erases the keys. */
  async close(): Promise<void> {
    await this.conn.close().catch(() => {});
  }
}
