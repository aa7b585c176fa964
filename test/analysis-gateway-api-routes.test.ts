// The analyzer's host and reference checks of Gateway API routes (gatewayapi.RouteParentAnalyzer,
// gatewayapi.RouteBackendAnalyzer): what virtualservice.GatewayAnalyzer/DestinationHostAnalyzer check for VirtualServices.
import { ApiObject, ApiObjectProps, Chart, Testing } from 'cdk8s';
import { SynthCheck, TenantGateway } from '../src';
import { analyze, Diagnostic } from '../src/analysis';

type Obj = Record<string, any>;
const GW = 'gateway.networking.k8s.io';
const OURS = ['gatewayapi.RouteParentAnalyzer', 'gatewayapi.RouteBackendAnalyzer'];

function gateway(name: string, namespace: string, listeners: Obj[]): Obj {
  return { apiVersion: `${GW}/v1`, kind: 'Gateway', metadata: { name, namespace }, spec: { gatewayClassName: 'istio', listeners } };
}
function listener(name: string, port: number, protocol: string, hostname?: string, allowedRoutes?: Obj): Obj {
  return { name, port, protocol, ...(hostname ? { hostname } : {}), ...(allowedRoutes ? { allowedRoutes } : {}) };
}
function route(kind: string, name: string, namespace: string, parentRefs: Obj[], hostnames: string[] | undefined, backends: Obj[], extraRule: Obj = {}): Obj {
  const version = kind === 'TCPRoute' ? 'v1alpha2' : 'v1';
  return {
    apiVersion: `${GW}/${version}`, kind, metadata: { name, namespace },
    spec: { parentRefs, ...(hostnames ? { hostnames } : {}), rules: [{ backendRefs: backends, ...extraRule }] },
  };
}
function service(name: string, namespace: string, ports: number[]): Obj {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { selector: { app: name }, ports: ports.map((port) => ({ name: `http-${port}`, port })) } };
}
function codes(ds: Diagnostic[]): string[] {
  return ds.map((d) => `${d.code} ${d.analyzer} ${d.origin}`);
}
const run = (objects: Obj[], external: Obj[] = []) => analyze(objects, { analyzers: OURS, external });

const web = service('web', 'apps', [8080]);
const gw = gateway('gw', 'apps', [
  listener('http', 80, 'HTTP', '*.example.com'),
  listener('https-shop', 443, 'HTTPS', 'shop.example.com'),
  listener('tls', 8443, 'TLS', 'sni.example.com'),
  listener('tcp', 31400, 'TCP'),
]);
const ref = (extra: Obj = {}) => ({ name: 'gw', ...extra });

