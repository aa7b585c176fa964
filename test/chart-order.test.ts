// dependencyOrder lists a chart's constructs exactly as cdk8s's DependencyGraph topology does.
import { ApiObject, App, Chart, DependencyGraph } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import * as fc from 'fast-check';
import { dependencyOrder } from '../src/cdk8s/chart-order';

/** An App of charts (ids from `chartIds`) with nested constructs and ApiObjects, and dependencies between any two of them. */
function build(shape: { chartIds: string[]; parents: number[]; kinds: boolean[]; deps: [number, number][]; acyclic: boolean }): { app: App; nodes: IConstruct[] } {
  const app = new App();
  const nodes: IConstruct[] = shape.chartIds.map((id) => new Chart(app, id));
  shape.parents.forEach((p, i) => {
    const scope = nodes[p % nodes.length];
    nodes.push(shape.kinds[i] ? new ApiObject(scope, `o${i}`, { apiVersion: 'v1', kind: 'ConfigMap' }) : new Construct(scope, `c${i}`));
  });
  for (const [a, b] of shape.deps) {
    const [i, j] = [a % nodes.length, b % nodes.length];
    // acyclic: each construct depends only on constructs made before it
    if (!shape.acyclic) nodes[i].node.addDependency(nodes[j]);
    else if (i !== j) nodes[Math.max(i, j)].node.addDependency(nodes[Math.min(i, j)]);
  }
  return { app, nodes };
}

const paths = (xs: readonly IConstruct[] | undefined) => xs?.map((x) => x.node.path);

/** cdk8s's order of `root`, or 'throws' (a cycle it detects, or its recursion on one). */
function cdk8sOrder(root: IConstruct): string[] | 'throws' {
  try {
    return paths(new DependencyGraph(root.node).topology())!;
  } catch {
    return 'throws';
  }
}

const shapes = (acyclic: boolean) => fc.record({
  chartIds: fc.uniqueArray(fc.constantFrom('a', 'b', '2', '10', '0', 'web'), { minLength: 1, maxLength: 3 }),
  parents: fc.array(fc.nat(40), { maxLength: 30 }),
  kinds: fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }),
  deps: fc.array(fc.tuple(fc.nat(40), fc.nat(40)), { maxLength: 25 }),
}).map((s) => ({
  ...s,
  parents: s.parents.map((p, i) => p % (s.chartIds.length + i)), // each construct's parent made before it
  acyclic,
}));

test('without cycles: the same constructs in the same order as cdk8s, for every chart and the App', () => {
  fc.assert(fc.property(shapes(true), (shape) => {
    const { app } = build(shape);
    for (const root of [...app.node.children, app]) {
      const ours = dependencyOrder(root);
      expect(ours).toBeDefined();
      expect(paths(ours)).toEqual(cdk8sOrder(root));
    }
  }), { numRuns: 400 });
});

test('with any dependencies: the same order as cdk8s, or undefined when there is a cycle (cdk8s then decides)', () => {
  let cycles = 0;
  fc.assert(fc.property(shapes(false), (shape) => {
    const { app } = build(shape);
    for (const root of [...app.node.children, app]) {
      const ours = dependencyOrder(root);
      if (ours === undefined) cycles++;
      else expect(paths(ours)).toEqual(cdk8sOrder(root));
    }
  }), { numRuns: 400 });
  expect(cycles).toBeGreaterThan(0);
});

test('a dependency outside the subtree is left out; one on itself or a cycle gives undefined', () => {
  const app = new App();
  const a = new Chart(app, 'a');
  const b = new Chart(app, 'b');
  const x = new ApiObject(a, 'x', { apiVersion: 'v1', kind: 'ConfigMap' });
  const y = new ApiObject(a, 'y', { apiVersion: 'v1', kind: 'ConfigMap' });
  const z = new ApiObject(b, 'z', { apiVersion: 'v1', kind: 'ConfigMap' });
  x.node.addDependency(y, z);
  expect(paths(dependencyOrder(a))).toEqual(['a', 'a/y', 'a/x']);
  expect(paths(dependencyOrder(a))).toEqual(cdk8sOrder(a));
  y.node.addDependency(x);
  expect(dependencyOrder(a)).toBeUndefined();
  expect(cdk8sOrder(a)).toBe('throws');
  const c = new Chart(app, 'c');
  const self = new ApiObject(c, 's', { apiVersion: 'v1', kind: 'ConfigMap' });
  self.node.addDependency(self);
  expect(dependencyOrder(c)).toBeUndefined();
});

test('a dependency on a construct taken out of the tree is found by its path, as cdk8s finds it', () => {
  const app = new App();
  const a = new Chart(app, 'a');
  const x = new ApiObject(a, 'x', { apiVersion: 'v1', kind: 'ConfigMap' });
  new ApiObject(a, 'w', { apiVersion: 'v1', kind: 'ConfigMap' });
  const old = new ApiObject(a, 'y', { apiVersion: 'v1', kind: 'ConfigMap' });
  x.node.addDependency(old);
  a.node.tryRemoveChild('y');
  new ApiObject(a, 'y', { apiVersion: 'v1', kind: 'ConfigMap' }); // the same path 'a/y'
  expect(cdk8sOrder(a)).toEqual(['a', 'a/y', 'a/x', 'a/w']);
  expect(paths(dependencyOrder(a))).toEqual(cdk8sOrder(a));
  expect(paths(dependencyOrder(app))).toEqual(cdk8sOrder(app));
});
