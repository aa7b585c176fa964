// The routing picture's builder (used by routingGraph() in build.ts and by the Gateway API reader):
// reads Istio Gateways, VirtualServices, DestinationRules, Services, ServiceEntries
// and workloads (pod templates stand in for pods) from plain objects and returns the routing picture.
// Pure and deterministic: the same objects, in any order, give the same graph.

import { CLUSTER_DOMAIN, hostMatches, isWildcard, resourceNameFromHost, shortOrFullName, toFqdn } from '../analysis/hosts';
import { selectorString } from '../analysis/labels';
import { Dict, int, isRecord, rec, recs, str, strMap, strs } from '../analysis/objects';
import { originOfRes, Res, ResourceIndex } from '../analysis/resource-index';
import { EdgeKind, GraphEdge, GraphNode, NODE_KINDS, NodeKind, RoutingGraph } from './model';

export const MESH = 'mesh';

type RouteType = 'http' | 'tls' | 'tcp';

/** A host of a gateway's servers, with the route types its listeners carry. */
interface GatewayHost {
  readonly host: string;
  /** The namespace a `ns/host` entry admits routes from; undefined for all. */
  readonly scope?: string;
  readonly id: string;
  readonly types: Set<RouteType>;
  readonly listeners: Array<{ id: string; types: Set<RouteType> }>;
}
const SERVER_KIND: Record<RouteType, string> = { http: 'HTTP/HTTPS', tls: 'TLS passthrough', tcp: 'TCP/TLS' };
const HTTP_PROTOCOLS = new Set(['HTTP', 'HTTPS', 'HTTP2', 'GRPC', 'GRPC-WEB']);

/**
 * Which VirtualService route types a gateway server carries (Istio's gateway config generation):
 * `http` routes on HTTP servers and on HTTPS servers that terminate TLS; `tls` routes on TLS/HTTPS
 * servers in passthrough modes; `tcp` routes on every server that is not HTTP.
 */
function routeTypesOf(protocol: string, mode: string | undefined): RouteType[] {
  const passthrough = mode === 'PASSTHROUGH' || mode === 'AUTO_PASSTHROUGH';
  if (protocol === 'HTTPS' && passthrough) return ['tls', 'tcp'];
  if (HTTP_PROTOCOLS.has(protocol)) return ['http'];
  if (protocol === 'TLS') return passthrough ? ['tls', 'tcp'] : ['tcp'];
  return ['tcp'];
}

/** A host as read by a person: the cluster domain dropped (`reviews.bookinfo`). */
export function shortHost(fqdn: string): string {
  return fqdn.endsWith(`.${CLUSTER_DOMAIN}`) ? fqdn.slice(0, -CLUSTER_DOMAIN.length - 1) : fqdn;
}

export class Builder {
  readonly nodes = new Map<string, GraphNode>();
  readonly edges = new Map<string, GraphEdge>();
  /** Host nodes of each gateway: gateway key -> [host, scope namespace or undefined, node id]. */
  private readonly gatewayHosts = new Map<string, GatewayHost[]>();
  private readonly gatewayDone = new Set<string>();

  constructor(readonly idx: ResourceIndex) {}

  node(n: GraphNode): GraphNode {
    const old = this.nodes.get(n.id);
    if (old) return old;
    this.nodes.set(n.id, n);
    return n;
  }

  edge(from: string, to: string, kind: EdgeKind, extra: { weight?: number; dangling?: string } = {}): void {
    const k = `${from}\u0000${to}\u0000${kind}`;
    const old = this.edges.get(k);
    if (old) {
      // The same destination twice in one rule: Envoy adds up the weights.
      if (old.weight !== undefined && extra.weight !== undefined) this.edges.set(k, { ...old, weight: old.weight + extra.weight });
      return;
    }
    this.edges.set(k, { from, to, kind, ...(extra.weight !== undefined ? { weight: extra.weight } : {}), ...(extra.dangling ? { dangling: extra.dangling } : {}) });
  }

