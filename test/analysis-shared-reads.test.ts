// The analyzer reads its input in place (lists are not copied, per-object results are shared by
// analyzers for one run): it must never change the input, never carry a result from one run into
// the next, and keep Istio's rules for duplicate identities.
import { analyze, Diagnostic } from '../src/analysis';
import { recs, strs } from '../src/analysis/objects';
import { ResourceIndex } from '../src/analysis/resource-index';
import {
  deployment, destinationRule, gateway, generatePlatform, Obj, pod, route, server, service, sharedIngress, virtualService,
} from './fixtures/analysis/builders';

const codes = (ds: Diagnostic[]): string[] => ds.map((d) => `${d.code} ${d.origin}`).sort();

describe('analyzer reads in place', () => {
  test('analyze() leaves its input and externals exactly as they were', () => {
    const { objects } = generatePlatform(5);
    const external = sharedIngress();
    const odd: Obj = virtualService('odd', 'apps', {
      hosts: ['a.example.com', 5, null], gateways: ['istio-system/ingress', {}],
      http: [null, { match: [{ uri: { prefix: '/' } }, { uri: { prefix: '/' } }], route: [route('web', { subset: 'v9' }), 'x'] }],
    });
    const input = [...objects, odd];
    const before = JSON.stringify([input, external]);
    const ds = analyze(input, { external });
    expect(ds.length).toBeGreaterThan(0);
    expect(JSON.stringify([input, external])).toBe(before);
  });

  test('recs/strs return the array itself only when every entry qualifies, else the qualifying entries', () => {
    const all = [{ a: 1 }, { b: 2 }];
    expect(recs(all)).toBe(all);
    expect(recs([{ a: 1 }, 'x', null, [1], { b: 2 }])).toEqual([{ a: 1 }, { b: 2 }]);
    expect(recs('nope')).toEqual([]);
    const hosts = ['a', 'b'];
    expect(strs(hosts)).toBe(hosts);
    expect(strs(['a', 1, undefined, 'b'])).toEqual(['a', 'b']);
    expect(strs(undefined)).toEqual([]);
  });

  test('nothing one run learns about an object (workloads a selector selects, destinations) leaks into the next run', () => {
    const gw = gateway('gw', 'istio-system', { istio: 'ingressgateway' }, [server(80, ['a.example.com'])]);
    const vs = virtualService('vs', 'apps', { hosts: ['a.example.com'], gateways: ['istio-system/gw'], http: [{ route: [route('web', { port: 80 })] }] });
    const web = service('web', 'apps', { app: 'web' }, [{ port: 80, name: 'http' }]);
    const objects = [gw, vs, web, deployment('web', 'apps', { app: 'web' }), ...sharedIngress()];
    expect(codes(analyze(objects))).toEqual([]);
    // Same objects, changed in place between runs.
    (gw.spec as any).selector = { istio: 'nothing-selects-this' };
    (vs.spec as any).http[0].route[0].destination.host = 'missing';
    expect(codes(analyze(objects))).toEqual(expect.arrayContaining([
      'IST0101 Gateway istio-system/gw', 'IST0101 VirtualService apps/vs',
    ]));
    (gw.spec as any).selector = { istio: 'ingressgateway' };
    (vs.spec as any).http[0].route[0].destination.host = 'web';
    expect(codes(analyze(objects))).toEqual([]);
  });

  test('one identity twice: the later object wins, listed where it appears; an input object replaces its external twin', () => {
    const a1 = service('a', 'ns', { app: 'a' }, [{ port: 1 }]);
    const b = service('b', 'ns', { app: 'b' }, [{ port: 2 }]);
    const a2 = service('a', 'ns', { app: 'a' }, [{ port: 3 }]);
    const c = service('c', 'ns', undefined, [{ port: 4 }]);
    const extC = service('c', 'ns', undefined, [{ port: 5 }]);
    const extD = service('d', 'ns', undefined, [{ port: 6 }]);
    const index = new ResourceIndex([a1, b, a2, c], [extC, extD]);
    expect(index.list('Service').map((r) => r.raw)).toEqual([extD, b, a2, c]);
    expect(index.get('Service', 'ns', 'a')!.raw).toBe(a2);
    expect(index.get('Service', 'ns', 'c')!.external).toBe(false);
    expect(index.get('Service', 'ns', 'd')!.external).toBe(true);
    expect(index.get('Service', 'other', 'a')).toBeUndefined();
    expect(index.get('Gateway', 'ns', 'a')).toBeUndefined();
    // A DestinationRule with the name of a Service is another identity.
    const dr = destinationRule('a', 'ns', 'a');
    expect(new ResourceIndex([a1, dr]).list('DestinationRule').map((r) => r.raw)).toEqual([dr]);
  });

  test('the same order and replacements with more inputs than are read before the externals (a List, a twin, a non-record far in)', () => {
    // The index reads some inputs, then the externals, then the rest: what it lists must not show it.
    const inputs: unknown[] = [];
    for (let i = 0; i < 150; i++) inputs.push(service(`s${i}`, 'ns', { app: `s${i}` }, [{ port: i + 1 }]));
    const twin = service('ext-1', 'ns', undefined, [{ port: 9 }]);
    const listed = service('in-list', 'ns', undefined, [{ port: 10 }]);
    inputs.splice(100, 0, twin, 'not an object', { apiVersion: 'v1', kind: 'List', items: [listed, 7] });
    const externals = [0, 1, 2].map((i) => service(`ext-${i}`, 'ns', undefined, [{ port: 100 + i }]));
    const index = new ResourceIndex(inputs, externals);
    const names = index.list('Service').map((r) => r.name);
    expect(names.slice(0, 2)).toEqual(['ext-0', 'ext-2']);
    expect(names.slice(2, 102)).toEqual(Array.from({ length: 100 }, (_, i) => `s${i}`));
    expect(names.slice(102, 104)).toEqual(['ext-1', 'in-list']);
    expect(names.slice(104)).toEqual(Array.from({ length: 50 }, (_, i) => `s${100 + i}`));
    expect(index.get('Service', 'ns', 'ext-1')!.raw).toBe(twin);
    expect(index.get('Service', 'ns', 'ext-1')!.external).toBe(false);
    expect(index.get('Service', 'ns', 'ext-2')!.external).toBe(true);
    expect(index.get('Service', 'ns', 's0')!.external).toBe(false);
  });

  test('route rules: one match is compared with nothing, two equal matches in one kind are IST0131, across kinds they are not', () => {
    const one = virtualService('one', 'apps', { hosts: ['x'], http: [{ match: [{ uri: { prefix: '/a' } }], route: [route('x')] }] });
    const twoHttp = virtualService('two', 'apps', {
      hosts: ['x'],
      http: [{ match: [{ port: 80 }], route: [route('x')] }, { match: [{ port: 80 }], route: [route('x')] }],
    });
    const acrossKinds = virtualService('across', 'apps', {
      hosts: ['x'], http: [{ match: [{ port: 80 }], route: [route('x')] }], tcp: [{ match: [{ port: 80 }], route: [route('x')] }],
    });
    const ds = analyze([one, twoHttp, acrossKinds], { analyzers: ['schema.ValidationAnalyzer.VirtualService'] });
    expect(codes(ds)).toEqual(['IST0130 VirtualService apps/two', 'IST0131 VirtualService apps/two']);
  });

  test('Gateways of many teams on one workload select it once per run, and each still reports its own missing Secret', () => {
    // Every team's Gateway in its own namespace on the shared ingress pods, each selector its own object;
    // one pod per team (as the constructs declare the shared workload for each of their gateways).
    const platform = (teams: number): Obj[] => Array.from({ length: teams }, (_, i) => [
      gateway('edge', `team-${i}`, { istio: 'ingressgateway' }, [server(443, [`web.team-${i}.example.com`], { mode: 'SIMPLE', credentialName: `team-${i}-cert` })]),
      pod(`ingress-${i}`, 'istio-system', { istio: 'ingressgateway' }),
    ]).flat();
    const selections = (objects: Obj[]): { count: number; ds: Diagnostic[] } => {
      const spy = jest.spyOn(ResourceIndex.prototype, 'selectWorkloads');
      try {
        const ds = analyze(objects, { analyzers: ['gateway.SecretAnalyzer', 'gateway.ConflictingGatewayAnalyzer'] });
        return { count: spy.mock.calls.filter(([, ns]) => ns === undefined).length, ds };
      } finally {
        spy.mockRestore();
      }
    };
    const small = selections(platform(3));
    const large = selections(platform(40));
    expect(large.count).toBe(small.count);
    expect(codes(large.ds)).toEqual(Array.from({ length: 40 }, (_, i) => `IST0101 Gateway team-${i}/edge`).sort());
    expect(large.ds.find((d) => d.origin === 'Gateway team-7/edge')!.message).toContain('team-7-cert');
  });
});
