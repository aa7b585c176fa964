// Issue 12: every construct validates before it stays in the tree: a refused input leaves no
// node behind (so the same id can be declared again with valid props, and synthesis sees nothing).
import { Chart, Testing } from 'cdk8s';
import {
  AccessLogPolicy, CanaryRoute, HttpRoute, IngressGateway, IstioGatewayError, StrictMtls, TcpCanaryRoute, TcpGateway, TenantGateway, TlsHost, TrimmedGatewayConfig,
} from '../src';
import { errorOf, find } from './support/synth';

type Make = (chart: Chart, gw: TenantGateway) => unknown;
const REFUSED: [string, Make][] = [
  ['TcpGateway', (c, gw) => new TcpGateway(c, 'x', { gateway: gw, port: 0, destination: { host: 'a', port: 1 } })],
  ['TcpCanaryRoute', (c, gw) => new TcpCanaryRoute(c, 'x', { gateway: gw, port: 0 } as any)],
  ['TlsHost', (c, gw) => new TlsHost(c, 'x', { gateway: gw, hosts: [] } as any)],
  ['HttpRoute', (c) => new HttpRoute(c, 'x', { hosts: [] } as any)],
  ['CanaryRoute', (c) => new CanaryRoute(c, 'x', { hosts: ['a'] } as any)],
  ['AccessLogPolicy', (c) => new AccessLogPolicy(c, 'x', { bogus: 1 } as any)],
  ['StrictMtls', (c) => new StrictMtls(c, 'x', { bogus: 1 } as any)],
  ['TrimmedGatewayConfig', (c) => new TrimmedGatewayConfig(c, 'x', { bogus: 1 } as any)],
  ['TenantGateway', (c) => new TenantGateway(c, 'x', { bogus: 1 } as any)],
  ['IngressGateway', (c) => new IngressGateway(c, 'x', { bogus: 1 } as any)],
];

describe('a refused construct leaves no node in the tree', () => {
  test.each(REFUSED)('%s', (kind, make) => {
    const chart = new Chart(Testing.app(), 'test');
    const gw = new TenantGateway(chart, 'gw', { namespace: 'team-a' });
    const before = chart.node.children.length;
    const e = errorOf(() => make(chart, gw));
    expect(e).toBeInstanceOf(IstioGatewayError);
    expect(e.message).toContain(`[${kind} 'test/x']`);
    expect(chart.node.tryFindChild('x')).toBeUndefined();
    expect(chart.node.children.length).toBe(before);
  });

  test('an IngressGateway refused for its last-checked prop (serviceName) leaves no node either (it was checked after joining the tree)', () => {
    const chart = new Chart(Testing.app(), 'test');
    const e = errorOf(() => new IngressGateway(chart, 'x', { namespace: 'web', serviceName: 'Not_A_Name' }));
    expect(e.message).toContain("[IngressGateway 'test/x'] serviceName: invalid value \"Not_A_Name\"");
    expect(chart.node.children.length).toBe(0);
  });

  test('the same id declared again with valid props synthesizes', () => {
    const chart = new Chart(Testing.app(), 'test');
    const gw = new TenantGateway(chart, 'gw', { namespace: 'team-a' });
    errorOf(() => new TcpGateway(chart, 'echo', { gateway: gw, port: 0, destination: { host: 'tcp-echo', port: 9000 } }));
    new TcpGateway(chart, 'echo', { gateway: gw, port: 31400, destination: { host: 'tcp-echo', port: 9000 } });
    expect(find(Testing.synth(chart), 'VirtualService', 'echo', 'team-a').spec.tcp[0].match).toEqual([{ port: 31400 }]);
  });

  test('a refusal after construction (a method call) leaves the construct in place', () => {
    const chart = new Chart(Testing.app(), 'test');
    const gw = new TenantGateway(chart, 'gw', { namespace: 'team-a' });
    expect(errorOf(() => gw.addHttpHosts(['not a host']))).toBeInstanceOf(IstioGatewayError);
    expect(chart.node.tryFindChild('gw')).toBe(gw);
  });
});
