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

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/;

/** Why the first PEM block is not a certificate valid at `now`; undefined when it is. */
export function certificateProblem(pem: Buffer, now: Date): string | undefined {
  const block = PEM_BLOCK.exec(pem.toString('utf8'));
  if (!block) return 'the certificate is not PEM-encoded';
  if (block[1] !== 'CERTIFICATE') return `the first PEM block is a ${block[1]}, not a CERTIFICATE`;
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(block[0]);
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
