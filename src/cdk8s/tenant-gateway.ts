// A team's dedicated gateway: the injected Deployment, its Service (ports derived from the
// servers attached to it), ServiceAccount, least-privilege RBAC for TLS Secrets, autoscaler,
// disruption budget and an opt-in NetworkPolicy. Defaults follow Istio's gateway chart
// (../shared/istio/gateway-chart-values-1.30.3.yaml) except where noted.
import { Construct } from 'constructs';
import { IstioGatewayErrorDetails } from '../errors';
import { PropChecker } from '../model/checks';
import { nameFromId } from '../model/gateway';
import {
  AutoscalingModel, DisruptionBudgetModel, NamespaceModel, renderDeployment, renderHorizontalPodAutoscaler, renderNamespace,
  renderNetworkPolicy, renderPodDisruptionBudget, renderRole, renderRoleBinding, renderService, renderServiceAccount,
  ResourcesModel, ScalingRulesModel, ServicePortModel, STATUS_PORT, TenantWorkloadModel, TolerationModel, TopologySpreadModel,
} from '../render/gateway';
import { validateCoreObject } from '../validation/core';
import { MANAGED_BY, MANAGED_BY_LABEL } from '../render/api-versions';
import { GATEWAY_APIS, GatewayApi, GatewayApiChannel, GatewayBase, K8sGatewayShape } from './gateway-base';
import { GATEWAY_NAME_LABEL, generatedName, renderGeneratedRoleBinding, renderTenantOptions, tenantInfrastructure } from '../render/gateway-api/tenant';
import { GatewayAttributes, IGateway, ImportedGateway } from './gateway-ref';
import { orderAfter, RenderedObject } from './rendered-object';
import { SynthChecked } from './synth-check';
import { labelSelectorOf, PodSelectorConfigLike } from './kplus-interop';

export type ServiceType = 'LoadBalancer' | 'NodePort' | 'ClusterIP';
const SERVICE_TYPES: readonly ServiceType[] = ['LoadBalancer', 'NodePort', 'ClusterIP'];

/** An extra port on the gateway Service, beyond those its servers need. */
export interface GatewayPort {
  /** Service port name, e.g. `tls-east-west`. */
  readonly name: string;
  readonly port: number;
  /**
   * `TCP`, `UDP` or `SCTP`; or an Istio protocol (`HTTP`, `HTTPS`, `HTTP2`, `GRPC`, `TLS`), which is
   * carried over TCP and recorded as the port's `appProtocol`.
   * @default 'TCP'
   */
  readonly protocol?: string;
}

export interface AutoscalingOptions {
  /** @default 2 */
  readonly minReplicas?: number;
  /** @default 5 */
  readonly maxReplicas?: number;
  /** @default 80 (when no memory target is set) */
  readonly targetCpuUtilization?: number;
  /** @default - no memory target */
  readonly targetMemoryUtilization?: number;
  /**
   * Scaling behaviour of the HorizontalPodAutoscaler (`spec.behavior`).
   * @default - Kubernetes' defaults (as Istio's chart: `autoscaling.behavior: {}`)
   * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#configurable-scaling-behavior
   */
  readonly behavior?: { readonly scaleUp?: ScalingRules; readonly scaleDown?: ScalingRules };
}

/** One direction of an autoscaler's behaviour. */
export interface ScalingRules {
  /** 0 to 3600 seconds. @default - Kubernetes' (0 up, 300 down) */
  readonly stabilizationWindowSeconds?: number;
  /** @default 'Max' */
  readonly selectPolicy?: 'Max' | 'Min' | 'Disabled';
  /** @default - Kubernetes' */
  readonly policies?: { readonly type: 'Pods' | 'Percent'; readonly value: number; readonly periodSeconds: number }[];
}

/** The Deployment's rollout strategy. */
export interface DeploymentStrategyOptions {
  /** @default 'RollingUpdate' */
  readonly type?: 'RollingUpdate' | 'Recreate';
  /** An integer or a percentage. @default - Kubernetes' 25% */
  readonly maxSurge?: number | string;
  /** An integer or a percentage. @default - Kubernetes' 25% */
  readonly maxUnavailable?: number | string;
}

/** The tenant namespace, created and labelled with the gateway. */
export interface NamespaceOptions {
  /** Extra labels on the Namespace (the injection label is added). @default - none */
  readonly labels?: Record<string, string>;
  /** @default - none */
  readonly annotations?: Record<string, string>;
}

export interface DisruptionBudgetOptions {
  /** @default - unset */
  readonly minAvailable?: number | string;
  /** @default 1 (when minAvailable is unset) */
  readonly maxUnavailable?: number | string;
}

export interface ResourceOptions {
  /** @default { cpu: '100m', memory: '128Mi' } */
  readonly requests?: { readonly cpu?: string; readonly memory?: string };
  /** @default { cpu: '2000m', memory: '1024Mi' } */
  readonly limits?: { readonly cpu?: string; readonly memory?: string };
}

export interface TopologySpreadOptions {
  readonly topologyKey: string;
  /** @default 1 */
  readonly maxSkew?: number;
  /** @default 'ScheduleAnyway' */
  readonly whenUnsatisfiable?: 'DoNotSchedule' | 'ScheduleAnyway';
}

