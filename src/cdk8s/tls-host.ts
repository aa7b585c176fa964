// TLS for a set of hosts on a gateway: termination (SIMPLE, MUTUAL, OPTIONAL_MUTUAL, ISTIO_MUTUAL)
// with an optional HTTP->HTTPS redirect server, or PASSTHROUGH routed by SNI. Adds servers to the
// gateway's one Gateway resource; a TenantGateway's Service gains the ports automatically. The
// props are validated in ../model/tls-host.
import { Construct, IConstruct } from 'constructs';
import { TlsMode } from '../model/gateway';
import { normalizeTlsHost, TLS_HOST_PROPS } from '../model/tls-host';
import { MANAGED_BY, MANAGED_BY_LABEL } from '../names';
import { renderHttpForward, renderTlsPassthroughRoute } from '../render/routes';
import { externalDestination, externalSecret } from './externals';
import { GatewayBase } from './gateway-base';
import { renderRedirectRoute } from '../render/gateway-api/listeners';
import { orderAfter, RenderedObject } from './rendered-object';
import { SynthChecked } from './synth-check';
import { IstioGatewayErrorDetails } from '../errors';
import { CDK8S_READERS, completeServerConstruct, destinationPortProblems, gatewayBoundRoute, startServerConstruct } from './gateway-server';

// The props are declared (and documented) here because they name constructs, which the model
// layer does not import; ../model/tls-host reads them.
/** A Kubernetes Service (or mesh host) and port that receives the hosts' traffic. */
export interface Destination {
  /**
   * Service host: `name` (in the route's namespace) or a full `name.namespace.svc.cluster.local`.
   * Istio takes any other dotted host (`name.namespace` too) literally, as a ServiceEntry host.
   * Give either `host` or `service`.
   * @default - derived from `service`
   */
  readonly host?: string;
  /**
   * The Service itself: a `kplus.Service` (cdk8s-plus) or any Service `ApiObject`. The host is its
   * name, fully qualified (`name.ns.svc.cluster.local`) when it has a namespace.
   * @default - none: give `host`
   */
  readonly service?: IConstruct;
  /**
   * Service port (1-65535).
   * @default - the Service's port when `service` has exactly one (else required)
   */
  readonly port?: number;
}

export interface TlsHostProps {
  /** The gateway (IngressGateway or TenantGateway) that serves the hosts. */
  readonly gateway: GatewayBase;
  /**
   * Host names, e.g. `shop.example.com` or `*.example.com`; optionally scoped to the namespaces
   * whose routes may bind them, as Istio writes it: `team/shop.example.com`, `./shop.example.com`
   * (the Gateway's namespace), `*\/shop.example.com` (any). A plain host on a TenantGateway is
   * scoped to its `routeNamespaces`.
   * @see https://istio.io/latest/docs/reference/config/networking/gateway/#Server
   */
  readonly hosts: string[];
  /**
   * Secret with the certificate (`tls.crt`, `tls.key`; for MUTUAL also `ca.crt`), in the gateway's
   * workload namespace. Required for SIMPLE, MUTUAL and OPTIONAL_MUTUAL; refused for the others.
   * @default - none
   */
  readonly credentialName?: string;
  /** @default TlsMode.SIMPLE */
  readonly mode?: TlsMode;
  /** @default 443 */
  readonly port?: number;
  /**
   * Also serve the hosts on plain HTTP (`redirectPort`) answering with a redirect to HTTPS.
   * Only from port 80 to port 443 (as clients reach them): Envoy's redirect swaps only the
   * scheme, so any other pair is refused.
   * @default true for terminating modes on port 443 with redirectPort 80, else false
   */
  readonly httpsRedirect?: boolean;
  /** @default 80 */
  readonly redirectPort?: number;
  /**
   * Where to send the traffic. For PASSTHROUGH: a VirtualService `tls` route matching the hosts by
   * SNI. For terminating modes: a VirtualService `http` route to it.
   * @default - no route (bind your own VirtualService or a CanaryRoute)
   */
  readonly destination?: Destination;
  /**
   * Names the route (VirtualService) and the Gateway server's port name.
   * @default - the construct id
   */
  readonly name?: string;
  /** Namespace of the route. @default - the gateway's namespace */
  readonly namespace?: string;
  /** @default - Istio's default (TLS 1.2) */
  readonly minProtocolVersion?: 'TLSV1_2' | 'TLSV1_3';
  /** Client certificate SANs accepted in MUTUAL modes. @default - any signed by the CA */
  readonly subjectAltNames?: string[];
}

