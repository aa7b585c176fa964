// authz.AuthorizationPoliciesAnalyzer (Istio 1.30, reported as auth.AuthorizationPoliciesAnalyzer): policies
// that select no workload in the mesh (IST0127) and source namespaces that match no Namespace (IST0101).

import { Labels, selectorMatches, selectorString } from '../labels';
import { MESSAGES } from '../messages';
import { isRecord, rec, recs, str, strMap, strs } from '../objects';
import { Analyzer } from './framework';
import { inMesh, podInAmbient, templateInMesh } from './in-mesh';

function namespaceMatches(ns: string, exp: string): boolean {
  if (exp === '*') return true;
  if (exp.startsWith('*')) return ns.endsWith(exp.slice(1));
  if (exp.endsWith('*')) return ns.startsWith(exp.slice(0, -1));
  return ns.toLowerCase() === exp.toLowerCase();
}

export const authorizationPoliciesAnalyzer: Analyzer = {
  name: 'authz.AuthorizationPoliciesAnalyzer',
  aliases: ['auth.AuthorizationPoliciesAnalyzer'],
  run(ctx) {
    // Only policies are reported on: without one, the mesh's workloads need not be listed.
    if (ctx.index.list('AuthorizationPolicy').length === 0) return;
    const rootNamespace = str(ctx.meshConfig.rootNamespace) || 'istio-system';
    // Labels of the workloads in the mesh, by namespace: Pods, and pod templates (before deploy there are no Pods).
    const meshLabels = new Map<string, Labels[]>();
    const add = (ns: string, labels: Labels) => meshLabels.set(ns, [...(meshLabels.get(ns) ?? []), labels]);
    for (const p of ctx.index.list('Pod')) {
      const spec = p.spec;
      if (inMesh(ctx.index, p.namespace, p.labels, p.annotations, [...recs(spec.containers), ...recs(spec.initContainers)])) add(p.namespace, p.labels);
      if (podInAmbient(p.annotations)) add(p.namespace, p.labels);
    }
    for (const type of ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'] as const) {
      for (const d of ctx.index.list(type)) {
        const meta = rec(rec(d.spec.template).metadata);
        const labels = strMap(meta.labels);
        if (templateInMesh(ctx.index, d.namespace, d.spec) || podInAmbient(strMap(meta.annotations))) add(d.namespace, labels);
      }
    }
    const namespaces = ctx.index.list('Namespace').map((n) => n.name);
    for (const ap of ctx.index.list('AuthorizationPolicy')) {
      const hasSelector = isRecord(ap.spec.selector);
      const selector = strMap(rec(ap.spec.selector).matchLabels);
      const hint = 'Fix: no Pod or pod template in the mesh carries these labels; correct spec.selector.matchLabels, '
        + 'or enable injection for the workload.';
      if (ap.namespace === rootNamespace) {
        if (hasSelector && ![...meshLabels.values()].some((list) => list.some((l) => selectorMatches(selector, l)))) {
          ctx.report(ap, MESSAGES.NoMatchingWorkloadsFound, [selectorString(selector)], hint);
        }
      } else if (!hasSelector) {
        if ((meshLabels.get(ap.namespace) ?? []).length === 0) {
          ctx.report(ap, MESSAGES.NoMatchingWorkloadsFound, [''], `Fix: namespace "${ap.namespace}" has no workload in the mesh for this policy to apply to.`);
        }
      } else if (!(meshLabels.get(ap.namespace) ?? []).some((l) => selectorMatches(selector, l))) {
        ctx.report(ap, MESSAGES.NoMatchingWorkloadsFound, [selectorString(selector)], hint);
      }
      for (const rule of recs(ap.spec.rules)) {
        for (const from of recs(rule.from)) {
          const source = rec(from.source);
          for (const exp of [...strs(source.namespaces), ...strs(source.notNamespaces)]) {
            if (namespaces.some((ns) => namespaceMatches(ns, exp))) continue;
            ctx.report(ap, MESSAGES.ReferencedResourceNotFound, ['namespace', exp],
              `Fix: no Namespace in the input matches "${exp}"; include the Namespace objects or correct the rule.`);
          }
        }
      }
    }
  },
};
