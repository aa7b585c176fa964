// TlsHost's model, called directly: props in, the servers and route out, or the refusal naming the
// construct, the prop, the value and what is valid. No cdk8s App, chart or gateway construct.
import { TlsMode } from '../src/model/gateway';
import { PLAIN_READERS } from '../src/model/routes';
import { normalizeTlsHost, TlsHostInput } from '../src/model/tls-host';
import { checker, gatewayFacts, refusal } from './support/model';

const tls = (props: TlsHostInput, gw = gatewayFacts(), id = 'shop') => normalizeTlsHost(checker(), props, gw, id, PLAIN_READERS);

describe('normalizeTlsHost', () => {
  test('SIMPLE on 443: the HTTPS server and the redirect server on 80, named after the id', () => {
    const m = tls({ hosts: ['shop.example.com'], credentialName: 'shop-cert', destination: { host: 'storefront', port: 8080 } });
    expect(m.name).toBe('shop');
    expect(m.mode).toBe(TlsMode.SIMPLE);
    expect(m.routeNamespace).toBe('payments');
    expect(m.destination).toEqual({ host: 'storefront', port: 8080 });
    expect(m.httpsRedirect).toBe(true);
    expect(m.servers).toEqual([
      {
        server: { port: 443, portName: 'https-443-shop', protocol: 'HTTPS', hosts: ['shop.example.com'],
          tls: { mode: 'SIMPLE', credentialName: 'shop-cert', minProtocolVersion: undefined, subjectAltNames: undefined } },
        prop: 'hosts',
      },
      { server: { port: 80, portName: 'http-80-redirect-shop', protocol: 'HTTP', hosts: ['shop.example.com'], tls: { httpsRedirect: true } }, prop: 'httpsRedirect' },
    ]);
  });

  test('PASSTHROUGH: one TLS server, no credential and no redirect', () => {
    const m = tls({ hosts: ['legacy.example.com'], mode: TlsMode.PASSTHROUGH, destination: { host: 'legacy', port: 8443 }, name: 'legacy' });
    expect(m.httpsRedirect).toBe(false);
    expect(m.credentialName).toBeUndefined();
    expect(m.servers.map((s) => [s.server.protocol, s.server.port, s.server.portName])).toEqual([['TLS', 443, 'tls-443-legacy']]);
  });

  test('namespace-scoped hosts keep their scopes on the servers, and the plain names for the route', () => {
    const m = tls({ hosts: ['team/shop.example.com', '*/cdn.example.com'], credentialName: 'c', namespace: 'team', destination: { host: 'web', port: 80 } });
    expect(m.hosts).toEqual(['shop.example.com', 'cdn.example.com']);
    expect(m.servers[0].server.hostScopes).toEqual(['team', '*']);
  });

  test('the redirect counts the ports clients use: 8443/8080 behind a Service mapping 443/80 gets it', () => {
    const m = tls({ hosts: ['a.example.com'], credentialName: 'c', port: 8443, redirectPort: 8080 }, gatewayFacts({ portMap: { 443: 8443, 80: 8080 } }));
    expect(m.httpsRedirect).toBe(true);
    expect(m.servers[1].server.port).toBe(8080);
  });

  test('a TLS port that is not 443 gets no redirect by default, and an explicit one is refused', () => {
    expect(tls({ hosts: ['a.example.com'], credentialName: 'c', port: 9443 }).httpsRedirect).toBe(false);
    const e = refusal(() => tls({ hosts: ['a.example.com'], credentialName: 'c', port: 9443, httpsRedirect: true }));
    expect(e.construct).toBe("TlsHost 'test/x'");
    expect(e.prop).toBe('port');
    expect(e.value).toBe(9443);
    expect(e.message).toContain('use port 443, or set httpsRedirect: false');
  });

  test.each([
    ['a missing credential for SIMPLE', { hosts: ['a.example.com'] }, 'credentialName', undefined, 'name the Secret holding it (in namespace "payments"'],
    ['a credential for PASSTHROUGH', { hosts: ['a.example.com'], mode: TlsMode.PASSTHROUGH, credentialName: 'c' }, 'credentialName', 'c', 'the backend terminates TLS'],
    ['a credential that is no Secret name', { hosts: ['a.example.com'], credentialName: 'Shop_Cert' }, 'credentialName', 'Shop_Cert', 'lower-case letters, digits'],
    ['an unknown mode', { hosts: ['a.example.com'], mode: 'STRICT' as TlsMode }, 'mode', 'STRICT', "expected one of 'SIMPLE'"],
    ['SANs without client certificates', { hosts: ['a.example.com'], credentialName: 'c', subjectAltNames: ['x'] }, 'subjectAltNames', ['x'], 'use them with MUTUAL'],
    ['a TLS version for PASSTHROUGH', { hosts: ['a.example.com'], mode: TlsMode.PASSTHROUGH, minProtocolVersion: 'TLSV1_3' as const }, 'minProtocolVersion', 'TLSV1_3', 'the backend decides'],
    ['a redirect port without a redirect', { hosts: ['a.example.com'], credentialName: 'c', httpsRedirect: false, redirectPort: 80 }, 'redirectPort', 80, 'only with httpsRedirect: true'],
    ['a destination without its port', { hosts: ['a.example.com'], credentialName: 'c', destination: { host: 'web' } }, 'destination.port', undefined, 'this prop is required'],
    ['a destination that is the gateway itself', { hosts: ['a.example.com'], credentialName: 'c', destination: { host: 'gw', port: 80 } }, 'destination.host', 'gw', 'own Service'],
    ['a host scoped to another namespace than the route', { hosts: ['other/a.example.com'], credentialName: 'c', destination: { host: 'web', port: 80 } }, 'hosts[0]', 'other/a.example.com', 'admits routes only from namespace "other"'],
    ['an invalid name', { hosts: ['a.example.com'], credentialName: 'c', name: 'Shop' }, 'name', 'Shop', 'DNS-1123 label'],
  ])('refuses %s', (_what, props, prop, value, expected) => {
    const e = refusal(() => tls(props as TlsHostInput));
    expect([e.construct, e.prop, e.value]).toEqual(["TlsHost 'test/x'", prop, value]);
    expect(e.message).toContain(expected);
  });

  test('a Service construct as destination needs the cdk8s readers: plain readers refuse it, naming the prop', () => {
    const e = refusal(() => tls({ hosts: ['a.example.com'], credentialName: 'c', destination: { service: {} as never, port: 80 } }));
    expect(e.prop).toBe('destination.service');
    expect(e.message).toContain('give host instead');
  });
});
