// A canary release of one Service: a DestinationRule with the stable and canary subsets, and a
// VirtualService that sends matching requests (a test user's header, say) to the canary and
// splits the rest by weight. Changing the weight changes only numbers, never the rule layout.
import { Construct, IConstruct } from 'constructs';
import { PropChecker } from '../model/checks';
import {
  HttpMatch, HttpMatchModel, HttpRouteOptionsModel, layoutRules, namespaceOfServiceHost, normalizeHttpMatches,
  normalizeRouteOptions, normalizeTrafficPolicy, crossMatches, RouteDestinationModel, TrafficPolicy,
} from '../model/routes';
import { renderDestinationRule, renderVirtualService } from '../render/routes';
import { VersionServices } from './version-services';
import { IstioGatewayErrorDetails } from '../errors';
import { SynthChecked } from './synth-check';
import { missingServicePort } from './backend-ports';
import { destinationOf, ResolvedDestination, workloadPodLabels } from './kplus-interop';
import { externalDestination } from './externals';
import { HTTP_ROUTE_OPTION_PROPS, HttpRouteOptions, ROUTE_BINDING_PROPS, RouteBase, RouteBindingProps, RouteDestination } from './http-route';
import { orderAfter, RenderedObject } from './rendered-object';

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

const PROPS = [...ROUTE_BINDING_PROPS, ...HTTP_ROUTE_OPTION_PROPS, 'destination', 'stable', 'canary', 'trafficPolicy', 'destinationSelector'];

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
    const ctx = { mesh: this.appliesToMesh };

    this.destination = destinationOf(check, 'destination', props.destination);
    const { host, port } = this.destination;
    for (const g of this.gateways) g.refuseOwnService(check, 'destination.host', host, this.namespace);

    const stable = normalizeSubset(check, 'stable', props.stable, ['subset', 'labels']);
    const canary = normalizeSubset(check, 'canary', props.canary, ['subset', 'labels', 'weight', 'match']);
    if (canary.subset === stable.subset) {
      check.fail('canary.subset', canary.subset, `the stable subset is already named "${stable.subset}": give each subset its own name (e.g. "v1" and "v2")`);
    }
    checkDisjoint(check, stable, canary);
    const weight = check.integer('canary.weight', props.canary.weight, 0, 100);
    if (weight === undefined) check.fail('canary.weight', props.canary.weight, 'this prop is required: an integer from 0 to 100 (the canary\'s percentage; stable gets the rest)');
    this.weight = weight;
    this.subsets = [stable.subset, canary.subset];

    const routeMatch = normalizeHttpMatches(check, 'match', props.match, ctx);
    const canaryMatch = normalizeHttpMatches(check, 'canary.match', props.canary.match, ctx);
    this.options = normalizeRouteOptions(check, props, ctx);
    const mirror = this.options.mirror;
    if (mirror && mirror.host === host && mirror.subset !== undefined && !this.subsets.includes(mirror.subset)) {
      check.fail('mirror.subset', mirror.subset, `the DestinationRule of ${host} defines only the subsets "${stable.subset}" and "${canary.subset}"`);
    }
    const trafficPolicy = normalizeTrafficPolicy(check, 'trafficPolicy', props.trafficPolicy);

    const to = (subset: string, w: number): RouteDestinationModel => ({ host, subset, ...(port !== undefined ? { port } : {}), weight: w });
    const branches: { name: string; match?: HttpMatchModel[]; route: RouteDestinationModel[] }[] = [];
    if (canaryMatch) {
      branches.push({ name: 'canary', match: crossMatches(check, { prop: 'match', list: routeMatch }, { prop: 'canary.match', list: canaryMatch }), route: [to(canary.subset, 100)] });
    }
    // Both destinations stay even at weight 0 or 100, so a weight change never restructures the rule.
    branches.push({ name: 'split', match: routeMatch, route: [to(stable.subset, 100 - weight), to(canary.subset, weight)] });
    const http = layoutRules(check, branches, this.options, (b) => (b.name === 'canary' ? 'canary.match' : 'match'));

    this.destinationRuleNamespace = namespaceOfServiceHost(host) ?? this.namespace;
    const labels = this.objectLabels;
    const vs = { name: this.routeName, namespace: this.namespace, labels, hosts: this.hosts, gateways: this.gatewayRefs, http };
    const selector = props.destinationSelector === undefined ? undefined : check.labels('destinationSelector', props.destinationSelector, { nonEmpty: true });
    if (this.api === 'gateway-api') {
      if (trafficPolicy) check.fail('trafficPolicy', props.trafficPolicy, 'with api \'gateway-api\' there is no DestinationRule, and Gateway API has no traffic policy: remove trafficPolicy (or keep a DestinationRule of your own for the host), or use api \'istio\'');
      const versions = new VersionServices(this, { host, port, namespace: this.destinationRuleNamespace, subsets: [stable, canary], selector, labels });
      this.versions = versions;
      this.versionServices = [versions.objects[0], versions.objects[1]];
      const ns = this.destinationRuleNamespace;
      this.httpRoute = this.gatewayApiRoute(() => renderVirtualService(vs), this.routeContext((_h, _ns, subset) => ({ name: versions.nameOf(subset), namespace: ns })), props,
        (rule) => (http[rule]?.name === 'canary' ? 'canary.match' : 'match'));
      for (const v of versions.objects) orderAfter(this.httpRoute, v);
    } else {
      if (selector) check.fail('destinationSelector', selector, 'applies only with api \'gateway-api\' (the DestinationRule\'s subsets select the pods in the Istio API): remove it');
      const dr = { name: this.routeName, namespace: this.destinationRuleNamespace, labels, host, subsets: [stable, canary].map((s) => ({ name: s.subset, labels: s.labels })), trafficPolicy };
      this.destinationRule = new RenderedObject(this, 'DestinationRule', () => renderDestinationRule(dr));
      this.virtualService = new RenderedObject(this, 'VirtualService', () => renderVirtualService(vs));
      orderAfter(this.virtualService, this.destinationRule);
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
    const out = [externalDestination(this.destination.host, this.destination.port, this.destinationRuleNamespace)];
    const m = this.options.mirror;
    // also when mirroring to the destination's own host: the mirror may use another of its ports
    if (m) out.push(externalDestination(m.host, m.port, this.namespace));
    return out;
  }
}

