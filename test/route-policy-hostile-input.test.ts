// Hostile-input faults of the route and policy constructs (issue 11, item 11): each gives our
// error or valid output, never a TypeError or cdk8s's generic serialization failure.
import { stringify } from 'yaml';
import { AccessLogPolicy, CanaryRoute, HttpRoute, IstioGatewayError, StrictMtls } from '../src';
import { errorOf, find, newChart, synth } from './support/synth';
import { expectValid } from './support/validate-helper';

describe('route and policy faults found by hostile-input probing', () => {
  test.each(['headers', 'withoutHeaders', 'queryParams'] as const)('a %s entry with an undefined match is refused with our error, not a TypeError', (field) => {
    const { chart } = newChart();
    const e = errorOf(() => new HttpRoute(chart, 'r', { hosts: ['web'], destination: { host: 'web', port: 80 }, match: [{ [field]: { 'x-a': undefined as any } }] }));
    expect(e).toBeInstanceOf(IstioGatewayError);
    expect(e.message).toContain(`[HttpRoute 'test/r'] match[0].${field}['x-a']: invalid value undefined; expected a match such as { exact: "v" }`);
    const c = errorOf(() => new CanaryRoute(chart, 'c', {
      hosts: ['web'], destination: { host: 'web', port: 80 },
      stable: { subset: 'v1', labels: { version: 'v1' } }, canary: { subset: 'v2', labels: { version: 'v2' }, weight: 0, match: [{ [field]: { q: undefined as any } }] },
    }));
    expect(c.message).toContain(`[CanaryRoute 'test/c'] canary.match[0].${field}['q']: invalid value undefined`);
  });

  test('headers and query parameters named constructor or __proto__ reach the VirtualService', () => {
    const { chart } = newChart();
    const headers: Record<string, any> = { constructor: { exact: 'a' } };
    Object.defineProperty(headers, '__proto__', { value: { exact: 'b' }, enumerable: true });
    new CanaryRoute(chart, 'r', {
      hosts: ['web'], destination: { host: 'web', port: 80 },
      match: [{ headers }],
      stable: { subset: 'v1', labels: { version: 'v1' } },
      // merging the canary's match with the route's must not take Object's constructor for a header
      canary: { subset: 'v2', labels: { version: 'v2' }, weight: 10, match: [{ headers: { 'end-user': { exact: 'jason' } }, queryParams: { constructor: { exact: 'x' } } }] },
    });
    const objects = synth(chart);
    const vs = find(objects, 'VirtualService', 'r');
    const first = vs.spec.http[0].match[0];
    expect(Object.keys(first.headers)).toEqual(['__proto__', 'constructor', 'end-user']);
    expect(first.headers.constructor).toEqual({ exact: 'a' });
    expect(Object.getOwnPropertyDescriptor(first.headers, '__proto__')?.value).toEqual({ exact: 'b' });
    expect(first.queryParams).toEqual({ constructor: { exact: 'x' } });
    expect(stringify(vs)).toContain('__proto__:');
    expectValid(objects);
  });

  test('selector and label keys named constructor: StrictMtls, CanaryRoute subsets, AccessLogPolicy give valid output', () => {
    const { chart } = newChart();
    new StrictMtls(chart, 'm', { namespace: 'web', name: 'web', selector: { constructor: 'web' } });
    new CanaryRoute(chart, 'r', {
      hosts: ['web'], destination: { host: 'web', port: 80 },
      stable: { subset: 'v1', labels: { constructor: 'v1' } }, canary: { subset: 'v2', labels: { constructor: 'v2' }, weight: 5 },
    });
    new AccessLogPolicy(chart, 'logs', { namespace: 'web', selector: { constructor: 'web', app: 'web' } });
    const objects = synth(chart);
    expect(find(objects, 'PeerAuthentication', 'web').spec.selector).toEqual({ matchLabels: { constructor: 'web' } });
    expect(find(objects, 'DestinationRule', 'r').spec.subsets).toEqual([{ name: 'v1', labels: { constructor: 'v1' } }, { name: 'v2', labels: { constructor: 'v2' } }]);
    const telemetry = find(objects, 'Telemetry', 'logs');
    expect(telemetry.spec.selector).toEqual({ matchLabels: { app: 'web', constructor: 'web' } });
    expect(Object.keys(telemetry.spec.selector.matchLabels)).toEqual(['app', 'constructor']); // sorted as cdk8s sorts
    expectValid(objects);
  });

  test('a key named constructor between ordinary keys: every key before and after it is kept, sorted', () => {
    // RenderedObject copies a map only from the first key it renames (issue 16): the keys before
    // it must be carried into the copy, those after it too, and the untouched sibling maps reused.
    const { chart } = newChart();
    new AccessLogPolicy(chart, 'logs', { namespace: 'web', selector: { app: 'web', constructor: 'web', zone: 'a', tier: 'front' } });
    new StrictMtls(chart, 'm', { namespace: 'web', name: 'web', selector: { app: 'web', version: 'v1' } });
    const objects = synth(chart);
    const labels = find(objects, 'Telemetry', 'logs').spec.selector.matchLabels;
    expect(labels).toEqual({ app: 'web', constructor: 'web', tier: 'front', zone: 'a' });
    expect(Object.keys(labels)).toEqual(['app', 'constructor', 'tier', 'zone']);
    expect(find(objects, 'PeerAuthentication', 'web').spec.selector).toEqual({ matchLabels: { app: 'web', version: 'v1' } });
    expectValid(objects);
  });

  test('AccessLogPolicy providers: [undefined] is refused', () => {
    const { chart } = newChart();
    const e = errorOf(() => new AccessLogPolicy(chart, 'logs', { namespace: 'web', providers: [undefined as any] }));
    expect(e).toBeInstanceOf(IstioGatewayError);
    expect(e.message).toContain("[AccessLogPolicy 'test/logs'] providers[0]: invalid value undefined; this prop is required (a string)");
  });
});
