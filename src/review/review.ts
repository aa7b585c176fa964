// reviewChange(): compares two sets of plain Kubernetes objects. The reviewer's summary comes from
// the two routing pictures (src/graph); the disruption rules read the objects themselves, since
// what fails to apply or breaks live traffic is a property of one object's old and new state.

import { hostMatches, toFqdn } from '../analysis/hosts';
import { Labels, selectorMatches, selectorString } from '../analysis/labels';
import { Dict, int, rec, recs, str, strMap, strs } from '../analysis/objects';
import { Res, ResourceIndex } from '../analysis/resource-index';
import { flattenObjects } from '../manifests';
import { routingGraph } from '../graph/build';
import { GraphEdge, GraphNode, RoutingGraph } from '../graph/model';
import { groupTitle } from '../graph/render-text';
import { ChangeReview, Disruption, ReviewChange, ReviewOptions, WeightShift } from './model';

/** A server host without its `ns/` prefix. */
const bareHost = (raw: string): string => raw.slice(raw.indexOf('/') + 1);

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Canonical JSON (keys sorted) for comparing values that may be written in any key order. */
function canon(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v as Dict).sort().map((k) => `${JSON.stringify(k)}:${canon((v as Dict)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'undefined';
}

interface Obj { raw: Dict; kind: string; namespace: string; name: string; key: string; origin: string }

function objectsByKey(objects: readonly object[]): Map<string, Obj> {
  const out = new Map<string, Obj>();
  for (const o of flattenObjects(objects)) {
    const kind = str(o.kind);
    const meta = rec(o.metadata);
    const name = str(meta.name);
    if (!kind || !name) continue;
    const namespace = str(meta.namespace) || 'default';
    const group = (str(o.apiVersion) ?? '').includes('/') ? str(o.apiVersion)!.split('/')[0] : '';
    const key = `${group}/${kind}/${namespace}/${name}`;
    out.set(key, { raw: o, kind, namespace, name, key, origin: `${kind} ${namespace}/${name}` });
  }
  return out;
}

/** Both states of the objects present in both, in key order. */
function* pairs(before: Map<string, Obj>, after: Map<string, Obj>, kinds: readonly string[]): Iterable<[Obj, Obj]> {
  for (const k of [...before.keys()].sort()) {
    const b = before.get(k)!;
    const a = after.get(k);
    if (a && kinds.includes(b.kind)) yield [b, a];
  }
}

class Graph {
  readonly byId: Map<string, GraphNode>;
  readonly out = new Map<string, GraphEdge[]>();
  readonly into = new Map<string, GraphEdge[]>();
  constructor(readonly g: RoutingGraph) {
    this.byId = new Map(g.nodes.map((n) => [n.id, n]));
    for (const e of g.edges) {
      (this.out.get(e.from) ?? this.out.set(e.from, []).get(e.from)!).push(e);
      (this.into.get(e.to) ?? this.into.set(e.to, []).get(e.to)!).push(e);
    }
  }
  nodes(kind: GraphNode['kind']): GraphNode[] {
    return this.g.nodes.filter((n) => n.kind === kind);
  }
  parents(id: string, kind?: string): GraphNode[] {
    return (this.into.get(id) ?? []).map((e) => this.byId.get(e.from)!).filter((n) => !kind || n.kind === kind);
  }
  children(id: string): GraphEdge[] {
    return this.out.get(id) ?? [];
  }
  /** Served (not missing) host names per gateway group. */
  servedHosts(): Map<string, Set<string>> {
    const m = new Map<string, Set<string>>();
    for (const h of this.nodes('host')) {
      if (h.missing || h.api === 'mesh') continue;
      (m.get(h.group) ?? m.set(h.group, new Set()).get(h.group)!).add(h.label);
    }
    return m;
  }
  /** Hosts (by label) a route is entered from, served or not. */
  routeHosts(routeId: string): string[] {
    return [...new Set(this.parents(routeId, 'host').map((h) => h.label))].sort();
  }
  /** The pods a gateway runs on: workload ids, or `workload:selector:<labels>` when they are not in the input. */
  workloadsOf(gatewayGroup: string): string[] {
    return this.parents(`gateway:${gatewayGroup}`, 'workload').map((w) => w.id).sort();
  }
}

function hostChanges(gb: Graph, ga: Graph, changes: ReviewChange[], disruptions: Disruption[]): void {
  const hb = gb.servedHosts();
  const ha = ga.servedHosts();
  const byHost = (m: Map<string, Set<string>>): Map<string, Set<string>> => {
    const out = new Map<string, Set<string>>();
    for (const [gw, hosts] of m) for (const h of hosts) (out.get(h) ?? out.set(h, new Set()).get(h)!).add(gw);
    return out;
  };
  const gwOfB = byHost(hb);
  const gwOfA = byHost(ha);
  for (const host of [...new Set([...gwOfB.keys(), ...gwOfA.keys()])].sort()) {
    const b = gwOfB.get(host) ?? new Set<string>();
    const a = gwOfA.get(host) ?? new Set<string>();
    const removed = [...b].filter((g) => !a.has(g)).sort();
    const added = [...a].filter((g) => !b.has(g)).sort();
    if (removed.length > 0 && added.length > 0) {
      for (const to of added) {
        const from = removed.join(', ');
        const fromTitle = removed.map(groupTitle).join(', ');
        changes.push({ kind: 'host-moved', gateway: to, host, summary: `host ${host} moved from ${fromTitle} to ${groupTitle(to)}`, before: from, after: to });
        // Between gateways on the same pods the address does not change; otherwise DNS must follow.
        const sameWorkloads = removed.every((r) => gb.workloadsOf(r).length > 0 && canon(gb.workloadsOf(r)) === canon(ga.workloadsOf(to)));
        if (!sameWorkloads) {
          disruptions.push({
            rule: 'host-moved', object: groupTitle(to), gateway: to, host,
            reason: `host ${host} leaves ${fromTitle} for ${groupTitle(to)}, which runs on other pods behind another address: clients that resolve ${host} to the old gateway's address get connection errors or the wrong certificate until DNS follows`,
            safeSequence: `serve ${host} on both gateways (add it to ${groupTitle(to)}, apply), point DNS at its address and wait out the TTL, then remove it from ${fromTitle}`,
          });
        }
      }
      continue;
    }
    for (const g of added) changes.push({ kind: 'host-added', gateway: g, host, summary: `host ${host} added` });
    for (const g of removed) changes.push({ kind: 'host-removed', gateway: g, host, summary: `host ${host} removed` });
  }
}

