// Protocol failures. The peer sees only the class of a failure; the detail
// stays local (no oracle: a bad MAC, a bad signature and a replay look the
// same from outside, DESIGN.md §4).

/** The class of a protocol failure (the values of the Go implementation). */
export enum AlertCode {
  DecodeError = 1,
  ProtocolVersion = 2,
  /** No common suite or group, a bad share. */
  HandshakeFailure = 3,
  /** A chain did not validate. */
  BadCertificate = 4,
  /** A signature or Finished check failed. */
  DecryptError = 5,
  /** A record failed authentication, replay or framing. */
  BadRecord = 6,
  Internal = 7,
}

const alertNames: Record<AlertCode, string> = {
  [AlertCode.DecodeError]: 'decode error',
  [AlertCode.ProtocolVersion]: 'protocol version',
  [AlertCode.HandshakeFailure]: 'handshake failure',
  [AlertCode.BadCertificate]: 'bad certificate',
  [AlertCode.DecryptError]: 'decrypt error',
  [AlertCode.BadRecord]: 'bad record',
  [AlertCode.Internal]: 'internal error',
};

/** A protocol failure: a code and a local detail. */
export class ProtocolError extends Error {
  constructor(
    readonly code: AlertCode,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`protocol: ${alertNames[code] ?? `alert(${code})`}: ${detail}`, options);
    this.name = 'ProtocolError';
  }
}

/**
 * The one error for a record that failed authentication, the replay
 * window or framing; the detail is for the local log only.
 */
export class RecordRejected extends Error {
  constructor(readonly detail: string) {
    super(`record rejected: ${detail}`);
    this.name = 'RecordRejected';
  }
}

/** A Session used after close or after a fatal error. */
export class SessionClosed extends Error {
  constructor() {
    super('session closed');
    this.name = 'SessionClosed';
  }
}

/** Calling the handshake's steps out of order: a programming error. */
export class OutOfOrder extends Error {
  constructor(step: string) {
    super(`protocol: ${step} called out of order`);
    this.name = 'OutOfOrder';
  }
}
