// Istio networking objects (Gateway, VirtualService, DestinationRule) as Kubernetes Gateway API
// objects (v1.5.1). One translation serves both the constructs' `api: 'gateway-api'` flavour and
// `istio-gateway migrate`: pure functions over plain objects, each answering with the objects it
// could write and one problem per thing Gateway API cannot say (never a silent drop).
import { originOf } from '../../manifests';
import { KubeObject, meta, object } from '../objects';
import { CLUSTER_SERVICE_FQDN, DNS1123_LABEL } from '../../names';
import { K8S_HTTP_ROUTE, K8S_TCP_ROUTE, K8S_TLS_ROUTE } from '../api-versions';
import type { TranslationProblem } from './listeners';

// The gateway's own objects and the listeners, which the translation's callers (migrate, the
// constructs' Gateway API flavour) use with it, are in ./listeners.

/** Objects written, and what could not be. */
export interface Translation {
  readonly objects: KubeObject[];
  readonly problems: TranslationProblem[];
}

type Obj = Record<string, any>;

/** Gateway API's Duration (GEP-2257): up to four whole numbers with h, m, s or ms. */
const GATEWAY_API_DURATION = /^([0-9]{1,5}(h|m|s|ms)){1,4}$/;

/** How a route translation finds the Gateway API counterparts of the Istio names it meets. */
export interface RouteContext {
  /**
   * parentRefs for a VirtualService `gateways` entry (`ns/name`, already qualified), for the route
   * kind and the hosts: one per listener that serves them, or a reason.
   */
  parentRefs(gatewayRef: string, kind: 'http' | 'tls' | 'tcp', hosts: readonly string[], port?: number): Obj[] | string;
  /** The Service that holds `subset` of `host`: its name and namespace, or a reason. */
  subsetService?(host: string, namespace: string, subset: string): { name: string; namespace: string } | string;
  /** The port of Service `namespace/name` when it has exactly one (Istio's default for a destination without a port). */
  onlyPortOf?(namespace: string, name: string): number | undefined;
  /**
   * How an Istio URI `prefix` is written. `'segment'`: as `PathPrefix`, as Istio's own Gateway API
   * samples do (`/static` then no longer matches `/staticx`). `'string'`: exactly Istio's string
   * prefix, as `PathPrefix` plus a regular expression for the paths that continue the last segment.
   * @default 'segment'
   */
  readonly prefix?: 'segment' | 'string';
}

/** A Service host as a Gateway API backend: name and namespace, or a reason. */
export function serviceOfHost(host: string, routeNamespace: string): { name: string; namespace: string } | string {
  const fq = CLUSTER_SERVICE_FQDN.exec(host);
  if (fq) return { name: fq[1], namespace: fq[3] };
  if (DNS1123_LABEL.test(host)) return { name: host, namespace: routeNamespace };
  return `host "${host}" is not a Kubernetes Service of this cluster (a short name or name.namespace.svc.cluster.local); Gateway API backendRefs name Services`;
}

interface Backend { name: string; namespace: string; port?: number; weight?: number }

/**
 * One translation's state: what its parts read (the VirtualService's namespace, hosts and gateways,
 * the context) and what they add to (problems, backends, parents). Module functions over it instead
 * of closures made per call, and loops instead of callbacks: a fresh process runs this thousands of
 * times while it is still cold, and each closure or callback is one more function to run
 * unoptimized, optimize and, when the arrays it meets differ in kind, optimize again.
 */
interface VsTranslation {
  readonly origin: string;
  readonly ns: string;
  readonly ctx: RouteContext;
  readonly hosts: string[];
  /** Its gateways other than `mesh`, as `namespace/name`. */
  readonly toGateways: string[];
  readonly mesh: boolean;
  readonly problems: TranslationProblem[];
  readonly backends: Backend[];
  readonly parents: RouteParents[];
}

