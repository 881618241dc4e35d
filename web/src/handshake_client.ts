// The client's side of the handshake (DESIGN.md §4 "Handshake"), as
// protocol/handshake_client.go. Use it in message order:
//
//	const hello = await hs.hello();            // POST to the handshake endpoint
//	if (await hs.readServerFlight(reply)) {    // a HelloRetryRequest (a share, a cookie, or both)
//	  hello = await hs.hello(); ...            // POST the retry flight, read again
//	}
//	const fin = await hs.finish();             // POST to the session's finish endpoint
//	const session = await hs.readServerFinished(reply);

import { type Bytes, concat, equal, equalConstantTime, erase, utf8, Writer } from './bytes.js';
import { CONTEXT_CLIENT_SIGNATURE, CONTEXT_SERVER_SIGNATURE, CONTEXT_WEBAUTHN, MAX_KEY_SHARES, RANDOM_SIZE, VERSION } from './constants.js';
import { AlertCode, OutOfOrder, ProtocolError } from './errors.js';
import { defaultGroups, type GroupID, type GroupInfo, groupByID, groupName } from './groups.js';
import { nobleHash } from './hash.js';
import { InvalidShare, type KexPrivate } from './kex.js';
import {
  applicationTrafficSecrets,
  deriveHandshakeSecret,
  deriveMasterSecret,
  finishedMAC,
  handshakeTrafficSecrets,
  recordCipher,
  Transcript,
} from './key_schedule.js';
import {
  certificate,
  certificateVerify,
  type ClientHello,
  clientHello,
  frame,
  helloRetryRequest,
  type Message,
  MsgType,
  parseFlight,
  serverHello,
  stapledCRLs,
} from './messages.js';
import { type RandomSource, systemRandom } from './random.js';
import { openRecord, parseRecord, RecordType, sealRecord } from './record.js';
import { Session } from './session.js';
import { sign, verify } from './signature.js';
import { subjectPublicKeyInfo } from './certificate.js';
import { defaultSuites, type SuiteID, type SuiteInfo, suiteByID, suiteName } from './suites.js';

/**
 * A WebAuthn authentication assertion (W3C Web Authentication §5.2.2) as
 * the ClientFinish carries it: the credential's raw id, the authenticator
 * data, the client data JSON and the signature over
 * authenticatorData ‖ SHA-256(clientDataJSON).
 */
export interface WebAuthnAssertion {
  credentialId: Uint8Array;
  authenticatorData: Uint8Array;
  clientDataJSON: Uint8Array;
  signature: Uint8Array;
}

/** The user part of the ClientFinish (protocol/doc.go). */
enum UserKind {
  None = 0,
  Certificate = 1,
  WebAuthn = 2,
}

/** Bounds of a WebAuthn assertion's fields on the wire (protocol/webauthn.go). */
const WEBAUTHN_BOUNDS: [keyof WebAuthnAssertion, number, number][] = [
  ['credentialId', 1, 1023],
  ['authenticatorData', 37, 0xffff],
  ['clientDataJSON', 1, 0xffff],
  ['signature', 1, 1023],
];

/** Configures the client side of a session. */
export interface ClientConfig {
  /** The source of the random, ephemeral keys and rekey shares; default crypto.getRandomValues. */
  rand?: RandomSource;
  /**
   * Suites and groups in preference order; empty means all, in the default
   * order. The server picks the first of its own preferences that we offer.
   */
  suites?: SuiteID[];
  groups?: GroupID[];
  /** How many of the leading groups to send shares for in the first hello (default 1). */
  keyShares?: number;
  /** The device's chain, DER, leaf first. */
  certificate: Uint8Array[];
  /** The device's signing key (Ed25519, ECDSA P-256/P-384 or RSA-PSS), typically non-extractable. */
  privateKey: CryptoKey;
  /**
   * Validates the server's chain (DER, leaf first) with the CRLs it
   * stapled to its signed flight (DER) and returns the validated leaf
   * (DER), which must be the chain's first certificate. It runs only after
   * the leaf's key verified the signature over the flight; a rejection
   * refuses the server.
   */
  verifyPeer(chain: Bytes[], crls: Bytes[]): Promise<Uint8Array>;
  /**
   * Logs the person in with WebAuthn: given the challenge of this
   * handshake (the suite's hash over a context and the transcript up to
   * the device's CertificateVerify), it returns the authenticator's
   * assertion (navigator.credentials.get with that challenge). Without
   * it the finish carries no user (a registration session).
   */
  webauthn?: (challenge: Bytes) => Promise<WebAuthnAssertion>;
}

