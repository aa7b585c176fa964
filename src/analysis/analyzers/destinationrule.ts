// DestinationRule analyzer after istio/istio pkg/config/analysis/analyzers/destinationrule/subset.go:
// the host must name a known service (IST0174) and each subset must select some workload (IST0173).

import { isWildcard } from '../hosts';
import { Labels, mergeSelectors } from '../labels';
import { MESSAGES } from '../messages';
import { recs, str, strMap, strs } from '../objects';
import { originOfRes, ResourceIndex, Workload } from '../resource-index';
import { Analyzer } from './framework';

const LABEL_REGION = 'topology.kubernetes.io/region';
const LABEL_ZONE = 'topology.kubernetes.io/zone';
const LABEL_SUBZONE = 'topology.istio.io/subzone';
const LABEL_HOSTNAME = 'kubernetes.io/hostname';
/** Labels istiod adds to endpoints from the node a pod runs on; subsets may select on them. */
const TOPOLOGY_LABELS = new Set([LABEL_REGION, LABEL_ZONE, LABEL_SUBZONE, LABEL_HOSTNAME]);

/** Pod labels plus the node's topology labels, as istiod sees the endpoint (empty node values are not added). */
function endpointLabels(index: ResourceIndex, w: Workload): Labels {
  if (!w.nodeName) return w.labels;
  const node = index.nodeLabels(w.nodeName);
  if (!node) return w.labels;
  const out: Labels = Object.create(null);
  for (const k in w.labels) out[k] = w.labels[k];
  for (const k of [LABEL_REGION, LABEL_ZONE, LABEL_SUBZONE]) if (node[k]) out[k] = node[k];
  out[LABEL_HOSTNAME] = w.nodeName;
  return out;
}

/** Whether some workload in the namespace carries the selector's labels as an endpoint. */
function selectsSomething(index: ResourceIndex, selector: Labels, namespace: string): boolean {
  const podLabels: Labels = Object.create(null);
  const topology: Labels = Object.create(null);
  for (const k in selector) (TOPOLOGY_LABELS.has(k) ? topology : podLabels)[k] = selector[k];
  return index.someWorkload(podLabels, namespace, (w) => {
    if (w.res.type !== 'Pod') {
      // A pod template does not know its node yet: any non-empty topology value may be satisfied at run time.
      return Object.values(topology).every((v) => v !== '');
    }
    const labels = endpointLabels(index, w);
    for (const k in topology) if (labels[k] !== topology[k]) return false;
    return true;
  });
}

export const podNotSelectedAnalyzer: Analyzer = {
  name: 'destinationrule.PodNotSelectedAnalyzer',
  aliases: ['destinationrule.SubsetSelectPodAnalyzer'],
  run(ctx) {
    const index = ctx.index;
    for (const dr of index.list('DestinationRule')) {
      const host = str(dr.spec.host) ?? '';
      const entry = index.destinationHost(dr.namespace, strs(dr.spec.exportTo), host);
      if (!entry) {
        // A wildcard host (e.g. "*.local") is fine when it covers some visible service; its pods are not checked.
        if (isWildcard(host) && index.coversVisibleHost(dr.namespace, host)) continue;
        ctx.report(dr, MESSAGES.UnknownDestinationRuleHost, [host],
          `Fix: no Service or ServiceEntry visible from namespace "${dr.namespace}" has this host; use the Service name `
          + '(same namespace) or name.namespace.svc.cluster.local, or create the Service/ServiceEntry (or pass it with --external).');
        continue;
      }
      // Without a pod selector (a Service without selector, a ServiceEntry without workloadSelector) endpoints are not pods.
      if (!entry.podSelector) continue;
      for (const subset of recs(dr.spec.subsets)) {
        const name = str(subset.name) ?? '';
        const selector = mergeSelectors(entry.podSelector, strMap(subset.labels));
        if (selector && selectsSomething(index, selector, entry.res.namespace)) continue;
        ctx.report(dr, MESSAGES.DestinationRuleSubsetNotSelectPods, [name],
          `Fix: no Pod or pod template in namespace "${entry.res.namespace}" carries the labels of ${originOfRes(entry.res)}'s selector `
          + 'together with the subset labels; correct spec.subsets[].labels or the workload labels.');
      }
    }
  },
};
