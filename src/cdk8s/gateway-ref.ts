// A reference to an Istio Gateway: a gateway construct of this App, or a Gateway that another
// App, repository or tool owns, imported with `TenantGateway.fromAttributes` or
// `IngressGateway.fromAttributes`. Routes and policies bind to either; servers (TlsHost,
// TcpGateway, addHttpHosts) can only be added to a gateway this App owns.
import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { PropChecker } from '../model/checks';
import { GatewayServer } from '../model/gateway';
import { httpHostSet } from '../model/routes';
import { hostnamesIntersect, hostOf, parentRef } from '../render/gateway-api/listeners';
import { AppState, declaresFirst } from './app-state';
import { GATEWAY_APIS, GatewayApi, GatewayBase } from './gateway-base';
import { SynthCheck } from './synth-check';

/** What routes and policies need of a gateway. Implemented by IngressGateway, TenantGateway and imported gateways. */
export interface IGateway extends IConstruct {
  /** Name of the Istio Gateway resource. */
  readonly gatewayName: string;
  /** Namespace of the Gateway resource. */
  readonly namespace: string;
  /** Namespace where the gateway pods run. */
  readonly workloadNamespace: string;
  /** `namespace/name`, as a VirtualService binds to the Gateway. */
  readonly ref: string;
  /** The API the Gateway is written in (an imported gateway's `api` attribute, default Istio). */
  readonly api: GatewayApi;
  /** How a policy targets the Gateway (Gateway API flavour); undefined when it selects pods instead. */
  readonly policyTargetRef?: Record<string, string> | undefined;
  /** Labels of the gateway pods; undefined when not known (an imported gateway given no selector). */
  readonly selector: Record<string, string> | undefined;
  /** The Gateway object, when this App emits it. */
  readonly gatewayResource?: ApiObject;
  /**
   * The servers, when known. Undefined for an imported gateway given no hosts: host checks
   * against it (IST0132) are then skipped, since the hosts it serves are not known here.
   */
  readonly servers: GatewayServer[] | undefined;
  /** True when an HTTP(S) server lists one of `hosts` verbatim, or when the hosts are not known. @internal */
  servesHttpHostVerbatim(hosts: readonly string[]): boolean;
  /** Refuses a route destination that is this gateway's own Service (a loop), when that Service is known. @internal */
  refuseOwnService(check: PropChecker, prop: string, host: string, routeNamespace: string): void;
}

/** Attributes of a Gateway this App does not own. */
export interface GatewayAttributes {
  /** Namespace of the Istio Gateway resource. */
  readonly namespace: string;
  /** Name of the Istio Gateway resource. */
  readonly name: string;
  /**
   * Hosts the Gateway serves over HTTP or HTTPS. Given, a route bound to it that serves none of
   * them is refused (IST0132), as for an owned gateway.
   * @default - not known: the host check is skipped for routes bound to this gateway
   */
  readonly hosts?: string[];
  /**
   * Labels of the gateway pods, needed by an AccessLogPolicy for this gateway.
   * @default - TenantGateway: the labels a TenantGateway of this name and namespace gives its pods
   *   (with `api: 'gateway-api'`, Istio's `gateway.networking.k8s.io/gateway-name: <name>`);
   *   IngressGateway: not known
   */
  readonly selector?: Record<string, string>;
  /**
   * Namespace where the gateway pods run.
   * @default - TenantGateway: `namespace`; IngressGateway: 'istio-system'
   */
  readonly workloadNamespace?: string;
  /**
   * The API the Gateway is written in: an Istio Gateway (`networking.istio.io`, bound by VirtualServices)
   * or a Kubernetes Gateway API Gateway (`gateway.networking.k8s.io`, bound by HTTPRoutes whose
   * `parentRefs` name the whole Gateway, since its listeners are not known here).
   * @default 'istio'
   */
  readonly api?: GatewayApi;
}

const ATTRIBUTES = ['namespace', 'name', 'hosts', 'selector', 'workloadNamespace', 'api'];

/** Selects no pod: stands for an imported Gateway's workload when the analysis must not guess it. */
const UNKNOWN_WORKLOAD_LABEL = 'gateway.istio-constructs.io/imported';

/**
 * A Gateway this App refers to but does not emit. Made by `TenantGateway.fromAttributes` and
 * `IngressGateway.fromAttributes`; it emits nothing and declares the Gateway (and its pods, when
 * the selector is known) to the synth-time analysis as existing in the cluster.
 */
