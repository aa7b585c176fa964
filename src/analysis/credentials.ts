// Checks of a gateway TLS Secret the way istiod reads it (pilot/pkg/credentials/kube ExtractCertInfo and
// xds.ValidateCertificate): a cert/key pair under `cert`/`key` or `tls.crt`/`tls.key`, and a first PEM
// block that parses as a certificate valid now.

import { X509Certificate } from 'node:crypto';
import { Res } from './resource-index';
import { isRecord, rec } from './objects';

/** Secret data with `data` (base64) and `stringData` (plain) merged, as the API server would store it. */
export function secretData(secret: Res): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const data = rec(secret.raw.data);
  for (const [k, v] of Object.entries(data)) {
    if (typeof v !== 'string') continue;
    const compact = v.replace(/\s+/g, '');
    // Invalid base64 would be refused by the API server; treat it as an empty value.
    out.set(k, /^[A-Za-z0-9+/]*={0,2}$/.test(compact) ? Buffer.from(compact, 'base64') : Buffer.alloc(0));
  }
  if (isRecord(secret.raw.stringData)) {
    for (const [k, v] of Object.entries(secret.raw.stringData)) {
      if (typeof v === 'string') out.set(k, Buffer.from(v, 'utf8'));
    }
  }
  return out;
}

function nonEmpty(data: Map<string, Buffer>, ...keys: string[]): boolean {
  return keys.every((k) => (data.get(k)?.length ?? 0) > 0);
}

export interface CertPair {
  readonly cert: Buffer;
  /** Key names used: generic (`cert`/`key`/`cacert`) or TLS-secret style (`tls.crt`/`tls.key`/`ca.crt`). */
  readonly style: 'generic' | 'tls';
}

/** The certificate istiod would serve from this Secret, or the reason it would refuse it. */
export function extractCert(data: Map<string, Buffer>): CertPair | { problem: string } {
  if (nonEmpty(data, 'cert', 'key')) return { cert: data.get('cert')!, style: 'generic' };
  if (nonEmpty(data, 'tls.crt', 'tls.key')) return { cert: data.get('tls.crt')!, style: 'tls' };
  if (data.has('cert') && data.has('key')) return { problem: 'its keys "cert" and "key" are empty' };
  if (data.has('tls.crt') && data.has('tls.key')) return { problem: 'its keys "tls.crt" and "tls.key" are empty' };
  const found = [...data.keys()].sort().join(', ') || 'none';
  return { problem: `it has neither "tls.crt" and "tls.key" nor "cert" and "key" (found: ${found})` };
}

const BEGIN = '-----BEGIN ';
const END = '-----END ';
const DASHES = '-----';

/** The label of a `-----BEGIN <label>-----` / `-----END <label>-----` line starting at `at` (after the keyword), or undefined. */
function labelAt(text: string, at: number): string | undefined {
  let i = at;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const ok = (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 32; // A-Z 0-9 space
    if (!ok) break;
  }
  if (i === at || !text.startsWith(DASHES, i)) return undefined;
  return text.slice(at, i);
}

/**
 * The first PEM block (`-----BEGIN X-----` ... `-----END X-----`) in the text, found in linear time:
 * every END marker is indexed once, then each BEGIN is matched by a binary search. A regular
 * expression with a back-reference took quadratic time on a crafted certificate (21 s for 1 MB).
 */
export function firstPemBlock(text: string): { label: string; block: string } | undefined {
  const ends = new Map<string, number[]>();
  for (let e = text.indexOf(END); e >= 0; e = text.indexOf(END, e + END.length)) {
    const label = labelAt(text, e + END.length);
    if (label === undefined) continue;
    const list = ends.get(label);
    if (list) list.push(e);
    else ends.set(label, [e]);
  }
  for (let b = text.indexOf(BEGIN); b >= 0; b = text.indexOf(BEGIN, b + BEGIN.length)) {
    const label = labelAt(text, b + BEGIN.length);
    if (label === undefined) continue;
    const list = ends.get(label);
    if (!list) continue;
    const from = b + BEGIN.length + label.length + DASHES.length;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid] < from) lo = mid + 1;
      else hi = mid;
    }
    if (lo < list.length) {
      const e = list[lo];
      return { label, block: text.slice(b, e + END.length + label.length + DASHES.length) };
    }
  }
  return undefined;
}

/** Why the first PEM block is not a certificate valid at `now`; undefined when it is. */
export function certificateProblem(pem: Buffer, now: Date): string | undefined {
  const block = firstPemBlock(pem.toString('utf8'));
  if (!block) return 'the certificate is not PEM-encoded';
  if (block.label !== 'CERTIFICATE') return `the first PEM block is a ${block.label.slice(0, 40)}, not a CERTIFICATE`;
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(block.block);
  } catch {
    return 'the certificate cannot be parsed';
  }
  const notBefore = Date.parse(x509.validFrom);
  const notAfter = Date.parse(x509.validTo);
  const t = now.getTime();
  if (!Number.isNaN(notAfter) && t > notAfter) return `the certificate expired on ${new Date(notAfter).toISOString()}`;
  if (!Number.isNaN(notBefore) && t < notBefore) return `the certificate is not valid before ${new Date(notBefore).toISOString()}`;
  return undefined;
}

/** Whether the Secret carries a CA bundle for mutual TLS (`cacert` or `ca.crt`, as istiod's ExtractRoot reads it). */
export function hasCaCert(data: Map<string, Buffer>): boolean {
  return nonEmpty(data, 'cacert') || nonEmpty(data, 'ca.crt');
}
