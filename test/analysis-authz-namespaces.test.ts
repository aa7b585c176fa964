// authz.AuthorizationPoliciesAnalyzer's source-namespace check (IST0101) answers each expression by a set
// lookup or a binary search instead of scanning every Namespace: the findings must be exactly those of
// the scan it replaced (Istio's matching: `*` any, `*suffix`, `prefix*`, else equal ignoring case).

import fc from 'fast-check';
import { analyze } from '../src/analysis';

type Obj = Record<string, unknown>;

/** The scan the analyzer did before (one namespace at a time), as the reference. */
function referenceMatches(ns: string, exp: string): boolean {
  if (exp === '*') return true;
  if (exp.startsWith('*')) return ns.endsWith(exp.slice(1));
  if (exp.endsWith('*')) return ns.startsWith(exp.slice(0, -1));
  return ns.toLowerCase() === exp.toLowerCase();
}

const namespace = (name: string): Obj => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const policy = (name: string, exps: string[], not: string[]): Obj => ({
  apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name, namespace: 'shop' },
  spec: { rules: [{ from: [{ source: { namespaces: exps, notNamespaces: not } }] }] },
});

function reported(names: string[], exps: string[], not: string[]): string[] {
  return analyze([...names.map(namespace), policy('p', exps, not)], { analyzers: ['authz.AuthorizationPoliciesAnalyzer'] })
    .filter((d) => d.code === 'IST0101')
    .map((d) => d.message.slice(0, d.message.indexOf('.')))
    .sort();
}

function expected(names: string[], exps: string[], not: string[]): string[] {
  // The index keeps one Namespace per name and skips Kubernetes' system namespaces.
  const kept = [...new Set(names)].filter((n) => n !== '' && !['kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage'].includes(n));
  return [...exps, ...not].filter((e) => !kept.some((n) => referenceMatches(n, e))).map((e) => `Referenced namespace not found: ${JSON.stringify(e)}`).sort();
}

describe('AuthorizationPolicy source namespaces', () => {
  // Short strings over a small alphabet so that prefixes, suffixes and case variants meet often.
  const part = fc.string({ unit: fc.constantFrom('a', 'b', 'A', 'é', '-', '\ud83d\ude00'), maxLength: 4 });
  const exp = fc.oneof(part, part.map((s) => `${s}*`), part.map((s) => `*${s}`), fc.constant('*'), fc.constant('**'), fc.constant(''));

  test('every expression is reported exactly when no Namespace matches it as the scan matched it', () => {
    fc.assert(fc.property(fc.array(part, { maxLength: 8 }), fc.array(exp, { maxLength: 6 }), fc.array(exp, { maxLength: 3 }), (names, random, not) => {
      // Expressions made from the names too (case flipped, cut to a prefix or a suffix), so that near misses meet.
      const exps = [...random, ...names.slice(0, 3).flatMap((n) => [n.toUpperCase(), n.toLowerCase(), `${n.slice(0, 2)}*`, `*${n.slice(-2)}`, `${n}x*`, `*x${n}`])];
      expect(reported(names, exps, not)).toEqual(expected(names, exps, not));
    }), { numRuns: 400 });
  });

  test('prefix, suffix and case on fixed names', () => {
    const names = ['payments', 'Payments-EU', 'orders'];
    expect(reported(names, ['pay*', 'PAY*', '*-EU', '*-eu', 'ORDERS', 'order', '*', '*s', 'x*'], [])).toEqual([
      'Referenced namespace not found: "*-eu"', 'Referenced namespace not found: "PAY*"',
      'Referenced namespace not found: "order"', 'Referenced namespace not found: "x*"',
    ]);
    // No Namespace at all: even `*` matches nothing.
    expect(reported([], ['*'], [])).toEqual(['Referenced namespace not found: "*"']);
  });

  test('2,000 namespaces whose 8,000 policies name their neighbours: each expression answered once', () => {
    const names = Array.from({ length: 2000 }, (_, i) => `team-${i}`);
    const objs: Obj[] = names.map(namespace);
    for (let i = 0; i < 8000; i++) {
      objs.push({ ...policy(`p${i}`, [`team-${(i + 1) % 2000}`, `team-${(i + 3) % 2000}`, `ghost-${i % 7}`, `team-${i % 50}*`], []), metadata: { name: `p${i}`, namespace: names[i % 2000] } });
    }
    const ds = analyze(objs, { analyzers: ['authz.AuthorizationPoliciesAnalyzer'] }).filter((d) => d.code === 'IST0101');
    expect(ds).toHaveLength(8000); // the ghost-N of each policy, nothing else
    expect(new Set(ds.map((d) => d.message.slice(0, d.message.indexOf('.'))))).toEqual(new Set(Array.from({ length: 7 }, (_, k) => `Referenced namespace not found: "ghost-${k}"`)));
  });

  test('selectors (IST0127) over many workloads answered as a scan of every in-mesh workload answers them', () => {
    const labelMap = fc.dictionary(fc.constantFrom('app', 'tier', 'v'), fc.constantFrom('a', 'b', 'c'), { maxKeys: 3 });
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.constantFrom('a', 'b'), labelMap), { minLength: 0, maxLength: 60, size: 'max' }),
      fc.array(fc.tuple(fc.constantFrom('a', 'b', 'istio-system'), labelMap), { minLength: 1, maxLength: 8 }),
      (workloads, policies) => {
        const objs: Obj[] = [namespace('a'), namespace('b'), namespace('istio-system')];
        for (const o of objs) (o.metadata as Obj).labels = { 'istio-injection': 'enabled' };
        workloads.forEach(([ns, labels], i) => objs.push({
          apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `d${i}`, namespace: ns },
          spec: { template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
        }));
        policies.forEach(([ns, matchLabels], i) => objs.push({
          apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: `p${i}`, namespace: ns }, spec: { selector: { matchLabels } },
        }));
        const matches = (sel: Record<string, string>, l: Record<string, string>) => Object.keys(sel).every((k) => l[k] === sel[k]);
        const want = policies.map(([ns, sel], i) => ({ ns, sel, i }))
          .filter(({ ns, sel }) => !workloads.some(([wns, l]) => (ns === 'istio-system' || wns === ns) && matches(sel, l)))
          .map(({ ns, i }) => `AuthorizationPolicy ${ns}/p${i}`).sort();
        const got = analyze(objs, { analyzers: ['authz.AuthorizationPoliciesAnalyzer'] }).filter((d) => d.code === 'IST0127').map((d) => d.origin).sort();
        expect(got).toEqual(want);
      }), { numRuns: 300 });
  });
});
