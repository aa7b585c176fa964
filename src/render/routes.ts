// Renders routes to plain objects: every VirtualService (HTTP rules, HTTP forwards, TLS passthrough
// by SNI, TCP and weighted TCP) and DestinationRules. Pure functions over the validated models of
// ../model/routes: same model in, same object out.
import { DESTINATION_RULE, VIRTUAL_SERVICE } from './api-versions';
import { identity, KubeObject, meta, object, sortedByKey, SPEC_ONLY } from './objects';
import {
  DestinationRuleModel, GatewayPortRouteModel, RouteBinding, GatewayRouteModel, HttpMatchModel, HttpRuleModel, RouteDestinationModel, StringMatchModel,
  VirtualServiceModel, WeightedTcpRouteModel,
} from '../model/routes';

/** The VirtualService on one gateway with a single rule in its `tls`, `tcp` or `http` list. */
function gatewayVirtualService(r: GatewayRouteModel, section: 'tls' | 'tcp' | 'http', rule: Record<string, unknown>): KubeObject {
  return object(VIRTUAL_SERVICE, meta(r.name, r.namespace, r.labels), {
    spec: { hosts: [...r.hosts], gateways: [r.gateway], [section]: [rule] },
  });
}

function portDestination(d: { host: string; port: number }, subset?: string): Record<string, unknown> {
  return { host: d.host, port: { number: d.port }, ...(subset !== undefined ? { subset } : {}) };
}

/** A VirtualService routing TLS by SNI (for PASSTHROUGH hosts). */
export function renderTlsPassthroughRoute(r: GatewayPortRouteModel): KubeObject {
  return gatewayVirtualService(r, 'tls', {
    match: [{ port: r.port, sniHosts: [...r.hosts] }],
    route: [{ destination: portDestination(r.destination) }],
  });
}

/** A VirtualService forwarding a gateway's TCP port to a destination. */
export function renderTcpRoute(r: GatewayPortRouteModel): KubeObject {
  return gatewayVirtualService(r, 'tcp', {
    match: [{ port: r.port }],
    route: [{ destination: portDestination(r.destination) }],
  });
}

/** A weighted TCP route: a gateway's TCP port split between subsets of one destination. */
export function renderWeightedTcpRoute(r: WeightedTcpRouteModel): KubeObject {
  return gatewayVirtualService(r, 'tcp', {
    match: [{ port: r.port }],
    route: r.split.map((s) => ({ destination: portDestination(r.destination, s.subset), weight: s.weight })),
  });
}

/** A VirtualService sending all HTTP traffic for `hosts` on a gateway to one destination. */
export function renderHttpForward(r: GatewayRouteModel): KubeObject {
  return gatewayVirtualService(r, 'http', { route: [{ destination: portDestination(r.destination) }] });
}

/** A VirtualService with HTTP rules, for gateways and/or the mesh. */
export function renderVirtualService(m: VirtualServiceModel): KubeObject {
  const spec: Record<string, unknown> = { hosts: [...m.hosts] };
  if (m.gateways && m.gateways.length > 0) spec.gateways = [...m.gateways];
  spec.http = m.http.map(renderHttpRule);
  return object(VIRTUAL_SERVICE, meta(m.name, m.namespace, m.labels), { spec });
}

/** The identity (see identity) of every VirtualService above: each writes the route's name, namespace, labels and a spec. */
export function virtualServiceIdentity(r: RouteBinding): KubeObject {
  return identity(VIRTUAL_SERVICE, meta(r.name, r.namespace, r.labels), SPEC_ONLY);
}

/** The identity (see identity) of {@link renderDestinationRule}'s object. */
export function destinationRuleIdentity(m: RouteBinding): KubeObject {
  return identity(DESTINATION_RULE, meta(m.name, m.namespace, m.labels), SPEC_ONLY);
}

/** A DestinationRule: the host, its traffic policy and its subsets. */
export function renderDestinationRule(m: DestinationRuleModel): KubeObject {
  const spec: Record<string, unknown> = { host: m.host };
  if (m.trafficPolicy) spec.trafficPolicy = clone(m.trafficPolicy);
  spec.subsets = m.subsets.map((s) => ({ name: s.name, labels: sortedByKey(s.labels) }));
  return object(DESTINATION_RULE, meta(m.name, m.namespace, m.labels), { spec });
}

function renderHttpRule(r: HttpRuleModel): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (r.name) out.name = r.name;
  if (r.match) out.match = r.match.map(renderMatch);
  out.route = r.route.map(renderDestinationWeight);
  if (r.rewrite) {
    const rw: Record<string, unknown> = {};
    if (r.rewrite.uri) rw.uri = r.rewrite.uri;
    if (r.rewrite.uriRegex) rw.uriRegexRewrite = { match: r.rewrite.uriRegex.match, rewrite: r.rewrite.uriRegex.rewrite };
    if (r.rewrite.authority) rw.authority = r.rewrite.authority;
    out.rewrite = rw;
  }
  if (r.timeout) out.timeout = r.timeout;
  if (r.retries) {
    const rt: Record<string, unknown> = { attempts: r.retries.attempts };
    if (r.retries.perTryTimeout) rt.perTryTimeout = r.retries.perTryTimeout;
    if (r.retries.retryOn) rt.retryOn = r.retries.retryOn;
    out.retries = rt;
  }
  if (r.fault) {
    const f: Record<string, unknown> = {};
    if (r.fault.delay) f.delay = { fixedDelay: r.fault.delay.fixedDelay, percentage: { value: r.fault.delay.percentage } };
    if (r.fault.abort) f.abort = { httpStatus: r.fault.abort.httpStatus, percentage: { value: r.fault.abort.percentage } };
    out.fault = f;
  }
  if (r.mirror) {
    out.mirror = renderDestination({ host: r.mirror.host, subset: r.mirror.subset, port: r.mirror.port });
    out.mirrorPercentage = { value: r.mirror.percentage };
  }
  return out;
}

function renderDestination(d: RouteDestinationModel): Record<string, unknown> {
  const out: Record<string, unknown> = { host: d.host };
  if (d.subset !== undefined) out.subset = d.subset;
  if (d.port !== undefined) out.port = { number: d.port };
  return out;
}

function renderDestinationWeight(d: RouteDestinationModel): Record<string, unknown> {
  const out: Record<string, unknown> = { destination: renderDestination(d) };
  if (d.weight !== undefined) out.weight = d.weight;
  return out;
}

function renderStringMatch(s: StringMatchModel): Record<string, string> {
  return { [s.kind]: s.value };
}

function renderMatchMap(m: Readonly<Record<string, StringMatchModel>>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(m).sort().map((k) => [k, renderStringMatch(m[k])]));
}

function renderMatch(m: HttpMatchModel): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (m.name) out.name = m.name;
  if (m.uri) out.uri = renderStringMatch(m.uri);
  if (m.ignoreUriCase) out.ignoreUriCase = true;
  if (m.method) out.method = renderStringMatch(m.method);
  if (m.scheme) out.scheme = renderStringMatch(m.scheme);
  if (m.authority) out.authority = renderStringMatch(m.authority);
  if (m.headers) out.headers = renderMatchMap(m.headers);
  if (m.withoutHeaders) out.withoutHeaders = renderMatchMap(m.withoutHeaders);
  if (m.queryParams) out.queryParams = renderMatchMap(m.queryParams);
  if (m.port !== undefined) out.port = m.port;
  if (m.sourceLabels) out.sourceLabels = sortedByKey(m.sourceLabels);
  if (m.sourceNamespace) out.sourceNamespace = m.sourceNamespace;
  return out;
}


function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}
