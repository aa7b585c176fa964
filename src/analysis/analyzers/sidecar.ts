// sidecar.SelectorAnalyzer (Istio 1.30): Sidecar selectors that match no pod (IST0101), pods selected by
// several Sidecars (IST0110), several selector-less Sidecars in one namespace (IST0111), and Sidecars
// that cannot apply because the workload or namespace is in ambient mode (IST0167).

import { isEmptySelector, selectorString } from '../labels';
import { MESSAGES } from '../messages';
import { rec, strMap } from '../objects';
import { Res, Workload } from '../resource-index';
import { Analyzer } from './framework';
import { podInAmbient, podsOrTemplates } from './in-mesh';

function namespaceInAmbient(ns: Res | undefined): boolean {
  if (!ns) return false;
  if (ns.labels['istio-injection'] === 'enabled') return false;
  if (ns.labels['istio.io/rev']) return false;
  return ns.labels['istio.io/dataplane-mode'] === 'ambient';
}

export const sidecarSelectorAnalyzer: Analyzer = {
  name: 'sidecar.SelectorAnalyzer',
  run(ctx) {
    const podSidecars = new Map<Workload, Res[]>();
    const nsSidecars = new Map<string, Res[]>();
    for (const sc of ctx.index.list('Sidecar')) {
      const selector = strMap(rec(sc.spec.workloadSelector).labels);
      if (isEmptySelector(selector)) {
        push(nsSidecars, sc.namespace, sc);
        continue;
      }
      // Pods, or (before deploy, when no Pod matches) the pod templates of controllers.
      const matched = podsOrTemplates(ctx.index, selector, sc.namespace);
      if (matched.length === 0) {
        ctx.report(sc, MESSAGES.ReferencedResourceNotFound, ['selector', selectorString(selector)],
          `Fix: no Pod or pod template in namespace "${sc.namespace}" carries these labels; correct spec.workloadSelector.labels.`);
        continue;
      }
      for (const p of matched) push(podSidecars, p, sc);
    }
    const reported = new Set<Res>();
    const ineffective = (sc: Res, reason: string) => {
      if (reported.has(sc)) return;
      reported.add(sc);
      ctx.report(sc, MESSAGES.IneffectivePolicy, [reason], 'Fix: remove it; Sidecar resources do not apply to ambient workloads (use a waypoint).');
    };
    for (const [pod, list] of podSidecars) {
      const ambient = podInAmbient(pod.res.type === 'Pod' ? pod.res.annotations : strMap(rec(rec(rec(pod.res.spec).template).metadata).annotations));
      if (list.length === 1 && !ambient) continue;
      const names = list.map((s) => s.name).sort();
      const fix = `Fix: make the selectors of ${names.join(', ')} disjoint, or merge them into one Sidecar.`;
      for (const sc of list) {
        if (ambient) {
          ineffective(sc, 'selected workload is in ambient mode, the policy has no impact');
          continue;
        }
        ctx.report(sc, MESSAGES.ConflictingSidecarWorkloadSelectors, [names, pod.namespace, pod.description], fix);
      }
    }
    for (const [ns, list] of nsSidecars) {
      if (namespaceInAmbient(ctx.index.get('Namespace', '', ns))) {
        for (const sc of list) ineffective(sc, 'namespace is in ambient mode, the policy has no impact');
        continue;
      }
      if (list.length < 2) continue;
      const names = list.map((s) => s.name).sort();
      const fix = `Fix: keep one selector-less Sidecar in namespace "${ns}" (merge ${names.join(', ')}), or give the others a workloadSelector.`;
      for (const sc of list) ctx.report(sc, MESSAGES.MultipleSidecarsWithoutWorkloadSelectors, [names, ns], fix);
    }
  },
};

/** Appends in place: a copy per Sidecar (`[...list, sc]`) was quadratic in the Sidecars of one pod or namespace. */
function push<K>(map: Map<K, Res[]>, k: K, sc: Res): void {
  const list = map.get(k);
  if (list) list.push(sc);
  else map.set(k, [sc]);
}
