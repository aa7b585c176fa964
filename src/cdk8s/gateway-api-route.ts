// The Gateway API flavour of a construct's route: its VirtualService, rendered as in the Istio
// flavour, translated to an HTTPRoute / TLSRoute / TCPRoute. Translated once, at construction (without
// its parentRefs), so that what Gateway API cannot say is refused naming the prop; its parentRefs,
// which follow the gateway's servers, are made when it is rendered.
import { Construct } from 'constructs';
import { PropChecker } from '../model/checks';
import { renderReferenceGrant } from '../render/gateway-api/listeners';
import type { RouteContext } from '../render/gateway-api/translate';
import { translation } from '../render/gateway-api/translation';
import { KubeObject } from '../render/objects';
import { GatewayBase } from './gateway-base';
import { orderAfter, RenderedObject } from './rendered-object';

export interface GatewayApiRouteOptions {
  readonly check: PropChecker;
  readonly routeName: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  /** The VirtualService the Istio flavour would emit. */
  readonly renderVs: () => KubeObject;
  readonly ctx: RouteContext;
  /** The construct's props, to show the refused value. */
  readonly props: object;
  /** The prop behind the matches of rule `i`. */
  readonly ruleProp?: (rule: number) => string;
}

/** The route object, plus a ReferenceGrant in each other namespace its backends live in. */
export function gatewayApiRoute(scope: Construct, o: GatewayApiRouteOptions): RenderedObject {
  // Translated once, now, for what the route cannot say, its kind, identity, backends and content,
  // none of which its parentRefs decide (a parent that serves none of its hosts is the App-wide
  // check's, below): so no parent is asked, and no gateway lists its listeners for a route whose
  // servers may still be coming. Its parentRefs are made when it is rendered (withParentRefs).
  // The constructs promise the same routing in both flavours: Istio's string prefixes, exactly.
  // (The context's fields written out, in one shape for every route, rather than spread.)
  // Loaded here, not imported: an App of the Istio flavour never loads the translation.
  const { translateVirtualService, withParentRefs } = translation();
  const first = translateVirtualService(o.renderVs(), { parentRefs: NO_PARENT_REFS, subsetService: o.ctx.subsetService, onlyPortOf: o.ctx.onlyPortOf, prefix: 'string' }, o.labels);
  for (const p of first.problems) {
    if (p.field.startsWith('spec.gateways') || /^spec\.(tls|tcp)\[\d+\]$/.test(p.field)) continue; // unserved hosts: the App-wide check reports them with the fix
    const prop = propOfField(p.field, o.ruleProp ?? (() => 'match'));
    o.check.fail(prop, valueAt(o.props, prop), `with api 'gateway-api' this route is a ${first.objects[0]?.kind ?? 'Gateway API route'}: ${p.reason}`);
  }
  const translated = first.objects[0];
  const parents = first.parents[0];
  const parentRefs = o.ctx.parentRefs;
  const route = new RenderedObject(scope, translated.kind, () => withParentRefs(translated, parents, parentRefs), () => translated);
  // Most routes' backends all live in the route's namespace: no grant, and no list of namespaces.
  let elsewhere: string[] | undefined;
  for (const b of first.backends) if (b.namespace !== o.namespace) (elsewhere ??= []).push(b.namespace);
  if (elsewhere) referenceGrants(scope, route, o, elsewhere);
  return route;
}

/**
 * A ReferenceGrant for `route` in each namespace of `backendNamespaces` (none of them its own). (A
 * function of its own: the route's renderer keeps only what it reads, not the options.)
 */
function referenceGrants(scope: Construct, route: RenderedObject, o: GatewayApiRouteOptions, backendNamespaces: readonly string[]): void {
  for (const ns of [...new Set(backendNamespaces)].sort()) {
    const grant = new RenderedObject(scope, `ReferenceGrant-${ns}`, () => renderReferenceGrant(`${o.routeName}-${route.kind.toLowerCase()}-from-${o.namespace}`, ns,
      { group: 'gateway.networking.k8s.io', kind: route.kind, namespace: o.namespace }, { group: '', kind: 'Service' }, o.labels));
    orderAfter(route, grant);
  }
}

/** The parentRefs of every gateway at construction (see gatewayApiRoute). */
const NO_PARENT_REFS: RouteContext['parentRefs'] = () => [];

/** What a route needs of a gateway it binds to in the Gateway API flavour: an owned or an imported one. */
export type RouteParent = Pick<GatewayBase, 'ref' | 'parentRefs'>;

/** parentRefs from the gateways a route binds to. */
export function gatewayRouteContext(gateways: readonly RouteParent[], routeNamespace: string, subsetService?: RouteContext['subsetService']): RouteContext {
  return {
    parentRefs: (ref, kind, hosts, port) => {
      for (const g of gateways) if (g.ref === ref) return g.parentRefs(routeNamespace, kind, hosts, port);
      return `gateway ${ref} is not bound to this route`;
    },
    subsetService,
  };
}

/** The prop behind a field of the translated VirtualService (`spec.http[0].fault` -> `fault`). */
export function propOfField(field: string, ruleProp: (rule: number) => string): string {
  if (field.startsWith('spec.hosts')) return 'hosts';
  const m = /^spec\.(?:http|tls|tcp)\[(\d+)\](?:\.([A-Za-z]+))?/.exec(field);
  if (!m) return field;
  switch (m[2]) {
    case undefined: case 'match': return ruleProp(Number(m[1]));
    case 'mirrorPercentage': return 'mirror.percentage';
    case 'route': return 'destination';
    default: return m[2];
  }
}

/** The value of a dotted prop path of `props`, for an error message. */
export function valueAt(props: object, prop: string): unknown {
  let v: unknown = props;
  for (const k of prop.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

/** TCP needs TCPRoute, which only the Gateway API experimental channel has (TcpGateway, TcpCanaryRoute). */
export function refuseTcpOnStandardChannel(check: PropChecker, gateway: GatewayBase): void {
  if (gateway.api === 'gateway-api' && gateway.gatewayApiChannel === 'standard') {
      check.fail('gateway', gateway.ref, `gateway '${gateway.node.path}' declares the Gateway API standard channel, which has no TCPRoute (v1alpha2, experimental channel only): install the experimental channel's CRDs and declare gatewayApiChannel: 'experimental', or use api 'istio'`);
  }
}
