// The validated model of a TenantGateway: its props, their checks and defaults, and the model
// types the renderers take. Pure: props in, model out, or an IstioGatewayError through the
// PropChecker. Defaults follow Istio's gateway chart (../shared/istio/gateway-chart-values-1.30.3.yaml)
// except where noted.
import { IstioGatewayErrorDetails } from '../errors';
import { DNS1123_SUBDOMAIN, MANAGED_BY, MANAGED_BY_LABEL } from '../names';
import { isKubernetesCidr, isKubernetesIp } from './ip-address';
import { validateCoreObject } from '../validation/core';
import { isLabelValue, ownPropsCopy, PropChecker } from './checks';
import { mapPacked } from './packed';
import { DerivedPort, GATEWAY_NAME_LABEL, GatewayApi, gatewayApiOf, GatewayApiChannel, generatedName, nameFromId, ServerProtocol } from './gateway';

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

/** A port on the gateway Service. targetPort equals port: the pod binds it directly. */
export interface ServicePortModel {
  readonly name: string;
  readonly port: number;
  readonly protocol?: string;
  readonly appProtocol?: string;
  readonly serverProtocol?: ServerProtocol;
}

export interface ResourcesModel {
  readonly requests: Record<string, string>;
  readonly limits: Record<string, string>;
}

export interface ScalingPolicyModel {
  readonly type: 'Pods' | 'Percent';
  readonly value: number;
  readonly periodSeconds: number;
}

export interface ScalingRulesModel {
  readonly stabilizationWindowSeconds?: number;
  readonly selectPolicy?: 'Max' | 'Min' | 'Disabled';
  readonly policies?: readonly ScalingPolicyModel[];
}

export interface AutoscalingModel {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly targetCpuUtilization?: number;
  readonly targetMemoryUtilization?: number;
  readonly behavior?: { readonly scaleUp?: ScalingRulesModel; readonly scaleDown?: ScalingRulesModel };
}

export interface DisruptionBudgetModel {
  readonly minAvailable?: number | string;
  readonly maxUnavailable?: number | string;
}

export interface TolerationModel {
  readonly key?: string;
  readonly operator?: 'Exists' | 'Equal';
  readonly value?: string;
  readonly effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  readonly tolerationSeconds?: number;
}

export interface TopologySpreadModel {
  readonly topologyKey: string;
  readonly maxSkew: number;
  readonly whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway';
}

export interface TenantWorkloadModel {
  readonly name: string;
  readonly namespace: string;
  /** Labels that select the gateway pods; never change for a given name and namespace. */
  readonly selectorLabels: Record<string, string>;
  /** Labels on every object (selector labels included). */
  readonly labels: Record<string, string>;
  readonly podAnnotations: Record<string, string>;
  readonly serviceAnnotations: Record<string, string>;
  readonly revision?: string;
  readonly serviceType: 'LoadBalancer' | 'NodePort' | 'ClusterIP';
  readonly externalTrafficPolicy?: 'Cluster' | 'Local';
  readonly loadBalancerSourceRanges?: readonly string[];
  readonly loadBalancerClass?: string;
  readonly replicas?: number;
  readonly autoscaling?: AutoscalingModel;
  readonly disruptionBudget?: DisruptionBudgetModel;
  readonly resources: ResourcesModel;
  readonly terminationGracePeriodSeconds: number;
  readonly nodeSelector: Record<string, string>;
  readonly tolerations: readonly TolerationModel[];
  readonly topologySpread: readonly TopologySpreadModel[];
  readonly priorityClassName?: string;
  /** Environment variables in name order (a list, so that names such as "__proto__" survive). */
  readonly env: readonly { readonly name: string; readonly value: string }[];
  readonly serviceAccountAnnotations: Record<string, string>;
  readonly imagePullSecrets: readonly string[];
  /** A Kubernetes Affinity, checked against the Kubernetes schema. */
  readonly affinity?: Record<string, unknown>;
  readonly strategy?: { readonly type: 'RollingUpdate' | 'Recreate'; readonly maxSurge?: number | string; readonly maxUnavailable?: number | string };
  readonly minReadySeconds?: number;
  readonly loadBalancerIP?: string;
  readonly ipFamilies?: readonly ('IPv4' | 'IPv6')[];
  readonly ipFamilyPolicy?: 'SingleStack' | 'PreferDualStack' | 'RequireDualStack';
  readonly internalTrafficPolicy?: 'Cluster' | 'Local';
}