describe('gatewayapi.RouteParentAnalyzer', () => {
  test('routes bound to listeners that serve their hostnames are clean (wildcard listener, sectionName, port, TCP, TLS)', () => {
    expect(run([gw, web,
      route('HTTPRoute', 'a', 'apps', [ref()], ['a.example.com'], [{ name: 'web', port: 8080 }]),
      route('HTTPRoute', 'b', 'apps', [ref({ sectionName: 'https-shop' })], ['shop.example.com'], [{ name: 'web', port: 8080 }]),
      route('GRPCRoute', 'c', 'apps', [ref({ port: 443 })], ['shop.example.com'], [{ name: 'web', port: 8080 }]),
      route('HTTPRoute', 'd', 'apps', [ref()], undefined, [{ name: 'web', port: 8080 }]),
      route('TLSRoute', 'e', 'apps', [ref()], ['sni.example.com'], [{ name: 'web', port: 8080 }]),
      route('TCPRoute', 'f', 'apps', [ref({ sectionName: 'tcp' })], undefined, [{ name: 'web', port: 8080 }]),
    ])).toEqual([]);
  });

  test('a parentRef to a Gateway missing from the input is IST0101; a GAMMA Service parent is not checked here', () => {
    const ds = run([web,
      route('HTTPRoute', 'a', 'apps', [{ name: 'nope', namespace: 'edge' }], ['a.example.com'], [{ name: 'web', port: 8080 }]),
      route('HTTPRoute', 'mesh', 'apps', [{ group: '', kind: 'Service', name: 'web' }], undefined, [{ name: 'web', port: 8080 }]),
    ]);
    expect(codes(ds)).toEqual(['IST0101 gatewayapi.RouteParentAnalyzer HTTPRoute apps/a']);
    expect(ds[0].message).toMatch(/^Referenced gateway not found: "edge\/nope"\. Fix: create Gateway edge\/nope/);
  });

  test('the Gateway given as an external object satisfies the reference (and is not reported on)', () => {
    expect(run([web, route('HTTPRoute', 'a', 'apps', [ref()], ['a.example.com'], [{ name: 'web', port: 8080 }])], [gw])).toEqual([]);
  });

  test('hostnames no listener serves are IST0132, honouring sectionName', () => {
    const ds = run([gw, web,
      route('HTTPRoute', 'apex', 'apps', [ref()], ['example.com'], [{ name: 'web', port: 8080 }]),
      route('HTTPRoute', 'wrong-section', 'apps', [ref({ sectionName: 'https-shop' })], ['a.example.com'], [{ name: 'web', port: 8080 }]),
    ]);
    expect(codes(ds)).toEqual([
      'IST0132 gatewayapi.RouteParentAnalyzer HTTPRoute apps/apex',
      'IST0132 gatewayapi.RouteParentAnalyzer HTTPRoute apps/wrong-section',
    ]);
    expect(ds[0].message).toContain('one or more host [example.com] defined in VirtualService apps/apex not found in Gateway apps/gw.');
    expect(ds[0].message).toContain('(*.example.com, shop.example.com)');
    expect(ds[1].message).toContain('Gateway apps/gw/https-shop (shop.example.com)');
  });

  test('a sectionName or port naming no listener is IST0101', () => {
    const ds = run([gw, web,
      route('HTTPRoute', 'a', 'apps', [ref({ sectionName: 'nope' })], ['a.example.com'], [{ name: 'web', port: 8080 }]),
      route('HTTPRoute', 'b', 'apps', [ref({ port: 9999 })], ['a.example.com'], [{ name: 'web', port: 8080 }]),
    ]);
    expect(ds.map((d) => d.message.split('. Fix')[0])).toEqual([
      'Referenced gateway listener not found: "apps/gw/nope"',
      'Referenced gateway listener not found: "apps/gw:9999"',
    ]);
  });

  // Every listener of a sectionName counts (an invalid Gateway may repeat a name), with or without a
  // port, and only the referenced Gateway's listeners: a lookup of listeners by name (tried in the tenth
  // round of issue 16) must keep all of them and keep one table per Gateway.
  test('a sectionName is served by any listener of that name: two listeners of one name, with a port, on two Gateways', () => {
    const twice = gateway('twice', 'apps', [
      listener('dup', 80, 'HTTP', 'one.example.com'),
      listener('other', 80, 'HTTP', 'two.example.com'),
      listener('dup', 81, 'HTTP', 'two.example.com'),
      { port: 82, protocol: 'HTTP', hostname: 'three.example.com' },
    ]);
    const second = gateway('second', 'apps', [listener('dup', 80, 'HTTP', 'three.example.com')]);
    const ds = run([twice, second, web,
      route('HTTPRoute', 'first-dup', 'apps', [{ name: 'twice', sectionName: 'dup' }], ['one.example.com'], [{ name: 'web', port: 8080 }]),
      route('HTTPRoute', 'second-dup', 'apps', [{ name: 'twice', sectionName: 'dup' }], ['two.example.com'], [{ name: 'web', port: 8080 }]),
      route('HTTPRoute', 'dup-port', 'apps', [{ name: 'twice', sectionName: 'dup', port: 81 }], ['two.example.com'], [{ name: 'web', port: 8080 }]),
      route('HTTPRoute', 'dup-wrong-port', 'apps', [{ name: 'twice', sectionName: 'dup', port: 80 }], ['two.example.com'], [{ name: 'web', port: 8080 }]),
      route('HTTPRoute', 'unnamed-listener', 'apps', [{ name: 'twice', sectionName: 'undefined' }], ['three.example.com'], [{ name: 'web', port: 8080 }]),
      route('HTTPRoute', 'other-gateway', 'apps', [{ name: 'second', sectionName: 'dup' }], ['three.example.com'], [{ name: 'web', port: 8080 }]),
      route('HTTPRoute', 'other-gateway-host', 'apps', [{ name: 'second', sectionName: 'dup' }], ['one.example.com'], [{ name: 'web', port: 8080 }]),
    ]);
    expect(codes(ds)).toEqual([
      'IST0132 gatewayapi.RouteParentAnalyzer HTTPRoute apps/dup-wrong-port',
      'IST0132 gatewayapi.RouteParentAnalyzer HTTPRoute apps/other-gateway-host',
      'IST0101 gatewayapi.RouteParentAnalyzer HTTPRoute apps/unnamed-listener',
    ]);
    expect(ds[0].message).toContain('Gateway apps/twice/dup:80 (one.example.com)');
  });

  test('listeners of another protocol, or not admitting the route\'s namespace, do not serve it', () => {
    const ds = run([gw, web, service('web', 'other', [8080]),
      route('TCPRoute', 'tcp-on-http', 'apps', [ref({ sectionName: 'http' })], undefined, [{ name: 'web', port: 8080 }]),
      route('HTTPRoute', 'foreign', 'other', [ref({ namespace: 'apps' })], ['a.example.com'], [{ name: 'web', port: 8080 }]),
    ]);
    expect(codes(ds)).toEqual([
      'IST0132 gatewayapi.RouteParentAnalyzer HTTPRoute other/foreign',
      'IST0132 gatewayapi.RouteParentAnalyzer TCPRoute apps/tcp-on-http',
    ]);
    expect(ds[0].message).toContain('admit no HTTPRoute from namespace "other"');
    expect(ds[1].message).toContain('accepts a TCPRoute (its protocols: HTTP)');
  });

  test('allowedRoutes from All, or a kubernetes.io/metadata.name selector listing the namespace, admits it', () => {
    const shared = gateway('gw', 'apps', [
      listener('all', 80, 'HTTP', 'a.example.com', { namespaces: { from: 'All' } }),
      listener('some', 81, 'HTTP', 'b.example.com', { namespaces: { from: 'Selector', selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['other'] }] } } }),
    ]);
    const other = service('web', 'other', [8080]);
    expect(run([shared, other,
      route('HTTPRoute', 'a', 'other', [ref({ namespace: 'apps' })], ['a.example.com'], [{ name: 'web', port: 8080 }]),
      route('HTTPRoute', 'b', 'other', [ref({ namespace: 'apps' })], ['b.example.com'], [{ name: 'web', port: 8080 }]),
    ])).toEqual([]);
    expect(codes(run([shared, service('web', 'third', [8080]),
      route('HTTPRoute', 'b', 'third', [ref({ namespace: 'apps', sectionName: 'some' })], ['b.example.com'], [{ name: 'web', port: 8080 }]),
    ]))).toEqual(['IST0132 gatewayapi.RouteParentAnalyzer HTTPRoute third/b']);
  });
  // One LabelSelector reading for every analyzer (label-selector.ts): Istio refuses a selector that
  // does not parse (LabelSelectorAsSelector fails), so it admits no namespace.
  test('a malformed allowedRoutes selector (expression without key, or not an object) admits no namespace', () => {
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other', labels: { team: 'a' } } };
    const bySelector = (selector: Obj) => gateway('gw', 'apps', [listener('sel', 80, 'HTTP', 'a.example.com', { namespaces: { from: 'Selector', selector } })]);
    const bound = route('HTTPRoute', 'a', 'other', [ref({ namespace: 'apps' })], ['a.example.com'], [{ name: 'web', port: 8080 }]);
    const other = service('web', 'other', [8080]);
    expect(run([bySelector({ matchLabels: { team: 'a' } }), ns, other, bound])).toEqual([]);
    for (const selector of [{ matchExpressions: [{ operator: 'DoesNotExist' }] }, { matchExpressions: ['team=a'] }, { matchExpressions: [{ key: 'team', operator: 'Has' }] }]) {
      expect(codes(run([bySelector(selector), ns, other, bound]))).toEqual(['IST0132 gatewayapi.RouteParentAnalyzer HTTPRoute other/a']);
    }
  });
});

