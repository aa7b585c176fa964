// A TenantGateway in the Gateway API flavour: Istio deploys the gateway itself ("automated
// deployment", objects named `<gateway>-istio`), customized through `spec.infrastructure` and a
// ConfigMap of patches in the form Istio documents (keys deployment, service,
// horizontalPodAutoscaler, podDisruptionBudget). What Istio does not generate is rendered here.
import type * as Yaml from 'yaml';
import { CONFIG_MAP, ROLE_BINDING } from '../api-versions';
import { GATEWAY_NAME_LABEL, generatedName } from '../../model/gateway';
import { TenantWorkloadModel } from '../../model/tenant-gateway';
import { renderHorizontalPodAutoscaler, renderPodDisruptionBudget } from '../tenant-workload';
import { KubeObject, meta, object, sortedByKey } from '../objects';

/** Name of the ConfigMap the Gateway's `parametersRef` names. */
export function optionsConfigMapName(name: string): string { return `${name}-options`; }

/** `spec.infrastructure` of the Gateway. */
export function tenantInfrastructure(m: TenantWorkloadModel, userLabels: Record<string, string>): Record<string, unknown> {
  const infra: Record<string, unknown> = {};
  if (Object.keys(userLabels).length > 0) infra.labels = sortedByKey(userLabels);
  infra.parametersRef = { group: '', kind: 'ConfigMap', name: optionsConfigMapName(m.name) };
  return infra;
}


/**
 * The ConfigMap of patches Istio applies to the objects it generates. `data` is
 * {@link tenantOptionsData}'s (strings, so one result may serve every rendering of `m`).
 */
export function renderTenantOptions(m: TenantWorkloadModel, data: Readonly<Record<string, string>> = tenantOptionsData(m)): KubeObject {
  return { ...tenantOptionsIdentity(m), data: { ...data } };
}

/**
 * `yaml`, loaded when first needed: only the Gateway API flavour writes these patches, and a
 * process that writes none (the Istio API) need not load it.
 */
let yaml: typeof Yaml | undefined;

/** A patch of the options ConfigMap as YAML text. */
export function optionsYaml(patch: unknown): string {
  return (yaml ??= require('yaml') as typeof Yaml).stringify(patch, { lineWidth: 0 });
}

/**
 * The options ConfigMap's data: each generated object's patch as YAML text, written by `toYaml`
 * (a front end may reuse the text of equal patches: {@link optionsYaml} is pure).
 */
