// The route models, called directly: where a route applies (binding), HttpRoute's forward,
// CanaryRoute's versions and rules, and the subset checks both canaries share. No cdk8s.
import {
  BoundGateway, CanaryRouteInput, checkDisjoint, destinationRuleSubsets, normalizeCanaryRoute, normalizeCanaryVersions, normalizeHttpForward,
  normalizeRouteBinding, normalizeSubset, normalizeVersionSelection, PLAIN_READERS, RouteBindingInput, RouteBindingModel,
} from '../src/model/routes';
import { checker, gatewayFacts, refusal } from './support/model';

const V1 = { subset: 'v1', labels: { version: 'v1' } };
const V2 = { subset: 'v2', labels: { version: 'v2' } };

/** Gateways by name: entries of `gateways` are looked up here, anything else is refused. */
function binding(props: RouteBindingInput, gateways: Record<string, BoundGateway> = {}, scopeNamespace?: string, destinationHost?: string): RouteBindingModel<BoundGateway> {
  const check = checker('HttpRoute');
  return normalizeRouteBinding(check, props, (prop, g) => gateways[g as string] ?? check.fail(prop, g, 'a gateway'), 'Web Route', { destinationHost, scopeNamespace: () => scopeNamespace });
}

describe('normalizeRouteBinding', () => {
  const edge = gatewayFacts({ ns: 'edge' });
  const k8s = { ...gatewayFacts({ ns: 'k8s', api: 'gateway-api' }), ref: 'k8s/gw' };

  test('a mesh route: no gateways, the id sanitized as name, the namespace of a fully qualified destination', () => {
    expect(binding({ hosts: ['reviews'] }, {}, 'charted', 'reviews.bookinfo.svc.cluster.local')).toEqual({
      hosts: ['reviews'], gateways: [], appliesToMesh: true, api: 'istio', routeName: 'web-route', namespace: 'bookinfo',
    });
  });

  test('the namespace falls back to the first gateway, then the chart, then default', () => {
    expect(binding({ hosts: ['a.example.com'], gateways: ['edge'] }, { edge }, 'charted', 'web.bookinfo.svc.cluster.local').namespace).toBe('edge');
    expect(binding({ hosts: ['reviews'] }, {}, 'charted').namespace).toBe('charted');
    expect(binding({ hosts: ['reviews'] }).namespace).toBe('default');
    expect(binding({ hosts: ['reviews'], namespace: 'given' }, {}, 'charted').namespace).toBe('given');
  });

  test('bound to gateways the route follows their API and applies to the mesh only with includeMesh', () => {
    const m = binding({ hosts: ['a.example.com'], gateways: ['k8s'] }, { k8s });
    expect([m.api, m.appliesToMesh, m.gateways]).toEqual(['gateway-api', false, [k8s]]);
    expect(binding({ hosts: ['a.example.com'], gateways: ['edge'], includeMesh: true }, { edge }).appliesToMesh).toBe(true);
  });

  test.each([
    ['a gateway listed twice', { hosts: ['a.example.com'], gateways: ['edge', 'edge'] }, 'gateways[1]', 'edge/gw', 'each gateway may be listed once'],
    ['includeMesh: false without gateways', { hosts: ['reviews'], includeMesh: false }, 'includeMesh', false, 'applying nowhere'],
    ['the host * in the mesh', { hosts: ['*'] }, 'hosts[0]', '*', 'Istio refuses the host "*"'],
    ['gateways of two APIs', { hosts: ['a.example.com'], gateways: ['edge', 'k8s'] }, 'gateways', ['edge/gw (istio)', 'k8s/gw (gateway-api)'], 'bind a route per API'],
    ['an api its gateways do not speak', { hosts: ['a.example.com'], gateways: ['edge'], api: 'gateway-api' as const }, 'api', 'gateway-api', "follows the API of its gateways ('istio')"],
    ['a Gateway API route for gateways and the mesh', { hosts: ['a.example.com'], gateways: ['k8s'], includeMesh: true }, 'includeMesh', true, 'declare a second route for the mesh'],
    ['something that is no gateway', { hosts: ['a.example.com'], gateways: ['nope'] }, 'gateways[0]', 'nope', 'a gateway'],
  ])('refuses %s', (_what, props, prop, value, expected) => {
    const e = refusal(() => binding(props as RouteBindingInput, { edge, k8s }));
    expect([e.construct, e.prop, e.value]).toEqual(["HttpRoute 'test/x'", prop, value]);
    expect(e.message).toContain(expected);
  });
});

describe('normalizeHttpForward', () => {
  const route = { appliesToMesh: false, gateways: [gatewayFacts()], namespace: 'payments' };

  test('one rule named forward, with the matches and options of the props', () => {
    const m = normalizeHttpForward(checker('HttpRoute'), { destination: { host: 'web', port: 80 }, match: [{ uri: { prefix: '/api' } }], timeout: '5s' }, route, PLAIN_READERS);
    expect(m.destination).toEqual({ host: 'web', port: 80 });
    expect(m.http).toEqual([{ name: 'forward', match: [{ uri: { kind: 'prefix', value: '/api' } }], route: [{ host: 'web', port: 80 }], timeout: '5s' }]);
  });

  test('refuses a destination that is a bound gateway\'s own Service', () => {
    const e = refusal(() => normalizeHttpForward(checker('HttpRoute'), { destination: { host: 'gw' } }, route, PLAIN_READERS));
    expect([e.prop, e.value]).toEqual(['destination.host', 'gw']);
  });
});