function listenerKey(n: GraphNode): string {
  return `${n.attrs.port}/${n.attrs.protocol}`;
}

function listenerChanges(gb: Graph, ga: Graph, changes: ReviewChange[]): void {
  const collect = (g: Graph): Map<string, Map<string, GraphNode[]>> => {
    const m = new Map<string, Map<string, GraphNode[]>>();
    for (const l of g.nodes('listener')) {
      const byKey = m.get(l.group) ?? m.set(l.group, new Map()).get(l.group)!;
      (byKey.get(listenerKey(l)) ?? byKey.set(listenerKey(l), []).get(listenerKey(l))!).push(l);
    }
    return m;
  };
  const lb = collect(gb);
  const la = collect(ga);
  for (const gw of [...new Set([...lb.keys(), ...la.keys()])].sort()) {
    const b = lb.get(gw) ?? new Map<string, GraphNode[]>();
    const a = la.get(gw) ?? new Map<string, GraphNode[]>();
    for (const k of [...new Set([...b.keys(), ...a.keys()])].sort()) {
      const [port, protocol] = k.split('/');
      if (!b.has(k)) changes.push({ kind: 'listener-opened', gateway: gw, summary: `listener :${port} ${protocol} opened` });
      else if (!a.has(k)) changes.push({ kind: 'listener-closed', gateway: gw, summary: `listener :${port} ${protocol} closed` });
    }
  }
}

/** gateway -> host -> port -> credentialName. */
function certificates(g: Graph): Map<string, string> {
  const m = new Map<string, string>();
  for (const l of g.nodes('listener')) {
    const cred = l.attrs.credentialName;
    if (!cred) continue;
    for (const e of g.children(l.id)) {
      const h = g.byId.get(e.to)!;
      m.set(`${l.group}\u0000${h.label}\u0000${l.attrs.port}`, cred);
    }
  }
  return m;
}