export interface TenantGatewayProps {
  /** The team's namespace: the gateway workload and its Gateway resource live here. */
  readonly namespace: string;
  /**
   * Names the Deployment, Service, ServiceAccount, Role, RoleBinding, HPA, PDB and Gateway.
   * Identity: changing it replaces every object of the gateway.
   * @default - the construct id
   */
  readonly name?: string;
  /** @default 'LoadBalancer' */
  readonly serviceType?: ServiceType;
  /**
   * Extra Service ports beyond those the gateway's servers need (those are added automatically,
   * with the status port 15021).
   * @default - none
   */
  readonly ports?: GatewayPort[];
  /**
   * A fixed replica count; turns the autoscaler off.
   * @default - autoscaled
   */
  readonly replicas?: number;
  /**
   * Horizontal autoscaling, or `false` for none (then `replicas`, default 1).
   * @default { minReplicas: 2, maxReplicas: 5, targetCpuUtilization: 80 } (the chart's 1-5 with a floor of 2, so a drain or a crash never leaves the edge without a pod)
   */
  readonly autoscaling?: AutoscalingOptions | false;
  /**
   * PodDisruptionBudget, or `false` for none.
   * @default { maxUnavailable: 1 } (never blocks a node drain, unlike minAvailable: 1 on one replica)
   */
  readonly disruptionBudget?: DisruptionBudgetOptions | false;
  /** Proxy resources. @default requests 100m/128Mi, limits 2000m/1024Mi (Istio's chart) */
  readonly resources?: ResourceOptions;
  /**
   * Istio revision (`istio.io/rev`) whose control plane injects and programs this gateway.
   * @default - the default revision
   */
  readonly revision?: string;
  /** Labels added to every object and pod (not to selectors). @default - none */
  readonly labels?: Record<string, string>;
  /** Annotations on the gateway pods. @default - none */
  readonly podAnnotations?: Record<string, string>;
  /** Annotations on the Service, e.g. cloud load-balancer settings. @default - none */
  readonly serviceAnnotations?: Record<string, string>;
  /** @default - Kubernetes' default (`Cluster`) */
  readonly externalTrafficPolicy?: 'Cluster' | 'Local';
  /** CIDRs allowed to reach a LoadBalancer Service. @default - no restriction */
  readonly loadBalancerSourceRanges?: string[];
  /** @default - the cluster's default load-balancer implementation */
  readonly loadBalancerClass?: string;
  /** @default - none */
  readonly nodeSelector?: Record<string, string>;
  /** @default - none */
  readonly tolerations?: TolerationModel[];
  /**
   * Topology spread of the gateway pods (the label selector is always the gateway's).
   * @default - over nodes (`kubernetes.io/hostname`) and zones (`topology.kubernetes.io/zone`), maxSkew 1, `ScheduleAnyway` (the chart sets none; a zone outage must not take the whole edge)
   */
  readonly topologySpread?: TopologySpreadOptions[];
  /** @default - none */
  readonly priorityClassName?: string;
  /** Seconds Envoy gets to drain connections on shutdown. @default 30 (Istio's chart) */
  readonly terminationGracePeriodSeconds?: number;
  /** Extra environment variables for the proxy container. @default - none */
  readonly env?: Record<string, string>;
  /**
   * Emit a NetworkPolicy admitting only the Service's ports (with their protocols) plus 15021
   * (status), 15020 (merged Prometheus metrics, where `prometheus.io/port` points) and 15090 (Envoy metrics).
   * @default false
   */
  readonly networkPolicy?: boolean;
  /**
   * Namespaces whose VirtualServices may bind to this gateway's hosts: the Gateway's server hosts
   * are written `namespace/host` for each. `['*']` lets any namespace bind (plain hosts).
   * @default - the gateway's own namespace plus the namespace of every route in the same App bound to it
   * @see https://istio.io/latest/docs/reference/config/networking/gateway/#Server
   */
  readonly routeNamespaces?: string[];
  /**
   * Annotations on the ServiceAccount, e.g. `eks.amazonaws.com/role-arn` (IRSA) or
   * `iam.gke.io/gcp-service-account` (Workload Identity).
   * @default - none (as Istio's chart: `serviceAccount.annotations: {}`)
   */
  readonly serviceAccountAnnotations?: Record<string, string>;
  /** Secrets for pulling the proxy image from a private registry. @default - none (as the chart) */
  readonly imagePullSecrets?: string[];
  /**
   * A Kubernetes Affinity for the gateway pods (`nodeAffinity`, `podAffinity`, `podAntiAffinity`),
   * checked against the Kubernetes schema.
   * @default - none (as the chart); the topology spread keeps pods apart
   */
  readonly affinity?: Record<string, unknown>;
  /** @default - Kubernetes' RollingUpdate with 25% surge and 25% unavailable (the chart sets none) */
  readonly strategy?: DeploymentStrategyOptions;
  /** @default - none (as the chart) */
  readonly minReadySeconds?: number;
  /** A fixed load-balancer address (deprecated by Kubernetes, still honoured by most clouds). @default - assigned */
  readonly loadBalancerIP?: string;
  /** @default - the cluster's default */
  readonly ipFamilies?: ('IPv4' | 'IPv6')[];
  /** @default - `SingleStack` (Kubernetes' default) */
  readonly ipFamilyPolicy?: 'SingleStack' | 'PreferDualStack' | 'RequireDualStack';
  /** @default - `Cluster` (Kubernetes' default) */
  readonly internalTrafficPolicy?: 'Cluster' | 'Local';
  /**
   * Emit the Namespace itself, before the gateway's objects, labelled for injection:
   * `istio.io/rev: <revision>` with a revision, else `istio-injection: enabled`.
   * @default false (the namespace must exist)
   */
  readonly createNamespace?: boolean | NamespaceOptions;
  /**
   * The API of its Gateway and of everything bound to it. `'gateway-api'` writes a
   * `gateway.networking.k8s.io/v1` Gateway of class `istio`: Istio then deploys the gateway itself
   * (Deployment, Service and ServiceAccount named `<name>-istio`, pods labelled
   * `gateway.networking.k8s.io/gateway-name: <name>`), and every setting above reaches them through
   * `spec.infrastructure` and the ConfigMap `<name>-options` it names; the Role and RoleBinding for
   * TLS Secrets and the NetworkPolicy are still emitted. Listeners admit routes from the gateway's
   * namespace and the namespaces of routes bound to it in the same App.
   * @default 'istio'
   * @see https://istio.io/latest/docs/tasks/traffic-management/ingress/gateway-api/#automated-deployment
   */
  readonly api?: GatewayApi;
  /**
   * With api 'gateway-api': the Gateway API channel whose CRDs the cluster runs. `'standard'` has
   * no TCPRoute, so a TcpGateway on this gateway is refused.
   * @default - undeclared (TCP is accepted; it needs the experimental channel)
   */
  readonly gatewayApiChannel?: GatewayApiChannel;
}