  /** Adds an Istio Gateway with its workloads, listeners and hosts (once). */
  gateway(res: Res): string {
    const key = res.fullName;
    const id = `gateway:${key}`;
    if (this.gatewayDone.has(key)) return id;
    this.gatewayDone.add(key);
    const selector = strMap(res.spec.selector);
    const sel = selectorString(selector);
    this.node({ id, kind: 'gateway', label: `Gateway ${key}`, namespace: res.namespace, group: key, api: 'istio', attrs: { selector: sel } });

    // An empty selector selects every proxy: drawn as such rather than as every workload of the input.
    const workloads = sel === '' ? [] : this.idx.selectWorkloads(selector);
    if (sel === '') {
      const wid = 'workload:selector:(all)';
      this.node({ id: wid, kind: 'workload', label: 'every proxy (empty selector)', namespace: res.namespace, group: key, api: 'istio', attrs: { selector: '' } });
      this.edge(wid, id, 'runs');
    } else if (workloads.length === 0) {
      const wid = `workload:selector:${sel}`;
      this.node({ id: wid, kind: 'workload', label: `pods ${sel || '(all)'}`, namespace: res.namespace, group: key, api: 'istio',
        attrs: { selector: sel }, missing: `no workload in the input has the labels ${sel}` });
      this.edge(wid, id, 'runs', { dangling: `no workload in the input has the labels ${sel}` });
    }
    for (const w of workloads) {
      const wid = `workload:${w.res.kind}/${w.res.fullName}`;
      this.node({ id: wid, kind: 'workload', label: `${w.res.kind} ${w.res.fullName}`, namespace: w.namespace, group: key, api: 'istio',
        attrs: { kind: w.res.kind, name: w.res.fullName, labels: selectorString(w.labels) } });
      this.edge(wid, id, 'runs');
    }

    const hosts: GatewayHost[] = [];
    recs(res.spec.servers).forEach((server, i) => {
      const port = rec(server.port);
      const number = int(port.number);
      const protocol = (str(port.protocol) ?? '').toUpperCase();
      const portName = str(port.name);
      const tls = rec(server.tls);
      const mode = str(tls.mode);
      const credential = str(tls.credentialName);
      const redirect = tls.httpsRedirect === true;
      const lid = `listener:${key}:${number ?? '?'}:${portName || `#${i}`}`;
      const attrs: Record<string, string> = { port: String(number ?? ''), protocol };
      if (portName) attrs.portName = portName;
      if (mode) attrs.tlsMode = mode;
      if (credential) attrs.credentialName = credential;
      if (redirect) attrs.httpsRedirect = 'true';
      const parts = [`:${number ?? '?'} ${protocol}`];
      if (mode) parts.push(mode);
      if (credential) parts.push(`cert ${credential}`);
      if (redirect) parts.push('redirect to HTTPS');
      this.node({ id: lid, kind: 'listener', label: parts.join(' '), namespace: res.namespace, group: key, api: 'istio', attrs });
      this.edge(id, lid, 'listens');
      for (const raw of strs(server.hosts)) {
        const slash = raw.indexOf('/');
        const host = slash >= 0 ? raw.slice(slash + 1) : raw;
        const ns = slash >= 0 ? raw.slice(0, slash) : undefined;
        const scope = ns === undefined || ns === '*' ? undefined : (ns === '.' ? res.namespace : ns);
        // One node per host name; `ns/host` entries (routes admitted from one namespace) are
        // kept apart for matching and listed on the node as routeNamespaces.
        const hid = `host:${key}:${host}`;
        const old = this.nodes.get(hid);
        const scopes = new Set((old?.attrs.routeNamespaces ?? '').split(',').filter(Boolean));
        scopes.add(scope ?? '*');
        this.nodes.set(hid, { id: hid, kind: 'host', label: host, namespace: res.namespace, group: key, api: 'istio',
          attrs: { host, routeNamespaces: [...scopes].sort().join(',') } });
        this.edge(lid, hid, 'serves');
        let entry = hosts.find((h) => h.id === hid && h.scope === scope);
        if (!entry) hosts.push(entry = { host, scope, id: hid, types: new Set(), listeners: [] });
        for (const t of routeTypesOf(protocol, mode)) entry.types.add(t);
        entry.listeners.push({ id: lid, types: new Set(routeTypesOf(protocol, mode)) });
      }
    });
    this.gatewayHosts.set(key, hosts);
    return id;
  }

  /** The host nodes of a gateway serving a route host seen from a route in `routeNs`. */
  servingHosts(gatewayKey: string, host: string, routeNs: string, type: RouteType): string[] {
    const out: string[] = [];
    for (const h of this.gatewayHosts.get(gatewayKey) ?? []) {
      if (!h.types.has(type) || (h.scope !== undefined && h.scope !== routeNs) || !hostMatches(h.host, host)) continue;
      out.push(this.concreteHost(gatewayKey, h, host, type));
    }
    return [...new Set(out)];
  }

