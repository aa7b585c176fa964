// Weighted TCP traffic shifting through a gateway port, as Istio's tcp-echo task does it: a
// DestinationRule with the stable and canary subsets, and a VirtualService `tcp` route on the
// gateway's TCP port splitting connections between them (80/20, then 0/100 as the canary proves out).
import { Construct } from 'constructs';
import { describeConstruct, PropChecker } from '../model/checks';
import { nameFragment } from '../model/gateway';
import { namespaceOfServiceHost, normalizeTrafficPolicy, TrafficPolicy } from '../model/routes';
import { MANAGED_BY, MANAGED_BY_LABEL } from '../render/api-versions';
import { renderDestinationRule, renderWeightedTcpRoute } from '../render/routes';
import { CanarySubset, checkDisjoint, normalizeSubset } from './canary-route';
import { destinationOf } from './kplus-interop';
import { externalDestination } from './externals';
import { GatewayBase } from './gateway-base';
import { orderAfter, RenderedObject } from './rendered-object';
import { SynthCheck, SynthChecked } from './synth-check';
import { Destination, requireGateway } from './tls-host';
import { VersionServices } from './version-services';
import { gatewayApiRoute, gatewayRouteContext, refuseTcpOnStandardChannel } from './gateway-api-route';
import { IstioGatewayErrorDetails } from '../errors';

/** The canary version of a TCP service and its share of new connections. */
export interface TcpCanaryTarget extends CanarySubset {
  /**
   * Percentage (integer 0..100) of new connections sent to the canary; the stable subset gets
   * `100 - weight`. Both destinations stay in the route at 0 and 100. Existing connections stay
   * where they are: TCP is balanced per connection, not per request.
   */
  readonly weight: number;
}

/** Props of {@link TcpCanaryRoute}. */
export interface TcpCanaryRouteProps {
  /** The gateway that listens on `port` (a TCP server is added to it). */
  readonly gateway: GatewayBase;
  /** The gateway port whose connections are split. */
  readonly port: number;
  /** The Kubernetes Service behind both versions, and its port. */
  readonly destination: Destination;
  /** The current version. */
  readonly stable: CanarySubset;
  /** The new version and its weight. */
  readonly canary: TcpCanaryTarget;
  /**
   * Hosts of the server and route. TCP carries no host name, so this only scopes which
   * VirtualServices may bind.
   * @default ['*']
   */
  readonly hosts?: string[];
  /** Names the VirtualService, the DestinationRule and the server's port name. @default - the construct id */
  readonly name?: string;
  /** Namespace of the VirtualService (and of the DestinationRule unless the host is fully qualified). @default - the gateway's namespace */
  readonly namespace?: string;
  /**
   * Connection pool, outlier detection, load balancing and TLS towards the destination
   * (the DestinationRule's `trafficPolicy`, for both subsets).
   * @default - Istio's defaults
   */
  readonly trafficPolicy?: TrafficPolicy;
  /**
   * On a gateway with api 'gateway-api' (no subsets): the pod selector of the destination Service,
   * which each version's Service (`<service>-<subset>`) adds its subset labels to.
   * @default - the selector of the destination Service when it is declared in the same App (else synthesis fails, naming this prop)
   */
  readonly destinationSelector?: Record<string, string>;
}

const PROPS = ['gateway', 'port', 'destination', 'stable', 'canary', 'hosts', 'name', 'namespace', 'trafficPolicy', 'destinationSelector'];

/**
 * Weighted TCP shifting between two versions of a Service behind a gateway port.
 *
 * @example
 * // Istio's tcp-echo traffic-shifting task: 80% of connections on port 31400 to v1, 20% to v2
 * new TcpCanaryRoute(chart, 'tcp-echo', {
 *   gateway: gw, port: 31400, destination: { host: 'tcp-echo', port: 9000 },
 *   stable: { subset: 'v1', labels: { version: 'v1' } },
 *   canary: { subset: 'v2', labels: { version: 'v2' }, weight: 20 },
 * });
 * @see https://istio.io/latest/docs/tasks/traffic-management/tcp-traffic-shifting/
 */
export class TcpCanaryRoute extends Construct {
  public readonly gateway: GatewayBase;
  public readonly port: number;
  /** Percentage of new connections sent to the canary. */
  public readonly weight: number;
  /** Subset names, stable then canary. */
  public readonly subsets: readonly [string, string];
  /** Namespace of the DestinationRule. */
  public readonly destinationRuleNamespace: string;
  /** The DestinationRule with both subsets (api 'istio'). */
  public readonly destinationRule?: RenderedObject;
  /** The VirtualService, ordered after the DestinationRule and the Gateway (api 'istio'). */
  public readonly virtualService?: RenderedObject;
  /** The weighted TCPRoute (api 'gateway-api'; experimental channel). */
  public readonly tcpRoute?: RenderedObject;
  /** One Service per version, stable then canary (api 'gateway-api'). */
  public readonly versionServices?: readonly RenderedObject[];
  private readonly versions?: VersionServices;
  private readonly destination: { host: string; port: number };
  private readonly routeNamespace: string;

