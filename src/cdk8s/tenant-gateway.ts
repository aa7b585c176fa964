// A team's dedicated gateway: the injected Deployment, its Service (ports derived from the
// servers attached to it), ServiceAccount, least-privilege RBAC for TLS Secrets, autoscaler,
// disruption budget and an opt-in NetworkPolicy. Defaults follow Istio's gateway chart
// (../shared/istio/gateway-chart-values-1.30.3.yaml) except where noted.
import { Construct } from 'constructs';
import { IstioGatewayErrorDetails } from '../errors';
import { PropChecker } from '../model/checks';
import {
  AutoscalingModel, DisruptionBudgetModel, renderDeployment, renderHorizontalPodAutoscaler, renderNetworkPolicy,
  renderPodDisruptionBudget, renderRole, renderRoleBinding, renderService, renderServiceAccount, ResourcesModel,
  ServicePortModel, STATUS_PORT, TenantWorkloadModel, TolerationModel, TopologySpreadModel,
} from '../render/gateway';
import { MANAGED_BY, MANAGED_BY_LABEL } from '../render/api-versions';
import { GatewayBase } from './gateway-base';
import { orderAfter, RenderedObject } from './rendered-object';
import { SynthChecked } from './synth-check';

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
   * @default [{ topologyKey: 'kubernetes.io/hostname', maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway' }]
   */
  readonly topologySpread?: TopologySpreadOptions[];
  /** @default - none */
  readonly priorityClassName?: string;
  /** Seconds Envoy gets to drain connections on shutdown. @default 30 (Istio's chart) */
  readonly terminationGracePeriodSeconds?: number;
  /** Extra environment variables for the proxy container. @default - none */
  readonly env?: Record<string, string>;
  /**
   * Emit a NetworkPolicy admitting only the Service's ports plus 15021 (status) and 15090 (metrics).
   * @default false
   */
  readonly networkPolicy?: boolean;
}

const PROPS = [
  'namespace', 'name', 'serviceType', 'ports', 'replicas', 'autoscaling', 'disruptionBudget', 'resources', 'revision',
  'labels', 'podAnnotations', 'serviceAnnotations', 'externalTrafficPolicy', 'loadBalancerSourceRanges', 'loadBalancerClass',
  'nodeSelector', 'tolerations', 'topologySpread', 'priorityClassName', 'terminationGracePeriodSeconds', 'env', 'networkPolicy',
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
export class TenantGateway extends GatewayBase {
  /** The gateway's Deployment. */
  public readonly deployment: RenderedObject;
  /** The gateway's Service. */
  public readonly service: RenderedObject;
  public readonly serviceAccount: RenderedObject;
  public readonly role: RenderedObject;
  public readonly roleBinding: RenderedObject;
  public readonly horizontalPodAutoscaler?: RenderedObject;
  public readonly podDisruptionBudget?: RenderedObject;
  public readonly networkPolicy?: RenderedObject;
  /** Labels that select the pods; derived only from name and namespace, so they never move. */
  public readonly selectorLabels: Record<string, string>;
  private readonly model: TenantWorkloadModel;
  private readonly extraPorts: readonly ServicePortModel[];

  constructor(scope: Construct, id: string, props: TenantGatewayProps) {
    // Every prop is checked before the construct joins the tree, so a refused input leaves nothing behind.
    const check: PropChecker = new PropChecker(`TenantGateway '${scope.node.path ? scope.node.path + '/' : ''}${id}'`);
    const v = tenantModel(check, id, props);
    super(scope, id, 'TenantGateway', { name: v.model.name, namespace: v.model.namespace, workloadNamespace: v.model.namespace, selector: v.model.selectorLabels, labels: v.userLabels });
    this.selectorLabels = { ...v.model.selectorLabels };
    this.model = v.model;
    this.extraPorts = v.extraPorts;
    const { autoscaling, disruptionBudget, networkPolicy } = v;

    const m = this.model;
    // ServiceAccount and RBAC first: the Deployment's pods need them to start and read certificates.
    this.serviceAccount = new RenderedObject(this, 'ServiceAccount', () => renderServiceAccount(m));
    this.role = new RenderedObject(this, 'Role', () => renderRole(m));
    this.roleBinding = new RenderedObject(this, 'RoleBinding', () => renderRoleBinding(m));
    orderAfter(this.roleBinding, this.role, this.serviceAccount);
    this.deployment = new RenderedObject(this, 'Deployment', () => renderDeployment(m));
    orderAfter(this.deployment, this.serviceAccount, this.role, this.roleBinding);
    this.service = new RenderedObject(this, 'Service', () => renderService(m, this.servicePorts));
    if (autoscaling) {
      const a = autoscaling;
      this.horizontalPodAutoscaler = new RenderedObject(this, 'HorizontalPodAutoscaler', () => renderHorizontalPodAutoscaler(m, a));
      orderAfter(this.horizontalPodAutoscaler, this.deployment);
    }
    if (disruptionBudget) {
      const b = disruptionBudget;
      this.podDisruptionBudget = new RenderedObject(this, 'PodDisruptionBudget', () => renderPodDisruptionBudget(m, b));
    }
    if (networkPolicy) {
      this.networkPolicy = new RenderedObject(this, 'NetworkPolicy', () => renderNetworkPolicy(m, this.servicePorts));
    }
  }

  /** Service ports: the status port, every server port (in declaration order), then the extra ports. */
  get servicePorts(): ServicePortModel[] {
    const out: ServicePortModel[] = [STATUS_PORT];
    for (const d of this.derivedPorts()) out.push({ name: d.name, port: d.port, protocol: 'TCP', serverProtocol: d.protocol });
    for (const p of this.extraPorts) out.push(p);
    return out.map((p) => ({ ...p }));
  }

  protected get ownServiceName(): string { return this.gatewayName; }

  protected checkServerPort(port: number, check: PropChecker, prop: string): void {
    if (port === STATUS_PORT.port || port === 15090 || port === 15000 || port === 15001 || port === 15006 || port === 15020 || port === 15090) {
      check.fail(prop === 'hosts' ? 'port' : prop, port, `port ${port} is reserved by the Istio proxy (15000, 15001, 15006, 15020, 15021, 15090): choose another port`);
    }
    const extra = this.extraPorts.find((p) => p.port === port);
    if (extra) {
      check.fail(prop === 'hosts' ? 'port' : prop, port, `port ${port} is listed in the ports prop of TenantGateway '${this.node.path}' as "${extra.name}"; server ports are added to the Service automatically, so remove it from ports`);
    }
  }

  public appProblems(all: readonly SynthChecked[]): IstioGatewayErrorDetails[] {
    const problems = super.appProblems(all);
    const names = new Map<string, number>();
    for (const p of this.servicePorts) {
      const prev = names.get(p.name);
      if (prev !== undefined && prev !== p.port) {
        problems.push({ construct: this.node.path, prop: 'ports', value: p.name, expected: `Service port name "${p.name}" is used for ports ${prev} and ${p.port}; give the extra port another name` });
      }
      names.set(p.name, p.port);
    }
    return problems;
  }
}

function normalizeAutoscaling(check: PropChecker, a: AutoscalingOptions | undefined): AutoscalingModel {
  check.object('autoscaling', a);
  check.knownProps('autoscaling', a, ['minReplicas', 'maxReplicas', 'targetCpuUtilization', 'targetMemoryUtilization']);
  const minReplicas = check.integer('autoscaling.minReplicas', a?.minReplicas, 1, 1000) ?? 2;
  const maxReplicas = check.integer('autoscaling.maxReplicas', a?.maxReplicas, 1, 1000) ?? Math.max(5, minReplicas);
  if (maxReplicas < minReplicas) check.fail('autoscaling.maxReplicas', maxReplicas, `expected at least minReplicas (${minReplicas})`);
  const mem = check.integer('autoscaling.targetMemoryUtilization', a?.targetMemoryUtilization, 1, 100);
  const cpu = check.integer('autoscaling.targetCpuUtilization', a?.targetCpuUtilization, 1, 100) ?? (mem === undefined ? 80 : undefined);
  return { minReplicas, maxReplicas, targetCpuUtilization: cpu, targetMemoryUtilization: mem };
}

function budgetValue(check: PropChecker, prop: string, v: unknown): number | string | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'number') return check.integer(prop, v, 0, 100000);
  if (typeof v === 'string' && /^(100|[1-9]?\d)%$/.test(v)) return v;
  return check.fail(prop, v, 'expected a non-negative integer or a percentage such as "50%"');
}

