// TLS for a set of hosts on a gateway: termination (SIMPLE, MUTUAL, OPTIONAL_MUTUAL, ISTIO_MUTUAL)
// with an optional HTTP->HTTPS redirect server, or PASSTHROUGH routed by SNI. Adds servers to the
// gateway's one Gateway resource; a TenantGateway's Service gains the ports automatically.
import { Construct, IConstruct } from 'constructs';
import { describeConstruct, PropChecker } from '../model/checks';
import { isTerminating, nameFragment, needsCredential, TLS_MODES, TlsMode } from '../model/gateway';
import { MANAGED_BY, MANAGED_BY_LABEL } from '../render/api-versions';
import { renderHttpForward, renderTlsPassthroughRoute } from '../render/routes';
import { destinationOf } from './kplus-interop';
import { externalDestination, externalSecret } from './externals';
import { GatewayBase, ServerDeclaration } from './gateway-base';
import { ImportedGateway } from './gateway-ref';
import { gatewayApiRoute, gatewayRouteContext } from './gateway-api-route';
import { renderRedirectRoute } from '../render/gateway-api/translate';
import { orderAfter, RenderedObject } from './rendered-object';
import { SynthCheck, SynthChecked } from './synth-check';
import { missingServicePort } from './backend-ports';
import { IstioGatewayErrorDetails } from '../errors';
import { DNS1123_SUBDOMAIN } from '../names';

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

