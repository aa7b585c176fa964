// `migrate`: Istio Gateway / VirtualService / DestinationRule objects (hand-written or ours) as the
// equivalent Kubernetes Gateway API objects, with one line per thing that could not be converted.
// Pure: plain objects in, plain objects and messages out; the CLI (src/cli/migrate-command.ts) reads
// and writes the files.
import { flattenObjects, originOf } from '../manifests';
import { KubeObject } from '../render/objects';
import {
  allowedRoutes, listenersOf, parentRefsFor, ListenerModel, parentRef, renderK8sGateway, renderRedirectRoute,
  renderReferenceGrant, renderSubsetService, TranslationProblem,
} from '../render/gateway-api/listeners';
import { translateVirtualService } from '../render/gateway-api/translate';

/** Options of {@link migrate}. */
export interface MigrateOptions {
  /**
   * How Istio URI prefixes are written: `'segment'` as `PathPrefix` (as Istio's own Gateway API
   * samples do: `/static` no longer matches `/staticx`), `'string'` exactly as Istio matched them
   * (`PathPrefix` plus a regular expression).
   * @default 'segment'
   */
  readonly prefix?: 'segment' | 'string';
}

/** What {@link migrate} gives back. */
export interface MigrationResult {
  /** Gateway API objects (and the Services that replace DestinationRule subsets), in apply order. */
  readonly objects: KubeObject[];
  /** One line per construct that was not (or not wholly) converted, and why. */
  readonly problems: string[];
}

type Obj = Record<string, any>;

const ISTIO_GROUP = 'networking.istio.io/';

// Service ports of istioctl's default-profile ingress gateway, by the targetPort a server names
// (Istio's samples bind 8080/8443). The automated Gateway API deployment listens on the Service ports.
const ISTIOCTL_INGRESS_PORTS: Record<number, number> = { 8080: 80, 8443: 443 };

function isIstio(o: Obj, kind: string): boolean {
  return typeof o?.apiVersion === 'string' && o.apiVersion.startsWith(ISTIO_GROUP) && o.kind === kind;
}

function nsOf(o: Obj): string { return o?.metadata?.namespace ?? 'default'; }

/**
 * Converts Istio networking objects to Gateway API v1.5.1 objects for Istio's `istio` GatewayClass.
 * Each Istio Gateway becomes a Gateway with Istio's automated deployment (new pods named
 * `<gateway>-istio`, as Istio's own Gateway API samples do); listeners admit routes from the
 * namespaces of the VirtualServices bound to it. Objects of other kinds are read (Services give the
 * selectors of subset Services) but not written.
 */
