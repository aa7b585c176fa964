// The App-wide synth check runs once per synthesis, however many charts the App has (cdk8s
// validates the whole App once per chart), and never reuses a result after a change, even one
// made between two syntheses in the same synchronous job.
import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import * as analysis from '../src/analysis';
import { configureSynthAnalysis, IngressGateway, IstioGatewayError, SynthCheck, suppressDiagnostic, TenantGateway, TlsHost } from '../src';
import { errorOf } from './support/synth';

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
