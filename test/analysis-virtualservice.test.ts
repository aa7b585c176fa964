import fc from 'fast-check';
import { fqdnResourceName, resourceNameFromHost, toFqdn } from '../src/analysis/hosts';
import { analyze, Diagnostic } from '../src/analysis';
import {
  destinationRule, gateway, Obj, route, server, service, serviceEntry, virtualService,
} from './fixtures/analysis/builders';

const codes = (ds: Diagnostic[]): string[] => ds.map((d) => `${d.code} ${d.origin}`).sort();
const run = (analyzer: string, objects: Obj[]): Diagnostic[] => analyze(objects, { analyzers: [analyzer] });
/** Istio's text of a message, without the fix hint. */
const istioText = (d: Diagnostic): string => d.message.slice(0, d.message.indexOf(' Fix: '));

describe('virtualservice.GatewayAnalyzer', () => {
  const A = 'virtualservice.GatewayAnalyzer';
  const gw = gateway('public', 'edge', { istio: 'ingressgateway' }, [server(80, ['shop.example.com', '*.api.example.com'])]);

  test('a gateway that does not exist is IST0101 (and, having no hosts, IST0132)', () => {
    const ds = run(A, [gw, virtualService('vs', 'apps', { hosts: ['shop.example.com'], gateways: ['public'] })]);
    expect(codes(ds)).toEqual(['IST0101 VirtualService apps/vs', 'IST0132 VirtualService apps/vs']);
    expect(ds.find((d) => d.code === 'IST0101')!.message).toContain('Referenced gateway not found: "public"');
  });

  test('ns/name references and wildcard gateway hosts', () => {
    expect(codes(run(A, [gw, virtualService('vs', 'apps', { hosts: ['shop.example.com'], gateways: ['edge/public'] })]))).toEqual([]);
    expect(codes(run(A, [gw, virtualService('vs', 'apps', { hosts: ['v1.api.example.com'], gateways: ['edge/public'] })]))).toEqual([]);
    expect(codes(run(A, [gw, virtualService('vs', 'edge', { hosts: ['x'], gateways: ['public', 'mesh'] })])))
      .toEqual(['IST0132 VirtualService edge/vs']);
  });

  test('IST0132 is reported once per gateway that has none of the hosts', () => {
    const other = gateway('other', 'edge', { istio: 'ingressgateway' }, [server(80, ['blog.example.com'])]);
    const ds = run(A, [gw, other, virtualService('vs', 'apps', { hosts: ['shop.example.com'], gateways: ['edge/public', 'edge/other'] })]);
    expect(codes(ds)).toEqual(['IST0132 VirtualService apps/vs']);
    expect(ds[0].message).toContain('one or more host [shop.example.com] defined in VirtualService apps/vs not found in Gateway edge/other.');
    expect(ds[0].level).toBe('Warning');
  });

  test('the hint names at most eight of a gateway\'s hosts and counts the rest', () => {
    const hosts = (n: number): string[] => Array.from({ length: n }, (_, i) => `h${i}.example.com`);
    const hint = (n: number): string => {
      const g = gateway('shared', 'edge', { istio: 'ingressgateway' }, [server(80, hosts(n))]);
      const ds = run(A, [g, virtualService('vs', 'edge', { hosts: ['none.example.com'], gateways: ['shared'] })]);
      expect(codes(ds)).toEqual(['IST0132 VirtualService edge/vs']);
      return ds[0].message.slice(ds[0].message.indexOf(' Fix: '));
    };
    expect(hint(8)).toContain(`"edge": ${hosts(8).join(', ')}), or change spec.hosts.`);
    expect(hint(9)).toContain(`"edge": ${hosts(8).join(', ')} and 1 more), or change spec.hosts.`);
    const many = hint(4000);
    expect(many).toContain(`"edge": ${hosts(8).join(', ')} and 3992 more), or change spec.hosts.`);
    expect(many.length).toBeLessThan(400);
  });

  test('namespace-qualified gateway hosts limit which VirtualServices may bind', () => {
    const scoped = gateway('scoped', 'edge', { istio: 'ingressgateway' }, [server(80, ['./own.example.com', 'shop/shop.example.com'])]);
    const vs = (ns: string, host: string): Obj => virtualService('vs', ns, { hosts: [host], gateways: ['edge/scoped'] });
    expect(codes(run(A, [scoped, vs('edge', 'own.example.com')]))).toEqual([]);
    expect(codes(run(A, [scoped, vs('shop', 'own.example.com')]))).toEqual(['IST0132 VirtualService shop/vs']);
    expect(codes(run(A, [scoped, vs('shop', 'shop.example.com')]))).toEqual([]);
    expect(codes(run(A, [scoped, vs('other', 'shop.example.com')]))).toEqual(['IST0132 VirtualService other/vs']);
  });

  test('gateway hosts are read as Istio splits them: "*/*" opens a server to every host, a second "/" ends the host', () => {
    const gw = (hosts: string[]): Obj => gateway('g', 'edge', { istio: 'ingressgateway' }, [server(80, ['first.example.com']), server(81, hosts)]);
    const vs = (ns: string, host: string): Obj => virtualService('vs', ns, { hosts: [host], gateways: ['edge/g'] });
    // "*/*" stands for every host in every namespace, whatever else the server lists.
    expect(codes(run(A, [gw(['a.example.com', '*/*', 'b.example.com']), vs('shop', 'any.example.org')]))).toEqual([]);
    // "*/h" is h for every namespace; "ns/h/extra" is h for namespace ns (the text after a second "/" is dropped).
    expect(codes(run(A, [gw(['*/star.example.com']), vs('shop', 'star.example.com')]))).toEqual([]);
    expect(codes(run(A, [gw(['shop/a.example.com/extra']), vs('shop', 'a.example.com')]))).toEqual([]);
    expect(codes(run(A, [gw(['shop/a.example.com/extra']), vs('shop', 'a.example.com/extra')]))).toEqual(['IST0132 VirtualService shop/vs']);
    expect(codes(run(A, [gw(['./own.example.com/x']), vs('edge', 'own.example.com')]))).toEqual([]);
    expect(codes(run(A, [gw(['./own.example.com/x']), vs('shop', 'own.example.com')]))).toEqual(['IST0132 VirtualService shop/vs']);
    // The message lists the hosts visible from the route's namespace, as sanitized.
    const ds = run(A, [gw(['*/star.example.com', './own.example.com', 'shop/a.example.com/extra']), vs('shop', 'none.example.com')]);
    expect(ds[0].message).toContain('first.example.com, star.example.com, a.example.com');
  });

  test('references to generated internal gateways are IST0165', () => {
    const ds = run(A, [virtualService('vs', undefined, { hosts: ['x'], gateways: ['ingress/web-istio-autogenerated-k8s-gateway-http'] })]);
    expect(codes(ds)).toEqual(['IST0165 VirtualService vs']);
  });

  test('Gateway API gateways satisfy references; an empty listener hostname accepts every host', () => {
    const k8s = (hostname?: string): Obj => ({
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'web', namespace: 'edge' },
      spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP', ...(hostname ? { hostname } : {}) }] },
    });
    const vs = virtualService('vs', 'edge', { hosts: ['a.example.com'], gateways: ['web'] });
    expect(codes(run(A, [k8s(), vs]))).toEqual([]);
    expect(codes(run(A, [k8s('*.example.com'), vs]))).toEqual([]);
    expect(codes(run(A, [k8s('b.example.org'), vs]))).toEqual(['IST0132 VirtualService edge/vs']);
  });
});