describe('gatewayapi.RouteBackendAnalyzer', () => {
  test('a backendRef (or mirror) to a Service missing from the input, or to a port it lacks, is IST0101', () => {
    const ds = run([gw, web,
      route('HTTPRoute', 'a', 'apps', [ref()], ['a.example.com'], [{ name: 'web', port: 8080 }, { name: 'gone', port: 80 }, { name: 'web', port: 9090 }],
        { filters: [{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'shadow', namespace: 'mirror', port: 80 } } }] }),
    ]);
    expect(ds.map((d) => `${d.code} ${d.message.split('. Fix')[0]}`)).toEqual([
      'IST0101 Referenced service not found: "apps/gone"',
      'IST0101 Referenced service not found: "mirror/shadow"',
      'IST0101 Referenced service:port not found: "apps/web:9090"',
    ]);
    expect(ds.every((d) => d.analyzer === 'gatewayapi.RouteBackendAnalyzer' && d.origin === 'HTTPRoute apps/a')).toBe(true);
    expect(ds[2].message).toContain('Service apps/web exposes port(s) 8080; set spec.rules[0].backendRefs[2].port to one of them.');
  });

  test('each finding names where its backendRef sits: a backendRef, a mirror in its filters, a mirror in the rule\'s filters', () => {
    const mirror = (name: string, port: number) => ({ type: 'RequestMirror', requestMirror: { backendRef: { name, port } } });
    const ds = run([gw, web,
      route('HTTPRoute', 'a', 'apps', [ref()], ['a.example.com'], [{ name: 'web', port: 8080, filters: [{ type: 'RequestHeaderModifier' }, mirror('shadow', 80)] }, { name: 'gone', port: 80 }],
        { filters: [mirror('web', 9090)] }),
    ]);
    expect(ds.map((d) => d.message.slice(d.message.indexOf('Fix: ')))).toEqual([
      'Fix: spec.rules[0].backendRefs[1] names Service apps/gone, which is not in the input; add it, correct the name or namespace, or pass it as an external object when it lives in the cluster.',
      'Fix: spec.rules[0].backendRefs[0].filters[1].requestMirror.backendRef names Service apps/shadow, which is not in the input; add it, correct the name or namespace, or pass it as an external object when it lives in the cluster.',
      'Fix: Service apps/web exposes port(s) 8080; set spec.rules[0].filters[0].requestMirror.backendRef.port to one of them.',
    ]);
  });

  test('external Services satisfy backendRefs; non-Service backends are not checked', () => {
    expect(run([gw,
      route('HTTPRoute', 'a', 'apps', [ref()], ['a.example.com'], [
        { name: 'web', port: 8080 },
        { group: 'networking.istio.io', kind: 'Hostname', name: 'api.example.org', port: 443 },
      ]),
    ], [web])).toEqual([]);
  });
});

