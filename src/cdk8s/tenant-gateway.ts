// A team's dedicated gateway: the injected Deployment, its Service (ports derived from the
// servers attached to it), ServiceAccount, least-privilege RBAC for TLS Secrets, autoscaler,
// disruption budget and an opt-in NetworkPolicy. The props, their checks and defaults are the
// model's (src/model/tenant-gateway.ts); the objects are the renderers' (src/render/tenant-workload.ts).
import { Construct } from 'constructs';
import { IstioGatewayErrorDetails } from '../errors';
import { PropChecker } from '../model/checks';
import {
  admittedRouteNamespaces, checkTenantServerPort, ServicePortModel, TenantGatewayProps, tenantGatewayModel, tenantProblems, tenantSelectorLabels,
  tenantServiceName, tenantServicePorts, TenantWorkloadModel,
} from '../model/tenant-gateway';
import {
  renderDeployment, renderHorizontalPodAutoscaler, renderNamespace, renderNetworkPolicy, renderPodDisruptionBudget, renderRole, renderRoleBinding,
  renderService, renderServiceAccount, tenantObjectIdentity,
} from '../render/tenant-workload';
import { renderGeneratedPod, renderGeneratedRoleBinding, optionsYamlWriter, renderTenantOptions, tenantInfrastructure, tenantOptionsData, tenantOptionsIdentity } from '../render/gateway-api/tenant';
import { GatewayBase, K8sGatewayShape } from './gateway-base';
import { GatewayAttributes, IGateway, ImportedGateway } from './gateway-ref';
import { orderAfter, RenderedObject } from './rendered-object';
import { SynthChecked } from './synth-check';
import { labelSelectorOf, PodSelectorConfigLike } from './kplus-interop';
import { AppState } from './app-state';

// The props and the selector label are the model's; this module has always exported them.
export { NAMESPACE_SELECTOR_LABEL } from '../model/tenant-gateway';
export type {
  AutoscalingOptions, DeploymentStrategyOptions, DisruptionBudgetOptions, GatewayPort, NamespaceOptions, ResourceOptions, ScalingRules,
  ServiceType, TenantGatewayProps, TopologySpreadOptions,
} from '../model/tenant-gateway';

/**
 * A dedicated Istio ingress gateway for one team: its own pods, Service and Gateway resource.
 *
 * @example
 * const gw = new TenantGateway(chart, 'payments', { namespace: 'payments', name: 'payments-gw' });
 * new TlsHost(chart, 'shop', { gateway: gw, hosts: ['shop.example.com'], credentialName: 'shop-cert' });
 */
export class TenantGateway extends GatewayBase implements IGateway {
  /**
   * A TenantGateway this App does not own (another App, repository or tool made it), for routes
   * and policies to bind to. Its pods are taken to carry the labels a TenantGateway of this name
   * and namespace gives them, unless `selector` says otherwise.
   *
   * @example
   * const payments = TenantGateway.fromAttributes(chart, 'payments', { namespace: 'payments', name: 'payments-gw', hosts: ['shop.example.com'] });
   * new HttpRoute(chart, 'shop', { gateways: [payments], hosts: ['shop.example.com'], destination: { host: 'shop', port: 8080 } });
   */
  static fromAttributes(scope: Construct, id: string, attrs: GatewayAttributes): IGateway {
    return new ImportedGateway(scope, id, 'TenantGateway.fromAttributes', attrs, {
      selector: tenantSelectorLabels,
      serviceName: tenantServiceName,
    });
  }

  /** The gateway's Deployment (Istio flavour; with api 'gateway-api' Istio generates it). */
  public readonly deployment?: RenderedObject;
  /** The gateway's Service (Istio flavour; with api 'gateway-api' Istio generates it). */
  public readonly service?: RenderedObject;
  /** Istio flavour; with api 'gateway-api' Istio generates it. */
  public readonly serviceAccount?: RenderedObject;
  /** The ConfigMap of patches for the generated objects (api 'gateway-api' only). */
  public readonly options?: RenderedObject;
  public readonly role: RenderedObject;
  public readonly roleBinding: RenderedObject;
  public readonly horizontalPodAutoscaler?: RenderedObject;
  public readonly podDisruptionBudget?: RenderedObject;
  public readonly networkPolicy?: RenderedObject;
  /** The tenant Namespace, with `createNamespace`. */
  public readonly namespaceObject?: RenderedObject;
  /** Labels that select the pods; derived only from name and namespace, so they never move. */
  public readonly selectorLabels: Record<string, string>;
  private readonly model: TenantWorkloadModel;
  private readonly extraPorts: readonly ServicePortModel[];
  /** `routeNamespaces` as given (undefined: derived from the routes bound in the App). */
  private readonly explicitRouteNamespaces?: readonly string[];
  private readonly userLabels: Record<string, string>;
  /** The routes of this App bound to this gateway, by namespace in the order they first bound (see bindRoute). */
  private readonly routeBindings = new Map<string, Set<Construct>>();