const PROPS = [
  'api', 'gatewayApiChannel',
  'namespace', 'name', 'serviceType', 'ports', 'replicas', 'autoscaling', 'disruptionBudget', 'resources', 'revision',
  'labels', 'podAnnotations', 'serviceAnnotations', 'externalTrafficPolicy', 'loadBalancerSourceRanges', 'loadBalancerClass',
  'nodeSelector', 'tolerations', 'topologySpread', 'priorityClassName', 'terminationGracePeriodSeconds', 'env', 'networkPolicy',
  'routeNamespaces', 'serviceAccountAnnotations', 'imagePullSecrets', 'affinity', 'strategy', 'minReadySeconds', 'loadBalancerIP',
  'ipFamilies', 'ipFamilyPolicy', 'internalTrafficPolicy', 'createNamespace',
];

/** Selects exactly one TenantGateway: Gateway selectors match pods in every namespace, so the namespace is part of it. */
export const NAMESPACE_SELECTOR_LABEL = 'gateway.istio-constructs.io/namespace';
/** `istio` label values of Istio's own gateways, which Gateways in every namespace select by. */
const ISTIO_GATEWAY_LABELS = ['ingressgateway', 'egressgateway', 'eastwestgateway'];
/** Label keys the construct owns on the pods; user labels may not set them. */
const RESERVED_LABELS = ['istio', 'app', 'sidecar.istio.io/inject', 'istio.io/rev', 'istio.io/dataplane-mode', NAMESPACE_SELECTOR_LABEL, MANAGED_BY_LABEL];