function certificateChanges(gb: Graph, ga: Graph, ib: ResourceIndex, ia: ResourceIndex, changes: ReviewChange[], out: Disruption[]): void {
  const cb = certificates(gb);
  const ca = certificates(ga);
  for (const k of [...cb.keys()].sort()) {
    const after = ca.get(k);
    const before = cb.get(k)!;
    if (after === undefined || after === before) continue;
    const [gateway, host, port] = k.split('\u0000');
    changes.push({
      kind: 'certificate-changed', gateway, host, before, after,
      summary: `certificate of ${host} on :${port}: Secret ${before} -> ${after} (the Secret ${after} must exist beside the gateway pods before this is applied)`,
    });
    // When the input manages the old Secret (it is in the old files), it should hold the new one too.
    const podNamespaces = [...new Set(ga.parents(`gateway:${gateway}`, 'workload').filter((w) => !w.missing && w.attrs.name)
      .map((w) => w.attrs.name.split('/')[0]))].sort();
    for (const ns of podNamespaces) {
      if (after.includes(',') || !ib.get('Secret', ns, before) || ia.get('Secret', ns, after)) continue;
      out.push({
        rule: 'certificate-secret', object: `Gateway ${gateway}`, gateway, host,
        reason: `${host} on :${port} switches to Secret ${after}, which is not in the new configuration although the old Secret ${ns}/${before} is: the listener has no certificate once applied and TLS handshakes for ${host} fail`,
        safeSequence: `create the Secret ${after} in namespace ${ns} first (or declare it with --external when cert-manager or another repository creates it), then switch credentialName; delete ${before} last`,
      });
    }
  }
}

function destLabel(g: Graph, id: string): string {
  return g.byId.get(id)?.label ?? id;
}

function routeChanges(gb: Graph, ga: Graph, changes: ReviewChange[]): void {
  const rb = new Map(gb.nodes('route').map((r) => [r.id, r]));
  const ra = new Map(ga.nodes('route').map((r) => [r.id, r]));
  const where = (g: Graph, r: GraphNode): { gateway: string; host?: string } => {
    const hosts = g.routeHosts(r.id);
    return { gateway: r.group, ...(hosts.length > 0 ? { host: hosts.join(', ') } : {}) };
  };
  const name = (r: GraphNode): string => `${r.attrs.resource} ${r.attrs.type}[${r.attrs.index}]${r.attrs.name ? ` ${r.attrs.name}` : ''}`;
  for (const id of [...new Set([...rb.keys(), ...ra.keys()])].sort()) {
    const b = rb.get(id);
    const a = ra.get(id);
    if (!b && a) {
      changes.push({ kind: 'route-added', ...where(ga, a), route: name(a), summary: `route ${name(a)} added (match: ${a.attrs.match})`, after: a.attrs.match });
      continue;
    }
    if (b && !a) {
      changes.push({ kind: 'route-removed', ...where(gb, b), route: name(b), summary: `route ${name(b)} removed (match: ${b.attrs.match})`, before: b.attrs.match });
      continue;
    }
    if (!a || !b) continue;
    if (a.attrs.match !== b.attrs.match) {
      changes.push({ kind: 'match-changed', ...where(ga, a), route: name(a), summary: `match of route ${name(a)}: ${b.attrs.match} -> ${a.attrs.match}`, before: b.attrs.match, after: a.attrs.match });
    }
    const weights = (g: Graph, rid: string): Map<string, number> =>
      new Map(g.children(rid).filter((e) => e.kind === 'sends').map((e) => [destLabel(g, e.to), e.weight ?? 0]));
    const wb = weights(gb, id);
    const wa = weights(ga, id);
    const shifts: WeightShift[] = [];
    for (const d of [...new Set([...wb.keys(), ...wa.keys()])].sort()) {
      const before = wb.get(d) ?? 0;
      const after = wa.get(d) ?? 0;
      if (before !== after || wb.has(d) !== wa.has(d)) shifts.push({ destination: d, before, after });
    }
    if (shifts.length > 0) {
      changes.push({
        kind: 'traffic-shift', ...where(ga, a), route: name(a), shifts,
        summary: `traffic of route ${name(a)}: ${shifts.map((s) => `${s.destination} ${s.before}% -> ${s.after}%`).join(', ')}`,
      });
    }
  }
}

