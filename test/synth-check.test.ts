// The App-wide synth check runs once per synthesis, however many charts the App has (cdk8s
// validates the whole App once per chart), and never reuses a result after a change, even one
// made between two syntheses in the same synchronous job.
import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import * as analysis from '../src/analysis';
import { configureSynthAnalysis, HttpRoute, IngressGateway, IstioGatewayError, SynthCheck, suppressDiagnostic, TenantGateway, TlsHost } from '../src';
import { errorOf } from './support/synth';
import { RenderedObject } from '../src/cdk8s/rendered-object';

function app(): App {
  return new App({ outdir: require('os').tmpdir() });
}

/** Two gateways on the shared workload serving one certificate: warning IST0138, no error. */
function duplicateCertificate(chart: Chart): IngressGateway {
  const a = new IngressGateway(chart, 'a', { namespace: 'shop-a' });
  const b = new IngressGateway(chart, 'b', { namespace: 'shop-b' });
  new TlsHost(chart, 'ta', { gateway: a, hosts: ['a.example.com'], credentialName: 'wildcard-cert' });
  new TlsHost(chart, 'tb', { gateway: b, hosts: ['b.example.com'], credentialName: 'wildcard-cert' });
  return b;
}

describe('synth check reuse', () => {
  test('analyzes once per synthesis of an App with many charts, and prints each warning once', () => {
    const a = app();
    const warnings: string[] = [];
    configureSynthAnalysis(a, { warnings: 'print', warn: (l) => warnings.push(l) });
    duplicateCertificate(new Chart(a, 'shared'));
    for (let i = 0; i < 5; i++) new TenantGateway(new Chart(a, `team-${i}`), 'gw', { namespace: `team-${i}` }).addHttpHosts([`team-${i}.example.com`]);
    const spy = jest.spyOn(analysis, 'analyze');
    try {
      a.synthYaml();
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
    expect(warnings.filter((w) => w.includes('IST0138')).length).toBeGreaterThan(0);
    expect(new Set(warnings).size).toBe(warnings.length);
  });

  test('a plain ApiObject added between two syntheses in one job is checked', () => {
    const a = app();
    const chart = new Chart(a, 'c');
    new TenantGateway(chart, 'gw', { namespace: 'team-a', name: 'edge' }).addHttpHosts(['a.example.com']);
    a.synthYaml();
    new ApiObject(chart, 'dup', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'edge', namespace: 'team-a' } });
    const err = errorOf(() => a.synthYaml());
    expect(err).toBeInstanceOf(IstioGatewayError);
    expect(err.message).toMatch(/Service team-a\/edge is already emitted/);
  });

  test('a server added to an existing gateway between two syntheses in one job is checked', () => {
    const a = app();
    const chart = new Chart(a, 'c');
    const one = new IngressGateway(chart, 'one', { namespace: 'shop' });
    const two = new IngressGateway(chart, 'two', { namespace: 'shop' });
    one.addHttpHosts(['a.example.com']);
    two.addHttpHosts(['b.example.com']);
    a.synthYaml();
    two.addHttpHosts(['a.example.com']); // same workload, same host and port as `one`: no new object, only new content
    expect(errorOf(() => a.synthYaml()).message).toMatch(/a\.example\.com.*already claimed/);
  });

  test('a plain ApiObject changed between two syntheses in one job is checked', () => {
    const a = app();
    const chart = new Chart(a, 'c');
    new IngressGateway(chart, 'ours', { namespace: 'shop' }).addHttpHosts(['a.example.com']);
    const spec = { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['b.example.com'] }] };
    new ApiObject(chart, 'theirs', { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'theirs', namespace: 'shop' }, spec });
    a.synthYaml();
    spec.servers[0].hosts[0] = 'a.example.com'; // the same host and port on the same workload
    expect(errorOf(() => a.synthYaml()).message).toMatch(/IST0145/);
  });

  test('a suppression added between two syntheses in one job takes effect', () => {
    const a = app();
    const warnings: string[] = [];
    configureSynthAnalysis(a, { warnings: 'print', warn: (l) => warnings.push(l) });
    const chart = new Chart(a, 'c');
    const b = duplicateCertificate(chart);
    a.synthYaml();
    expect(SynthCheck.of(a).lastDiagnostics.map((d) => d.code)).toContain('IST0138');
    suppressDiagnostic(b, 'IST0138', 'one wildcard certificate for every shop, on purpose');
    suppressDiagnostic(chart.node.findChild('a'), 'IST0138', 'one wildcard certificate for every shop, on purpose');
    a.synthYaml();
    expect(SynthCheck.of(a).lastDiagnostics.map((d) => d.code)).not.toContain('IST0138');
  });

  test('new options between two syntheses in one job take effect', () => {
    const a = app();
    const chart = new Chart(a, 'c');
    duplicateCertificate(chart);
    configureSynthAnalysis(a, { warn: () => undefined });
    a.synthYaml();
    expect(SynthCheck.of(a).lastDiagnostics.length).toBeGreaterThan(0);
    configureSynthAnalysis(a, { enabled: false });
    a.synthYaml();
    expect(SynthCheck.of(a).lastDiagnostics).toEqual([]);
  });

  test('a later synthesis (next job) prints the warnings again', async () => {
    const a = app();
    const warnings: string[] = [];
    configureSynthAnalysis(a, { warnings: 'print', warn: (l) => warnings.push(l) });
    duplicateCertificate(new Chart(a, 'c'));
    a.synthYaml();
    const once = warnings.length;
    expect(once).toBeGreaterThan(0);
    await Promise.resolve();
    a.synthYaml();
    expect(warnings.length).toBe(2 * once);
  });
});