const CIDR = /^((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)\/(3[0-2]|[12]?\d)$|^[0-9a-fA-F:]+\/(12[0-8]|1[01]\d|\d?\d)$/;

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
      selector: (name, namespace, api): Record<string, string> => (api === 'gateway-api'
        ? { [GATEWAY_NAME_LABEL]: name }
        : { istio: name, app: name, [NAMESPACE_SELECTOR_LABEL]: namespace }),
      serviceName: (name, api) => (api === 'gateway-api' ? generatedName(name) : name),
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

  constructor(scope: Construct, id: string, props: TenantGatewayProps) {
    // Every prop is checked before the construct joins the tree, so a refused input leaves nothing behind.
    const check: PropChecker = new PropChecker(`TenantGateway '${scope.node.path ? scope.node.path + '/' : ''}${id}'`);
    const v = tenantModel(check, id, props);
    const api = check.oneOf('api', props.api, GATEWAY_APIS) ?? 'istio';
    const gatewayApiChannel = check.oneOf('gatewayApiChannel', props.gatewayApiChannel, ['standard', 'experimental'] as const);
    if (gatewayApiChannel && api !== 'gateway-api') check.fail('gatewayApiChannel', gatewayApiChannel, 'applies only with api \'gateway-api\'');
    if (api === 'gateway-api') {
      // Istio's generated Service carries the listeners' ports only; a patch adding ports would be a Service Istio does not route.
      if (v.extraPorts.length > 0) check.fail('ports', props.ports, 'with api \'gateway-api\' Istio generates the gateway\'s Service with exactly the listeners\' ports (and 15021), so extra ports cannot be expressed: remove ports, or use api \'istio\'');
      if (Object.keys(v.model.serviceAccountAnnotations).length > 0) {
        check.fail('serviceAccountAnnotations', props.serviceAccountAnnotations, 'with api \'gateway-api\' Istio generates the ServiceAccount (<name>-istio), and this library writes patches only for the Deployment, Service, HorizontalPodAutoscaler and PodDisruptionBudget it generates: remove serviceAccountAnnotations, or use api \'istio\'');
      }
      v.model = { ...v.model, selectorLabels: { [GATEWAY_NAME_LABEL]: v.model.name } };
    }
    // A Gateway API Gateway names its control-plane revision by label (the pods' istio.io/rev in the Istio flavour).
    const gatewayLabels = api === 'gateway-api' && v.model.revision ? { ...v.userLabels, 'istio.io/rev': v.model.revision } : v.userLabels;
    super(scope, id, 'TenantGateway', { api, gatewayApiChannel, name: v.model.name, namespace: v.model.namespace, workloadNamespace: v.model.namespace, selector: v.model.selectorLabels, labels: gatewayLabels });
    this.selectorLabels = { ...v.model.selectorLabels };
    this.model = v.model;
    this.extraPorts = v.extraPorts;
    this.explicitRouteNamespaces = v.routeNamespaces;
    this.userLabels = v.userLabels;
    const { autoscaling, disruptionBudget, networkPolicy, namespace } = v;

    const m = this.model;
    // The Namespace before anything in it, so `kubectl apply -f` on a fresh cluster creates it first.
    if (namespace) this.namespaceObject = new RenderedObject(this, 'Namespace', () => renderNamespace(namespace));
    if (api === 'gateway-api') {
      this.options = new RenderedObject(this, 'ConfigMap', () => renderTenantOptions(m));
      this.role = new RenderedObject(this, 'Role', () => renderRole(m));
      this.roleBinding = new RenderedObject(this, 'RoleBinding', () => renderGeneratedRoleBinding(m));
      orderAfter(this.options, this.namespaceObject);
      orderAfter(this.role, this.namespaceObject);
      orderAfter(this.roleBinding, this.role);
      if (networkPolicy) this.networkPolicy = new RenderedObject(this, 'NetworkPolicy', () => renderNetworkPolicy(m, this.servicePorts));
      return;
    }
    // ServiceAccount and RBAC first: the Deployment's pods need them to start and read certificates.
    this.serviceAccount = new RenderedObject(this, 'ServiceAccount', () => renderServiceAccount(m));
    this.role = new RenderedObject(this, 'Role', () => renderRole(m));
    this.roleBinding = new RenderedObject(this, 'RoleBinding', () => renderRoleBinding(m));
    orderAfter(this.serviceAccount, this.namespaceObject);
    orderAfter(this.role, this.namespaceObject);
    orderAfter(this.roleBinding, this.role, this.serviceAccount);
    this.deployment = new RenderedObject(this, 'Deployment', () => renderDeployment(m));
    orderAfter(this.deployment, this.serviceAccount, this.role, this.roleBinding);
    this.service = new RenderedObject(this, 'Service', () => renderService(m, this.servicePorts));
    orderAfter(this.service, this.namespaceObject);
    if (autoscaling) {
      const a = autoscaling;
      this.horizontalPodAutoscaler = new RenderedObject(this, 'HorizontalPodAutoscaler', () => renderHorizontalPodAutoscaler(m, a));
      orderAfter(this.horizontalPodAutoscaler, this.deployment);
    }
    if (disruptionBudget) {
      const b = disruptionBudget;
      this.podDisruptionBudget = new RenderedObject(this, 'PodDisruptionBudget', () => renderPodDisruptionBudget(m, b));
      orderAfter(this.podDisruptionBudget, this.namespaceObject);
    }
    if (networkPolicy) {
      this.networkPolicy = new RenderedObject(this, 'NetworkPolicy', () => renderNetworkPolicy(m, this.servicePorts));
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

  /**
   * The namespaces whose routes may bind to this gateway's hosts, sorted; `['*']` for any. Without
   * `routeNamespaces`, the gateway's own namespace and those of the routes bound to it so far.
   */
  get routeNamespaces(): string[] {
    if (this.explicitRouteNamespaces) return [...this.explicitRouteNamespaces];
    return [...new Set([this.namespace, ...this.boundRouteNamespaces()])].sort();
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
    const out: ServicePortModel[] = [STATUS_PORT];
    for (const d of this.derivedPorts()) out.push({ name: d.name, port: d.port, protocol: 'TCP', serverProtocol: d.protocol });
    for (const p of this.extraPorts) out.push(p);
    return out.map((p) => ({ ...p }));
  }

  protected get ownServiceName(): string { return this.api === 'gateway-api' ? generatedName(this.gatewayName) : this.gatewayName; }

  /**
   * With api 'gateway-api' Istio runs the pods: tell the analyzer they exist, labelled as Istio labels
   * them (so a policy selecting them by labels is reported, IST0166).
   * @internal
   */
  public externalObjects(): object[] {
    if (this.api !== 'gateway-api') return [];
    return [{
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name: `${generatedName(this.gatewayName)}-generated`, namespace: this.namespace, labels: { ...this.userLabels, [GATEWAY_NAME_LABEL]: this.gatewayName } },
      spec: { containers: [{ name: 'istio-proxy', image: 'auto' }] },
    }];
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
    if (port === STATUS_PORT.port || port === 15090 || port === 15000 || port === 15001 || port === 15006 || port === 15020 || port === 15090) {
      check.fail(prop === 'hosts' ? 'port' : prop, port, `port ${port} is reserved by the Istio proxy (15000, 15001, 15006, 15020, 15021, 15090): choose another port`);
    }
    const extra = this.extraPorts.find((p) => p.port === port);
    if (extra) {
      check.fail(prop === 'hosts' ? 'port' : prop, port, `port ${port} is listed in the ports prop of TenantGateway '${this.node.path}' as "${extra.name}"; server ports are added to the Service automatically, so remove it from ports`);
    }
  }

  /** @internal */
  public appProblems(all: readonly SynthChecked[]): IstioGatewayErrorDetails[] {
    const problems = super.appProblems(all);
    const names = new Map<string, number>();
    for (const p of this.servicePorts) {
      const prev = names.get(p.name);
      if (prev !== undefined && prev !== p.port) {
        problems.push({ construct: this.check.construct, prop: 'ports', value: p.name, expected: `Service port name "${p.name}" is used for ports ${prev} and ${p.port}; give the extra port another name` });
      }
      names.set(p.name, p.port);
    }
    const admitted = this.explicitRouteNamespaces;
    if (admitted && !admitted.includes('*')) {
      for (const { namespace, by } of this.boundRoutes()) {
        if (admitted.includes(namespace)) continue;
        problems.push({ construct: this.check.construct, prop: 'routeNamespaces', value: [...admitted],
          expected: `'${by.node.path}' binds a route in namespace "${namespace}" to this gateway, but routeNamespaces does not admit that namespace, ` +
            `so Istio would not bind it: add "${namespace}" to routeNamespaces, or move the route into ${admitted.map((n) => `"${n}"`).join(' or ')}` });
      }
    }
    return problems;
  }
}

function normalizeAutoscaling(check: PropChecker, a: AutoscalingOptions | undefined): AutoscalingModel {
  check.object('autoscaling', a);
  check.knownProps('autoscaling', a, ['minReplicas', 'maxReplicas', 'targetCpuUtilization', 'targetMemoryUtilization', 'behavior']);
  const minReplicas = check.integer('autoscaling.minReplicas', a?.minReplicas, 1, 1000) ?? 2;
  const maxReplicas = check.integer('autoscaling.maxReplicas', a?.maxReplicas, 1, 1000) ?? Math.max(5, minReplicas);
  if (maxReplicas < minReplicas) check.fail('autoscaling.maxReplicas', maxReplicas, `expected at least minReplicas (${minReplicas})`);
  const mem = check.integer('autoscaling.targetMemoryUtilization', a?.targetMemoryUtilization, 1, 100);
  const cpu = check.integer('autoscaling.targetCpuUtilization', a?.targetCpuUtilization, 1, 100) ?? (mem === undefined ? 80 : undefined);
  const behavior = normalizeBehavior(check, a?.behavior);
  return { minReplicas, maxReplicas, targetCpuUtilization: cpu, targetMemoryUtilization: mem, ...(behavior ? { behavior } : {}) };
}

function budgetValue(check: PropChecker, prop: string, v: unknown): number | string | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'number') return check.integer(prop, v, 0, 100000);
  if (typeof v === 'string' && /^(100|[1-9]?\d)%$/.test(v)) return v;
  return check.fail(prop, v, 'expected a non-negative integer or a percentage such as "50%"');
}

/** An integer or a percentage, as a rollout's maxSurge takes them (above 100% allowed, as Kubernetes does). */
function intOrPercent(check: PropChecker, prop: string, v: unknown, max100: boolean): number | string | undefined {
  if (!max100 && typeof v === 'string' && /^(0|[1-9]\d{0,5})%$/.test(v)) return v;
  return budgetValue(check, prop, v);
}

/**
 * `fewest` is the fewest replicas the gateway may run (the autoscaler's minimum, or the fixed
 * count). A budget that then allows no eviction blocks every node drain, so it is refused: Istio's
 * chart skips its PDB in that case, but a budget the user asked for and silently did not get is worse.
 */