/** Translates one VirtualService into HTTPRoute / TLSRoute / TCPRoute objects. */
export function translateVirtualService(vs: Obj, ctx: RouteContext, labels?: Record<string, string>): Translation & { backends: Backend[]; parents: RouteParents[] } {
  const ns: string = vs.metadata?.namespace ?? 'default';
  const name: string = vs.metadata?.name;
  const spec: Obj = vs.spec ?? {};
  const origin = originOf(vs);
  // Lists that are not lists (hand-written input to `migrate`) are named, and nothing of the VirtualService is translated.
  const malformed = malformedLists(spec, origin);
  if (malformed.length > 0) return { objects: [], problems: malformed, backends: [], parents: [] };
  const hosts: string[] = spec.hosts ? stringsOf(spec.hosts) : [];
  const toGateways: string[] = [];
  let mesh = !spec.gateways || spec.gateways.length === 0;
  for (let i = 0; i < (spec.gateways?.length ?? 0); i++) {
    const g: string = spec.gateways[i];
    if (g === 'mesh') mesh = true;
    else toGateways.push(g.includes('/') ? g : `${ns}/${g}`);
  }
  const t: VsTranslation = { origin, ns, ctx, hosts, toGateways, mesh, problems: [], backends: [], parents: [] };
  const objects: KubeObject[] = [];
  if (spec.exportTo !== undefined) t.problems.push({ object: t.origin, field: 'spec.exportTo', reason: 'Gateway API routes have no exportTo' });
  if (Array.isArray(spec.http) && spec.http.length > 0) objects.push(translateHttp(t, spec.http, name, labels));
  if (Array.isArray(spec.tls) && spec.tls.length > 0) objects.push(translateTls(t, spec.tls, name, labels));
  if (Array.isArray(spec.tcp) && spec.tcp.length > 0) {
    for (let i = 0; i < spec.tcp.length; i++) {
      const r: Obj = spec.tcp[i];
      const port = r.match?.[0]?.port;
      const refs = routeBackendRefs(t, r.route, `spec.tcp[${i}]`, true);
      objects.push(object(K8S_TCP_ROUTE, meta(spec.tcp.length > 1 ? `${name}-${i}` : name, ns, labels), {
        spec: { parentRefs: parentsOf(t, 'tcp', `spec.tcp[${i}]`, port), rules: [{ backendRefs: refs }] },
      }));
    }
  }
  return { objects, problems: t.problems, backends: t.backends, parents: t.parents };
}

/** What a VirtualService's spec holds that the translation reads as a list (or, for `gateways`, a list of names), when it is not one. */
function malformedLists(spec: Obj, origin: string): TranslationProblem[] {
  const problems: TranslationProblem[] = [];
  isList(spec.hosts, problems, origin, 'spec.hosts', 'host names');
  if (isList(spec.gateways, problems, origin, 'spec.gateways', 'gateway names')) {
    for (let i = 0; i < spec.gateways.length; i++) {
      if (typeof spec.gateways[i] !== 'string') problems.push({ object: origin, field: `spec.gateways[${i}]`, reason: `must be a gateway name (\`namespace/name\`, \`name\` or \`mesh\`), not ${describeValue(spec.gateways[i])}` });
    }
  }
  for (const kind of ['http', 'tls', 'tcp'] as const) {
    const rules = spec[kind];
    if (!isList(rules, problems, origin, `spec.${kind}`, `${kind} routes`)) continue;
    for (let i = 0; i < rules.length; i++) {
      const r: Obj = rules[i];
      const field = `spec.${kind}[${i}]`;
      if (!isObject(r)) {
        problems.push({ object: origin, field, reason: `must be a ${kind} route (an object with route and match), not ${describeValue(r)}` });
        continue;
      }
      if (isList(r.match, problems, origin, `${field}.match`, 'match conditions')) {
        for (let j = 0; j < r.match.length; j++) {
          const m: Obj = r.match[j];
          if (!isObject(m)) problems.push({ object: origin, field: `${field}.match[${j}]`, reason: `must be a match condition (an object), not ${describeValue(m)}` });
          else if (kind === 'tls') isList(m.sniHosts, problems, origin, `${field}.match[${j}].sniHosts`, 'host names');
        }
      }
      isList(r.route, problems, origin, `${field}.route`, 'destinations');
    }
  }
  return problems;
}