/**
 * TLS hosts on a gateway.
 *
 * @example
 * new TlsHost(chart, 'webapp', { gateway: gw, hosts: ['webapp.istioinaction.io'], credentialName: 'webapp-cert' });
 */
export class TlsHost extends Construct {
  public readonly gateway: GatewayBase;
  public readonly hosts: readonly string[];
  public readonly mode: TlsMode;
  public readonly port: number;
  public readonly credentialName?: string;
  /** The route, when `destination` is given (api 'istio'). */
  public readonly virtualService?: RenderedObject;
  /** The TLSRoute (PASSTHROUGH) or HTTPRoute, when `destination` is given (api 'gateway-api'). */
  public readonly route?: RenderedObject;
  /** The HTTPRoute answering the redirect listener (api 'gateway-api', with httpsRedirect). */
  public readonly redirectRoute?: RenderedObject;
  private readonly destination?: { host: string; port: number };
  private readonly routeNamespace: string;

  constructor(scope: Construct, id: string, props: TlsHostProps) {
    super(scope, id);
    // Joined the tree first: a refusal while constructing detaches it again, leaving nothing behind.
    const { check, gateway } = startServerConstruct(this, scope, id, 'TlsHost', props, TLS_HOST_PROPS);
    this.gateway = gateway;
    const m = normalizeTlsHost(check, props, gateway, id, CDK8S_READERS);
    this.hosts = m.hosts;
    this.mode = m.mode;
    this.port = m.port;
    this.credentialName = m.credentialName;
    this.routeNamespace = m.routeNamespace;
    this.destination = m.destination;

    const labels = { [MANAGED_BY_LABEL]: MANAGED_BY };
    const { name, hosts } = m;
    if (gateway.api === 'gateway-api' && m.httpsRedirect) {
      const source = m.servers[1].server.portName;
      const gw = { name: gateway.gatewayName, namespace: gateway.namespace };
      const redirect = (sectionNames: string[]) => renderRedirectRoute(`${name}-https-redirect`, m.routeNamespace, gw, sectionNames, hosts, labels);
      // Its identity (read now) does not depend on the listeners, which its servers, added below, change.
      this.redirectRoute = new RenderedObject(this, 'RedirectRoute',
        () => redirect(gateway.currentListeners().filter((l) => l.source === source).map((l) => l.name)), () => redirect([]));
      orderAfter(this.redirectRoute, () => gateway.gatewayResource);
    }
    const d = m.destination;
    if (d) {
      const common = { name, namespace: m.routeNamespace, labels, hosts, gateway: gateway.ref, port: m.port, destination: d };
      const route = gatewayBoundRoute(this, {
        check, gateway, name, namespace: m.routeNamespace, labels, props,
        renderVs: () => (m.mode === TlsMode.PASSTHROUGH ? renderTlsPassthroughRoute(common) : renderHttpForward(common)),
      });
      this.virtualService = route.virtualService;
      this.route = route.route;
    }
    // Its route (and, in the Gateway API flavour, its redirect route) binds from the route namespace.
    completeServerConstruct(this, check, gateway, m.servers, this.destination || this.redirectRoute ? m.routeNamespace : undefined);
  }

  /** @internal */
  public appProblems(all: readonly SynthChecked[]): IstioGatewayErrorDetails[] {
    return destinationPortProblems(this, 'TlsHost', this.gateway, all, this.destination, this.routeNamespace);
  }

  /** @internal */
  public externalObjects(): object[] {
    const out: object[] = [];
    if (this.credentialName) out.push(externalSecret(this.credentialName, this.gateway.workloadNamespace));
    if (this.destination) out.push(externalDestination(this.destination.host, this.destination.port, this.routeNamespace));
    return out;
  }
}
