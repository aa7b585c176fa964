// The route-order checks that Istio 1.30 runs as part of VirtualService validation and reports through
// schema.ValidationAnalyzer.VirtualService: rules that can never be reached (IST0130) and matches that an
// earlier match already takes (IST0131). Schema errors themselves are `istio-gateway validate`'s job.

import { MESSAGES } from '../messages';
import { Dict, int, isRecord, rec, str } from '../objects';
import { Res } from '../resource-index';
import { AnalysisContext, Analyzer } from './framework';

/** Matches are a few levels deep; anything deeper (or cyclic, from a caller's own objects) is not a valid match. */
const MAX_DEPTH = 16;

const TOO_DEEP = JSON.stringify('\u0000too-deep');

/**
 * A canonical JSON text of a match, for equality: keys sorted, empty and default values dropped (as
 * proto JSON omits them); undefined when nothing is left. Written directly: a sorted copy of the match
 * and then its JSON were built for every match before (two matches are equal exactly when these
 * texts are, as with that copy's JSON). `skipName` drops the top-level `name` (an http match's name
 * does not change what it matches).
 */
function canonicalJson(v: unknown, depth: number, skipName: boolean): string | undefined {
  if (depth > MAX_DEPTH) return TOO_DEEP;
  if (Array.isArray(v)) {
    if (v.length === 0) return undefined;
    let s = '[';
    for (let i = 0; i < v.length; i++) s += `${i > 0 ? ',' : ''}${canonicalJson(v[i], depth + 1, false) ?? 'null'}`;
    return `${s}]`;
  }
  if (isRecord(v)) {
    // Keys as data: a header named __proto__ is a key like any other.
    let s = '';
    for (const k of Object.keys(v).sort()) {
      if (skipName && k === 'name') continue;
      const c = canonicalJson(v[k], depth + 1, false);
      if (c !== undefined) s += `${s.length > 0 ? ',' : ''}${JSON.stringify(k)}:${c}`;
    }
    return s.length === 0 ? undefined : `{${s}}`;
  }
  if (v === null || v === undefined || v === '' || v === false || v === 0) return undefined;
  return JSON.stringify(typeof v === 'bigint' || typeof v === 'function' || typeof v === 'symbol' ? String(v) : v);
}

function matchKey(match: unknown, dropName: boolean): string {
  return canonicalJson(match, 0, dropName && isRecord(match)) ?? '{}';
}

type Kind = 'http' | 'tcp' | 'tls';

function routeName(kind: Kind, route: Dict, n: number): string {
  const name = kind === 'http' ? str(route.name) : undefined;
  return name ? JSON.stringify(name) : `#${n}`;
}

function requestName(kind: Kind, match: Dict, n: number): string {
  const name = kind === 'http' ? str(match.name) : undefined;
  return name ? JSON.stringify(name) : `#${n}`;
}

interface PrefixMatch {
  readonly route: string;
  readonly match: string;
  readonly prefix: string;
  readonly port: number;
  readonly method: string;
  readonly authority: string;
  readonly headers: Map<string, string>;
  readonly queryParams: Map<string, string>;
  readonly withoutHeaders: Map<string, string>;
}

function exactOrPrefix(m: unknown): string {
  const r = rec(m);
  if (str(r.exact)) return `exact:${r.exact}`;
  if (str(r.prefix)) return `prefix:${r.prefix}`;
  return '';
}

function stringMatches(m: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (isRecord(m)) for (const [k, v] of Object.entries(m)) out.set(k, exactOrPrefix(v));
  return out;
}

function prefixMatch(route: string, match: Dict, n: number): PrefixMatch | undefined {
  const prefix = str(rec(match.uri).prefix);
  if (!prefix) return undefined;
  return {
    route,
    match: requestName('http', match, n),
    prefix,
    port: int(match.port) ?? 0,
    // No method means GET for this comparison (as Istio's check has it).
    method: exactOrPrefix(match.method) || 'exact:GET',
    authority: exactOrPrefix(match.authority),
    headers: stringMatches(match.headers),
    queryParams: stringMatches(match.queryParams),
    withoutHeaders: stringMatches(match.withoutHeaders),
  };
}

function mapCovered(a: Map<string, string>, b: Map<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) {
    const w = b.get(k);
    if (w === undefined) return false;
    if (v !== w && !v.startsWith(w)) return false;
  }
  return true;
}