const IMMUTABLE_SELECTOR_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'];

function immutableFields(before: Map<string, Obj>, after: Map<string, Obj>, out: Disruption[]): void {
  const recreate = (o: Obj, field: string): string =>
    `${field} cannot be changed in place: create the replacement under a new name beside ${o.origin}, move traffic (or consumers) to it, then delete the old one; or delete and recreate it in a maintenance window`;
  for (const [b, a] of pairs(before, after, IMMUTABLE_SELECTOR_KINDS)) {
    const sb = rec(b.raw.spec).selector;
    const sa = rec(a.raw.spec).selector;
    if (canon(sb) !== canon(sa)) {
      out.push({ rule: 'immutable-field', object: a.origin,
        reason: `spec.selector of ${a.origin} changes (${canon(sb)} -> ${canon(sa)}); it is immutable, so kubectl apply fails with "field is immutable" half way through the change`,
        safeSequence: recreate(a, 'spec.selector') });
    }
    if (b.kind === 'StatefulSet') {
      for (const f of ['serviceName', 'volumeClaimTemplates', 'podManagementPolicy']) {
        const vb = rec(b.raw.spec)[f];
        const va = rec(a.raw.spec)[f];
        if (canon(vb) !== canon(va)) {
          out.push({ rule: 'immutable-field', object: a.origin,
            reason: `spec.${f} of ${a.origin} changes; a StatefulSet's spec.${f} is immutable, so kubectl apply fails`,
            safeSequence: recreate(a, `spec.${f}`) });
        }
      }
    }
  }
  for (const [b, a] of pairs(before, after, ['RoleBinding', 'ClusterRoleBinding'])) {
    if (canon(b.raw.roleRef) !== canon(a.raw.roleRef)) {
      out.push({ rule: 'immutable-field', object: a.origin,
        reason: `roleRef of ${a.origin} changes; it is immutable, so kubectl apply fails`,
        safeSequence: `create a new ${a.kind} (new name) with the new roleRef beside the old one, apply, then delete the old one` });
    }
  }
  for (const [b, a] of pairs(before, after, ['Service'])) {
    const cb = str(rec(b.raw.spec).clusterIP);
    const ca = str(rec(a.raw.spec).clusterIP);
    if (cb && ca && cb !== ca) {
      out.push({ rule: 'immutable-field', object: a.origin,
        reason: `spec.clusterIP of ${a.origin} changes (${cb} -> ${ca}); it is immutable, so kubectl apply fails`,
        safeSequence: recreate(a, 'spec.clusterIP') });
    }
  }
}

function serviceTypes(before: Map<string, Obj>, after: Map<string, Obj>, out: Disruption[]): void {
  for (const [b, a] of pairs(before, after, ['Service'])) {
    const tb = str(rec(b.raw.spec).type) ?? 'ClusterIP';
    const ta = str(rec(a.raw.spec).type) ?? 'ClusterIP';
    if (tb === 'LoadBalancer' && ta !== 'LoadBalancer') {
      out.push({ rule: 'service-type', object: a.origin,
        reason: `type of ${a.origin} changes LoadBalancer -> ${ta}: the load balancer and its external address are released${ta === 'NodePort' ? '' : ', and so are the node ports'}; clients and DNS records pointing at them lose the gateway`,
        safeSequence: `create a second Service of type ${ta} beside the LoadBalancer one, move clients and DNS to it, then remove or change the old Service` });
    } else if (tb === 'NodePort' && ta !== 'NodePort' && ta !== 'LoadBalancer') {
      out.push({ rule: 'service-type', object: a.origin,
        reason: `type of ${a.origin} changes NodePort -> ${ta}: its node ports are released and clients (or an external load balancer) using them lose the gateway`,
        safeSequence: `create a second Service of type ${ta} beside the NodePort one, move clients to it, then remove the node ports` });
    }
    if (ta === 'NodePort' || ta === 'LoadBalancer') {
      const np = (o: Obj): Map<number, number> => new Map(recs(rec(o.raw.spec).ports)
        .map((p) => [int(p.port) ?? -1, int(p.nodePort) ?? -1] as [number, number]).filter(([, n]) => n > 0));
      const nb = np(b);
      const na = np(a);
      for (const [port, n] of nb) {
        const m = na.get(port);
        if (m !== undefined && m !== n) {
          out.push({ rule: 'service-type', object: a.origin,
            reason: `nodePort of port ${port} of ${a.origin} changes ${n} -> ${m}: clients or a load balancer sending to node port ${n} lose the gateway`,
            safeSequence: `add a second port with node port ${m} beside ${n}, move clients to it, then remove the old port` });
        }
      }
    }
  }
}

