// virtualservice.JWTClaimRouteAnalyzer (Istio 1.30): a VirtualService that routes on a JWT claim
// (`@request.auth.claims.*` header match) at a gateway whose pods no RequestAuthentication selects:
// the claims are never extracted, so the route never matches (IST0149).

import { shortOrFullName } from '../hosts';
import { Labels, selectorMatches } from '../labels';
import { MESSAGES } from '../messages';
import { isRecord, rec, recs, strMap, strs } from '../objects';
import { Analyzer } from './framework';
import { podsOrTemplates } from './in-mesh';

const CLAIM_HEADER = '@request.auth.claims';

/** Istio's jwt.ToRoutingClaim(...).Match: `@request.auth.claims.a.b` or `@request.auth.claims[a][b]`. */
function isClaimHeader(name: string): boolean {
  if (!name.toLowerCase().startsWith(CLAIM_HEADER)) return false;
  const rest = name.slice(CLAIM_HEADER.length);
  return (rest.startsWith('.') && rest.length > 1) || (rest.startsWith('[') && rest.endsWith(']') && rest.length > 2);
}

function claimHeaderOf(field: unknown): string | undefined {
  return isRecord(field) ? Object.keys(field).find(isClaimHeader) : undefined;
}

function claimKey(spec: Record<string, unknown>): string | undefined {
  const http = recs(spec.http);
  for (let i = 0; i < http.length; i++) {
    const matches = recs(http[i].match);
    for (let j = 0; j < matches.length; j++) {
      const match = matches[j];
      // (Two reads, not a loop over a new array of the two: one array per match of every VirtualService.)
      const key = claimHeaderOf(match.headers) ?? claimHeaderOf(match.withoutHeaders);
      if (key !== undefined) return key;
    }
  }
  return undefined;
}

export const jwtClaimRouteAnalyzer: Analyzer = {
  name: 'virtualservice.JWTClaimRouteAnalyzer',
  run(ctx) {
    const raByNs = new Map<string, Labels[]>();
    for (const ra of ctx.index.list('RequestAuthentication')) {
      raByNs.set(ra.namespace, [...(raByNs.get(ra.namespace) ?? []), strMap(rec(ra.spec.selector).matchLabels)]);
    }
    const vss = ctx.index.list('VirtualService');
    for (let i = 0; i < vss.length; i++) {
      const vs = vss[i];
      const key = claimKey(vs.spec);
      if (key === undefined) continue;
      for (const gwName of strs(vs.spec.gateways)) {
        if (gwName === 'mesh') continue;
        const ref = shortOrFullName(vs.namespace, gwName);
        const gw = ctx.index.get('Gateway', ref.namespace, ref.name);
        if (!gw) continue;
        // The gateway's Pods (or, before deploy, its pod templates), in every namespace.
        for (const w of podsOrTemplates(ctx.index, strMap(gw.spec.selector))) {
          const selectors = [...(raByNs.get('istio-system') ?? []), ...(raByNs.get(w.namespace) ?? [])];
          if (selectors.some((s) => selectorMatches(s, w.labels))) continue;
          ctx.report(vs, MESSAGES.JwtClaimBasedRoutingWithoutRequestAuthN, [key, `${ref.namespace}/${ref.name}`, w.description],
            `Fix: add a RequestAuthentication in namespace "${w.namespace}"${w.namespace === 'istio-system' ? '' : ' (or istio-system)'} whose selector matches the gateway's pods, `
            + 'so that the JWT is validated and its claims are available for routing.');
        }
      }
    }
  },
};