  constructor(scope: Construct, id: string, props: TenantGatewayProps) {
    // Every prop is checked before the construct joins the tree, so a refused input leaves nothing behind.
    const check: PropChecker = new PropChecker(`TenantGateway '${scope.node.path ? scope.node.path + '/' : ''}${id}'`);
    const v = tenantGatewayModel(check, id, props);
    const m = v.workload;
    super(scope, id, 'TenantGateway', { api: v.api, gatewayApiChannel: v.gatewayApiChannel, name: m.name, namespace: m.namespace, workloadNamespace: m.namespace, selector: m.selectorLabels, labels: v.gatewayLabels });
    this.selectorLabels = { ...m.selectorLabels };
    this.model = m;
    this.extraPorts = v.extraPorts;
    this.explicitRouteNamespaces = v.routeNamespaces;
    this.userLabels = v.userLabels;
    const { autoscaling, disruptionBudget } = m;
    const { api, networkPolicy, createdNamespace: namespace } = v;

    // The Namespace before anything in it, so `kubectl apply -f` on a fresh cluster creates it first.
    if (namespace) this.namespaceObject = new RenderedObject(this, 'Namespace', () => renderNamespace(namespace));
    if (api === 'gateway-api') {
      // The patches' YAML depends on the model alone, which never changes: made once (strings
      // cannot be changed either), each rendering still a fresh object; and the App's teams
      // mostly share their patches, whose text is then written once (see sharedOptionsYaml).
      let optionsData: Readonly<Record<string, string>> | undefined;
      const toYaml = sharedOptionsYaml(this);
      this.options = new RenderedObject(this, 'ConfigMap', () => renderTenantOptions(m, optionsData ??= tenantOptionsData(m, toYaml)), () => tenantOptionsIdentity(m));
      this.role = new RenderedObject(this, 'Role', () => renderRole(m));
      this.roleBinding = new RenderedObject(this, 'RoleBinding', () => renderGeneratedRoleBinding(m));
      orderAfter(this.options, this.namespaceObject);
      orderAfter(this.role, this.namespaceObject);
      orderAfter(this.roleBinding, this.role);
      if (networkPolicy) this.networkPolicy = new RenderedObject(this, 'NetworkPolicy', () => renderNetworkPolicy(m, this.servicePorts));
      return;
    }
    // ServiceAccount and RBAC first: the Deployment's pods need them to start and read certificates.
    this.serviceAccount = new RenderedObject(this, 'ServiceAccount', () => renderServiceAccount(m), () => tenantObjectIdentity('ServiceAccount', m));
    this.role = new RenderedObject(this, 'Role', () => renderRole(m), () => tenantObjectIdentity('Role', m));
    this.roleBinding = new RenderedObject(this, 'RoleBinding', () => renderRoleBinding(m), () => tenantObjectIdentity('RoleBinding', m));
    orderAfter(this.serviceAccount, this.namespaceObject);
    orderAfter(this.role, this.namespaceObject);
    orderAfter(this.roleBinding, this.role, this.serviceAccount);
    this.deployment = new RenderedObject(this, 'Deployment', () => renderDeployment(m), () => tenantObjectIdentity('Deployment', m));
    orderAfter(this.deployment, this.serviceAccount, this.role, this.roleBinding);
    this.service = new RenderedObject(this, 'Service', () => renderService(m, this.servicePorts), () => tenantObjectIdentity('Service', m));
    orderAfter(this.service, this.namespaceObject);
    if (autoscaling) {
      const a = autoscaling;
      this.horizontalPodAutoscaler = new RenderedObject(this, 'HorizontalPodAutoscaler', () => renderHorizontalPodAutoscaler(m, a), () => tenantObjectIdentity('HorizontalPodAutoscaler', m));
      orderAfter(this.horizontalPodAutoscaler, this.deployment);
    }
    if (disruptionBudget) {
      const b = disruptionBudget;
      this.podDisruptionBudget = new RenderedObject(this, 'PodDisruptionBudget', () => renderPodDisruptionBudget(m, b), () => tenantObjectIdentity('PodDisruptionBudget', m));
      orderAfter(this.podDisruptionBudget, this.namespaceObject);
    }
    if (networkPolicy) {
      this.networkPolicy = new RenderedObject(this, 'NetworkPolicy', () => renderNetworkPolicy(m, this.servicePorts), () => tenantObjectIdentity('NetworkPolicy', m));
      orderAfter(this.networkPolicy, this.namespaceObject);
    }
  }