enum State {
  Start,
  WaitServer,
  WaitServerAfterRetry,
  SendFinish,
  WaitFinished,
  Done,
  Failed,
}

export class ClientHandshake {
  private state = State.Start;
  private readonly rand: RandomSource;
  private readonly suites: SuiteID[];
  private readonly groups: GroupID[];

  private first: Bytes | null = null;
  private hrr: Bytes | null = null;
  private ch: ClientHello | null = null;
  private readonly privates = new Map<number, KexPrivate>();

  private suiteInfo: SuiteInfo | null = null;
  private groupInfo: GroupInfo | null = null;
  private sessionIDBytes: Bytes = new Uint8Array(0);
  private replicaName = '';
  private readonly transcript = new Transcript();
  private hs: Bytes | null = null;
  private clientHS: Bytes | null = null;
  private serverHS: Bytes | null = null;
  private peerLeaf: Bytes | null = null;

  constructor(private readonly cfg: ClientConfig) {
    if (cfg.certificate.length === 0 || !cfg.privateKey) throw new Error('protocol: config has no certificate or key');
    if (typeof cfg.verifyPeer !== 'function') throw new Error('protocol: config has no peer verifier');
    for (const s of cfg.suites ?? []) if (!suiteByID(s)) throw new Error('protocol: config names an unknown suite');
    for (const g of cfg.groups ?? []) if (!groupByID(g)) throw new Error('protocol: config names an unknown group');
    this.rand = cfg.rand ?? systemRandom;
    this.suites = cfg.suites?.length ? [...cfg.suites] : defaultSuites();
    this.groups = cfg.groups?.length ? [...cfg.groups] : defaultGroups();
  }

  /**
   * The flight to send to the handshake endpoint: the ClientHello, or after
   * a retry ClientHello ‖ HelloRetryRequest ‖ ClientHello.
   */
  async hello(): Promise<Bytes> {
    switch (this.state) {
      case State.Start: {
        const random = this.rand(RANDOM_SIZE);
        if (random.length !== RANDOM_SIZE) throw new Error('protocol: short read from rand');
        const n = Math.min(Math.max(this.cfg.keyShares ?? 1, 1), this.groups.length, MAX_KEY_SHARES);
        const ch: ClientHello = { version: VERSION, random, suites: this.suites, groups: this.groups, shares: [] };
        await this.failing(async () => {
          for (const id of this.groups.slice(0, n)) ch.shares.push({ group: id, data: await this.newShare(id) });
        });
        this.ch = ch;
        this.first = clientHello.marshal(ch);
        this.state = State.WaitServer;
        return this.first;
      }
      case State.WaitServerAfterRetry:
        return concat(this.first!, this.hrr!, clientHello.marshal(this.ch!));
    }
    throw new OutOfOrder('hello');
  }

  private async newShare(id: number): Promise<Bytes> {
    const g = groupByID(id)!;
    const { priv, share } = await g.kex.generateShare(this.rand);
    this.privates.set(id, priv);
    return share;
  }

  /**
   * Processes the server's answer to hello. It returns true when the
   * server asked for another share (call hello again). Otherwise it
   * verifies the ServerHello's choices against our offer, the server's
   * chain and its signature over the transcript, which covers our whole
   * offer as we sent it: a stripped offer (downgrade) makes it fail.
   */
  async readServerFlight(flight: Uint8Array): Promise<boolean> {
    if (this.state !== State.WaitServer && this.state !== State.WaitServerAfterRetry) throw new OutOfOrder('readServerFlight');
    return this.failing(() => this.serverFlight(flight));
  }

