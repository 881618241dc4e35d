// The page's side of WebAuthn (W3C Web Authentication Level 3): the
// server's creation options (JSON) to navigator.credentials.create and
// the credential back as JSON, and navigator.credentials.get with the
// handshake's challenge (DESIGN.md §4: the suite's hash over a context
// and the transcript) to the assertion the ClientFinish carries.

import type { Bytes } from '../bytes.js';
import type { WebAuthnAssertion } from '../handshake_client.js';

/** A refusal or cancellation of the authenticator. */
export class AuthenticatorError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AuthenticatorError';
  }
}

type PKC = typeof PublicKeyCredential & {
  parseCreationOptionsFromJSON(o: unknown): PublicKeyCredentialCreationOptions;
};

/** Makes a credential from the server's creation options; returns the credential's JSON and raw id. */
export async function createCredential(optionsJSON: string): Promise<{ json: string; id: Bytes }> {
  const parsed = JSON.parse(optionsJSON) as { publicKey?: unknown };
  const publicKey = (PublicKeyCredential as PKC).parseCreationOptionsFromJSON(parsed.publicKey ?? parsed);
  let cred: PublicKeyCredential | null;
  try {
    cred = (await navigator.credentials.create({ publicKey })) as PublicKeyCredential | null;
  } catch (e) {
    throw new AuthenticatorError(`the security key did not register: ${(e as Error).message}`, { cause: e });
  }
  if (!cred) throw new AuthenticatorError('no credential was made');
  return { json: JSON.stringify(cred.toJSON()), id: new Uint8Array(cred.rawId) };
}

/** An assertion over challenge, by the credential of this device when it knows it. */
export function assertWith(rpId: string, credentialId?: Bytes) {
  return async (challenge: Bytes): Promise<WebAuthnAssertion> => {
    let cred: PublicKeyCredential | null;
    try {
      cred = (await navigator.credentials.get({
        publicKey: {
          challenge: challenge as BufferSource,
          rpId,
          allowCredentials: credentialId ? [{ type: 'public-key', id: credentialId as BufferSource }] : [],
          userVerification: 'preferred',
          timeout: 120_000,
        },
      })) as PublicKeyCredential | null;
    } catch (e) {
      throw new AuthenticatorError(`the security key did not sign: ${(e as Error).message}`, { cause: e });
    }
    if (!cred) throw new AuthenticatorError('no assertion');
    const r = cred.response as AuthenticatorAssertionResponse;
    return {
      credentialId: new Uint8Array(cred.rawId),
      authenticatorData: new Uint8Array(r.authenticatorData),
      clientDataJSON: new Uint8Array(r.clientDataJSON),
      signature: new Uint8Array(r.signature),
    };
  };
}
