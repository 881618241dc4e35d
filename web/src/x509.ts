// Chain validation in the browser (DESIGN.md §5, §11), with @peculiar/x509:
// the server's chain and the content signer's chain, against the one root
// the page is configured with, with the CRLs the server stapled to its
// signed flight (DESIGN.md §4 "Stapled CRLs"). It follows the Go
// validator (pki/validator.go) for what a browser meets: a path of
// certificates each issued (name and signature) by the next, up to the
// root; validity; CA constraints and key usages; the leaf's extended key
// usage (and, for a server, its name); no unknown critical extension; and
// for every certificate under the root a CRL of its issuer, signed by the
// issuer, fresh, whose number never goes back, that does not list it.

import 'reflect-metadata';
import { AsnConvert } from '@peculiar/asn1-schema';
import { CRLNumber } from '@peculiar/asn1-x509';
import {
  BasicConstraintsExtension,
  ExtendedKeyUsageExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  SubjectAlternativeNameExtension,
  X509Certificate,
  X509Crl,
} from '@peculiar/x509';
import { type Bytes, equal, toHex } from './bytes.js';
import { MAX_CERTIFICATES } from './constants.js';

/** What a chain is validated for: the leaf's extended key usage. */
export enum Usage {
  /** A server (serverAuth), whose certificate must also name the host. */
  Server = 'server',
  /** A content signer: it signs the manifests (pki.OIDContentSigning). */
  Content = 'content',
  /** A license signer: it signs license tokens (pki.OIDLicenseSigning). */
  License = 'license',
}

const EKU: Record<Usage, string> = {
  [Usage.Server]: '1.3.6.1.5.5.7.3.1',
  [Usage.Content]: '1.3.6.1.4.1.59999.1.3.1',
  [Usage.License]: '1.3.6.1.4.1.59999.1.3.2',
};

/** Certificate extensions this validator understands (RFC 5280 §4.2). */
const KNOWN_CERT_EXTENSIONS = new Set([
  '2.5.29.14', // subjectKeyIdentifier
  '2.5.29.15', // keyUsage
  '2.5.29.17', // subjectAltName
  '2.5.29.19', // basicConstraints
  '2.5.29.31', // cRLDistributionPoints
  '2.5.29.32', // certificatePolicies
  '2.5.29.35', // authorityKeyIdentifier
  '2.5.29.37', // extKeyUsage
]);

/** CRL extensions this validator understands (RFC 5280 §5.2). */
const KNOWN_CRL_EXTENSIONS = new Set([
  '2.5.29.20', // cRLNumber
  '2.5.29.35', // authorityKeyIdentifier
]);
const OID_CRL_NUMBER = '2.5.29.20';

/** A chain, a CRL or a name that does not validate. */
export class ChainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChainError';
  }
}

export interface ValidatorOptions {
  /** The one trust anchor (DER), the root the page is configured with. */
  root: Uint8Array;
  /** The clock (default Date.now). */
  now?: () => number;
}

function nameKey(c: X509Certificate | X509Crl, which: 'subject' | 'issuer'): string {
  const n = which === 'subject' && c instanceof X509Certificate ? c.subjectName : c.issuerName;
  return toHex(new Uint8Array(n.toArrayBuffer()));
}

function keyUsage(c: X509Certificate): number | null {
  const ku = c.getExtension(KeyUsagesExtension);
  return ku ? ku.usages : null;
}

function parse(der: Uint8Array, what: string): X509Certificate {
  try {
    return new X509Certificate(der.slice());
  } catch {
    throw new ChainError(`${what}: malformed certificate`);
  }
}

/**
 * Validates chains against one root with stapled CRLs. It keeps the CRLs
 * of the last handshake (for the content and license chains after it) and
 * the highest CRL number it accepted per issuer, so a replayed older CRL
 * is refused.
 */
