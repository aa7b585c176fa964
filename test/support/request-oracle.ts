// A small request-routing oracle over plain objects, written independently of the library's
// translation: where would Istio send a request, given Istio objects (Gateway, VirtualService,
// DestinationRule, Service), and where given Gateway API objects (Gateway, HTTPRoute, TLSRoute,
// TCPRoute, Service)? The answer names pods (namespace + label selector), port and weight, so two
// flavours of one platform can be compared request by request.
import { intersects } from './host-oracle';

export interface TestRequest {
  /** `namespace/name` of the gateway (the same name in both APIs), or `mesh` for a sidecar's request to the Service `host` (`name.namespace`). */
  readonly gateway: string;
  readonly port: number;
  /** Host header, or SNI for TLS passthrough; ignored for TCP. */
  readonly host: string;
  readonly path?: string;
  readonly method?: string;
  readonly headers?: Record<string, string>;
}

/** Pods a request reaches with a share of the traffic (percent, rounded to 0.01). */
export interface PodShare { readonly pods: string; readonly port: number; readonly percent: number }
export type Outcome = { kind: 'route'; shares: PodShare[] } | { kind: 'redirect'; scheme: string } | { kind: 'none' };

type Obj = Record<string, any>;
const nsOf = (o: Obj): string => o.metadata?.namespace ?? 'default';

function podsOf(objects: Obj[], ns: string, name: string, extra: Record<string, string> = {}): string {
  const svc = objects.find((o) => o.kind === 'Service' && o.metadata?.name === name && nsOf(o) === ns);
  const sel = { ...(svc?.spec?.selector ?? { '<unknown service>': `${ns}/${name}` }), ...extra };
  return `${ns}:${Object.keys(sel).sort().map((k) => `${k}=${sel[k]}`).join(',')}`;
}

function shares(list: { pods: string; port: number; weight: number }[]): Outcome {
  const total = list.reduce((a, b) => a + b.weight, 0);
  if (list.length === 0 || total === 0) return { kind: 'none' };
  const merged = new Map<string, PodShare>();
  for (const x of list) {
    if (x.weight === 0) continue;
    const key = `${x.pods}|${x.port}`;
    const prev = merged.get(key)?.percent ?? 0;
    merged.set(key, { pods: x.pods, port: x.port, percent: Math.round((prev + (100 * x.weight) / total) * 100) / 100 });
  }
  return { kind: 'route', shares: [...merged.values()].sort((a, b) => a.pods.localeCompare(b.pods) || a.port - b.port) };
}

function strMatch(m: Obj, v: string | undefined): boolean {
  if (v === undefined) return false;
  if (m.exact !== undefined) return v === m.exact;
  if (m.prefix !== undefined) return v.startsWith(m.prefix);
  if (m.regex !== undefined) return new RegExp(`^(?:${m.regex})$`).test(v);
  return false;
}

function serviceHost(host: string, ns: string): [string, string] {
  const m = /^([^.]+)\.([^.]+)\.svc\.cluster\.local$/.exec(host);
  return m ? [m[2], m[1]] : [ns, host];
}

/** Istio: the first server on the port that serves the host, then the first matching rule of the first bound VirtualService. */
export function routeIstio(objects: Obj[], req: TestRequest): Outcome {
  if (req.gateway === 'mesh') {
    const [name, ns] = req.host.split('.');
    const bound = objects.filter((o) => o.kind === 'VirtualService' && ((o.spec.gateways ?? []).length === 0 || o.spec.gateways.includes('mesh'))
      && (o.spec.hosts as string[]).some((h) => serviceHost(h, nsOf(o)).join('/') === `${ns}/${name}`));
    return firstHttpRule(objects, bound, req);
  }
  const [gns, gname] = req.gateway.split('/');
  const gw = objects.find((o) => o.apiVersion?.startsWith('networking.istio.io/') && o.kind === 'Gateway' && o.metadata?.name === gname && nsOf(o) === gns);
  if (!gw) return { kind: 'none' };
  const server = (gw.spec.servers as Obj[]).find((s) => s.port.number === req.port && (s.port.protocol === 'TCP' || (s.hosts as string[]).some((h) => intersects(h.split('/').pop()!, req.host))));
  if (!server) return { kind: 'none' };
  if (server.tls?.httpsRedirect) return { kind: 'redirect', scheme: 'https' };
  const family = server.port.protocol === 'TCP' ? 'tcp' : server.tls?.mode === 'PASSTHROUGH' ? 'tls' : 'http';
  const bound = objects.filter((o) => o.kind === 'VirtualService' && ((o.spec.gateways ?? []) as string[]).some((g) => (g.includes('/') ? g : `${nsOf(o)}/${g}`) === req.gateway)
    && (family === 'tcp' || (o.spec.hosts as string[]).some((h) => intersects(h, req.host))));
  if (family === 'http') return firstHttpRule(objects, bound, req);
  return firstRule(objects, bound, req, family);
}