  private async serverFlight(flight: Uint8Array): Promise<boolean> {
    const msgs = parseFlight(flight);
    if (msgs.length === 1 && msgs[0]!.type === MsgType.HelloRetryRequest) {
      if (this.state !== State.WaitServer) throw new ProtocolError(AlertCode.HandshakeFailure, 'second HelloRetryRequest');
      await this.handleRetry(msgs[0]!);
      return true;
    }
    const [shMsg, certMsg, crlMsg, cvMsg] = msgs;
    if (
      msgs.length !== 4 ||
      shMsg!.type !== MsgType.ServerHello ||
      certMsg!.type !== MsgType.Certificate ||
      crlMsg!.type !== MsgType.StapledCRLs ||
      cvMsg!.type !== MsgType.CertificateVerify
    ) {
      throw new ProtocolError(AlertCode.DecodeError, 'unexpected server flight');
    }
    const sh = serverHello.parse(shMsg!.body);
    const s = suiteByID(sh.suite);
    const g = groupByID(sh.group);
    const offer = this.ch!;
    if (!s || !offer.suites.includes(sh.suite)) {
      throw new ProtocolError(AlertCode.HandshakeFailure, `server chose suite ${suiteName(sh.suite)}, which we did not offer`);
    }
    if (!g || !offer.groups.includes(sh.group)) {
      throw new ProtocolError(AlertCode.HandshakeFailure, `server chose group ${groupName(sh.group)}, which we did not offer`);
    }
    const priv = this.privates.get(sh.group);
    if (!priv) throw new ProtocolError(AlertCode.HandshakeFailure, `server chose group ${g.name} without our share`);
    if (this.hrr && (this.suiteInfo!.id !== sh.suite || this.groupInfo!.id !== sh.group)) {
      throw new ProtocolError(AlertCode.HandshakeFailure, 'ServerHello differs from the HelloRetryRequest');
    }
    this.suiteInfo = s;
    this.groupInfo = g;
    this.sessionIDBytes = sh.sessionID;
    this.replicaName = sh.replica;

    // The transcript, as we sent and received it.
    this.transcript.add(this.first!);
    if (this.hrr) this.transcript.add(this.hrr, clientHello.marshal(offer));
    this.transcript.start(s);
    this.transcript.add(shMsg!.raw, certMsg!.raw, crlMsg!.raw);

    const chain = certificate.parse(certMsg!.body);
    const crls = stapledCRLs.parse(crlMsg!.body);
    const cv = certificateVerify.parse(cvMsg!.body);
    // The signature over the flight first, under the key the leaf claims;
    // then the chain, with the CRLs that signature covers (protocol/doc.go).
    let spki: Bytes;
    try {
      spki = subjectPublicKeyInfo(chain[0]!);
    } catch (e) {
      throw new ProtocolError(AlertCode.BadCertificate, 'server certificate: malformed certificate', { cause: e });
    }
    try {
      await verify(spki, cv.scheme, CONTEXT_SERVER_SIGNATURE, this.transcript.sum(), cv.signature);
    } catch {
      throw new ProtocolError(AlertCode.DecryptError, 'server signature does not cover our hello (tampering or downgrade)');
    }
    let leaf: Uint8Array;
    try {
      leaf = await this.cfg.verifyPeer(chain, crls);
    } catch (e) {
      throw new ProtocolError(AlertCode.BadCertificate, `server certificate: ${(e as Error).message}`, { cause: e });
    }
    if (!equal(leaf, chain[0]!)) throw new ProtocolError(AlertCode.BadCertificate, 'server certificate: the validated leaf is not the certificate sent');
    this.transcript.add(cvMsg!.raw);

    let shared: Bytes;
    try {
      shared = await priv.finish(sh.share);
    } catch (e) {
      if (e instanceof InvalidShare) throw new ProtocolError(AlertCode.HandshakeFailure, `server ${g.name} share: ${e.message}`, { cause: e });
      throw e;
    } finally {
      this.erasePrivates();
    }
    this.hs = deriveHandshakeSecret(s, shared);
    erase(shared);
    const { client, server } = handshakeTrafficSecrets(s, this.hs, this.transcript.sum());
    this.clientHS = client;
    this.serverHS = server;
    this.peerLeaf = new Uint8Array(leaf);
    this.state = State.SendFinish;
    return false;
  }