  /**
   * The host node requests arrive on: the gateway's own host, or, when the route names a more
   * specific host under a wildcard server host (`shop.example.com` under `*.example.com`), a node
   * of its own served by the same listeners, so that every host a route names is in the picture.
   */
  private concreteHost(gatewayKey: string, h: GatewayHost, routeHost: string, type: RouteType): string {
    if (routeHost === h.host || !isWildcard(h.host) || (isWildcard(routeHost) && routeHost.length <= h.host.length)) return h.id;
    const id = `host:${gatewayKey}:${routeHost}`;
    const gw = this.nodes.get(`gateway:${gatewayKey}`);
    this.node({ id, kind: 'host', label: routeHost, namespace: gw?.namespace ?? '', group: gatewayKey, api: 'istio', attrs: { host: routeHost, via: h.host } });
    for (const l of h.listeners) if (l.types.has(type)) this.edge(l.id, id, 'serves');
    return id;
  }

  meshGateway(): string {
    const id = `gateway:${MESH}`;
    this.node({ id, kind: 'gateway', label: 'mesh (sidecars)', namespace: '', group: MESH, api: 'mesh', attrs: {} });
    return id;
  }

  virtualService(vs: Res): void {
    const gwRefs = strs(vs.spec.gateways);
    const bound = (gwRefs.length > 0 ? gwRefs : [MESH]).map((g) => (g === MESH ? MESH : (() => {
      const r = shortOrFullName(vs.namespace, g);
      return `${r.namespace}/${r.name}`;
    })()));
    const boundSorted = [...new Set(bound)].sort();
    const group = boundSorted[0];
    const vsHosts = strs(vs.spec.hosts);

    // Where the route's hosts arrive, per route type: host nodes of each bound gateway whose
    // listeners carry that type (missing ones when nothing serves them).
    const entries = new Map<RouteType, Array<{ id: string; dangling?: string }>>();
    const types = (['http', 'tls', 'tcp'] as const).filter((t) => recs(vs.spec[t]).length > 0);
    for (const type of types) {
      const entryHosts: Array<{ id: string; dangling?: string }> = [];
      entries.set(type, entryHosts);
      for (const g of boundSorted) {
        if (g === MESH) {
          const gid = this.meshGateway();
          for (const h of vsHosts) {
            const fqdn = toFqdn(vs.namespace, h);
            const hid = `host:${MESH}:${fqdn}`;
            this.node({ id: hid, kind: 'host', label: fqdn, namespace: vs.namespace, group: MESH, api: 'mesh', attrs: { host: fqdn } });
            this.edge(gid, hid, 'serves');
            entryHosts.push({ id: hid });
          }
          continue;
        }
        const { namespace, name } = shortOrFullName(vs.namespace, g);
        const gwRes = this.idx.get('Gateway', namespace, name);
        let missingGateway: string | undefined;
        if (gwRes) {
          this.gateway(gwRes);
        } else {
          missingGateway = `Gateway ${g} is not in the input`;
          this.node({ id: `gateway:${g}`, kind: 'gateway', label: `Gateway ${g}`, namespace, group: g, api: 'istio', attrs: {}, missing: missingGateway });
        }
        for (const h of vsHosts) {
          const serving = missingGateway ? [] : this.servingHosts(g, h, vs.namespace, type);
          if (serving.length > 0) {
            for (const id of serving) entryHosts.push({ id });
            continue;
          }
          const reason = missingGateway ?? `no ${SERVER_KIND[type]} server of Gateway ${g} serves ${h}`;
          const hid = `host:${g}:${h}`;
          this.node({ id: hid, kind: 'host', label: h, namespace, group: g, api: 'istio', attrs: { host: h }, missing: reason });
          // Drawn under its gateway: the gateway does not serve it (or is itself missing).
          this.edge(`gateway:${g}`, hid, 'serves', { dangling: reason });
          entryHosts.push({ id: hid, dangling: reason });
        }
      }
    }

    for (const type of ['http', 'tls', 'tcp'] as const) this.rules(vs, type, entries.get(type) ?? [], group, 0);
  }