describe('issue 12: one error line per cause, prefixed [Kind \'path\']', () => {
  test('a duplicated gateway name gives one line naming both constructs and every colliding kind', () => {
    const a = app();
    const chart = new Chart(a, 'test');
    new TenantGateway(chart, 'a', { namespace: 'team-a', name: 'gw' }).addHttpHosts(['a.example.com']);
    new TenantGateway(chart, 'b', { namespace: 'team-a', name: 'gw' }).addHttpHosts(['b.example.com']);
    const err = errorOf(() => a.synthYaml()) as IstioGatewayError;
    expect(err).toBeInstanceOf(IstioGatewayError);
    expect(err.problems).toHaveLength(1);
    expect(err.message.split('\n')).toHaveLength(1);
    expect(err.message).toMatch(/^\[TenantGateway 'test\/b'\] name: invalid value "gw"; /);
    expect(err.message).toContain('Deployment, Service');
    expect(err.message).toContain("Gateway team-a/gw are already emitted by TenantGateway 'test/a'");
  });

  test('a plain ApiObject that collides is named by its kind and path', () => {
    const a = app();
    const chart = new Chart(a, 'test');
    new TenantGateway(chart, 'gw', { namespace: 'team-a', name: 'edge' }).addHttpHosts(['a.example.com']);
    new ApiObject(chart, 'dup', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'edge', namespace: 'team-a' } });
    const err = errorOf(() => a.synthYaml());
    expect(err.message).toMatch(/^\[Service 'test\/dup'\] name: invalid value "edge"; Service team-a\/edge is already emitted by TenantGateway 'test\/gw'/);
  });

  // The check keys identities only for objects that share an origin (`Kind ns/name`) with another.
  const obj = (kind: string, apiVersion: string, name: unknown, namespace?: unknown) =>
    ({ apiVersion, kind, metadata: { name, ...(namespace === undefined ? {} : { namespace }) } } as any);

  test('objects of one origin in two API groups do not collide; a third in the first group collides with the first, not the second', () => {
    const a = app();
    const chart = new Chart(a, 'test');
    new ApiObject(chart, 'istio', obj('Gateway', 'networking.istio.io/v1', 'gw', 'ns'));
    new ApiObject(chart, 'k8s', obj('Gateway', 'gateway.networking.k8s.io/v1', 'gw', 'ns'));
    configureSynthAnalysis(a, { enabled: false });
    // Both emitted: same kind, namespace and name, but two API groups.
    expect(a.synthYaml().match(/^apiVersion: .*\nkind: Gateway$/gm)).toEqual(['apiVersion: networking.istio.io/v1\nkind: Gateway', 'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway']);
    new ApiObject(chart, 'again', obj('Gateway', 'networking.istio.io/v1beta1', 'gw', 'ns'));
    const err = errorOf(() => a.synthYaml()) as IstioGatewayError;
    expect(err.problems).toHaveLength(1);
    expect(err.message).toMatch(/^\[Gateway 'test\/again'\] name: invalid value "gw"; Gateway ns\/gw is already emitted by Gateway 'test\/istio'/);
  });

  test('a namespace left out and an empty one are one identity', () => {
    const a = app();
    const chart = new Chart(a, 'test');
    configureSynthAnalysis(a, { enabled: false });
    new ApiObject(chart, 'one', obj('ConfigMap', 'v1', 'cm'));
    new ApiObject(chart, 'two', obj('ConfigMap', 'v1', 'cm', ''));
    expect(errorOf(() => a.synthYaml()).message).toMatch(/^\[ConfigMap 'test\/two'\] name: invalid value "cm"; ConfigMap cm is already emitted by ConfigMap 'test\/one'/);
  });

  test('an object whose namespace is not a string still collides with one of another origin but the same identity', () => {
    // `${7}` and '7' are one identity, though originOf names only the second's namespace.
    const a = app();
    const chart = new Chart(a, 'test');
    configureSynthAnalysis(a, { enabled: false });
    new ApiObject(chart, 'text', obj('ConfigMap', 'v1', 'cm', '7'));
    new ApiObject(chart, 'number', obj('ConfigMap', 'v1', 'cm', 7));
    new ApiObject(chart, 'plain-a', obj('ConfigMap', 'v1', 'other', 'ns'));
    new ApiObject(chart, 'plain-b', obj('ConfigMap', 'v1', 'other', 'ns'));
    const err = errorOf(() => a.synthYaml()) as IstioGatewayError;
    expect(err.problems.map((p) => p.construct)).toEqual(["ConfigMap 'test/number'", "ConfigMap 'test/plain-b'"]);
    expect(err.message).toContain("ConfigMap 7/cm is already emitted by ConfigMap 'test/text'");
    expect(err.message).toContain("ConfigMap ns/other is already emitted by ConfigMap 'test/plain-a'");
  });
});

