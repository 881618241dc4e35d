// The securemedia session protocol in the browser (DESIGN.md §4 and §11):
// the client side of protocol/, on WebCrypto and audited libraries.

export { type Bytes, fromHex, toHex } from './bytes.js';
export * from './constants.js';
export { AlertCode, OutOfOrder, ProtocolError, RecordRejected, SessionClosed } from './errors.js';
export { type RandomSource, systemRandom } from './random.js';
export { Suite, type SuiteID, type SuiteInfo, defaultSuites, parseSuite, suiteName } from './suites.js';
export { Group, type GroupID, type GroupInfo, defaultGroups, parseGroup, groupName } from './groups.js';
export { type ClientConfig, ClientHandshake, type WebAuthnAssertion, webAuthnChallenge } from './handshake_client.js';
export { type Opened, Session } from './session.js';
export { RecordReader, RecordType, recordSequence, recordTypeOf } from './record.js';
export { Op, Status, FLAG_REKEY_DUE, type Request, type Response, type ErrorBody, type MediaInfo, type LicenseState, marshalRequest, parseResponse, parseErrorBody } from './ops.js';
export { type Offer, type LicenseInfo, type PlayResponse, type RenewResponse } from './licenses.js';
export { Manifest, ManifestError, ChunkIntegrityError } from './manifest.js';
export { ChainError, Usage, Validator } from './x509.js';
export { type ChunkSink, PaymentRequiredError, type PlayOptions, type PlayStats, Viewer, type ViewerConfig } from './viewer.js';
export { Scheme, type SchemeID, InvalidSignature, verify as verifySignature, sign as signTranscript } from './signature.js';
export { subjectPublicKeyInfo } from './certificate.js';
export { type Backoff, ChannelError, Connection, type DialOptions, type Exchange, ProblemError, StatusError, TransportError } from './transport.js';
export { benchmarkPlay, startPage } from './page/app.js';