  /**
   * The route nodes of one VirtualService's rules of a type, entered from `entries`. An http rule
   * that delegates draws the delegate VirtualService's rules as entered from the same hosts (Istio
   * merges them under the root's match), one level deep as Istio allows.
   */
  private rules(vs: Res, type: RouteType, entries: ReadonlyArray<{ id: string; dangling?: string }>, group: string, depth: number, from?: string): void {
    const exportTo = strs(vs.spec.exportTo);
    recs(vs.spec[type]).forEach((rule, i) => {
      const ruleName = str(rule.name);
      const rid = `route:${vs.fullName}:${type}:${ruleName ? ruleName : `#${i}`}`;
      const match = describeMatches(type, rule.match);
      const action = describeAction(rule);
      const attrs: Record<string, string> = { resource: vs.fullName, virtualService: vs.fullName, type, index: String(i), match };
      if (ruleName) attrs.name = ruleName;
      if (action) attrs.action = action;
      if (from) attrs.delegatedFrom = from;
      const label = `${vs.fullName} ${type}[${i}]${ruleName ? ` ${ruleName}` : ''}${from ? ` (delegated by ${from})` : ''}: ${match}${action ? `; ${action}` : ''}`;
      this.node({ id: rid, kind: 'route', label, namespace: vs.namespace, group, api: 'istio', attrs });
      for (const e of entries) this.edge(e.id, rid, 'routes', { dangling: e.dangling });
      const dests = recs(rule.route);
      for (const d of dests) {
        const dest = rec(d.destination);
        const host = str(dest.host);
        if (!host) continue;
        const weight = int(d.weight) ?? (dests.length === 1 ? 100 : 0);
        this.destination(vs, exportTo, rid, host, int(rec(dest.port).number), str(dest.subset), weight);
      }
      const delegate = type === 'http' && isRecord(rule.delegate) ? rule.delegate : undefined;
      if (!delegate || depth > 0) return;
      const ref = { namespace: str(delegate.namespace) || vs.namespace, name: str(delegate.name) ?? '' };
      const target = this.idx.get('VirtualService', ref.namespace, ref.name);
      if (target) {
        this.rules(target, 'http', entries, group, depth + 1, `${vs.fullName} http[${i}]`);
      } else {
        const reason = `delegate VirtualService ${ref.namespace}/${ref.name} is not in the input`;
        const mid = `route:${ref.namespace}/${ref.name}:http:(missing delegate)`;
        this.node({ id: mid, kind: 'route', label: `${ref.namespace}/${ref.name} (delegated by ${vs.fullName} http[${i}])`, namespace: ref.namespace, group, api: 'istio',
          attrs: { resource: `${ref.namespace}/${ref.name}`, type: 'http', index: '0', match: match, delegatedFrom: `${vs.fullName} http[${i}]` }, missing: reason });
        for (const e of entries) this.edge(e.id, mid, 'routes', { dangling: reason });
      }
    });
  }

  private destination(vs: Res, exportTo: readonly string[], rid: string, host: string, port: number | undefined, subset: string | undefined, weight: number): void {
    const fqdn = toFqdn(vs.namespace, host);
    const id = `destination:${fqdn}:${port ?? ''}:${subset ?? ''}`;
    const problems: string[] = [];
    const entry = this.idx.destinationHost(vs.namespace, exportTo, host);
    if (!entry) problems.push(`no Service or ServiceEntry ${shortHost(fqdn)} in the input`);
    else if (port !== undefined && entry.ports.length > 0 && !entry.ports.includes(port)) problems.push(`${originOfRes(entry.res)} has no port ${port}`);
    if (subset && !this.subsetDefined(fqdn, subset)) problems.push(`no DestinationRule defines subset ${subset} for ${shortHost(fqdn)}`);
    const missing = problems.length > 0 ? problems.join('; ') : undefined;
    const ns = shortOrFullName('', resourceNameFromHost(vs.namespace, fqdn)).namespace;
    // The full name: it contains every way a route may have written it (`reviews`, `reviews.ns`, the FQDN).
    const label = `${fqdn}${port !== undefined ? `:${port}` : ''}${subset ? ` subset ${subset}` : ''}`;
    const attrs: Record<string, string> = { host: fqdn };
    if (port !== undefined) attrs.port = String(port);
    if (subset) attrs.subset = subset;
    this.node({ id, kind: 'destination', label, namespace: ns, group: '', api: 'istio', attrs, ...(missing ? { missing } : {}) });
    this.edge(rid, id, 'sends', { weight, dangling: missing });
  }

  private subsetCache?: Map<string, Set<string>>;