const PROPS = ['gateway', 'hosts', 'credentialName', 'mode', 'port', 'httpsRedirect', 'redirectPort', 'destination', 'name', 'namespace', 'minProtocolVersion', 'subjectAltNames'];

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
    const check: PropChecker = new PropChecker(describeConstruct('TlsHost', this.node.path));
    // Joined the tree first: a refusal while constructing detaches it again, leaving nothing behind.
    check.whileConstructing(() => scope.node.tryRemoveChild(id));
    check.object('props', props, true);
    check.knownProps('', props, PROPS);
    const gateway = requireGateway(check, this, props.gateway);
    this.gateway = gateway;
    // Server hosts may be namespace-scoped (`ns/host`, `./host`, `*/host`); the route's hosts are the plain names.
    const { hosts, scopes } = check.serverHosts('hosts', props.hosts);
    this.hosts = hosts;
    const mode = check.oneOf('mode', props.mode, TLS_MODES) ?? TlsMode.SIMPLE;
    this.mode = mode;
    this.port = check.port('port', props.port) ?? 443;
    const name = check.name('name', props.name ?? nameFragment(id))!;
    this.routeNamespace = check.namespace('namespace', props.namespace) ?? gateway.namespace;

    const credentialName = check.string('credentialName', props.credentialName);
    if (credentialName !== undefined && (!DNS1123_SUBDOMAIN.test(credentialName) || credentialName.length > 253)) {
      check.fail('credentialName', credentialName, `expected the name of a Secret in namespace "${gateway.workloadNamespace}" (where the gateway pods run): lower-case letters, digits, "-" and "."`);
    }
    if (needsCredential(mode) && credentialName === undefined) {
      check.fail('credentialName', credentialName, `mode ${mode} terminates TLS with a certificate: name the Secret holding it (in namespace "${gateway.workloadNamespace}", where the gateway pods run)`);
    }
    if (!needsCredential(mode) && credentialName !== undefined) {
      check.fail('credentialName', credentialName, `mode ${mode} uses no certificate Secret (${mode === TlsMode.PASSTHROUGH ? 'the backend terminates TLS' : 'Istio\'s mesh certificates are used'}): remove credentialName or choose SIMPLE/MUTUAL`);
    }
    this.credentialName = credentialName;
    const minProtocolVersion = check.oneOf('minProtocolVersion', props.minProtocolVersion, ['TLSV1_2', 'TLSV1_3'] as const);
    const sans = check.array('subjectAltNames', props.subjectAltNames)?.map((s, i) => check.string(`subjectAltNames[${i}]`, s, { nonEmpty: true })!);
    if (sans && sans.length > 0 && mode !== TlsMode.MUTUAL && mode !== TlsMode.OPTIONAL_MUTUAL && mode !== TlsMode.ISTIO_MUTUAL) {
      check.fail('subjectAltNames', sans, 'subjectAltNames verify client certificates: use them with MUTUAL, OPTIONAL_MUTUAL or ISTIO_MUTUAL');
    }
    if (minProtocolVersion && mode === TlsMode.PASSTHROUGH) {
      check.fail('minProtocolVersion', minProtocolVersion, 'a PASSTHROUGH server does not terminate TLS, so the backend decides the protocol version: remove it');
    }
    const redirectPort = check.port('redirectPort', props.redirectPort) ?? 80;
    // Envoy's redirect changes only the scheme: the client keeps the host and port it used, so
    // the redirect works only from the default HTTP port (80) to the default HTTPS port (443),
    // as the clients reach them (a shared gateway's Service port, not its targetPort).
    const clientTlsPort = gateway.clientPort(this.port);
    const clientRedirectPort = gateway.clientPort(redirectPort);
    const redirectWorks = clientTlsPort === 443 && clientRedirectPort === 80;
    const httpsRedirect = check.boolean('httpsRedirect', props.httpsRedirect) ?? (isTerminating(mode) && (redirectWorks || props.redirectPort !== undefined));
    if (httpsRedirect && !redirectWorks) {
      const [prop, value, clientPort, expected] = clientTlsPort !== 443
        ? ['port', this.port, clientTlsPort, 443] : ['redirectPort', redirectPort, clientRedirectPort, 80];
      const via = clientPort !== value ? ` (clients reach it as port ${clientPort})` : '';
      check.fail(prop, value,
        `httpsRedirect needs the TLS port to be 443 and the redirect port 80${via}: Envoy's redirect swaps only the scheme and keeps the host and port, ` +
        `so http://host:${clientRedirectPort} would be sent to https://host:${clientRedirectPort}, a plain-text port; ` +
        `use ${prop} ${expected}, or set httpsRedirect: false`);
    }
    if (props.redirectPort !== undefined && !httpsRedirect) {
      check.fail('redirectPort', props.redirectPort, 'redirectPort applies only with httpsRedirect: true');
    }
    if (httpsRedirect && redirectPort === this.port) {
      check.fail('redirectPort', redirectPort, `the redirect is served over plain HTTP and cannot share the TLS port ${this.port}`);
    }

    if (props.destination !== undefined) {
      this.destination = destinationOf(check, 'destination', props.destination, true);
      gateway.refuseOwnService(check, 'destination.host', this.destination.host, this.routeNamespace);
    }
    if (this.destination) {
      // The route this TlsHost writes must be admitted by every host's namespace part, or it would not bind.
      scopes.forEach((scope, i) => {
        const admits = scope === undefined || scope === '*' || scope === this.routeNamespace || (scope === '.' && this.routeNamespace === gateway.namespace);
        if (!admits) {
          check.fail(`hosts[${i}]`, props.hosts[i], `the host admits routes only from namespace "${scope === '.' ? gateway.namespace : scope}", but this TlsHost's route (destination) is in namespace "${this.routeNamespace}": ` +
            'set namespace to match, or scope the host to the route\'s namespace');
        }
      });
    }
    const hostScopes = scopes.some((x) => x !== undefined) ? { hostScopes: scopes } : {};

    const protocol = mode === TlsMode.PASSTHROUGH ? 'TLS' : 'HTTPS';
    const servers: { server: ServerDeclaration; prop: string }[] = [{
      server: {
        port: this.port,
        portName: `${protocol.toLowerCase()}-${this.port}-${name}`,
        protocol,
        hosts,
        ...hostScopes,
        tls: { mode, credentialName, minProtocolVersion, subjectAltNames: sans },
      },
      prop: 'hosts',
    }];
    if (httpsRedirect) {
      servers.push({
        server: { port: redirectPort, portName: `http-${redirectPort}-redirect-${name}`, protocol: 'HTTP', hosts, ...hostScopes, tls: { httpsRedirect: true } },
        prop: 'httpsRedirect',
      });
    }
    gateway.addServers(servers, this, check);

    const labels = { [MANAGED_BY_LABEL]: MANAGED_BY };
    if (gateway.api === 'gateway-api') {
      if (httpsRedirect) {
        const source = servers[1].server.portName;
        const gw = { name: gateway.gatewayName, namespace: gateway.namespace };
        this.redirectRoute = new RenderedObject(this, 'RedirectRoute', () => renderRedirectRoute(`${name}-https-redirect`, this.routeNamespace, gw,
          gateway.listeners.filter((l) => l.source === source).map((l) => l.name), hosts, labels));
        orderAfter(this.redirectRoute, gateway.gatewayResource);
      }
      if (this.destination) {
        const common = { name, namespace: this.routeNamespace, labels, hosts, gateway: gateway.ref, port: this.port, destination: this.destination };
        this.route = gatewayApiRoute(this, {
          check, routeName: name, namespace: this.routeNamespace, labels, props,
          renderVs: () => (mode === TlsMode.PASSTHROUGH ? renderTlsPassthroughRoute(common) : renderHttpForward(common)),
          ctx: gatewayRouteContext([gateway], this.routeNamespace),
        });
        orderAfter(this.route, gateway.gatewayResource);
      }
    } else if (this.destination) {
      const d = this.destination;
      const common = { name, namespace: this.routeNamespace, labels, hosts, gateway: gateway.ref, port: this.port, destination: d };
      this.virtualService = new RenderedObject(this, 'VirtualService', () =>
        mode === TlsMode.PASSTHROUGH ? renderTlsPassthroughRoute(common) : renderHttpForward(common));
      orderAfter(this.virtualService, gateway.gatewayResource);
    }
    // Its route (and, in the Gateway API flavour, its redirect route) binds from the route namespace.
    if (this.destination || this.redirectRoute) gateway.bindRoute(this.routeNamespace, this);
    SynthCheck.of(this).register(this);
    check.constructed();
  }

  /** @internal */
  public appProblems(all: readonly SynthChecked[]): IstioGatewayErrorDetails[] {
    const d = this.destination;
    return d && this.gateway.api === 'gateway-api' ? missingServicePort(this, all, describeConstruct('TlsHost', this.node.path), 'destination.port', d.host, d.port, this.routeNamespace) : [];
  }

  /** @internal */
  public externalObjects(): object[] {
    const out: object[] = [];
    if (this.credentialName) out.push(externalSecret(this.credentialName, this.gateway.workloadNamespace));
    if (this.destination) out.push(externalDestination(this.destination.host, this.destination.port, this.routeNamespace));
    return out;
  }
}

/** Refuses anything but one of this library's gateways in the same App. @internal */
export function requireGateway(check: PropChecker, self: Construct, gateway: unknown, prop = 'gateway'): GatewayBase {
  if (gateway instanceof ImportedGateway) {
    return check.fail(prop, gateway.node.path, 'this gateway is imported (fromAttributes): another App owns it and declares its servers; bind routes to it (HttpRoute, CanaryRoute), and add servers where the gateway is defined');
  }
  if (!(gateway instanceof GatewayBase)) {
    const shown = gateway && typeof gateway === 'object' ? `${(gateway as object).constructor?.name ?? 'object'}` : gateway;
    return check.fail(prop, shown, 'expected an IngressGateway or TenantGateway construct of this library (from the same front end: cdk8s constructs with cdk8s, Pulumi components with Pulumi)');
  }
  if (gateway.node.root !== self.node.root) {
    return check.fail(prop, gateway.node.path, 'the gateway belongs to another cdk8s App: declare it in the same App');
  }
  return gateway;
}