export function migrate(input: readonly unknown[], options: MigrateOptions = {}): MigrationResult {
  const objs = flattenObjects(input) as Obj[];
  const problems: TranslationProblem[] = [];
  const gateways = objs.filter((o) => isIstio(o, 'Gateway'));
  const virtualServices = objs.filter((o) => isIstio(o, 'VirtualService'));
  const destinationRules = objs.filter((o) => isIstio(o, 'DestinationRule'));
  const services = objs.filter((o) => o.apiVersion === 'v1' && o.kind === 'Service');
  for (const o of objs) {
    if (typeof o.apiVersion === 'string' && o.apiVersion.startsWith(ISTIO_GROUP) && !['Gateway', 'VirtualService', 'DestinationRule'].includes(o.kind)) {
      problems.push({ object: originOf(o), field: 'kind', reason: `${o.kind} has no Gateway API counterpart that migrate writes` });
    }
  }

  const qualify = (g: string, ns: string) => (g.includes('/') ? g : `${ns}/${g}`);
  const boundNamespaces = new Map<string, string[]>();
  for (const vs of virtualServices) {
    for (const g of (vs.spec?.gateways ?? []) as string[]) {
      if (g === 'mesh') continue;
      const key = qualify(g, nsOf(vs));
      boundNamespaces.set(key, [...(boundNamespaces.get(key) ?? []), nsOf(vs)]);
    }
  }

  const out: KubeObject[] = [];
  const routesOut: KubeObject[] = [];
  const listenersByGateway = new Map<string, ListenerModel[]>();
  for (const gw of gateways) {
    const ns = nsOf(gw);
    const name = String(gw.metadata?.name);
    const ref = `${ns}/${name}`;
    const selector: Obj = gw.spec?.selector ?? {};
    const istioctlIngress = selector.istio === 'ingressgateway' && Object.keys(selector).length === 1;
    const servers: Obj[] = gw.spec?.servers ?? [];
    const r = listenersOf(servers, originOf(gw), { portOf: (p) => (istioctlIngress ? ISTIOCTL_INGRESS_PORTS[p] ?? p : p), gatewayNamespace: ns });
    problems.push(...r.problems);
    // A listener from namespace-scoped hosts (`ns/host`) admits those namespaces; the others admit the
    // namespaces of the VirtualServices bound to this Gateway in the input.
    listenersByGateway.set(ref, r.listeners);
    out.push(renderK8sGateway({ name, namespace: ns, listeners: r.listeners, allowedRoutes: allowedRoutes(ns, boundNamespaces.get(ref) ?? [ns]) }));
    const redirects = r.listeners.filter((l) => l.redirect);
    if (redirects.length > 0) {
      routesOut.push(renderRedirectRoute(`${name}-https-redirect`, ns, { name, namespace: ns }, redirects.map((l) => l.name), redirects.map((l) => l.hostname ?? '*')));
    }
  }

  const subsetServices = new Map<string, KubeObject>();
  const grants = new Map<string, KubeObject>();
  for (const vs of virtualServices) {
    const vsNs = nsOf(vs);
    const t = translateVirtualService(vs, {
      prefix: options.prefix ?? 'segment',
      parentRefs: (g, kind, hosts, port) => {
        const [gns, gname] = g.split('/');
        const listeners = listenersByGateway.get(g);
        if (!listeners) return [parentRef({ name: gname, namespace: gns }, vsNs)]; // a Gateway not in the input
        return parentRefsFor(listeners, { name: gname, namespace: gns }, vsNs, kind, hosts, port);
      },
      onlyPortOf: (ns, name) => {
        const ports = services.find((s) => s.metadata?.name === name && nsOf(s) === ns)?.spec?.ports;
        return Array.isArray(ports) && ports.length === 1 ? Number(ports[0].port) : undefined;
      },
      subsetService: (host, ns, subset) => {
        const svcName = host.split('.')[0];
        const dr = destinationRules.find((d) => nsOrHostNs(d) === ns && (d.spec?.host === host || d.spec?.host?.split('.')[0] === svcName) && (d.spec?.subsets ?? []).some((s: Obj) => s.name === subset));
        if (!dr) return `no DestinationRule in the input defines subset "${subset}" of ${host}`;
        const svc = services.find((s) => s.metadata?.name === svcName && nsOf(s) === ns);
        if (!svc?.spec?.selector) return `subset "${subset}" of ${host} becomes a Service selecting the subset's pods, but the input has no Service ${ns}/${svcName} with a selector to build it from: add that Service's YAML to the input`;
        const labels = (dr.spec.subsets as Obj[]).find((s) => s.name === subset)!.labels ?? {};
        const name = `${svcName}-${subset}`;
        const key = `${ns}/${name}`;
        if (!subsetServices.has(key)) {
          const ports = ((svc.spec.ports ?? []) as Obj[]).map((p) => ({ ...(p.name ? { name: p.name } : {}), port: p.port, ...(p.targetPort !== undefined ? { targetPort: p.targetPort } : {}), ...(p.protocol ? { protocol: p.protocol } : {}) }));
          subsetServices.set(key, renderSubsetService(name, ns, { ...svc.spec.selector, ...labels }, ports));
        }
        return { name, namespace: ns };
      },
    });
    problems.push(...t.problems);
    routesOut.push(...t.objects);
    for (const o of t.objects) {
      for (const b of t.backends) {
        if (b.namespace === vsNs) continue;
        const key = `${b.namespace}|${vsNs}|${o.kind}`;
        if (!grants.has(key)) {
          grants.set(key, renderReferenceGrant(`${o.kind.toLowerCase()}s-from-${vsNs}`, b.namespace, { group: 'gateway.networking.k8s.io', kind: o.kind, namespace: vsNs }, { group: '', kind: 'Service' }));
        }
      }
    }
  }
  for (const dr of destinationRules) {
    if (dr.spec?.trafficPolicy !== undefined || (dr.spec?.subsets ?? []).some((s: Obj) => s.trafficPolicy !== undefined)) {
      problems.push({ object: originOf(dr), field: 'spec.trafficPolicy', reason: 'Gateway API has no traffic policy (connection pool, outlier detection, load balancing, TLS origination): keep this DestinationRule, Istio applies it to Gateway API traffic too' });
    }
    // Subsets no converted route names change nothing on their own: nothing to write for them.
  }
  const objects = [...out, ...subsetServices.values(), ...grants.values(), ...routesOut];
  // Input without namespaces is applied to the current namespace (`kubectl apply -n`): keep it so.
  const unplaced = [...gateways, ...virtualServices, ...destinationRules].every((o) => o.metadata?.namespace === undefined);
  if (unplaced) for (const o of objects) if (o.metadata.namespace === 'default') delete o.metadata.namespace;
  return {
    objects,
    problems: problems.map((p) => `${p.object}: ${p.field}: ${p.reason}`),
  };
}

function nsOrHostNs(dr: Obj): string {
  const m = /^[^.]+\.([^.]+)\.svc\.cluster\.local$/.exec(String(dr.spec?.host ?? ''));
  return m ? m[1] : nsOf(dr);
}
