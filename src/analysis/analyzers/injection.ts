// Sidecar injection analyzers of Istio 1.30 (pkg/config/analysis/analyzers/injection): namespaces and pods
// that miss injection (IST0102, IST0103, IST0123, IST0148), proxies older than the injector's image
// (IST0158), and `image: auto` that no injector webhook will replace (IST0146, IST0147).

import type * as Yaml from 'yaml';
import { Labels, selectorMatches } from '../labels';
import { MESSAGES } from '../messages';
import { Dict, isRecord, rec, recs, str, strMap } from '../objects';
import { Res } from '../resource-index';
import { Analyzer } from './framework';
import { ASSUMED_INJECTOR_WEBHOOKS, istioWebhooks, labelSelectorMatches } from './label-selector';

const INJECTION_LABEL = 'istio-injection';
const REV_LABEL = 'istio.io/rev';
const DATAPLANE_MODE_LABEL = 'istio.io/dataplane-mode';
const INJECT_LABEL = 'sidecar.istio.io/inject';
const PROXY_NAME = 'istio-proxy';
const ISTIO_SYSTEM = 'istio-system';

function injectorConfigMapName(revision: string | undefined): string {
  return !revision || revision === 'default' ? 'istio-sidecar-injector' : `istio-sidecar-injector-${revision}`;
}

