// A canary release of one Service: a DestinationRule with the stable and canary subsets, and a
// VirtualService that sends matching requests (a test user's header, say) to the canary and
// splits the rest by weight. Changing the weight changes only numbers, never the rule layout.
import { Construct, IConstruct } from 'constructs';
import { PropChecker } from '../model/checks';
import {
  CANARY_ROUTE_PROPS, HttpMatch, HTTP_ROUTE_OPTION_PROPS, HttpRouteOptionsModel, normalizeCanaryRoute, ROUTE_BINDING_PROPS, TrafficPolicy,
} from '../model/routes';
import { renderVirtualService, virtualServiceIdentity } from '../render/routes';
import { canaryVersionObjects, VersionServices } from './version-services';
import { IstioGatewayErrorDetails } from '../errors';
import { SynthChecked } from './synth-check';
import { missingServicePort } from './backend-ports';
import { ResolvedDestination } from './kplus-interop';
import { CDK8S_READERS } from './gateway-server';
import { HttpRouteOptions, RouteBase, RouteBindingProps, RouteDestination } from './http-route';
import { orderAfter, RenderedObject } from './rendered-object';

// The validated subset, part of the public API.
export type { SubsetModel } from '../model/routes';

// The props are declared (and documented) here because they name constructs, which the model
// layer does not import; ../model/routes reads them.
/** One version of the destination: a DestinationRule subset. */
export interface CanarySubset {
  /** Subset name, a DNS-1123 label such as `v1` or `stable`. */
  readonly subset: string;
  /**
   * Pod labels that select this version's pods only, e.g. `{ version: 'v1' }`. At least one.
   * Give either `labels` or `workload`.
   * @default - the pod template labels of `workload`
   */
  readonly labels?: Record<string, string>;
  /**
   * The workload running this version: a `kplus.Deployment` (cdk8s-plus) or any workload
   * `ApiObject` with a pod template. The subset's labels are its pod template's labels (read
   * when the route is declared), except cdk8s-plus's `cdk8s.io/metadata.addr` (a digest of the
   * construct path); refused when they cannot tell the two versions' pods apart.
   * @default - none: give `labels`
   */
  readonly workload?: IConstruct;
}

/** The canary version and how much traffic it gets. */
export interface CanaryTarget extends CanarySubset {
  /**
   * Percentage (integer 0..100) of the remaining traffic sent to the canary; the stable subset
   * gets `100 - weight`. 0 and 100 are valid, and both destinations stay in the split.
   */
  readonly weight: number;
  /**
   * Requests matching one of these always go to the canary (100%), before the split, e.g.
   * `[{ headers: { 'end-user': { exact: 'jason' } } }]`.
   * @default - no requests pinned to the canary
   */
  readonly match?: HttpMatch[];
}

/** Props of {@link CanaryRoute}. */
export interface CanaryRouteProps extends RouteBindingProps, HttpRouteOptions {
  /** The Kubernetes Service behind both versions; its pods carry the subsets' labels. */
  readonly destination: RouteDestination;
  /** The current version. */
  readonly stable: CanarySubset;
  /** The new version. */
  readonly canary: CanaryTarget;
  /**
   * Connection pool, outlier detection, load balancing and TLS towards the destination
   * (the DestinationRule's `trafficPolicy`, for both subsets).
   * @default - Istio's defaults
   */
  readonly trafficPolicy?: TrafficPolicy;
  /**
   * With api 'gateway-api' (no subsets): the pod selector of the destination Service, which each
   * version's Service (`<service>-<subset>`) adds its subset labels to.
   * @default - the selector of the destination Service when it is declared in the same App (else synthesis fails, naming this prop)
   */
  readonly destinationSelector?: Record<string, string>;
}

const PROPS = [...ROUTE_BINDING_PROPS, ...HTTP_ROUTE_OPTION_PROPS, ...CANARY_ROUTE_PROPS];

