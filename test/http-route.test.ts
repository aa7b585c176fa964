import { configureSynthAnalysis, HttpRoute, HttpRouteProps, IngressGateway, IstioGatewayError, SynthCheck, TenantGateway, TlsHost } from '../src';
import { all, errorOf, find, newChart, synth } from './support/synth';
import { expectValid } from './support/validate-helper';

function withGateway() {
  const { chart } = newChart();
  const gw = new IngressGateway(chart, 'bookinfo-gateway', { namespace: 'bookinfo' });
  gw.addHttpHosts(['bookinfo.example.com']);
  return { chart, gw };
}

function refused(props: HttpRouteProps): IstioGatewayError {
  const { chart } = newChart();
  const e = errorOf(() => new HttpRoute(chart, 'web', props));
  expect(e).toBeInstanceOf(IstioGatewayError);
  expect(e.message).toContain("HttpRoute 'test/web'");
  return e as IstioGatewayError;
}

const MESH: HttpRouteProps = { hosts: ['web'], destination: { host: 'web', port: 80 }, namespace: 'web' };

describe('HttpRoute', () => {
  test('bookinfo: productpage paths through the shared gateway, in the gateway namespace, after the Gateway', () => {
    const { chart, gw } = withGateway();
    const route = new HttpRoute(chart, 'bookinfo', {
      hosts: ['bookinfo.example.com'],
      gateways: [gw],
      destination: { host: 'productpage', port: 9080 },
      match: [{ uri: { exact: '/productpage' } }, { uri: { prefix: '/static' } }],
    });
    const objects = synth(chart);
    const vs = find(objects, 'VirtualService', 'bookinfo', 'bookinfo');
    expect(vs.apiVersion).toBe('networking.istio.io/v1');
    expect(vs.spec).toEqual({
      hosts: ['bookinfo.example.com'],
      gateways: ['bookinfo/bookinfo-gateway'],
      http: [{
        name: 'forward',
        match: [{ uri: { exact: '/productpage' } }, { uri: { prefix: '/static' } }],
        route: [{ destination: { host: 'productpage', port: { number: 9080 } } }],
      }],
    });
    expect(objects.indexOf(find(objects, 'Gateway', 'bookinfo-gateway'))).toBeLessThan(objects.indexOf(vs));
    expect(all(objects, 'DestinationRule')).toHaveLength(0);
    expect(route.namespace).toBe('bookinfo');
    expectValid(objects);
    expect(SynthCheck.of(chart).lastDiagnostics.filter((d) => d.level === 'Error')).toEqual([]);
  });

  test('mesh route: no gateways field; rewrite, timeout, retries, mirror and a fault on every request', () => {
    const { chart } = newChart();
    new HttpRoute(chart, 'web', {
      ...MESH,
      match: [{ uri: { prefix: '/v1/' }, method: { exact: 'GET' }, queryParams: { debug: { exact: '1' } }, sourceNamespace: 'frontend' }],
      rewrite: { uri: '/', authority: 'web.internal' },
      timeout: '3s',
      retries: { attempts: 2, retryOn: ['connect-failure', '503'] },
      mirror: { host: 'web-shadow', port: 80, percentage: 0.5 },
      fault: { delay: { fixedDelay: '100ms', percentage: 10 } },
    });
    const objects = synth(chart);
    const vs = find(objects, 'VirtualService', 'web', 'web');
    expect(vs.spec.gateways).toBeUndefined();
    expect(vs.spec.http).toEqual([{
      name: 'forward',
      match: [{ uri: { prefix: '/v1/' }, method: { exact: 'GET' }, queryParams: { debug: { exact: '1' } }, sourceNamespace: 'frontend' }],
      route: [{ destination: { host: 'web', port: { number: 80 } } }],
      rewrite: { uri: '/', authority: 'web.internal' },
      timeout: '3s',
      retries: { attempts: 2, retryOn: 'connect-failure,503' },
      fault: { delay: { fixedDelay: '100ms', percentage: { value: 10 } } },
      mirror: { host: 'web-shadow', port: { number: 80 } },
      mirrorPercentage: { value: 0.5 },
    }]);
    expectValid(objects);
    expect(SynthCheck.of(chart).lastDiagnostics.filter((d) => d.level === 'Error')).toEqual([]);
  });

  test('fault only for matching requests: a faulted rule first, then the plain forward', () => {
    const { chart } = newChart();
    new HttpRoute(chart, 'ratings', {
      hosts: ['ratings'], namespace: 'bookinfo', destination: { host: 'ratings', port: 9080 },
      fault: { abort: { httpStatus: 500 }, match: [{ headers: { 'end-user': { exact: 'jason' } } }] },
    });
    const objects = synth(chart);
    const http = find(objects, 'VirtualService', 'ratings').spec.http;
    expect(http).toEqual([
      { name: 'forward-fault', match: [{ headers: { 'end-user': { exact: 'jason' } } }], route: [{ destination: { host: 'ratings', port: { number: 9080 } } }], fault: { abort: { httpStatus: 500, percentage: { value: 100 } } } },
      { name: 'forward', route: [{ destination: { host: 'ratings', port: { number: 9080 } } }] },
    ]);
    expectValid(objects);
  });

  test('regex rewrite and a gateway + mesh route', () => {
    const { chart } = newChart();
    const gw = new TenantGateway(chart, 'web-gw', { namespace: 'web' });
    gw.addHttpHosts(['web.example.com']);
    new HttpRoute(chart, 'web', {
      hosts: ['web.example.com', 'web'], gateways: [gw], includeMesh: true, destination: { host: 'web' },
      rewrite: { uriRegex: { match: '^/old/(.*)$', rewrite: '/new/\\1' } },
    });
    const objects = synth(chart);
    const vs = find(objects, 'VirtualService', 'web');
    expect(vs.spec.gateways).toEqual(['web/web-gw', 'mesh']);
    expect(vs.spec.http[0].rewrite).toEqual({ uriRegexRewrite: { match: '^/old/(.*)$', rewrite: '/new/\\1' } });
    expectValid(objects);
  });

  test('name defaults to the construct id, namespace to the destination\'s FQDN namespace for mesh routes', () => {
    const { chart } = newChart();
    new HttpRoute(chart, 'Orders', { hosts: ['orders.shop.svc.cluster.local'], destination: { host: 'orders.shop.svc.cluster.local' } });
    const objects = synth(chart);
    const vs = find(objects, 'VirtualService', 'orders');
    expect(vs.metadata.namespace).toBe('shop');
    expectValid(objects);
  });

  // Regressions found by test/properties-routes.test.ts and test/properties-platform.test.ts: one
  // backend declared by several constructs used to keep only the last declaration's ports.
  test('a mirror to the destination\'s own host without a port does not hide the destination\'s port', () => {
    const { app, chart } = newChart();
    configureSynthAnalysis(app, { warn: () => undefined });
    // counterexample: { hosts: ['a'], destination: { host: 'a', port: 1 }, mirror: { host: 'a' } } was refused (IST0101 "a:1")
    new HttpRoute(chart, 'route', { hosts: ['a'], includeMesh: true, destination: { host: 'a', port: 1 }, mirror: { host: 'a' } });
    const objects = synth(chart);
    expectValid(objects);
    expect(SynthCheck.of(chart).lastDiagnostics.filter((d) => d.level === 'Error')).toEqual([]);
  });

  test('two constructs routing to two ports of one Service are both accepted', () => {
    const { app, chart } = newChart();
    configureSynthAnalysis(app, { warn: () => undefined });
    // counterexample: a TlsHost to web:8080 and an HttpRoute to web:9090 in team-a were refused (IST0101 "web:8080")
    const tenant = new TenantGateway(chart, 'gw', { namespace: 'team-a' });
    new TlsHost(chart, 'tls0', { gateway: tenant, hosts: ['shop.example.com'], credentialName: 'cert', destination: { host: 'web', port: 8080 } });
    const shared = new IngressGateway(chart, 'shared', { namespace: 'team-a' });
    shared.addHttpHosts(['shop.example.com']);
    new HttpRoute(chart, 'route0', { hosts: ['shop.example.com'], gateways: [shared], destination: { host: 'web', port: 9090 } });
    const objects = synth(chart);
    expectValid(objects);
    expect(SynthCheck.of(chart).lastDiagnostics.filter((d) => d.level === 'Error')).toEqual([]);
  });

  test('a "name.namespace" host is declared as Istio reads it (a literal ServiceEntry host), not as a Service it never matches', () => {
    const { app, chart } = newChart();
    configureSynthAnalysis(app, { warn: () => undefined });
    // counterexample: { hosts: ['*.a.com'], mirror: { host: 'a.team-a' }, destination: { host: 'a' } } was refused (IST0101 "a.team-a")
    const route = new HttpRoute(chart, 'route', { hosts: ['a'], destination: { host: 'a' }, mirror: { host: 'a.team-a' } });
    expect(route.externalObjects()[1]).toMatchObject({ kind: 'ServiceEntry', spec: { hosts: ['a.team-a'] } });
    expectValid(synth(chart));
    expect(SynthCheck.of(chart).lastDiagnostics.filter((d) => d.level === 'Error')).toEqual([]);
  });

  test('synthesis refuses a gateway that serves none of the hosts (IST0132)', () => {
    const { chart, gw } = withGateway();
    new HttpRoute(chart, 'web', { hosts: ['shop.example.com'], gateways: [gw], destination: { host: 'web' } });
    const e = errorOf(() => synth(chart));
    expect(e).toBeInstanceOf(IstioGatewayError);
    expect(e.message).toContain("HttpRoute 'test/web'");
    expect(e.message).toContain('shop.example.com');
    expect(e.message).toContain('bookinfo.example.com');
  });

  test('synthesis refuses a gateway with no servers at all', () => {
    const { chart } = newChart();
    const gw = new IngressGateway(chart, 'edge', { namespace: 'edge' });
    new HttpRoute(chart, 'web', { hosts: ['shop.example.com'], gateways: [gw], destination: { host: 'web' } });
    const e = errorOf(() => synth(chart));
    expect(e).toBeInstanceOf(IstioGatewayError);
    expect(e.message).toContain('serves no hosts');
  });

  test('a route refused at construction stays out of the synthesis of the rest of the App (regression)', () => {
    const { chart, gw } = withGateway();
    expect(errorOf(() => new HttpRoute(chart, 'bad', { hosts: ['bookinfo.example.com'], gateways: [gw], destination: { host: 'web' }, match: [{}] }))).toBeInstanceOf(IstioGatewayError);
    const objects = synth(chart);
    expect(all(objects, 'VirtualService')).toHaveLength(0);
    expectValid(objects);
  });

  describe('refuses', () => {
    test('an empty hosts list', () => {
      expect(refused({ ...MESH, hosts: [] }).prop).toBe('hosts');
    });

    test('a missing destination', () => {
      expect(refused({ ...MESH, destination: undefined as any }).prop).toBe('destination');
    });

    test('a destination host that is not a Service host', () => {
      const e = refused({ ...MESH, destination: { host: 'http://web' } });
      expect(e.prop).toBe('destination.host');
      expect(e.message).toContain('"http://web"');
    });

    test('includeMesh: false without gateways', () => {
      expect(refused({ ...MESH, includeMesh: false }).prop).toBe('includeMesh');
    });

    test('the same gateway twice', () => {
      const { chart, gw } = withGateway();
      const e = errorOf(() => new HttpRoute(chart, 'web', { hosts: ['bookinfo.example.com'], gateways: [gw, gw], destination: { host: 'web' } }));
      expect((e as IstioGatewayError).prop).toBe('gateways[1]');
    });

    test('an upper-case header name, suggesting the lower-case one', () => {
      const e = refused({ ...MESH, match: [{ headers: { Cookie: { regex: '.*session=.*' } } }] });
      expect(e.prop).toBe("match[0].headers['Cookie']");
      expect(e.message).toContain('"cookie"');
    });

    test('a prefix match on a query parameter (Istio supports exact and regex only)', () => {
      const e = refused({ ...MESH, match: [{ queryParams: { v: { prefix: '2' } } }] });
      expect(e.prop).toBe("match[0].queryParams['v'].prefix");
    });

    test('an empty match list', () => {
      expect(refused({ ...MESH, match: [] }).prop).toBe('match');
    });

    test('rewrite with both uri and uriRegex', () => {
      const e = refused({ ...MESH, rewrite: { uri: '/', uriRegex: { match: '^/a', rewrite: '/b' } } });
      expect(e.prop).toBe('rewrite.uriRegex');
    });

    test('retries with attempts 0 but retry conditions', () => {
      const e = refused({ ...MESH, retries: { attempts: 0, retryOn: ['5xx'] } });
      expect(e.prop).toBe('retries.attempts');
    });

    test('an unknown retry condition', () => {
      const e = refused({ ...MESH, retries: { attempts: 2, retryOn: ['5xxx'] } });
      expect(e.prop).toBe('retries.retryOn[0]');
      expect(e.message).toContain('"5xxx"');
    });

    test('a fault with neither delay nor abort', () => {
      expect(refused({ ...MESH, fault: { match: [{ uri: { prefix: '/' } }] } }).prop).toBe('fault');
    });

    test('an abort status outside 200..599', () => {
      const e = refused({ ...MESH, fault: { abort: { httpStatus: 99 } } });
      expect(e.prop).toBe('fault.abort.httpStatus');
      expect(e.message).toContain('invalid value 99');
    });

    test('a percentage over 100', () => {
      const e = refused({ ...MESH, mirror: { host: 'shadow', percentage: 150 } });
      expect(e.prop).toBe('mirror.percentage');
      expect(e.message).toContain('150');
    });

    test('ignoreUriCase without a uri condition', () => {
      expect(refused({ ...MESH, match: [{ ignoreUriCase: true, method: { exact: 'GET' } }] }).prop).toBe('match[0].ignoreUriCase');
    });

    test('a hole in a list (regression: empty slots escaped the checks, which map() skips)', () => {
      const e = refused({ ...MESH, match: [{ uri: { prefix: '/' } }, , { uri: { prefix: '/b' } }] as any });
      expect(e.prop).toBe('match[1]');
      expect(e.message).toContain('empty slot');
    });

    test('an unknown key that is not a name is shown quoted (regression: it read "destination.")', () => {
      const e = refused({ ...MESH, destination: { host: 'web', '': 80 } as any });
      expect(e.prop).toBe("destination['']");
      expect(e.message).toContain("[HttpRoute 'test/web'] destination['']: invalid value 80; unknown prop");
    });

    test('the bound gateway\'s own Service as the destination, which would loop (regression)', () => {
      const { chart } = newChart();
      const shared = new IngressGateway(chart, 'shared', { namespace: 'istio-system' });
      shared.addHttpHosts(['shop.example.com']);
      // the shared gateway's Service istio-system/istio-ingressgateway, named short from a route in istio-system
      const e = errorOf(() => new HttpRoute(chart, 'web', { hosts: ['shop.example.com'], gateways: [shared], destination: { host: 'istio-ingressgateway', port: 80 } }));
      expect(e).toBeInstanceOf(IstioGatewayError);
      expect((e as IstioGatewayError).prop).toBe('destination.host');
      expect(e.message).toContain("gateway 'test/shared' itself (istio-system/istio-ingressgateway)");
    });

    test('a misspelt option', () => {
      const e = refused({ ...MESH, retries: { attempts: 2, perTryTimeot: '1s' } as any });
      expect(e.prop).toBe('retries.perTryTimeot');
    });
  });
});
