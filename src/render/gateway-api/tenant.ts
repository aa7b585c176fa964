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
 * Strings that YAML writes plain (unquoted) wherever they stand as a value: names (a lowercase
 * letter, then letters and digits in hyphenated parts, such as `payments-gw`) and quantities
 * (digits and a unit: `100m`, `128Mi`). No YAML 1.2 core type (null, bool, int, float) reads such a
 * string, and it holds no indicator, space or line break.
 */
const PLAIN_NAME = /^(?:[a-z][a-z0-9]*(?:-[a-z0-9]+)+|[0-9]+(?:m|k|[KMGTPE]i?))$/;

/** A patch's text with its names cut out: the text between them, and which name goes in each cut. */
interface OptionsTemplate { readonly parts: readonly string[]; readonly slots: readonly number[] }

/**
 * `optionsYaml`, remembering what it wrote (kept by a front end per App). A patch equal to one
 * already written gets the same text. A patch that differs only in names and quantities (PLAIN_NAME
 * strings, such as the gateway's own name in its topology spread's selector) gets the text of the first patch of
 * its shape with its own names put in: each name is written as itself in the same place, so the text
 * is what `write` would write. The first patch of each shape is written both ways and compared; a
 * shape whose names cannot be cut out exactly is written whole every time. Keys tell apart
 * everything YAML writes differently: strings from numbers, -0, undefined, and an object met again
 * in one patch (written as an alias).
 */
export function optionsYamlWriter(write: (patch: unknown) => string = optionsYaml): (patch: unknown) => string {
  const texts = new Map<string, string>();
  const templates = new Map<string, OptionsTemplate | null>();
  return (patch) => {
    const names: string[] = [];
    const key = patchKey(patch, names);
    if (key === undefined || names.length === 0) {
      const exact = key ?? patchKey(patch)!;
      let text = texts.get(exact);
      if (text === undefined) texts.set(exact, text = write(patch));
      return text;
    }
    let template = templates.get(key);
    if (template === undefined) {
      const text = write(patch);
      template = templateOf(write, patch, names.length);
      if (template && fill(template, names) !== text) template = null;
      templates.set(key, template);
      if (!template) texts.set(patchKey(patch)!, text);
      return text;
    }
    if (template) return fill(template, names);
    const exact = patchKey(patch)!;
    let text = texts.get(exact);
    if (text === undefined) texts.set(exact, text = write(patch));
    return text;
  };
}

/**
 * The patch as a key: JSON with each primitive typed and each object met again named by its first
 * visit. With `names`, each PLAIN_NAME string is a slot (pushed to `names` in the order JSON meets
 * them), and the key is undefined for anything but plain data (whose copy in templateOf could differ).
 */
function patchKey(patch: unknown, names?: string[]): string | undefined {
  const seen = new Map<object, number>();
  let plain = true;
  const key = JSON.stringify(patch, function (this: unknown, k: string, value: unknown) {
    if (names && (this as Record<string, unknown>)[k] !== value) plain = false; // a toJSON result
    switch (typeof value) {
      case 'string':
        if (names && PLAIN_NAME.test(value)) {
          names.push(value);
          return 'v:';
        }
        return `s:${value}`;
      case 'number': return Object.is(value, -0) ? 'n:-0' : `n:${value}`;
      case 'boolean': return value;
      case 'undefined': return 'u:';
      case 'object': {
        if (value === null) return null;
        if (names && !isPlainContainer(value)) plain = false;
        const first = seen.get(value);
        if (first !== undefined) return `again:${first}`;
        seen.set(value, seen.size);
        return value;
      }
      default:
        plain = false;
        return `${typeof value}:${String(value)}`;
    }
  });
  return plain || !names ? key : undefined;
}

function isPlainContainer(value: object): boolean {
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The text of the patch with its i-th name replaced by a marker, cut at the markers; null if any marker is not found exactly once. */
function templateOf(write: (patch: unknown) => string, patch: unknown, count: number): OptionsTemplate | null {
  let next = 0;
  const copies = new Map<object, unknown>();
  const copy = (value: unknown): unknown => {
    if (typeof value === 'string') return PLAIN_NAME.test(value) ? `zq-${next++}-slot-qz` : value;
    if (typeof value !== 'object' || value === null) return value;
    const done = copies.get(value);
    if (done !== undefined) return done;
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      copies.set(value, out);
      for (const item of value) out.push(copy(item));
      return out;
    }
    const out: Record<string, unknown> = Object.getPrototypeOf(value) === null ? Object.create(null) : {};
    copies.set(value, out);
    for (const k of Object.keys(value)) out[k] = copy((value as Record<string, unknown>)[k]);
    return out;
  };
  const text = write(copy(patch));
  if (next !== count) return null;
  const cuts: { at: number; slot: number; length: number }[] = [];
  for (let slot = 0; slot < count; slot++) {
    const marker = `zq-${slot}-slot-qz`;
    const at = text.indexOf(marker);
    if (at < 0 || text.indexOf(marker, at + 1) >= 0) return null;
    cuts.push({ at, slot, length: marker.length });
  }
  cuts.sort((a, b) => a.at - b.at);
  const parts: string[] = [];
  let from = 0;
  for (const c of cuts) {
    parts.push(text.slice(from, c.at));
    from = c.at + c.length;
  }
  parts.push(text.slice(from));
  return { parts, slots: cuts.map((c) => c.slot) };
}

function fill(t: OptionsTemplate, names: readonly string[]): string {
  let out = t.parts[0];
  for (let i = 0; i < t.slots.length; i++) out += names[t.slots[i]] + t.parts[i + 1];
  return out;
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
