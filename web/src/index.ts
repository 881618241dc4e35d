// The securemedia session protocol in the browser (DESIGN.md §4 and §11):
// the client side of protocol/, on WebCrypto and audited libraries.

export { type Bytes, fromHex, toHex } from './bytes.js';
export * from './constants.js';
export { AlertCode, OutOfOrder, ProtocolError, RecordRejected, SessionClosed } from './errors.js';
export { type RandomSource, systemRandom } from './random.js';
export { Suite, type SuiteID, type SuiteInfo, defaultSuites, parseSuite, suiteName } from './suites.js';
export { Group, type GroupID, type GroupInfo, defaultGroups, parseGroup, groupName } from './groups.js';
export { type ClientConfig, ClientHandshake } from './handshake_client.js';
export { type Opened, Session } from './session.js';
export { RecordReader, RecordType, recordSequence, recordTypeOf } from './record.js';
export { Op, Status, FLAG_REKEY_DUE, type Request, type Response, type ErrorBody, marshalRequest, parseResponse, parseErrorBody } from './ops.js';
export { Scheme, type SchemeID, InvalidSignature, verify as verifySignature, sign as signTranscript } from './signature.js';
export { subjectPublicKeyInfo } from './certificate.js';
export { ChannelError, Connection, type DialOptions, type Exchange, ProblemError, StatusError } from './transport.js';