function normalizeBudget(check: PropChecker, b: DisruptionBudgetOptions | undefined, fewest: number): DisruptionBudgetModel {
  check.object('disruptionBudget', b);
  check.knownProps('disruptionBudget', b, ['minAvailable', 'maxUnavailable']);
  const minAvailable = budgetValue(check, 'disruptionBudget.minAvailable', b?.minAvailable);
  const maxUnavailable = budgetValue(check, 'disruptionBudget.maxUnavailable', b?.maxUnavailable);
  if (minAvailable !== undefined && maxUnavailable !== undefined) {
    check.fail('disruptionBudget', b, 'set minAvailable or maxUnavailable, not both (Kubernetes accepts one)');
  }
  // Kubernetes rounds a percentage of minAvailable up (so 60% of one pod is one pod).
  const required = typeof minAvailable === 'string' ? Math.ceil((Number(minAvailable.slice(0, -1)) * fewest) / 100) : minAvailable;
  const blocks = (required !== undefined && fewest > 0 && required >= fewest) || maxUnavailable === 0 || maxUnavailable === '0%';
  if (blocks) {
    const prop = minAvailable !== undefined ? 'disruptionBudget.minAvailable' : 'disruptionBudget.maxUnavailable';
    check.fail(prop, minAvailable ?? maxUnavailable,
      `with as few as ${fewest} replica${fewest === 1 ? '' : 's'} this budget allows no pod to be evicted, so every node drain would block: ` +
      `use maxUnavailable: 1 (the default)${fewest > 1 ? `, or minAvailable below ${fewest}` : ', or run at least 2 replicas (autoscaling.minReplicas: 2) with minAvailable: 1'}, or disruptionBudget: false`);
  }
  return minAvailable === undefined && maxUnavailable === undefined ? { maxUnavailable: 1 } : { minAvailable, maxUnavailable };
}

function normalizeBehavior(check: PropChecker, b: AutoscalingOptions['behavior']): AutoscalingModel['behavior'] {
  if (b === undefined) return undefined;
  check.object('autoscaling.behavior', b);
  check.knownProps('autoscaling.behavior', b, ['scaleUp', 'scaleDown']);
  const out: { scaleUp?: ScalingRulesModel; scaleDown?: ScalingRulesModel } = {};
  for (const dir of ['scaleUp', 'scaleDown'] as const) {
    const prop = `autoscaling.behavior.${dir}`;
    const r = check.object(prop, b[dir]);
    if (!r) continue;
    check.knownProps(prop, r, ['stabilizationWindowSeconds', 'selectPolicy', 'policies']);
    const rules: { -readonly [K in keyof ScalingRulesModel]: ScalingRulesModel[K] } = {};
    const win = check.integer(`${prop}.stabilizationWindowSeconds`, r.stabilizationWindowSeconds, 0, 3600);
    if (win !== undefined) rules.stabilizationWindowSeconds = win;
    const select = check.oneOf(`${prop}.selectPolicy`, r.selectPolicy, ['Max', 'Min', 'Disabled'] as const);
    if (select) rules.selectPolicy = select;
    // An empty list is not defaulted by the API server and then fails its validation: refuse it here.
    const policies = check.array(`${prop}.policies`, r.policies, { nonEmpty: true });
    if (policies) {
      rules.policies = policies.map((p, i) => {
        const pp = `${prop}.policies[${i}]`;
        check.object(pp, p, true);
        check.knownProps(pp, p, ['type', 'value', 'periodSeconds']);
        const type = check.oneOf(`${pp}.type`, p.type, ['Pods', 'Percent'] as const);
        if (!type) check.fail(`${pp}.type`, p.type, "this prop is required: 'Pods' or 'Percent'");
        const value = check.integer(`${pp}.value`, p.value, 1, 100000);
        if (value === undefined) check.fail(`${pp}.value`, p.value, 'this prop is required: a positive integer');
        const periodSeconds = check.integer(`${pp}.periodSeconds`, p.periodSeconds, 1, 1800);
        if (periodSeconds === undefined) check.fail(`${pp}.periodSeconds`, p.periodSeconds, 'this prop is required: 1 to 1800 seconds');
        return { type, value, periodSeconds };
      });
    }
    out[dir] = rules;
  }
  return out;
}

function normalizeResources(check: PropChecker, r: ResourceOptions | undefined): ResourcesModel {
  check.object('resources', r);
  check.knownProps('resources', r, ['requests', 'limits']);
  const pick = (kind: 'requests' | 'limits', defaults: { cpu: string; memory: string }) => {
    const v = check.object(`resources.${kind}`, r?.[kind]);
    check.knownProps(`resources.${kind}`, v, ['cpu', 'memory']);
    return {
      cpu: check.quantity(`resources.${kind}.cpu`, v?.cpu) ?? defaults.cpu,
      memory: check.quantity(`resources.${kind}.memory`, v?.memory) ?? defaults.memory,
    };
  };
  return { requests: pick('requests', { cpu: '100m', memory: '128Mi' }), limits: pick('limits', { cpu: '2000m', memory: '1024Mi' }) };
}

function normalizeTolerations(check: PropChecker, list: TolerationModel[] | undefined): TolerationModel[] {
  return (check.array('tolerations', list) ?? []).map((t, i) => {
    const prop = `tolerations[${i}]`;
    check.object(prop, t, true);
    check.knownProps(prop, t, ['key', 'operator', 'value', 'effect', 'tolerationSeconds']);
    const out: { -readonly [K in keyof TolerationModel]: TolerationModel[K] } = {};
    // Kubernetes validates a toleration key as a label key (a qualified name): no spaces or newlines.
    const key = check.qualifiedName(`${prop}.key`, t.key);
    if (key !== undefined) out.key = key;
    const operator = check.oneOf(`${prop}.operator`, t.operator, ['Exists', 'Equal'] as const);
    if (operator) out.operator = operator;
    const value = check.string(`${prop}.value`, t.value);
    if (value !== undefined && (value.length > 63 || !/^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/.test(value))) {
      check.fail(`${prop}.value`, value, 'expected a label value: at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit');
    }
    if (operator !== 'Exists' && key === undefined) {
      check.fail(`${prop}.key`, t.key, 'a toleration without a key must use operator Exists (it then tolerates every taint)');
    }
    if (value !== undefined) {
      if (operator === 'Exists') check.fail(`${prop}.value`, value, 'a toleration with operator Exists takes no value');
      out.value = value;
    }
    const effect = check.oneOf(`${prop}.effect`, t.effect, ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const);
    if (effect) out.effect = effect;
    const secs = check.integer(`${prop}.tolerationSeconds`, t.tolerationSeconds, 0, 1e9);
    if (secs !== undefined) out.tolerationSeconds = secs;
    return out;
  });
}

