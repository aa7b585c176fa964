// Raw TCP through a gateway: a TCP server on the gateway plus a VirtualService `tcp` route
// bound to that Gateway, forwarding the port to a destination. The props are validated in
// ../model/tcp.
import { Construct } from 'constructs';
import { normalizeTcpGateway, TCP_GATEWAY_PROPS } from '../model/tcp';
import { MANAGED_BY, MANAGED_BY_LABEL } from '../names';
import { renderTcpRoute } from '../render/routes';
import { externalDestination } from './externals';
import { GatewayBase } from './gateway-base';
import { RenderedObject } from './rendered-object';
import { SynthChecked } from './synth-check';
import { IstioGatewayErrorDetails } from '../errors';
import { CDK8S_READERS, completeServerConstruct, destinationPortProblems, gatewayBoundRoute, startServerConstruct } from './gateway-server';
import type { Destination } from './tls-host';

// The props are declared (and documented) here because they name constructs, which the model
// layer does not import; ../model/tcp reads them.
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
    // Joined the tree first: a refusal while constructing detaches it again, leaving nothing behind.
    const { check, gateway } = startServerConstruct(this, scope, id, 'TcpGateway', props, TCP_GATEWAY_PROPS, { tcp: true });
    this.gateway = gateway;
    const m = normalizeTcpGateway(check, props, gateway, id, CDK8S_READERS);
    this.port = m.port;
    this.destination = m.destination;
    this.routeNamespace = m.routeNamespace;

    const labels = { [MANAGED_BY_LABEL]: MANAGED_BY };
    const vs = { name: m.name, namespace: m.routeNamespace, labels, hosts: m.hosts, gateway: gateway.ref, port: m.port, destination: m.destination };
    const route = gatewayBoundRoute(this, { check, gateway, name: m.name, namespace: m.routeNamespace, labels, props, renderVs: () => renderTcpRoute(vs) });
    this.virtualService = route.virtualService;
    this.tcpRoute = route.route;
    completeServerConstruct(this, check, gateway, [m.server], m.routeNamespace);
  }

  /** @internal */
  public appProblems(all: readonly SynthChecked[]): IstioGatewayErrorDetails[] {
    return destinationPortProblems(this, 'TcpGateway', this.gateway, all, this.destination, this.routeNamespace);
  }

  /** @internal */
  public externalObjects(): object[] {
    return [externalDestination(this.destination.host, this.destination.port, this.routeNamespace)];
  }
}
