// The session over HTTP (DESIGN.md §4 "Over HTTP"), as the Go client's
// connection: the handshake has its own endpoints; afterwards every
// operation travels as records to one per-session endpoint, so a URL shows
// only the session id. A record that fails its checks, or a problem
// document where a record was due, ends the session (fail closed).

import { type Bytes, concat } from './bytes.js';
import { MAX_HANDSHAKE_FLIGHT } from './constants.js';
import { RecordRejected } from './errors.js';
import { type ClientConfig, ClientHandshake } from './handshake_client.js';
import { marshalRequest, marshalShare, Op, parseErrorBody, parseResponse, parseShare, type Response, Status } from './ops.js';
import { RecordReader, recordSequence, TruncatedAnswer } from './record.js';
import type { Session } from './session.js';

/** Bounds a problem document we read. */
const MAX_PROBLEM = 16 << 10;
const OCTET_STREAM = 'application/octet-stream';

/** An RFC 9457 problem document the server answered with. */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: string,
    readonly detail: string,
    /** The server's Retry-After in milliseconds, 0 when it sent none. */
    readonly retryAfter = 0,
  ) {
    super(`server answered ${status} ${title}${detail ? ': ' + detail : ''}`);
    this.name = 'ProblemError';
  }
}

/** A failure of the secure channel itself; the connection is then unusable. */
export class ChannelError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(`secure channel failed: ${message}`, options);
    this.name = 'ChannelError';
  }
}

/**
 * A fault of the transport under the channel: the request did not get
 * through, the answer was cut short, or the server lost the session (404)
 * or is unavailable (502, 503, 504). Nothing unverified was used; a play
 * resumes after one in a new session.
 */
export class TransportError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(`connection to the server lost: ${message}`, options);
    this.name = 'TransportError';
  }
}

/**
 * A draining replica's authenticated "go elsewhere": the server closed the
 * session, so the play goes on in a new one (a transport fault, as for the
 * Go client).
 */
class SentElsewhere extends Error {
  constructor() {
    super('the server is stopping and sent us elsewhere');
    this.name = 'SentElsewhere';
  }
}

/** Whether a problem answer to a session record means the session is gone rather than refused. */
function lostSession(pe: ProblemError): boolean {
  return pe.status === 404 || pe.status === 502 || pe.status === 503 || pe.status === 504;
}

/** A non-OK answer to an operation: the channel is fine, the operation was refused. */
export class StatusError extends Error {
  constructor(
    readonly op: Op,
    readonly status: Status,
    readonly detail: string,
    readonly offer: Bytes,
  ) {
    super(`${Op[op] ?? op}: ${Status[status] ?? status}${detail ? ': ' + detail : ''}`);
    this.name = 'StatusError';
  }
}

/**
 * How dial retries a handshake the server refused for load (DESIGN.md §4
 * "Admission"): a 429 or 503 answer to a hello (with the server's
 * Retry-After), or a 404 for the finish (the half-open session expired or
 * was evicted). Each retry is a fresh handshake, after a wait that doubles
 * from initial up to max, jittered (half fixed, half random), never shorter
 * than the server's Retry-After; a server asking for longer than max ends
 * the retries. As client.Backoff in Go.
 */
export interface Backoff {
  /** Handshakes tried in all (default 5). */
  attempts?: number;
  /** Bounds of the wait in milliseconds (defaults 100 and 3000). */
  initial?: number;
  max?: number;
  /** Waits ms milliseconds (tests replace it). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const DEFAULT_DIAL_ATTEMPTS = 5;
export const DEFAULT_BACKOFF_INITIAL = 100;
export const DEFAULT_BACKOFF_MAX = 3000;
/** Bounds the Retry-After we take from a server. */
const MAX_RETRY_AFTER = 3600_000;

export interface DialOptions {
  /** The server's base URL, e.g. the page's own origin. */
  server: string;
  protocol: ClientConfig;
  /** The fetch function (default globalThis.fetch). */
  fetch?: typeof fetch;
  signal?: AbortSignal;
  backoff?: Backoff;
}

/** The handshake request a problem answered. */
type Step = 'hello' | 'finish';

/** A problem answer to a handshake step, for dial's retries. */
class StepProblem extends Error {
  constructor(
    readonly step: Step,
    readonly problem: ProblemError,
  ) {
    super(problem.message, { cause: problem });
  }
}

/**
 * How long to wait before handshake attempt+1 after err, or null when err
 * is not a refusal worth retrying or the retries are spent.
 */
export function backoffWait(b: Backoff, attempt: number, err: unknown, random = Math.random): number | null {
  const attempts = b.attempts && b.attempts > 0 ? b.attempts : DEFAULT_DIAL_ATTEMPTS;
  const initial = b.initial && b.initial > 0 ? b.initial : DEFAULT_BACKOFF_INITIAL;
  const max = Math.max(b.max && b.max > 0 ? b.max : DEFAULT_BACKOFF_MAX, initial);
  if (attempt >= attempts || !(err instanceof StepProblem)) return null;
  const { step, problem: pe } = err;
  const retryable = pe.status === 429 || pe.status === 503 || (pe.status === 404 && step === 'finish');
  if (!retryable || pe.retryAfter > max) return null;
  let d = initial * 2 ** Math.min(attempt - 1, 30);
  if (d > max) d = max;
  d = d / 2 + random() * (d / 2);
  return Math.max(d, pe.retryAfter);
}

/** A Retry-After header (RFC 9110 §10.2.3) in milliseconds: seconds or an HTTP date; 0 when absent or unreadable. */
export function retryAfter(v: string | null, now = Date.now()): number {
  if (!v) return 0;
  if (/^\d+$/.test(v)) return Math.min(Number(v) * 1000, MAX_RETRY_AFTER);
  const t = Date.parse(v);
  return Number.isNaN(t) ? 0 : Math.min(Math.max(t - now, 0), MAX_RETRY_AFTER);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      reject(signal.reason);
    }, { once: true });
  });
}