/** Over nodes and over zones, both soft: a zone outage must not take the whole edge, yet a one-zone cluster still schedules. */
const DEFAULT_SPREAD: readonly TopologySpreadModel[] = [
  { topologyKey: 'kubernetes.io/hostname', maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway' },
  { topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway' },
];

function normalizeSpread(check: PropChecker, list: TopologySpreadOptions[] | undefined): TopologySpreadModel[] {
  if (list === undefined) return DEFAULT_SPREAD.map((t) => ({ ...t }));
  const keys = new Set<string>();
  return (check.array('topologySpread', list) ?? []).map((t, i) => {
    const prop = `topologySpread[${i}]`;
    check.object(prop, t, true);
    check.knownProps(prop, t, ['topologyKey', 'maxSkew', 'whenUnsatisfiable']);
    const topologyKey = check.qualifiedName(`${prop}.topologyKey`, t.topologyKey, { required: true })!;
    // Kubernetes refuses two constraints with one key and one whenUnsatisfiable; one per key is what anyone means.
    if (keys.has(topologyKey)) check.fail(`${prop}.topologyKey`, topologyKey, 'each topology key may be spread over once: merge the two entries');
    keys.add(topologyKey);
    return {
      topologyKey,
      maxSkew: check.integer(`${prop}.maxSkew`, t.maxSkew, 1, 1000) ?? 1,
      whenUnsatisfiable: check.oneOf(`${prop}.whenUnsatisfiable`, t.whenUnsatisfiable, ['DoNotSchedule', 'ScheduleAnyway'] as const) ?? 'ScheduleAnyway',
    };
  });
}

/** A list, not an object: a name such as "__proto__" would be lost as an object key. */
function normalizeEnv(check: PropChecker, env: Record<string, string> | undefined): { name: string; value: string }[] {
  if (env === undefined) return [];
  check.object('env', env);
  const out: { name: string; value: string }[] = [];
  for (const k of Object.keys(env).sort()) {
    if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(k)) check.fail(`env['${k}']`, k, 'expected an environment variable name (letters, digits, "_", "-", "."; not starting with a digit)');
    const v = Object.getOwnPropertyDescriptor(env, k)!.value as unknown;
    if (typeof v !== 'string') check.fail(`env['${k}']`, v, 'expected a string value');
    out.push({ name: k, value: v });
  }
  return out;
}

const IPV4 = /^((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)$/;
const IPV6 = /^(?=.*:)[0-9a-fA-F:.]{2,45}$/;

function normalizeAffinity(check: PropChecker, affinity: unknown): Record<string, unknown> | undefined {
  if (affinity === undefined) return undefined;
  check.object('affinity', affinity as object);
  check.knownProps('affinity', affinity as object, ['nodeAffinity', 'podAffinity', 'podAntiAffinity']);
  let copy: Record<string, unknown>;
  try {
    copy = JSON.parse(JSON.stringify(affinity)) as Record<string, unknown>;
  } catch {
    return check.fail('affinity', affinity, 'expected plain data (a Kubernetes Affinity): no cycles or functions');
  }
  // Checked with the Kubernetes schema (kubernetes-models), as the pod spec it will be part of.
  const errors: string[] = [];
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'affinity-check' }, spec: { containers: [{ name: 'c', image: 'c' }], affinity: copy } };
  validateCoreObject(pod, { error: (path, message) => errors.push(`${path.replace(/^spec\.affinity\.?/, '')}: ${message}`), skip: () => undefined });
  if (errors.length > 0) {
    const path = errors[0].slice(0, errors[0].indexOf(':'));
    check.fail(path ? `affinity.${path}` : 'affinity', valueAt(copy, path), `expected a Kubernetes Affinity (https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#affinity); ${errors.join('; ')}`);
  }
  return copy;
}

