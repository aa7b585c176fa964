// What IngressGateway and TenantGateway share: one Istio Gateway resource whose servers are
// declared by the gateway itself (addHttpHosts) and by constructs attached to it (TlsHost,
// TcpGateway). The Gateway object appears with the first server and is named after the gateway.
import { Construct } from 'constructs';
import { IstioGatewayErrorDetails } from '../errors';
import { describeConstruct, PropChecker } from '../model/checks';
import { mapPacked } from '../model/packed';
import {
  copyServer, DerivedPort, GatewayApi, GatewayApiChannel, GatewayServer, httpHostsServer, HttpHostsOptions, listedServers, selectorKey, ServerDeclaration,
  ServerSet, workloadConflicts,
} from '../model/gateway';
import { httpHostSet } from '../model/routes';
import { MANAGED_BY, MANAGED_BY_LABEL } from '../names';
import { gatewayIdentity, gatewayListeners, renderCertificateGrant, renderGateway, serverListenerProblemsOf } from '../render/gateway';
import { KubeObject } from '../render/objects';
import { allowedRoutes, ListenerModel, MAX_LISTENERS, parentRefsFor, renderK8sGateway } from '../render/gateway-api/listeners';
import { AppState } from './app-state';
import { orderAfter, RenderedObject } from './rendered-object';
import { peersOf, SynthCheck, SynthChecked } from './synth-check';

// The model's types and values that this module's users have always imported from here.
export { GATEWAY_APIS } from '../model/gateway';
export type { GatewayApi, GatewayApiChannel, HttpHostsOptions, ServerDeclaration } from '../model/gateway';

/** How the Gateway API Gateway of a gateway construct is written, beyond its listeners. */
export interface K8sGatewayShape {
  /** Manual deployment: the existing Service's host name. */
  readonly address?: string;
  readonly infrastructure?: Record<string, unknown>;
}

export interface GatewayBaseProps {
  readonly api?: GatewayApi;
  readonly gatewayApiChannel?: GatewayApiChannel;
  readonly name: string;
  readonly namespace: string;
  readonly workloadNamespace: string;
  readonly selector: Record<string, string>;
  readonly labels: Record<string, string>;
}

/**
 * Base of the two gateway constructs. Not constructed directly: use {@link IngressGateway}
 * for a shared, existing gateway workload and {@link TenantGateway} for a dedicated one.
 */
export abstract class GatewayBase extends Construct {
  /** Name of the Istio Gateway resource (and, for a TenantGateway, of its workload objects). */
  public readonly gatewayName: string;
  /** Namespace of the Gateway resource. */
  public readonly namespace: string;
  /** Namespace where the gateway pods run, and so where TLS Secrets must live. */
  public readonly workloadNamespace: string;
  /** The API its Gateway and the routes bound to it are written in. */
  public readonly api: GatewayApi;
  /** The Gateway API channel the cluster runs, when declared (api 'gateway-api'). */
  public readonly gatewayApiChannel?: GatewayApiChannel;
  /** How errors name this construct. @internal */
  protected readonly check: PropChecker;
  private referenceGrant?: RenderedObject;
  private readonly _selector: Record<string, string>;
  private readonly _labels: Record<string, string>;
  private readonly serverSet = new ServerSet();
  private gatewayObject?: RenderedObject;
  /** See gatewayResourceTarget. */
  private gatewayTarget?: () => RenderedObject | undefined;
  /** httpHostSet of the servers, computed when first needed after a change. */
  private httpHosts?: Set<string>;
  /**
   * The listeners ({@link listeners}), computed when first needed after a change of the servers or
   * of the namespaces routes bind from (which scope a TenantGateway's hosts): each route of the
   * Gateway API flavour asks for its parentRefs when rendered, and computing them afresh each time
   * cost every route the size of its gateway. Read only inside this class; the getter gives a fresh copy.
   */
  private listenerCache?: readonly ListenerModel[];
  /** The most listeners the servers so far can give (the sum of listenersAtMost), kept for the 64-listener check. */
  private listenerBound = 0;

  protected constructor(scope: Construct, id: string, className: string, props: GatewayBaseProps) {
    super(scope, id);
    AppState.of(this).stamp(this); // first: nothing has been created since this gateway joined `scope`
    this.check = new PropChecker(describeConstruct(className, this.node.path));
    this.gatewayName = props.name;
    this.api = props.api ?? 'istio';
    this.gatewayApiChannel = props.gatewayApiChannel;
    this.namespace = props.namespace;
    this.workloadNamespace = props.workloadNamespace;
    this._selector = { ...props.selector };
    this._labels = { ...props.labels, [MANAGED_BY_LABEL]: MANAGED_BY };
    SynthCheck.of(this).register(this);
  }