/** An answer: the verified response, and the records that follow it in the body. */
export interface Exchange {
  response: Response;
  records: RecordReader;
}

/** Reads a whole body of at most limit bytes. */
async function readLimited(res: globalThis.Response, limit: number): Promise<Bytes> {
  const reader = res.body?.getReader();
  if (!reader) return new Uint8Array(0);
  const parts: Uint8Array[] = [];
  let n = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    n += value.length;
    if (n > limit) {
      await reader.cancel().catch(() => {});
      throw new Error('answer too large');
    }
    parts.push(value);
  }
  return concat(...parts);
}

async function problem(res: globalThis.Response): Promise<ProblemError> {
  let doc: { type?: unknown; title?: unknown; detail?: unknown } = {};
  try {
    doc = JSON.parse(new TextDecoder().decode(await readLimited(res, MAX_PROBLEM)));
  } catch {
    // not a problem document: the status alone
  }
  const str = (v: unknown): string => (typeof v === 'string' ? v : '');
  return new ProblemError(res.status, str(doc.type), str(doc.title) || res.statusText, str(doc.detail), retryAfter(res.headers.get('Retry-After')));
}

/**
 * Whether e, met while signal is aborted, is that abort itself: the
 * signal's reason, or the AbortError of fetch or a body stream (also as the
 * cause of a cut-short answer). Anything else, the signal aborted or not,
 * is the channel's failure and is classified as one (fail closed).
 */
export function isAbort(e: unknown, signal: AbortSignal | undefined): boolean {
  if (!signal?.aborted) return false;
  const is = (x: unknown) => x === signal.reason || (x instanceof DOMException && x.name === 'AbortError');
  return is(e) || (e instanceof TruncatedAnswer && is(e.cause));
}

