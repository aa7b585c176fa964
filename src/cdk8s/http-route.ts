// HTTP routes as VirtualServices: what every route construct shares (hosts, binding to gateways
// and/or the mesh, namespace and name, the App-wide check that a gateway serves the hosts) and
// HttpRoute, the plain forward to one Service.
import { Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { IstioGatewayErrorDetails } from '../errors';
import { PropChecker } from '../model/checks';
import {
  HTTP_ROUTE_OPTION_PROPS, HttpRouteOptions, HttpRouteOptionsModel, normalizeHttpForward, normalizeRouteBinding, ROUTE_BINDING_PROPS, unservedHosts,
} from '../model/routes';
import { MANAGED_BY, MANAGED_BY_LABEL } from '../names';
import { renderVirtualService, virtualServiceIdentity } from '../render/routes';
import { destinationHostOf, ResolvedDestination } from './kplus-interop';
import { externalDestination } from './externals';
import { GatewayApi, GatewayBase } from './gateway-base';
import { IGateway, ImportedGateway, requireGatewayRef } from './gateway-ref';
import { KubeObject } from '../render/objects';
import type { RouteContext } from '../render/gateway-api/translate';
import { gatewayApiRoute, gatewayRouteContext } from './gateway-api-route';
import { CDK8S_READERS, startConstruct } from './gateway-server';
import { missingServicePort } from './backend-ports';
import { orderAfter, orderInYaml, RenderedObject } from './rendered-object';
import { SynthCheck, SynthChecked } from './synth-check';

// The prop shapes of the route constructs, part of the public API.
export type {
  ClientTls, ConnectionPool, ConsistentHash, FaultAbort, HashCookie, FaultDelay, FaultInjection, HttpMatch, HttpRewrite, HttpRouteOptions,
  LoadBalancer, MirrorPolicy, OutlierDetection, RetryPolicy, StringMatch, TrafficPolicy,
} from '../model/routes';
export { HTTP_ROUTE_OPTION_PROPS, ROUTE_BINDING_PROPS } from '../model/routes';

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
    const check = startConstruct(this, scope, id, className, props, known);
    this.check = check;
    const binding = normalizeRouteBinding(check, props, (prop, g) => requireGatewayRef(check, this, g, prop), id,
      { destinationHost: destinationHostOf(props.destination), scopeNamespace: () => Chart.of(this).namespace });
    this.hosts = binding.hosts;
    this.gateways = binding.gateways;
    this.appliesToMesh = binding.appliesToMesh;
    this.api = binding.api;
    this.routeName = binding.routeName;
    this.namespace = binding.namespace;
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
    // Index loops: every route runs these while cold, where a for-of step allocates.
    const gateways = this.gateways;
    for (let i = 0; i < gateways.length; i++) {
      const g = gateways[i];
      if (g instanceof GatewayBase) g.bindRoute(this.namespace, this);
    }
    // The graph edges are set now, once: Pulumi creates the route's objects after each bound
    // gateway's Gateway object (which appears with the gateway's first server, maybe after this
    // route, hence the function), and the YAML lists them after the gateway's objects.
    const objects = this.routeObjects();
    for (let j = 0; j < objects.length; j++) {
      const o = objects[j];
      for (let i = 0; i < gateways.length; i++) {
        const g = gateways[i];
        if (!(g instanceof GatewayBase)) continue; // imported: its Gateway is not in this App
        orderAfter(o, g.gatewayResourceTarget);
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

  /**
   * What the analyzer is told exists in the cluster: the destination Service (in
   * `destinationNamespace`) and the mirror's, also when mirroring to the destination's own host
   * (the mirror may use another of its ports).
   * @internal
   */
  protected destinationExternals(destination: ResolvedDestination, destinationNamespace: string, mirror: { host: string; port?: number } | undefined): object[] {
    const out = [externalDestination(destination.host, destination.port, destinationNamespace)];
    if (mirror) out.push(externalDestination(mirror.host, mirror.port, this.namespace));
    return out;
  }
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
    const m = normalizeHttpForward(check, props, this, CDK8S_READERS);
    this.destination = m.destination;
    this.options = m.options;
    const http = m.http;

    const model = {
      name: this.routeName, namespace: this.namespace, labels: this.objectLabels,
      hosts: this.hosts, gateways: this.gatewayRefs, http,
    };
    if (this.api === 'gateway-api') {
      this.httpRoute = this.gatewayApiRoute(() => renderVirtualService(model), this.routeContext(), props);
    } else {
      this.virtualService = new RenderedObject(this, 'VirtualService', () => renderVirtualService(model), () => virtualServiceIdentity(model));
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
    return this.destinationExternals(this.destination, this.namespace, this.options.mirror);
  }
}

