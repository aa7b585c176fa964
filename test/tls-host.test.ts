import { IngressGateway, IstioGatewayError, TenantGateway, TlsHost, TlsMode } from '../src';
import { all, errorOf, find, newChart, synth } from './support/synth';
import { expectValid } from './support/validate-helper';

function setup() {
  const { chart } = newChart();
  const gw = new TenantGateway(chart, 'web', { namespace: 'web' });
  return { chart, gw };
}

describe('TlsHost', () => {
  test('SIMPLE by default, with an HTTP->HTTPS redirect server on 80', () => {
    const { chart, gw } = setup();
    new TlsHost(chart, 'shop', { gateway: gw, hosts: ['shop.example.com'], credentialName: 'shop-cert' });
    const objects = synth(chart);
    const servers = find(objects, 'Gateway', 'web').spec.servers;
    // a TenantGateway scopes its hosts to the namespaces whose routes may bind (issue 11, item 10)
    expect(servers).toEqual([
      { port: { number: 443, name: 'https-443-shop', protocol: 'HTTPS' }, hosts: ['web/shop.example.com'], tls: { mode: 'SIMPLE', credentialName: 'shop-cert' } },
      { port: { number: 80, name: 'http-80-redirect-shop', protocol: 'HTTP' }, hosts: ['web/shop.example.com'], tls: { httpsRedirect: true } },
    ]);
    expect(find(objects, 'Service', 'web').spec.ports.map((p: any) => p.port)).toEqual([15021, 443, 80]);
    expect(all(objects, 'VirtualService')).toHaveLength(0);
    expectValid(objects);
  });

  test('two certificates on one port are two servers with distinct port names', () => {
    const { chart, gw } = setup();
    new TlsHost(chart, 'a', { gateway: gw, hosts: ['a.example.com'], credentialName: 'a-cert' });
    new TlsHost(chart, 'b', { gateway: gw, hosts: ['b.example.com'], credentialName: 'b-cert', httpsRedirect: false });
    const objects = synth(chart);
    const servers = find(objects, 'Gateway', 'web').spec.servers.filter((s: any) => s.port.number === 443);
    expect(servers.map((s: any) => [s.port.name, s.tls.credentialName])).toEqual([['https-443-a', 'a-cert'], ['https-443-b', 'b-cert']]);
    expectValid(objects);
  });

  test('MUTUAL and OPTIONAL_MUTUAL with SANs and min TLS version', () => {
    const { chart, gw } = setup();
    new TlsHost(chart, 'm', { gateway: gw, hosts: ['m.example.com'], mode: TlsMode.MUTUAL, credentialName: 'm-cert', subjectAltNames: ['spiffe://partner/client'], minProtocolVersion: 'TLSV1_3' });
    new TlsHost(chart, 'o', { gateway: gw, hosts: ['o.example.com'], mode: TlsMode.OPTIONAL_MUTUAL, credentialName: 'o-cert' });
    const objects = synth(chart);
    const servers = find(objects, 'Gateway', 'web').spec.servers;
    expect(servers[0].tls).toEqual({ mode: 'MUTUAL', credentialName: 'm-cert', minProtocolVersion: 'TLSV1_3', subjectAltNames: ['spiffe://partner/client'] });
    expect(servers.find((s: any) => s.port.name === 'https-443-o').tls.mode).toBe('OPTIONAL_MUTUAL');
    expectValid(objects);
  });

  test('PASSTHROUGH: a TLS server and a VirtualService routing by SNI, no redirect', () => {
    const { chart, gw } = setup();
    new TlsHost(chart, 'legacy', { gateway: gw, hosts: ['legacy.example.com'], mode: TlsMode.PASSTHROUGH, destination: { host: 'legacy', port: 8443 } });
    const objects = synth(chart);
    const servers = find(objects, 'Gateway', 'web').spec.servers;
    expect(servers).toEqual([{ port: { number: 443, name: 'tls-443-legacy', protocol: 'TLS' }, hosts: ['web/legacy.example.com'], tls: { mode: 'PASSTHROUGH' } }]);
    const vs = find(objects, 'VirtualService', 'legacy', 'web');
    expect(vs.spec).toEqual({
      hosts: ['legacy.example.com'],
      gateways: ['web/web'],
      tls: [{ match: [{ port: 443, sniHosts: ['legacy.example.com'] }], route: [{ destination: { host: 'legacy', port: { number: 8443 } } }] }],
    });
    expect(objects.indexOf(find(objects, 'Gateway', 'web'))).toBeLessThan(objects.indexOf(vs));
    expectValid(objects);
  });

  test('ISTIO_MUTUAL needs no credential; a terminating host with a destination gets an HTTP route', () => {
    const { chart, gw } = setup();
    new TlsHost(chart, 'mesh', { gateway: gw, hosts: ['mesh.example.com'], mode: TlsMode.ISTIO_MUTUAL, port: 15443, httpsRedirect: false, destination: { host: 'api.backend.svc.cluster.local', port: 8080 } });
    const objects = synth(chart);
    expect(find(objects, 'Gateway', 'web').spec.servers[0].tls).toEqual({ mode: 'ISTIO_MUTUAL' });
    expect(find(objects, 'VirtualService', 'mesh').spec.http).toEqual([{ route: [{ destination: { host: 'api.backend.svc.cluster.local', port: { number: 8080 } } }] }]);
    expectValid(objects);
  });

  test('works on a shared IngressGateway', () => {
    const { chart } = newChart();
    const gw = new IngressGateway(chart, 'shared', { namespace: 'web' });
    new TlsHost(chart, 'shop', { gateway: gw, hosts: ['shop.example.com'], credentialName: 'shop-cert' });
    const objects = synth(chart);
    expect(find(objects, 'Gateway', 'shared').spec.servers).toHaveLength(2);
    expectValid(objects);
  });

  describe('refuses', () => {
    const cases: [string, (gw: TenantGateway) => object, RegExp][] = [
      ['a missing credential for SIMPLE', (gw) => ({ gateway: gw, hosts: ['a.example.com'] }), /credentialName: invalid value undefined.*SIMPLE.*namespace "web"/],
      ['a missing credential for MUTUAL', (gw) => ({ gateway: gw, hosts: ['a.example.com'], mode: TlsMode.MUTUAL }), /credentialName.*MUTUAL/],
      ['a credential with PASSTHROUGH', (gw) => ({ gateway: gw, hosts: ['a.example.com'], mode: TlsMode.PASSTHROUGH, credentialName: 'x' }), /credentialName: invalid value "x"/],
      ['an unknown mode', (gw) => ({ gateway: gw, hosts: ['a.example.com'], mode: 'STRICT', credentialName: 'x' }), /mode: invalid value "STRICT"/],
      ['empty hosts', (gw) => ({ gateway: gw, hosts: [], credentialName: 'x' }), /hosts: invalid value \[\]/],
      ['a bad wildcard', (gw) => ({ gateway: gw, hosts: ['foo.*.com'], credentialName: 'x' }), /hosts\[0\]: invalid value "foo\.\*\.com"/],
      ['a duplicate host', (gw) => ({ gateway: gw, hosts: ['a.example.com', 'a.example.com'], credentialName: 'x' }), /hosts\[1\]/],
      ['a bad port', (gw) => ({ gateway: gw, hosts: ['a.example.com'], credentialName: 'x', port: 0 }), /port: invalid value 0/],
      ['a credential name with a namespace', (gw) => ({ gateway: gw, hosts: ['a.example.com'], credentialName: 'other/x' }), /credentialName: invalid value "other\/x"/],
      ['not a gateway', () => ({ gateway: { ref: 'x/y' }, hosts: ['a.example.com'], credentialName: 'x' }), /gateway: invalid value/],
      // regression, found by test/properties-platform.test.ts: an empty slot escaped the host checks and
      // crashed later with "TypeError: Cannot read properties of undefined (reading 'toLowerCase')"
      // regression, found by test/properties-gateways.test.ts (FC_SEED=100): the gateway's own Service as the backend loops
      ['the gateway\'s own Service as the destination', (gw) => ({ gateway: gw, hosts: ['a.example.com'], credentialName: 'x', destination: { host: gw.gatewayName, port: 443 } }), /destination\.host: invalid value "web".*itself/],
      ['a hole in the hosts list', (gw) => ({ gateway: gw, hosts: [, 'a.example.com'], credentialName: 'x' }), /hosts\[0\]: invalid value undefined; expected a value: the list has an empty slot/],
    ];
    test.each(cases)('%s', (_l, props, msg) => {
      const { chart, gw } = setup();
      const err = errorOf(() => new TlsHost(chart, 'h', props(gw) as any));
      expect(err).toBeInstanceOf(IstioGatewayError);
      expect(err.message).toMatch(msg);
      expect(err.message).toContain("TlsHost 'test/h'");
    });
  });
});

