// The Kubernetes Gateway API in the routing picture: Gateway (listeners with hostname, protocol,
// TLS mode and certificateRefs), HTTPRoute, GRPCRoute, TLSRoute and TCPRoute (parentRefs with
// sectionName/port, hostnames, matches, weighted backendRefs). The same node kinds as Istio's API,
// with `api: 'gateway-api'` and gateway groups prefixed `gateway-api:`.

import { CLUSTER_DOMAIN, hostMatches, isWildcard } from '../analysis/hosts';
import { selectorString } from '../analysis/labels';
import { Dict, int, rec, recs, str, strMap, strs } from '../analysis/objects';
import { flattenObjects } from '../manifests';
import type { Builder } from './builder';

export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';
/** Gateway group key of a Gateway API Gateway (Istio Gateways use plain `ns/name`; both may exist). */
export const gatewayApiKey = (ns: string, name: string): string => `gateway-api:${ns}/${name}`;

type Kind = 'HTTPRoute' | 'GRPCRoute' | 'TLSRoute' | 'TCPRoute';
const ROUTE_KINDS: readonly Kind[] = ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute'];
/** Listener protocols each route kind attaches to (Gateway API spec, "Route-Listener compatibility"). */
const COMPATIBLE: Record<Kind, (protocol: string, mode: string) => boolean> = {
  HTTPRoute: (p) => p === 'HTTP' || p === 'HTTPS',
  GRPCRoute: (p) => p === 'HTTP' || p === 'HTTPS',
  TLSRoute: (p, m) => p === 'TLS' && m === 'Passthrough',
  TCPRoute: (p, m) => p === 'TCP' || (p === 'TLS' && m === 'Terminate'),
};

interface Obj { raw: Dict; kind: string; namespace: string; name: string; spec: Dict; labels: Record<string, string> }

function read(objects: readonly object[]): Obj[] {
  const out: Obj[] = [];
  for (const o of flattenObjects(objects)) {
    const api = str(o.apiVersion) ?? '';
    if (!api.startsWith(`${GATEWAY_API_GROUP}/`)) continue;
    const meta = rec(o.metadata);
    const name = str(meta.name);
    const kind = str(o.kind);
    if (!name || !kind) continue;
    out.push({ raw: o, kind, name, namespace: str(meta.namespace) || 'default', spec: rec(o.spec), labels: strMap(meta.labels) });
  }
  return out.sort((a, b) => (`${a.kind}/${a.namespace}/${a.name}` < `${b.kind}/${b.namespace}/${b.name}` ? -1 : 1));
}

interface ListenerHost { id: string; lid: string; listener: string; hostname: string; protocol: string; mode: string; port?: number; allowFrom: string; gatewayNs: string;
  /** For `from: Selector` on namespace names (`kubernetes.io/metadata.name`): the namespaces admitted; undefined when the selector reads other labels. */
  allowNamespaces?: string[] }

const NAME_LABEL = 'kubernetes.io/metadata.name';

/** The namespaces a selector on namespace names admits; undefined when it reads other labels (not in the input). */
function namespaceNames(selector: Dict): string[] | undefined {
  const labels = strMap(selector.matchLabels);
  const exprs = recs(selector.matchExpressions);
  if (Object.keys(labels).some((k) => k !== NAME_LABEL) || exprs.some((e) => str(e.key) !== NAME_LABEL || str(e.operator) !== 'In')) return undefined;
  let names: string[] | undefined = labels[NAME_LABEL] !== undefined ? [labels[NAME_LABEL]] : undefined;
  for (const e of exprs) {
    const values = [...strs(e.values)];
    names = names ? names.filter((n) => values.includes(n)) : values;
  }
  return names;
}

/** Whether a listener admits routes from a namespace (allowedRoutes.namespaces). */
function admits(l: ListenerHost, ns: string): boolean {
  if (l.allowFrom === 'All') return true;
  if (l.allowFrom === 'Selector') return l.allowNamespaces === undefined || l.allowNamespaces.includes(ns);
  return l.gatewayNs === ns;
}