/** Validates a subset: a DNS-1123 name and at least one pod label. @internal */
export function normalizeSubset(check: PropChecker, prop: string, s: CanarySubset | undefined, known: string[]): SubsetModel {
  check.object(prop, s, true);
  check.knownProps(prop, s, [...known, 'workload']);
  const subset = check.name(`${prop}.subset`, s!.subset);
  if (subset === undefined) check.fail(`${prop}.subset`, s!.subset, 'this prop is required: a subset name such as "v1"');
  if (s!.workload !== undefined) {
    if (s!.labels !== undefined) check.fail(`${prop}.labels`, s!.labels, 'give either labels or workload, not both (the labels are derived from the workload\'s pod template)');
    const labels = workloadPodLabels(check, `${prop}.workload`, s!.workload);
    if (Object.keys(labels).length === 0) {
      check.fail(`${prop}.workload`, s!.workload, `a workload whose pod template has labels: an empty set would select every pod of the Service (or give ${prop}.labels)`);
    }
    return { subset, labels, labelsProp: `${prop}.workload` };
  }
  if (s!.labels === undefined || (typeof s!.labels === 'object' && s!.labels !== null && Object.keys(s!.labels).length === 0)) {
    check.fail(`${prop}.labels`, s!.labels, `expected at least one pod label that selects only the ${prop} version's pods, e.g. { version: "v1" }; an empty set would select every pod of the Service`);
  }
  const labels = check.labels(`${prop}.labels`, s!.labels, { nonEmpty: true });
  return { subset, labels, labelsProp: `${prop}.labels` };
}

/** A validated subset: its name, its pod labels and the prop they came from (for messages). */
export interface SubsetModel {
  readonly subset: string;
  readonly labels: Record<string, string>;
  readonly labelsProp: string;
}

/** Refuses subsets where one selects the other's pods: the split would no longer be the split. @internal */
export function checkDisjoint(check: PropChecker, stableSubset: SubsetModel, canarySubset: SubsetModel): void {
  const stable = stableSubset.labels;
  const canary = canarySubset.labels;
  const prop = canarySubset.labelsProp;
  const within = (x: Record<string, string>, y: Record<string, string>) => Object.keys(x).every((k) => y[k] === x[k]);
  if (within(stable, canary)) {
    check.fail(prop, canary, `every canary pod also carries the stable labels ${JSON.stringify(stable)}, so the stable subset would select canary pods too: give the versions labels with different values (e.g. version: v1 / version: v2)`);
  }
  if (within(canary, stable)) {
    check.fail(prop, canary, `every stable pod also carries these labels (stable: ${JSON.stringify(stable)}), so the canary subset would select stable pods too: give the versions labels with different values (e.g. version: v1 / version: v2)`);
  }
}