describe('TlsHost credential Secrets at synth', () => {
  test('a credential Secret the App itself defines is checked as written (IST0161 when it lacks keys)', () => {
    const { ApiObject } = require('cdk8s');
    const { chart, gw } = setup();
    new TlsHost(chart, 'shop', { gateway: gw, hosts: ['shop.example.com'], credentialName: 'shop-cert' });
    new ApiObject(chart, 'secret', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'shop-cert', namespace: 'web' }, type: 'kubernetes.io/tls', data: { 'ca.crt': 'eA==' } });
    const err = errorOf(() => synth(chart));
    expect(err).toBeInstanceOf(IstioGatewayError);
    expect(err.message).toMatch(/IST0161.*Gateway web\/web/);
  });

  test('a credential Secret the App does not define is assumed to be managed in the cluster', () => {
    const { chart, gw } = setup();
    new TlsHost(chart, 'shop', { gateway: gw, hosts: ['shop.example.com'], credentialName: 'shop-cert' });
    const objects = synth(chart); // does not throw
    expectValid(objects);
  });

  test('httpsRedirect only from 80 to 443: Envoy swaps only the scheme (issue 11, item 6)', () => {
    const { chart, gw } = setup();
    const tls = errorOf(() => new TlsHost(chart, 'a', { gateway: gw, hosts: ['a.example.com'], credentialName: 'c', port: 8443, httpsRedirect: true }));
    expect(tls).toBeInstanceOf(IstioGatewayError);
    expect(tls.message).toContain("[TlsHost 'test/a'] port: invalid value 8443; httpsRedirect needs the TLS port to be 443 and the redirect port 80");
    expect(tls.message).toContain('http://host:80 would be sent to https://host:80');
    const redirect = errorOf(() => new TlsHost(chart, 'b', { gateway: gw, hosts: ['b.example.com'], credentialName: 'c', redirectPort: 8080 }));
    expect(redirect.message).toContain("[TlsHost 'test/b'] redirectPort: invalid value 8080; httpsRedirect needs");
    expect(redirect.message).toContain('http://host:8080 would be sent to https://host:8080, a plain-text port; use redirectPort 80, or set httpsRedirect: false');
    expect(gw.servers).toEqual([]);
    // without an explicit httpsRedirect, TLS on another port simply gets no redirect server
    new TlsHost(chart, 'c', { gateway: gw, hosts: ['c.example.com'], credentialName: 'c', port: 8443 });
    new TlsHost(chart, 'd', { gateway: gw, hosts: ['d.example.com'], credentialName: 'c', port: 8443, httpsRedirect: false });
    const objects = synth(chart);
    expect(find(objects, 'Gateway', 'web').spec.servers.map((s: any) => s.port.number)).toEqual([8443, 8443]);
    expectValid(objects);
  });

  test('on an istioctl shared gateway the redirect counts the ports clients use: servers on 8080/8443 are 80/443', () => {
    const { chart } = newChart();
    const gw = new IngressGateway(chart, 'shared', { namespace: 'web' });
    new TlsHost(chart, 'a', { gateway: gw, hosts: ['a.example.com'], credentialName: 'c', port: 8443, redirectPort: 8080 });
    expect(gw.servers.map((s) => [s.port, s.protocol])).toEqual([[8443, 'HTTPS'], [8080, 'HTTP']]);
    const helm = new IngressGateway(chart, 'helm', { namespace: 'web', installedBy: 'helm', servicePorts: [{ port: 80 }, { port: 443 }, { port: 9443 }] });
    const e = errorOf(() => new TlsHost(chart, 'b', { gateway: helm, hosts: ['b.example.com'], credentialName: 'c', port: 9443, httpsRedirect: true }));
    expect(e.message).toContain('port: invalid value 9443');
  });

  test('a route the Gateway API cannot say is refused before the servers are added: the gateway keeps no listener for it', () => {
    const { chart } = newChart();
    const gw = new TenantGateway(chart, 'web', { namespace: 'web', api: 'gateway-api' });
    const e = errorOf(() => new TlsHost(chart, 'any', { gateway: gw, hosts: ['*'], mode: TlsMode.PASSTHROUGH, destination: { host: 'legacy', port: 8443 } }));
    expect(e).toBeInstanceOf(IstioGatewayError);
    expect((e as IstioGatewayError).prop).toBe('hosts');
    expect(e.message).toContain('a TLSRoute routes by SNI and needs at least one host name other than "*"');
    new TlsHost(chart, 'legacy', { gateway: gw, hosts: ['legacy.example.com'], mode: TlsMode.PASSTHROUGH, destination: { host: 'legacy', port: 8443 } });
    const objects = synth(chart);
    expect(find(objects, 'Gateway', 'web').spec.listeners.map((l: any) => l.hostname)).toEqual(['legacy.example.com']);
    expect(all(objects, 'TLSRoute').map((r: any) => r.metadata.name)).toEqual(['legacy']);
  });
});
