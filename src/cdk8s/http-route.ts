// HTTP routes as VirtualServices: what every route construct shares (hosts, binding to gateways
// and/or the mesh, namespace and name, the App-wide check that a gateway serves the hosts) and
// HttpRoute, the plain forward to one Service.
import { Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { IstioGatewayErrorDetails } from '../errors';
import { describeConstruct, PropChecker } from '../model/checks';
import { nameFragment } from '../model/gateway';
import {
  FaultInjection, HttpMatch, HttpRewrite, HttpRouteOptionsModel, layoutRules, MirrorPolicy, namespaceOfServiceHost,
  normalizeHttpMatches, normalizeRouteOptions, RetryPolicy, unservedHosts,
} from '../model/routes';
import { MANAGED_BY, MANAGED_BY_LABEL } from '../render/api-versions';
import { renderVirtualService } from '../render/routes';
import { destinationHostOf, destinationOf, ResolvedDestination } from './kplus-interop';
import { externalDestination } from './externals';
import { GATEWAY_APIS, GatewayApi, GatewayBase } from './gateway-base';
import { IGateway, ImportedGateway, requireGatewayRef } from './gateway-ref';
import { KubeObject } from '../render/objects';
import { RouteContext } from '../render/gateway-api/translate';
import { gatewayApiRoute, gatewayRouteContext } from './gateway-api-route';
import { missingServicePort } from './backend-ports';
import { orderAfter, orderInYaml, RenderedObject } from './rendered-object';
import { SynthCheck, SynthChecked } from './synth-check';

// The prop shapes of the route constructs, part of the public API.
export type {
  ClientTls, ConnectionPool, ConsistentHash, FaultAbort, HashCookie, FaultDelay, FaultInjection, HttpMatch, HttpRewrite, LoadBalancer,
  MirrorPolicy, OutlierDetection, RetryPolicy, StringMatch, TrafficPolicy,
} from '../model/routes';

/** The Kubernetes Service (or mesh host) a route sends traffic to. */
export interface RouteDestination {
  /**
   * Service host: a short name (`reviews`, resolved in the route's namespace) or the full
   * `reviews.bookinfo.svc.cluster.local`. Give either `host` or `service`.
   * @default - derived from `service`
   */
  readonly host?: string;
  /**
   * The Service itself: a `kplus.Service` (cdk8s-plus) or any Service `ApiObject`. The host is its
   * name, fully qualified (`name.ns.svc.cluster.local`) when it has a namespace; its port is used
   * when it has exactly one (a given `port` must be one of its ports).
   * @default - none: give `host`
   */
  readonly service?: IConstruct;
  /**
   * Service port. Required when the Service exposes more than one port (istioctl IST0112).
   * @default - the Service's only port
   */
  readonly port?: number;
}

/** Where a route applies: its hosts, the gateways it binds to, its namespace and name. */
export interface RouteBindingProps {
  /**
   * Hosts the route serves: names clients use at the gateways (`bookinfo.example.com`,
   * `*.example.com`) and/or in-mesh service names (`reviews`). At least one.
   */
  readonly hosts: string[];
  /**
   * Bind to these gateways (IngressGateway or TenantGateway of this App, or one imported with
   * `fromAttributes`): the route then serves their traffic for `hosts`. Each must serve at least
   * one of the hosts over HTTP/HTTPS, or synthesis fails (IST0132); for an imported gateway given
   * no hosts this is not known, and not checked.
   * @default - none: the route applies to in-mesh (sidecar) traffic
   */
  readonly gateways?: IGateway[];
  /**
   * With `gateways`: also apply to in-mesh traffic (adds the reserved gateway `mesh`).
   * @default false
   */
  readonly includeMesh?: boolean;
  /**
   * Namespace of the VirtualService.
   * @default - the first gateway's namespace; for a mesh route the namespace of a fully
   *   qualified destination host (`name.ns.svc.cluster.local`), else the chart's namespace,
   *   else `default`
   */
  readonly namespace?: string;
  /**
   * Name of the VirtualService (and of a CanaryRoute's DestinationRule). Identity: renaming
   * replaces the objects.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The API of the route. Bound to gateways, a route follows them (and this prop, when given,
   * must agree); a mesh route with `'gateway-api'` is an `HTTPRoute` whose `parentRefs` are the
   * Services named by `hosts` (GAMMA).
   * @default - the gateways' API; 'istio' for a mesh route
   */
  readonly api?: GatewayApi;
}

/** Request matching and per-request behaviour shared by HttpRoute and CanaryRoute. */
export interface HttpRouteOptions {
  /**
   * Serve only requests matching one of these (uri, headers, ...). Others get no route from
   * this VirtualService (404 at a gateway).
   * @default - every request for the hosts
   */
  readonly match?: HttpMatch[];
  /**
   * Timeout of the whole request, retries included, e.g. `10s`.
   * @default - Istio's default (none)
   */
  readonly timeout?: string;
  /**
   * @default - Istio's default (2 attempts on connect-failure, refused-stream, unavailable, cancelled, retriable-status-codes)
   */
  readonly retries?: RetryPolicy;
  /**
   * Also send a copy of (a percentage of) requests to another destination.
   * @default - no mirroring
   */
  readonly mirror?: MirrorPolicy;
  /**
   * Inject delays and/or errors, optionally only into matching requests.
   * @default - no fault injection
   */
  readonly fault?: FaultInjection;
  /**
   * Rewrite the path or authority before forwarding.
   * @default - no rewrite
   */
  readonly rewrite?: HttpRewrite;
}

export const ROUTE_BINDING_PROPS = ['hosts', 'gateways', 'includeMesh', 'namespace', 'name', 'api'];
export const HTTP_ROUTE_OPTION_PROPS = ['match', 'timeout', 'retries', 'mirror', 'fault', 'rewrite'];

/**
 * Base of the route constructs: validates the binding props, registers the App-wide check that
 * every bound gateway serves one of the hosts, and orders the VirtualService after the Gateway
 * resources it binds to.
 */
export abstract class RouteBase extends Construct {
  /** Hosts the route serves. */
  public readonly hosts: readonly string[];
  /** Gateways the route binds to (none: mesh only). */
  public readonly gateways: readonly IGateway[];
  /** True when the route applies to in-mesh traffic (no gateways, or includeMesh). */
  public readonly appliesToMesh: boolean;
  /** Name of the VirtualService. */
  public readonly routeName: string;
  /** Namespace of the VirtualService. */
  public readonly namespace: string;
  /** The API the route is written in. */
  public readonly api: GatewayApi;
  /** How errors name this construct. @internal */
  protected readonly check: PropChecker;
  /** Objects to order after the bound gateways' Gateway resources. @internal */
  protected abstract readonly routeObjects: () => RenderedObject[];

  protected constructor(scope: Construct, id: string, className: string, props: RouteBindingProps & { destination?: RouteDestination }, known: readonly string[]) {
    super(scope, id);
    const check: PropChecker = new PropChecker(describeConstruct(className, this.node.path));
    // Joined the tree first: a refusal while constructing detaches it again, leaving nothing behind.
    check.whileConstructing(() => scope.node.tryRemoveChild(id));
    this.check = check;
    check.object('props', props, true);
    check.knownProps('', props, known);
    this.hosts = check.hosts('hosts', props.hosts);
    const gateways = (check.array('gateways', props.gateways) ?? []).map((g, i) => requireGatewayRef(check, this, g, `gateways[${i}]`));
    gateways.forEach((g, i) => {
      if (gateways.indexOf(g) !== i) check.fail(`gateways[${i}]`, g.ref, 'each gateway may be listed once');
    });
    this.gateways = gateways;
    const includeMesh = check.boolean('includeMesh', props.includeMesh);
    if (gateways.length === 0 && includeMesh === false) {
      check.fail('includeMesh', includeMesh, 'a route without gateways applies only to mesh traffic, so includeMesh: false would leave it applying nowhere: bind it to gateways or remove includeMesh');
    }
    this.appliesToMesh = gateways.length === 0 || includeMesh === true;
    if (this.appliesToMesh) {
      this.hosts.forEach((h, i) => {
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
    this.api = gatewayApis[0] ?? api ?? 'istio';
    if (this.api === 'gateway-api' && gateways.length > 0 && includeMesh) {
      check.fail('includeMesh', includeMesh, 'with api \'gateway-api\' a route serves either gateways or the mesh (an HTTPRoute with Service parents ignores its hostnames): declare a second route for the mesh');
    }
    this.routeName = check.name('name', props.name ?? nameFragment(id))!;
    const destinationHost = destinationHostOf(props.destination);
    const destinationNamespace = destinationHost === undefined ? undefined : namespaceOfServiceHost(destinationHost);
    this.namespace = check.namespace('namespace', props.namespace)
      ?? gateways[0]?.namespace
      ?? destinationNamespace
      ?? Chart.of(this).namespace
      ?? 'default';
  }

  /** How the Gateway API translation of this route finds its parents. @internal */
  protected routeContext(subsetService?: RouteContext['subsetService']): RouteContext {
    // Imports are Istio Gateways: a Gateway API route (whose parents these are) has none of them.
    return gatewayRouteContext(this.gateways.filter((g): g is GatewayBase | ImportedGateway => g instanceof GatewayBase || g instanceof ImportedGateway),
      this.namespace, subsetService);
  }

  /** The Gateway API flavour of a VirtualService of this route (see gatewayApiRoute). @internal */
  protected gatewayApiRoute(renderVs: () => KubeObject, ctx: RouteContext, props: object, ruleProp?: (rule: number) => string): RenderedObject {
    return gatewayApiRoute(this, { check: this.check, routeName: this.routeName, namespace: this.namespace, labels: this.objectLabels, renderVs, ctx, props, ruleProp });
  }

  /**
   * Joins the App-wide check and sets the ordering edges. Called by each route construct once its
   * own props are accepted: a route refused halfway must not reach synthesis, where its missing
   * parts would fail with a TypeError instead of the refusal the caller already caught.
   */
  protected completed(): void {
    SynthCheck.of(this).register(this);
    // A TenantGateway admits the namespaces of the routes bound to it (namespace-scoped server hosts);
    // an imported one admits what its owner declared (its routeNamespaces).
    for (const g of this.gateways) if (g instanceof GatewayBase) g.bindRoute(this.namespace, this);
    // The graph edges are set now, once: Pulumi creates the route's objects after each bound
    // gateway's Gateway object (which appears with the gateway's first server, maybe after this
    // route, hence the function), and the YAML lists them after the gateway's objects.
    for (const o of this.routeObjects()) {
      for (const g of this.gateways) {
        if (!(g instanceof GatewayBase)) continue; // imported: its Gateway is not in this App
        orderAfter(o, () => g.gatewayResource);
        orderInYaml(o, g);
      }
    }
  }

  /** `gateways` of the VirtualService: each Gateway as `namespace/name`, plus `mesh` when included. */
  protected get gatewayRefs(): string[] | undefined {
    if (this.gateways.length === 0) return undefined;
    const refs = this.gateways.map((g) => g.ref);
    if (this.appliesToMesh) refs.push('mesh');
    return refs;
  }

  /** Labels on every object of the route. */
  protected get objectLabels(): Record<string, string> {
    return { [MANAGED_BY_LABEL]: MANAGED_BY };
  }

  /** A bound gateway that serves none of the hosts would never send the route traffic (IST0132). @internal */
  public appProblems(_all: readonly SynthChecked[]): IstioGatewayErrorDetails[] {
    const problems: IstioGatewayErrorDetails[] = [];
    for (const gw of this.gateways) {
      // A host the gateway serves verbatim settles it; the full check (wildcards, and the
      // explanation) copies every server, quadratic for a gateway shared by hundreds of routes.
      if (gw.servesHttpHostVerbatim(this.hosts)) continue;
      const servers = gw.servers;
      if (servers === undefined) continue; // an imported gateway whose hosts are not known
      const why = unservedHosts(this.hosts, { ref: gw.ref, servers });
      if (why) problems.push({ construct: this.check.construct, prop: 'hosts', value: [...this.hosts], expected: why });
    }
    return problems;
  }

  /** @internal */
  public abstract externalObjects(): object[];
}

/** Props of {@link HttpRoute}. */
export interface HttpRouteProps extends RouteBindingProps, HttpRouteOptions {
  /** Where the requests go. */
  readonly destination: RouteDestination;
}

const PROPS = [...ROUTE_BINDING_PROPS, ...HTTP_ROUTE_OPTION_PROPS, 'destination'];

/**
 * Forwards HTTP requests for some hosts (at gateways and/or in the mesh) to one Service.
 *
 * @example
 * new HttpRoute(chart, 'productpage', {
 *   hosts: ['bookinfo.example.com'],
 *   gateways: [gateway],
 *   destination: { host: 'productpage', port: 9080 },
 *   match: [{ uri: { exact: '/productpage' } }, { uri: { prefix: '/static' } }],
 * });
 */
export class HttpRoute extends RouteBase {
  /** The VirtualService (api 'istio'). */
  public readonly virtualService?: RenderedObject;
  /** The HTTPRoute (api 'gateway-api'). */
  public readonly httpRoute?: RenderedObject;
  /** The destination (its host and port, derived from `service` when given). */
  public readonly destination: ResolvedDestination;
  /** @internal */
  protected readonly routeObjects = (): RenderedObject[] => [this.virtualService ?? this.httpRoute!];
  private readonly options: HttpRouteOptionsModel;

  constructor(scope: Construct, id: string, props: HttpRouteProps) {
    super(scope, id, 'HttpRoute', props, PROPS);
    const check: PropChecker = this.check;
    const ctx = { mesh: this.appliesToMesh };
    this.destination = destinationOf(check, 'destination', props.destination);
    const { host, port } = this.destination;
    for (const g of this.gateways) g.refuseOwnService(check, 'destination.host', host, this.namespace);
    const match = normalizeHttpMatches(check, 'match', props.match, ctx);
    this.options = normalizeRouteOptions(check, props, ctx);
    const http = layoutRules(check, [{ name: 'forward', match, route: [{ host, port }] }], this.options, () => 'match');

    const model = {
      name: this.routeName, namespace: this.namespace, labels: this.objectLabels,
      hosts: this.hosts, gateways: this.gatewayRefs, http,
    };
    if (this.api === 'gateway-api') {
      this.httpRoute = this.gatewayApiRoute(() => renderVirtualService(model), this.routeContext(), props);
    } else {
      this.virtualService = new RenderedObject(this, 'VirtualService', () => renderVirtualService(model));
    }
    this.completed();
    this.check.constructed();
  }

  /** @internal */
  public appProblems(all: readonly SynthChecked[]): IstioGatewayErrorDetails[] {
    const out = super.appProblems(all);
    if (this.api !== 'gateway-api') return out; // the analyzer reports it for VirtualServices (IST0101)
    out.push(...missingServicePort(this, all, this.check.construct, 'destination.port', this.destination.host, this.destination.port, this.namespace));
    const m = this.options.mirror;
    if (m) out.push(...missingServicePort(this, all, this.check.construct, 'mirror.port', m.host, m.port, this.namespace));
    return out;
  }

  /** The destination (and mirror) Services exist in the cluster: tell the analyzer. @internal */
  public externalObjects(): object[] {
    const out = [externalDestination(this.destination.host, this.destination.port, this.namespace)];
    const m = this.options.mirror;
    if (m) out.push(externalDestination(m.host, m.port, this.namespace));
    return out;
  }
}

