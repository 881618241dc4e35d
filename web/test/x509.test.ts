// The browser's chain validator against a throwaway PKI made here with
// @peculiar/x509 (root, intermediate, leaves, CRLs): what it accepts, and
// each refusal of DESIGN.md §5 (unknown root, revoked, no CRL, stale or
// forged CRL, a CRL number going back, wrong usage or name, expired, an
// unknown critical extension). The live test validates the real server's
// chain with the server's own stapled CRLs.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import 'reflect-metadata';
import {
  BasicConstraintsExtension,
  ExtendedKeyUsageExtension,
  Extension,
  KeyUsageFlags,
  KeyUsagesExtension,
  SubjectAlternativeNameExtension,
  X509CertificateGenerator,
  X509CrlGenerator,
  type X509Certificate,
} from '@peculiar/x509';
import { AsnConvert } from '@peculiar/asn1-schema';
import { CRLNumber } from '@peculiar/asn1-x509';
import { ChainError, Usage, Validator } from '../src/x509.js';

const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const day = 86400_000;
const now = Date.UTC(2026, 5, 1);

const keys = () => crypto.subtle.generateKey(alg, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;
let serial = 1;

async function issue(
  subject: string,
  issuer: { name: string; keys: CryptoKeyPair } | null,
  own: CryptoKeyPair,
  ext: Extension[],
  validity: [number, number] = [now - day, now + 365 * day],
): Promise<X509Certificate> {
  const common = { serialNumber: (serial++).toString(16).padStart(2, '0'), notBefore: new Date(validity[0]), notAfter: new Date(validity[1]), signingAlgorithm: alg, extensions: ext };
  if (!issuer) return X509CertificateGenerator.createSelfSigned({ ...common, name: subject, keys: own });
  return X509CertificateGenerator.create({ ...common, subject, issuer: issuer.name, publicKey: own.publicKey, signingKey: issuer.keys.privateKey });
}

const ca = () => [new BasicConstraintsExtension(true, undefined, true), new KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true)];
const leafExt = (eku: string, names: string[] = []) => [
  new KeyUsagesExtension(KeyUsageFlags.digitalSignature, true),
  new ExtendedKeyUsageExtension([eku]),
  ...(names.length ? [new SubjectAlternativeNameExtension(names.map((n) => ({ type: /^[\d.]+$/.test(n) ? ('ip' as const) : ('dns' as const), value: n })))] : []),
];

async function crl(issuer: { name: string; keys: CryptoKeyPair }, number: number, revoked: string[] = [], validity: [number, number] = [now - day, now + 7 * day]) {
  const der = await X509CrlGenerator.create({
    issuer: issuer.name,
    thisUpdate: new Date(validity[0]),
    nextUpdate: new Date(validity[1]),
    signingAlgorithm: alg,
    signingKey: issuer.keys.privateKey,
    entries: revoked.map((s) => ({ serialNumber: s, revocationDate: new Date(now - day) })),
    extensions: [new Extension('2.5.29.20', false, AsnConvert.serialize(new CRLNumber(number)))],
  });
  return new Uint8Array(der.rawData);
}

const der = (c: X509Certificate) => new Uint8Array(c.rawData);

async function pki() {
  const rootKeys = await keys();
  const intKeys = await keys();
  const root = { name: 'CN=test root', keys: rootKeys };
  const inter = { name: 'CN=test intermediate', keys: intKeys };
  const rootCert = await issue(root.name, null, rootKeys, ca());
  const intCert = await issue(inter.name, root, intKeys, ca());
  const server = await issue('CN=localhost', inter, await keys(), leafExt('1.3.6.1.5.5.7.3.1', ['localhost', '127.0.0.1']));
  const content = await issue('CN=content signer', inter, await keys(), leafExt('1.3.6.1.4.1.59999.1.3.1'));
  const crls = [await crl(root, 1), await crl(inter, 1)];
  return { root, inter, rootCert, intCert, server, content, crls };
}