  /** Labels that select the gateway pods (a copy). */
  get selector(): Record<string, string> { return { ...this._selector }; }

  /** `namespace/name`, the form a VirtualService in any namespace uses to bind to this Gateway. */
  get ref(): string { return `${this.namespace}/${this.gatewayName}`; }

  /** Every host served by some server of this gateway, in declaration order. */
  get hosts(): string[] { return this.serverSet.hosts(); }

  /** The servers declared so far (copies). */
  get servers(): GatewayServer[] { return this.serverSet.servers.map((s) => copyServer(s, [...s.hosts], 'keep')); }

  /** The Istio Gateway object, once the gateway has a server. */
  get gatewayResource(): RenderedObject | undefined { return this.gatewayObject; }

  /**
   * The Gateway object once it exists, as a function: what the objects bound to this gateway are
   * ordered after (see orderAfter), the Gateway appearing with the first server. One function per
   * gateway, shared by every route bound to it, rather than one per route object (each of which
   * kept its route's construction state alive).
   * @internal
   */
  public get gatewayResourceTarget(): () => RenderedObject | undefined {
    return this.gatewayTarget ??= () => this.gatewayObject;
  }

  /**
   * Serves `hosts` over plain HTTP.
   * @param hosts host names such as `bookinfo.example.com`, `*.example.com` or `*`, optionally
   *   namespace-scoped (`team/host`, `./host`, `*\/host`); a TenantGateway scopes plain hosts to its `routeNamespaces`
   */
  public addHttpHosts(hosts: string[], options: HttpHostsOptions = {}): void {
    this.addServers([{ server: httpHostsServer(this.check, hosts, options), prop: 'hosts' }], this);
  }

  /**
   * Records that a route of this App in `namespace` binds to this gateway (called by the route
   * constructs). Only a TenantGateway keeps them (it admits these namespaces to its hosts); an
   * IngressGateway's hosts and listeners do not depend on its routes.
   */
  public bindRoute(_namespace: string, _by: Construct): void { /* nothing to record */ }

  /** The listeners computed so far are stale: what scopes the hosts (see serverHostNamespaces) changed. @internal */
  protected hostNamespacesChanged(): void { this.listenerCache = undefined; }

  /**
   * Namespaces a plain server host is scoped to when rendered (`ns/host` for each), or undefined
   * to render plain hosts, which routes in every namespace may bind.
   */
  protected serverHostNamespaces(): readonly string[] | undefined { return undefined; }

  /**
   * Adds servers, all or none. For constructs that attach to a gateway (TlsHost, TcpGateway);
   * errors are reported against `declaredBy` and the prop given with each server.
   * @internal
   */
  public addServers(servers: readonly { server: ServerDeclaration; prop: string }[], declaredBy: Construct, declarer?: PropChecker): void {
    const by = describeConstruct(declaredBy.constructor.name, declaredBy.node.path);
    const check = declarer ?? (declaredBy === this ? this.check : new PropChecker(by));
    for (let i = 0; i < servers.length; i++) this.checkServerPort(servers[i].server.port, check, servers[i].prop);
    if (this.api === 'gateway-api') this.checkExpressible(servers, check);
    this.serverSet.addAll(mapPacked(servers, ({ server, prop }) => ({ server: declaredServer(server, by), prop })), check);
    if (this.api === 'gateway-api') for (let i = 0; i < servers.length; i++) this.listenerBound += listenersAtMost(servers[i].server);
    this.httpHosts = undefined;
    this.listenerCache = undefined;
    if (this.api === 'gateway-api' && this.secretNamespace && !this.referenceGrant && servers.some((s) => s.server.tls?.credentialName)) {
      // The certificates stay where the gateway pods read them in the Istio flavour (the workload
      // namespace); the Gateway lives in its own namespace and refers across with this grant.
      this.referenceGrant = new RenderedObject(this, 'ReferenceGrant', () => this.renderSecretGrant());
    }
    if (!this.gatewayObject && this.api === 'gateway-api') {
      // Its identity (read now) does not depend on the listeners, which later servers change.
      this.gatewayObject = new RenderedObject(this, 'Gateway', () => this.renderK8sGateway(), () => this.renderK8sGateway([]));
      if (this.referenceGrant) orderAfter(this.gatewayObject, this.referenceGrant);
    } else if (!this.gatewayObject) {
      const named = { name: this.gatewayName, namespace: this.namespace, labels: this._labels };
      // Fields named one by one: a literal starting with a spread gets a hidden class of its own
      // per gateway, and every read of it in renderGateway missed.
      this.gatewayObject = new RenderedObject(this, 'Gateway', () => renderGateway({
        name: named.name, namespace: named.namespace, labels: named.labels,
        selector: this._selector,
        servers: listedServers(this.serverSet.servers, this.serverHostNamespaces()),
      }), () => gatewayIdentity(named));
      this.gatewayObjectCreated(this.gatewayObject);
    }
  }