export class ImportedGateway extends Construct implements IGateway {
  public readonly gatewayName: string;
  public readonly namespace: string;
  public readonly workloadNamespace: string;
  public readonly gatewayResource?: ApiObject = undefined;
  public readonly api: GatewayApi;
  private readonly _selector?: Record<string, string>;
  private readonly _hosts?: readonly string[];
  /** Name of the gateway's own Service, when known (a TenantGateway's is its name). */
  private readonly serviceName?: string;
  /** The imports of this App that declare the same pods as this one (this one included), when its selector is known. */
  private readonly samePods?: readonly ImportedGateway[];

  /**
   * @internal use TenantGateway.fromAttributes or IngressGateway.fromAttributes
   * @param defaults what the importing class knows of its own gateways
   */
  constructor(scope: Construct, id: string, className: string, attrs: GatewayAttributes,
    defaults: {
      selector?: (name: string, namespace: string, api: GatewayApi) => Record<string, string> | undefined;
      workloadNamespace?: string;
      serviceName?: (name: string, api: GatewayApi) => string;
    }) {
    // Checked before joining the tree: a refused import leaves nothing behind.
    const check = new PropChecker(`${className} '${scope.node.path ? scope.node.path + '/' : ''}${id}'`);
    check.object('attributes', attrs, true);
    check.knownProps('', attrs, ATTRIBUTES);
    const namespace = check.namespace('namespace', attrs.namespace, true)!;
    const name = attrs.name === undefined ? check.fail('name', attrs.name, 'this attribute is required: the name of the Istio Gateway resource') : check.name('name', attrs.name)!;
    const hosts = attrs.hosts === undefined ? undefined : check.hosts('hosts', attrs.hosts);
    const api = check.oneOf('api', attrs.api, GATEWAY_APIS) ?? 'istio';
    const workloadNamespace = check.namespace('workloadNamespace', attrs.workloadNamespace) ?? defaults.workloadNamespace ?? namespace;
    const selector = attrs.selector === undefined ? defaults.selector?.(name, namespace, api) : check.labels('selector', attrs.selector, { nonEmpty: true });
    super(scope, id);
    this.gatewayName = name;
    this.namespace = namespace;
    this.workloadNamespace = workloadNamespace;
    this._selector = selector;
    this._hosts = hosts;
    this.api = api;
    this.serviceName = defaults.serviceName?.(name, api);
    // What the declared Pod holds besides its name, label order included.
    if (selector) this.samePods = AppState.of(this).sameDeclaration(POD_DECLARERS, JSON.stringify([workloadNamespace, selector]), this);
    SynthCheck.of(this).register(this);
  }

  get ref(): string { return `${this.namespace}/${this.gatewayName}`; }

  /** How a policy targets an imported Gateway API Gateway; undefined for an Istio Gateway. */
  get policyTargetRef(): Record<string, string> | undefined {
    return this.api === 'gateway-api' ? { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: this.gatewayName } : undefined;
  }

  /**
   * parentRefs of a Gateway API route bound to this imported Gateway: the whole Gateway (its listeners
   * are not known here), or why it cannot serve the route (hosts known and none served; not HTTP).
   * @internal
   */
  parentRefs(routeNamespace: string, kind: 'http' | 'tls' | 'tcp', hosts: readonly string[]): Record<string, unknown>[] | string {
    const gateway = { name: this.gatewayName, namespace: this.namespace };
    if (kind !== 'http') return `Gateway ${this.ref} is imported: only HTTP routes bind to it`;
    if (this._hosts && !this._hosts.some((gh) => hosts.some((h) => hostnamesIntersect(gh === '*' ? undefined : gh, hostOf(h))))) {
      return `Gateway ${this.ref} serves none of ${JSON.stringify(hosts)} (its hosts: ${this._hosts.join(', ')})`;
    }
    return [parentRef(gateway, routeNamespace)];
  }

  get selector(): Record<string, string> | undefined { return this._selector ? { ...this._selector } : undefined; }

  /** The hosts, as one HTTP server (what routes are checked against); undefined when not known. */
  get servers(): GatewayServer[] | undefined {
    if (!this._hosts) return undefined;
    return [{ port: 80, portName: 'http', protocol: 'HTTP', hosts: [...this._hosts], declaredBy: `'${this.node.path}' (imported)` }];
  }