function normalizeBudget(check: PropChecker, b: DisruptionBudgetOptions | undefined): DisruptionBudgetModel {
  check.object('disruptionBudget', b);
  check.knownProps('disruptionBudget', b, ['minAvailable', 'maxUnavailable']);
  const minAvailable = budgetValue(check, 'disruptionBudget.minAvailable', b?.minAvailable);
  const maxUnavailable = budgetValue(check, 'disruptionBudget.maxUnavailable', b?.maxUnavailable);
  if (minAvailable !== undefined && maxUnavailable !== undefined) {
    check.fail('disruptionBudget', b, 'set minAvailable or maxUnavailable, not both (Kubernetes accepts one)');
  }
  return minAvailable === undefined && maxUnavailable === undefined ? { maxUnavailable: 1 } : { minAvailable, maxUnavailable };
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
    const key = check.string(`${prop}.key`, t.key);
    if (key !== undefined) out.key = key;
    const operator = check.oneOf(`${prop}.operator`, t.operator, ['Exists', 'Equal'] as const);
    if (operator) out.operator = operator;
    const value = check.string(`${prop}.value`, t.value);
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

function normalizeSpread(check: PropChecker, list: TopologySpreadOptions[] | undefined): TopologySpreadModel[] {
  if (list === undefined) return [{ topologyKey: 'kubernetes.io/hostname', maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway' }];
  return (check.array('topologySpread', list) ?? []).map((t, i) => {
    const prop = `topologySpread[${i}]`;
    check.object(prop, t, true);
    check.knownProps(prop, t, ['topologyKey', 'maxSkew', 'whenUnsatisfiable']);
    const topologyKey = check.string(`${prop}.topologyKey`, t.topologyKey, { required: true, nonEmpty: true })!;
    return {
      topologyKey,
      maxSkew: check.integer(`${prop}.maxSkew`, t.maxSkew, 1, 1000) ?? 1,
      whenUnsatisfiable: check.oneOf(`${prop}.whenUnsatisfiable`, t.whenUnsatisfiable, ['DoNotSchedule', 'ScheduleAnyway'] as const) ?? 'ScheduleAnyway',
    };
  });
}

function normalizeEnv(check: PropChecker, env: Record<string, string> | undefined): Record<string, string> {
  if (env === undefined) return {};
  check.object('env', env);
  const out: Record<string, string> = {};
  for (const k of Object.keys(env).sort()) {
    if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(k)) check.fail(`env['${k}']`, k, 'expected an environment variable name (letters, digits, "_", "-", "."; not starting with a digit)');
    const v = env[k];
    if (typeof v !== 'string') check.fail(`env['${k}']`, v, 'expected a string value');
    out[k] = v;
  }
  return out;
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
  const name = check.name(nameProp, props.name ?? id)!;
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

  const replicas = check.integer('replicas', props.replicas, 0, 1000);
  let autoscaling: AutoscalingModel | undefined;
  if (props.autoscaling !== false) {
    if (replicas !== undefined && props.autoscaling !== undefined) {
      check.fail('replicas', replicas, 'set either replicas (fixed) or autoscaling, not both; with autoscaling the HPA sets the count');
    }
    if (replicas === undefined) autoscaling = normalizeAutoscaling(check, props.autoscaling);
  }
  const disruptionBudget = props.disruptionBudget === false ? undefined : normalizeBudget(check, props.disruptionBudget);
  const resources = normalizeResources(check, props.resources);
  const revision = check.name('revision', props.revision);
  const nodeSelector = check.labels('nodeSelector', props.nodeSelector);
  const tolerations = normalizeTolerations(check, props.tolerations);
  const topologySpread = normalizeSpread(check, props.topologySpread);
  const priorityClassName = check.name('priorityClassName', props.priorityClassName);
  const terminationGracePeriodSeconds = check.integer('terminationGracePeriodSeconds', props.terminationGracePeriodSeconds, 0, 86400) ?? 30;
  const env = normalizeEnv(check, props.env);
  const networkPolicy = check.boolean('networkPolicy', props.networkPolicy) ?? false;

  const model: TenantWorkloadModel = {
    name, namespace, selectorLabels, labels,
    podAnnotations: check.annotations('podAnnotations', props.podAnnotations),
    serviceAnnotations: check.annotations('serviceAnnotations', props.serviceAnnotations),
    revision, serviceType, externalTrafficPolicy, loadBalancerSourceRanges: ranges, loadBalancerClass,
    replicas, autoscaling, disruptionBudget, resources, terminationGracePeriodSeconds,
    nodeSelector, tolerations, topologySpread, priorityClassName, env,
  };
  if ('inject.istio.io/templates' in model.podAnnotations) {
    check.fail("podAnnotations['inject.istio.io/templates']", model.podAnnotations['inject.istio.io/templates'], 'the injection template of a gateway is always "gateway"; remove this annotation');
  }
  const extraPorts = normalizeExtraPorts(check, props.ports);
  return { model, userLabels, extraPorts, autoscaling, disruptionBudget, networkPolicy };

}