/** True for a list; false for an absent value, and for anything else, with a problem naming `field`. */
function isList(value: unknown, problems: TranslationProblem[], origin: string, field: string, what: string): value is Obj[] {
  if (value === undefined || value === null || Array.isArray(value)) return Array.isArray(value);
  problems.push({ object: origin, field, reason: `must be a list of ${what}, not ${describeValue(value)}` });
  return false;
}

function isObject(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A value's kind for an error, without echoing it (input may be long or hostile). */
function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function stringsOf(xs: readonly unknown[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < xs.length; i++) out.push(String(xs[i]));
  return out;
}

/** The parentRefs of the route object of `kind`, recorded in `t.parents` (see RouteParents). */
function parentsOf(t: VsTranslation, kind: 'http' | 'tls' | 'tcp', field: string, port?: number): Obj[] {
  const p: RouteParents = { origin: t.origin, namespace: t.ns, hosts: t.hosts, gateways: t.toGateways, mesh: t.mesh, kind, field, port };
  t.parents.push(p);
  return parentRefsOfRoute(p, t.ctx.parentRefs, t.problems);
}

/** The route's hostnames: its hosts, unless it is for mesh traffic or one of them is `*`. */
function routeHostnames(t: VsTranslation): string[] | undefined {
  if (t.mesh) return undefined;
  const hn: string[] = [];
  for (const h of t.hosts) if (h !== '*') hn.push(h);
  return hn.length > 0 && hn.length === t.hosts.length ? hn : undefined;
}

/**
 * A destination as a backendRef, or undefined (and a problem) when it cannot be one. `rule` and `j`
 * name the destination (`<rule>.route[j]`, `<rule>.mirror` without j), written out only for a
 * problem: a route's backends are made at every translation, their problems rarely.
 */
function backendOf(t: VsTranslation, d: Obj, rule: string, j: number | undefined, weight: number | undefined): Obj | undefined {
  const { ns, ctx } = t;
  const host = String(d?.destination?.host ?? '');
  let svc = serviceOfHost(host, ns);
  const port = d?.destination?.port?.number ?? (typeof svc === 'string' ? undefined : ctx.onlyPortOf?.(svc.namespace, svc.name));
  if (typeof svc !== 'string' && d?.destination?.subset !== undefined) {
    svc = ctx.subsetService
      ? ctx.subsetService(host, svc.namespace, String(d.destination.subset))
      : `subset "${d.destination.subset}" of ${host}: Gateway API has no subsets`;
  }
  if (typeof svc === 'string') { t.problems.push({ object: t.origin, field: `${destinationField(rule, j)}.destination`, reason: svc }); return undefined; }
  if (port === undefined) { t.problems.push({ object: t.origin, field: `${destinationField(rule, j)}.destination.port`, reason: 'a Gateway API backendRef to a Service needs its port: name the destination port (or include the Service, when it has one port, in the input)' }); return undefined; }
  // Field by field, in the order of `{ ...svc, port, weight }`: spreads were most of a route's allocation.
  const backend: Backend = { name: svc.name, namespace: svc.namespace, port };
  if (weight !== undefined) backend.weight = weight;
  t.backends.push(backend);
  const ref: Obj = { group: '', kind: 'Service', name: svc.name };
  if (svc.namespace !== ns) ref.namespace = svc.namespace;
  ref.port = port;
  if (weight !== undefined) ref.weight = weight;
  return ref;
}

/**
 * The backendRefs of a rule's `route` (those that can be one). With more than one destination each
 * has its weight (0 when unset); a single one has none in a TLS or TCP route (`tcpOrTls`), and in an
 * HTTP route its weight when set and not 100.
 */
function routeBackendRefs(t: VsTranslation, route: Obj[] | undefined, rule: string, tcpOrTls: boolean): Obj[] {
  const refs: Obj[] = [];
  if (!route) return refs; // a list, or absent (see malformedLists)
  for (let j = 0; j < route.length; j++) {
    const d = route[j];
    const weight = route.length > 1 ? (d.weight ?? 0) : !tcpOrTls && d.weight !== undefined && d.weight !== 100 ? d.weight : undefined;
    const b = backendOf(t, d, rule, j, weight);
    if (b) refs.push(b);
  }
  return refs;
}

/** The HTTPRoute of a VirtualService's `http` rules. */
function translateHttp(t: VsTranslation, http: Obj[], name: string, labels: Record<string, string> | undefined): KubeObject {
  const rules: Obj[] = [];
  const keyed: { rule: number; match: Obj }[] = [];
  const prefix = t.ctx.prefix ?? 'segment';
  for (let i = 0; i < http.length; i++) rules.push(translateHttpRule(t, http[i], i, keyed, prefix));
  checkPrecedence(keyed, t.origin, t.problems);
  const routeSpec: Obj = { parentRefs: parentsOf(t, 'http', 'spec.gateways') };
  const hn = routeHostnames(t);
  if (hn) routeSpec.hostnames = hn;
  routeSpec.rules = rules;
  return object(K8S_HTTP_ROUTE, meta(name, t.ns, labels), { spec: routeSpec });
}

/** HTTP rule `i` as an HTTPRoute rule; its matches are added to `keyed` for the precedence check. */
function translateHttpRule(t: VsTranslation, r: Obj, i: number, keyed: { rule: number; match: Obj }[], prefix: 'segment' | 'string'): Obj {
  const { origin, problems } = t;
  const field = `spec.http[${i}]`;
  const rule: Obj = {};
  const matches: Obj[] = [];
  if (r.match) for (let j = 0; j < r.match.length; j++) matches.push(...translateMatch(r.match[j], field, j, origin, problems, prefix));
  if (matches.length > 0) rule.matches = matches;
  for (const m of matches) keyed.push({ rule: i, match: m });
  if (matches.length === 0) keyed.push({ rule: i, match: {} });
  const filters: Obj[] = [];
  if (r.redirect) {
    const rd: Obj = {};
    if (r.redirect.scheme) rd.scheme = r.redirect.scheme;
    if (r.redirect.authority) rd.hostname = r.redirect.authority;
    if (r.redirect.port) rd.port = r.redirect.port;
    if (r.redirect.uri) rd.path = { type: 'ReplaceFullPath', replaceFullPath: r.redirect.uri };
    rd.statusCode = r.redirect.redirectCode ?? 301;
    filters.push({ type: 'RequestRedirect', requestRedirect: rd });
  }
  if (r.rewrite) {
    const rw: Obj = {};
    if (r.rewrite.uri !== undefined) {
      // Istio replaces the matched prefix, or the whole path after an exact match; Gateway API
      // replaces a prefix only for a rule with exactly one PathPrefix match.
      const uris = ((r.match ?? []) as Obj[]).map((m) => m.uri);
      if (uris.length > 0 && uris.every((u) => u?.exact !== undefined)) {
        rw.path = { type: 'ReplaceFullPath', replaceFullPath: r.rewrite.uri };
      } else if (matches.length === 1 && matches[0].path?.type === 'PathPrefix') {
        rw.path = { type: 'ReplacePrefixMatch', replacePrefixMatch: r.rewrite.uri };
      } else {
        problems.push({ object: origin, field: `${field}.rewrite.uri`, reason: 'HTTPRoute rewrites the path after exact matches only, or the prefix of a rule with exactly one PathPrefix match (an Istio string prefix other than "/" is two Gateway API matches): match exactly, or keep the Istio API for this route' });
      }
    }
    if (r.rewrite.authority !== undefined) rw.hostname = r.rewrite.authority;
    if (r.rewrite.uriRegexRewrite !== undefined) problems.push({ object: origin, field: `${field}.rewrite.uriRegexRewrite`, reason: 'HTTPRoute URLRewrite has no regex rewrite' });
    if (Object.keys(rw).length > 0) filters.push({ type: 'URLRewrite', urlRewrite: rw });
  }
  if (r.mirror) {
    const pct = r.mirrorPercentage?.value ?? r.mirrorPercent;
    const b = backendOf(t, { destination: r.mirror }, field, undefined, undefined);
    if (b) {
      const mirror: Obj = { backendRef: { group: '', kind: 'Service', name: b.name, ...(b.namespace ? { namespace: b.namespace } : {}), port: b.port } };
      if (pct !== undefined && pct !== 100) {
        if (Number.isInteger(pct)) mirror.percent = pct;
        else problems.push({ object: origin, field: `${field}.mirrorPercentage`, reason: `HTTPRoute RequestMirror takes a whole percent; ${pct} is not one` });
      }
      filters.push({ type: 'RequestMirror', requestMirror: mirror });
    }
  }
  if (r.headers) {
    for (const dir of ['request', 'response'] as const) {
      const h = r.headers[dir];
      if (!h) continue;
      const mod: Obj = {};
      if (h.set) mod.set = Object.keys(h.set).sort().map((k) => ({ name: k, value: String(h.set[k]) }));
      if (h.add) mod.add = Object.keys(h.add).sort().map((k) => ({ name: k, value: String(h.add[k]) }));
      if (h.remove) mod.remove = [...h.remove];
      filters.push(dir === 'request' ? { type: 'RequestHeaderModifier', requestHeaderModifier: mod } : { type: 'ResponseHeaderModifier', responseHeaderModifier: mod });
    }
  }
  if (filters.length > 0) rule.filters = filters;
  if (r.route) {
    const refs = routeBackendRefs(t, r.route, field, false);
    if (refs.length > 0) rule.backendRefs = refs;
  }
  if (r.timeout !== undefined) {
    if (GATEWAY_API_DURATION.test(String(r.timeout))) rule.timeouts = { request: r.timeout };
    else problems.push({ object: origin, field: `${field}.timeout`, reason: `HTTPRoute durations are whole numbers of h, m, s or ms (e.g. "1500ms", not "1.5s"); ${JSON.stringify(r.timeout)} is not one` });
  }
  for (const [f, reason] of REFUSED_RULE_FIELDS) if (r[f] !== undefined) problems.push({ object: origin, field: `${field}.${f}`, reason });
  return rule;
}

/** The TLSRoute of a VirtualService's `tls` rules (one rule: a TLSRoute has one per hostname set). */
function translateTls(t: VsTranslation, tls: Obj[], name: string, labels: Record<string, string> | undefined): KubeObject {
  const rules: Obj[] = [];
  const sni = new Set<string>();
  for (let i = 0; i < tls.length; i++) {
    const r = tls[i];
    for (const m of r.match ?? []) for (const h of m.sniHosts ?? []) sni.add(String(h));
    rules.push({ backendRefs: routeBackendRefs(t, r.route, `spec.tls[${i}]`, true) });
  }
  if (rules.length > 1) t.problems.push({ object: t.origin, field: 'spec.tls', reason: 'a TLSRoute has one rule per hostname set: split the tls routes into one VirtualService each' });
  const hn: string[] = [];
  for (const h of sni.size > 0 ? sni : new Set(t.hosts)) if (h !== '*') hn.push(h);
  if (hn.length === 0) t.problems.push({ object: t.origin, field: 'spec.hosts', reason: 'a TLSRoute routes by SNI and needs at least one host name other than "*"' });
  return object(K8S_TLS_ROUTE, meta(name, t.ns, labels), {
    spec: { parentRefs: parentsOf(t, 'tls', 'spec.gateways'), hostnames: hn, rules: rules.slice(0, 1) },
  });
}

/** Where destination `j` of a rule is (`<rule>.route[j]`; without j, the rule's mirror). */
function destinationField(rule: string, j: number | undefined): string {
  return j === undefined ? `${rule}.mirror` : `${rule}.route[${j}]`;
}

/**
 * What the parentRefs of one translated route object are made of: the VirtualService's gateways
 * (asked of a RouteContext's `parentRefs`, which may answer differently once a gateway has more
 * servers) and, for mesh traffic, its hosts' Services (GAMMA). The rest of the object does not
 * depend on them: see {@link withParentRefs}.
 */
export interface RouteParents {
  /** `Kind namespace/name` of the VirtualService. */
  readonly origin: string;
  /** The VirtualService's namespace. */
  readonly namespace: string;
  readonly hosts: readonly string[];
  /** Its gateways other than `mesh`, as `namespace/name`. */
  readonly gateways: readonly string[];
  /** True when it applies to mesh traffic (no gateways, or `mesh` among them). */
  readonly mesh: boolean;
  readonly kind: 'http' | 'tls' | 'tcp';
  /** The field the problems of its parentRefs are reported at. */
  readonly field: string;
  /** The TCP route's port. */
  readonly port?: number;
}

/** The parentRefs of a route object; what cannot be a parentRef goes to `problems`. */
function parentRefsOfRoute(p: RouteParents, parentRefs: RouteContext['parentRefs'], problems: TranslationProblem[]): Obj[] {
  const { origin, namespace: ns, field, kind } = p;
  const refs: Obj[] = [];
  for (const g of p.gateways) {
    const r = parentRefs(g, kind, p.hosts, p.port);
    if (typeof r === 'string') problems.push({ object: origin, field, reason: r });
    else refs.push(...r);
  }
  if (p.mesh) {
    if (kind !== 'http') {
      problems.push({ object: origin, field, reason: `a ${kind} route for mesh traffic has no GAMMA form this library writes (GAMMA covers HTTP routes to Services)` });
    } else {
      for (const h of p.hosts) {
        const svc = serviceOfHost(h, ns);
        if (typeof svc === 'string') problems.push({ object: origin, field: 'spec.hosts', reason: `a mesh route's host becomes a GAMMA parentRef to a Service: ${svc}` });
        else refs.push({ group: '', kind: 'Service', name: svc.name, ...(svc.namespace !== ns ? { namespace: svc.namespace } : {}) });
      }
    }
  }
  return refs;
}

/**
 * `route` (an object {@link translateVirtualService} made, with `parents` its entry of `parents`)
 * as the same translation gives it with `parentRefs` as the context's: only `spec.parentRefs`
 * is made anew, everything else is `route`'s own (shared: read it, never change it); the
 * parentRefs' problems are dropped. A route of the constructs is translated once, and its
 * parentRefs follow the gateway's servers until it is written.
 */
export function withParentRefs(route: KubeObject, parents: RouteParents, parentRefs: RouteContext['parentRefs']): KubeObject {
  const old = route.spec as Obj;
  const spec: Obj = { parentRefs: parentRefsOfRoute(parents, parentRefs, []) };
  // parentRefs is the first field of every route's spec: the others follow in their order
  for (const k of Object.keys(old)) if (k !== 'parentRefs') spec[k] = old[k];
  const out: Obj = {};
  for (const k of Object.keys(route)) out[k] = k === 'spec' ? spec : route[k];
  return out as KubeObject;
}

/** Fields of an Istio HTTP rule that HTTPRoute cannot say, and why (in the order they are reported). */
const REFUSED_RULE_FIELDS: readonly (readonly [string, string])[] = Object.entries({
  fault: 'HTTPRoute has no fault injection (delays, aborts): keep the Istio API for this route, or drop the fault',
  retries: 'HTTPRoute retries (`retry`) exist only in the experimental channel, and Istio\'s default retry policy differs from none: keep the Istio API for this route, or drop retries',
  corsPolicy: 'HTTPRoute has no CORS policy in the standard channel',
  delegate: 'HTTPRoute has no delegation',
  directResponse: 'HTTPRoute has no direct response',
});

/** Fields of an Istio HTTP match that HTTPRoute cannot say, and why (in the order they are reported). */
const REFUSED_MATCH_FIELDS: readonly (readonly [string, string])[] = Object.entries({
  ignoreUriCase: 'HTTPRoute path matches are case-sensitive',
  scheme: 'HTTPRoute cannot match the scheme (bind the route to the HTTP or HTTPS listener instead)',
  authority: 'HTTPRoute matches hosts through hostnames, not per rule',
  withoutHeaders: 'HTTPRoute cannot match the absence of a header',
  port: 'HTTPRoute rules cannot match a port (bind to the listener with sectionName instead)',
  sourceLabels: 'HTTPRoute cannot match the client\'s labels',
  sourceNamespace: 'HTTPRoute cannot match the client\'s namespace',
  gateways: 'HTTPRoute rules cannot be limited to some parents',
});

/** `{ name, type, value }` of a header or query parameter match (`{ name }` alone when `m` is not one); problems at `<field>.<part>.<name>`. */
function namedMatch(name: string, m: Obj, field: string, part: string, origin: string, problems: TranslationProblem[]): Obj {
  const out: Obj = { name };
  let value: string | undefined;
  if (m?.exact !== undefined) { out.type = 'Exact'; value = String(m.exact); }
  else if (m?.regex !== undefined) { out.type = 'RegularExpression'; value = String(m.regex); }
  else if (m?.prefix !== undefined) { out.type = 'RegularExpression'; value = `^${String(m.prefix).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*`; }
  else { problems.push({ object: origin, field: `${field}.${part}.${name}`, reason: 'expected exact, prefix or regex' }); return out; }
  out.value = value;
  if (part === 'queryParams' && m.prefix !== undefined) problems.push({ object: origin, field: `${field}.${part}.${name}`, reason: 'HTTPRoute query parameters match exactly or by regex' });
  return out;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The regular expression for the paths Istio's string prefix `p` matches beyond `p` and `p/...`. */
function continuationRegex(p: string): string {
  return p.endsWith('/') ? `${escapeRegex(p)}.*` : `${escapeRegex(p)}[^/].*`;
}

/** An Istio URI match as Gateway API path matches (two for a string prefix that Gateway API splits). */
function pathMatches(uri: Obj, prefix: 'segment' | 'string'): Obj[] {
  if (uri.exact !== undefined) return [{ type: 'Exact', value: String(uri.exact) }];
  if (uri.regex !== undefined) return [{ type: 'RegularExpression', value: String(uri.regex) }];
  const p = String(uri.prefix);
  if (prefix === 'segment' || p === '/') return [{ type: 'PathPrefix', value: p }];
  // "/api/" as a string prefix is not PathPrefix "/api/" (which also takes "/api"): a regex alone
  if (p.endsWith('/')) return [{ type: 'RegularExpression', value: continuationRegex(p) }];
  return [{ type: 'PathPrefix', value: p }, { type: 'RegularExpression', value: continuationRegex(p) }];
}

/** Istio match `j` of rule `rule` (`spec.http[i]`) as Gateway API matches; problems at `<rule>.match[j]...`. */
function translateMatch(m: Obj, rule: string, j: number, origin: string, problems: TranslationProblem[], prefix: 'segment' | 'string'): Obj[] {
  const field = `${rule}.match[${j}]`;
  const out: Obj = {};
  if (m.headers) out.headers = Object.keys(m.headers).sort().map((k) => namedMatch(k, m.headers[k], field, 'headers', origin, problems));
  if (m.queryParams) out.queryParams = Object.keys(m.queryParams).sort().map((k) => namedMatch(k, m.queryParams[k], field, 'queryParams', origin, problems));
  if (m.method) {
    if (m.method.exact !== undefined) out.method = String(m.method.exact).toUpperCase();
    else problems.push({ object: origin, field: `${field}.method`, reason: 'HTTPRoute matches one method exactly' });
  }
  for (const [f, reason] of REFUSED_MATCH_FIELDS) if (m[f] !== undefined && m[f] !== false) problems.push({ object: origin, field: `${field}.${f}`, reason });
  if (!m.uri || (m.uri.exact === undefined && m.uri.prefix === undefined && m.uri.regex === undefined)) return [out];
  // `{ path, ...out }`, field by field
  return pathMatches(m.uri, prefix).map((path) => {
    const o: Obj = { path };
    if (out.headers !== undefined) o.headers = out.headers;
    if (out.queryParams !== undefined) o.queryParams = out.queryParams;
    if (out.method !== undefined) o.method = out.method;
    return o;
  });
}

/**
 * Istio tries a VirtualService's rules in order; Gateway API orders them by specificity (exact path,
 * longest prefix, method, most headers, most query parameters). Where a rule declared earlier is less
 * specific than a later one that can match the same request, the two would route differently: say so.
 */
function checkPrecedence(keyed: readonly { rule: number; match: Obj }[], origin: string, problems: TranslationProblem[]): void {
  for (let a = 0; a < keyed.length; a++) {
    for (let b = a + 1; b < keyed.length; b++) {
      const x = keyed[a];
      const y = keyed[b];
      if (x.rule === y.rule) continue;
      if (compareSpecificity(y.match, x.match) > 0 && mayOverlap(x.match, y.match)) {
        problems.push({ object: origin, field: `spec.http[${y.rule}]`, reason: `Gateway API tries more specific matches first, so this rule would take requests that spec.http[${x.rule}] (declared first, less specific) serves in Istio: reorder the rules from most to least specific` });
        return;
      }
    }
  }
}

/**
 * Positive when `a` takes precedence over `b` in Gateway API, as Istio orders them: Exact, then
 * PathPrefix, then RegularExpression, each by the length of its value; then method, number of
 * header matches, number of query parameter matches.
 */
export function compareSpecificity(a: Obj, b: Obj): number {
  for (const k of SPECIFICITY) {
    const d = k(a) - k(b);
    if (d !== 0) return d;
  }
  return 0;
}

/** compareSpecificity's keys, most significant first. */
const SPECIFICITY: readonly ((m: Obj) => number)[] = [
  (m) => (m.path?.type === 'Exact' ? 3 : m.path?.type === 'RegularExpression' ? 1 : 2),
  (m) => String(m.path?.value ?? '/').length,
  (m) => (m.method ? 1 : 0),
  (m) => (m.headers?.length ?? 0),
  (m) => (m.queryParams?.length ?? 0),
];

/** The set of paths a path match takes, as far as this module writes them (undefined: any regex). */
function pathSet(path: Obj | undefined): ((s: string) => boolean) | undefined {
  if (!path) return () => true;
  if (path.type === 'Exact') return (s) => s === path.value;
  if (path.type === 'PathPrefix') return (s) => pathHasPrefix(s, path.value);
  const m = /^((?:\\.|[^\\[.*+?^${}()|])*)(\[\^\/\])?\.\*$/.exec(String(path.value));
  if (m) {
    const p = m[1].replace(/\\(.)/g, '$1');
    return m[2] ? (s) => s.startsWith(p) && s.length > p.length && s[p.length] !== '/' : (s) => s.startsWith(p);
  }
  return undefined;
}

function mayOverlap(a: Obj, b: Obj): boolean {
  const sa = pathSet(a.path);
  const sb = pathSet(b.path);
  if (sa && sb) {
    // both sets are prefix-shaped: a common member, if any, is among these strings
    const bases = [a.path?.value, b.path?.value].filter((v): v is string => typeof v === 'string').map((v) => v.replace(/\[\^\/\]\.\*$|\.\*$/, '').replace(/\\(.)/g, '$1'));
    const witnesses = bases.length === 0 ? ['/'] : bases.flatMap((v) => [v, `${v}x`, `${v}/x`, `${v}x/y`]);
    if (!witnesses.some((w) => sa(w) && sb(w))) return false;
  }
  const ha = new Map<string, Obj>((a.headers ?? []).map((h: Obj) => [h.name.toLowerCase(), h]));
  for (const h of b.headers ?? []) {
    const o = ha.get(h.name.toLowerCase());
    if (o && o.type === 'Exact' && h.type === 'Exact' && o.value !== h.value) return false;
  }
  if (a.method && b.method && a.method !== b.method) return false;
  return true;
}

/** Gateway API PathPrefix: `/a` matches `/a` and `/a/...`, not `/ab`. */
export function pathHasPrefix(path: string, prefix: string): boolean {
  const p = prefix.length > 1 ? prefix.replace(/\/+$/, '') : prefix;
  return p === '/' || path === p || path.startsWith(`${p}/`);
}
