// Host and reference checks of Gateway API routes (HTTPRoute, GRPCRoute, TLSRoute, TCPRoute): what
// virtualservice.GatewayAnalyzer and virtualservice.DestinationHostAnalyzer check for VirtualServices.
// istioctl 1.30 has no such analyzers (it reports these only as route status conditions in a cluster),
// so they carry this library's own names, `gatewayapi.*`, and reuse Istio's codes IST0101 and IST0132.

import { labelSelectorMatches } from '../../label-selector';
import { hostMatches } from '../hosts';
import { MESSAGES } from '../messages';
import { Dict, int, isRecord, rec, recs, str, strMap, strs } from '../objects';
import { originOfRes, Res, ResourceIndex, ResType } from '../resource-index';
import { AnalysisContext, Analyzer } from './framework';

const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';
const ROUTE_TYPES: readonly ResType[] = ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute'];
/** Listener protocols each route kind attaches to when the listener names no `allowedRoutes.kinds`. */
const PROTOCOLS: Readonly<Record<string, readonly string[]>> = {
  HTTPRoute: ['HTTP', 'HTTPS'],
  GRPCRoute: ['HTTP', 'HTTPS'],
  TLSRoute: ['TLS'],
  TCPRoute: ['TCP'],
};
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** A parentRef that names a Gateway API Gateway (group and kind default to it); others (GAMMA Services) are skipped. */
function isGatewayRef(ref: Dict): boolean {
  return (str(ref.group) ?? GATEWAY_API_GROUP) === GATEWAY_API_GROUP && (str(ref.kind) ?? 'Gateway') === 'Gateway';
}

function describeRef(namespace: string, name: string, ref: Dict): string {
  const section = str(ref.sectionName);
  const port = int(ref.port);
  return `${namespace}/${name}${section !== undefined ? `/${section}` : ''}${port !== undefined ? `:${port}` : ''}`;
}

/** Whether a listener accepts routes of this kind: its `allowedRoutes.kinds`, or by default its protocol. */
function admitsKind(listener: Dict, kind: string): boolean {
  const kinds = recs(rec(listener.allowedRoutes).kinds);
  if (kinds.length > 0) {
    return kinds.some((k) => str(k.kind) === kind && (str(k.group) ?? GATEWAY_API_GROUP) === GATEWAY_API_GROUP);
  }
  return (PROTOCOLS[kind] ?? []).includes(str(listener.protocol) ?? '');
}

/**
 * Whether a listener admits routes from `routeNs` (`allowedRoutes.namespaces.from`, default Same).
 * A Selector is evaluated against the Namespace object's labels plus `kubernetes.io/metadata.name`;
 * when the Namespace is not in the input and the selector asks for other labels, the route is taken to be admitted.
 */
function admitsNamespace(index: ResourceIndex, gw: Res, listener: Dict, routeNs: string): boolean {
  const namespaces = rec(rec(listener.allowedRoutes).namespaces);
  const from = str(namespaces.from) ?? 'Same';
  if (from === 'All') return true;
  if (from === 'Same') return routeNs === gw.namespace;
  if (from !== 'Selector') return false;
  const ns = index.get('Namespace', '', routeNs);
  const labels: Record<string, string> = { ...(ns?.labels ?? {}), [NAMESPACE_NAME_LABEL]: routeNs };
  const selector = rec(namespaces.selector);
  const matchLabels = strMap(selector.matchLabels);
  const expressions = recs(selector.matchExpressions);
  if (!ns && [...Object.keys(matchLabels), ...expressions.map((e) => str(e.key) ?? '')].some((k) => k !== NAMESPACE_NAME_LABEL)) return true;
  return labelSelectorMatches(namespaces.selector, labels);
}