function addGateway(b: Builder, gw: Obj): ListenerHost[] {
  const key = gatewayApiKey(gw.namespace, gw.name);
  const id = `gateway:${key}`;
  const cls = str(gw.spec.gatewayClassName) ?? '';
  b.node({ id, kind: 'gateway', label: `Gateway ${gw.namespace}/${gw.name} (Gateway API, class ${cls || '?'})`, namespace: gw.namespace, group: key, api: 'gateway-api', attrs: { gatewayClassName: cls } });
  // Istio deploys the pods of an `istio`-class Gateway itself, labelled with the gateway's name.
  const selector = { 'gateway.networking.k8s.io/gateway-name': gw.name };
  const pods = b.idx.selectWorkloads(selector, gw.namespace);
  for (const w of pods) {
    const wid = `workload:${w.res.kind}/${w.res.fullName}`;
    b.node({ id: wid, kind: 'workload', label: `${w.res.kind} ${w.res.fullName}`, namespace: w.namespace, group: key, api: 'gateway-api', attrs: { kind: w.res.kind, name: w.res.fullName } });
    b.edge(wid, id, 'runs');
  }
  if (pods.length === 0) {
    const wid = `workload:${key}:provisioned`;
    const addresses = recs(gw.spec.addresses).map((a) => str(a.value)).filter((v): v is string => !!v);
    const label = addresses.length > 0 ? `Service ${addresses.join(', ')} (spec.addresses)` : `${gw.name}-${cls || 'istio'} (deployed by the controller)`;
    b.node({ id: wid, kind: 'workload', label, namespace: gw.namespace, group: key, api: 'gateway-api', attrs: { selector: selectorString(selector) } });
    b.edge(wid, id, 'runs');
  }
  const hosts: ListenerHost[] = [];
  recs(gw.spec.listeners).forEach((l, i) => {
    const lname = str(l.name) ?? `#${i}`;
    const port = int(l.port);
    const protocol = (str(l.protocol) ?? '').toUpperCase();
    const tls = rec(l.tls);
    const mode = str(tls.mode) ?? (protocol === 'HTTPS' || protocol === 'TLS' ? 'Terminate' : '');
    const certs = recs(tls.certificateRefs).map((c) => `${str(c.namespace) ? `${str(c.namespace)}/` : ''}${str(c.name) ?? '?'}`);
    const lid = `listener:${key}:${port ?? '?'}:${lname}`;
    const attrs: Record<string, string> = { port: String(port ?? ''), protocol, portName: lname };
    if (mode) attrs.tlsMode = mode;
    if (certs.length > 0) attrs.credentialName = certs.join(',');
    b.node({ id: lid, kind: 'listener', label: [`:${port ?? '?'} ${protocol}`, mode, certs.length ? `cert ${certs.join(',')}` : '', `(${lname})`].filter(Boolean).join(' '),
      namespace: gw.namespace, group: key, api: 'gateway-api', attrs });
    b.edge(id, lid, 'listens');
    const hostname = str(l.hostname) ?? '*';
    const hid = `host:${key}:${hostname}`;
    b.node({ id: hid, kind: 'host', label: hostname, namespace: gw.namespace, group: key, api: 'gateway-api', attrs: { host: hostname } });
    b.edge(lid, hid, 'serves');
    const namespaces = rec(rec(l.allowedRoutes).namespaces);
    const allowFrom = str(namespaces.from) ?? 'Same';
    const allowNamespaces = allowFrom === 'Selector' ? namespaceNames(rec(namespaces.selector)) : undefined;
    hosts.push({ id: hid, lid, listener: lname, hostname, protocol, mode, port, allowFrom, gatewayNs: gw.namespace, ...(allowNamespaces ? { allowNamespaces } : {}) });
  });
  return hosts;
}

function describeHttpMatch(kind: Kind, matches: unknown): string {
  const blocks = recs(matches).map((m) => {
    const c: string[] = [];
    const p = rec(m.path);
    if (str(p.value) !== undefined) c.push(`path ${(str(p.type) ?? 'PathPrefix') === 'Exact' ? '=' : (str(p.type) ?? 'PathPrefix') === 'RegularExpression' ? 'regex' : 'prefix'} ${str(p.value)}`);
    if (kind === 'GRPCRoute') {
      const meth = rec(m.method);
      if (str(meth.service) || str(meth.method)) c.push(`grpc ${str(meth.service) ?? '*'}/${str(meth.method) ?? '*'}`);
    } else if (typeof m.method === 'string') {
      c.push(`method = ${m.method}`);
    }
    for (const h of recs(m.headers)) c.push(`header ${(str(h.name) ?? '').toLowerCase()} ${str(h.type) === 'RegularExpression' ? 'regex' : '='} ${str(h.value) ?? ''}`);
    for (const q of recs(m.queryParams)) c.push(`query ${str(q.name)} ${str(q.type) === 'RegularExpression' ? 'regex' : '='} ${str(q.value) ?? ''}`);
    return c.length > 0 ? c.join(' and ') : 'any';
  });
  return blocks.length === 0 ? 'any' : blocks.join(' OR ');
}