  /**
   * Answers a HelloRetryRequest: the suite and group must be among our
   * offer. Without a cookie it asks for a share we did not send; with one
   * it may name a group we sent a share for, which the second hello then
   * repeats. The second hello repeats the first's random and offer and
   * carries exactly one share, for the requested group. The retry itself
   * is unauthenticated; the server re-derives it from our first hello and
   * signs the whole transcript, so a forged retry fails there.
   */
  private async handleRetry(m: Message): Promise<void> {
    const hrr = helloRetryRequest.parse(m.body);
    const offer = this.ch!;
    const s = suiteByID(hrr.suite);
    const g = groupByID(hrr.group);
    if (!s || !offer.suites.includes(hrr.suite) || !g || !offer.groups.includes(hrr.group)) {
      throw new ProtocolError(AlertCode.HandshakeFailure, 'HelloRetryRequest names something we did not offer');
    }
    let share = offer.shares.find((ks) => ks.group === hrr.group)?.data;
    if (share && hrr.cookie.length === 0) {
      throw new ProtocolError(AlertCode.HandshakeFailure, 'HelloRetryRequest for a group we sent a share for');
    }
    if (share) {
      this.erasePrivatesExcept(hrr.group);
    } else {
      this.erasePrivates();
      share = await this.newShare(hrr.group);
    }
    this.ch = { ...offer, shares: [{ group: hrr.group, data: share }] };
    this.hrr = m.raw;
    this.suiteInfo = s;
    this.groupInfo = g;
    this.state = State.WaitServerAfterRetry;
  }

  /** The id chosen by the server (after readServerFlight). */
  get sessionID(): Bytes {
    return this.sessionIDBytes;
  }

  /**
   * The replica that holds the session, from the signed ServerHello (after
   * readServerFlight); empty for a single server. The session's URLs are
   * /v1/session/<replica>.<hex id>.
   */
  get replica(): string {
    return this.replicaName;
  }

  /** The session's path on the server: /v1/session/[<replica>.]<hex id>. */
  get sessionPath(): string {
    const hex = Array.from(this.sessionIDBytes, (b) => b.toString(16).padStart(2, '0')).join('');
    return '/v1/session/' + (this.replicaName ? this.replicaName + '.' : '') + hex;
  }

  /** The negotiated suite (after readServerFlight). */
  get suite(): SuiteInfo | null {
    return this.suiteInfo;
  }

  /** The negotiated group (after readServerFlight). */
  get group(): GroupInfo | null {
    return this.groupInfo;
  }

  /** The server's validated leaf certificate (DER), after readServerFlight. */
  get peerCertificate(): Bytes | null {
    return this.peerLeaf;
  }

  /**
   * The client's finish record: under the client handshake key, the device
   * Certificate and CertificateVerify, the user kind and the user's part
   * (a WebAuthn assertion over this handshake, or nothing), and Finished.
   */
  async finish(): Promise<Bytes> {
    if (this.state !== State.SendFinish) throw new OutOfOrder('finish');
    const s = this.suiteInfo!;
    return this.failing(async () => {
      const parts: Bytes[] = [];
      const add = (raw: Bytes): void => {
        parts.push(raw);
        this.transcript.add(raw);
      };
      add(certificate.marshal(MsgType.Certificate, this.cfg.certificate));
      const { scheme, signature } = await sign(this.cfg.privateKey, CONTEXT_CLIENT_SIGNATURE, this.transcript.sum());
      add(certificateVerify.marshal(MsgType.CertificateVerify, { scheme, signature }));
      await this.addUser(add);
      add(frame(MsgType.Finished, finishedMAC(s, this.clientHS!, this.transcript.sum())));

      const cc = await recordCipher(s, this.clientHS!);
      try {
        const rec = await sealRecord(s, cc, RecordType.Handshake, 0, 0n, concat(...parts));
        this.state = State.WaitFinished;
        return rec;
      } finally {
        cc.erase();
      }
    });
  }

