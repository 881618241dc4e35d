// What the handshake needs of a certificate: its subject public key. Chain
// validation (against the root the page is configured with, with the
// stapled CRLs of DESIGN.md §4) belongs to the peer verifier that the
// ClientConfig is given, as Config.VerifyPeer in Go.

import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import { type Bytes, copy } from './bytes.js';

/** The DER SubjectPublicKeyInfo of a DER certificate. */
export function subjectPublicKeyInfo(der: Uint8Array): Bytes {
  const cert = AsnConvert.parse(copy(der), Certificate);
  return new Uint8Array(AsnConvert.serialize(cert.tbsCertificate.subjectPublicKeyInfo));
}