  /** Refuses servers the Gateway API flavour cannot write, naming what is missing. */
  private checkExpressible(servers: readonly { server: ServerDeclaration; prop: string }[], check: PropChecker): void {
    servers.forEach(({ server }, i) => {
      for (const p of serverListenerProblemsOf(server)) {
        const field = p.field.replace(/^spec\.servers\[\d+\]\.(tls\.)?/, '').replace(/^port\./, '');
        const prop = ['mode', 'minProtocolVersion', 'subjectAltNames', 'credentialName'].includes(field) ? field : servers[i].prop;
        check.fail(prop, (servers[i].server.tls as Record<string, unknown> | undefined)?.[field] ?? servers[i].server.protocol,
          `gateway '${this.node.path}' is written in the Gateway API (api: 'gateway-api'): ${p.reason}`);
      }
    });
    // Plain-HTTP hosts merge into existing listeners' servers but still add one listener per host.
    const added = servers.reduce((n, { server }) => n + listenersAtMost(server), 0);
    // The listeners are listed only when the servers could reach the limit: listing them for each
    // server added cost every construct bound to a gateway the size of its listeners. (The bound of
    // the servers so far is kept, not summed again over all of them for each server added.)
    if (this.listenerBound + added <= MAX_LISTENERS) return;
    const now = this.currentListeners().length;
    if (now + added > MAX_LISTENERS) {
      check.fail(servers[0].prop, servers[0].server.hosts, `a Gateway API Gateway has at most ${MAX_LISTENERS} listeners (one per host and port here); gateway '${this.node.path}' has ${now} and this adds ${added}: use wildcard hosts, or a second gateway`);
    }
  }

  /** Namespace of the TLS Secrets when it is not the Gateway's, else undefined. */
  private get secretNamespace(): string | undefined {
    return this.workloadNamespace !== this.namespace ? this.workloadNamespace : undefined;
  }

  /** The Gateway API listeners of the servers so far (Gateway API flavour; also computed for the Istio one). */
  public get listeners(): ListenerModel[] {
    // Hosts as the Istio Gateway scopes them (`ns/host`): each listener admits the routes of those namespaces.
    return gatewayListeners(listedServers(this.serverSet.servers, this.serverHostNamespaces()),
      { portOf: (p) => this.clientPort(p), secretNamespace: this.secretNamespace, gatewayNamespace: this.namespace }).listeners;
  }

  /**
   * {@link listeners}, shared until the servers or the bound namespaces change: read, never change.
   * @internal
   */
  public currentListeners(): readonly ListenerModel[] {
    return this.listenerCache ??= this.listeners;
  }

  /**
   * parentRefs of a Gateway API route bound to this gateway, or why none of its listeners serves it.
   * @internal
   */
  public parentRefs(routeNamespace: string, kind: 'http' | 'tls' | 'tcp', hosts: readonly string[], port?: number): Record<string, unknown>[] | string {
    return parentRefsFor(this.currentListeners(), { name: this.gatewayName, namespace: this.namespace }, routeNamespace, kind, hosts, port === undefined ? undefined : this.clientPort(port));
  }

  /**
   * How an Istio policy (Telemetry) targets this gateway's pods by `targetRefs`, when it can: a
   * Gateway API Gateway with Istio's automated deployment. Otherwise policies select the pods.
   */
  public get policyTargetRef(): Record<string, string> | undefined { return undefined; }

  /** The address, infrastructure and route admission of the Gateway API Gateway. */
  protected abstract get k8sGatewayShape(): K8sGatewayShape;