describe('which construct a finding names', () => {
  test('a finding on our object names its construct, one on a hand-written ApiObject beside them names that ApiObject, which is analyzed fully', () => {
    const a = app();
    const warnings: string[] = [];
    configureSynthAnalysis(a, { warnings: 'print', warn: (l) => warnings.push(l) });
    const chart = new Chart(a, 'c');
    duplicateCertificate(chart);
    // Hand-written: a VirtualService with a subset no DestinationRule defines (IST0101, an error)
    // and a rule after a match-less rule (IST0130, a warning).
    new ApiObject(chart, 'hand', {
      apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'hand', namespace: 'shop-a' },
      spec: {
        hosts: ['hand.shop-a.svc.cluster.local'],
        http: [{ route: [{ destination: { host: 'hand', subset: 'v9' } }] }, { route: [{ destination: { host: 'hand' } }] }],
      },
    });
    new ApiObject(chart, 'hand-svc', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'hand', namespace: 'shop-a' }, spec: { ports: [{ name: 'http', port: 80 }] },
    });
    const err = errorOf(() => a.synthYaml());
    expect(err).toBeInstanceOf(IstioGatewayError);
    expect(err.message).toContain("Error [IST0101] (VirtualService shop-a/hand) at 'c/hand'");
    const diagnostics = SynthCheck.of(a).lastDiagnostics;
    const own = diagnostics.find((d) => d.code === 'IST0138');
    expect(own?.path).toMatch(/^c\/[ab]$/);
    const hand = diagnostics.filter((d) => d.origin === 'VirtualService shop-a/hand').map((d) => `${d.code} ${d.path}`).sort();
    expect(hand).toEqual(['IST0101 c/hand', 'IST0130 c/hand']);
  });

  test('an object of ours changed by a JSON patch is analyzed as emitted, patch applied, and the finding names its construct', () => {
    const a = app();
    const warnings: string[] = [];
    configureSynthAnalysis(a, { warnings: 'print', warn: (l) => warnings.push(l) });
    const chart = new Chart(a, 'c');
    const gw = new TenantGateway(chart, 'gw', { namespace: 'team-a', name: 'edge' });
    gw.addHttpHosts(['a.example.com']);
    const service = gw.node.findAll().find((c): c is ApiObject => c instanceof ApiObject && c.kind === 'Service')!;
    a.synthYaml();
    expect(SynthCheck.of(a).lastDiagnostics.filter((d) => d.code === 'IST0162')).toEqual([]);
    // The escape hatch drops the Service's port 80, on which the Gateway's http server listens.
    ApiObject.of(service).addJsonPatch(JsonPatch.replace('/spec/ports', [{ name: 'tcp-9999', port: 9999, protocol: 'TCP' }]));
    a.synthYaml();
    const found = SynthCheck.of(a).lastDiagnostics.filter((d) => d.code === 'IST0162');
    expect(found.map((d) => `${d.origin} ${d.path}`)).toEqual(["Gateway team-a/edge c/gw"]);
    expect(found[0].message).toContain('port 80');
    expect(warnings.some((w) => w.includes('[IST0162] (Gateway team-a/edge)'))).toBe(true);
  });
});

