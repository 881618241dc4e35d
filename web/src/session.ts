// An established session, client side (DESIGN.md §4), as protocol/session.go:
// application epochs, records, chunk keys, the replay window and rekeying.
// The browser is only ever a client: it seals requests and opens responses
// and chunks.

import type { RecordCipher } from './aead.js';
import { type Bytes, erase, Writer } from './bytes.js';
import { FIRST_APPLICATION_EPOCH } from './constants.js';
import { AlertCode, ProtocolError, RecordRejected, SessionClosed } from './errors.js';
import type { GroupInfo } from './groups.js';
import { nobleHash } from './hash.js';
import { InvalidShare, type KexPrivate } from './kex.js';
import { applicationTrafficSecrets, chunkCipher, nextMasterSecret, recordCipher } from './key_schedule.js';
import type { RandomSource } from './random.js';
import { openRecord, parseRecord, RecordType, sealRecord } from './record.js';
import { ReplayWindow } from './replay.js';
import type { SuiteInfo } from './suites.js';

const MAX_SEQUENCE = (1n << 64n) - 1n;

/**
 * One direction's keys for one epoch. Users (a seal or an open in
 * progress) hold them; erasing them at rekey or close waits for the last
 * user, so a chunk key is never derived from a secret already zeroed.
 */
class EpochKeys {
  private users = 0;
  private erasing = false;
  erased = false;

  private constructor(
    readonly epoch: number,
    readonly secret: Bytes,
    readonly cipher: RecordCipher,
  ) {}

  static async create(s: SuiteInfo, epoch: number, secret: Bytes): Promise<EpochKeys> {
    return new EpochKeys(epoch, secret, await recordCipher(s, secret));
  }

  acquire(): void {
    if (this.erasing || this.erased) throw new SessionClosed();
    this.users++;
  }

  release(): void {
    this.users--;
    if (this.erasing && this.users === 0) this.wipe();
  }

  erase(): void {
    this.erasing = true;
    if (this.users === 0) this.wipe();
  }

  private wipe(): void {
    if (this.erased) return;
    erase(this.secret);
    this.cipher.erase();
    this.erased = true;
  }
}

/** An opened record's payload and its sequence number. */
export interface Opened {
  payload: Bytes;
  seq: bigint;
}

export class Session {
  private closed = false;
  private sendSeq = 0n;
  private window = new ReplayWindow();
  private pending: { priv: KexPrivate; clientShare: Bytes } | null = null;
  private rekeyCount = 0;

  private constructor(
    readonly id: Bytes,
    readonly suite: SuiteInfo,
    readonly group: GroupInfo,
    private readonly rand: RandomSource,
    private master: Bytes,
    private send: EpochKeys,
    private recv: EpochKeys,
  ) {}

  /** The session of a finished handshake; it takes ownership of the secrets. */
  static async create(
    id: Bytes,
    suite: SuiteInfo,
    group: GroupInfo,
    rand: RandomSource,
    master: Bytes,
    clientSecret: Bytes,
    serverSecret: Bytes,
  ): Promise<Session> {
    const send = await EpochKeys.create(suite, FIRST_APPLICATION_EPOCH, clientSecret);
    const recv = await EpochKeys.create(suite, FIRST_APPLICATION_EPOCH, serverSecret);
    return new Session(id, suite, group, rand, master, send, recv);
  }

  /** The current application epoch (1 after the handshake). */
  get epoch(): number {
    return this.send.epoch;
  }