test('a chain under the configured root with current CRLs validates, for its usage and name only', async () => {
  const p = await pki();
  const v = new Validator({ root: der(p.rootCert), now: () => now });
  v.staple(p.crls);
  const chain = [der(p.server), der(p.intCert)];
  assert.deepEqual(await v.verify(chain, Usage.Server, 'localhost'), der(p.server));
  assert.deepEqual(await v.verify([...chain, der(p.rootCert)], Usage.Server, '127.0.0.1'), der(p.server), 'the root at the end');
  assert.deepEqual(await v.verify([der(p.content), der(p.intCert)], Usage.Content), der(p.content));
  await assert.rejects(v.verify(chain, Usage.Server, 'example.org'), /not a certificate for example.org/);
  await assert.rejects(v.verify(chain, Usage.Content), /not a content certificate/);
  await assert.rejects(v.verify([der(p.content), der(p.intCert)], Usage.Server, 'localhost'), /not a server certificate/);
  await assert.rejects(v.verify([der(p.server)], Usage.Server, 'localhost'), /not issued under the configured root/, 'the intermediate missing');
});

test('another root, a revoked certificate, a missing, stale, forged or older CRL are refused', async () => {
  const p = await pki();
  const chain = [der(p.server), der(p.intCert)];
  const other = await pki();
  const check = async (crls: Uint8Array[], want: RegExp, root = p.rootCert, at = now) => {
    const v = new Validator({ root: der(root), now: () => at });
    v.staple(crls);
    await assert.rejects(v.verify(chain, Usage.Server, 'localhost'), (e) => e instanceof ChainError && want.test(e.message));
  };
  await check(p.crls, /not issued under the configured root/, other.rootCert);
  await check([p.crls[0]!, await crl(p.inter, 2, [p.server.serialNumber])], /revoked/);
  await check([await crl(p.root, 2, [p.intCert.serialNumber]), p.crls[1]!], /CN=test intermediate: revoked/);
  await check([p.crls[0]!], /no CRL of CN=test intermediate/);
  await check([p.crls[0]!, await crl(p.inter, 2, [], [now - 10 * day, now - day])], /not current/);
  await check([p.crls[0]!, await crl({ name: p.inter.name, keys: other.inter.keys }, 2)], /signature does not verify/);
  await check(p.crls, /not valid now/, p.rootCert, now + 2 * 365 * day);

  const v = new Validator({ root: der(p.rootCert), now: () => now });
  v.staple([p.crls[0]!, await crl(p.inter, 5)]);
  await v.verify(chain, Usage.Server, 'localhost');
  v.staple([p.crls[0]!, await crl(p.inter, 4)]);
  await assert.rejects(v.verify(chain, Usage.Server, 'localhost'), /CRL number 4 is older than 5/);
  v.staple([p.crls[0]!, await crl(p.inter, 5)]);
  await v.verify(chain, Usage.Server, 'localhost');
});

test('an unknown critical extension, a leaf as issuer and a forged signature are refused', async () => {
  const p = await pki();
  const v = new Validator({ root: der(p.rootCert), now: () => now });
  v.staple(p.crls);
  const critical = await issue('CN=localhost', p.inter, await keys(), [...leafExt('1.3.6.1.5.5.7.3.1', ['localhost']), new Extension('1.2.3.4', true, new Uint8Array([5, 0]))]);
  await assert.rejects(v.verify([der(critical), der(p.intCert)], Usage.Server, 'localhost'), /unknown critical extension 1.2.3.4/);
  const leafKeys = await keys();
  const leafAsCA = await issue('CN=leaf ca', p.inter, leafKeys, leafExt('1.3.6.1.5.5.7.3.1'));
  const below = await issue('CN=localhost', { name: 'CN=leaf ca', keys: leafKeys }, await keys(), leafExt('1.3.6.1.5.5.7.3.1', ['localhost']));
  await assert.rejects(v.verify([der(below), der(leafAsCA), der(p.intCert)], Usage.Server, 'localhost'), /not a CA/);
  const forged = await issue('CN=localhost', { name: p.inter.name, keys: await keys() }, await keys(), leafExt('1.3.6.1.5.5.7.3.1', ['localhost']));
  await assert.rejects(v.verify([der(forged), der(p.intCert)], Usage.Server, 'localhost'), /signature does not verify/);
  assert.throws(() => v.staple([Uint8Array.of(1, 2, 3)]), /malformed/);
});