function servicePorts(before: Map<string, Obj>, after: Map<string, Obj>, ib: ResourceIndex, ia: ResourceIndex, gb: Graph, ga: Graph, out: Disruption[]): void {
  for (const [b, a] of pairs(before, after, ['Service'])) {
    const portsOf = (o: Obj): Set<number> => new Set(recs(rec(o.raw.spec).ports).map((p) => int(p.port)).filter((p): p is number => p !== undefined));
    const pa = portsOf(a);
    const removed = [...portsOf(b)].filter((p) => !pa.has(p)).sort((x, y) => x - y);
    if (removed.length === 0) continue;
    const selB = strMap(rec(b.raw.spec).selector);
    const selA = strMap(rec(a.raw.spec).selector);
    if (Object.keys(selA).length === 0 && Object.keys(selB).length === 0) continue;
    // Gateways on the pods behind this Service, in either state.
    const gatewaysOn = (idx: ResourceIndex, sel: Labels, ns: string): Res[] => {
      const pods = idx.selectWorkloads(sel, ns);
      return idx.list('Gateway').filter((g) => pods.some((w) => selectorMatches(strMap(g.spec.selector), w.labels)));
    };
    const gwsB = gatewaysOn(ib, selB, b.namespace);
    const gwsA = gatewaysOn(ia, selA, a.namespace);
    if (gwsB.length === 0 && gwsA.length === 0) continue;
    for (const port of removed) {
      const users: string[] = [];
      for (const g of gwsA) {
        const hosts = recs(g.spec.servers).filter((s) => int(rec(s.port).number) === port).flatMap((s) => strs(s.hosts).map(bareHost));
        if (hosts.length > 0) users.push(`Gateway ${g.fullName} still has a server on it (hosts ${[...new Set(hosts)].join(', ')})`);
      }
      // Hosts the old state served on this port that the new state still routes through the same gateway.
      for (const g of gwsB) {
        for (const l of gb.nodes('listener').filter((n) => n.group === g.fullName && n.attrs.port === String(port))) {
          for (const e of gb.children(l.id)) {
            const host = gb.byId.get(e.to)!.label;
            const stillRouted = ga.nodes('host').some((h) => h.group === g.fullName && h.label === host && ga.children(h.id).some((x) => x.kind === 'routes'));
            if (stillRouted) users.push(`routes for ${host} still arrive through Gateway ${g.fullName}`);
          }
        }
      }
      // Hosts the old state served on the port: its live traffic, even when their servers and
      // routes are removed in the same change.
      const servedBefore = [...new Set(gwsB.flatMap((g) => recs(g.spec.servers)
        .filter((s) => int(rec(s.port).number) === port).flatMap((s) => strs(s.hosts).map(bareHost))))].sort();
      const gateway = (gwsA[0] ?? gwsB[0]).fullName;
      if (users.length > 0) {
        out.push({ rule: 'service-port-removed', object: a.origin, gateway,
          reason: `port ${port} is removed from ${a.origin} while it is in use: ${[...new Set(users)].join('; ')}; connections to it fail once applied`,
          safeSequence: `remove the servers and routes on port ${port} (or move their hosts to another port) and apply first; drop the Service port in a later change` });
      } else if (servedBefore.length > 0) {
        out.push({ rule: 'service-port-removed', object: a.origin, gateway,
          reason: `port ${port} is removed from ${a.origin} together with its servers and routes: it serves ${servedBefore.join(', ')} now, and clients still connecting to it are cut off`,
          safeSequence: `move clients off port ${port} first (check the gateway's metrics or access logs for connections on it), then remove the hosts, routes and the port` });
      } else {
        out.push({ rule: 'service-port-removed', object: a.origin, gateway,
          reason: `port ${port} is removed from ${a.origin}; no server in the input listens on it, so it carries traffic the input does not show (a Gateway kept elsewhere, east-west or health-check clients), which is cut off`,
          safeSequence: `confirm nothing connects to port ${port} (the gateway's metrics or access logs) before dropping it` });
      }
    }
  }
}