/** RequestRedirect and RequestMirror filters, named on the route like the Istio API's actions. */
function describeFilters(filters: unknown): string | undefined {
  const parts: string[] = [];
  for (const f of recs(filters)) {
    const t = str(f.type);
    if (t === 'RequestRedirect') {
      const r = rec(f.requestRedirect);
      const to = [str(r.scheme) ? `scheme ${str(r.scheme)}` : '', str(r.hostname) ? `host ${str(r.hostname)}` : '', int(r.port) !== undefined ? `port ${int(r.port)}` : ''].filter(Boolean);
      parts.push(`redirect${to.length ? ` to ${to.join(' ')}` : ''}${int(r.statusCode) !== undefined ? ` (${int(r.statusCode)})` : ''}`);
    } else if (t === 'RequestMirror') {
      parts.push(`mirror to ${str(rec(rec(f.requestMirror).backendRef).name) ?? '?'}`);
    }
  }
  return parts.length > 0 ? parts.join('; ') : undefined;
}

function addRoute(b: Builder, r: Obj, gateways: Map<string, ListenerHost[]>, services: Map<string, number[]>): void {
  const kind = r.kind as Kind;
  const resource = `${kind} ${r.namespace}/${r.name}`;
  const hostnames = strs(r.spec.hostnames);
  const entries: Array<{ id: string; dangling?: string }> = [];
  const refs = recs(r.spec.parentRefs);
  for (const ref of refs) {
    if (str(ref.kind) === 'Service' && (str(ref.group) ?? '') === '') {
      // GAMMA: a route whose parent is a Service routes that Service's traffic in the mesh.
      const ns = str(ref.namespace) ?? r.namespace;
      const fqdn = `${str(ref.name) ?? ''}.${ns}.${CLUSTER_DOMAIN}`;
      const gid = 'gateway:mesh';
      b.node({ id: gid, kind: 'gateway', label: 'mesh (sidecars)', namespace: '', group: 'mesh', api: 'mesh', attrs: {} });
      const hid = `host:mesh:${fqdn}`;
      b.node({ id: hid, kind: 'host', label: fqdn, namespace: ns, group: 'mesh', api: 'mesh', attrs: { host: fqdn } });
      b.edge(gid, hid, 'serves');
      entries.push({ id: hid });
      continue;
    }
    if ((str(ref.kind) ?? 'Gateway') !== 'Gateway') continue;
    const ns = str(ref.namespace) ?? r.namespace;
    const name = str(ref.name) ?? '';
    const key = gatewayApiKey(ns, name);
    const listeners = gateways.get(key);
    if (!listeners) {
      const reason = `Gateway ${ns}/${name} (Gateway API) is not in the input`;
      b.node({ id: `gateway:${key}`, kind: 'gateway', label: `Gateway ${ns}/${name} (Gateway API)`, namespace: ns, group: key, api: 'gateway-api', attrs: {}, missing: reason });
      for (const h of hostnames.length > 0 ? hostnames : ['*']) {
        const hid = `host:${key}:${h}`;
        b.node({ id: hid, kind: 'host', label: h, namespace: ns, group: key, api: 'gateway-api', attrs: { host: h }, missing: reason });
        b.edge(`gateway:${key}`, hid, 'serves', { dangling: reason });
        entries.push({ id: hid, dangling: reason });
      }
      continue;
    }
    const section = str(ref.sectionName);
    const port = int(ref.port);
    const fits = listeners.filter((l) => (!section || l.listener === section) && (port === undefined || l.port === port)
      && COMPATIBLE[kind](l.protocol, l.mode) && admits(l, r.namespace));
    const attached = new Set<string>();
    for (const l of fits) {
      if (hostnames.length === 0) {
        attached.add(l.id);
        continue;
      }
      for (const h of hostnames.filter((x) => hostMatches(x, l.hostname))) {
        // A route hostname more specific than a wildcard listener's gets a node of its own.
        if (h === l.hostname || !isWildcard(l.hostname) || (isWildcard(h) && h.length <= l.hostname.length)) {
          attached.add(l.id);
          continue;
        }
        const hid = `host:${key}:${h}`;
        b.node({ id: hid, kind: 'host', label: h, namespace: ns, group: key, api: 'gateway-api', attrs: { host: h, via: l.hostname } });
        b.edge(l.lid, hid, 'serves');
        attached.add(hid);
      }
    }
    for (const id of [...attached].sort()) entries.push({ id });
    if (attached.size === 0) {
      const reason = `no listener of Gateway ${ns}/${name}${section ? ` named ${section}` : ''} accepts this ${kind}${hostnames.length ? ` for ${hostnames.join(', ')}` : ''} (protocol, hostname or allowedRoutes)`;
      for (const h of hostnames.length > 0 ? hostnames : ['*']) {
        const hid = `host:${key}:${h}:unattached`;
        b.node({ id: hid, kind: 'host', label: h, namespace: ns, group: key, api: 'gateway-api', attrs: { host: h }, missing: reason });
        b.edge(`gateway:${key}`, hid, 'serves', { dangling: reason });
        entries.push({ id: hid, dangling: reason });
      }
    }
  }
  const group = entries.length > 0 ? b.nodes.get(entries[0].id)!.group : '';
  const type = kind === 'TLSRoute' ? 'tls' : kind === 'TCPRoute' ? 'tcp' : kind === 'GRPCRoute' ? 'grpc' : 'http';
  recs(r.spec.rules).forEach((rule, i) => {
    const ruleName = str(rule.name);
    const rid = `route:${kind}/${r.namespace}/${r.name}:${ruleName ?? `#${i}`}`;
    const match = kind === 'HTTPRoute' || kind === 'GRPCRoute' ? describeHttpMatch(kind, rule.matches) : (hostnames.length ? `sni ${hostnames.join(',')}` : 'any');
    const attrs: Record<string, string> = { resource, type, index: String(i), match };
    if (ruleName) attrs.name = ruleName;
    const action = describeFilters(rule.filters);
    if (action) attrs.action = action;
    b.node({ id: rid, kind: 'route', label: `${resource} rule[${i}]${ruleName ? ` ${ruleName}` : ''}: ${match}${action ? `; ${action}` : ''}`, namespace: r.namespace, group, api: 'gateway-api', attrs });
    for (const e of entries) b.edge(e.id, rid, 'routes', { dangling: e.dangling });
    const backends = recs(rule.backendRefs);
    const weights = backends.map((be) => int(be.weight) ?? 1);
    const total = weights.reduce((x, y) => x + y, 0);
    backends.forEach((be, j) => {
      const name = str(be.name);
      if (!name) return;
      const beKind = str(be.kind) ?? 'Service';
      const ns = str(be.namespace) ?? r.namespace;
      const port = int(be.port);
      const fqdn = beKind === 'Service' ? `${name}.${ns}.${CLUSTER_DOMAIN}` : name;
      const id = `destination:${fqdn}:${port ?? ''}:`;
      let missing: string | undefined;
      if (beKind === 'Service') {
        const ports = services.get(`${ns}/${name}`);
        if (!ports) missing = `no Service ${name}.${ns} in the input`;
        else if (port !== undefined && ports.length > 0 && !ports.includes(port)) missing = `Service ${ns}/${name} has no port ${port}`;
      }
      b.node({ id, kind: 'destination', label: `${beKind === 'Service' ? fqdn : `${beKind} ${name}`}${port !== undefined ? `:${port}` : ''}`, namespace: ns, group: '', api: 'gateway-api',
        attrs: { host: fqdn, ...(port !== undefined ? { port: String(port) } : {}) }, ...(missing ? { missing } : {}) });
      b.edge(rid, id, 'sends', { weight: total > 0 ? Math.round((weights[j] * 100) / total) : 0, dangling: missing });
    });
  });
}

/** Adds every Gateway API Gateway and route of the input to the picture. */
export function addGatewayApi(b: Builder, objects: readonly object[]): void {
  const objs = read(objects);
  const gateways = new Map<string, ListenerHost[]>();
  for (const gw of objs.filter((o) => o.kind === 'Gateway')) gateways.set(gatewayApiKey(gw.namespace, gw.name), addGateway(b, gw));
  const services = new Map<string, number[]>();
  for (const s of b.idx.list('Service')) services.set(s.fullName, recs(s.spec.ports).map((p) => int(p.port)).filter((p): p is number => p !== undefined));
  for (const r of objs.filter((o) => (ROUTE_KINDS as readonly string[]).includes(o.kind))) addRoute(b, r, gateways, services);
}