describe('virtualservice.DestinationRuleAnalyzer', () => {
  const A = 'virtualservice.DestinationRuleAnalyzer';
  const dr = destinationRule('reviews', 'default', 'reviews', [{ name: 'v1', labels: { version: 'v1' } }]);

  test('a subset no DestinationRule defines is IST0101, for routes and mirrors', () => {
    const ds = run(A, [dr, virtualService('vs', 'default', {
      hosts: ['reviews'],
      http: [{ route: [route('reviews', { subset: 'v1' }), route('reviews', { subset: 'v2' })], mirror: { host: 'reviews', subset: 'v3' } }],
      tcp: [{ route: [route('reviews.default.svc.cluster.local', { subset: 'v1' })] }],
    })]);
    expect(codes(ds)).toEqual(['IST0101 VirtualService default/vs', 'IST0101 VirtualService default/vs']);
    expect(ds.map(istioText).sort()).toEqual([
      'Referenced host+subset in destinationrule not found: "reviews+v2".',
      'Referenced mirror+subset in destinationrule not found: "reviews+v3".',
    ]);
  });

  test('short names resolve in the namespace of each resource', () => {
    expect(codes(run(A, [dr, virtualService('vs', 'other', { http: [{ route: [route('reviews', { subset: 'v1' })] }] })])))
      .toEqual(['IST0101 VirtualService other/vs']);
    expect(codes(run(A, [dr, virtualService('vs', 'other', { http: [{ route: [route('reviews.default.svc.cluster.local', { subset: 'v1' })] }] })])))
      .toEqual([]);
  });
});