function subsets(before: Map<string, Obj>, after: Map<string, Obj>, gb: Graph, ga: Graph, out: Disruption[]): void {
  const defined = (m: Map<string, Obj>): Map<string, { obj: Obj; host: string }> => {
    const s = new Map<string, { obj: Obj; host: string }>();
    for (const o of m.values()) {
      if (o.kind !== 'DestinationRule') continue;
      const host = str(rec(o.raw.spec).host);
      if (!host) continue;
      const fqdn = toFqdn(o.namespace, host);
      for (const sub of recs(rec(o.raw.spec).subsets)) {
        const n = str(sub.name);
        if (n) s.set(`${fqdn}\u0000${n}`, { obj: o, host: fqdn });
      }
    }
    return s;
  };
  const sb = defined(before);
  const sa = defined(after);
  const routedTo = (g: Graph, host: string, subset: string): GraphEdge[] => g.g.edges.filter((e) => {
    if (e.kind !== 'sends') return false;
    const d = g.byId.get(e.to)!;
    return d.attrs.subset === subset && hostMatches(host, d.attrs.host);
  });
  for (const k of [...sb.keys()].sort()) {
    if (sa.has(k)) continue;
    const { obj, host } = sb.get(k)!;
    const subset = k.split('\u0000')[1];
    // Still defined elsewhere (another DestinationRule for the host)?
    if ([...sa.values()].some((v) => v.host === host) && [...sa.keys()].some((x) => x.endsWith(`\u0000${subset}`) && hostMatches(x.split('\u0000')[0], host))) continue;
    const nowRouted = routedTo(ga, host, subset);
    const wasRouted = routedTo(gb, host, subset).filter((e) => (e.weight ?? 0) > 0);
    if (nowRouted.length === 0 && wasRouted.length === 0) continue;
    const routes = [...new Set((nowRouted.length > 0 ? nowRouted : wasRouted).map((e) => (nowRouted.length > 0 ? ga : gb).byId.get(e.from)!.attrs.resource))].sort();
    const route = (nowRouted.length > 0 ? ga : gb).byId.get((nowRouted[0] ?? wasRouted[0]).from)!;
    out.push({
      rule: 'subset-removed', object: `${obj.origin}`, gateway: route.group,
      reason: nowRouted.length > 0
        ? `subset ${subset} of ${host} is removed while VirtualService ${routes.join(', ')} still routes to it: those requests fail with 503 (no healthy upstream)`
        : `subset ${subset} of ${host} is removed in the same change that stops VirtualService ${routes.join(', ')} sending it traffic (weight ${wasRouted.map((e) => e.weight).join('/')}%): the DestinationRule and the route reach the proxies independently, so requests still routed to ${subset} fail with 503 in between`,
      safeSequence: `make-before-break: set ${subset}'s weight to 0 and apply; remove ${subset} from the route and apply; only then remove the subset from the DestinationRule`,
    });
  }
}

function gatewaySelectors(before: Map<string, Obj>, after: Map<string, Obj>, ib: ResourceIndex, ia: ResourceIndex, gb: Graph, out: Disruption[]): void {
  for (const [b, a] of pairs(before, after, ['Gateway'])) {
    if (!b.key.startsWith('networking.istio.io/')) continue;
    const selB = strMap(rec(b.raw.spec).selector);
    const selA = strMap(rec(a.raw.spec).selector);
    const servedB = ib.selectWorkloads(selB).filter((w) => !w.res.external);
    if (servedB.length === 0) continue;
    const servedA = new Set(ia.selectWorkloads(selA).map((w) => `${w.res.kind}/${w.res.fullName}`));
    const lost = servedB.filter((w) => !servedA.has(`${w.res.kind}/${w.res.fullName}`)).map((w) => `${w.res.kind} ${w.res.fullName}`);
    if (lost.length === 0) continue;
    const gw = `${b.namespace}/${b.name}`;
    const hosts = [...(gb.servedHosts().get(gw) ?? [])].sort();
    const changed = canon(selB) !== canon(selA);
    out.push({
      rule: 'gateway-selector', object: a.origin, gateway: gw,
      reason: `Gateway ${gw} ${changed ? `selector changes (${selectorString(selB)} -> ${selectorString(selA)}) and` : 'keeps its selector (' + selectorString(selA) + ') but'} no longer matches the pods it served (${lost.join(', ')}): they drop its listeners${hosts.length > 0 ? ` and stop serving ${hosts.join(', ')}` : ''}`,
      safeSequence: 'add the new labels to the pod template beside the old ones and apply (a rolling restart; a Deployment\'s spec.selector itself cannot change); then change the Gateway selector and apply; remove the old labels last',
    });
  }
}