export class Validator {
  private readonly root: X509Certificate;
  private readonly rootDER: Bytes;
  private readonly now: () => number;
  private crls: X509Crl[] = [];
  private readonly highest = new Map<string, bigint>();

  constructor(o: ValidatorOptions) {
    this.rootDER = o.root.slice();
    this.root = parse(this.rootDER, 'root');
    this.now = o.now ?? Date.now;
  }

  /**
   * Puts the CRLs a server stapled to its signed flight in place of those
   * it stapled before. They are checked when used (signature and issuer,
   * freshness, number); a CRL that does not parse refuses the set.
   */
  staple(crls: Uint8Array[]): void {
    const parsed: X509Crl[] = [];
    for (const [i, der] of crls.entries()) {
      try {
        parsed.push(new X509Crl(der.slice()));
      } catch {
        throw new ChainError(`stapled CRL ${i + 1}: malformed`);
      }
    }
    this.crls = parsed;
  }

  /**
   * Validates chain (DER, leaf first, the root optional at its end) for
   * usage and returns the leaf (DER). For a server, serverName (the page's
   * host) must be among the leaf's DNS or IP names.
   */
  async verify(chain: Uint8Array[], usage: Usage, serverName?: string): Promise<Bytes> {
    if (chain.length === 0 || chain.length > MAX_CERTIFICATES) throw new ChainError(`a chain of ${chain.length} certificates`);
    const now = new Date(this.now());
    const certs = chain.map((d, i) => parse(d, `certificate ${i + 1}`));
    const path = await this.buildPath(certs);
    for (const [i, c] of path.entries()) {
      const what = i === 0 ? 'leaf' : i === path.length - 1 ? 'root' : `CA ${c.subject}`;
      if (now < c.notBefore || now > c.notAfter) throw new ChainError(`${what}: not valid now (${c.notBefore.toISOString()} to ${c.notAfter.toISOString()})`);
      for (const e of c.extensions) if (e.critical && !KNOWN_CERT_EXTENSIONS.has(e.type)) throw new ChainError(`${what}: unknown critical extension ${e.type}`);
      if (i > 0) this.checkCA(c, i - 1, what);
    }
    this.checkLeaf(path[0]!, usage, serverName);
    for (let i = 0; i < path.length - 1; i++) await this.checkRevocation(path[i]!, path[i + 1]!, now);
    return new Uint8Array(path[0]!.rawData);
  }

  /**
   * The path from the leaf to the root: each certificate's issuer is the
   * next of the chain sent, or the root, by name and by signature. A
   * chain that does not reach the configured root is refused.
   */
  private async buildPath(certs: X509Certificate[]): Promise<X509Certificate[]> {
    const path = [certs[0]!];
    const pool = certs.slice(1).filter((c) => !equal(new Uint8Array(c.rawData), this.rootDER));
    for (;;) {
      const cur = path[path.length - 1]!;
      if (equal(new Uint8Array(cur.rawData), this.rootDER)) return path;
      const issuerName = nameKey(cur, 'issuer');
      if (nameKey(this.root, 'subject') === issuerName && (await this.signedBy(cur, this.root))) {
        path.push(this.root);
        return path;
      }
      const next = pool.findIndex((c) => nameKey(c, 'subject') === issuerName);
      if (next < 0 || path.length >= MAX_CERTIFICATES) throw new ChainError(`${cur.subject}: not issued under the configured root`);
      const issuer = pool.splice(next, 1)[0]!;
      if (!(await this.signedBy(cur, issuer))) throw new ChainError(`${cur.subject}: signature does not verify under ${issuer.subject}`);
      path.push(issuer);
    }
  }

  private async signedBy(c: X509Certificate, issuer: X509Certificate): Promise<boolean> {
    try {
      return await c.verify({ publicKey: issuer.publicKey, signatureOnly: true });
    } catch {
      return false;
    }
  }

