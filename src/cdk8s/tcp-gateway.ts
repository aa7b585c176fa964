// Raw TCP through a gateway: a TCP server on the gateway plus a VirtualService `tcp` route
// bound to that Gateway, forwarding the port to a destination.
import { Construct } from 'constructs';
import { describeConstruct, PropChecker } from '../model/checks';
import { nameFragment } from '../model/gateway';
import { MANAGED_BY, MANAGED_BY_LABEL } from '../render/api-versions';
import { renderTcpRoute } from '../render/routes';
import { destinationOf } from './kplus-interop';
import { externalDestination } from './externals';
import { GatewayBase } from './gateway-base';
import { gatewayApiRoute, gatewayRouteContext, refuseTcpOnStandardChannel } from './gateway-api-route';
import { orderAfter, RenderedObject } from './rendered-object';
import { SynthCheck, SynthChecked } from './synth-check';
import { missingServicePort } from './backend-ports';
import { IstioGatewayErrorDetails } from '../errors';
import { Destination, requireGateway } from './tls-host';

export interface TcpGatewayProps {
  /** The gateway that listens on `port`. */
  readonly gateway: GatewayBase;
  /** The port the gateway listens on for this TCP traffic. */
  readonly port: number;
  /** Where connections are forwarded. */
  readonly destination: Destination;
  /**
   * Hosts of the server and route. TCP carries no host name, so this only scopes which
   * VirtualServices may bind.
   * @default ['*']
   */
  readonly hosts?: string[];
  /** Names the VirtualService and the server's port name. @default - the construct id */
  readonly name?: string;
  /** Namespace of the VirtualService. @default - the gateway's namespace */
  readonly namespace?: string;
}

const PROPS = ['gateway', 'port', 'destination', 'hosts', 'name', 'namespace'];

/**
 * Forwards a TCP port of a gateway to a Service.
 *
 * @example
 * new TcpGateway(chart, 'echo', { gateway: gw, port: 31400, destination: { host: 'tcp-echo', port: 9000 } });
 */
export class TcpGateway extends Construct {
  public readonly gateway: GatewayBase;
  public readonly port: number;
  /** The VirtualService (api 'istio'). */
  public readonly virtualService?: RenderedObject;
  /** The TCPRoute (api 'gateway-api'; needs the Gateway API experimental channel). */
  public readonly tcpRoute?: RenderedObject;
  private readonly destination: { host: string; port: number };
  private readonly routeNamespace: string;

  constructor(scope: Construct, id: string, props: TcpGatewayProps) {
    super(scope, id);
    const check: PropChecker = new PropChecker(describeConstruct('TcpGateway', this.node.path));
    // Joined the tree first: a refusal while constructing detaches it again, leaving nothing behind.
    check.whileConstructing(() => scope.node.tryRemoveChild(id));
    check.object('props', props, true);
    check.knownProps('', props, PROPS);
    const gateway = requireGateway(check, this, props.gateway);
    this.gateway = gateway;
    refuseTcpOnStandardChannel(check, gateway);
    const port = check.port('port', props.port);
    if (port === undefined) check.fail('port', props.port, 'this prop is required: the port the gateway listens on (1-65535)');
    this.port = port;
    this.destination = destinationOf(check, 'destination', props.destination, true);
    const hosts = props.hosts === undefined ? ['*'] : check.hosts('hosts', props.hosts);
    const name = check.name('name', props.name ?? nameFragment(id))!;
    this.routeNamespace = check.namespace('namespace', props.namespace) ?? gateway.namespace;
    gateway.refuseOwnService(check, 'destination.host', this.destination.host, this.routeNamespace);

    gateway.addServers([{ server: { port, portName: `tcp-${port}-${name}`, protocol: 'TCP', hosts }, prop: 'port' }], this, check);
    gateway.bindRoute(this.routeNamespace, this);
    const d = this.destination;
    const ns = this.routeNamespace;
    const labels = { [MANAGED_BY_LABEL]: MANAGED_BY };
    const renderVs = () => renderTcpRoute({ name, namespace: ns, labels, hosts, gateway: gateway.ref, port, destination: d });
    if (gateway.api === 'gateway-api') {
      this.tcpRoute = gatewayApiRoute(this, { check, routeName: name, namespace: ns, labels, props, renderVs, ctx: gatewayRouteContext([gateway], ns) });
      orderAfter(this.tcpRoute, gateway.gatewayResource);
    } else {
      this.virtualService = new RenderedObject(this, 'VirtualService', renderVs);
      orderAfter(this.virtualService, gateway.gatewayResource);
    }
    SynthCheck.of(this).register(this);
    check.constructed();
  }

  /** @internal */
  public appProblems(all: readonly SynthChecked[]): IstioGatewayErrorDetails[] {
    const d = this.destination;
    return d && this.gateway.api === 'gateway-api' ? missingServicePort(this, all, describeConstruct('TcpGateway', this.node.path), 'destination.port', d.host, d.port, this.routeNamespace) : [];
  }

  /** @internal */
  public externalObjects(): object[] {
    return [externalDestination(this.destination.host, this.destination.port, this.routeNamespace)];
  }
}