/**
 * Canary release of a Service: a DestinationRule with both subsets and a VirtualService whose
 * rules are, in order: requests matching `canary.match` to the canary (100%), then everything
 * else split `100 - weight` / `weight` between stable and canary.
 *
 * The DestinationRule is emitted before the VirtualService, so `kubectl apply -f` creates the
 * subsets before any route uses them. It lives in the destination's namespace when the host is
 * fully qualified (`name.ns.svc.cluster.local`), because Istio only applies a DestinationRule
 * found in the client's namespace, the service's namespace or the root namespace; otherwise in
 * the route's namespace, where a short host resolves.
 *
 * @example
 * new CanaryRoute(chart, 'reviews', {
 *   hosts: ['reviews'],
 *   destination: { host: 'reviews', port: 9080 },
 *   stable: { subset: 'v1', labels: { version: 'v1' } },
 *   canary: { subset: 'v2', labels: { version: 'v2' }, weight: 10, match: [{ headers: { 'end-user': { exact: 'jason' } } }] },
 * });
 */
export class CanaryRoute extends RouteBase {
  /** The DestinationRule with both subsets (api 'istio'). */
  public readonly destinationRule?: RenderedObject;
  /** The VirtualService, ordered after the DestinationRule (api 'istio'). */
  public readonly virtualService?: RenderedObject;
  /** The HTTPRoute (api 'gateway-api'). */
  public readonly httpRoute?: RenderedObject;
  /** One Service per version, stable then canary, selecting the Service's pods with the subset labels (api 'gateway-api'). */
  public readonly versionServices?: readonly [RenderedObject, RenderedObject];
  /** The destination Service (its host and port, derived from `service` when given). */
  public readonly destination: ResolvedDestination;
  /** Namespace of the DestinationRule. */
  public readonly destinationRuleNamespace: string;
  /** Percentage sent to the canary by the split. */
  public readonly weight: number;
  /** Subset names, stable then canary. */
  public readonly subsets: readonly [string, string];
  /** @internal */
  protected readonly routeObjects = (): RenderedObject[] => (this.httpRoute ? [...this.versionServices!, this.httpRoute] : [this.destinationRule!, this.virtualService!]);
  private readonly versions?: VersionServices;
  private readonly options: HttpRouteOptionsModel;

  constructor(scope: Construct, id: string, props: CanaryRouteProps) {
    super(scope, id, 'CanaryRoute', props, PROPS);
    const check: PropChecker = this.check;
    const m = normalizeCanaryRoute(check, props, this, CDK8S_READERS);
    this.destination = m.destination;
    this.options = m.options;
    this.weight = m.versions.weight;
    this.subsets = [m.versions.stable.subset, m.versions.canary.subset];
    this.destinationRuleNamespace = m.destinationRuleNamespace;

    const labels = this.objectLabels;
    const ns = m.destinationRuleNamespace;
    const { host, port } = m.destination;
    const http = m.http;
    const vs = { name: this.routeName, namespace: this.namespace, labels, hosts: this.hosts, gateways: this.gatewayRefs, http };
    const selected = canaryVersionObjects(this, { name: this.routeName, namespace: ns, labels, host, port, versions: m.versions, selection: m.selection });
    this.destinationRule = selected.destinationRule;
    const versions = selected.versions;
    if (versions) {
      this.versions = versions;
      this.versionServices = [versions.objects[0], versions.objects[1]];
      this.httpRoute = this.gatewayApiRoute(() => renderVirtualService(vs), this.routeContext((_h, _ns, subset) => ({ name: versions.nameOf(subset), namespace: ns })), props,
        (rule) => (http[rule]?.name === 'canary' ? 'canary.match' : 'match'));
      for (const v of versions.objects) orderAfter(this.httpRoute, v);
    } else {
      this.virtualService = new RenderedObject(this, 'VirtualService', () => renderVirtualService(vs), () => virtualServiceIdentity(vs));
      orderAfter(this.virtualService, this.destinationRule!);
    }
    this.completed();
    this.check.constructed();
  }

  /** A version Service needs the destination's selector: refused at synthesis when it is unknown. @internal */
  public appProblems(all: readonly SynthChecked[]): IstioGatewayErrorDetails[] {
    const problems = super.appProblems(all);
    if (this.api === 'gateway-api') problems.push(...missingServicePort(this, all, this.check.construct, 'destination.port', this.destination.host, this.destination.port, this.destinationRuleNamespace));
    if (this.versions) problems.push(...this.versions.problems(this.check.construct));
    return problems;
  }

  /**
   * The destination Service exists in the cluster. Declared without a pod selector: the
   * analyzer then knows the host and port but does not require pods for the subsets (they
   * belong to the team deploying the versions).
   * @internal
   */
  public externalObjects(): object[] {
    return this.destinationExternals(this.destination, this.destinationRuleNamespace, this.options.mirror);
  }
}
