// HttpRoute's and CanaryRoute's props beyond the shared shapes, and their validated models: where
// a route applies (hosts, gateways, mesh, API, name, namespace), the plain forward, and the canary
// (both versions, the canary's pinned matches, the weighted split). The constructs
// (../../cdk8s/http-route, ../../cdk8s/canary-route) resolve the gateways and render.
import { PropChecker } from '../checks';
import { mapPacked } from '../packed';
import { GATEWAY_APIS, nameFragment } from '../gateway';
import { BoundGateway, namespaceOfServiceHost } from './binding';
import { DestinationModel, DestinationProp, PropReaders } from './destination';
import { crossMatches, HttpMatchModel, normalizeHttpMatches } from './matches';
import { HttpRouteOptions, HttpRouteOptionsModel, HttpRuleModel, layoutRules, normalizeRouteOptions, RouteDestinationModel } from './options';
import { CanaryTargetProp, CanaryVersionsModel, normalizeCanaryVersions, normalizeVersionSelection, SubsetProp, VersionSelectionModel } from './subsets';
import { TrafficPolicy } from './traffic-policy';

/** The binding props as the model reads them (the front end types `gateways`). */
export interface RouteBindingInput {
  readonly hosts: string[];
  readonly gateways?: readonly unknown[];
  readonly includeMesh?: boolean;
  readonly namespace?: string;
  readonly name?: string;
  readonly api?: 'istio' | 'gateway-api';
}

/** The props of {@link RouteBindingInput}. */
export const ROUTE_BINDING_PROPS = ['hosts', 'gateways', 'includeMesh', 'namespace', 'name', 'api'];

/** Where a validated route applies. */
export interface RouteBindingModel<G extends BoundGateway> {
  readonly hosts: string[];
  readonly gateways: G[];
  /** True when the route applies to in-mesh traffic (no gateways, or includeMesh). */
  readonly appliesToMesh: boolean;
  readonly api: 'istio' | 'gateway-api';
  /** Name of the VirtualService (and of a CanaryRoute's DestinationRule). */
  readonly routeName: string;
  /** Namespace of the VirtualService. */
  readonly namespace: string;
}

/** What the route's namespace defaults to after its gateways: read by the front end, unchecked. */
export interface RouteNamespaceDefaults {
  /** The destination host as given (or derived from a Service construct), if any. */
  readonly destinationHost?: string;
  /** The namespace of the chart the route is declared in (asked only when nothing before it decides). */
  readonly scopeNamespace: () => string | undefined;
}

/**
 * Validates where a route applies. `readGateway` resolves each entry of `gateways` (refusing what
 * is not a gateway); `id` names the route when `name` is not given.
 */
export function normalizeRouteBinding<G extends BoundGateway>(check: PropChecker, props: RouteBindingInput, readGateway: (prop: string, value: unknown) => G,
  id: string, defaults: RouteNamespaceDefaults): RouteBindingModel<G> {
  const hosts = check.hosts('hosts', props.hosts);
  const gateways = mapPacked(check.array('gateways', props.gateways) ?? [], (g, i) => readGateway(`gateways[${i}]`, g));
  gateways.forEach((g, i) => {
    if (gateways.indexOf(g) !== i) check.fail(`gateways[${i}]`, g.ref, 'each gateway may be listed once');
  });
  const includeMesh = check.boolean('includeMesh', props.includeMesh);
  if (gateways.length === 0 && includeMesh === false) {
    check.fail('includeMesh', includeMesh, 'a route without gateways applies only to mesh traffic, so includeMesh: false would leave it applying nowhere: bind it to gateways or remove includeMesh');
  }
  const appliesToMesh = gateways.length === 0 || includeMesh === true;
  if (appliesToMesh) {
    hosts.forEach((h, i) => {
      if (h === '*') check.fail(`hosts[${i}]`, h, 'Istio refuses the host "*" for routes that apply to mesh traffic: name the service hosts, or bind the route to gateways only');
    });
  }
  const api = check.oneOf('api', props.api, GATEWAY_APIS);
  const gatewayApis = [...new Set(gateways.map((g) => g.api))];
  if (gatewayApis.length > 1) {
    check.fail('gateways', gateways.map((g) => `${g.ref} (${g.api})`), 'the gateways are written in different APIs, and one route is written in one: bind a route per API');
  }
  if (api !== undefined && gatewayApis.length === 1 && api !== gatewayApis[0]) {
    check.fail('api', api, `the route follows the API of its gateways ('${gatewayApis[0]}'): remove api or change the gateways' api`);
  }
  const routeApi = gatewayApis[0] ?? api ?? 'istio';
  if (routeApi === 'gateway-api' && gateways.length > 0 && includeMesh) {
    check.fail('includeMesh', includeMesh, 'with api \'gateway-api\' a route serves either gateways or the mesh (an HTTPRoute with Service parents ignores its hostnames): declare a second route for the mesh');
  }
  const routeName = check.name('name', props.name ?? nameFragment(id))!;
  const destinationNamespace = defaults.destinationHost === undefined ? undefined : namespaceOfServiceHost(defaults.destinationHost);
  const namespace = check.namespace('namespace', props.namespace)
    ?? gateways[0]?.namespace
    ?? destinationNamespace
    ?? defaults.scopeNamespace()
    ?? 'default';
  return { hosts, gateways, appliesToMesh, api: routeApi, routeName, namespace };
}

