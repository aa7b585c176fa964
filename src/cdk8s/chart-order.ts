// The constructs of a chart in the order cdk8s writes them, without cdk8s's DependencyGraph.
// cdk8s orders a chart by a graph of every construct under it (a vertex object with two Sets per
// construct, kept in an object keyed by path); a platform's chart holds twice as many constructs
// as objects, and that graph was the largest single cost a synthesis of ours paid beyond the floor's
// outside the synth check (docs/performance-history.md, "IngressGateway layouts, ninth round").

import { IConstruct } from 'constructs';

/**
 * What `new DependencyGraph(root.node).topology()` returns: every construct under `root` (itself
 * included; `all` is `root.node.findAll()`, or the same list made before), each after the
 * constructs it depends on. As there: vertices in pre-order, a dependency on a construct outside
 * `root` left out (looked up by path), the constructs nothing under `root` depends on taken in
 * pre-order, each listed after its dependencies, depth first, in the order they were added. Undefined when the dependencies form a cycle (including one that
 * cdk8s's own check misses): the caller then asks cdk8s, which reports it, or does what it does.
 */
export function dependencyOrder(root: IConstruct, all: readonly IConstruct[] = root.node.findAll()): IConstruct[] | undefined {
  const n = all.length;
  // cdk8s finds a dependency's vertex by path. Paths are unique in a tree, so a construct of the
  // tree is found by itself; only a dependency on a construct outside the tree (or one removed
  // from it) is looked up by path, as cdk8s does. Both are made on the first dependency: a tree
  // without any (a platform of every construct) needs neither.
  let index: Map<IConstruct, number> | undefined;
  let byPath: Map<string, number> | undefined;
  const positionOf = (c: IConstruct): number | undefined => {
    if (!index) {
      index = new Map();
      for (let i = 0; i < n; i++) index.set(all[i], i);
    }
    const j = index.get(c);
    if (j !== undefined) return j;
    if (!byPath) {
      byPath = new Map();
      for (let i = 0; i < n; i++) byPath.set(all[i].node.path, i);
    }
    return byPath.get(c.node.path);
  };
  // Only the constructs with dependencies get a list (most have none).
  const out: (number[] | undefined)[] = new Array(n);
  const depended = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const deps = all[i].node.dependencies;
    for (let k = 0; k < deps.length; k++) {
      const j = positionOf(deps[k]);
      if (j === undefined) continue;
      const list = out[i] ??= [];
      if (!list.includes(j)) list.push(j);
      depended[j] = 1;
    }
  }
  // 0: not yet, 1: on the current path (seen again: a cycle), 2: listed.
  const state = new Uint8Array(n);
  const order: IConstruct[] = [];
  let cycle = false;
  const visit = (v: number): void => {
    state[v] = 1;
    const list = out[v];
    if (list) {
      for (let k = 0; k < list.length && !cycle; k++) {
        const w = list[k];
        if (state[w] === 1) cycle = true;
        else if (state[w] === 0) visit(w);
      }
    }
    state[v] = 2;
    order.push(all[v]);
  };
  // cdk8s takes them in the order of its object's keys: paths that are array indices (only a
  // top-level construct's can be, e.g. a chart with id "2") first, ascending, then the others.
  const starts: number[] = [];
  let indices: number[] | undefined;
  for (let i = 0; i < n; i++) {
    if (depended[i]) continue;
    if (isArrayIndex(all[i].node.path)) (indices ??= []).push(i);
    else starts.push(i);
  }
  if (indices) starts.unshift(...indices.sort((a, b) => Number(all[a].node.path) - Number(all[b].node.path)));
  for (let i = 0; i < starts.length && !cycle; i++) if (state[starts[i]] === 0) visit(starts[i]);
  // In a graph without cycles every construct is reached from one nothing depends on.
  return cycle || order.length !== n ? undefined : order;
}

/** A property key JavaScript orders before the others: a canonical array index. */
function isArrayIndex(key: string): boolean {
  return key.length <= 10 && /^(?:0|[1-9][0-9]*)$/.test(key) && Number(key) < 4294967295;
}
