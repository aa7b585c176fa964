import { IngressGateway, IstioGatewayError, TcpCanaryRoute, TcpGateway, TenantGateway } from '../src';
import { errorOf, find, newChart, synth } from './support/synth';
import { expectValid } from './support/validate-helper';

const V1 = { subset: 'v1', labels: { version: 'v1' } };
const V2 = { subset: 'v2', labels: { version: 'v2' } };

describe('TcpCanaryRoute', () => {
  test("Istio's tcp-echo task: a TCP server on 31400, subsets v1/v2, 80/20 by weight", () => {
    const { chart } = newChart();
    const gw = new TenantGateway(chart, 'tcp-gw', { namespace: 'tcp-echo' });
    const route = new TcpCanaryRoute(chart, 'tcp-echo', {
      gateway: gw, port: 31400, destination: { host: 'tcp-echo', port: 9000 }, stable: V1, canary: { ...V2, weight: 20 },
    });
    const objects = synth(chart);
    expect(find(objects, 'Gateway', 'tcp-gw').spec.servers).toEqual([
      // a TenantGateway scopes its hosts to the namespaces of its routes (issue 11, item 10)
      { port: { number: 31400, name: 'tcp-31400-tcp-echo', protocol: 'TCP' }, hosts: ['tcp-echo/*'] },
    ]);
    expect(find(objects, 'Service', 'tcp-gw').spec.ports.map((p: any) => p.port)).toEqual([15021, 31400]);
    expect(find(objects, 'DestinationRule', 'tcp-echo', 'tcp-echo').spec).toEqual({
      host: 'tcp-echo', subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }],
    });
    expect(find(objects, 'VirtualService', 'tcp-echo', 'tcp-echo').spec).toEqual({
      hosts: ['*'],
      gateways: ['tcp-echo/tcp-gw'],
      tcp: [{
        match: [{ port: 31400 }],
        route: [
          { destination: { host: 'tcp-echo', port: { number: 9000 }, subset: 'v1' }, weight: 80 },
          { destination: { host: 'tcp-echo', port: { number: 9000 }, subset: 'v2' }, weight: 20 },
        ],
      }],
    });
    // the DestinationRule precedes the VirtualService in the YAML, so kubectl apply creates the subsets first
    const kinds = objects.map((o) => o.kind);
    expect(kinds.indexOf('DestinationRule')).toBeLessThan(kinds.indexOf('VirtualService'));
    expect(route.subsets).toEqual(['v1', 'v2']);
    expectValid(objects);
  });

  test('weights 0 and 100 keep both destinations; a fully qualified host puts the DestinationRule in its namespace', () => {
    for (const weight of [0, 100]) {
      const { chart } = newChart();
      const gw = new IngressGateway(chart, 'shared', { namespace: 'edge', servicePorts: [{ port: 31400 }] });
      new TcpCanaryRoute(chart, 'echo', {
        gateway: gw, port: 31400, namespace: 'edge', name: 'echo-route', hosts: ['echo.example.com'],
        destination: { host: 'tcp-echo.echo.svc.cluster.local', port: 9000 }, stable: V1, canary: { ...V2, weight },
        trafficPolicy: { connectionPool: { tcp: { maxConnections: 100 } } },
      });
      const objects = synth(chart);
      const vs = find(objects, 'VirtualService', 'echo-route', 'edge');
      expect(vs.spec.tcp[0].route.map((r: any) => r.weight)).toEqual([100 - weight, weight]);
      expect(vs.spec.hosts).toEqual(['echo.example.com']);
      const dr = find(objects, 'DestinationRule', 'echo-route', 'echo');
      expect(dr.spec.trafficPolicy).toEqual({ connectionPool: { tcp: { maxConnections: 100 } } });
      expectValid(objects);
    }
  });

  test('refused: bad weight, one subset twice, overlapping labels, a port already carrying TCP, a port the shared gateway lacks', () => {
    const { chart } = newChart();
    const gw = new TenantGateway(chart, 'gw', { namespace: 'data' });
    const base = { gateway: gw, port: 7000, destination: { host: 'db', port: 5432 }, stable: V1 };
    const cases: [string, () => unknown, string][] = [
      ['a', () => new TcpCanaryRoute(chart, 'a', { ...base, canary: { ...V2, weight: 101 } }), "[TcpCanaryRoute 'test/a'] canary.weight: invalid value 101; expected an integer from 0 to 100"],
      ['b', () => new TcpCanaryRoute(chart, 'b', { ...base, canary: { ...V2, weight: 2.5 } }), 'canary.weight: invalid value 2.5'],
      ['c', () => new TcpCanaryRoute(chart, 'c', { ...base, canary: { ...V2, weight: undefined as any } }), 'canary.weight: invalid value undefined; this prop is required'],
      ['d', () => new TcpCanaryRoute(chart, 'd', { ...base, canary: { ...V1, weight: 5 } }), 'canary.subset: invalid value "v1"; the stable subset is already named "v1"'],
      ['e', () => new TcpCanaryRoute(chart, 'e', { ...base, canary: { subset: 'v2', labels: { version: 'v1', track: 'canary' }, weight: 5 } }), 'the stable subset would select canary pods too'],
      ['f', () => new TcpCanaryRoute(chart, 'f', { ...base, canary: { subset: 'v2', labels: {}, weight: 5 } }), 'canary.labels: invalid value {}'],
      ['g', () => new TcpCanaryRoute(chart, 'g', { ...base, port: 0, canary: { ...V2, weight: 5 } }), 'port: invalid value 0'],
      ['h', () => new TcpCanaryRoute(chart, 'h', { ...base, canary: { ...V2, weight: 5, match: [] } as any }), "canary.match: invalid value []; unknown prop"],
    ];
    for (const [id, fn, text] of cases) {
      const e = errorOf(fn);
      expect(e).toBeInstanceOf(IstioGatewayError);
      expect(e.message).toContain(text);
      expect(e.message).toContain(`TcpCanaryRoute 'test/${id}'`);
    }
    expect(gw.servers).toEqual([]);
    new TcpGateway(chart, 'plain', { gateway: gw, port: 7000, destination: { host: 'db', port: 5432 } });
    const taken = errorOf(() => new TcpCanaryRoute(chart, 'split', { ...base, canary: { ...V2, weight: 5 } }));
    expect(taken.message).toContain("[TcpCanaryRoute 'test/split'] port: invalid value 7000; port 7000 of this gateway already carries a TCP server (declared by TcpGateway 'test/plain')");
    const shared = new IngressGateway(chart, 'shared', { namespace: 'edge' });
    const lacks = errorOf(() => new TcpCanaryRoute(chart, 'lacks', { ...base, gateway: shared, port: 31400, canary: { ...V2, weight: 5 } }));
    expect(lacks.message).toContain("[TcpCanaryRoute 'test/lacks'] port: invalid value 31400; the existing gateway workload");
  });

  test('a route refused for a prop of the other API adds no server: the port stays free for the next declaration', () => {
    const { chart } = newChart();
    const gw = new TenantGateway(chart, 'tcp-gw', { namespace: 'tcp-echo' });
    const e = errorOf(() => new TcpCanaryRoute(chart, 'refused', {
      gateway: gw, port: 31400, destination: { host: 'tcp-echo', port: 9000 }, stable: V1, canary: { ...V2, weight: 20 },
      destinationSelector: { app: 'tcp-echo' },
    }));
    expect(e).toBeInstanceOf(IstioGatewayError);
    expect((e as IstioGatewayError).prop).toBe('destinationSelector');
    new TcpGateway(chart, 'echo', { gateway: gw, port: 31400, destination: { host: 'tcp-echo', port: 9000 } });
    const objects = synth(chart);
    expect(find(objects, 'Gateway', 'tcp-gw').spec.servers.map((s: any) => s.port.name)).toEqual(['tcp-31400-echo']);
  });
});