  /** Whether a DestinationRule for the host (exact FQDN, or a wildcard covering it) defines the subset. */
  private subsetDefined(fqdn: string, subset: string): boolean {
    if (!this.subsetCache) {
      this.subsetCache = new Map();
      for (const dr of this.idx.list('DestinationRule')) {
        const h = str(dr.spec.host);
        if (!h) continue;
        const k = toFqdn(dr.namespace, h);
        let set = this.subsetCache.get(k);
        if (!set) this.subsetCache.set(k, set = new Set());
        for (const s of recs(dr.spec.subsets)) {
          const n = str(s.name);
          if (n) set.add(n);
        }
      }
    }
    for (const [h, set] of this.subsetCache) {
      if (set.has(subset) && hostMatches(h, fqdn)) return true;
    }
    return false;
  }

  result(): RoutingGraph {
    const rank = (k: NodeKind): number => NODE_KINDS.indexOf(k);
    const nodes = [...this.nodes.values()].sort((a, b) => rank(a.kind) - rank(b.kind) || cmp(a.id, b.id));
    const edges = [...this.edges.values()].sort((a, b) => cmp(a.from, b.from) || cmp(a.to, b.to) || cmp(a.kind, b.kind));
    return { nodes, edges };
  }
}

/** @internal */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function describeStringMatch(v: unknown): string | undefined {
  if (!isRecord(v)) return undefined;
  for (const op of ['exact', 'prefix', 'regex'] as const) {
    const s = str(v[op]);
    if (s !== undefined) return op === 'exact' ? `= ${s}` : `${op} ${s}`;
  }
  return undefined;
}

function describeMap(prefix: string, v: unknown): string[] {
  if (!isRecord(v)) return [];
  return Object.keys(v).sort().map((k) => `${prefix} ${k} ${describeStringMatch(v[k]) ?? 'present'}`);
}

/** Match blocks as text: conditions of one block joined by `and`, blocks by ` OR `; `any` when unconditional. */
export function describeMatches(type: 'http' | 'tls' | 'tcp', match: unknown): string {
  const blocks = recs(match).map((m: Dict) => {
    const c: string[] = [];
    if (type === 'http') {
      for (const f of ['uri', 'scheme', 'method', 'authority'] as const) {
        const d = describeStringMatch(m[f]);
        if (d) c.push(`${f} ${d}`);
      }
      c.push(...describeMap('header', m.headers), ...describeMap('query', m.queryParams));
      for (const k of Object.keys(rec(m.withoutHeaders)).sort()) c.push(`without header ${k}`);
      if (m.ignoreUriCase === true) c.push('uri case-insensitive');
    }
    if (type === 'tls' && strs(m.sniHosts).length > 0) c.push(`sni ${strs(m.sniHosts).join(',')}`);
    if (type === 'tcp' && strs(m.destinationSubnets).length > 0) c.push(`subnets ${strs(m.destinationSubnets).join(',')}`);
    const port = int(m.port);
    if (port !== undefined) c.push(`port ${port}`);
    const src = strMap(m.sourceLabels);
    if (Object.keys(src).length > 0) c.push(`source ${selectorString(src)}`);
    if (strs(m.gateways).length > 0) c.push(`gateways ${strs(m.gateways).join(',')}`);
    if (str(m.sourceNamespace)) c.push(`source namespace ${str(m.sourceNamespace)}`);
    return c.length > 0 ? c.join(' and ') : 'any';
  });
  return blocks.length === 0 ? 'any' : blocks.join(' OR ');
}

function describeAction(rule: Dict): string | undefined {
  if (isRecord(rule.redirect)) {
    const r = rule.redirect;
    return `redirect${str(r.authority) ? ` to ${str(r.authority)}` : ''}${str(r.uri) ? ` ${str(r.uri)}` : ''}`;
  }
  if (isRecord(rule.directResponse)) return `direct response ${int(rule.directResponse.status) ?? ''}`.trim();
  // Delegation is shown, not followed: the delegate VirtualService's rules are not drawn under it.
  if (isRecord(rule.delegate)) return `delegate to ${str(rule.delegate.namespace) ? `${str(rule.delegate.namespace)}/` : ''}${str(rule.delegate.name) ?? '?'}`;
  if (isRecord(rule.mirror) && str(rule.mirror.host)) return `mirror to ${str(rule.mirror.host)}${str(rule.mirror.subset) ? ` subset ${str(rule.mirror.subset)}` : ''}`;
  return undefined;
}
