// One hash-based index per analyze() call: objects by type/namespace/name, workloads with a label
// index, Services by the workloads they select, and service hosts by scope, so that no analyzer
// needs a pairwise scan over all objects.

import { forEachListItem, isListObject } from '../manifests';
import { EXPORT_TO_ALL, EXPORT_TO_LOCAL, hostMatches, HostSet, isWildcard, scopedFqdn } from './hosts';
import { isEmptySelector, Labels, pairKey, selectorMatches } from './labels';
import { Dict, int, isRecord, rec, recs, str, strMap, strs } from './objects';

/**
 * The object types the analyzers read. `K8sGateway` is a Gateway API `gateway.networking.k8s.io` Gateway;
 * HTTPRoute, GRPCRoute, TLSRoute and TCPRoute are the Gateway API routes (any version).
 */
export type ResType =
  | 'Gateway' | 'K8sGateway' | 'VirtualService' | 'DestinationRule' | 'ServiceEntry' | 'Telemetry'
  | 'Service' | 'Pod' | 'Secret' | 'Node' | 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'ReplicaSet'
  | 'Namespace' | 'ConfigMap' | 'Sidecar' | 'AuthorizationPolicy' | 'RequestAuthentication' | 'WasmPlugin'
  | 'CustomResourceDefinition' | 'MutatingWebhookConfiguration' | 'ProxyConfig'
  | 'HTTPRoute' | 'GRPCRoute' | 'TLSRoute' | 'TCPRoute';

/** A readable object, normalized once. */
export interface Res {
  readonly raw: Dict;
  readonly type: ResType;
  readonly kind: string;
  readonly name: string;
  /** Namespace for lookups: `default` when the object has none (as Istio's harness does); empty for Nodes. */
  readonly namespace: string;
  /** Whether the object itself names a namespace (decides the origin format). */
  readonly hasNamespace: boolean;
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly spec: Dict;
  readonly external: boolean;
  /** `namespace/name` with the lookup namespace. */
  readonly fullName: string;
}

/** Something that runs pods: a Pod, or the pod template of a controller (before deploy there are no Pods). */
export interface Workload {
  readonly res: Res;
  readonly namespace: string;
  readonly labels: Labels;
  readonly nodeName?: string;
  /** Pod name, or `Kind/name` for a pod template. */
  readonly description: string;
}

export interface ServicePort {
  readonly port: number;
  /** Numeric targetPort, if any (named target ports cannot be compared with a gateway port). */
  readonly targetPort?: number;
  readonly protocol: string;
}

export interface ServiceInfo {
  readonly res: Res;
  /** Undefined when the Service has no selector (its endpoints are managed by hand). */
  readonly selector?: Labels;
  readonly ports: readonly ServicePort[];
}

/** A host that a route or DestinationRule can point at: from a Service or a ServiceEntry (Istio's ServiceEntry view of both). */
export interface HostEntry {
  readonly res: Res;
  readonly ports: readonly number[];
  /** Labels that, with a subset's labels, select the backing workloads; undefined when pods cannot be checked. */
  readonly podSelector?: Labels;
}