describe('declared externals and App-wide peers, compared by their identity\'s parts', () => {
  /** The externals the check hands the analyzer in one synthesis of `a`. */
  function externalsOf(a: App): any[] {
    const spy = jest.spyOn(analysis, 'analyze');
    try {
      a.synthYaml();
      return spy.mock.calls[0][1]!.external as any[];
    } finally {
      spy.mockRestore();
    }
  }
  const svc = (name: string, namespace: string | undefined, port: number, apiVersion = 'v1') =>
    ({ apiVersion, kind: 'Service', metadata: { name, ...(namespace === undefined ? {} : { namespace }) }, spec: { ports: [{ name: `p${port}`, port }] } });

  test('one declaration per identity: one name in two namespaces, or two kinds, stays two; one group in two versions, or an absent and an empty namespace, merges', () => {
    const a = app();
    new Chart(a, 'c');
    configureSynthAnalysis(a, {
      warnings: 'silent',
      external: [
        svc('api', 'team-a', 80), svc('api', 'team-b', 81), svc('api', 'team-a', 82),
        { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'api', namespace: 'team-a' } },
        svc('db', undefined, 5432), svc('db', '', 5433),
        { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'ext', namespace: 'x' }, spec: { hosts: ['a.example.com'] } },
        { apiVersion: 'networking.istio.io/v1beta1', kind: 'ServiceEntry', metadata: { name: 'ext', namespace: 'x' }, spec: { hosts: ['b.example.com'] } },
        { apiVersion: 'other.example.com/v1', kind: 'ServiceEntry', metadata: { name: 'ext', namespace: 'x' }, spec: { hosts: ['c.example.com'] } },
      ],
    });
    const ext = externalsOf(a);
    expect(ext.map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.namespace ?? '-'}/${o.metadata.name} ${(o.spec?.ports ?? []).map((p: any) => p.port).join(',')} ${(o.spec?.hosts ?? []).join(',')}`)).toEqual([
      'v1 Service team-a/api 80,82 ',
      'v1 Service team-b/api 81 ',
      'v1 Secret team-a/api  ',
      'v1 Service -/db 5432,5433 ',
      'networking.istio.io/v1 ServiceEntry x/ext  a.example.com,b.example.com',
      'other.example.com/v1 ServiceEntry x/ext  c.example.com',
    ]);
  });

  test('a declaration whose identity has a "|" in it is merged as its whole key reads, as before', () => {
    // `a|b` in namespace `c` and `b` in namespace `c|a`... have one key text: `v1|Service|c|a|b` against
    // `v1|Service|c|a|b`. Kept as it always behaved (one object), now by the slow path only.
    const a = app();
    new Chart(a, 'c');
    configureSynthAnalysis(a, { warnings: 'silent', external: [svc('a|b', 'c', 80), svc('b', 'c|a', 81), svc('plain', 'c', 82), svc('plain', 'd', 83)] });
    const ext = externalsOf(a);
    expect(ext.map((o) => `${o.metadata.namespace}/${o.metadata.name} ${o.spec.ports.map((p: any) => p.port).join(',')}`)).toEqual(['c/a|b 80,81', 'c/plain 82', 'd/plain 83']);
  });

  test('a declared external the App defines is checked as written, in a namespace of that name only', () => {
    const a = app();
    const chart = new Chart(a, 'c');
    new ApiObject(chart, 'api', svc('api', 'team-a', 80));
    configureSynthAnalysis(a, { warnings: 'silent', external: [svc('api', 'team-a', 9999), svc('api', 'team-b', 81), { ...svc('api', 'team-a', 82), kind: 'ServiceAccount' }] });
    expect(externalsOf(a).map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).toEqual(['Service team-b/api', 'ServiceAccount team-a/api']);
  });

  test('with an object whose origin does not read back one way (a "/" in its name), origins are compared as strings, as always', () => {
    // `Service a/b` is both the Service "b" of namespace "a" and the Service "a/b" of no namespace:
    // one origin, so the App's object hides the declaration, as it always did.
    const a = app();
    const chart = new Chart(a, 'c');
    new ApiObject(chart, 'odd', svc('a/b', undefined, 80));
    configureSynthAnalysis(a, { warnings: 'silent', external: [svc('b', 'a', 81), svc('c', 'a', 82)] });
    expect(externalsOf(a).map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual(['a/c']);
    // and the other way round: the declaration is the odd one
    const b = app();
    const chartB = new Chart(b, 'c');
    new ApiObject(chartB, 'plain', svc('b', 'a', 80));
    configureSynthAnalysis(b, { warnings: 'silent', external: [svc('a/b', undefined, 81), svc('a/c', undefined, 82)] });
    expect(externalsOf(b).map((o) => o.metadata.name)).toEqual(['a/c']);
  });

  test('a gateway\'s workload key is computed once per gateway and synthesis, not again to find its peers', () => {
    const a = app();
    const chart = new Chart(a, 'c');
    configureSynthAnalysis(a, { enabled: false });
    new IngressGateway(chart, 'one', { namespace: 'a' }).addHttpHosts(['one.example.com']);
    new IngressGateway(chart, 'two', { namespace: 'b' }).addHttpHosts(['two.example.com']);
    new TenantGateway(chart, 'three', { namespace: 'c', name: 'edge' }).addHttpHosts(['three.example.com']);
    // GatewayBase's getter: IngressGateway's, and TenantGateway's through `super`
    const spy = jest.spyOn(Object.getPrototypeOf(TenantGateway.prototype), 'workloadKey', 'get');
    try {
      a.synthYaml();
      // Once per gateway to group them; the two IngressGateways share the istioctl workload (no
      // conflict: different hosts), so the first of them reads its key once more for the group's check.
      expect(spy.mock.calls.length).toBe(4);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('the rendering the YAML needs is the one the check reads', () => {
  test('each object of ours is rendered once per synthesis, with the analyzer on as with it off', () => {
    const renders = (enabled: boolean): { objects: number; calls: number; yaml: string } => {
      const a = app();
      const chart = new Chart(a, 'c');
      const gw = new TenantGateway(chart, 'gw', { namespace: 'team-a', name: 'edge' });
      new TlsHost(chart, 'shop', { gateway: gw, hosts: ['shop.example.com'], credentialName: 'shop-cert', destination: { host: 'shop', port: 8080 } });
      new IngressGateway(chart, 'shared', { namespace: 'team-b' }).addHttpHosts(['b.example.com']);
      configureSynthAnalysis(a, { enabled, warnings: 'silent' });
      let calls = 0;
      const ours = a.node.findAll().filter((c) => RenderedObject.isRendered(c)) as any[];
      for (const o of ours) {
        const render = o.render;
        o.render = () => { calls++; return render(); };
      }
      const yaml = a.synthYaml();
      return { objects: ours.length, calls, yaml };
    };
    const on = renders(true);
    const off = renders(false);
    expect(on.objects).toBeGreaterThan(8);
    expect(on.calls).toBe(on.objects);
    expect(off.calls).toBe(off.objects);
    expect(on.yaml).toBe(off.yaml);
  });
});

describe('a TenantGateway\'s routeNamespaces, checked across the App', () => {
  const platform = (routeNamespaces: string[] | undefined): App => {
    const a = app();
    const chart = new Chart(a, 'c');
    configureSynthAnalysis(a, { enabled: false });
    const gw = new TenantGateway(chart, 'gw', { namespace: 'team-a', name: 'edge', ...(routeNamespaces ? { routeNamespaces } : {}) });
    gw.addHttpHosts(['shop.example.com']);
    new HttpRoute(chart, 'mine', { namespace: 'team-a', hosts: ['shop.example.com'], gateways: [gw], destination: { host: 'web', port: 80 } });
    new HttpRoute(chart, 'theirs', { namespace: 'team-b', hosts: ['shop.example.com'], gateways: [gw], destination: { host: 'web', port: 80 } });
    return a;
  };

  test('a route bound from a namespace routeNamespaces does not admit is refused, naming the route', () => {
    const err = errorOf(() => platform(['team-a']).synthYaml()) as IstioGatewayError;
    expect(err.problems.map((p) => `${p.construct} ${p.prop}`)).toEqual(["TenantGateway 'c/gw' routeNamespaces"]);
    expect(err.message).toContain('\'c/theirs\' binds a route in namespace "team-b" to this gateway, but routeNamespaces does not admit that namespace');
  });

  test('every namespace admitted ("*", or routeNamespaces left out): both routes bind', () => {
    for (const ns of [['*'], undefined]) expect(platform(ns).synthYaml()).toContain('name: theirs');
  });
});

describe('the App\'s ApiObjects are listed once per synthesis', () => {
  test('a Gateway API route, which looks its destination Service up among the App\'s objects, adds no walk of the tree to the check\'s', () => {
    const walks = (api: 'istio' | 'gateway-api'): number => {
      const a = app();
      const chart = new Chart(a, 'c');
      configureSynthAnalysis(a, { enabled: false });
      const gw = new TenantGateway(chart, 'gw', { namespace: 'team-a', name: 'edge', ...(api === 'gateway-api' ? { api } : {}) });
      gw.addHttpHosts(['shop.example.com']);
      new HttpRoute(chart, 'r', { namespace: 'team-a', hosts: ['shop.example.com'], gateways: [gw], destination: { host: 'web', port: 80 } });
      const spy = jest.spyOn(a.node, 'findAll');
      try {
        expect(a.synthYaml()).toContain(api === 'gateway-api' ? 'kind: HTTPRoute' : 'kind: VirtualService');
        return spy.mock.calls.length;
      } finally {
        spy.mockRestore();
      }
    };
    expect(walks('gateway-api')).toBe(walks('istio'));
  });
});