/** The injector ConfigMap's `values` JSON, or undefined when it is not JSON. */
function injectorValues(cm: Res): Dict | undefined {
  const values = rec(cm.raw.data).values;
  if (typeof values !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(values);
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function byName(list: readonly Res[]): Res[] {
  return [...list].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function containersOf(podSpec: Dict): Dict[] {
  return [...recs(podSpec.containers), ...recs(podSpec.initContainers)];
}

export const injectionAnalyzer: Analyzer = {
  name: 'injection.Analyzer',
  run(ctx) {
    // The first ConfigMap of each name, as a scan of the list would find it: one scan per namespace
    // was namespaces x ConfigMaps (25 million calls on a 45 MB dump of 3,500 namespaces).
    const firstConfigMap = new Map<string, Res>();
    for (const c of ctx.index.list('ConfigMap')) if (!firstConfigMap.has(c.name)) firstConfigMap.set(c.name, c);
    // Istio keeps the last value read across namespaces; namespaces are visited in name order.
    let enableNamespacesByDefault = false;
    const injected = new Set<string>();
    for (const ns of byName(ctx.index.list('Namespace'))) {
      if (ns.name === ISTIO_SYSTEM) continue;
      const hasInjection = INJECTION_LABEL in ns.labels;
      const injection = ns.labels[INJECTION_LABEL];
      const hasRev = REV_LABEL in ns.labels;
      const labels: string[] = [];
      if (hasInjection) labels.push(`${INJECTION_LABEL}=${injection}`);
      for (const l of [REV_LABEL, DATAPLANE_MODE_LABEL]) {
        if (l in ns.labels && (!hasInjection || injection === 'enabled')) labels.push(`${l}=${ns.labels[l]}`);
      }
      if (labels.length > 1) {
        ctx.report(ns, MESSAGES.NamespaceMultipleInjectionLabels, [labels],
          `Fix: keep one of ${labels.join(', ')} on namespace ${ns.name}.`);
      }
      if (ns.labels[DATAPLANE_MODE_LABEL] === 'ambient') continue;
      const cm = firstConfigMap.get(injectorConfigMapName(ns.labels[REV_LABEL]));
      if (cm) {
        const v = rec(injectorValues(cm)?.sidecarInjectorWebhook).enableNamespacesByDefault;
        enableNamespacesByDefault = v === true;
      }
      if (!injection && !hasRev) {
        if (enableNamespacesByDefault) {
          ctx.report(ns, MESSAGES.NamespaceInjectionEnabledByDefault, [],
            'Fix: label the namespace istio-injection=disabled if its pods must not get a sidecar.');
          continue;
        }
        ctx.report(ns, MESSAGES.NamespaceNotInjected, [ns.name, ns.name],
          'Fix: label it; Istio\'s gateways and sidecars there need injection (or pod-level sidecar.istio.io/inject).');
        continue;
      }
      if (injection === 'enabled') injected.add(ns.name);
    }
    for (const pod of ctx.index.list('Pod')) {
      if (!injected.has(pod.namespace)) continue;
      const inject = INJECT_LABEL in pod.labels ? pod.labels[INJECT_LABEL] : pod.annotations[INJECT_LABEL];
      if (inject !== undefined && inject.toLowerCase() === 'false') continue;
      if (pod.spec.hostNetwork === true) continue;
      const proxy = containersOf(pod.spec).find((c) => str(c.name) === PROXY_NAME);
      if (!proxy || !str(proxy.image)) {
        ctx.report(pod, MESSAGES.PodMissingProxy, [pod.fullName],
          'Fix: restart the workload (kubectl rollout restart) so the injector adds the proxy.');
      }
    }
  },
};

/** The proxy image an injector ConfigMap injects: global.proxy.image, or hub/image:tag. */
function injectorProxyImage(cm: Res): string {
  const global = rec(injectorValues(cm)?.global);
  const image = str(rec(global.proxy).image) ?? '';
  if (image.includes('/')) return image;
  return `${str(global.hub) ?? ''}/${image}:${str(global.tag) ?? ''}`;
}

/**
 * The proxy image variant (e.g. distroless) for a pod, most specific last: mesh config defaultConfig, the
 * ProxyConfig of the root namespace, of the pod's namespace, one selecting the pod, the pod's proxy.istio.io/config.
 */
function imageType(meshConfig: Dict, proxyConfigs: readonly Res[], pod: Res): string {
  let variant = str(rec(rec(meshConfig.defaultConfig).image).imageType) ?? '';
  const rootNamespace = str(meshConfig.rootNamespace) || 'istio-system';
  const typeOf = (pc: Res) => str(rec(pc.spec.image).imageType) || undefined;
  for (const pc of proxyConfigs) if (pc.namespace === rootNamespace) variant = typeOf(pc) ?? variant;
  for (const pc of proxyConfigs) {
    if (pc.namespace !== rootNamespace && pc.namespace === pod.namespace && !isRecord(pc.spec.selector)) variant = typeOf(pc) ?? variant;
  }
  for (const pc of proxyConfigs) {
    if (pc.namespace === rootNamespace || pc.namespace !== pod.namespace || !isRecord(pc.spec.selector)) continue;
    if (selectorMatches(strMap(rec(pc.spec.selector).matchLabels), pod.labels)) variant = typeOf(pc) ?? variant;
  }
  const annotation = pod.annotations['proxy.istio.io/config'];
  if (annotation) {
    let parsed: unknown;
    try {
      // `yaml` is loaded only here, for the rare Pod with this annotation (a tenth of the CLI's start-up otherwise).
      parsed = (require('yaml') as typeof Yaml).parse(annotation);
    } catch {
      parsed = undefined; // istiod ignores an unparsable annotation here too
    }
    variant = str(rec(rec(parsed).image).imageType) || variant;
  }
  return variant === 'default' ? '' : variant;
}

export const imageAnalyzer: Analyzer = {
  name: 'injection.ImageAnalyzer',
  run(ctx) {
    const proxyImages = new Map<string, string>();
    for (const cm of ctx.index.list('ConfigMap')) {
      if (cm.name.startsWith('istio-sidecar-injector')) proxyImages.set(cm.name, injectorProxyImage(cm));
    }
    if (proxyImages.size === 0) return;
    const revisionOf = new Map<string, string>();
    const namespaces = new Map<string, Res>();
    for (const ns of ctx.index.list('Namespace')) {
      namespaces.set(ns.name, ns);
      if (REV_LABEL in ns.labels) revisionOf.set(ns.name, ns.labels[REV_LABEL]);
      else if (ns.labels[INJECTION_LABEL] === 'enabled') revisionOf.set(ns.name, 'default');
    }
    const mismatched = new Map<string, string[]>();
    const proxyConfigs = ctx.index.list('ProxyConfig');
    for (const pod of ctx.index.list('Pod')) {
      const revision = revisionOf.get(pod.namespace);
      if (revision === undefined) continue;
      if (pod.annotations['sidecar.istio.io/proxyImage']) continue;
      const expected = proxyImages.get(injectorConfigMapName(revision));
      if (expected === undefined) continue;
      const variant = imageType(ctx.meshConfig, proxyConfigs, pod);
      for (const c of containersOf(pod.spec)) {
        if (str(c.name) !== PROXY_NAME) continue;
        const image = str(c.image) ?? '';
        if (image !== expected && image !== `${expected}-${variant}`) {
          const list = mismatched.get(pod.namespace) ?? [];
          list.push(pod.name);
          mismatched.set(pod.namespace, list);
        }
      }
    }
    for (const [ns, pods] of mismatched) {
      const res = namespaces.get(ns);
      if (!res) continue;
      pods.sort();
      ctx.report(res, MESSAGES.PodsIstioProxyImageMismatchInNamespace, [pods],
        `Fix: restart the pods (kubectl rollout restart) so that they get the injector's current proxy image.`);
    }
  },
};

function hasAutoImage(podSpec: Dict): boolean {
  return recs(podSpec.containers).some((c) => str(c.name) === PROXY_NAME && str(c.image) === 'auto');
}

export const imageAutoAnalyzer: Analyzer = {
  name: 'injection.ImageAutoAnalyzer',
  run(ctx) {
    const given = istioWebhooks(ctx.index.list('MutatingWebhookConfiguration'));
    // Offline the webhooks are usually not in the input: assume the istiod chart's (see docs/analyzers.md).
    const webhooks = given.length > 0 || ctx.index.list('MutatingWebhookConfiguration').length > 0 ? given : ASSUMED_INJECTOR_WEBHOOKS;
    for (const pod of ctx.index.list('Pod')) {
      if (!hasAutoImage(pod.spec)) continue;
      // A Pod still carrying `image: auto` was created without injection: it cannot start.
      ctx.report(pod, MESSAGES.ImageAutoWithoutInjectionError, ['Pod', pod.name],
        'Fix: enable injection for its namespace or pod (istio-injection=enabled, istio.io/rev or sidecar.istio.io/inject: "true") and recreate it.');
    }
    for (const d of ctx.index.list('Deployment')) {
      const template = rec(d.spec.template);
      if (!hasAutoImage(rec(template.spec))) continue;
      const nsLabels: Labels = ctx.index.get('Namespace', '', d.namespace)?.labels ?? Object.create(null);
      const podLabels = strMap(rec(template.metadata).labels);
      const injected = webhooks.some((w) => labelSelectorMatches(w.namespaceSelector, nsLabels) && labelSelectorMatches(w.objectSelector, podLabels));
      if (injected) continue;
      ctx.report(d, MESSAGES.ImageAutoWithoutInjectionWarning, ['Deployment', d.name],
        'Fix: label the pod template sidecar.istio.io/inject: "true" (or istio.io/rev: <revision>) and make sure its namespace '
        + 'is not labelled istio-injection=disabled; without injection the `auto` image cannot be pulled.');
    }
  },
};