/** The value at a validator path such as `podAntiAffinity.terms[0].topologyKey` (undefined when absent). */
function valueAt(root: unknown, path: string): unknown {
  let v: unknown = root;
  for (const part of path.split(/\.|\[(\d+)\]/).filter((x) => x !== undefined && x !== '')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

function normalizeStrategy(check: PropChecker, s: DeploymentStrategyOptions | undefined): TenantWorkloadModel['strategy'] {
  if (s === undefined) return undefined;
  check.object('strategy', s);
  check.knownProps('strategy', s, ['type', 'maxSurge', 'maxUnavailable']);
  const type = check.oneOf('strategy.type', s.type, ['RollingUpdate', 'Recreate'] as const) ?? 'RollingUpdate';
  const maxSurge = intOrPercent(check, 'strategy.maxSurge', s.maxSurge, false);
  const maxUnavailable = intOrPercent(check, 'strategy.maxUnavailable', s.maxUnavailable, true);
  if (type === 'Recreate' && (maxSurge !== undefined || maxUnavailable !== undefined)) {
    check.fail('strategy.type', type, 'Recreate takes no maxSurge or maxUnavailable (and stops every gateway pod before starting new ones): use RollingUpdate');
  }
  const zero = (v: number | string | undefined) => v === undefined ? false : v === 0 || v === '0%';
  if (zero(maxSurge) && zero(maxUnavailable)) {
    check.fail('strategy.maxUnavailable', maxUnavailable, 'maxSurge and maxUnavailable may not both be 0: the rollout could never progress');
  }
  return { type, ...(maxSurge !== undefined ? { maxSurge } : {}), ...(maxUnavailable !== undefined ? { maxUnavailable } : {}) };
}

function normalizeNamespace(check: PropChecker, c: boolean | NamespaceOptions | undefined, name: string, revision: string | undefined): NamespaceModel | undefined {
  if (c === undefined || c === false) return undefined;
  if (c !== true) {
    check.object('createNamespace', c);
    check.knownProps('createNamespace', c, ['labels', 'annotations']);
  }
  const opts = c === true ? {} : c;
  const labels = check.labels('createNamespace.labels', opts.labels);
  const injection: Record<string, string> = revision ? { 'istio.io/rev': revision } : { 'istio-injection': 'enabled' };
  for (const k of ['istio-injection', 'istio.io/rev']) {
    if (k in labels) check.fail(`createNamespace.labels['${k}']`, labels[k], `the injection label is set from revision (${revision ? `istio.io/rev: ${revision}` : 'istio-injection: enabled'}); remove it, or set revision`);
  }
  return { name, labels: { ...labels, ...injection, [MANAGED_BY_LABEL]: MANAGED_BY }, annotations: check.annotations('createNamespace.annotations', opts.annotations) };
}

const K8S_PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const APP_PROTOCOLS: Record<string, string> = { HTTP: 'http', HTTPS: 'https', HTTP2: 'http2', GRPC: 'grpc', TLS: 'tls' };

function normalizeExtraPorts(check: PropChecker, ports: GatewayPort[] | undefined): ServicePortModel[] {
  const seen = new Map<string, number>();
  const numbers = new Set<number>();
  return (check.array('ports', ports) ?? []).map((p, i) => {
    const prop = `ports[${i}]`;
    check.object(prop, p, true);
    check.knownProps(prop, p, ['name', 'port', 'protocol']);
    const name = check.name(`${prop}.name`, p.name);
    if (name === undefined) check.fail(`${prop}.name`, p.name, 'this prop is required: a Service port name such as "tls-passthrough"');
    if (name === STATUS_PORT.name) check.fail(`${prop}.name`, name, '"status-port" is the gateway\'s own status port (15021); choose another name');
    const port = check.port(`${prop}.port`, p.port);
    if (port === undefined) check.fail(`${prop}.port`, p.port, 'this prop is required: a port number from 1 to 65535');
    if (port === STATUS_PORT.port) check.fail(`${prop}.port`, port, 'port 15021 is the status port and is always exposed; remove it');
    if (seen.has(name)) check.fail(`${prop}.name`, name, 'each port name may be used once');
    if (numbers.has(port)) check.fail(`${prop}.port`, port, 'each port may be listed once');
    seen.set(name, port);
    numbers.add(port);
    const raw = check.string(`${prop}.protocol`, p.protocol);
    if (raw === undefined) return { name, port, protocol: 'TCP' };
    const upper = raw.toUpperCase();
    if (K8S_PROTOCOLS.includes(upper)) return { name, port, protocol: upper };
    if (APP_PROTOCOLS[upper]) return { name, port, protocol: 'TCP', appProtocol: APP_PROTOCOLS[upper] };
    return check.fail(`${prop}.protocol`, raw, `expected one of ${[...K8S_PROTOCOLS, ...Object.keys(APP_PROTOCOLS)].join(', ')}`);
  });
}

/** Checks every prop and resolves the defaults: the validated model of a tenant gateway. */
function tenantModel(check: PropChecker, id: string, props: TenantGatewayProps) {
  check.object('props', props, true);
  check.knownProps('', props, PROPS);
  const namespace = check.namespace('namespace', props.namespace, true)!;
  const nameProp = props.name === undefined ? 'name (defaults to the construct id)' : 'name';
  // The name is also the Service's: a DNS-1035 label (no leading digit), or the API server refuses it.
  const name = check.serviceName(nameProp, props.name ?? nameFromId(id, true), props.name === undefined ? ' (pass the name prop; the construct id may stay as it is)' : '')!;
  if (ISTIO_GATEWAY_LABELS.includes(name)) {
    check.fail(nameProp, name, `the gateway pods are labelled istio: ${name}, the label of Istio's own ${name} pods: every Gateway written for that shared gateway ` +
      `(selector istio: ${name}, in any namespace) would program these pods too and serve its hosts here; choose another name, e.g. "${namespace}-gateway"`);
  }
  const selectorLabels = { istio: name, app: name, [NAMESPACE_SELECTOR_LABEL]: namespace };
  const userLabels = check.labels('labels', props.labels);
  for (const k of Object.keys(userLabels)) {
    if (RESERVED_LABELS.includes(k)) check.fail(`labels['${k}']`, userLabels[k], `the label "${k}" is set by TenantGateway (it selects the gateway pods or drives injection); choose another key`);
  }
  const labels = { ...userLabels, ...selectorLabels, [MANAGED_BY_LABEL]: MANAGED_BY };

  const serviceType = check.oneOf('serviceType', props.serviceType, SERVICE_TYPES) ?? 'LoadBalancer';
  const externalTrafficPolicy = check.oneOf('externalTrafficPolicy', props.externalTrafficPolicy, ['Cluster', 'Local'] as const);
  if (externalTrafficPolicy && serviceType === 'ClusterIP') {
    check.fail('externalTrafficPolicy', externalTrafficPolicy, 'externalTrafficPolicy applies only to LoadBalancer and NodePort Services: remove it or change serviceType');
  }
  const ranges = check.array('loadBalancerSourceRanges', props.loadBalancerSourceRanges)?.map((r, i) => {
    if (typeof r !== 'string' || !CIDR.test(r)) check.fail(`loadBalancerSourceRanges[${i}]`, r, 'expected a CIDR such as "203.0.113.0/24"');
    return r;
  });
  if (ranges && ranges.length > 0 && serviceType !== 'LoadBalancer') {
    check.fail('loadBalancerSourceRanges', ranges, 'loadBalancerSourceRanges applies only to serviceType LoadBalancer');
  }
  const loadBalancerClass = check.string('loadBalancerClass', props.loadBalancerClass, { nonEmpty: true });
  if (loadBalancerClass && serviceType !== 'LoadBalancer') check.fail('loadBalancerClass', loadBalancerClass, 'loadBalancerClass applies only to serviceType LoadBalancer');
  const loadBalancerIP = check.string('loadBalancerIP', props.loadBalancerIP);
  if (loadBalancerIP !== undefined && !IPV4.test(loadBalancerIP) && !(IPV6.test(loadBalancerIP) && isIPv6(loadBalancerIP))) {
    check.fail('loadBalancerIP', loadBalancerIP, 'expected an IPv4 or IPv6 address such as "203.0.113.10"');
  }
  if (loadBalancerIP && serviceType !== 'LoadBalancer') check.fail('loadBalancerIP', loadBalancerIP, 'loadBalancerIP applies only to serviceType LoadBalancer');
  const ipFamilyPolicy = check.oneOf('ipFamilyPolicy', props.ipFamilyPolicy, ['SingleStack', 'PreferDualStack', 'RequireDualStack'] as const);
  const ipFamilies = check.array('ipFamilies', props.ipFamilies)?.map((f, i) => {
    const fam = check.oneOf(`ipFamilies[${i}]`, f, ['IPv4', 'IPv6'] as const)!;
    if (props.ipFamilies!.indexOf(fam) !== i) check.fail(`ipFamilies[${i}]`, f, 'each IP family may be listed once');
    return fam;
  });
  if (ipFamilies && (ipFamilies.length === 0 || ipFamilies.length > 2)) check.fail('ipFamilies', ipFamilies, "expected one or two families: ['IPv4'], ['IPv6'], ['IPv4', 'IPv6'] or ['IPv6', 'IPv4']");
  if (ipFamilies && ipFamilies.length === 2 && ipFamilyPolicy === 'SingleStack') {
    check.fail('ipFamilyPolicy', ipFamilyPolicy, 'two ipFamilies need PreferDualStack or RequireDualStack');
  }
  if (ipFamilyPolicy === 'RequireDualStack' && ipFamilies && ipFamilies.length === 1) {
    check.fail('ipFamilies', ipFamilies, 'RequireDualStack needs both families (or leave ipFamilies unset)');
  }
  const internalTrafficPolicy = check.oneOf('internalTrafficPolicy', props.internalTrafficPolicy, ['Cluster', 'Local'] as const);

  const replicas = check.integer('replicas', props.replicas, 0, 1000);
  let autoscaling: AutoscalingModel | undefined;
  if (props.autoscaling !== false) {
    if (replicas !== undefined && props.autoscaling !== undefined) {
      check.fail('replicas', replicas, 'set either replicas (fixed) or autoscaling, not both; with autoscaling the HPA sets the count');
    }
    if (replicas === undefined) autoscaling = normalizeAutoscaling(check, props.autoscaling);
  }
  const fewest = autoscaling ? autoscaling.minReplicas : (replicas ?? 1);
  const disruptionBudget = props.disruptionBudget === false ? undefined : normalizeBudget(check, props.disruptionBudget, fewest);
  const resources = normalizeResources(check, props.resources);
  const revision = check.name('revision', props.revision);
  const nodeSelector = check.labels('nodeSelector', props.nodeSelector);
  const tolerations = normalizeTolerations(check, props.tolerations);
  const topologySpread = normalizeSpread(check, props.topologySpread);
  const priorityClassName = check.name('priorityClassName', props.priorityClassName);
  const terminationGracePeriodSeconds = check.integer('terminationGracePeriodSeconds', props.terminationGracePeriodSeconds, 0, 86400) ?? 30;
  const env = normalizeEnv(check, props.env);
  const networkPolicy = check.boolean('networkPolicy', props.networkPolicy) ?? false;
  const routeNamespaces = normalizeRouteNamespaces(check, props.routeNamespaces);
  const imagePullSecrets = (check.array('imagePullSecrets', props.imagePullSecrets) ?? []).map((n, i) => {
    const secret = check.string(`imagePullSecrets[${i}]`, n)!;
    if (secret.length > 253 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(secret)) {
      check.fail(`imagePullSecrets[${i}]`, n, `expected the name of a Secret in namespace "${namespace}" (lower-case letters, digits, "-" and ".")`);
    }
    if (props.imagePullSecrets!.indexOf(n) !== i) check.fail(`imagePullSecrets[${i}]`, n, 'each Secret may be listed once');
    return secret;
  });
  const minReadySeconds = check.integer('minReadySeconds', props.minReadySeconds, 0, 3600);
  const strategy = normalizeStrategy(check, props.strategy);
  const affinity = normalizeAffinity(check, props.affinity);
  const createdNamespace = normalizeNamespace(check, props.createNamespace, namespace, revision);

  const model: TenantWorkloadModel = {
    name, namespace, selectorLabels, labels,
    podAnnotations: check.annotations('podAnnotations', props.podAnnotations),
    serviceAnnotations: check.annotations('serviceAnnotations', props.serviceAnnotations),
    revision, serviceType, externalTrafficPolicy, loadBalancerSourceRanges: ranges, loadBalancerClass,
    replicas, autoscaling, disruptionBudget, resources, terminationGracePeriodSeconds,
    nodeSelector, tolerations, topologySpread, priorityClassName, env,
    serviceAccountAnnotations: check.annotations('serviceAccountAnnotations', props.serviceAccountAnnotations),
    imagePullSecrets, affinity, strategy, minReadySeconds, loadBalancerIP, ipFamilies, ipFamilyPolicy, internalTrafficPolicy,
  };
  if ('inject.istio.io/templates' in model.podAnnotations) {
    check.fail("podAnnotations['inject.istio.io/templates']", model.podAnnotations['inject.istio.io/templates'], 'the injection template of a gateway is always "gateway"; remove this annotation');
  }
  const extraPorts = normalizeExtraPorts(check, props.ports);
  return { model, userLabels, extraPorts, autoscaling, disruptionBudget, networkPolicy, routeNamespaces, namespace: createdNamespace };

}

function isIPv6(s: string): boolean {
  const parts = s.split('::');
  if (parts.length > 2) return false;
  const groups = (p: string) => (p === '' ? [] : p.split(':'));
  const all = [...groups(parts[0]), ...(parts.length === 2 ? groups(parts[1]) : [])];
  if (all.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  return parts.length === 2 ? all.length < 8 : all.length === 8;
}

function normalizeRouteNamespaces(check: PropChecker, list: string[] | undefined): string[] | undefined {
  const l = check.array('routeNamespaces', list, { nonEmpty: true });
  if (!l) return undefined;
  const out = l.map((n, i) => {
    if (n === '*') {
      if (l.length > 1) check.fail(`routeNamespaces[${i}]`, n, '"*" admits every namespace, so it stands alone: [\'*\']');
      return n;
    }
    const ns = check.namespace(`routeNamespaces[${i}]`, n)!;
    if (l.indexOf(n) !== i) check.fail(`routeNamespaces[${i}]`, n, 'each namespace may be listed once');
    return ns;
  });
  return out.sort();
}