  /**
   * Adds the user kind and the person's part of the finish: the WebAuthn
   * assertion over this handshake's challenge, or nothing. (A browser has
   * no identity card, so it never sends the certificate kind.)
   */
  private async addUser(add: (raw: Bytes) => void): Promise<void> {
    if (!this.cfg.webauthn) {
      add(Uint8Array.of(UserKind.None));
      return;
    }
    const a = await this.cfg.webauthn(webAuthnChallenge(this.suiteInfo!, this.transcript.sum()));
    const w = new Writer();
    for (const [field, min, max] of WEBAUTHN_BOUNDS) {
      const v = a?.[field];
      if (!(v instanceof Uint8Array) || v.length < min || v.length > max) {
        throw new ProtocolError(AlertCode.DecodeError, `WebAuthn login: ${field} of ${v?.length ?? 0} bytes`);
      }
      w.prefixed(2, (x) => x.bytes(v));
    }
    add(Uint8Array.of(UserKind.WebAuthn));
    add(w.finish());
  }

  /** Checks the server's Finished and returns the established session. */
  async readServerFinished(record: Uint8Array): Promise<Session> {
    if (this.state !== State.WaitFinished) throw new OutOfOrder('readServerFinished');
    return this.failing(() => this.serverFinished(record));
  }

  private async serverFinished(record: Uint8Array): Promise<Session> {
    const s = this.suiteInfo!;
    let plain: Bytes;
    try {
      const { header: h, aad, ciphertext } = parseRecord(record);
      if (h.type !== RecordType.Handshake || h.epoch !== 0 || h.seq !== 0n) throw new Error('not the finish record');
      const sc = await recordCipher(s, this.serverHS!);
      try {
        plain = await openRecord(sc, h, aad, ciphertext);
      } finally {
        sc.erase();
      }
    } catch (e) {
      throw new ProtocolError(AlertCode.BadRecord, 'record rejected', { cause: e });
    }
    const msgs = parseFlight(plain);
    const th = this.transcript.sum();
    if (msgs.length !== 1 || msgs[0]!.type !== MsgType.Finished || !equalConstantTime(msgs[0]!.body, finishedMAC(s, this.serverHS!, th))) {
      throw new ProtocolError(AlertCode.DecryptError, 'server Finished does not match');
    }
    const ms = deriveMasterSecret(s, this.hs!);
    const { client, server } = applicationTrafficSecrets(s, ms, th);
    const session = await Session.create(this.sessionIDBytes, s, this.groupInfo!, this.rand, ms, client, server);
    this.erase();
    this.state = State.Done;
    return session;
  }

  /** Runs a step; if it fails, the handshake fails with it, its secrets erased. */
  private async failing<T>(step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (e) {
      this.fail();
      throw e;
    }
  }

  private fail(): void {
    this.erase();
    this.state = State.Failed;
  }

  private erasePrivates(): void {
    this.erasePrivatesExcept(-1);
  }

  /** Erases every ephemeral private key but keep's. */
  private erasePrivatesExcept(keep: number): void {
    for (const [id, p] of this.privates) {
      if (id === keep) continue;
      p.erase();
      this.privates.delete(id);
    }
  }

  /** Zeroes every secret the handshake holds: ephemeral keys and handshake secrets. */
  erase(): void {
    this.erasePrivates();
    erase(this.hs, this.clientHS, this.serverHS);
  }
}

/**
 * The challenge of a WebAuthn login (DESIGN.md §4, §11):
 * Hash("securemedia v1 webauthn login" ‖ 0x00 ‖ th), Hash being the
 * suite's hash and th the transcript hash over everything before the user
 * part. The authenticator's signature covers the client data that names
 * it, so an assertion proves the person took part in this handshake.
 */
export function webAuthnChallenge(s: SuiteInfo, th: Uint8Array): Bytes {
  return new Uint8Array(nobleHash(s.hash)(concat(utf8(CONTEXT_WEBAUTHN), Uint8Array.of(0), th)));
}