  /** Completed rekeys. */
  get rekeys(): number {
    return this.rekeyCount;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Seals a request record carrying payload. */
  async seal(payload: Uint8Array): Promise<Bytes> {
    if (this.closed) throw new SessionClosed();
    if (this.sendSeq === MAX_SEQUENCE) throw new Error('protocol: sequence numbers exhausted; rekey');
    const k = this.send;
    k.acquire();
    const seq = this.sendSeq++;
    try {
      return await sealRecord(this.suite, k.cipher, RecordType.Request, k.epoch, seq, payload);
    } finally {
      k.release();
    }
  }

  /**
   * Authenticates and decrypts one response record and returns its payload
   * (without its padding). Every failure — framing, wrong type or epoch,
   * replay, authentication, padding — is
   * RecordRejected and leaves the session unchanged; only a record that
   * authenticates advances the replay window.
   */
  async open(record: Uint8Array): Promise<Opened> {
    return this.openRecord(record, RecordType.Response, async (k) => ({ cipher: k.cipher, done: () => {} }));
  }

  /**
   * Opens the chunk record of chunk index of media (16 bytes): a chunk of
   * another media or index, or a swapped record, fails authentication
   * (DESIGN.md §4 "Per-chunk keys").
   */
  async openChunk(record: Uint8Array, media: Uint8Array, index: number): Promise<Opened> {
    return this.openRecord(record, RecordType.Chunk, async (k) => {
      const c = await chunkCipher(this.suite, k.secret, media, index);
      return { cipher: c, done: () => c.erase() };
    });
  }

  private async openRecord(
    record: Uint8Array,
    want: RecordType,
    cipherFor: (k: EpochKeys) => Promise<{ cipher: RecordCipher; done: () => void }>,
  ): Promise<Opened> {
    const { header: h, aad, ciphertext } = parseRecord(record);
    if (h.type !== want) throw new RecordRejected(`type ${h.type}, want ${want}`);
    if (this.closed) throw new SessionClosed();
    const k = this.recv;
    if (h.epoch !== k.epoch) throw new RecordRejected(`epoch ${h.epoch}, current ${k.epoch}`);
    const verdict = this.window.check(h.seq);
    if (verdict !== 'ok') throw new RecordRejected(verdict);
    k.acquire();
    let payload: Bytes;
    try {
      const { cipher, done } = await cipherFor(k);
      try {
        payload = await openRecord(cipher, h, aad, ciphertext);
      } finally {
        done();
      }
    } finally {
      k.release();
    }
    // Commit, re-checking: two copies of one record racing through open
    // must not both be accepted, nor a record of an epoch just left.
    if (this.recv !== k) throw new RecordRejected('epoch changed');
    const again = this.window.check(h.seq);
    if (again !== 'ok') throw new RecordRejected(again);
    this.window.commit(h.seq);
    return { payload, seq: h.seq };
  }

  /**
   * Starts a rekey: a fresh ephemeral share of the session's group, to send
   * in a rekey request under the current epoch (DESIGN.md §4 "Rekey").
   */
  async rekeyRequest(): Promise<Bytes> {
    const { priv, share } = await this.group.kex.generateShare(this.rand);
    if (this.closed) {
      priv.erase();
      throw new SessionClosed();
    }
    this.pending?.priv.erase();
    this.pending = { priv, clientShare: share };
    return share;
  }

  /**
   * Combines the server's share and moves both directions to the next
   * epoch, erasing the old keys (DESIGN.md §2.7: old epoch keys are erased).
   */
  async completeRekey(serverShare: Uint8Array): Promise<void> {
    const p = this.pending;
    this.pending = null;
    if (!p) throw new Error('protocol: no rekey in progress');
    if (this.closed) {
      p.priv.erase();
      throw new SessionClosed();
    }
    const epoch = this.send.epoch;
    let shared: Bytes;
    try {
      shared = await p.priv.finish(serverShare);
    } catch (e) {
      if (e instanceof InvalidShare) throw new ProtocolError(AlertCode.HandshakeFailure, 'rekey share', { cause: e });
      throw e;
    }
    const th = this.rekeyTranscript(epoch, p.clientShare, serverShare);
    const ms = nextMasterSecret(this.suite, this.master, shared, th);
    erase(shared);
    const { client, server } = applicationTrafficSecrets(this.suite, ms, th);
    const send = await EpochKeys.create(this.suite, epoch + 1, client);
    const recv = await EpochKeys.create(this.suite, epoch + 1, server);
    if (this.closed) {
      send.erase();
      recv.erase();
      erase(ms);
      throw new SessionClosed();
    }
    const [oldSend, oldRecv, oldMaster] = [this.send, this.recv, this.master];
    this.send = send;
    this.recv = recv;
    this.master = ms;
    this.sendSeq = 0n;
    this.window = new ReplayWindow();
    this.rekeyCount++;
    oldSend.erase();
    oldRecv.erase();
    erase(oldMaster);
  }

  /**
   * Binds a rekey exchange to the session and the epoch it leaves:
   * th = H(session id ‖ epoch ‖ client share<2> ‖ server share<2>).
   */
  private rekeyTranscript(epoch: number, clientShare: Uint8Array, serverShare: Uint8Array): Bytes {
    const input = new Writer()
      .bytes(this.id)
      .u32(epoch)
      .prefixed(2, (w) => w.bytes(clientShare))
      .prefixed(2, (w) => w.bytes(serverShare))
      .finish();
    return new Uint8Array(nobleHash(this.suite.hash)(input));
  }

  /** Ends the session and erases every key it holds. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.send.erase();
    this.recv.erase();
    erase(this.master);
    this.pending?.priv.erase();
    this.pending = null;
  }
}

/**
 * The current epoch's secrets (copies), for the tests that compare the
 * key schedule with Go's; not part of the package's public API (index.ts).
 */
export function secretsOf(s: Session): { master: Bytes; client: Bytes; server: Bytes } {
  const x = s as unknown as { master: Bytes; send: EpochKeys; recv: EpochKeys };
  return { master: x.master.slice(), client: x.send.secret.slice(), server: x.recv.secret.slice() };
}
