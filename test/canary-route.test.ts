import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { CanaryRoute, CanaryRouteProps, IngressGateway, IstioGatewayError, SynthCheck, TenantGateway, TlsHost, TlsMode } from '../src';
import { all, errorOf, find, newChart, synth } from './support/synth';
import { expectValid } from './support/validate-helper';

const JASON = { headers: { 'end-user': { exact: 'jason' } } };

function base(extra: Partial<CanaryRouteProps> = {}): CanaryRouteProps {
  return {
    hosts: ['catalog'],
    destination: { host: 'catalog', port: 8080 },
    stable: { subset: 'blue', labels: { track: 'blue' } },
    canary: { subset: 'green', labels: { track: 'green' }, weight: 20 },
    namespace: 'shop',
    ...extra,
  };
}

function refused(props: CanaryRouteProps): IstioGatewayError {
  const { chart } = newChart();
  const e = errorOf(() => new CanaryRoute(chart, 'catalog', props));
  expect(e).toBeInstanceOf(IstioGatewayError);
  expect(e.message).toContain("CanaryRoute 'test/catalog'");
  return e as IstioGatewayError;
}

describe('CanaryRoute', () => {
  test('header-matched canary rule first, then the 80/20 split; both subsets with their labels; DR before VS', () => {
    const { chart } = newChart();
    new CanaryRoute(chart, 'catalog', base({ canary: { subset: 'green', labels: { track: 'green' }, weight: 20, match: [JASON] } }));
    const objects = synth(chart);
    const dr = find(objects, 'DestinationRule', 'catalog', 'shop');
    const vs = find(objects, 'VirtualService', 'catalog', 'shop');
    expect(dr.apiVersion).toBe('networking.istio.io/v1');
    expect(vs.apiVersion).toBe('networking.istio.io/v1');
    expect(dr.spec).toEqual({
      host: 'catalog',
      subsets: [{ name: 'blue', labels: { track: 'blue' } }, { name: 'green', labels: { track: 'green' } }],
    });
    expect(vs.spec.hosts).toEqual(['catalog']);
    expect(vs.spec.gateways).toBeUndefined();
    expect(vs.spec.http).toEqual([
      {
        name: 'canary',
        match: [{ headers: { 'end-user': { exact: 'jason' } } }],
        route: [{ destination: { host: 'catalog', subset: 'green', port: { number: 8080 } }, weight: 100 }],
      },
      {
        name: 'split',
        route: [
          { destination: { host: 'catalog', subset: 'blue', port: { number: 8080 } }, weight: 80 },
          { destination: { host: 'catalog', subset: 'green', port: { number: 8080 } }, weight: 20 },
        ],
      },
    ]);
    expect(objects.indexOf(dr)).toBeLessThan(objects.indexOf(vs));
    expectValid(objects);
  });

  test.each([0, 100])('weight %d keeps both destinations in the split (a weight change never restructures the route)', (weight) => {
    const { chart } = newChart();
    new CanaryRoute(chart, 'catalog', base({ canary: { subset: 'green', labels: { track: 'green' }, weight } }));
    const objects = synth(chart);
    const http = find(objects, 'VirtualService', 'catalog').spec.http;
    expect(http).toHaveLength(1);
    expect(http[0].route.map((r: any) => [r.destination.subset, r.weight])).toEqual([['blue', 100 - weight], ['green', weight]]);
    expectValid(objects);
  });

  test('mesh-only route without gateways and without namespace: chart namespace, else "default"', () => {
    const app = Testing.app();
    const inNs = new Chart(app, 'with-ns', { namespace: 'payments' });
    const plain = new Chart(app, 'plain');
    new CanaryRoute(inNs, 'ledger', { ...base(), namespace: undefined, hosts: ['ledger'], destination: { host: 'ledger' } });
    new CanaryRoute(plain, 'ledger', { ...base(), namespace: undefined, hosts: ['ledger'], destination: { host: 'ledger' } });
    const a = synth(inNs);
    const b = synth(plain);
    expect(find(a, 'VirtualService', 'ledger').metadata.namespace).toBe('payments');
    expect(find(a, 'DestinationRule', 'ledger').metadata.namespace).toBe('payments');
    expect(find(b, 'VirtualService', 'ledger').metadata.namespace).toBe('default');
    expect(find(b, 'VirtualService', 'ledger').spec.gateways).toBeUndefined();
    expect(find(b, 'VirtualService', 'ledger').spec.http[0].route[0].destination).toEqual({ host: 'ledger', subset: 'blue' });
    expectValid([...a, ...b]);
  });

  test('a fully qualified destination host puts the DestinationRule in the service namespace', () => {
    const { chart } = newChart();
    const gw = new IngressGateway(chart, 'edge', { namespace: 'edge' });
    gw.addHttpHosts(['shop.example.com']);
    new CanaryRoute(chart, 'catalog', {
      ...base({ namespace: undefined }),
      hosts: ['shop.example.com'],
      gateways: [gw],
      destination: { host: 'catalog.shop.svc.cluster.local', port: 8080 },
    });
    const objects = synth(chart);
    const dr = find(objects, 'DestinationRule', 'catalog');
    const vs = find(objects, 'VirtualService', 'catalog');
    expect(dr.metadata.namespace).toBe('shop');
    expect(dr.spec.host).toBe('catalog.shop.svc.cluster.local');
    expect(vs.metadata.namespace).toBe('edge'); // the first gateway's namespace
    expect(vs.spec.gateways).toEqual(['edge/edge']);
    expectValid(objects);
  });

  test('bound to gateways with includeMesh; ordered after a Gateway whose server is added later', () => {
    const { chart } = newChart();
    // The route's scope comes first in the construct tree, so only the dependency can order it last.
    const routes = new Construct(chart, 'routes');
    const gw = new TenantGateway(chart, 'web', { namespace: 'web' });
    const route = new CanaryRoute(routes, 'catalog', {
      ...base({ namespace: undefined }),
      hosts: ['catalog.example.com', 'catalog'],
      gateways: [gw],
      includeMesh: true,
    });
    // The gateway gets its first server only after the route exists.
    new TlsHost(chart, 'catalog-tls', { gateway: gw, hosts: ['catalog.example.com'], credentialName: 'catalog-cert' });
    const objects = synth(chart);
    const vs = find(objects, 'VirtualService', 'catalog', 'web');
    expect(vs.spec.gateways).toEqual(['web/web', 'mesh']);
    expect(vs.spec.hosts).toEqual(['catalog.example.com', 'catalog']);
    expect(objects.indexOf(find(objects, 'Gateway', 'web'))).toBeLessThan(objects.indexOf(vs));
    expect(route.appliesToMesh).toBe(true);
    expectValid(objects);
    expect(SynthCheck.of(chart).lastDiagnostics.filter((d) => d.level === 'Error')).toEqual([]);
  });

  test('route match AND canary match; fault only for matching requests keeps their routing; options on every rule', () => {
    const { chart } = newChart();
    new CanaryRoute(chart, 'catalog', base({
      match: [{ uri: { prefix: '/api' } }],
      canary: { subset: 'green', labels: { track: 'green' }, weight: 10, match: [JASON] },
      fault: { delay: { fixedDelay: '2s', percentage: 50 }, abort: { httpStatus: 503, percentage: 1.5 }, match: [{ headers: { 'x-chaos': { exact: 'on' } } }] },
      timeout: '10s',
      retries: { attempts: 3, perTryTimeout: '2s', retryOn: ['5xx', 'reset'] },
      mirror: { host: 'catalog', subset: 'green', percentage: 5 },
      trafficPolicy: {
        connectionPool: { tcp: { maxConnections: 100, connectTimeout: '1s' }, http: { http1MaxPendingRequests: 10, maxRetries: 3 } },
        outlierDetection: { consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 50 },
        loadBalancer: { consistentHash: { httpHeaderName: 'x-user' } },
        tls: { mode: 'ISTIO_MUTUAL' },
      },
    }));
    const objects = synth(chart);
    const http = find(objects, 'VirtualService', 'catalog').spec.http;
    expect(http.map((r: any) => r.name)).toEqual(['canary-fault', 'split-fault', 'canary', 'split']);
    const chaos = { 'x-chaos': { exact: 'on' } };
    expect(http[0].match).toEqual([{ uri: { prefix: '/api' }, headers: { 'end-user': { exact: 'jason' }, ...chaos } }]);
    expect(http[0].route.map((r: any) => r.destination.subset)).toEqual(['green']);
    expect(http[1].match).toEqual([{ uri: { prefix: '/api' }, headers: chaos }]);
    expect(http[1].route.map((r: any) => [r.destination.subset, r.weight])).toEqual([['blue', 90], ['green', 10]]);
    expect(http[2].match).toEqual([{ uri: { prefix: '/api' }, headers: { 'end-user': { exact: 'jason' } } }]);
    expect(http[3].match).toEqual([{ uri: { prefix: '/api' } }]);
    expect(http[0].fault).toEqual({ delay: { fixedDelay: '2s', percentage: { value: 50 } }, abort: { httpStatus: 503, percentage: { value: 1.5 } } });
    expect(http[2].fault).toBeUndefined();
    expect(http[3].fault).toBeUndefined();
    for (const r of http) {
      expect(r.timeout).toBe('10s');
      expect(r.retries).toEqual({ attempts: 3, perTryTimeout: '2s', retryOn: '5xx,reset' });
      expect(r.mirror).toEqual({ host: 'catalog', subset: 'green' });
      expect(r.mirrorPercentage).toEqual({ value: 5 });
    }
    const dr = find(objects, 'DestinationRule', 'catalog');
    expect(dr.spec.trafficPolicy).toEqual({
      connectionPool: { tcp: { maxConnections: 100, connectTimeout: '1s' }, http: { http1MaxPendingRequests: 10, maxRetries: 3 } },
      outlierDetection: { consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 50 },
      loadBalancer: { consistentHash: { httpHeaderName: 'x-user' } },
      tls: { mode: 'ISTIO_MUTUAL' },
    });
    expectValid(objects);
  });

  test('a fault without match applies to every rule', () => {
    const { chart } = newChart();
    new CanaryRoute(chart, 'catalog', base({ canary: { subset: 'green', labels: { track: 'green' }, weight: 5, match: [JASON] }, fault: { abort: { httpStatus: 500 } } }));
    const objects = synth(chart);
    const http = find(objects, 'VirtualService', 'catalog').spec.http;
    expect(http.map((r: any) => r.name)).toEqual(['canary', 'split']);
    for (const r of http) expect(r.fault).toEqual({ abort: { httpStatus: 500, percentage: { value: 100 } } });
    expectValid(objects);
  });

  test('the destination is declared to the analyzer as a Service without a selector', () => {
    const { chart } = newChart();
    const route = new CanaryRoute(chart, 'catalog', base());
    expect(route.externalObjects()).toEqual([
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'catalog', namespace: 'shop' }, spec: { ports: [{ name: 'tcp-8080', port: 8080, protocol: 'TCP', targetPort: 8080 }] } },
    ]);
    const objects = synth(chart);
    expect(SynthCheck.of(chart).lastDiagnostics.filter((d) => d.level === 'Error')).toEqual([]);
    expectValid(objects);
  });

  test('a mirror to another port of the destination host is declared to the analyzer too (regression)', () => {
    // found by test/properties-routes.test.ts: with destination { host: 'a.team-a.svc.cluster.local' } and
    // mirror { host: 'a.team-a.svc.cluster.local', port: 1 }, synthesis was refused (IST0101 "...:1")
    const { chart } = newChart();
    new CanaryRoute(chart, 'catalog', base({ mirror: { host: 'catalog', port: 9090 } }));
    const objects = synth(chart);
    expectValid(objects);
    expect(SynthCheck.of(chart).lastDiagnostics.filter((d) => d.level === 'Error')).toEqual([]);
  });

  test('a route refused at construction stays out of the synthesis of the rest of the App (regression)', () => {
    // found by test/properties-platform.test.ts (FC_SEED=100): the refused route had already joined the
    // App-wide check, and synthesizing the App then failed with "TypeError: Cannot read properties of undefined"
    const { chart } = newChart();
    const gw = new IngressGateway(chart, 'edge', { namespace: 'edge' });
    gw.addHttpHosts(['catalog.example.com']);
    const bad = errorOf(() => new CanaryRoute(chart, 'bad', base({ namespace: undefined, hosts: ['catalog.example.com'], gateways: [gw], canary: { subset: 'green', labels: { track: 'green' }, weight: 101 } })));
    expect(bad).toBeInstanceOf(IstioGatewayError);
    const objects = synth(chart);
    expect(all(objects, 'VirtualService')).toHaveLength(0);
    expect(all(objects, 'Gateway')).toHaveLength(1);
    expectValid(objects);
  });

  test('deterministic: two fresh Apps give identical YAML', () => {
    const yaml = () => {
      const app = Testing.app();
      const chart = new Chart(app, 'test');
      new CanaryRoute(chart, 'catalog', base({ canary: { subset: 'green', labels: { track: 'green', tier: 'web' }, weight: 33, match: [JASON, { uri: { regex: '^/v2/.*' } }] } }));
      return app.synthYaml();
    };
    expect(yaml()).toBe(yaml());
  });

  describe('synthesis refuses', () => {
    test('a gateway that serves none of the hosts (IST0132), naming the hosts and the gateway\'s hosts', () => {
      const { chart } = newChart();
      const gw = new IngressGateway(chart, 'edge', { namespace: 'edge' });
      gw.addHttpHosts(['www.example.com']);
      new CanaryRoute(chart, 'catalog', base({ hosts: ['catalog.example.com'], gateways: [gw] }));
      const e = errorOf(() => synth(chart));
      expect(e).toBeInstanceOf(IstioGatewayError);
      expect(e.message).toContain("CanaryRoute 'test/catalog'");
      expect(e.message).toContain('hosts');
      expect(e.message).toContain('catalog.example.com');
      expect(e.message).toContain('www.example.com');
      expect(e.message).toContain('IST0132');
    });

    test('a gateway that serves the host only as TLS passthrough', () => {
      const { chart } = newChart();
      const gw = new TenantGateway(chart, 'web', { namespace: 'web' });
      new TlsHost(chart, 'pt', { gateway: gw, hosts: ['catalog.example.com'], mode: TlsMode.PASSTHROUGH });
      new CanaryRoute(chart, 'catalog', base({ hosts: ['catalog.example.com'], gateways: [gw] }));
      const e = errorOf(() => synth(chart));
      expect(e).toBeInstanceOf(IstioGatewayError);
      expect(e.message).toContain('only as TLS');
    });

    test('a wildcard gateway host covers the route host', () => {
      const { chart } = newChart();
      const gw = new IngressGateway(chart, 'edge', { namespace: 'edge' });
      gw.addHttpHosts(['*.example.com']);
      new CanaryRoute(chart, 'catalog', base({ hosts: ['catalog.example.com'], gateways: [gw] }));
      const objects = synth(chart);
      expect(all(objects, 'VirtualService')).toHaveLength(1);
      expectValid(objects);
    });
  });

  describe('refuses at construction', () => {
    test.each([101, -1, 2.5, '20' as any])('weight %p (outside 0..100 or not an integer)', (weight) => {
      const e = refused(base({ canary: { subset: 'green', labels: { track: 'green' }, weight } }));
      expect(e.prop).toBe('canary.weight');
      expect(e.message).toContain(`invalid value ${typeof weight === 'string' ? JSON.stringify(weight) : weight}`);
      expect(e.message).toContain('0 to 100');
    });

    test('a missing weight', () => {
      const e = refused(base({ canary: { subset: 'green', labels: { track: 'green' } } as any }));
      expect(e.prop).toBe('canary.weight');
    });

    test('the same subset name twice', () => {
      const e = refused(base({ canary: { subset: 'blue', labels: { track: 'green' }, weight: 10 } }));
      expect(e.prop).toBe('canary.subset');
      expect(e.message).toContain('"blue"');
    });

    test.each(['stable', 'canary'] as const)('empty %s labels', (which) => {
      const props = base();
      const e = refused({ ...props, [which]: { ...props[which], labels: {} } });
      expect(e.prop).toBe(`${which}.labels`);
      expect(e.message).toContain('invalid value {}');
    });

    test('subsets whose labels overlap (stable would select canary pods)', () => {
      const e = refused(base({ stable: { subset: 'blue', labels: { app: 'catalog' } }, canary: { subset: 'green', labels: { app: 'catalog', track: 'green' }, weight: 10 } }));
      expect(e.prop).toBe('canary.labels');
      expect(e.message).toContain('"track":"green"');
    });

    test('an upper-case header name in canary.match, suggesting the lower-case one', () => {
      const e = refused(base({ canary: { subset: 'green', labels: { track: 'green' }, weight: 10, match: [{ headers: { 'End-User': { exact: 'jason' } } }] } }));
      expect(e.prop).toBe("canary.match[0].headers['End-User']");
      expect(e.message).toContain('"End-User"');
      expect(e.message).toContain('"end-user"');
    });

    test('an upper-case header name in the route match', () => {
      const e = refused(base({ match: [{ headers: { 'X-Version': { exact: '2' } } }] }));
      expect(e.prop).toBe("match[0].headers['X-Version']");
      expect(e.message).toContain('"x-version"');
    });

    test('an empty hosts list', () => {
      const e = refused(base({ hosts: [] }));
      expect(e.prop).toBe('hosts');
      expect(e.message).toContain('invalid value []');
    });

    test('a string match with two kinds, or none', () => {
      expect(refused(base({ match: [{ uri: { exact: '/a', prefix: '/b' } }] })).prop).toBe('match[0].uri');
      expect(refused(base({ match: [{ uri: {} }] })).prop).toBe('match[0].uri');
    });

    test.each([
      ['^(?!admin).*', 'lookahead'],
      ['(a)\\1', 'backreference'],
      ['(?<=x)y', 'lookbehind'],
      ['a{1001}', 'at most 1000'],
      ['(unclosed', 'syntax error'],
    ])('a regex RE2 does not accept: %s', (regex, why) => {
      const e = refused(base({ match: [{ uri: { regex } }] }));
      expect(e.prop).toBe('match[0].uri.regex');
      expect(e.message).toContain(JSON.stringify(regex));
      expect(e.message).toContain(why);
    });

    test('RE2 syntax JavaScript lacks is accepted: named groups (?P<...>) and inline flags', () => {
      const { chart } = newChart();
      new CanaryRoute(chart, 'catalog', base({ match: [{ uri: { regex: '(?i)^/(?P<ver>v[0-9]+)/.*' } }] }));
      expectValid(synth(chart));
    });

    test('a route match and canary match setting one condition differently', () => {
      const e = refused(base({ match: [{ uri: { prefix: '/api' } }], canary: { subset: 'green', labels: { track: 'green' }, weight: 1, match: [{ uri: { prefix: '/api/v2' } }] } }));
      expect(e.prop).toBe('canary.match[0].uri');
      expect(e.message).toContain('match[0]');
    });

    test('a match without conditions', () => {
      const e = refused(base({ canary: { subset: 'green', labels: { track: 'green' }, weight: 1, match: [{}] } }));
      expect(e.prop).toBe('canary.match[0]');
    });

    test('a path condition not starting with "/"', () => {
      const e = refused(base({ match: [{ uri: { prefix: 'api' } }] }));
      expect(e.message).toContain('"api"');
      expect(e.message).toContain('"/api"');
    });

    test('sourceLabels on a route that sees only gateway traffic', () => {
      const { chart } = newChart();
      const gw = new IngressGateway(chart, 'edge', { namespace: 'edge' });
      const e = errorOf(() => new CanaryRoute(chart, 'catalog', base({ hosts: ['catalog.example.com'], gateways: [gw], match: [{ sourceLabels: { app: 'web' } }] })));
      expect(e).toBeInstanceOf(IstioGatewayError);
      expect((e as IstioGatewayError).prop).toBe('match[0].sourceLabels');
    });

    test('the host "*" on a mesh route', () => {
      const e = refused(base({ hosts: ['*'] }));
      expect(e.prop).toBe('hosts[0]');
    });

    test('a timeout finer than a millisecond', () => {
      const e = refused(base({ timeout: '500us' }));
      expect(e.prop).toBe('timeout');
      expect(e.message).toContain('"500us"');
    });

    test('a mirror subset the DestinationRule does not define', () => {
      const e = refused(base({ mirror: { host: 'catalog', subset: 'purple' } }));
      expect(e.prop).toBe('mirror.subset');
      expect(e.message).toContain('"purple"');
    });

    test('a load balancer with both simple and consistentHash', () => {
      const e = refused(base({ trafficPolicy: { loadBalancer: { simple: 'RANDOM', consistentHash: { useSourceIp: true } } } }));
      expect(e.prop).toBe('trafficPolicy.loadBalancer');
    });

    test('a misspelt prop', () => {
      const e = refused({ ...base(), weigth: 10 } as any);
      expect(e.prop).toBe('weigth');
      expect(e.message).toContain('unknown prop');
    });

    test('an object that is not a gateway', () => {
      const e = refused(base({ hosts: ['catalog.example.com'], gateways: [{ ref: 'x/y' } as any] }));
      expect(e.prop).toBe('gateways[0]');
    });
  });
});