/** Istio's coveredValidation: whether the earlier match `a` takes every request of the later match `b`. */
function covers(a: PrefixMatch, b: PrefixMatch): boolean {
  if (!b.prefix.startsWith(a.prefix)) return false;
  if (a.port !== b.port) return false;
  if (a.method !== b.method && !a.method.startsWith(b.method)) return false;
  if (a.authority !== b.authority && !a.authority.startsWith(b.authority)) return false;
  return mapCovered(a.headers, b.headers) && mapCovered(a.queryParams, b.queryParams) && mapCovered(a.withoutHeaders, b.withoutHeaders);
}

function unreachable(ctx: AnalysisContext, vs: Res, kind: Kind, rule: string, reason: string): void {
  ctx.report(vs, MESSAGES.VirtualServiceUnreachableRule, [rule, reason],
    `Fix: in spec.${kind}, move rule ${rule} before the rule that takes its traffic, or remove it.`);
}

function ineffective(ctx: AnalysisContext, vs: Res, kind: Kind, rule: string, match: string, dup: string): void {
  ctx.report(vs, MESSAGES.VirtualServiceIneffectiveMatch, [rule, match, dup],
    `Fix: in spec.${kind}, remove match ${match} of rule ${rule}, or order the more specific match first.`);
}

function analyzeRules(ctx: AnalysisContext, vs: Res, kind: Kind): void {
  const routes = Array.isArray(vs.spec[kind]) ? (vs.spec[kind] as unknown[]) : [];
  // Most VirtualServices have one or two of the three kinds, and few matches: nothing to compare,
  // so nothing is built for comparing (match keys, prefix matches) unless there are two matches.
  if (routes.length === 0) return;
  let matchCount = 0;
  for (let i = 0; i < routes.length; i++) {
    const r = routes[i];
    if (isRecord(r) && Array.isArray(r.match)) matchCount += r.match.length;
  }
  const compare = matchCount > 1;
  const seen = compare ? new Map<string, number>() : undefined;
  let emptyMatchAt = -1;
  const prefixMatches: PrefixMatch[] = [];
  for (let n = 0; n < routes.length; n++) {
    const r = routes[n];
    if (!isRecord(r)) continue;
    const matches = Array.isArray(r.match) ? r.match : [];
    if (matches.length === 0) {
      if (emptyMatchAt >= 0) unreachable(ctx, vs, kind, routeName(kind, r, n), 'only the last rule can have no matches');
      emptyMatchAt = n;
      continue;
    }
    let duplicates = 0;
    for (let mn = 0; mn < matches.length; mn++) {
      const m = matches[mn];
      if (emptyMatchAt >= 0) {
        unreachable(ctx, vs, kind, routeName(kind, r, n), 'route without matches defined before');
        continue;
      }
      if (!seen) continue; // a lone match: nothing before it to repeat or cover
      const k = matchKey(m, kind === 'http');
      const dup = seen.get(k);
      if (dup !== undefined) {
        ineffective(ctx, vs, kind, routeName(kind, r, n), requestName(kind, rec(m), mn), routeName(kind, rec(routes[dup]), dup));
        duplicates++;
        continue;
      }
      seen.set(k, n);
      if (kind === 'http' && isRecord(m)) {
        const pm = prefixMatch(routeName(kind, r, n), m, mn);
        if (pm) prefixMatches.push(pm);
      }
    }
    if (duplicates === matches.length) unreachable(ctx, vs, kind, routeName(kind, r, n), 'all matches used by prior rules');
  }
  for (let i = 0; i < prefixMatches.length; i++) {
    const a = prefixMatches[i];
    for (let j = i + 1; j < prefixMatches.length; j++) {
      const b = prefixMatches[j];
      if (b.prefix === a.prefix) continue;
      if (covers(a, b)) ineffective(ctx, vs, kind, b.route, `${b.match} of prefix ${b.prefix}`, `${a.match} of prefix ${a.prefix} on ${a.route}`);
    }
  }
}

export const virtualServiceRulesAnalyzer: Analyzer = {
  name: 'schema.ValidationAnalyzer.VirtualService',
  run(ctx) {
    const vss = ctx.index.list('VirtualService');
    for (let i = 0; i < vss.length; i++) {
      const vs = vss[i];
      analyzeRules(ctx, vs, 'http');
      analyzeRules(ctx, vs, 'tcp');
      analyzeRules(ctx, vs, 'tls');
    }
  },
};