export function tenantOptionsData(m: TenantWorkloadModel, toYaml: (patch: unknown) => string = optionsYaml): Readonly<Record<string, string>> {
  const selector = { [GATEWAY_NAME_LABEL]: m.name };
  const podSpec: Record<string, unknown> = {
    terminationGracePeriodSeconds: m.terminationGracePeriodSeconds,
    containers: [{
      name: 'istio-proxy',
      resources: { requests: { ...m.resources.requests }, limits: { ...m.resources.limits } },
      ...(m.env.length > 0 ? { env: m.env.map((e) => ({ name: e.name, value: e.value })) } : {}),
    }],
  };
  if (Object.keys(m.nodeSelector).length > 0) podSpec.nodeSelector = sortedByKey(m.nodeSelector);
  if (m.tolerations.length > 0) podSpec.tolerations = m.tolerations.map((t) => ({ ...t }));
  if (m.topologySpread.length > 0) {
    podSpec.topologySpreadConstraints = m.topologySpread.map((t) => ({ maxSkew: t.maxSkew, topologyKey: t.topologyKey, whenUnsatisfiable: t.whenUnsatisfiable, labelSelector: { matchLabels: selector } }));
  }
  if (m.priorityClassName) podSpec.priorityClassName = m.priorityClassName;
  if (m.affinity) podSpec.affinity = JSON.parse(JSON.stringify(m.affinity));
  if (m.imagePullSecrets.length > 0) podSpec.imagePullSecrets = m.imagePullSecrets.map((name) => ({ name }));
  const template: Record<string, unknown> = { spec: podSpec };
  if (Object.keys(m.podAnnotations).length > 0) template.metadata = { annotations: sortedByKey(m.podAnnotations) };
  const deploymentSpec: Record<string, unknown> = { ...(m.autoscaling ? {} : { replicas: m.replicas ?? 1 }) };
  if (m.strategy) {
    const { type, maxSurge, maxUnavailable } = m.strategy;
    deploymentSpec.strategy = type === 'Recreate' ? { type } : { type, rollingUpdate: { ...(maxSurge !== undefined ? { maxSurge } : {}), ...(maxUnavailable !== undefined ? { maxUnavailable } : {}) } };
  }
  if (m.minReadySeconds !== undefined) deploymentSpec.minReadySeconds = m.minReadySeconds;
  deploymentSpec.template = template;
  const deployment: Record<string, unknown> = { spec: deploymentSpec };

  const serviceSpec: Record<string, unknown> = { type: m.serviceType };
  if (m.externalTrafficPolicy) serviceSpec.externalTrafficPolicy = m.externalTrafficPolicy;
  if (m.loadBalancerSourceRanges && m.loadBalancerSourceRanges.length > 0) serviceSpec.loadBalancerSourceRanges = [...m.loadBalancerSourceRanges];
  if (m.loadBalancerClass) serviceSpec.loadBalancerClass = m.loadBalancerClass;
  if (m.loadBalancerIP) serviceSpec.loadBalancerIP = m.loadBalancerIP;
  if (m.ipFamilies && m.ipFamilies.length > 0) serviceSpec.ipFamilies = [...m.ipFamilies];
  if (m.ipFamilyPolicy) serviceSpec.ipFamilyPolicy = m.ipFamilyPolicy;
  if (m.internalTrafficPolicy) serviceSpec.internalTrafficPolicy = m.internalTrafficPolicy;
  const service: Record<string, unknown> = { spec: serviceSpec };
  if (Object.keys(m.serviceAnnotations).length > 0) service.metadata = { annotations: sortedByKey(m.serviceAnnotations) };

  const data: Record<string, string> = {
    deployment: toYaml(deployment),
    service: toYaml(service),
  };
  // The same specs as the Istio flavour's objects, less what Istio sets itself (target, selector).
  if (m.autoscaling) {
    const { scaleTargetRef: _target, ...spec } = renderHorizontalPodAutoscaler(m, m.autoscaling).spec as Record<string, unknown>;
    data.horizontalPodAutoscaler = toYaml({ spec });
  }
  if (m.disruptionBudget) {
    const { selector: _selector, ...spec } = renderPodDisruptionBudget(m, m.disruptionBudget).spec as Record<string, unknown>;
    data.podDisruptionBudget = toYaml({ spec });
  }
  return data;
}

/**
 * The options ConfigMap's identity and fields, without the YAML of its data (which is what costs):
 * what its RenderedObject reads at construction.
 */
export function tenantOptionsIdentity(m: TenantWorkloadModel): KubeObject {
  return object(CONFIG_MAP, meta(optionsConfigMapName(m.name), m.namespace, m.labels), { data: {} });
}

/** The Secret-reading Role bound to the ServiceAccount Istio generates. */
export function renderGeneratedRoleBinding(m: TenantWorkloadModel): KubeObject {
  return object(ROLE_BINDING, meta(m.name, m.namespace, m.labels), {
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: m.name },
    subjects: [{ kind: 'ServiceAccount', name: generatedName(m.name), namespace: m.namespace }],
  });
}

/**
 * The pod Istio runs for Gateway `name` of class istio, labelled as Istio labels it: what the
 * analyzer is told exists (so a policy selecting it by labels is reported, IST0166).
 */
export function renderGeneratedPod(name: string, namespace: string, userLabels: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: `${generatedName(name)}-generated`, namespace, labels: { ...userLabels, [GATEWAY_NAME_LABEL]: name } },
    spec: { containers: [{ name: 'istio-proxy', image: 'auto' }] },
  };
}