  /** @internal */
  servesHttpHostVerbatim(hosts: readonly string[]): boolean {
    const servers = this.servers;
    if (!servers) return true;
    const set = httpHostSet(servers);
    return hosts.some((h) => set.has(h.toLowerCase()));
  }

  /** @internal */
  refuseOwnService(check: PropChecker, prop: string, host: string, routeNamespace: string): void {
    const name = this.serviceName;
    if (!name) return;
    const h = host.toLowerCase();
    const ns = this.workloadNamespace;
    if ((h === name && routeNamespace === ns) || h === `${name}.${ns}.svc.cluster.local`) {
      check.fail(prop, host, `this is the Service of gateway '${this.node.path}' itself (${ns}/${name}), so the gateway would send the traffic back to itself: name the backend's Service`);
    }
  }

  /**
   * The Gateway exists in the cluster. Its workload is the real one only when both its hosts and
   * selector are known; otherwise a selector that matches no pod, so the analysis never finds a
   * conflict with hosts it had to guess.
   * @internal
   */
  public externalObjects(): object[] {
    const known = this._hosts !== undefined && this._selector !== undefined;
    const out: object[] = [];
    if (this.api === 'gateway-api') {
      // Listeners as far as known: one HTTP listener per host (none: every host), admitting every namespace.
      const hosts: Array<string | undefined> = this._hosts ? this._hosts.map((h) => (h === '*' ? undefined : h)) : [undefined];
      out.push({
        apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway',
        metadata: { name: this.gatewayName, namespace: this.namespace },
        spec: {
          gatewayClassName: 'istio',
          listeners: hosts.map((h, i) => ({
            name: `http-${i}`, port: 80, protocol: 'HTTP', ...(h ? { hostname: h } : {}), allowedRoutes: { namespaces: { from: 'All' } },
          })),
        },
      });
    } else out.push({
      apiVersion: 'networking.istio.io/v1', kind: 'Gateway',
      metadata: { name: this.gatewayName, namespace: this.namespace },
      spec: {
        selector: known ? { ...this._selector } : { [UNKNOWN_WORKLOAD_LABEL]: `${this.namespace}.${this.gatewayName}` },
        servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: this._hosts ? [...this._hosts] : ['*'] }],
      },
    });
    if (this._selector && this.declaresPod()) {
      out.push({
        apiVersion: 'v1', kind: 'Pod',
        metadata: { name: `${this.gatewayName}-imported-gateway`, namespace: this.workloadNamespace, labels: { ...this._selector } },
        spec: { containers: [{ name: 'istio-proxy', image: 'auto' }] },
      });
    }
    return out;
  }

  /**
   * True when this import declares its gateway's pods. Imports of several Gateways on one workload
   * (the same selector in the same namespace) would each declare the same pods: those are one
   * workload in the cluster, so only the first of them still in the App declares a Pod, named
   * after its own Gateway (as IngressGateways on one workload do). Each one's Gateway is declared.
   */
  private declaresPod(): boolean {
    return !this.samePods || declaresFirst(this, this.samePods);
  }
}

/** The App's imported gateways by the Pod they declare, but for its name (see ImportedGateway.declaresPod and AppState.sameDeclaration). */
const POD_DECLARERS = 'gateway-ref.podDeclarers';



/** True for the gateways of this library: owned (GatewayBase) or imported. */
export function isGateway(x: unknown): x is IGateway {
  return x instanceof ImportedGateway || x instanceof GatewayBase;
}

/**
 * The gateway given as `prop`, owned by this App or imported into it: what routes and policies
 * bind to. Refused when it is not a gateway of this library or belongs to another App.
 */
export function requireGatewayRef(check: PropChecker, self: Construct, gateway: unknown, prop = 'gateway'): IGateway {
  if (!isGateway(gateway)) {
    const shown = gateway && typeof gateway === 'object' ? `${(gateway as object).constructor?.name ?? 'object'}` : gateway;
    return check.fail(prop, shown, 'expected an IngressGateway or TenantGateway of this library, or one imported with TenantGateway.fromAttributes / IngressGateway.fromAttributes (from the same front end: cdk8s constructs with cdk8s, Pulumi components with Pulumi)');
  }
  if (gateway.node.root !== self.node.root) {
    return check.fail(prop, gateway.node.path, 'the gateway belongs to another cdk8s App: declare it in this App, or import it here with TenantGateway.fromAttributes / IngressGateway.fromAttributes');
  }
  return gateway;
}