  constructor(scope: Construct, id: string, props: TcpCanaryRouteProps) {
    super(scope, id);
    const check: PropChecker = new PropChecker(describeConstruct('TcpCanaryRoute', this.node.path));
    // Joined the tree first: a refusal while constructing detaches it again, leaving nothing behind.
    check.whileConstructing(() => scope.node.tryRemoveChild(id));
    check.object('props', props, true);
    check.knownProps('', props, PROPS);
    const gateway = requireGateway(check, this, props.gateway);
    refuseTcpOnStandardChannel(check, gateway);
    this.gateway = gateway;
    const port = check.port('port', props.port);
    if (port === undefined) check.fail('port', props.port, 'this prop is required: the gateway port whose connections are split (1-65535)');
    this.port = port;
    this.destination = destinationOf(check, 'destination', props.destination, true);
    const hosts = props.hosts === undefined ? ['*'] : check.hosts('hosts', props.hosts);
    const name = check.name('name', props.name ?? nameFragment(id))!;
    this.routeNamespace = check.namespace('namespace', props.namespace) ?? gateway.namespace;
    gateway.refuseOwnService(check, 'destination.host', this.destination.host, this.routeNamespace);

    const stable = normalizeSubset(check, 'stable', props.stable, ['subset', 'labels']);
    const canary = normalizeSubset(check, 'canary', props.canary, ['subset', 'labels', 'weight']);
    if (canary.subset === stable.subset) {
      check.fail('canary.subset', canary.subset, `the stable subset is already named "${stable.subset}": give each subset its own name (e.g. "v1" and "v2")`);
    }
    checkDisjoint(check, stable, canary);
    const weight = check.integer('canary.weight', props.canary.weight, 0, 100);
    if (weight === undefined) check.fail('canary.weight', props.canary.weight, 'this prop is required: an integer from 0 to 100 (the canary\'s percentage of new connections; stable gets the rest)');
    this.weight = weight;
    this.subsets = [stable.subset, canary.subset];
    const trafficPolicy = normalizeTrafficPolicy(check, 'trafficPolicy', props.trafficPolicy);

    gateway.addServers([{ server: { port, portName: `tcp-${port}-${name}`, protocol: 'TCP', hosts }, prop: 'port' }], this, check);
    // A TenantGateway admits the route's namespace to its (namespace-scoped) hosts.
    gateway.bindRoute(this.routeNamespace, this);

    const labels = { [MANAGED_BY_LABEL]: MANAGED_BY };
    const d = this.destination;
    this.destinationRuleNamespace = namespaceOfServiceHost(d.host) ?? this.routeNamespace;
    const vs = {
      name, namespace: this.routeNamespace, labels, hosts, gateway: gateway.ref, port, destination: d,
      // both destinations stay at 0 and 100, so moving the weight never restructures the route
      split: [{ subset: stable.subset, weight: 100 - weight }, { subset: canary.subset, weight }],
    };
    const selector = props.destinationSelector === undefined ? undefined : check.labels('destinationSelector', props.destinationSelector, { nonEmpty: true });
    if (gateway.api === 'gateway-api') {
      if (trafficPolicy) check.fail('trafficPolicy', props.trafficPolicy, 'with api \'gateway-api\' there is no DestinationRule, and Gateway API has no traffic policy: remove trafficPolicy, or use a gateway with api \'istio\'');
      const ns = this.destinationRuleNamespace;
      const versions = new VersionServices(this, { host: d.host, port: d.port, namespace: ns, subsets: [stable, canary], selector, labels });
      this.versions = versions;
      this.versionServices = versions.objects;
      this.tcpRoute = gatewayApiRoute(this, {
        check, routeName: name, namespace: this.routeNamespace, labels, props, renderVs: () => renderWeightedTcpRoute(vs),
        ctx: gatewayRouteContext([gateway], this.routeNamespace, (_h, _ns, subset) => ({ name: versions.nameOf(subset), namespace: ns })),
      });
      orderAfter(this.tcpRoute, ...versions.objects, gateway.gatewayResource);
    } else {
      if (selector) check.fail('destinationSelector', selector, 'applies only on a gateway with api \'gateway-api\' (the DestinationRule\'s subsets select the pods in the Istio API): remove it');
      const dr = { name, namespace: this.destinationRuleNamespace, labels, host: d.host, subsets: [stable, canary].map((s) => ({ name: s.subset, labels: s.labels })), trafficPolicy };
      this.destinationRule = new RenderedObject(this, 'DestinationRule', () => renderDestinationRule(dr));
      this.virtualService = new RenderedObject(this, 'VirtualService', () => renderWeightedTcpRoute(vs));
      orderAfter(this.virtualService, this.destinationRule, gateway.gatewayResource);
    }
    SynthCheck.of(this).register(this);
    check.constructed();
  }

  /** On a Gateway API gateway the version Services need the destination's selector. @internal */
  public appProblems(_all: readonly SynthChecked[]): IstioGatewayErrorDetails[] {
    return this.versions ? this.versions.problems(describeConstruct('TcpCanaryRoute', this.node.path)) : [];
  }

  /** The destination Service exists in the cluster (its versions' pods belong to the team deploying them). @internal */
  public externalObjects(): object[] {
    return [externalDestination(this.destination.host, this.destination.port, this.destinationRuleNamespace)];
  }
}