/** Whether a listener of `gw` selected by `section` and `port` accepts `route` (kind, namespace and hostnames). */
function servedBy(index: ResourceIndex, gw: Res, route: Res, hostnames: readonly string[], section: string | undefined, port: number | undefined): boolean {
  const listeners = recs(gw.spec.listeners);
  for (let i = 0; i < listeners.length; i++) {
    const l = listeners[i];
    if ((section !== undefined && str(l.name) !== section) || (port !== undefined && int(l.port) !== port)) continue;
    if (!admitsKind(l, route.kind) || !admitsNamespace(index, gw, l, route.namespace)) continue;
    const lh = str(l.hostname);
    // No hostname on either side matches everything (TCPRoutes have none).
    if (lh === undefined || lh === '' || hostnames.length === 0 || hostnames.some((h) => hostMatches(lh, h))) return true;
  }
  return false;
}

export const gatewayApiRouteParentAnalyzer: Analyzer = {
  name: 'gatewayapi.RouteParentAnalyzer',
  run(ctx) {
    for (const type of ROUTE_TYPES) {
      const routes = ctx.index.list(type);
      for (let r = 0; r < routes.length; r++) {
        const route = routes[r];
        const hostnames = strs(route.spec.hostnames);
        const parents = recs(route.spec.parentRefs);
        for (let p = 0; p < parents.length; p++) {
          const ref = parents[p];
          if (!isGatewayRef(ref)) continue;
          const name = str(ref.name) ?? '';
          const namespace = str(ref.namespace) ?? route.namespace;
          const gw = ctx.index.get('K8sGateway', namespace, name);
          if (!gw) {
            ctx.report(route, MESSAGES.ReferencedResourceNotFound, ['gateway', `${namespace}/${name}`],
              `Fix: create Gateway ${namespace}/${name} (gateway.networking.k8s.io), or correct spec.parentRefs `
              + `(the namespace defaults to the ${route.kind}'s, "${route.namespace}").`);
            continue;
          }
          const section = str(ref.sectionName);
          const port = int(ref.port);
          // Almost every parentRef is served: one pass over the listeners settles that without the
          // lists below, which are made only to explain a finding (the same predicates, in order).
          if (servedBy(ctx.index, gw, route, hostnames, section, port)) continue;
          const listeners = recs(gw.spec.listeners)
            .filter((l) => (section === undefined || str(l.name) === section) && (port === undefined || int(l.port) === port));
          if (listeners.length === 0) {
            ctx.report(route, MESSAGES.ReferencedResourceNotFound, ['gateway listener', describeRef(namespace, name, ref)],
              `Fix: Gateway ${namespace}/${name} has no listener with that sectionName/port; its listeners: `
              + `${recs(gw.spec.listeners).map((l) => `${str(l.name) ?? '?'} (port ${int(l.port) ?? '?'})`).join(', ') || 'none'}.`);
            continue;
          }
          const ofKind = listeners.filter((l) => admitsKind(l, route.kind));
          const admitting = ofKind.filter((l) => admitsNamespace(ctx.index, gw, l, route.namespace));
          const serving = admitting.filter((l) => {
            const lh = str(l.hostname);
            // No hostname on either side matches everything (TCPRoutes have none).
            return lh === undefined || lh === '' || hostnames.length === 0 || hostnames.some((h) => hostMatches(lh, h));
          });
          if (serving.length > 0) continue;
          let hint: string;
          if (ofKind.length === 0) {
            hint = `Fix: no listener of Gateway ${describeRef(namespace, name, ref)} accepts a ${route.kind} `
              + `(its protocols: ${[...new Set(listeners.map((l) => str(l.protocol) ?? '?'))].join(', ')}); add one, or change spec.parentRefs.`;
          } else if (admitting.length === 0) {
            hint = `Fix: the listeners of Gateway ${describeRef(namespace, name, ref)} admit no ${route.kind} from namespace `
              + `"${route.namespace}" (allowedRoutes.namespaces); admit it there, or move the route.`;
          } else {
            const offered = admitting.map((l) => str(l.hostname) ?? '*');
            hint = `Fix: ${route.kind} ${route.fullName} spec.hostnames match no listener hostname of Gateway `
              + `${describeRef(namespace, name, ref)} (${offered.join(', ')}); add a listener, or change spec.hostnames.`;
          }
          ctx.report(route, MESSAGES.VirtualServiceHostNotFoundInGateway, [hostnames, route.fullName, `${namespace}/${name}`], hint);
        }
      }
    }
  },
};