/** What the props of a route see of its validated binding. */
export interface RouteBindingFacts {
  readonly appliesToMesh: boolean;
  readonly gateways: readonly BoundGateway[];
  readonly namespace: string;
}

/** A validated route destination, refused when it is a bound gateway's own Service. */
function routeDestination(check: PropChecker, value: unknown, route: RouteBindingFacts, readers: PropReaders): DestinationModel {
  const destination = readers.destination(check, 'destination', value);
  for (const g of route.gateways) g.refuseOwnService(check, 'destination.host', destination.host, route.namespace);
  return destination;
}

/** HttpRoute's props besides where it applies, as the model reads them (documented on `HttpRouteProps`). */
export interface HttpForwardInput extends HttpRouteOptions {
  readonly destination: DestinationProp;
}

/** A validated HttpRoute: one destination, its rules and options. */
export interface HttpForwardModel {
  readonly destination: DestinationModel;
  readonly options: HttpRouteOptionsModel;
  readonly http: HttpRuleModel[];
}

/** Validates HttpRoute's destination, matches and options, once its binding is known. */
export function normalizeHttpForward(check: PropChecker, props: HttpForwardInput, route: RouteBindingFacts, readers: PropReaders): HttpForwardModel {
  const ctx = { mesh: route.appliesToMesh };
  const destination = routeDestination(check, props.destination, route, readers);
  const { host, port } = destination;
  const match = normalizeHttpMatches(check, 'match', props.match, ctx);
  const options = normalizeRouteOptions(check, props, ctx);
  const http = layoutRules(check, [{ name: 'forward', match, route: [{ host, port }] }], options, () => 'match');
  return { destination, options, http };
}

/**
 * CanaryRoute's props besides where it applies, as the model reads them (documented on
 * `CanaryRouteProps` in ../../cdk8s/canary-route, which types the constructs they may name).
 */
export interface CanaryRouteInput extends HttpRouteOptions {
  readonly destination: DestinationProp;
  readonly stable: SubsetProp;
  readonly canary: CanaryTargetProp;
  readonly trafficPolicy?: TrafficPolicy;
  readonly destinationSelector?: Record<string, string>;
}

/** CanaryRoute's own props (besides the binding and the HTTP route options). */
export const CANARY_ROUTE_PROPS = ['destination', 'stable', 'canary', 'trafficPolicy', 'destinationSelector'];

/** A validated CanaryRoute. */
export interface CanaryRouteModel {
  readonly destination: DestinationModel;
  /** Both versions and the canary's weight in the split. */
  readonly versions: CanaryVersionsModel;
  /** How the versions are selected: a DestinationRule (api 'istio') or a Service each (api 'gateway-api'). */
  readonly selection: VersionSelectionModel;
  readonly options: HttpRouteOptionsModel;
  /** The rules: requests matching `canary.match` to the canary (named `canary`), then the split (named `split`). */
  readonly http: HttpRuleModel[];
  /** Namespace of the DestinationRule (or the version Services): the destination's when its host is fully qualified. */
  readonly destinationRuleNamespace: string;
}

/** Validates CanaryRoute's destination, versions, matches and options, once its binding is known. */
export function normalizeCanaryRoute(check: PropChecker, props: CanaryRouteInput, route: RouteBindingFacts & { readonly api: 'istio' | 'gateway-api' },
  readers: PropReaders): CanaryRouteModel {
  const ctx = { mesh: route.appliesToMesh };
  const destination = routeDestination(check, props.destination, route, readers);
  const { host, port } = destination;
  const versions = normalizeCanaryVersions(check, props, { canaryProps: ['weight', 'match'], share: 'the canary\'s percentage' }, readers);
  const { stable, canary, weight } = versions;

  const routeMatch = normalizeHttpMatches(check, 'match', props.match, ctx);
  const canaryMatch = normalizeHttpMatches(check, 'canary.match', props.canary.match, ctx);
  const options = normalizeRouteOptions(check, props, ctx);
  const mirror = options.mirror;
  if (mirror && mirror.host === host && mirror.subset !== undefined && mirror.subset !== stable.subset && mirror.subset !== canary.subset) {
    check.fail('mirror.subset', mirror.subset, `the DestinationRule of ${host} defines only the subsets "${stable.subset}" and "${canary.subset}"`);
  }
  const selection = normalizeVersionSelection(check, props, route.api, {
    trafficPolicyFix: 'remove trafficPolicy (or keep a DestinationRule of your own for the host), or use api \'istio\'',
    gatewayApi: 'with api \'gateway-api\'',
  });

  const to = (subset: string, w: number): RouteDestinationModel => ({ host, subset, ...(port !== undefined ? { port } : {}), weight: w });
  const branches: { name: string; match?: HttpMatchModel[]; route: RouteDestinationModel[] }[] = [];
  if (canaryMatch) {
    branches.push({ name: 'canary', match: crossMatches(check, { prop: 'match', list: routeMatch }, { prop: 'canary.match', list: canaryMatch }), route: [to(canary.subset, 100)] });
  }
  // Both destinations stay even at weight 0 or 100, so a weight change never restructures the rule.
  branches.push({ name: 'split', match: routeMatch, route: [to(stable.subset, 100 - weight), to(canary.subset, weight)] });
  const http = layoutRules(check, branches, options, (b) => (b.name === 'canary' ? 'canary.match' : 'match'));
  return { destination, versions, selection, options, http, destinationRuleNamespace: namespaceOfServiceHost(host) ?? route.namespace };
}
