// Weighted TCP traffic shifting through a gateway port, as Istio's tcp-echo task does it: a
// DestinationRule with the stable and canary subsets, and a VirtualService `tcp` route on the
// gateway's TCP port splitting connections between them (80/20, then 0/100 as the canary proves out).
// The props are validated in ../model/tcp.
import { Construct } from 'constructs';
import { describeConstruct } from '../model/checks';
import { normalizeTcpCanaryRoute, TCP_CANARY_ROUTE_PROPS } from '../model/tcp';
import { TrafficPolicy } from '../model/routes';
import { MANAGED_BY, MANAGED_BY_LABEL } from '../names';
import { renderWeightedTcpRoute } from '../render/routes';
import { externalDestination } from './externals';
import { GatewayBase } from './gateway-base';
import { RenderedObject } from './rendered-object';
import { SynthChecked } from './synth-check';
import { canaryVersionObjects, VersionServices } from './version-services';
import { CDK8S_READERS, completeServerConstruct, gatewayBoundRoute, startServerConstruct } from './gateway-server';
import { IstioGatewayErrorDetails } from '../errors';
import type { CanarySubset } from './canary-route';
import type { Destination } from './tls-host';

// The props are declared (and documented) here because they name constructs, which the model
// layer does not import; ../model/tcp reads them.
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

  constructor(scope: Construct, id: string, props: TcpCanaryRouteProps) {
    super(scope, id);
    // Joined the tree first: a refusal while constructing detaches it again, leaving nothing behind.
    const { check, gateway } = startServerConstruct(this, scope, id, 'TcpCanaryRoute', props, TCP_CANARY_ROUTE_PROPS, { tcp: true });
    this.gateway = gateway;
    const m = normalizeTcpCanaryRoute(check, props, gateway, id, CDK8S_READERS);
    this.port = m.port;
    this.destination = m.destination;
    this.weight = m.versions.weight;
    this.subsets = [m.versions.stable.subset, m.versions.canary.subset];
    this.destinationRuleNamespace = m.destinationRuleNamespace;

    const labels = { [MANAGED_BY_LABEL]: MANAGED_BY };
    const d = m.destination;
    const ns = m.destinationRuleNamespace;
    const vs = { name: m.name, namespace: m.routeNamespace, labels, hosts: m.hosts, gateway: gateway.ref, port: m.port, destination: d, split: m.split };
    const selected = canaryVersionObjects(this, { name: m.name, namespace: ns, labels, host: d.host, port: d.port, versions: m.versions, selection: m.selection });
    this.destinationRule = selected.destinationRule;
    const versions = selected.versions;
    this.versions = versions;
    this.versionServices = versions?.objects;
    const route = gatewayBoundRoute(this, {
      check, gateway, name: m.name, namespace: m.routeNamespace, labels, props, renderVs: () => renderWeightedTcpRoute(vs),
      after: versions ? versions.objects : [selected.destinationRule!],
      subsetService: versions ? (_h, _ns, subset) => ({ name: versions.nameOf(subset), namespace: ns }) : undefined,
    });
    this.virtualService = route.virtualService;
    this.tcpRoute = route.route;
    completeServerConstruct(this, check, gateway, [m.server], m.routeNamespace);
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
