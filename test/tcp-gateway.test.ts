import { IngressGateway, IstioGatewayError, TcpGateway, TenantGateway } from '../src';
import { errorOf, find, newChart, synth } from './support/synth';
import { expectValid } from './support/validate-helper';

describe('TcpGateway', () => {
  test('a TCP server, the port on the Service, and a tcp route bound to the Gateway', () => {
    const { chart } = newChart();
    const gw = new TenantGateway(chart, 'my-user-gateway', { namespace: 'istioinaction' });
    new TcpGateway(chart, 'tcp-echo', { gateway: gw, port: 31400, destination: { host: 'tcp-echo', port: 31400 } });
    const objects = synth(chart);
    expect(find(objects, 'Gateway', 'my-user-gateway').spec.servers).toEqual([
      // scoped to the route's namespace (issue 11, item 10)
      { port: { number: 31400, name: 'tcp-31400-tcp-echo', protocol: 'TCP' }, hosts: ['istioinaction/*'] },
    ]);
    expect(find(objects, 'Service', 'my-user-gateway').spec.ports.map((p: any) => [p.name, p.port])).toEqual([['status-port', 15021], ['tcp-31400', 31400]]);
    expect(find(objects, 'VirtualService', 'tcp-echo', 'istioinaction').spec).toEqual({
      hosts: ['*'],
      gateways: ['istioinaction/my-user-gateway'],
      tcp: [{ match: [{ port: 31400 }], route: [{ destination: { host: 'tcp-echo', port: { number: 31400 } } }] }],
    });
    expectValid(objects);
  });

  test('two TCP ports on one gateway; hosts and namespace props', () => {
    const { chart } = newChart();
    const gw = new TenantGateway(chart, 'db-gw', { namespace: 'data' });
    new TcpGateway(chart, 'pg', { gateway: gw, port: 5432, destination: { host: 'postgres', port: 5432 } });
    new TcpGateway(chart, 'redis', { gateway: gw, port: 6379, hosts: ['redis.example.com'], namespace: 'cache', name: 'redis-route', destination: { host: 'redis.cache.svc.cluster.local', port: 6379 } });
    const objects = synth(chart);
    expect(find(objects, 'VirtualService', 'redis-route', 'cache').spec.hosts).toEqual(['redis.example.com']);
    expect(find(objects, 'Service', 'db-gw').spec.ports.map((p: any) => p.port)).toEqual([15021, 5432, 6379]);
    expectValid(objects);
  });

  test('refuses a port used twice, bad ports and destinations', () => {
    const { chart } = newChart();
    const gw = new TenantGateway(chart, 'gw', { namespace: 'data' });
    new TcpGateway(chart, 'a', { gateway: gw, port: 9000, destination: { host: 'a', port: 9000 } });
    const dup = errorOf(() => new TcpGateway(chart, 'b', { gateway: gw, port: 9000, destination: { host: 'b', port: 9000 } }));
    expect(dup).toBeInstanceOf(IstioGatewayError);
    expect(dup.message).toMatch(/port: invalid value 9000; port 9000 of this gateway already carries a TCP server \(declared by TcpGateway 'test\/a'\)/);
    const bad = errorOf(() => new TcpGateway(chart, 'c', { gateway: gw, port: 99999, destination: { host: 'c', port: 1 } }));
    expect(bad.message).toMatch(/TcpGateway 'test\/c'.*port: invalid value 99999/);
    const host = errorOf(() => new TcpGateway(chart, 'd', { gateway: gw, port: 9001, destination: { host: 'Bad Host', port: 1 } }));
    expect(host.message).toMatch(/destination\.host: invalid value "Bad Host"/);
    const missing = errorOf(() => new TcpGateway(chart, 'e', { gateway: gw, port: 9002 } as any));
    expect(missing.message).toMatch(/destination/);
  });

  test('refuses the gateway\'s own Service as the destination, which would loop (regression), and adds no server then', () => {
    // found by test/properties-gateways.test.ts (FC_SEED=100): a destination named like the gateway was
    // its own Service; on an exposed port such a route was accepted and sent traffic back to the gateway
    const { chart } = newChart();
    const gw = new TenantGateway(chart, 'gw', { namespace: 'data' });
    const loop = errorOf(() => new TcpGateway(chart, 'pg', { gateway: gw, port: 5432, destination: { host: 'gw.data.svc.cluster.local', port: 5432 } }));
    expect(loop).toBeInstanceOf(IstioGatewayError);
    expect(loop.message).toContain("[TcpGateway 'test/pg'] destination.host: invalid value \"gw.data.svc.cluster.local\"");
    expect(loop.message).toContain("gateway 'test/gw' itself");
    expect(gw.servers).toHaveLength(0);
    // the same short name from another namespace is another Service
    new TcpGateway(chart, 'other', { gateway: gw, port: 5432, namespace: 'db', destination: { host: 'gw', port: 5432 } });
  });

  test('two TCP servers on one port are refused even with different hosts: Istio keeps only the first (issue 11, item 1)', () => {
    const { chart } = newChart();
    const gw = new TenantGateway(chart, 'gw', { namespace: 'data' });
    new TcpGateway(chart, 'a', { gateway: gw, port: 7000, hosts: ['a.example.com'], destination: { host: 'a', port: 7000 } });
    const e = errorOf(() => new TcpGateway(chart, 'b', { gateway: gw, port: 7000, hosts: ['b.example.com'], destination: { host: 'b', port: 7000 } }));
    expect(e).toBeInstanceOf(IstioGatewayError);
    expect(e.message).toContain("[TcpGateway 'test/b'] port: invalid value 7000; port 7000 of this gateway already carries a TCP server (declared by TcpGateway 'test/a')");
    expect(e.message).toContain('use another port');
    expect(gw.servers.map((s) => s.portName)).toEqual(['tcp-7000-a']);
    // another port is fine
    new TcpGateway(chart, 'c', { gateway: gw, port: 7001, hosts: ['b.example.com'], destination: { host: 'b', port: 7000 } });
    expect(synth(chart).filter((o) => o.kind === 'VirtualService')).toHaveLength(2);
  });

  test('two IngressGateways on one shared workload: a second TCP server on a port fails synthesis, naming both', () => {
    const { app, chart } = newChart();
    const ports = [{ port: 31400 }];
    const one = new IngressGateway(chart, 'one', { namespace: 'team-a', servicePorts: ports });
    const two = new IngressGateway(chart, 'two', { namespace: 'team-b', servicePorts: ports });
    new TcpGateway(chart, 'a', { gateway: one, port: 31400, hosts: ['a.example.com'], destination: { host: 'a', port: 7000 } });
    new TcpGateway(chart, 'b', { gateway: two, port: 31400, hosts: ['b.example.com'], destination: { host: 'b', port: 7000 } });
    const e = errorOf(() => app.synth());
    expect(e).toBeInstanceOf(IstioGatewayError);
    expect(e.message).toContain('test/b');
    expect(e.message).toContain("port 31400 of the gateway workload selected by istio=ingressgateway already carries a TCP server (declared by TcpGateway 'test/a' through Gateway team-a/one)");
    // different workloads: no conflict
    const { app: app2, chart: chart2 } = newChart();
    const x = new IngressGateway(chart2, 'one', { namespace: 'team-a', servicePorts: ports });
    const y = new IngressGateway(chart2, 'two', { namespace: 'team-b', servicePorts: ports, selector: { istio: 'other' } });
    new TcpGateway(chart2, 'a', { gateway: x, port: 31400, destination: { host: 'a', port: 7000 } });
    new TcpGateway(chart2, 'b', { gateway: y, port: 31400, destination: { host: 'b', port: 7000 } });
    expect(() => synth(chart2)).not.toThrow();
    void app2;
  });
});