describe('at synth', () => {
  function app(parentName: string, hostname: string): { app: ReturnType<typeof Testing.app>; synth: () => unknown } {
    const a = Testing.app();
    const chart = new Chart(a, 'team');
    const gateway = new TenantGateway(chart, 'gw', { namespace: 'apps', api: 'gateway-api' });
    gateway.addHttpHosts(['shop.example.com']);
    new ApiObject(chart, 'web', service('web', 'apps', [8080]) as ApiObjectProps);
    new ApiObject(chart, 'hand-written', route('HTTPRoute', 'hand-written', 'apps', [{ name: parentName }], [hostname], [{ name: 'web', port: 8080 }]) as ApiObjectProps);
    return { app: a, synth: () => a.synthYaml() };
  }

  test('a hand-written HTTPRoute bound to a TenantGateway of the App on a host it serves is clean', () => {
    const { app: a, synth } = app('gw', 'shop.example.com');
    expect(synth).not.toThrow();
    expect(SynthCheck.of(a).lastDiagnostics.filter((d) => d.analyzer.startsWith('gatewayapi.'))).toEqual([]);
  });

  test('a hand-written HTTPRoute naming a Gateway the App lacks fails synthesis (IST0101); an unserved host is a warning (IST0132)', () => {
    expect(app('nope', 'shop.example.com').synth).toThrow(/IST0101\] \(HTTPRoute apps\/hand-written\).*Referenced gateway not found: "apps\/nope"/);
    const { app: a, synth } = app('gw', 'other.example.com');
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      expect(synth).not.toThrow();
    } finally {
      warn.mockRestore();
    }
    expect(SynthCheck.of(a).lastDiagnostics.map((d) => `${d.code} ${d.origin}`)).toContain('IST0132 HTTPRoute apps/hand-written');
  });
});
