// Renders a dedicated (tenant) gateway's workload: its Namespace, Deployment, Service,
// ServiceAccount, RBAC, autoscaling, disruption budget and optional NetworkPolicy. Pure functions:
// same model in, same objects out. Apart from ./gateway (the Gateway and a shared gateway's
// workload), which therefore does not depend on the tenant model.
import {
  DEPLOYMENT, Gvk, HORIZONTAL_POD_AUTOSCALER, NAMESPACE, NETWORK_POLICY, POD_DISRUPTION_BUDGET, ROLE, ROLE_BINDING, SERVICE, SERVICE_ACCOUNT,
} from './api-versions';
import {
  AutoscalingModel, DisruptionBudgetModel, MERGED_METRICS_PORT, METRICS_PORT, NamespaceModel, ServicePortModel, STATUS_PORT, TenantWorkloadModel,
} from '../model/tenant-gateway';
import { identity, KubeObject, meta, object, SPEC_ONLY } from './objects';

export function renderNamespace(n: NamespaceModel): KubeObject {
  return object(NAMESPACE, meta(n.name, undefined, n.labels, n.annotations), {});
}

export function renderServiceAccount(m: TenantWorkloadModel): KubeObject {
  return object(SERVICE_ACCOUNT, meta(m.name, m.namespace, m.labels, m.serviceAccountAnnotations), {});
}

/** Only what istiod's SubjectAccessReview checks for SDS: read Secrets in this namespace. */
export function renderRole(m: TenantWorkloadModel): KubeObject {
  return object(ROLE, meta(m.name, m.namespace, m.labels), {
    rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'watch', 'list'] }],
  });
}

export function renderRoleBinding(m: TenantWorkloadModel): KubeObject {
  return object(ROLE_BINDING, meta(m.name, m.namespace, m.labels), {
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: m.name },
    subjects: [{ kind: 'ServiceAccount', name: m.name, namespace: m.namespace }],
  });
}

export function renderDeployment(m: TenantWorkloadModel): KubeObject {
  const podLabels: Record<string, string> = {
    ...m.labels,
    'sidecar.istio.io/inject': 'true',
    // Keep ambient mode from capturing the gateway's own traffic (as Istio's chart does).
    'istio.io/dataplane-mode': 'none',
  };
  if (m.revision) podLabels['istio.io/rev'] = m.revision;
  const podAnnotations: Record<string, string> = {
    'prometheus.io/path': '/stats/prometheus',
    'prometheus.io/port': String(MERGED_METRICS_PORT),
    'prometheus.io/scrape': 'true',
    ...m.podAnnotations,
    'inject.istio.io/templates': 'gateway',
  };
  const container: Record<string, unknown> = {
    name: 'istio-proxy',
    // Replaced by the injector with the proxy image of the control plane's revision.
    image: 'auto',
    resources: { requests: { ...m.resources.requests }, limits: { ...m.resources.limits } },
    // No runAsUser/runAsGroup, as in Istio's gateway chart: the injector sets the proxy's UID
    // (1337, or one from the namespace's range on OpenShift, whose restricted-v2 SCC refuses a fixed 1337).
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
    },
  };
  if (m.env.length > 0) container.env = m.env.map((e) => ({ name: e.name, value: e.value }));
  const podSpec: Record<string, unknown> = {
    serviceAccountName: m.name,
    terminationGracePeriodSeconds: m.terminationGracePeriodSeconds,
    securityContext: {
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
      // Lets the non-root proxy bind ports below 1024 (80, 443). A "safe" sysctl since Kubernetes 1.22.
      sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }],
    },
    containers: [container],
  };
  if (Object.keys(m.nodeSelector).length > 0) podSpec.nodeSelector = { ...m.nodeSelector };
  if (m.tolerations.length > 0) podSpec.tolerations = m.tolerations.map((t) => ({ ...t }));
  if (m.topologySpread.length > 0) {
    podSpec.topologySpreadConstraints = m.topologySpread.map((t) => ({
      maxSkew: t.maxSkew,
      topologyKey: t.topologyKey,
      whenUnsatisfiable: t.whenUnsatisfiable,
      labelSelector: { matchLabels: { ...m.selectorLabels } },
    }));
  }
  if (m.priorityClassName) podSpec.priorityClassName = m.priorityClassName;
  if (m.imagePullSecrets.length > 0) podSpec.imagePullSecrets = m.imagePullSecrets.map((name) => ({ name }));
  if (m.affinity) podSpec.affinity = structuredClone(m.affinity);
  const spec: Record<string, unknown> = {
    selector: { matchLabels: { ...m.selectorLabels } },
    template: { metadata: { labels: podLabels, annotations: podAnnotations }, spec: podSpec },
  };
  if (m.strategy) {
    const { type, maxSurge, maxUnavailable } = m.strategy;
    const strategy: Record<string, unknown> = { type };
    if (type === 'RollingUpdate' && (maxSurge !== undefined || maxUnavailable !== undefined)) {
      const rolling: Record<string, unknown> = {};
      if (maxSurge !== undefined) rolling.maxSurge = maxSurge;
      if (maxUnavailable !== undefined) rolling.maxUnavailable = maxUnavailable;
      strategy.rollingUpdate = rolling;
    }
    spec.strategy = strategy;
  }
  if (m.minReadySeconds !== undefined) spec.minReadySeconds = m.minReadySeconds;
  // With an autoscaler the replica count is the HPA's to set; writing it here would fight it on every apply.
  if (!m.autoscaling) spec.replicas = m.replicas ?? 1;
  return object(DEPLOYMENT, meta(m.name, m.namespace, m.labels), { spec });
}