/** p, or the signal's reason when it aborts first. */
function unlessAborted<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export class Connection {
  private failed: Error | null = null;
  private closed = false;
  /** Settles when the rekey in progress has switched epochs (or failed): no request is sealed meanwhile. */
  private rekeying: Promise<void> | null = null;

  private constructor(
    private readonly base: string,
    private readonly fetchFn: typeof fetch,
    private readonly sessionPath: string,
    readonly session: Session,
  ) {}

  /**
   * Runs the handshake and returns the established connection. A handshake
   * the server refuses for load is retried as o.backoff says.
   */
  static async dial(o: DialOptions): Promise<Connection> {
    const base = o.server.replace(/\/+$/, '');
    const url = new URL(base);
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.host) throw new Error(`server URL ${o.server}: want http(s)://host:port`);
    const fetchFn = o.fetch ?? globalThis.fetch.bind(globalThis);
    const b = o.backoff ?? {};
    for (let attempt = 1; ; attempt++) {
      try {
        return await Connection.handshake(base, fetchFn, o);
      } catch (e) {
        const d = backoffWait(b, attempt, e);
        if (d === null) throw e instanceof StepProblem ? e.problem : e;
        await (b.sleep ?? sleep)(d, o.signal);
      }
    }
  }

  /** One handshake: the hello, at most one retry (a share, a cookie, or both), the finish. */
  private static async handshake(base: string, fetchFn: typeof fetch, o: DialOptions): Promise<Connection> {
    const post = async (step: Step, path: string, body: Uint8Array): Promise<Bytes> => {
      const res = await fetchFn(base + path, { method: 'POST', body: body as BufferSource, headers: { 'Content-Type': OCTET_STREAM }, signal: o.signal, cache: 'no-store' });
      if (res.status !== 200) throw new StepProblem(step, await problem(res));
      return readLimited(res, MAX_HANDSHAKE_FLIGHT);
    };
    const hs = new ClientHandshake(o.protocol);
    try {
      let hello = await hs.hello();
      for (let attempt = 0; ; attempt++) {
        const retry = await hs.readServerFlight(await post('hello', '/v1/handshake', hello));
        if (!retry) break;
        if (attempt > 0) throw new Error('handshake: the server asked for a second retry');
        hello = await hs.hello();
      }
      const sessionPath = hs.sessionPath;
      const session = await hs.readServerFinished(await post('finish', sessionPath + '/finish', await hs.finish()));
      return new Connection(base, fetchFn, sessionPath, session);
    } finally {
      hs.erase();
    }
  }

  private usable(): void {
    if (this.failed) throw this.failed;
    if (this.closed) throw new Error('session closed');
  }

  /**
   * Ends the connection after a channel failure: an authenticated close so
   * the server drops the session at once, then the keys are erased.
   */
  private fatal(message: string, cause?: unknown): Promise<ChannelError> {
    return this.end(new ChannelError(message, { cause }), true);
  }

  /**
   * Ends the connection with err (the first error sticks): with remote, an
   * authenticated close first, so that the server drops the session at
   * once; then the keys are erased.
   */
  private async end<E extends Error>(err: E, remote: boolean): Promise<E> {
    this.failed ??= err;
    if (!this.closed) {
      this.closed = true;
      if (remote) {
        try {
          const x = await this.roundTrip(Op.Close, new Uint8Array(0), AbortSignal.timeout(2000));
          await x.records.cancel();
        } catch {
          // the server will expire the session
        }
      }
      this.session.close();
    }
    return err;
  }

  private async roundTrip(op: Op, body: Uint8Array, signal?: AbortSignal): Promise<Exchange> {
    const rec = await this.session.seal(marshalRequest({ op, body }));
    const seq = recordSequence(rec)!;
    const res = await this.fetchFn(this.base + this.sessionPath, {
      method: 'POST',
      body: rec as BufferSource,
      headers: { 'Content-Type': OCTET_STREAM },
      signal,
      cache: 'no-store',
    });
    // Every answer to a session record is a 200, whatever its outcome
    // (license refusals included): the record inside says what happened.
    if (res.status !== 200) throw await problem(res);
    const records = new RecordReader(res.body!.getReader());
    let response: Response;
    try {
      const r = await records.next();
      if (r === null) throw new RecordRejected('no response record');
      const { payload } = await this.session.open(r);
      response = parseResponse(payload);
    } catch (e) {
      await records.cancel();
      throw e;
    }
    if (response.inReplyTo !== seq) {
      await records.cancel();
      throw new RecordRejected(`the response answers request ${response.inReplyTo}, not ${seq}`);
    }
    if (response.status === Status.GoElsewhere && op !== Op.Close) {
      await records.cancel();
      throw new SentElsewhere();
    }
    return { response, records };
  }

  /**
   * Sends one request and returns its verified response with the records
   * that follow it (chunk records of a fetch). Any failure of the channel
   * ends the connection. Aborting signal aborts the HTTP request, its
   * answer's body included: the exchange ends with the signal's reason
   * and the session goes on (a fetch the client left stops on the server
   * at its next chunk).
   */
  async exchange(op: Op, body: Uint8Array, signal?: AbortSignal): Promise<Exchange> {
    this.usable();
    signal?.throwIfAborted();
    await this.afterRekey(signal);
    return this.exchangeNow(op, body, signal);
  }

  /**
   * Waits until no rekey is in progress: a request sealed meanwhile would
   * carry the epoch the rekey leaves, which the server no longer takes.
   */
  private async afterRekey(signal?: AbortSignal): Promise<void> {
    while (this.rekeying) await unlessAborted(this.rekeying, signal);
    this.usable();
  }

  /** exchange, the rekey lock already held or free. */
  private async exchangeNow(op: Op, body: Uint8Array, signal?: AbortSignal): Promise<Exchange> {
    try {
      return await this.roundTrip(op, body, signal);
    } catch (e) {
      if (isAbort(e, signal)) throw signal!.reason; // the caller's abort, not the channel's failure
      throw await this.classify(op, e);
    }
  }

  /**
   * The error a failed exchange ends with: a TransportError for the
   * network (the session may live on: it is closed there when it still
   * can be) and for a lost session, else a ChannelError (fatal).
   */
  private async classify(op: Op, e: unknown): Promise<Error> {
    const what = `${Op[op] ?? op}: ${(e as Error).message}`;
    if (e instanceof TypeError) return new TransportError(what, { cause: e });
    if (e instanceof TruncatedAnswer) return this.end(new TransportError(what, { cause: e }), true);
    if (e instanceof ProblemError && lostSession(e)) return this.end(new TransportError(what, { cause: e }), false);
    if (e instanceof SentElsewhere) return this.end(new TransportError(what, { cause: e }), false);
    return this.fatal(what, e);
  }

  /**
   * The next record of an answer; a cut-short answer is a TransportError,
   * anything else wrong ends the channel. An answer whose exchange the
   * caller aborted (signal) ends with the signal's reason: the session
   * goes on.
   */
  async nextRecord(records: RecordReader, op: Op, signal?: AbortSignal): Promise<Bytes | null> {
    try {
      return await records.next();
    } catch (e) {
      if (isAbort(e, signal)) throw signal!.reason;
      throw await this.classify(op, e);
    }
  }

  /** A response record of this session, opened and parsed; a failure ends the connection. */
  async openResponse(record: Uint8Array, what: string): Promise<Response> {
    this.usable();
    try {
      return parseResponse((await this.session.open(record)).payload);
    } catch (e) {
      throw await this.fatal(`${what}: ${(e as Error).message}`, e);
    }
  }

  /** Ends the connection because of something the channel delivered that cannot be (fail closed). */
  async fail(message: string): Promise<ChannelError> {
    return this.fatal(message);
  }

  /** A chunk record of this session, opened; a failure ends the connection. */
  async openChunk(record: Uint8Array, media: Uint8Array, index: number): Promise<Bytes> {
    this.usable();
    try {
      return (await this.session.openChunk(record, media, index)).payload;
    } catch (e) {
      throw await this.fatal(`chunk ${index}: ${(e as Error).message}`, e);
    }
  }

  /**
   * An operation whose answer is a single response: its body, or a
   * StatusError for a non-OK status.
   */
  async call(op: Op, body: Uint8Array, signal?: AbortSignal): Promise<Response> {
    return this.answer(op, await this.exchange(op, body, signal), signal);
  }

  /** The single response of x, checked as call says. */
  private async answer(op: Op, x: Exchange, signal?: AbortSignal): Promise<Response> {
    await this.expectEnd(x.records, op, signal);
    if (x.response.status !== Status.OK) {
      let detail = '';
      let offer: Bytes = new Uint8Array(0);
      try {
        ({ message: detail, offer } = parseErrorBody(x.response.body));
      } catch {
        // a status without a readable reason
      }
      throw new StatusError(op, x.response.status, detail, offer);
    }
    return x.response;
  }

  /** Checks that nothing follows the records read from an answer (one aborted by signal ends with its reason). */
  async expectEnd(records: RecordReader, op: Op, signal?: AbortSignal): Promise<void> {
    let end: boolean;
    try {
      end = await records.atEnd();
    } catch (e) {
      if (isAbort(e, signal)) throw signal!.reason;
      throw await this.fatal(`${Op[op] ?? op}: ${(e as Error).message}`, e);
    }
    if (!end) {
      await records.cancel();
      throw await this.fatal(`${Op[op] ?? op}: unexpected bytes after the response`);
    }
  }

  /**
   * Runs a fresh ephemeral exchange inside the channel and moves to the
   * next epoch (DESIGN.md §4 "Rekey"). No other request may be in flight:
   * a request made meanwhile waits, and is sealed under the new epoch.
   */
  async rekey(): Promise<void> {
    this.usable();
    await this.afterRekey();
    let done!: () => void;
    this.rekeying = new Promise<void>((resolve) => (done = resolve));
    try {
      const share = await this.session.rekeyRequest();
      const r = await this.answer(Op.Rekey, await this.exchangeNow(Op.Rekey, marshalShare(share)));
      try {
        await this.session.completeRekey(parseShare(r.body));
      } catch (e) {
        throw await this.fatal(`rekey: ${(e as Error).message}`, e);
      }
    } finally {
      this.rekeying = null;
      done();
    }
  }

  /** Ends the session on the server and erases the keys. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.afterRekey().catch(() => {});
    if (this.closed) return;
    this.closed = true;
    try {
      const x = await this.roundTrip(Op.Close, new Uint8Array(0));
      await x.records.cancel();
    } finally {
      this.session.close();
    }
  }
}