  /**
   * cdk8s-plus `IPodSelector`: selects exactly this gateway's pods (its selector labels, in its
   * namespace), so `new kplus.NetworkPolicy(chart, 'np', { selector: gateway })` applies to them.
   */
  public toPodSelectorConfig(): PodSelectorConfigLike {
    return { labelSelector: labelSelectorOf(this.selectorLabels), namespaces: { names: [this.workloadNamespace] } };
  }

  /** cdk8s-plus `INetworkPolicyPeer`: this gateway's pods as a peer of a NetworkPolicy rule. */
  public toNetworkPolicyPeerConfig(): { readonly podSelector: PodSelectorConfigLike } {
    return { podSelector: this.toPodSelectorConfig() };
  }

  /** cdk8s-plus `INetworkPolicyPeer`: the pod selector of this peer (the gateway itself). */
  public toPodSelector(): this {
    return this;
  }

  public override bindRoute(namespace: string, by: Construct): void {
    // Keyed by namespace: a shared gateway with thousands of routes must not scan them on each bind.
    let routes = this.routeBindings.get(namespace);
    if (!routes) {
      routes = new Set();
      this.routeBindings.set(namespace, routes);
      this.hostNamespacesChanged();
    }
    routes.add(by);
  }

  /**
   * The namespaces whose routes may bind to this gateway's hosts, sorted; `['*']` for any. Without
   * `routeNamespaces`, the gateway's own namespace and those of the routes bound to it so far.
   */
  get routeNamespaces(): string[] {
    return admittedRouteNamespaces(this.explicitRouteNamespaces, this.namespace, [...this.routeBindings.keys()]);
  }

  protected gatewayObjectCreated(gateway: RenderedObject): void {
    orderAfter(gateway, this.namespaceObject);
  }

  protected serverHostNamespaces(): readonly string[] | undefined {
    const list = this.routeNamespaces;
    return list.includes('*') ? undefined : list;
  }

  /** Service ports: the status port, every server port (in declaration order), then the extra ports. */
  get servicePorts(): ServicePortModel[] {
    return tenantServicePorts(this.derivedPorts(), this.extraPorts);
  }

  protected get ownServiceName(): string { return tenantServiceName(this.gatewayName, this.api); }

  /**
   * With api 'gateway-api' Istio runs the pods: tell the analyzer they exist, labelled as Istio labels
   * them (so a policy selecting them by labels is reported, IST0166).
   * @internal
   */
  public externalObjects(): object[] {
    if (this.api !== 'gateway-api') return [];
    return [renderGeneratedPod(this.gatewayName, this.namespace, this.userLabels)];
  }

  /** An automated deployment serves only its own Gateway, whose name is unique in its namespace. @internal */
  public override get workloadKey(): string {
    return this.api === 'gateway-api' ? `gateway-api:${this.namespace}/${this.gatewayName}` : super.workloadKey;
  }

  public override get policyTargetRef(): Record<string, string> | undefined {
    return this.api === 'gateway-api' ? { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: this.gatewayName } : undefined;
  }

  protected get k8sGatewayShape(): K8sGatewayShape {
    const infrastructure = tenantInfrastructure(this.model, this.userLabels);
    return { infrastructure };
  }

  /** @internal */
  protected checkServerPort(port: number, check: PropChecker, prop: string): void {
    checkTenantServerPort(check, this.node.path, this.extraPorts, port, prop);
  }

  /** @internal */
  public appProblems(all: readonly SynthChecked[]): IstioGatewayErrorDetails[] {
    // The bound routes (and each one's construct path, a walk up the tree) are read only when
    // routeNamespaces limits them (see tenantProblems): most gateways admit every namespace.
    const admitted = this.explicitRouteNamespaces;
    const bound = admitted && !admitted.includes('*') ? [...this.routeBindings].flatMap(([namespace, routes]) => [...routes].map((by) => ({ namespace, path: by.node.path }))) : [];
    return [
      ...super.appProblems(all),
      ...tenantProblems(this.check.construct, this.servicePorts, admitted, bound),
    ];
  }
}

/**
 * optionsYaml, with the text of a patch equal to one already written in this App reused, and that of a
 * patch differing only in names made from it (see optionsYamlWriter): writing YAML costs far more than
 * keying the patch, and a platform's gateways mostly share their resources, replicas and budgets, and
 * differ in their names. Kept with the App, like its other state.
 */
function sharedOptionsYaml(scope: Construct): (patch: unknown) => string {
  return AppState.of(scope).slot('tenant-gateway.optionsYaml', () => optionsYamlWriter());
}