function firstHttpRule(objects: Obj[], bound: Obj[], req: TestRequest): Outcome {
  return firstRule(objects, bound, req, 'http');
}

function firstRule(objects: Obj[], bound: Obj[], req: TestRequest, family: 'http' | 'tls' | 'tcp'): Outcome {
  const drs = objects.filter((o) => o.kind === 'DestinationRule');
  for (const vs of bound) {
    const ns = nsOf(vs);
    const dest = (d: Obj) => {
      const [sns, sname] = serviceHost(d.destination.host, ns);
      let extra: Record<string, string> = {};
      if (d.destination.subset) {
        const dr = drs.find((r) => serviceHost(r.spec.host, nsOf(r)).join('/') === `${sns}/${sname}`);
        extra = (dr?.spec.subsets as Obj[] | undefined)?.find((s) => s.name === d.destination.subset)?.labels ?? { '<missing subset>': d.destination.subset };
      }
      return { pods: podsOf(objects, sns, sname, extra), port: d.destination.port?.number, weight: d.weight ?? (100) };
    };
    for (const rule of (vs.spec[family] ?? []) as Obj[]) {
      const ok = family === 'http'
        ? !rule.match || (rule.match as Obj[]).some((m) => (!m.uri || strMatch(m.uri, req.path ?? '/'))
          && (!m.method || strMatch(m.method, req.method ?? 'GET'))
          && Object.entries((m.headers ?? {}) as Record<string, Obj>).every(([k, v]) => strMatch(v, req.headers?.[k]))
          && (m.port === undefined || m.port === req.port))
        : family === 'tls'
          ? (rule.match as Obj[]).some((m) => (m.port === undefined || m.port === req.port) && (m.sniHosts as string[]).some((h) => intersects(h, req.host)))
          : !rule.match || (rule.match as Obj[]).some((m) => m.port === undefined || m.port === req.port);
      if (ok) return shares((rule.route as Obj[]).map(dest));
    }
  }
  return { kind: 'none' };
}

function pathPrefix(path: string, prefix: string): boolean {
  const p = prefix.length > 1 ? prefix.replace(/\/$/, '') : prefix;
  return p === '/' || path === p || path.startsWith(`${p}/`);
}