export function renderService(m: TenantWorkloadModel, ports: readonly ServicePortModel[]): KubeObject {
  const spec: Record<string, unknown> = {
    type: m.serviceType,
    selector: { ...m.selectorLabels },
    ports: ports.map((p) => {
      const sp: Record<string, unknown> = { name: p.name, port: p.port, protocol: p.protocol ?? 'TCP', targetPort: p.port };
      if (p.appProtocol) sp.appProtocol = p.appProtocol;
      return sp;
    }),
  };
  if (m.externalTrafficPolicy) spec.externalTrafficPolicy = m.externalTrafficPolicy;
  if (m.loadBalancerSourceRanges && m.loadBalancerSourceRanges.length > 0) spec.loadBalancerSourceRanges = [...m.loadBalancerSourceRanges];
  if (m.loadBalancerClass) spec.loadBalancerClass = m.loadBalancerClass;
  if (m.loadBalancerIP) spec.loadBalancerIP = m.loadBalancerIP;
  if (m.ipFamilyPolicy) spec.ipFamilyPolicy = m.ipFamilyPolicy;
  if (m.ipFamilies && m.ipFamilies.length > 0) spec.ipFamilies = [...m.ipFamilies];
  if (m.internalTrafficPolicy) spec.internalTrafficPolicy = m.internalTrafficPolicy;
  return object(SERVICE, meta(m.name, m.namespace, m.labels, m.serviceAnnotations), { spec });
}

export function renderHorizontalPodAutoscaler(m: TenantWorkloadModel, a: AutoscalingModel): KubeObject {
  const metrics: Record<string, unknown>[] = [];
  if (a.targetCpuUtilization !== undefined) {
    metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: a.targetCpuUtilization } } });
  }
  if (a.targetMemoryUtilization !== undefined) {
    metrics.push({ type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: a.targetMemoryUtilization } } });
  }
  const spec: Record<string, unknown> = {
    scaleTargetRef: { apiVersion: DEPLOYMENT.apiVersion, kind: DEPLOYMENT.kind, name: m.name },
    minReplicas: a.minReplicas,
    maxReplicas: a.maxReplicas,
    metrics,
  };
  if (a.behavior) {
    const behavior: Record<string, unknown> = {};
    for (const dir of ['scaleUp', 'scaleDown'] as const) {
      const r = a.behavior[dir];
      if (!r) continue;
      const rules: Record<string, unknown> = {};
      if (r.stabilizationWindowSeconds !== undefined) rules.stabilizationWindowSeconds = r.stabilizationWindowSeconds;
      if (r.selectPolicy) rules.selectPolicy = r.selectPolicy;
      if (r.policies) rules.policies = r.policies.map((p) => ({ type: p.type, value: p.value, periodSeconds: p.periodSeconds }));
      behavior[dir] = rules;
    }
    spec.behavior = behavior;
  }
  return object(HORIZONTAL_POD_AUTOSCALER, meta(m.name, m.namespace, m.labels), { spec });
}

