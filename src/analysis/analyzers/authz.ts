// authz.AuthorizationPoliciesAnalyzer (Istio 1.30, reported as auth.AuthorizationPoliciesAnalyzer): policies
// that select no workload in the mesh (IST0127) and source namespaces that match no Namespace (IST0101).

import { hasPrefix, reverse } from '../hosts';
import { Labels, pairKey, selectorMatches, selectorString } from '../labels';
import { MESSAGES } from '../messages';
import { isRecord, rec, recs, str, strMap, strs } from '../objects';
import { Analyzer } from './framework';
import { inMesh, podInAmbient, templateInMesh } from './in-mesh';

/**
 * Whether some Namespace matches a rule's source namespace as Istio matches it: `*` any, `*suffix`,
 * `prefix*`, else equal ignoring case. Each rule used to scan every Namespace (lower-casing each one):
 * policies x rules x namespaces, which grows with the square of a cluster (a dump of 2,000 namespaces
 * whose policies name their neighbours spent 0.65-0.8 s there). Now an exact name is a set lookup, a
 * prefix or suffix a binary search in the sorted names (or the sorted reversed names), and each
 * distinct expression is answered once.
 */
class NamespaceMatcher {
  private readonly answers = new Map<string, boolean>();
  private lower?: Set<string>;
  private sorted?: string[];
  private reversedSorted?: string[];

  constructor(private readonly names: readonly string[]) {}

  matches(exp: string): boolean {
    let a = this.answers.get(exp);
    if (a === undefined) this.answers.set(exp, a = this.find(exp));
    return a;
  }

  private find(exp: string): boolean {
    if (this.names.length === 0) return false;
    if (exp === '*') return true;
    if (exp.startsWith('*')) {
      this.reversedSorted ??= this.names.map(reverse).sort();
      return hasPrefix(this.reversedSorted, reverse(exp.slice(1)));
    }
    if (exp.endsWith('*')) {
      this.sorted ??= [...this.names].sort();
      return hasPrefix(this.sorted, exp.slice(0, -1));
    }
    this.lower ??= new Set(this.names.map((n) => n.toLowerCase()));
    return this.lower.has(exp.toLowerCase());
  }
}

/**
 * Labels of workloads in the mesh, and whether a selector matches one. Each policy in the root namespace
 * scanned every workload of the mesh (policies x workloads: 4,000 mesh-wide policies over 4,000
 * workloads took 0.66 s); past a few labels the smallest label-pair bucket of the selector is scanned
 * instead (every workload in it carries that pair; the others are still checked).
 */
class LabelSets {
  private readonly list: Labels[] = [];
  private pairs?: Map<string, Labels[]>;

  add(labels: Labels): void {
    this.list.push(labels);
    if (this.pairs) addPairs(this.pairs, labels);
  }

  someMatch(selector: Labels): boolean {
    if (this.list.length <= 16) return this.list.some((l) => selectorMatches(selector, l));
    if (!this.pairs) {
      this.pairs = new Map();
      for (let i = 0; i < this.list.length; i++) addPairs(this.pairs, this.list[i]);
    }
    let best: Labels[] | undefined;
    for (const k in selector) {
      const bucket = this.pairs.get(pairKey(k, selector[k]));
      if (!bucket) return false;
      if (!best || bucket.length < best.length) best = bucket;
    }
    // An empty selector matches any labels.
    if (!best) return true;
    return best.some((l) => selectorMatches(selector, l));
  }
}

function addPairs(pairs: Map<string, Labels[]>, labels: Labels): void {
  for (const k in labels) {
    const pk = pairKey(k, labels[k]);
    const bucket = pairs.get(pk);
    if (bucket) bucket.push(labels);
    else pairs.set(pk, [labels]);
  }
}

export const authorizationPoliciesAnalyzer: Analyzer = {
  name: 'authz.AuthorizationPoliciesAnalyzer',
  aliases: ['auth.AuthorizationPoliciesAnalyzer'],
  run(ctx) {
    // Only policies are reported on: without one, the mesh's workloads need not be listed.
    if (ctx.index.list('AuthorizationPolicy').length === 0) return;
    const rootNamespace = str(ctx.meshConfig.rootNamespace) || 'istio-system';
    // Labels of the workloads in the mesh, by namespace: Pods, and pod templates (before deploy there are no Pods).
    const meshLabels = new Map<string, LabelSets>();
    const allMeshLabels = new LabelSets();
    // (Appended in place: a copy per workload was quadratic in the workloads of one namespace.)
    const add = (ns: string, labels: Labels): void => {
      let sets = meshLabels.get(ns);
      if (!sets) meshLabels.set(ns, sets = new LabelSets());
      sets.add(labels);
      allMeshLabels.add(labels);
    };
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
    const namespaces = new NamespaceMatcher(ctx.index.list('Namespace').map((n) => n.name));
    for (const ap of ctx.index.list('AuthorizationPolicy')) {
      const hasSelector = isRecord(ap.spec.selector);
      const selector = strMap(rec(ap.spec.selector).matchLabels);
      const hint = 'Fix: no Pod or pod template in the mesh carries these labels; correct spec.selector.matchLabels, '
        + 'or enable injection for the workload.';
      if (ap.namespace === rootNamespace) {
        if (hasSelector && !allMeshLabels.someMatch(selector)) {
          ctx.report(ap, MESSAGES.NoMatchingWorkloadsFound, [selectorString(selector)], hint);
        }
      } else if (!hasSelector) {
        if (!meshLabels.has(ap.namespace)) {
          ctx.report(ap, MESSAGES.NoMatchingWorkloadsFound, [''], `Fix: namespace "${ap.namespace}" has no workload in the mesh for this policy to apply to.`);
        }
      } else if (!(meshLabels.get(ap.namespace)?.someMatch(selector) ?? false)) {
        ctx.report(ap, MESSAGES.NoMatchingWorkloadsFound, [selectorString(selector)], hint);
      }
      for (const rule of recs(ap.spec.rules)) {
        for (const from of recs(rule.from)) {
          const source = rec(from.source);
          for (const exp of [...strs(source.namespaces), ...strs(source.notNamespaces)]) {
            if (namespaces.matches(exp)) continue;
            ctx.report(ap, MESSAGES.ReferencedResourceNotFound, ['namespace', exp],
              `Fix: no Namespace in the input matches "${exp}"; include the Namespace objects or correct the rule.`);
          }
        }
      }
    }
  },
};