/**
 * Where a backendRef sits in its route: `spec.rules[i].backendRefs[j]`, the requestMirror of that
 * backendRef's filter k, or (j undefined) the requestMirror of the rule's filter k. Written out only
 * for a finding: a platform's routes have thousands of backendRefs and almost no findings.
 */
function whereOf(i: number, j: number | undefined, k: number | undefined): string {
  const rule = `spec.rules[${i}]`;
  if (j === undefined) return `${rule}.filters[${k}].requestMirror.backendRef`;
  const ref = `${rule}.backendRefs[${j}]`;
  return k === undefined ? ref : `${ref}.filters[${k}].requestMirror.backendRef`;
}

/** The backendRef of a filter's requestMirror, when it has one. */
function mirrorRef(f: Dict): Dict | undefined {
  const backendRef = rec(f.requestMirror).backendRef;
  return isRecord(backendRef) ? backendRef : undefined;
}

/** Reports a backendRef of `route` (at whereOf(i, j, k)) naming a Service that is not in the input, or a port it does not expose. */
function checkBackendRef(ctx: AnalysisContext, route: Res, ref: Dict, i: number, j: number | undefined, k: number | undefined): void {
  // Only Services are checked; Istio's Hostname and ServiceEntry backends are not.
  if ((str(ref.group) ?? '') !== '' || (str(ref.kind) ?? 'Service') !== 'Service') return;
  const name = str(ref.name) ?? '';
  const namespace = str(ref.namespace) ?? route.namespace;
  const svc = ctx.index.get('Service', namespace, name);
  if (!svc) {
    ctx.report(route, MESSAGES.ReferencedResourceNotFound, ['service', `${namespace}/${name}`],
      `Fix: ${whereOf(i, j, k)} names Service ${namespace}/${name}, which is not in the input; `
      + 'add it, correct the name or namespace, or pass it as an external object when it lives in the cluster.');
    return;
  }
  const port = int(ref.port);
  // A Service without ports only proves that the name exists.
  if (port === undefined) return;
  const svcPorts = recs(svc.spec.ports);
  if (svcPorts.length === 0) return;
  for (const p of svcPorts) if ((int(p.port) ?? 0) === port) return;
  const ports = svcPorts.map((p) => int(p.port) ?? 0);
  ctx.report(route, MESSAGES.ReferencedResourceNotFound, ['service:port', `${namespace}/${name}:${port}`],
    `Fix: ${originOfRes(svc)} exposes port(s) ${ports.join(', ')}; set ${whereOf(i, j, k)}.port to one of them.`);
}

export const gatewayApiRouteBackendAnalyzer: Analyzer = {
  name: 'gatewayapi.RouteBackendAnalyzer',
  run(ctx) {
    for (const type of ROUTE_TYPES) {
      const routes = ctx.index.list(type);
      for (let r = 0; r < routes.length; r++) {
        const route = routes[r];
        // In the route's order: each backendRef, then the mirrors of its filters; then the mirrors of the rule's filters.
        const rules = recs(route.spec.rules);
        for (let i = 0; i < rules.length; i++) {
          const rule = rules[i];
          const refs = recs(rule.backendRefs);
          for (let j = 0; j < refs.length; j++) {
            const b = refs[j];
            checkBackendRef(ctx, route, b, i, j, undefined);
            const filters = recs(b.filters);
            for (let k = 0; k < filters.length; k++) {
              const m = mirrorRef(filters[k]);
              if (m) checkBackendRef(ctx, route, m, i, j, k);
            }
          }
          const filters = recs(rule.filters);
          for (let k = 0; k < filters.length; k++) {
            const m = mirrorRef(filters[k]);
            if (m) checkBackendRef(ctx, route, m, i, undefined, k);
          }
        }
      }
    }
  },
};