export function renderPodDisruptionBudget(m: TenantWorkloadModel, b: DisruptionBudgetModel): KubeObject {
  const spec: Record<string, unknown> = { selector: { matchLabels: { ...m.selectorLabels } } };
  if (b.minAvailable !== undefined) spec.minAvailable = b.minAvailable;
  if (b.maxUnavailable !== undefined) spec.maxUnavailable = b.maxUnavailable;
  return object(POD_DISRUPTION_BUDGET, meta(m.name, m.namespace, m.labels), { spec });
}

/**
 * Admits only the Service's ports (each with its own protocol: a UDP port is admitted as UDP), the
 * status port (15021) and both metrics ports: 15020, the merged Prometheus endpoint that the pod's
 * `prometheus.io/port` annotation points scrapers at, and Envoy's own 15090.
 */
export function renderNetworkPolicy(m: TenantWorkloadModel, ports: readonly ServicePortModel[]): KubeObject {
  const seen = new Set<string>();
  const admitted: { port: number; protocol: string }[] = [];
  const admit = (port: number, protocol: string) => {
    const key = `${protocol}/${port}`;
    if (!seen.has(key)) { seen.add(key); admitted.push({ port, protocol }); }
  };
  for (const p of ports) admit(p.port, p.protocol ?? 'TCP');
  for (const port of [STATUS_PORT.port, MERGED_METRICS_PORT, METRICS_PORT]) admit(port, 'TCP');
  admitted.sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol));
  return object(NETWORK_POLICY, meta(m.name, m.namespace, m.labels), {
    spec: {
      podSelector: { matchLabels: { ...m.selectorLabels } },
      policyTypes: ['Ingress'],
      ingress: [{ ports: admitted }],
    },
  });
}

/** The TenantGateway workload objects rendered above: kind, top-level fields and the annotations their metadata takes. */
const TENANT_OBJECTS = {
  ServiceAccount: { gvk: SERVICE_ACCOUNT, fields: [], annotations: (m: TenantWorkloadModel) => m.serviceAccountAnnotations },
  Role: { gvk: ROLE, fields: ['rules'] },
  RoleBinding: { gvk: ROLE_BINDING, fields: ['roleRef', 'subjects'] },
  Deployment: { gvk: DEPLOYMENT, fields: SPEC_ONLY },
  Service: { gvk: SERVICE, fields: SPEC_ONLY, annotations: (m: TenantWorkloadModel) => m.serviceAnnotations },
  HorizontalPodAutoscaler: { gvk: HORIZONTAL_POD_AUTOSCALER, fields: SPEC_ONLY },
  PodDisruptionBudget: { gvk: POD_DISRUPTION_BUDGET, fields: SPEC_ONLY },
  NetworkPolicy: { gvk: NETWORK_POLICY, fields: SPEC_ONLY },
} satisfies Record<string, { gvk: Gvk; fields: readonly string[]; annotations?: (m: TenantWorkloadModel) => Record<string, string> | undefined }>;

/**
 * The identity (see identity) of a TenantGateway's object of `kind` as renderServiceAccount,
 * renderRole, renderRoleBinding, renderDeployment, renderService, renderHorizontalPodAutoscaler and
 * renderPodDisruptionBudget and renderNetworkPolicy write it (all named after the gateway, in its namespace, with its labels).
 */
export function tenantObjectIdentity(kind: keyof typeof TENANT_OBJECTS, m: TenantWorkloadModel): KubeObject {
  const o: { gvk: Gvk; fields: readonly string[]; annotations?: (m: TenantWorkloadModel) => Record<string, string> | undefined } = TENANT_OBJECTS[kind];
  return identity(o.gvk, meta(m.name, m.namespace, m.labels, o.annotations?.(m)), o.fields);
}