/** `VirtualService ns/name` or `HTTPRoute ns/name`: the object a route node comes from. */
function routeResource(r: GraphNode): string {
  return r.attrs.virtualService ? `VirtualService ${r.attrs.virtualService}` : r.attrs.resource;
}

function hostsRemovedWhileRouted(gb: Graph, ga: Graph, out: Disruption[]): void {
  const served = gb.servedHosts();
  for (const h of ga.nodes('host')) {
    if (!h.missing || h.api === 'mesh') continue;
    if (!ga.children(h.id).some((e) => e.kind === 'routes')) continue;
    const was = [...(served.get(h.group) ?? [])].some((s) => hostMatches(s, h.label));
    if (!was) continue;
    const routes = [...new Set(ga.children(h.id).map((e) => routeResource(ga.byId.get(e.to)!)))].sort();
    const gateway = groupTitle(h.group);
    out.push({
      rule: 'host-removed-while-routed', object: gateway, gateway: h.group, host: h.label,
      reason: `${gateway} stops serving ${h.label} while ${routes.join(', ')} still route${routes.length === 1 ? 's' : ''} it through that gateway: requests for ${h.label} get 404 (no route) or a failed TLS handshake`,
      safeSequence: `move or remove the routes for ${h.label} first and apply; remove the host from the Gateway in a later change`,
    });
  }
}

function isSdsRole(role: Obj | undefined): boolean {
  if (!role) return false;
  return recs(role.raw.rules).some((r) => strs(r.resources).some((x) => x === 'secrets' || x === '*')
    && strs(r.verbs).some((v) => v === 'get' || v === 'watch' || v === 'list' || v === '*'));
}

function sdsRoleBindings(before: Map<string, Obj>, after: Map<string, Obj>, ib: ResourceIndex, ia: ResourceIndex, out: Disruption[]): void {
  const roleOf = (m: Map<string, Obj>, rb: Obj): Obj | undefined => {
    const ref = rec(rb.raw.roleRef);
    return str(ref.kind) === 'Role' ? m.get(`rbac.authorization.k8s.io/Role/${rb.namespace}/${str(ref.name)}`) : undefined;
  };
  // Service accounts that gateway pods (selected by some Gateway in the old state) run as, for
  // workloads that are still there after the change (a gateway removed as a whole takes its
  // RoleBinding with it; one that stays keeps serving while its access changes).
  const gatewayAccounts = new Set<string>();
  for (const g of ib.list('Gateway')) {
    for (const w of ib.selectWorkloads(strMap(g.spec.selector))) {
      if (!ia.get(w.res.type, w.res.namespace, w.res.name)) continue;
      const podSpec = w.res.type === 'Pod' ? w.res.spec : rec(rec(w.res.spec.template).spec);
      gatewayAccounts.add(`${w.namespace}/${str(podSpec.serviceAccountName) || 'default'}`);
    }
  }
  const subjects = (rb: Obj): Map<string, string> => new Map(recs(rb.raw.subjects).map((s) => {
    const ns = str(s.namespace) || rb.namespace;
    return [`${str(s.kind)}/${ns}/${str(s.name)}`, `${str(s.kind)} ${ns}/${str(s.name)}`] as [string, string];
  }));
  for (const k of [...before.keys()].sort()) {
    const b = before.get(k)!;
    if (b.kind !== 'RoleBinding' || !isSdsRole(roleOf(before, b))) continue;
    const a = after.get(k);
    const sb = subjects(b);
    const sa = a ? subjects(a) : new Map<string, string>();
    const lost = [...sb.keys()].filter((s) => !sa.has(s)).filter((s) => {
      const [kind, ns, name] = s.split('/');
      return kind === 'ServiceAccount' && gatewayAccounts.has(`${ns}/${name}`);
    });
    if (lost.length === 0) continue;
    out.push({
      rule: 'sds-rolebinding', object: b.origin,
      reason: `${a ? `subjects of ${b.origin} change` : `${b.origin} is removed`}: ${lost.map((s) => sb.get(s)).join(', ')}, which gateway pods run as, loses read access to the TLS Secrets of Role ${str(rec(b.raw.roleRef).name)}; the gateway cannot load new or rotated certificates (SDS) and HTTPS listeners fail`,
      safeSequence: 'add the new subject beside the old one and apply; move the gateway pods to the new ServiceAccount (rolling restart); then remove the old subject',
    });
  }
}