describe('virtualservice.DestinationHostAnalyzer', () => {
  const A = 'virtualservice.DestinationHostAnalyzer';
  const svc1 = service('reviews', 'default', { app: 'reviews' }, [{ port: 9080 }]);
  const svc2 = service('ratings', 'default', { app: 'ratings' }, [{ port: 80 }, { port: 443 }]);

  test('unknown hosts, unknown ports and ambiguous ports', () => {
    const ds = run(A, [svc1, svc2, virtualService('vs', 'default', {
      http: [{ route: [route('reviews'), route('nope'), route('reviews', { port: 1 }), route('ratings'), route('ratings', { port: 443 })] }],
    })]);
    expect(codes(ds)).toEqual(['IST0101 VirtualService default/vs', 'IST0101 VirtualService default/vs', 'IST0112 VirtualService default/vs']);
    const msgs = ds.map(istioText).sort();
    expect(msgs).toEqual([
      'Referenced host not found: "nope".',
      'Referenced host:port not found: "reviews:1".',
      'This VirtualService routes to a service "ratings" that exposes multiple ports [80 443]. Specifying a port in the destination is required to disambiguate.',
    ]);
  });

  test('name.namespace is not a service host (Istio resolves only short names and FQDNs)', () => {
    const ds = run(A, [svc1, virtualService('vs', 'web', { http: [{ route: [route('reviews.default')] }] })]);
    expect(codes(ds)).toEqual(['IST0101 VirtualService web/vs']);
  });

  test('ServiceEntry hosts, wildcards and exportTo', () => {
    const se = serviceEntry('ext', 'default', { hosts: ['*.partner.example'], ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }] });
    const local = serviceEntry('local', 'team', { hosts: ['internal.example'], exportTo: ['.'] });
    const vs = (ns: string, host: string): Obj => virtualService('vs', ns, { http: [{ route: [route(host)] }] });
    expect(codes(run(A, [se, vs('web', 'api.partner.example')]))).toEqual([]);
    expect(codes(run(A, [local, vs('team', 'internal.example')]))).toEqual([]);
    expect(codes(run(A, [local, vs('web', 'internal.example')]))).toEqual(['IST0101 VirtualService web/vs']);
  });

  test('the networking.istio.io/exportTo annotation limits where a Service is visible', () => {
    const hidden = service('hidden', 'default', { app: 'h' }, [{ port: 80 }], { 'networking.istio.io/exportTo': '.,friends' });
    const vs = (ns: string): Obj => virtualService('vs', ns, { http: [{ route: [route('hidden.default.svc.cluster.local')] }] });
    expect(codes(run(A, [hidden, vs('default')]))).toEqual([]);
    expect(codes(run(A, [hidden, vs('friends')]))).toEqual([]);
    expect(codes(run(A, [hidden, vs('strangers')]))).toEqual(['IST0101 VirtualService strangers/vs']);
  });

  test('mirrors[] destinations are checked', () => {
    const ds = run(A, [svc1, virtualService('vs', 'default', { http: [{ route: [route('reviews')], mirrors: [{ destination: { host: 'gone' } }] }] })]);
    expect(codes(ds)).toEqual(['IST0101 VirtualService default/vs']);
    expect(ds[0].message).toContain('Referenced mirror host not found: "gone"');
  });

  test('a gateway route without subset to a host split by subset for the mesh is IST0140', () => {
    const mesh = virtualService('reviews', 'default', { hosts: ['reviews'], http: [{ route: [route('reviews', { subset: 'v1' })] }] });
    const ingress = virtualService('ingress', 'default', { hosts: ['r.example.com'], gateways: ['edge/public'], http: [{ route: [route('reviews')] }] });
    const ds = run(A, [svc1, mesh, ingress]);
    expect(codes(ds)).toEqual(['IST0140 VirtualService default/ingress']);
    expect(ds[0].message).toContain('Subset in virtual service default/reviews has no effect on ingress gateway default/ingress requests');
  });
});

