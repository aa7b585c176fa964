// The Gateway API v1.5.1 CRDs (schemas and CEL rules) as bundled in the package's schemas/ folder,
// for tests that validate what the Gateway API flavour and `migrate` emit.
import * as path from 'path';
import { CrdSet, formatIssue, loadCrds, validateObjects } from '../../src/validation';

const cache = new Map<string, CrdSet>();

export function gatewayApiCrds(channel: 'standard' | 'experimental'): CrdSet {
  let set = cache.get(channel);
  if (!set) {
    set = loadCrds([path.resolve(__dirname, `../../schemas/gateway-api-v1.5.1-${channel}.json`)]);
    cache.set(channel, set);
  }
  return set;
}

/**
 * Validates `objects` against the channel's CRDs (the standard channel unless a TCPRoute is among
 * them) and the core Kubernetes schemas: the error lines (none when valid), and the CEL rules the
 * validator skipped, which must be only those using functions it lacks.
 */
export function gatewayApiIssues(objects: object[]): { errors: string[]; skipped: string[] } {
  const channel = objects.some((o) => (o as { kind?: string }).kind === 'TCPRoute') ? 'experimental' : 'standard';
  const r = validateObjects(objects, { crds: gatewayApiCrds(channel) });
  return { errors: r.errors.map(formatIssue), skipped: [...new Set(r.skipped.map((s) => s.rule))] };
}
