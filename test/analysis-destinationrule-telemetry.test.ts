import { analyze, Diagnostic } from '../src/analysis';
import { deployment, destinationRule, Obj, pod, service, serviceEntry, telemetry } from './fixtures/analysis/builders';

const codes = (ds: Diagnostic[]): string[] => ds.map((d) => `${d.code} ${d.origin}`).sort();
const run = (analyzer: string, objects: Obj[], external: Obj[] = []): Diagnostic[] => analyze(objects, { analyzers: [analyzer], external });

describe('destinationrule.PodNotSelectedAnalyzer', () => {
  const A = 'destinationrule.PodNotSelectedAnalyzer';
  const svc = service('ratings', 'shop', { app: 'ratings' }, [{ port: 80 }]);
  const dr = (...versions: string[]): Obj =>
    destinationRule('ratings', 'shop', 'ratings', versions.map((v) => ({ name: v, labels: { version: v } })));

  test('a subset whose labels, with the Service selector, select no workload is IST0173', () => {
    const ds = run(A, [svc, dr('v1', 'v2'), pod('r1', 'shop', { app: 'ratings', version: 'v1' })]);
    expect(codes(ds)).toEqual(['IST0173 DestinationRule shop/ratings']);
    expect(ds[0].message).toContain('The Subset v2 defined in the DestinationRule does not select any pods.');
  });

  test('pod templates count, but only in the Service namespace and with the Service selector', () => {
    expect(codes(run(A, [svc, dr('v1'), deployment('r', 'shop', { app: 'ratings', version: 'v1' })]))).toEqual([]);
    expect(codes(run(A, [svc, dr('v1'), deployment('r', 'other', { app: 'ratings', version: 'v1' })])))
      .toEqual(['IST0173 DestinationRule shop/ratings']);
    expect(codes(run(A, [svc, dr('v1'), deployment('r', 'shop', { app: 'reviews', version: 'v1' })])))
      .toEqual(['IST0173 DestinationRule shop/ratings']);
  });

  test('a host that names no Service or ServiceEntry is IST0174', () => {
    const ds = run(A, [destinationRule('x', 'shop', 'nothing.shop.svc.cluster.local')]);
    expect(codes(ds)).toEqual(['IST0174 DestinationRule shop/x']);
    expect(ds[0].level).toBe('Warning');
  });

  test('a wildcard host is fine when it covers a visible service', () => {
    expect(codes(run(A, [svc, destinationRule('all', 'istio-system', '*.local')]))).toEqual([]);
    expect(codes(run(A, [destinationRule('all', 'istio-system', '*.local')]))).toEqual(['IST0174 DestinationRule istio-system/all']);
  });

  test('Services without selector and ServiceEntries without workloadSelector are not checked for pods', () => {
    expect(codes(run(A, [service('ratings', 'shop', undefined, [{ port: 80 }]), dr('v1')]))).toEqual([]);
    expect(codes(run(A, [serviceEntry('ext', 'shop', { hosts: ['ratings.example'] }),
      destinationRule('ext', 'shop', 'ratings.example', [{ name: 'a', labels: { x: 'y' } }])]))).toEqual([]);
    const withSelector = serviceEntry('vm', 'shop', { hosts: ['vm.example'], workloadSelector: { labels: { app: 'vm' } } });
    expect(codes(run(A, [withSelector, destinationRule('vm', 'shop', 'vm.example', [{ name: 'a', labels: { v: '1' } }])])))
      .toEqual(['IST0173 DestinationRule shop/vm']);
  });

  test('an external Service without selector proves the host only', () => {
    expect(codes(run(A, [dr('v1')], [service('ratings', 'shop', undefined, [{ port: 80 }])]))).toEqual([]);
    expect(codes(run(A, [dr('v1')], [service('ratings', 'shop', { app: 'ratings' }, [{ port: 80 }])])))
      .toEqual(['IST0173 DestinationRule shop/ratings']);
  });

  test('node topology labels of the pod node can be selected; empty node labels cannot', () => {
    const node: Obj = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: { 'topology.kubernetes.io/region': 'eu', 'topology.kubernetes.io/zone': '' } } };
    const p = pod('r1', 'shop', { app: 'ratings' }, { nodeName: 'n1' });
    const topo = (labels: Record<string, string>): Obj => destinationRule('ratings', 'shop', 'ratings', [{ name: 's', labels }]);
    expect(codes(run(A, [svc, node, p, topo({ 'topology.kubernetes.io/region': 'eu' })]))).toEqual([]);
    expect(codes(run(A, [svc, node, p, topo({ 'kubernetes.io/hostname': 'n1' })]))).toEqual([]);
    expect(codes(run(A, [svc, node, p, topo({ 'topology.kubernetes.io/zone': '' })]))).toEqual(['IST0173 DestinationRule shop/ratings']);
    expect(codes(run(A, [svc, node, p, topo({ 'topology.kubernetes.io/region': 'us' })]))).toEqual(['IST0173 DestinationRule shop/ratings']);
    // A pod template has no node yet: a non-empty topology value may be satisfied at run time.
    expect(codes(run(A, [svc, deployment('d', 'shop', { app: 'ratings' }), topo({ 'topology.kubernetes.io/region': 'us' })]))).toEqual([]);
  });
});

