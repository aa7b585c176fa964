// Telemetry analyzers after istio/istio pkg/config/analysis/analyzers/telemetry: selectors that match no
// workload (IST0101), workloads selected by several Telemetries (IST0159), and several selector-less
// Telemetries in one namespace (IST0160).

import { isEmptySelector, selectorString } from '../labels';
import { MESSAGES } from '../messages';
import { isRecord, rec, recs, strMap } from '../objects';
import { Res, Workload } from '../resource-index';
import { Analyzer } from './framework';

export const telemetrySelectorAnalyzer: Analyzer = {
  name: 'telemetry.SelectorAnalyzer',
  run(ctx) {
    const byWorkload = new Map<Workload, Res[]>();
    const telemetries = ctx.index.list('Telemetry');
    for (let i = 0; i < telemetries.length; i++) {
      const t = telemetries[i];
      const selector = strMap(rec(t.spec.selector).matchLabels);
      if (isEmptySelector(selector)) continue;
      const workloads = ctx.index.selectWorkloads(selector, t.namespace);
      if (workloads.length === 0) {
        ctx.report(t, MESSAGES.ReferencedResourceNotFound, ['selector', selectorString(selector)],
          `Fix: no Pod or pod template in namespace "${t.namespace}" carries these labels (a Telemetry only selects workloads in its own namespace); `
          + 'correct spec.selector.matchLabels.');
        continue;
      }
      for (let j = 0; j < workloads.length; j++) {
        const list = byWorkload.get(workloads[j]);
        if (list) list.push(t);
        else byWorkload.set(workloads[j], [t]);
      }
    }
    for (const [w, list] of byWorkload) {
      if (list.length < 2) continue;
      const names = list.map((t) => t.name).sort();
      for (const t of list) {
        ctx.report(t, MESSAGES.ConflictingTelemetryWorkloadSelectors, [names, w.namespace, w.description],
          `Fix: make the selectors of ${names.join(', ')} disjoint, or merge them into one Telemetry.`);
      }
    }
  },
};

/** A Telemetry applies namespace-wide when it has neither a selector nor a targetRef. */
function isSelectorless(t: Res): boolean {
  return !isRecord(t.spec.selector) && !isRecord(t.spec.targetRef) && recs(t.spec.targetRefs).length === 0;
}

export const telemetryDefaultSelectorAnalyzer: Analyzer = {
  name: 'telemetry.DefaultSelectorAnalyzer',
  run(ctx) {
    const byNs = new Map<string, Res[]>();
    const telemetries = ctx.index.list('Telemetry');
    for (let i = 0; i < telemetries.length; i++) {
      const t = telemetries[i];
      if (!isSelectorless(t)) continue;
      const list = byNs.get(t.namespace);
      if (list) list.push(t);
      else byNs.set(t.namespace, [t]);
    }
    for (const [ns, list] of byNs) {
      if (list.length < 2) continue;
      const names = list.map((t) => t.name).sort();
      for (const t of list) {
        ctx.report(t, MESSAGES.MultipleTelemetriesWithoutWorkloadSelectors, [names, ns],
          `Fix: keep one namespace-wide Telemetry in "${ns}" (merge ${names.join(', ')}), and give the others a spec.selector.`);
      }
    }
  },
};