/** The Istio Gateway whose pods a workload, Service or RoleBinding belongs to, for grouping a disruption. */
function withGateway(d: Disruption, idx: ResourceIndex): Disruption | undefined {
  const m = /^(\S+) ([^/\s]+)\/(\S+)$/.exec(d.object);
  if (!m) return undefined;
  const [, kind, ns, name] = m;
  const gateways = idx.list('Gateway');
  const selecting = (labels: Labels): Res | undefined => gateways.find((g) => selectorMatches(strMap(g.spec.selector), labels));
  let gw: Res | undefined;
  if (kind === 'Deployment' || kind === 'StatefulSet' || kind === 'DaemonSet' || kind === 'ReplicaSet') {
    const w = idx.workloads.find((x) => x.res.kind === kind && x.res.namespace === ns && x.res.name === name);
    gw = w ? selecting(w.labels) : undefined;
  } else if (kind === 'Service') {
    const svc = idx.get('Service', ns, name);
    const sel = svc ? strMap(svc.spec.selector) : {};
    if (svc && Object.keys(sel).length > 0) gw = idx.selectWorkloads(sel, ns).map((w) => selecting(w.labels)).find((g) => g);
  } else if (kind === 'RoleBinding') {
    gw = idx.workloads.filter((w) => w.namespace === ns).map((w) => selecting(w.labels)).find((g) => g);
  }
  return gw ? { ...d, gateway: gw.fullName } : undefined;
}

/** The change review of `after` against `before`: pure and deterministic. */
export function reviewChange(before: readonly object[], after: readonly object[], options: ReviewOptions = {}): ChangeReview {
  const external = options.external ?? [];
  const gb = new Graph(routingGraph(before, { external }));
  const ga = new Graph(routingGraph(after, { external }));
  const ob = objectsByKey(before);
  const oa = objectsByKey(after);
  const ib = new ResourceIndex(before, external);
  const ia = new ResourceIndex(after, external);

  const changes: ReviewChange[] = [];
  const disruptions: Disruption[] = [];
  hostChanges(gb, ga, changes, disruptions);
  listenerChanges(gb, ga, changes);
  certificateChanges(gb, ga, ib, ia, changes, disruptions);
  routeChanges(gb, ga, changes);
  immutableFields(ob, oa, disruptions);
  serviceTypes(ob, oa, disruptions);
  servicePorts(ob, oa, ib, ia, gb, ga, disruptions);
  subsets(ob, oa, gb, ga, disruptions);
  gatewaySelectors(ob, oa, ib, ia, gb, disruptions);
  hostsRemovedWhileRouted(gb, ga, disruptions);
  sdsRoleBindings(ob, oa, ib, ia, disruptions);

  const attributed = disruptions.map((d) => (d.gateway ? d : withGateway(d, ib) ?? withGateway(d, ia) ?? d));

  changes.sort((x, y) => cmp(x.gateway, y.gateway) || cmp(x.host ?? '', y.host ?? '') || cmp(x.kind, y.kind) || cmp(x.summary, y.summary));
  attributed.sort((x, y) => cmp(x.gateway ?? '', y.gateway ?? '') || cmp(x.object, y.object) || cmp(x.rule, y.rule) || cmp(x.reason, y.reason));
  return { changes, disruptions: attributed };
}