describe('normalizeCanaryRoute', () => {
  const mesh = { appliesToMesh: true, gateways: [], namespace: 'bookinfo', api: 'istio' as const };
  const props = (p: Partial<CanaryRouteInput> = {}): CanaryRouteInput => ({ destination: { host: 'reviews', port: 9080 }, stable: V1, canary: { ...V2, weight: 10 }, ...p });

  test("Istio's reviews canary: jason pinned to v2, then 90/10", () => {
    const m = normalizeCanaryRoute(checker('CanaryRoute'), props({ canary: { ...V2, weight: 10, match: [{ headers: { 'end-user': { exact: 'jason' } } }] } }), mesh, PLAIN_READERS);
    expect(m.http).toEqual([
      { name: 'canary', match: [{ headers: { 'end-user': { kind: 'exact', value: 'jason' } } }], route: [{ host: 'reviews', subset: 'v2', port: 9080, weight: 100 }] },
      { name: 'split', route: [{ host: 'reviews', subset: 'v1', port: 9080, weight: 90 }, { host: 'reviews', subset: 'v2', port: 9080, weight: 10 }] },
    ]);
    expect(m.destinationRuleNamespace).toBe('bookinfo');
    expect(destinationRuleSubsets(m.versions)).toEqual([{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }]);
  });

  test('refuses mirroring to a subset the DestinationRule does not define', () => {
    const e = refusal(() => normalizeCanaryRoute(checker('CanaryRoute'), props({ mirror: { host: 'reviews', subset: 'v3' } }), mesh, PLAIN_READERS));
    expect([e.prop, e.value]).toEqual(['mirror.subset', 'v3']);
    expect(e.message).toContain('defines only the subsets "v1" and "v2"');
  });

  test('refuses a traffic policy on a Gateway API route, with the route\'s own fix', () => {
    const e = refusal(() => normalizeCanaryRoute(checker('CanaryRoute'), props({ trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } }), { ...mesh, api: 'gateway-api' }, PLAIN_READERS));
    expect(e.prop).toBe('trafficPolicy');
    expect(e.message).toContain('(or keep a DestinationRule of your own for the host), or use api \'istio\'');
  });
});

describe('subsets', () => {
  test('normalizeSubset: the name, the labels and the prop they came from', () => {
    expect(normalizeSubset(checker(), 'stable', V1, ['subset', 'labels'], PLAIN_READERS)).toEqual({ subset: 'v1', labels: { version: 'v1' }, labelsProp: 'stable.labels' });
  });

  test('normalizeSubset reads a workload through the readers', () => {
    const readers = { ...PLAIN_READERS, workloadLabels: () => ({ app: 'reviews', version: 'v2' }) };
    expect(normalizeSubset(checker(), 'canary', { subset: 'v2', workload: {} as never }, ['subset', 'labels'], readers))
      .toEqual({ subset: 'v2', labels: { app: 'reviews', version: 'v2' }, labelsProp: 'canary.workload' });
  });

  test.each([
    ['a missing subset name', { labels: { version: 'v1' } }, 'stable.subset', undefined],
    ['labels and a workload', { subset: 'v1', labels: { version: 'v1' }, workload: {} }, 'stable.labels', { version: 'v1' }],
    ['no labels', { subset: 'v1' }, 'stable.labels', undefined],
    ['an unknown prop', { subset: 'v1', labels: { version: 'v1' }, weight: 3 }, 'stable.weight', 3],
  ])('normalizeSubset refuses %s', (_what, s, prop, value) => {
    const e = refusal(() => normalizeSubset(checker(), 'stable', s as never, ['subset', 'labels'], PLAIN_READERS));
    expect([e.prop, e.value]).toEqual([prop, value]);
  });

  test('checkDisjoint accepts labels that tell the versions apart, and refuses either one selecting the other', () => {
    const m = (labels: Record<string, string>, labelsProp: string) => ({ subset: 'x', labels, labelsProp });
    expect(() => checkDisjoint(checker(), m({ version: 'v1' }, 'stable.labels'), m({ version: 'v2' }, 'canary.labels'))).not.toThrow();
    expect(refusal(() => checkDisjoint(checker(), m({ app: 'r' }, 'stable.labels'), m({ app: 'r', version: 'v2' }, 'canary.labels'))).message)
      .toContain('the stable subset would select canary pods too');
    expect(refusal(() => checkDisjoint(checker(), m({ app: 'r', version: 'v1' }, 'stable.labels'), m({ app: 'r' }, 'canary.workload'))).prop).toBe('canary.workload');
  });

  test('normalizeCanaryVersions names the weight\'s share in its refusal', () => {
    const e = refusal(() => normalizeCanaryVersions(checker(), { stable: V1, canary: { ...V2, weight: 'ten' as never } }, { canaryProps: ['weight'], share: 'the share' }, PLAIN_READERS));
    expect([e.prop, e.value]).toEqual(['canary.weight', 'ten']);
    expect(normalizeCanaryVersions(checker(), { stable: V1, canary: { ...V2, weight: 30 } }, { canaryProps: ['weight'], share: 'the share' }, PLAIN_READERS).weight).toBe(30);
  });

  test('normalizeVersionSelection keeps what applies to the API and refuses the rest', () => {
    const wording = { trafficPolicyFix: 'fix', gatewayApi: 'with api \'gateway-api\'' };
    expect(normalizeVersionSelection(checker(), {}, 'istio', wording)).toEqual({ api: 'istio' });
    expect(normalizeVersionSelection(checker(), { destinationSelector: { app: 'r' } }, 'gateway-api', wording)).toEqual({ api: 'gateway-api', destinationSelector: { app: 'r' } });
    expect(refusal(() => normalizeVersionSelection(checker(), { destinationSelector: {} }, 'gateway-api', wording)).prop).toBe('destinationSelector');
  });
});