describe('virtualservice.ConflictingMeshGatewayHostsAnalyzer', () => {
  const A = 'virtualservice.ConflictingMeshGatewayHostsAnalyzer';

  test('two mesh VirtualServices with the same host (short name or FQDN) conflict; gateway-only ones do not', () => {
    const ds = run(A, [
      virtualService('a', 'shop', { hosts: ['orders'] }),
      virtualService('b', 'shop', { hosts: ['orders.shop.svc.cluster.local'], gateways: ['mesh', 'edge/public'] }),
      virtualService('c', 'shop', { hosts: ['orders'], gateways: ['edge/public'] }),
    ]);
    expect(codes(ds)).toEqual(['IST0109 VirtualService shop/a', 'IST0109 VirtualService shop/b']);
    expect(ds[0].message).toContain('define the same host */orders.shop.svc.cluster.local');
  });

  test('exportTo scopes conflicts', () => {
    const local = (name: string, ns: string): Obj => virtualService(name, ns, { hosts: ['x.example.com'], exportTo: ['.'] });
    expect(codes(run(A, [local('a', 'n1'), local('b', 'n2')]))).toEqual([]);
    expect(codes(run(A, [local('a', 'n1'), virtualService('b', 'n2', { hosts: ['x.example.com'] })])))
      .toEqual(['IST0109 VirtualService n1/a', 'IST0109 VirtualService n2/b']);
  });

  test('each VirtualService is reported once even with several conflicting hosts', () => {
    const ds = run(A, [virtualService('a', 'n', { hosts: ['x.io', 'y.io'] }), virtualService('b', 'n', { hosts: ['x.io', 'y.io'] })]);
    expect(codes(ds)).toEqual(['IST0109 VirtualService n/a', 'IST0109 VirtualService n/b']);
  });
});

describe('fqdnResourceName', () => {
  test('is resourceNameFromHost of the FQDN for any host and namespace (dots, wildcards, slashes, empty)', () => {
    const part = fc.string({ unit: fc.constantFrom('a', 'b', '.', '*', '/', '-', 's', 'v', 'c'), maxLength: 8 });
    const host = fc.oneof(part, part.map((p) => `${p}.svc.cluster.local`), fc.constantFrom('', 'reviews', '*', '*.local', 'a.b'));
    const namespace = fc.oneof(part, fc.constantFrom('default', 'apps', 'a.b', ''));
    fc.assert(fc.property(namespace, host, (ns, h) => {
      expect(fqdnResourceName(ns, h)).toBe(resourceNameFromHost(ns, toFqdn(ns, h)));
    }), { numRuns: 3000 });
    expect(fqdnResourceName('apps', 'reviews')).toBe('apps/reviews');
    expect(fqdnResourceName('apps', 'reviews.other.svc.cluster.local')).toBe('other/reviews');
  });
});
