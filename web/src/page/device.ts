// The browser's device identity (DESIGN.md §11): a non-extractable
// WebCrypto ECDSA P-256 key, kept in IndexedDB as a CryptoKey object
// (never its bytes), wrapped in a self-signed certificate made with
// @peculiar/x509 (CN "securemedia browser device", clientAuth, ten years)
// so that the handshake's device credential keeps its format. The same
// record names the WebAuthn credential this device registered (its id,
// public) and the viewer it was bound to. IndexedDB holds nothing else:
// no media, no session key.

import 'reflect-metadata';
import { ExtendedKeyUsageExtension, KeyUsageFlags, KeyUsagesExtension, X509CertificateGenerator } from '@peculiar/x509';
import { type Bytes, toHex } from '../bytes.js';

/** The subject of a browser device's certificate (server.BrowserDeviceCommonName). */
export const DEVICE_COMMON_NAME = 'securemedia browser device';

export interface Device {
  privateKey: CryptoKey;
  certificate: Bytes;
  /** The WebAuthn credential registered from this device, and its viewer. */
  credentialId?: Bytes;
  user?: string;
  name?: string;
}

const DB = 'securemedia';
const STORE = 'device';
const KEY = 'device';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function tx<T>(mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const req = op(db.transaction(STORE, mode).objectStore(STORE));
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  } finally {
    db.close();
  }
}

/** This browser's device, made on first use. */
export async function loadDevice(): Promise<Device> {
  const d = (await tx('readonly', (s) => s.get(KEY))) as Device | undefined;
  if (d?.privateKey && d.certificate) return d;
  const fresh = await makeDevice();
  await saveDevice(fresh);
  return fresh;
}

export async function saveDevice(d: Device): Promise<void> {
  await tx('readwrite', (s) => s.put(d, KEY));
}

/** A fresh device: the key pair (private key non-extractable) and its self-signed certificate. */
export async function makeDevice(): Promise<Device> {
  const keys = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])) as CryptoKeyPair;
  const serial = crypto.getRandomValues(new Uint8Array(8));
  serial[0]! &= 0x7f; // a positive serial
  const now = Date.now();
  const cert = await X509CertificateGenerator.createSelfSigned({
    serialNumber: toHex(serial),
    name: `CN=${DEVICE_COMMON_NAME}`,
    notBefore: new Date(now - 3600_000),
    notAfter: new Date(now + 10 * 365.25 * 86400_000),
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    keys,
    extensions: [new KeyUsagesExtension(KeyUsageFlags.digitalSignature, true), new ExtendedKeyUsageExtension(['1.3.6.1.5.5.7.3.2'])],
  });
  return { privateKey: keys.privateKey, certificate: new Uint8Array(cert.rawData) };
}