  private renderK8sGateway(listeners: readonly ListenerModel[] = this.currentListeners()): KubeObject {
    const shape = this.k8sGatewayShape;
    return renderK8sGateway({
      name: this.gatewayName, namespace: this.namespace, labels: this._labels,
      listeners,
      // A listener from namespace-scoped hosts admits those namespaces; plain hosts admit every namespace, as in the Istio API.
      allowedRoutes: allowedRoutes(this.namespace, 'All'),
      address: shape.address, infrastructure: shape.infrastructure,
    });
  }

  private renderSecretGrant(): KubeObject {
    const names = this.serverSet.servers.map((s) => s.tls?.credentialName).filter((n): n is string => !!n);
    return renderCertificateGrant(this.gatewayName, this.namespace, this.workloadNamespace, names, this._labels);
  }

  /**
   * True when an HTTP or HTTPS server of this gateway lists one of `hosts` verbatim (case aside):
   * the quick answer for a route bound to it, without copying every server (see RouteBase).
   * @internal
   */
  public servesHttpHostVerbatim(hosts: readonly string[]): boolean {
    this.httpHosts ??= httpHostSet(this.serverSet.servers);
    return hosts.some((h) => this.httpHosts!.has(h.toLowerCase()));
  }

  /**
   * The port clients connect to for a server on `port`: the server port itself, unless the
   * gateway's Service maps another port to it (IngressGateway: 80 -> 8080).
   */
  public clientPort(port: number): number { return port; }

  /** Called once, when the Gateway object is made (with the first server). */
  protected gatewayObjectCreated(_gateway: RenderedObject): void { /* nothing by default */ }

  /** Distinct server ports in first-declared order, as a Service must expose them. @internal */
  protected derivedPorts(): DerivedPort[] { return this.serverSet.derivedPorts(); }

  /** Refuses a server port the gateway's Service cannot carry. @internal */
  protected abstract checkServerPort(port: number, check: PropChecker, prop: string): void;

  /** Name of the Service in front of the gateway pods, in the workload namespace. */
  protected abstract get ownServiceName(): string;

  /**
   * Refuses a route destination that is this gateway's own Service, as a route in
   * `routeNamespace` names it: the gateway would send the traffic back to itself, in a loop.
   * @internal
   */
  public refuseOwnService(check: PropChecker, prop: string, host: string, routeNamespace: string): void {
    const h = host.toLowerCase();
    const name = this.ownServiceName;
    const ns = this.workloadNamespace;
    if ((h === name && routeNamespace === ns) || h === `${name}.${ns}.svc.cluster.local`) {
      check.fail(prop, host, `this is the Service of gateway '${this.node.path}' itself (${ns}/${name}), so the gateway would send the traffic back to itself: name the backend's Service`);
    }
  }

  /** Workload identity: gateways with equal selectors program the same pods. @internal */
  public get workloadKey(): string {
    return selectorKey(this._selector);
  }

  /** Two gateways on one workload: hosts may not repeat on a port, protocols must agree per port. @internal */
  public appProblems(all: readonly SynthChecked[]): IstioGatewayErrorDetails[] {
    const peers = peersOf<GatewayBase>(all, workloadOf, this);
    // Only the first gateway of a workload reports, so each conflict appears once.
    if (peers.length < 2 || peers[0] !== this) return [];
    return workloadConflicts(peers.map((gw) => ({ ref: gw.ref, servers: gw.serverSet.servers })), this.workloadKey);
  }
}

/** The gateway's own copy of a declared server: its hosts copied, `declaredBy` set (see copyServer). */
function declaredServer(server: ServerDeclaration, declaredBy: string): GatewayServer {
  return copyServer(server, [...server.hosts], 'keep', declaredBy);
}

/**
 * The most listeners a server can give: one per distinct host (TCP: one). Merged plain-HTTP
 * servers, hosts that differ only in their namespace part and conflicting listeners give fewer.
 */
function listenersAtMost(server: { readonly protocol: string; readonly hosts: readonly string[] }): number {
  if (server.protocol === 'TCP') return 1;
  return server.hosts.length < 2 ? server.hosts.length : new Set(server.hosts).size;
}

/** Groups gateways by workload once per synth check, for {@link GatewayBase.appProblems}. */
function workloadOf(m: SynthChecked): string | undefined {
  return m instanceof GatewayBase ? m.workloadKey : undefined;
}