const CORE_GROUPS = new Set(['']);
const APPS_GROUPS = new Set(['apps', 'extensions']);
const GATEWAY_API_GROUPS = new Set(['gateway.networking.k8s.io']);
// A Map, not an object literal: `kind` is user input, and `constructor` or `__proto__` must be
// unknown kinds, not Object.prototype's members.
const KINDS = new Map<string, { types: Array<[Set<string>, ResType]> }>([
  ['Gateway', { types: [[new Set(['networking.istio.io', '']), 'Gateway'], [new Set(['gateway.networking.k8s.io']), 'K8sGateway']] }],
  ['VirtualService', { types: [[new Set(['networking.istio.io', '']), 'VirtualService']] }],
  ['DestinationRule', { types: [[new Set(['networking.istio.io', '']), 'DestinationRule']] }],
  ['ServiceEntry', { types: [[new Set(['networking.istio.io', '']), 'ServiceEntry']] }],
  ['Telemetry', { types: [[new Set(['telemetry.istio.io', '']), 'Telemetry']] }],
  ['Service', { types: [[CORE_GROUPS, 'Service']] }],
  ['Pod', { types: [[CORE_GROUPS, 'Pod']] }],
  ['Secret', { types: [[CORE_GROUPS, 'Secret']] }],
  ['Node', { types: [[CORE_GROUPS, 'Node']] }],
  ['Deployment', { types: [[APPS_GROUPS, 'Deployment']] }],
  ['StatefulSet', { types: [[APPS_GROUPS, 'StatefulSet']] }],
  ['DaemonSet', { types: [[APPS_GROUPS, 'DaemonSet']] }],
  ['ReplicaSet', { types: [[APPS_GROUPS, 'ReplicaSet']] }],
  ['Namespace', { types: [[CORE_GROUPS, 'Namespace']] }],
  ['ConfigMap', { types: [[CORE_GROUPS, 'ConfigMap']] }],
  ['Sidecar', { types: [[new Set(['networking.istio.io', '']), 'Sidecar']] }],
  ['ProxyConfig', { types: [[new Set(['networking.istio.io', '']), 'ProxyConfig']] }],
  ['AuthorizationPolicy', { types: [[new Set(['security.istio.io', '']), 'AuthorizationPolicy']] }],
  ['RequestAuthentication', { types: [[new Set(['security.istio.io', '']), 'RequestAuthentication']] }],
  ['WasmPlugin', { types: [[new Set(['extensions.istio.io', '']), 'WasmPlugin']] }],
  ['HTTPRoute', { types: [[GATEWAY_API_GROUPS, 'HTTPRoute']] }],
  ['GRPCRoute', { types: [[GATEWAY_API_GROUPS, 'GRPCRoute']] }],
  ['TLSRoute', { types: [[GATEWAY_API_GROUPS, 'TLSRoute']] }],
  ['TCPRoute', { types: [[GATEWAY_API_GROUPS, 'TCPRoute']] }],
  ['CustomResourceDefinition', { types: [[new Set(['apiextensions.k8s.io']), 'CustomResourceDefinition']] }],
  ['MutatingWebhookConfiguration', { types: [[new Set(['admissionregistration.k8s.io']), 'MutatingWebhookConfiguration']] }],
]);
const CLUSTER_SCOPED: ReadonlySet<ResType> = new Set<ResType>(['Node', 'Namespace', 'CustomResourceDefinition', 'MutatingWebhookConfiguration']);
const TEMPLATE_TYPES: ReadonlySet<ResType> = new Set<ResType>(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

function classify(o: Dict): ResType | undefined {
  const kind = str(o.kind);
  if (!kind) return undefined;
  const entry = KINDS.get(kind);
  if (!entry) return undefined;
  const apiVersion = str(o.apiVersion);
  const group = apiVersion === undefined ? '' : (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');
  // (An index loop: destructuring each entry allocated an iterator per object of the input.)
  for (let i = 0; i < entry.types.length; i++) if (entry.types[i][0].has(group)) return entry.types[i][1];
  return undefined;
}

/** Kubernetes' system namespaces: istioctl analyze reads no object in them, nor the Namespace objects themselves. */
const IGNORED_NAMESPACES: ReadonlySet<string> = new Set(['kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage']);

function normalize(o: Dict, external: boolean): Res | undefined {
  const type = classify(o);
  if (!type) return undefined;
  const meta = rec(o.metadata);
  const name = str(meta.name);
  if (!name) return undefined;
  const rawNs = str(meta.namespace);
  if (IGNORED_NAMESPACES.has(type === 'Namespace' ? name : (rawNs ?? ''))) return undefined;
  const clusterScoped = CLUSTER_SCOPED.has(type);
  const hasNamespace = !clusterScoped && !!rawNs;
  const namespace = clusterScoped ? '' : (rawNs || 'default');
  const kind = str(o.kind)!;
  return {
    raw: o,
    type,
    kind,
    name,
    namespace,
    hasNamespace,
    labels: strMap(meta.labels),
    annotations: strMap(meta.annotations),
    spec: rec(o.spec),
    external,
    fullName: `${namespace}/${name}`,
  };
}

/**
 * How findings name an object: `Kind namespace/name`, or `Kind name` when the object names no namespace.
 * Written when asked (for a finding or its message), not kept on every record: objects with findings are
 * few, and three strings per record were a tenth of what the index allocated and kept.
 */
export function originOfRes(r: Res): string {
  return r.hasNamespace ? `${r.kind} ${r.namespace}/${r.name}` : `${r.kind} ${r.name}`;
}

/**
 * How many input objects are normalized before the external ones. Normalizing is per object, so its
 * order is free (objects are still added externals first). The synth check declares thousands of
 * externals of two plain shapes (a Service, a Secret) and passes them first: V8 optimized
 * `normalize` on those shapes alone, then threw that code away at the first rendered object
 * ("wrong map", "insufficient type feedback": labels never read before) and compiled it again. With
 * a few inputs read first, the code is optimized once, on every shape.
 */
const FEEDBACK_LEAD = 64;

/**
 * The records of `objects` in order, Lists replaced by their items. An array (what analyze() gets) is
 * read by index: until V8 optimizes the loop, each step of a for-of allocated an iterator result
 * (21,000 objects in a synth check at 1,000 teams, 260,000 in a 50 MB cluster dump).
 */
function recordsOf(objects: Iterable<unknown>): Dict[] {
  const out: Dict[] = [];
  if (!Array.isArray(objects)) {
    forEachListItem(objects, (o) => { if (isRecord(o)) out.push(o); });
    return out;
  }
  for (let i = 0; i < objects.length; i++) {
    const o: unknown = objects[i];
    if (isListObject(o)) forEachListItem([o], (item) => { if (isRecord(item)) out.push(item); });
    else if (isRecord(o)) out.push(o);
  }
  return out;
}

export class ResourceIndex {
  // type -> name -> the object's slot, or (once objects of one name are in several namespaces)
  // namespace -> slot: lookups by the strings the objects already hold (their hashes cached), with no
  // key string built per object or per lookup, and no Map per namespace and type (a dump of 12,000
  // namespaces made 84,000 of them). `slots` keeps input order: a later object with the same identity
  // replaces the earlier one, in its own (later) position.
  private readonly byKey = new Map<ResType, Map<string, number | Map<string, number>>>();
  private readonly slots: Array<Res | undefined> = [];
  private readonly byType = new Map<ResType, Res[]>();
  private readonly allWorkloads: Workload[] = [];
  private readonly workloadsByNs = new Map<string, Workload[]>();
  private readonly pairIndex = new Map<string, Workload[]>();
  private readonly pairIndexByNs = new Map<string, Map<string, Workload[]>>();
  private readonly serviceInfos: ServiceInfo[] = [];
  private servicesByWorkload?: Map<Workload, ServiceInfo[]>;
  private hostMap?: Map<string, HostEntry>;
  private wildcardHosts?: Array<{ scope: string; host: string; entry: HostEntry }>;
  private readonly destinationCache = new Map<string, Map<string, HostEntry | undefined>>();
  private wildcardSuffixes?: { bySuffix: Map<string, WildcardGroup>; lengths: number[] };
  private hostsByScope?: Map<string, HostSet>;
  private visibleScans = 0;

  constructor(inputs: Iterable<unknown>, external: Iterable<unknown> = []) {
    // External objects first: an input object with the same identity replaces its external twin.
    // Normalized in another order than they are added (see FEEDBACK_LEAD); added in this one.
    const inp = recordsOf(inputs);
    const ext = recordsOf(external);
    const lead = Math.min(inp.length, FEEDBACK_LEAD);
    const inRes: Array<Res | undefined> = new Array(inp.length);
    for (let i = 0; i < lead; i++) inRes[i] = normalize(inp[i], false);
    const extRes: Array<Res | undefined> = new Array(ext.length);
    for (let i = 0; i < ext.length; i++) extRes[i] = normalize(ext[i], true);
    for (let i = lead; i < inp.length; i++) inRes[i] = normalize(inp[i], false);
    for (let i = 0; i < extRes.length; i++) { const r = extRes[i]; if (r !== undefined) this.add(r); }
    for (let i = 0; i < inRes.length; i++) { const r = inRes[i]; if (r !== undefined) this.add(r); }
    for (let i = 0; i < this.slots.length; i++) {
      const r = this.slots[i];
      if (r === undefined) continue;
      let list = this.byType.get(r.type);
      if (!list) this.byType.set(r.type, list = []);
      list.push(r);
    }
    const pods = this.list('Pod');
    for (let i = 0; i < pods.length; i++) {
      const r = pods[i];
      this.addWorkload({ res: r, namespace: r.namespace, labels: r.labels, nodeName: str(rec(r.spec).nodeName) || undefined, description: r.name });
    }
    for (const type of TEMPLATE_TYPES) {
      const controllers = this.list(type);
      for (let i = 0; i < controllers.length; i++) {
        const r = controllers[i];
        const template = rec(r.spec.template);
        if (!isRecord(r.spec.template)) continue;
        this.addWorkload({ res: r, namespace: r.namespace, labels: strMap(rec(template.metadata).labels), description: `${r.kind}/${r.name}` });
      }
    }
    const services = this.list('Service');
    for (let i = 0; i < services.length; i++) this.serviceInfos.push(toServiceInfo(services[i]));
  }

  private add(r: Res): void {
    let byName = this.byKey.get(r.type);
    if (!byName) this.byKey.set(r.type, byName = new Map());
    const slot = this.slots.length;
    const at = byName.get(r.name);
    if (at === undefined) {
      byName.set(r.name, slot);
    } else if (typeof at === 'number') {
      const other = this.slots[at]!;
      if (other.namespace === r.namespace) {
        this.slots[at] = undefined; // keep the last one, in its position
        byName.set(r.name, slot);
      } else {
        byName.set(r.name, new Map([[other.namespace, at], [r.namespace, slot]]));
      }
    } else {
      const earlier = at.get(r.namespace);
      if (earlier !== undefined) this.slots[earlier] = undefined;
      at.set(r.namespace, slot);
    }
    this.slots.push(r);
  }

  private addWorkload(w: Workload): void {
    this.allWorkloads.push(w);
    push(this.workloadsByNs, w.namespace, w);
    let nsIndex = this.pairIndexByNs.get(w.namespace);
    if (!nsIndex) this.pairIndexByNs.set(w.namespace, nsIndex = new Map());
    for (const k in w.labels) {
      const pk = pairKey(k, w.labels[k]);
      push(this.pairIndex, pk, w);
      push(nsIndex, pk, w);
    }
  }

  /** All objects of a type, in input order. */
  list(type: ResType): readonly Res[] {
    return this.byType.get(type) ?? [];
  }

  get(type: ResType, namespace: string, name: string): Res | undefined {
    const at = this.byKey.get(type)?.get(name);
    if (at === undefined) return undefined;
    if (typeof at === 'number') {
      const r = this.slots[at];
      return r !== undefined && r.namespace === namespace ? r : undefined;
    }
    const i = at.get(namespace);
    return i === undefined ? undefined : this.slots[i];
  }

  get workloads(): readonly Workload[] {
    return this.allWorkloads;
  }

  get services(): readonly ServiceInfo[] {
    return this.serviceInfos;
  }

  /** Workloads whose labels match the selector, in one namespace or (without one) in all. An empty selector matches all. */
  selectWorkloads(selector: Labels, namespace?: string): Workload[] {
    const c = this.candidates(selector, namespace);
    if (c === undefined) return [];
    if (!c.check) return c.list.slice();
    const out: Workload[] = [];
    for (let i = 0; i < c.list.length; i++) if (selectorMatches(selector, c.list[i].labels)) out.push(c.list[i]);
    return out;
  }

  /** Whether some workload matching the selector (as in selectWorkloads) passes the test; no list is built. */
  someWorkload(selector: Labels, namespace: string | undefined, test: (w: Workload) => boolean): boolean {
    const c = this.candidates(selector, namespace);
    if (c === undefined) return false;
    for (const w of c.list) if ((!c.check || selectorMatches(selector, w.labels)) && test(w)) return true;
    return false;
  }

  /**
   * The workloads a selector can match: the smallest label-pair bucket of its pairs (every workload in
   * it carries that pair), and whether its other pairs still need checking (not for a one-pair
   * selector, the common case, nor an empty one, unless a NUL could make its pair's key ambiguous); undefined when nothing can match.
   */
  private candidates(selector: Labels, namespace: string | undefined): { list: readonly Workload[]; check: boolean } | undefined {
    const pairs = namespace === undefined ? this.pairIndex : this.pairIndexByNs.get(namespace);
    let best: Workload[] | undefined;
    let keys = 0;
    let nul = false;
    for (const k in selector) {
      keys++;
      // A NUL in a key or value could make two different pairs one pairKey: such selectors are checked.
      if (k.includes('\0') || selector[k].includes('\0')) nul = true;
      if (!pairs) return undefined;
      const bucket = pairs.get(pairKey(k, selector[k]));
      if (!bucket) return undefined;
      if (!best || bucket.length < best.length) best = bucket;
    }
    if (best === undefined) return { list: namespace === undefined ? this.allWorkloads : (this.workloadsByNs.get(namespace) ?? []), check: false };
    return { list: best, check: keys > 1 || nul };
  }

  /** Services (with a selector) in the workload's namespace whose selector matches it. */
  servicesSelecting(w: Workload): readonly ServiceInfo[] {
    if (!this.servicesByWorkload) {
      const map = new Map<Workload, ServiceInfo[]>();
      for (let i = 0; i < this.serviceInfos.length; i++) {
        const svc = this.serviceInfos[i];
        if (!svc.selector) continue;
        const c = this.candidates(svc.selector, svc.res.namespace);
        if (c === undefined) continue;
        for (let j = 0; j < c.list.length; j++) if (!c.check || selectorMatches(svc.selector, c.list[j].labels)) push(map, c.list[j], svc);
      }
      this.servicesByWorkload = map;
    }
    return this.servicesByWorkload.get(w) ?? [];
  }

  nodeLabels(name: string): Labels | undefined {
    return this.get('Node', '', name)?.labels;
  }

  /**
   * Istio's InitServiceEntryHostMap: `scope/fqdn` -> host entry, for ServiceEntries (scoped by exportTo)
   * and Services (scoped by the networking.istio.io/exportTo annotation). Services win over ServiceEntries.
   */
  hosts(): Map<string, HostEntry> {
    if (this.hostMap) return this.hostMap;
    const map = new Map<string, HostEntry>();
    for (const se of this.list('ServiceEntry')) {
      const ws = strMap(rec(se.spec.workloadSelector).labels);
      const entry: HostEntry = {
        res: se,
        ports: recs(se.spec.ports).map((p) => int(p.number) ?? 0),
        podSelector: isEmptySelector(ws) ? undefined : ws,
      };
      const exportTo = strs(se.spec.exportTo);
      for (const h of strs(se.spec.hosts)) {
        if (exportTo.length === 0 || exportTo.includes(EXPORT_TO_ALL)) {
          map.set(scopedFqdn(EXPORT_TO_ALL, se.namespace, h), entry);
          continue;
        }
        for (const e of exportTo) {
          map.set(scopedFqdn(e === EXPORT_TO_LOCAL ? se.namespace : e, se.namespace, h), entry);
        }
      }
    }
    for (let i = 0; i < this.serviceInfos.length; i++) {
      const svc = this.serviceInfos[i];
      const entry: HostEntry = { res: svc.res, ports: svc.ports.map((p) => p.port), podSelector: svc.selector };
      const scopes = serviceScopes(svc.res);
      for (let j = 0; j < scopes.length; j++) map.set(scopedFqdn(scopes[j], svc.res.namespace, svc.res.name), entry);
    }
    this.hostMap = map;
    return map;
  }

  /** Host entries whose host is a wildcard, with their scope. */
  wildcardEntries(): ReadonlyArray<{ scope: string; host: string; entry: HostEntry }> {
    if (!this.wildcardHosts) {
      this.wildcardHosts = [];
      for (const [k, entry] of this.hosts()) {
        const i = k.indexOf('/');
        const host = k.slice(i + 1);
        if (isWildcard(host)) this.wildcardHosts.push({ scope: k.slice(0, i), host, entry });
      }
    }
    return this.wildcardHosts;
  }

  /**
   * Istio's GetDestinationHost: the Service or ServiceEntry that `host` names, as seen from a resource in
   * `sourceNs` exported to `exportTo`; exact scoped matches first, then wildcard ServiceEntry hosts.
   */
  destinationHost(sourceNs: string, exportTo: readonly string[], host: string): HostEntry | undefined {
    // Routes without exportTo (nearly all) ask for the same few hosts from each namespace: answered
    // once per namespace and host, without building the scoped keys again.
    if (exportTo.length > 0) return this.findDestinationHost(sourceNs, exportTo, host);
    let byHost = this.destinationCache.get(sourceNs);
    if (!byHost) this.destinationCache.set(sourceNs, byHost = new Map());
    let entry = byHost.get(host);
    if (entry === undefined && !byHost.has(host)) byHost.set(host, entry = this.findDestinationHost(sourceNs, exportTo, host));
    return entry;
  }

  private findDestinationHost(sourceNs: string, exportTo: readonly string[], host: string): HostEntry | undefined {
    const map = this.hosts();
    const all = map.get(scopedFqdn(EXPORT_TO_ALL, sourceNs, host));
    if (all) return all;
    if (exportTo.length === 0) {
      const local = map.get(scopedFqdn(sourceNs, sourceNs, host));
      if (local) return local;
    } else {
      for (const e of exportTo) {
        const scoped = map.get(scopedFqdn(e === EXPORT_TO_LOCAL ? sourceNs : e, sourceNs, host));
        if (scoped) return scoped;
      }
    }
    const bare = host.startsWith('*') ? host.slice(1) : host;
    const wildcards = this.wildcardEntries();
    if (wildcards.length > WILDCARD_SCAN) return this.firstWildcardBySuffix(sourceNs, bare);
    for (const { scope, host: seHost, entry } of wildcards) {
      if (scope !== EXPORT_TO_ALL && scope !== sourceNs) continue;
      if (bare.endsWith(seHost.slice(1))) return entry;
    }
    return undefined;
  }

  /**
   * The scan above for many wildcard hosts: the first wildcard entry (in host-map order) visible from
   * `sourceNs` whose suffix (the host without its `*`) ends `bare`. A missing destination scanned
   * every wildcard ServiceEntry of the mesh, once per namespace and host: 4,000 namespaces each with a
   * wildcard egress ServiceEntry and four missing destinations took 2.6 s. Now the suffixes of `bare`
   * of the lengths some wildcard suffix has are looked up, each group knowing its first entry
   * exported to all and its first per namespace.
   */
  private firstWildcardBySuffix(sourceNs: string, bare: string): HostEntry | undefined {
    const wildcards = this.wildcardEntries();
    let groups = this.wildcardSuffixes;
    if (!groups) {
      const bySuffix = new Map<string, WildcardGroup>();
      const lengths = new Set<number>();
      for (let i = 0; i < wildcards.length; i++) {
        const w = wildcards[i];
        const suffix = w.host.slice(1);
        let g = bySuffix.get(suffix);
        if (!g) bySuffix.set(suffix, g = { all: -1, byScope: new Map() });
        lengths.add(suffix.length);
        if (w.scope === EXPORT_TO_ALL) {
          if (g.all < 0) g.all = i;
        } else if (!g.byScope.has(w.scope)) g.byScope.set(w.scope, i);
      }
      groups = this.wildcardSuffixes = { bySuffix, lengths: [...lengths] };
    }
    let best = -1;
    for (let l = 0; l < groups.lengths.length; l++) {
      const len = groups.lengths[l];
      if (len > bare.length) continue;
      const g = groups.bySuffix.get(bare.slice(bare.length - len));
      if (!g) continue;
      if (g.all >= 0 && (best < 0 || g.all < best)) best = g.all;
      const scoped = g.byScope.get(sourceNs);
      if (scoped !== undefined && (best < 0 || scoped < best)) best = scoped;
    }
    return best < 0 ? undefined : wildcards[best].entry;
  }

  /**
   * Whether some host visible from `sourceNs` matches the wildcard `host` (`hostMatches(host, visible)`:
   * a plain host ending with the wildcard's suffix, or a wildcard host whose suffix ends with it or ends
   * it). A DestinationRule whose wildcard host names no service scanned every host of the mesh; now
   * the visible hosts of a scope are sorted once, reversed, and searched by prefix.
   */
  coversVisibleHost(sourceNs: string, host: string): boolean {
    // The first few are scanned (a mesh-wide `*.local` matches the first Service): sorting every host
    // pays only when many DestinationRules ask.
    if (this.visibleScans < 8) {
      this.visibleScans++;
      for (const v of this.visibleHosts(sourceNs)) if (hostMatches(host, v.host)) return true;
      return false;
    }
    return this.scopeHosts(EXPORT_TO_ALL).anyMatches(host) || (sourceNs !== EXPORT_TO_ALL && this.scopeHosts(sourceNs).anyMatches(host));
  }

  private scopeHosts(scope: string): HostSet {
    if (!this.hostsByScope) {
      const byScope = new Map<string, string[]>();
      for (const k of this.hosts().keys()) {
        const i = k.indexOf('/');
        push(byScope, k.slice(0, i), k.slice(i + 1));
      }
      this.hostsByScope = new Map();
      byScope.forEach((hosts, sc) => this.hostsByScope!.set(sc, new HostSet(hosts)));
    }
    return this.hostsByScope.get(scope) ?? NO_HOSTS;
  }

  /** FQDN of every host entry visible from a namespace (used to resolve wildcard DestinationRule hosts). */
  *visibleHosts(sourceNs: string): Iterable<{ host: string; entry: HostEntry }> {
    for (const [k, entry] of this.hosts()) {
      const i = k.indexOf('/');
      const scope = k.slice(0, i);
      if (scope === EXPORT_TO_ALL || scope === sourceNs) yield { host: k.slice(i + 1), entry };
    }
  }
}

const NO_HOSTS = new HostSet([]);

/** Up to this many wildcard hosts, a lookup scans them; beyond, it goes by suffix (firstWildcardBySuffix). */
const WILDCARD_SCAN = 16;

/** Wildcard host entries of one suffix: the first (by position) exported to all, and the first per namespace. */
interface WildcardGroup {
  all: number;
  readonly byScope: Map<string, number>;
}

/**
 * An index that lives as long as this module, so that the index's hidden class (V8's map, shared by
 * every index) does too. Each analyze() makes one index, and when the last of them dies in a full
 * GC (between two syntheses, or after `global.gc()` in a benchmark) V8 frees that map, and with it
 * the optimized code of every function that checked an index's map: `add`, `get`, `selectWorkloads`,
 * `destinationHost` and the analyzers inlining them were discarded ("weak objects" in
 * `--trace-deopt`) and the next analysis ran them interpreted again. Empty: its maps hold nothing.
 * @internal
 */
export const SHAPE_KEEPER: ResourceIndex = new ResourceIndex([]);

function toServiceInfo(r: Res): ServiceInfo {
  const selector = strMap(r.spec.selector);
  const ports: ServicePort[] = recs(r.spec.ports).map((p) => ({
    port: int(p.port) ?? 0,
    targetPort: int(p.targetPort) || undefined,
    // Kubernetes defaults an omitted protocol to TCP.
    protocol: str(p.protocol) ?? 'TCP',
  }));
  return { res: r, selector: isEmptySelector(selector) ? undefined : selector, ports };
}

/** Namespaces a Service is visible in, from its networking.istio.io/exportTo annotation (default: all). */
/** The scope of a Service without an exportTo annotation (nearly all): one shared list, read-only. */
const ALL_SCOPES: readonly string[] = Object.freeze([EXPORT_TO_ALL]);

function serviceScopes(r: Res): readonly string[] {
  const anno = r.annotations['networking.istio.io/exportTo'];
  if (!anno) return ALL_SCOPES;
  return anno.split(',').map((s) => s.trim()).filter((s) => s.length > 0)
    .map((s) => (s === EXPORT_TO_LOCAL ? r.namespace : s));
}

function push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
  const list = map.get(k);
  if (list) list.push(v);
  else map.set(k, [v]);
}

