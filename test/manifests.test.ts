// One reading of Lists and one way of naming objects for every command. Before, the analyzer,
// the validator and the renderers each had a copy, and the copies disagreed on the cases below.
import { analyze, migrate, reviewChange, routingGraph, validateObjects } from '../src';
import { flattenLists, flattenObjects, isListObject, originOf } from '../src/manifests';

const svc = (name: string, ns = 'web') => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { selector: { app: name }, ports: [{ name: 'http', port: 80 }] } });
const vs = (name: string, host: string) => ({
  apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name, namespace: 'web' },
  spec: { hosts: [host], http: [{ route: [{ destination: { host } }] }] },
});

describe('flattenLists', () => {
  test('v1 List and any <Kind>List with items, nested, in order', () => {
    const input = [
      { apiVersion: 'v1', kind: 'List', items: [svc('a'), { apiVersion: 'v1', kind: 'ServiceList', items: [svc('b'), { kind: 'List', items: [svc('c')] }] }] },
      svc('d'),
      { apiVersion: 'networking.istio.io/v1', kind: 'VirtualServiceList', items: [vs('e', 'e')] },
    ];
    expect(flattenLists(input).map((o: any) => o.metadata.name)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  // The analyzer's copy dropped a `kind: List` without an items array: kubectl refuses such a
  // document, so it must reach the validator, not vanish.
  test.each([
    [{ apiVersion: 'v1', kind: 'List' }],
    [{ apiVersion: 'v1', kind: 'List', items: 'svc' }],
    [{ apiVersion: 'v1', kind: 'List', items: { a: 1 } }],
  ])('a List without an items array stays an object: %j', (list) => {
    expect(isListObject(list)).toBe(false);
    expect(flattenLists([list])).toEqual([list]);
    expect(flattenObjects([list])).toEqual([list]);
    expect(validateObjects([list]).errors.map((e) => e.origin)).toEqual(['List <unnamed #1>']);
  });

  test('an object of another kind with items is not a List', () => {
    const o = { apiVersion: 'example.com/v1', kind: 'Bucket', metadata: { name: 'b' }, items: [svc('x')] };
    expect(flattenLists([o])).toEqual([o]);
  });

  // The analyzer's copy dropped values that are not objects; the validator must report them.
  test('values that are not objects are kept by flattenLists, dropped by flattenObjects', () => {
    const input = [null, 'text', 3, [svc('a')], { kind: 'List', items: [null, svc('b')] }];
    expect(flattenLists(input)).toEqual([null, 'text', 3, [svc('a')], null, svc('b')]);
    expect(flattenObjects(input)).toEqual([svc('b')]);
    expect(validateObjects(input as object[]).errors.filter((e) => e.message.includes('not a Kubernetes object')).map((e) => e.origin))
      .toEqual(['<document #1>', '<document #2>', '<document #3>', '<document #4>', '<document #5>']);
  });

  test('every reader flattens a List the same way', () => {
    const list = { apiVersion: 'v1', kind: 'List', items: [svc('reviews'), vs('reviews', 'reviews'), vs('ghost', 'ghost')] };
    // analyze: the VirtualService inside the List is read (IST0101 for the missing host ghost).
    expect(analyze([list]).map((d) => `${d.code} ${d.origin}`)).toEqual(analyze(list.items).map((d) => `${d.code} ${d.origin}`));
    expect(analyze([list]).some((d) => d.code === 'IST0101' && d.origin === 'VirtualService web/ghost')).toBe(true);
    // graph: the routes of the List are drawn.
    expect(routingGraph([list]).nodes.map((n) => n.id).sort()).toEqual(routingGraph(list.items).nodes.map((n) => n.id).sort());
    expect(routingGraph([list]).nodes.length).toBeGreaterThan(0);
    // review: a List before and its items after are no change.
    expect(reviewChange([list], list.items).changes).toEqual([]);
    // migrate (before, it ignored a List given to migrate()): the VirtualService becomes an HTTPRoute.
    const gw = { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace: 'web' }, spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['shop.example.com'] }] } };
    const bound = { ...vs('shop', 'reviews'), spec: { hosts: ['shop.example.com'], gateways: ['gw'], http: [{ route: [{ destination: { host: 'reviews' } }] }] } };
    const direct = migrate([gw, bound, svc('reviews')]);
    const listed = migrate([{ apiVersion: 'v1', kind: 'List', items: [gw, bound, svc('reviews')] }]);
    expect(listed.objects).toEqual(direct.objects);
    expect(listed.objects.some((o) => o.kind === 'HTTPRoute')).toBe(true);
  });
});

describe('originOf', () => {
  test('Kind namespace/name, or Kind name without a namespace', () => {
    expect(originOf(svc('a'))).toBe('Service web/a');
    expect(originOf({ kind: 'Namespace', metadata: { name: 'web' } })).toBe('Namespace web');
    expect(originOf({ kind: 'Service', metadata: { name: 'a', namespace: '' } })).toBe('Service a');
  });

  // Where the renderers' copy printed "undefined" (or threw on null), and the validator's did not.
  test.each([
    [{ kind: 'Service', metadata: {} }, undefined, 'Service <unnamed>'],
    [{ kind: 'Service', metadata: {} }, 2, 'Service <unnamed #3>'],
    [{ kind: 'Pod', metadata: { generateName: 'job-' } }, undefined, 'Pod job-*'],
    [{ metadata: { name: 'a', namespace: 'web' } }, undefined, '<no kind> web/a'],
    [{ kind: 'Service', metadata: { name: 'a', namespace: 7 } }, undefined, 'Service a'],
    [{ kind: 'Service', metadata: 'a' }, 0, 'Service <unnamed #1>'],
    [null, 0, '<document #1>'],
    [[], undefined, '<document>'],
  ])('%j (index %s) is %s', (o, index, expected) => {
    expect(originOf(o, index)).toBe(expected);
  });

  test('migrate names an object without a name the same way', () => {
    const r = migrate([{ apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', metadata: { namespace: 'web' }, spec: {} }]);
    expect(r.problems).toEqual(['Sidecar web/<unnamed>: kind: Sidecar has no Gateway API counterpart that migrate writes']);
  });
});