/** Gateway API: the listener on the port whose hostname matches best, the routes attached to it, the most specific matching rule. */
export function routeGatewayApi(objects: Obj[], req: TestRequest): Outcome {
  if (req.gateway === 'mesh') {
    const [name, ns] = req.host.split('.');
    const attached = objects.filter((o) => o.kind === 'HTTPRoute' && ((o.spec.parentRefs ?? []) as Obj[]).some((p) =>
      p.kind === 'Service' && (p.group ?? '') === '' && p.name === name && (p.namespace ?? nsOf(o)) === ns));
    return bestRule(objects, attached, 'HTTPRoute', req);
  }
  const [gns, gname] = req.gateway.split('/');
  const gw = objects.find((o) => o.apiVersion?.startsWith('gateway.networking.k8s.io/') && o.kind === 'Gateway' && o.metadata?.name === gname && nsOf(o) === gns);
  if (!gw) return { kind: 'none' };
  const candidates = (gw.spec.listeners as Obj[]).filter((l) => l.port === req.port && (l.protocol === 'TCP' || !l.hostname || intersects(l.hostname, req.host)));
  // the most specific hostname wins: exact, then wildcard, then none
  candidates.sort((a, b) => rank(b) - rank(a));
  const listener = candidates[0];
  if (!listener) return { kind: 'none' };
  const kind = listener.protocol === 'TCP' ? 'TCPRoute' : listener.protocol === 'TLS' ? 'TLSRoute' : 'HTTPRoute';
  const admits = (routeNs: string) => {
    const from = listener.allowedRoutes?.namespaces?.from ?? 'Same';
    if (from === 'All') return true;
    if (from === 'Same') return routeNs === gns;
    const expr = listener.allowedRoutes.namespaces.selector.matchExpressions[0];
    return (expr.values as string[]).includes(routeNs);
  };
  const attached = objects.filter((o) => o.kind === kind && admits(nsOf(o)) && ((o.spec.parentRefs ?? []) as Obj[]).some((p) =>
    (p.kind ?? 'Gateway') === 'Gateway' && p.name === gname && (p.namespace ?? nsOf(o)) === gns && (p.sectionName === undefined || p.sectionName === listener.name)
    && (p.port === undefined || p.port === listener.port))
    && (kind === 'TCPRoute' || !o.spec.hostnames || (o.spec.hostnames as string[]).some((h) => intersects(h, req.host))));
  return bestRule(objects, attached, kind, req);
}

function bestRule(objects: Obj[], attached: Obj[], kind: string, req: TestRequest): Outcome {
  const candidatesRules: { m: Obj; rule: Obj; route: Obj; order: number }[] = [];
  let order = 0;
  for (const r of attached) {
    for (const rule of (r.spec.rules ?? []) as Obj[]) {
      const ms: Obj[] = kind === 'HTTPRoute' ? (rule.matches ?? [{ path: { type: 'PathPrefix', value: '/' } }]) : [{}];
      for (const m of ms) candidatesRules.push({ m, rule, route: r, order: order++ });
    }
  }
  const spec = (m: Obj) => [
    m.path?.type === 'Exact' ? 3 : m.path?.type === 'RegularExpression' ? 1 : 2,
    // Istio orders each path kind by the length of its value (regular expressions too)
    String(m.path?.value ?? '/').length,
    m.method ? 1 : 0, (m.headers ?? []).length, (m.queryParams ?? []).length,
  ];
  candidatesRules.sort((a, b) => {
    const x = spec(a.m); const y = spec(b.m);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return y[i] - x[i];
    return a.order - b.order;
  });
  const path = req.path ?? '/';
  for (const c of candidatesRules) {
    const m = c.m;
    const ok = kind !== 'HTTPRoute' || (
      (!m.path || (m.path.type === 'Exact' ? path === m.path.value : m.path.type === 'PathPrefix' ? pathPrefix(path, m.path.value) : new RegExp(`^(?:${m.path.value})$`).test(path)))
      && (!m.method || m.method === (req.method ?? 'GET'))
      && ((m.headers ?? []) as Obj[]).every((h) => {
        const v = req.headers?.[h.name.toLowerCase()];
        return v !== undefined && ((h.type ?? 'Exact') === 'Exact' ? v === h.value : new RegExp(`^(?:${h.value})$`).test(v));
      }));
    if (!ok) continue;
    const redirect = ((c.rule.filters ?? []) as Obj[]).find((f) => f.type === 'RequestRedirect');
    if (redirect) return { kind: 'redirect', scheme: redirect.requestRedirect.scheme };
    const ns = nsOf(c.route);
    const refs = (c.rule.backendRefs ?? []) as Obj[];
    return shares(refs.map((b) => ({ pods: podsOf(objects, b.namespace ?? ns, b.name), port: b.port, weight: refs.length > 1 || b.weight !== undefined ? (b.weight ?? 1) : 1 })));
  }
  return { kind: 'none' };
}

function rank(l: Obj): number {
  if (!l.hostname) return 0;
  return l.hostname.startsWith('*.') ? 1 : 2;
}