/** The tenant namespace, when the gateway creates it: labelled so that the injector serves it. */
export interface NamespaceModel {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

/** The status port Istio's gateway exposes for load-balancer health checks. */
export const STATUS_PORT: ServicePortModel = { name: 'status-port', port: 15021, protocol: 'TCP' };
/** Envoy's Prometheus port, scraped by the mesh's monitoring. */
export const METRICS_PORT = 15090;
/** The pilot-agent's merged Prometheus port, which the pod's `prometheus.io/port` annotation names. */
export const MERGED_METRICS_PORT = 15020;

/** A TenantGateway's validated props: what its construct renders and checks servers against. */
export interface TenantGatewayModel {
  readonly api: GatewayApi;
  readonly gatewayApiChannel?: GatewayApiChannel;
  /** What the workload objects are rendered from (with api 'gateway-api', selecting Istio's generated pods). */
  readonly workload: TenantWorkloadModel;
  /** The `labels` prop, checked (without the selector and managed-by labels). */
  readonly userLabels: Record<string, string>;
  /** Labels of the Gateway resource. */
  readonly gatewayLabels: Record<string, string>;
  /** The `ports` prop: Service ports beyond the servers' own. */
  readonly extraPorts: readonly ServicePortModel[];
  readonly networkPolicy: boolean;
  /** `routeNamespaces` as given, sorted (undefined: derived from the routes bound in the App). */
  readonly routeNamespaces?: readonly string[];
  /** The Namespace to emit, with `createNamespace`. */
  readonly createdNamespace?: NamespaceModel;
}

/**
 * Checks every prop of a TenantGateway and resolves the defaults: its validated model. `id` is the
 * construct id, the name when `name` is not given. Refusals go through `check`.
 */
export function tenantGatewayModel(check: PropChecker, id: string, given: TenantGatewayProps): TenantGatewayModel {
  check.object('props', given, true);
  check.knownProps('', given, PROPS);
  // Some forty props are read below, most of them absent; read from a copy (see ownPropsCopy).
  const props = ownPropsCopy(given);
  const namespace = check.namespace('namespace', props.namespace, true)!;
  const nameProp = props.name === undefined ? 'name (defaults to the construct id)' : 'name';
  // The name is also the Service's: a DNS-1035 label (no leading digit), or the API server refuses it.
  const name = check.serviceName(nameProp, props.name ?? nameFromId(id, true), props.name === undefined ? ' (pass the name prop; the construct id may stay as it is)' : '')!;
  if (ISTIO_GATEWAY_LABELS.includes(name)) {
    check.fail(nameProp, name, `the gateway pods are labelled istio: ${name}, the label of Istio's own ${name} pods: every Gateway written for that shared gateway ` +
      `(selector istio: ${name}, in any namespace) would program these pods too and serve its hosts here; choose another name, e.g. "${namespace}-gateway"`);
  }
  const selectorLabels = tenantSelectorLabels(name, namespace, 'istio');
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
    if (typeof r !== 'string' || !isKubernetesCidr(r)) check.fail(`loadBalancerSourceRanges[${i}]`, r, 'expected a CIDR such as "203.0.113.0/24"');
    return r;
  });
  if (ranges && ranges.length > 0 && serviceType !== 'LoadBalancer') {
    check.fail('loadBalancerSourceRanges', ranges, 'loadBalancerSourceRanges applies only to serviceType LoadBalancer');
  }
  const loadBalancerClass = check.string('loadBalancerClass', props.loadBalancerClass, { nonEmpty: true });
  if (loadBalancerClass && serviceType !== 'LoadBalancer') check.fail('loadBalancerClass', loadBalancerClass, 'loadBalancerClass applies only to serviceType LoadBalancer');
  const loadBalancerIP = check.string('loadBalancerIP', props.loadBalancerIP);
  if (loadBalancerIP !== undefined && !isKubernetesIp(loadBalancerIP)) {
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
    if (secret.length > 253 || !DNS1123_SUBDOMAIN.test(secret)) {
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
  const { api, gatewayApiChannel } = gatewayApiOf(check, props);
  if (api === 'gateway-api') {
    // Istio's generated Service carries the listeners' ports only; a patch adding ports would be a Service Istio does not route.
    if (extraPorts.length > 0) check.fail('ports', props.ports, 'with api \'gateway-api\' Istio generates the gateway\'s Service with exactly the listeners\' ports (and 15021), so extra ports cannot be expressed: remove ports, or use api \'istio\'');
    if (Object.keys(model.serviceAccountAnnotations).length > 0) {
      check.fail('serviceAccountAnnotations', props.serviceAccountAnnotations, 'with api \'gateway-api\' Istio generates the ServiceAccount (<name>-istio), and this library writes patches only for the Deployment, Service, HorizontalPodAutoscaler and PodDisruptionBudget it generates: remove serviceAccountAnnotations, or use api \'istio\'');
    }
  }
  return {
    api, gatewayApiChannel,
    // Istio labels the pods of its automated deployment by Gateway name only.
    workload: api === 'gateway-api' ? { ...model, selectorLabels: tenantSelectorLabels(name, namespace, api) } : model,
    userLabels,
    // A Gateway API Gateway names its control-plane revision by label (the pods' istio.io/rev in the Istio flavour).
    gatewayLabels: api === 'gateway-api' && revision ? { ...userLabels, 'istio.io/rev': revision } : userLabels,
    extraPorts, networkPolicy, routeNamespaces, createdNamespace,
  };
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
    if (value !== undefined && !isLabelValue(value)) {
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
  return mapPacked(check.array('ports', ports) ?? [], (p, i) => {
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

/**
 * The labels that select the pods of TenantGateway `name` in `namespace`: derived from those two
 * alone, so they never move. With api 'gateway-api', the label Istio gives the pods it generates.
 */
export function tenantSelectorLabels(name: string, namespace: string, api: GatewayApi): Record<string, string> {
  return api === 'gateway-api' ? { [GATEWAY_NAME_LABEL]: name } : { istio: name, app: name, [NAMESPACE_SELECTOR_LABEL]: namespace };
}

/** The Service in front of TenantGateway `name`'s pods: its own, or the one Istio generates with api 'gateway-api'. */
export function tenantServiceName(name: string, api: GatewayApi): string {
  return api === 'gateway-api' ? generatedName(name) : name;
}

/** Ports the Istio proxy listens on itself; no server may take them. */
const PROXY_PORTS = [15000, 15001, 15006, 15020, STATUS_PORT.port, METRICS_PORT];

/**
 * Refuses a server on `port` of the TenantGateway at construct path `gateway`: a port of the proxy
 * itself, or one its `ports` prop already lists.
 */
export function checkTenantServerPort(check: PropChecker, gateway: string, extraPorts: readonly ServicePortModel[], port: number, prop: string): void {
  if (PROXY_PORTS.includes(port)) {
    check.fail(prop === 'hosts' ? 'port' : prop, port, `port ${port} is reserved by the Istio proxy (15000, 15001, 15006, 15020, 15021, 15090): choose another port`);
  }
  const extra = extraPorts.find((p) => p.port === port);
  if (extra) {
    check.fail(prop === 'hosts' ? 'port' : prop, port, `port ${port} is listed in the ports prop of TenantGateway '${gateway}' as "${extra.name}"; server ports are added to the Service automatically, so remove it from ports`);
  }
}

/** The Service's ports: the status port, every server port (in declaration order), then the extra ports. */
export function tenantServicePorts(serverPorts: readonly DerivedPort[], extraPorts: readonly ServicePortModel[]): ServicePortModel[] {
  const out: ServicePortModel[] = [STATUS_PORT];
  for (const d of serverPorts) out.push({ name: d.name, port: d.port, protocol: 'TCP', serverProtocol: d.protocol });
  for (const p of extraPorts) out.push(p);
  return out.map((p) => ({ ...p }));
}

/**
 * The namespaces whose routes may bind to the gateway's hosts, sorted; `['*']` for any. Without
 * `routeNamespaces`, the gateway's own namespace and those of the routes bound to it.
 */
export function admittedRouteNamespaces(explicit: readonly string[] | undefined, namespace: string, boundNamespaces: readonly string[]): string[] {
  if (explicit) return [...explicit];
  return [...new Set([namespace, ...boundNamespaces])].sort();
}

/**
 * What a TenantGateway (described as `construct`) can check only once the App is complete: one
 * Service port name for two ports, and a route bound from a namespace `routeNamespaces` does not admit.
 */
export function tenantProblems(construct: string, servicePorts: readonly ServicePortModel[], routeNamespaces: readonly string[] | undefined,
  boundRoutes: readonly { namespace: string; path: string }[]): IstioGatewayErrorDetails[] {
  const problems: IstioGatewayErrorDetails[] = [];
  const names = new Map<string, number>();
  for (const p of servicePorts) {
    const prev = names.get(p.name);
    if (prev !== undefined && prev !== p.port) {
      problems.push({ construct, prop: 'ports', value: p.name, expected: `Service port name "${p.name}" is used for ports ${prev} and ${p.port}; give the extra port another name` });
    }
    names.set(p.name, p.port);
  }
  const admitted = routeNamespaces;
  if (admitted && !admitted.includes('*')) {
    for (const { namespace, path } of boundRoutes) {
      if (admitted.includes(namespace)) continue;
      problems.push({ construct, prop: 'routeNamespaces', value: [...admitted],
        expected: `'${path}' binds a route in namespace "${namespace}" to this gateway, but routeNamespaces does not admit that namespace, ` +
          `so Istio would not bind it: add "${namespace}" to routeNamespaces, or move the route into ${admitted.map((n) => `"${n}"`).join(' or ')}` });
    }
  }
  return problems;
}