  /** An issuer: a CA, allowed to sign certificates, below its path length (RFC 5280 §6.1.4). */
  private checkCA(c: X509Certificate, below: number, what: string): void {
    const bc = c.getExtension(BasicConstraintsExtension);
    if (!bc?.ca) throw new ChainError(`${what}: not a CA`);
    if (bc.pathLength !== undefined && below - 1 > bc.pathLength) throw new ChainError(`${what}: path length exceeded`);
    const ku = keyUsage(c);
    if (ku !== null && !(ku & KeyUsageFlags.keyCertSign)) throw new ChainError(`${what}: may not sign certificates`);
  }

  private checkLeaf(leaf: X509Certificate, usage: Usage, serverName?: string): void {
    const ku = keyUsage(leaf);
    if (ku !== null && !(ku & KeyUsageFlags.digitalSignature)) throw new ChainError('leaf: may not sign');
    const eku = leaf.getExtension(ExtendedKeyUsageExtension);
    if (!eku || !eku.usages.map(String).includes(EKU[usage])) throw new ChainError(`leaf: not a ${usage} certificate`);
    if (usage === Usage.Server) {
      if (!serverName) throw new ChainError('no server name to check');
      const host = serverName.replace(/^\[|\]$/g, '').toLowerCase();
      const names = leaf.getExtension(SubjectAlternativeNameExtension)?.names.items ?? [];
      const ok = names.some((n) => (n.type === 'dns' || n.type === 'ip') && n.value.toLowerCase() === host);
      if (!ok) throw new ChainError(`leaf: not a certificate for ${host}`);
    }
  }

  /**
   * RFC 5280 §6.3: a CRL of c's issuer, signed by the issuer (which may
   * sign CRLs), current, with no unknown critical extension and a number
   * not below one accepted before, must not list c.
   */
  private async checkRevocation(c: X509Certificate, issuer: X509Certificate, now: Date): Promise<void> {
    const issuerName = nameKey(c, 'issuer');
    const candidates = this.crls.filter((l) => nameKey(l, 'issuer') === issuerName);
    if (candidates.length === 0) throw new ChainError(`${c.subject}: no CRL of ${issuer.subject} (revocation cannot be checked)`);
    let reason = '';
    for (const crl of candidates) {
      const ku = keyUsage(issuer);
      if (ku !== null && !(ku & KeyUsageFlags.cRLSign)) {
        reason = `${issuer.subject} may not sign CRLs`;
        continue;
      }
      let signed = false;
      try {
        signed = await crl.verify({ publicKey: issuer.publicKey });
      } catch {
        signed = false;
      }
      if (!signed) {
        reason = 'a CRL whose signature does not verify';
        continue;
      }
      if (crl.extensions.some((e) => e.critical && !KNOWN_CRL_EXTENSIONS.has(e.type))) {
        reason = 'a CRL with an unknown critical extension';
        continue;
      }
      if (crl.thisUpdate > now || !crl.nextUpdate || crl.nextUpdate <= now) {
        reason = `a CRL not current (${crl.thisUpdate.toISOString()} to ${crl.nextUpdate?.toISOString() ?? 'no next update'})`;
        continue;
      }
      const number = crlNumber(crl);
      const seen = this.highest.get(issuerName);
      if (seen !== undefined && number < seen) throw new ChainError(`${issuer.subject}: CRL number ${number} is older than ${seen}, already seen`);
      this.highest.set(issuerName, number);
      if (crl.findRevoked(c)) throw new ChainError(`${c.subject}: revoked`);
      return;
    }
    throw new ChainError(`${c.subject}: ${reason}`);
  }
}

/** A CRL's cRLNumber (RFC 5280 §5.2.3); -1 when it has none. */
function crlNumber(crl: X509Crl): bigint {
  const ext = crl.getExtension(OID_CRL_NUMBER);
  if (!ext) return -1n;
  return BigInt(AsnConvert.parse(ext.value, CRLNumber).value);
}