describe('telemetry.SelectorAnalyzer', () => {
  const A = 'telemetry.SelectorAnalyzer';
  const sel = (name: string, ns: string, labels: Record<string, string>): Obj => telemetry(name, ns, { selector: { matchLabels: labels } });

  test('a selector matching no workload in its namespace is IST0101', () => {
    const ds = run(A, [pod('p', 'other', { app: 'a' }), sel('t', 'web', { app: 'a' })]);
    expect(codes(ds)).toEqual(['IST0101 Telemetry web/t']);
  });

  test('two Telemetries selecting one workload are IST0159 on both, per workload', () => {
    const ds = run(A, [pod('p1', 'web', { app: 'a', tier: 'x' }), deployment('d', 'web', { app: 'a', tier: 'x' }),
      sel('t1', 'web', { app: 'a' }), sel('t2', 'web', { tier: 'x' }), sel('t3', 'web', { app: 'b' }), pod('p2', 'web', { app: 'b' })]);
    expect(codes(ds)).toEqual(['IST0159 Telemetry web/t1', 'IST0159 Telemetry web/t1', 'IST0159 Telemetry web/t2', 'IST0159 Telemetry web/t2']);
    expect(ds.map((d) => d.message)).toContainEqual(expect.stringContaining('The Telemetries [t1 t2] in namespace "web" select the same workload pod "Deployment/d"'));
  });

  test('Telemetries without selector are ignored here', () => {
    expect(codes(run(A, [telemetry('a', 'web'), telemetry('b', 'web')]))).toEqual([]);
  });
});

describe('telemetry.DefaultSelectorAnalyzer', () => {
  const A = 'telemetry.DefaultSelectorAnalyzer';

  test('more than one namespace-wide Telemetry in a namespace is IST0160 on each', () => {
    const ds = run(A, [telemetry('a', 'web'), telemetry('b', 'web'), telemetry('c', 'api'),
      telemetry('d', 'web', { selector: { matchLabels: { app: 'x' } } }), telemetry('e', 'web', { targetRefs: [{ kind: 'Gateway', name: 'g' }] })]);
    expect(codes(ds)).toEqual(['IST0160 Telemetry web/a', 'IST0160 Telemetry web/b']);
    expect(ds[0].message).toContain('The Telemetries [a b] in namespace "web" have no workload selector');
  });

  test('objects without namespace are in namespace default but print without it', () => {
    const ds = run(A, [telemetry('a', undefined), telemetry('b', 'default')]);
    expect(codes(ds)).toEqual(['IST0160 Telemetry a', 'IST0160 Telemetry default/b']);
  });
});
