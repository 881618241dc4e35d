// A browser viewer's registration (DESIGN.md §11), as message/register.go:
// inside a session of the new device without a user, register-options
// turns an invite into WebAuthn creation options (JSON), and register
// hands the credential the browser made (JSON) back with a display name.

import { type Bytes, Writer } from './bytes.js';
import { decode, MalformedOperation, readString, writeString } from './ops.js';

const MAX_INVITE = 255;
const MAX_DISPLAY_NAME = 1024;

function invite(w: Writer, code: string): Writer {
  const n = new TextEncoder().encode(code).length;
  if (n === 0 || n > MAX_INVITE) throw new Error('register: an invite code of 1 to 255 bytes');
  return writeString(w, 1, code);
}

/** invite_code<1..255>. */
export function marshalRegisterOptionsRequest(code: string): Bytes {
  return invite(new Writer(), code).finish();
}

/** options_json<1..2^16-1>: PublicKeyCredentialCreationOptionsJSON. */
export function parseRegisterOptionsResponse(data: Uint8Array): string {
  const json = decode((r) => readString(r, 2, 0xffff), data);
  if (json === '') throw new MalformedOperation();
  return json;
}

/** invite_code<1..255> ‖ credential_json<1..2^16-1> ‖ display_name<0..2^16-1>. */
export function marshalRegisterRequest(code: string, credentialJSON: string, name: string): Bytes {
  const cred = new TextEncoder().encode(credentialJSON);
  if (cred.length === 0 || cred.length > 0xffff) throw new Error('register: credential JSON too large');
  const w = invite(new Writer(), code).prefixed(2, (x) => x.bytes(cred));
  return writeString(w, 2, name.slice(0, MAX_DISPLAY_NAME)).finish();
}

/** The registered viewer: user_id<1..255> ‖ display_name<0..2^16-1>. */
export function parseRegisterResponse(data: Uint8Array): { user: string; name: string } {
  const r = decode((x) => ({ user: readString(x, 1), name: readString(x, 2, MAX_DISPLAY_NAME) }), data);
  if (r.user === '') throw new MalformedOperation();
  return r;
}
