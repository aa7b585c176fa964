// prerequisitesOf / writePrerequisites: what the constructs declared as existing travels with the
// synthesized output, and the CLI agrees with synthesis on it (issue 10).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { buildExamplePlatform } from '../examples/platform';
import { prerequisitesOf, TcpGateway, TenantGateway, TlsHost, TlsMode, writePrerequisites } from '../src';
import { mergeExternals } from '../src/cdk8s/externals';
import { main } from '../src/cli/main';
import type { CliIO } from '../src/cli/load';

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, readStdin: async () => '' };
  return { code: await main(args, io), stdout, stderr };
}

function payments(app: App, defineBackend = false): App {
  const chart = new Chart(app, 'payments');
  const gw = new TenantGateway(chart, 'payments', { namespace: 'payments', name: 'payments-gw' });
  new TlsHost(chart, 'shop', {
    gateway: gw, hosts: ['shop.payments.example.com'], credentialName: 'shop-cert',
    destination: { host: 'storefront', port: 8080 },
  });
  if (defineBackend) {
    new ApiObject(chart, 'storefront', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'storefront', namespace: 'payments' },
      spec: { selector: { app: 'storefront' }, ports: [{ name: 'http', port: 8080 }] },
    });
  }
  return app;
}

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prereq-')); });
afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

describe('prerequisitesOf', () => {
  test('lists the credential Secret and the backend Service the constructs assume, as plain objects', () => {
    const pre = prerequisitesOf(payments(Testing.app())) as any[];
    expect(pre.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'Secret payments/shop-cert', 'Service payments/storefront',
    ]);
    const svc = pre.find((o) => o.kind === 'Service');
    expect(svc.spec.ports.map((p: any) => p.port)).toEqual([8080]);
    expect(JSON.parse(JSON.stringify(pre))).toEqual(pre);
  });

  test('objects the App defines are not prerequisites', () => {
    const pre = prerequisitesOf(payments(Testing.app(), true)) as any[];
    expect(pre.map((o) => o.kind)).toEqual(['Secret']);
  });

  test('a fresh copy each call: changing the result changes nothing in the App', () => {
    const app = payments(Testing.app());
    (prerequisitesOf(app)[0] as any).metadata.name = 'changed';
    expect((prerequisitesOf(app)[0] as any).metadata.name).toBe('shop-cert');
  });

  test("the README quick start's prerequisites are what the README says", () => {
    const app = Testing.app();
    const chart = new Chart(app, 'payments');
    const gw = new TenantGateway(chart, 'payments', { namespace: 'payments', name: 'payments-gw' });
    new TlsHost(chart, 'shop', { gateway: gw, hosts: ['shop.payments.example.com'], credentialName: 'shop-cert', destination: { host: 'storefront', port: 8080 } });
    new TlsHost(chart, 'legacy', { gateway: gw, hosts: ['legacy.payments.example.com'], mode: TlsMode.PASSTHROUGH, destination: { host: 'legacy', port: 8443 } });
    new TcpGateway(chart, 'ledger', { gateway: gw, port: 7000, destination: { host: 'ledger', port: 7000 } });
    expect((prerequisitesOf(app) as any[]).map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'Secret payments/shop-cert', 'Service payments/ledger', 'Service payments/legacy', 'Service payments/storefront',
    ]);
  });
});

describe('writePrerequisites', () => {
  test('writes <outdir>/prerequisites/prerequisites.yaml, byte-identical across runs', () => {
    const write = (out: string) => {
      const app = payments(new App({ outdir: out }));
      app.synth();
      return fs.readFileSync(writePrerequisites(app), 'utf8');
    };
    const a = write(path.join(dir, 'a'));
    expect(a).toBe(write(path.join(dir, 'b')));
    expect(a).toContain('kind: Secret');
    expect(a).toContain('name: shop-cert');
    expect(fs.existsSync(path.join(dir, 'a', 'prerequisites', 'prerequisites.yaml'))).toBe(true);
  });

  test('the example platform: analyze <outdir> agrees with synthesis (no finding), and needs the prerequisites to', async () => {
    const out = path.join(dir, 'dist');
    const app = new App({ outdir: out });
    buildExamplePlatform(app);
    app.synth();
    writePrerequisites(app);
    const r = await cli(['analyze', out]);
    expect(r).toEqual({ code: 0, stdout: `\u2714 No validation issues found when analyzing ${out}.\n`, stderr: '' });
    const without = await cli(['analyze', '--no-prerequisites', out]);
    expect(without.code).toBe(1);
    expect(without.stdout).toMatch(/^Error \[IST0101\]/m);
  });
});

describe('mergeExternals', () => {
  // The definition: the first declaration of an identity, with a later Service's or ServiceEntry's
  // ports (and hosts) united into it and its other spec fields filled in; mergeExternals skips
  // repeats that add nothing, which must not change the result (content or key order).
  const reference = (objects: any[]): any[] => {
    const byIdentity = new Map<string, any>();
    for (const o of objects) {
      const key = `${String(o.apiVersion).split('/')[0]}|${o.kind}|${o.metadata?.namespace ?? ''}|${o.metadata?.name}`;
      const first = byIdentity.get(key);
      if (!first) { byIdentity.set(key, o); continue; }
      if ((o.kind !== 'Service' && o.kind !== 'ServiceEntry') || typeof first.spec !== 'object' || typeof o.spec !== 'object') continue;
      const number = (p: any) => (o.kind === 'Service' ? p?.port : p?.number);
      const ports = [...(first.spec.ports ?? [])];
      for (const p of o.spec.ports ?? []) if (!ports.some((q) => number(q) === number(p))) ports.push(p);
      const spec = { ...o.spec, ...first.spec, ports };
      if (o.kind === 'ServiceEntry') spec.hosts = [...new Set([...(first.spec.hosts ?? []), ...(o.spec.hosts ?? [])])];
      byIdentity.set(key, { ...first, spec });
    }
    return [...byIdentity.values()];
  };
  const inOrder = (x: unknown) => JSON.stringify(x);

  test('repeats that add nothing, new ports, other key orders and missing ports merge as the definition says', () => {
    const svc = (name: string, spec: object) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'istio-system' }, spec });
    const ports = [{ name: 'http2', port: 80, targetPort: 8080, protocol: 'TCP' }, { name: 'https', port: 443, targetPort: 8443, protocol: 'TCP' }];
    const cases: any[][] = [
      // 1,000 IngressGateways on one workload each declare its Service
      Array.from({ length: 5 }, () => svc('istio-ingressgateway', { selector: { istio: 'ingressgateway' }, ports: ports.map((p) => ({ ...p })) })),
      [svc('web', { ports: [ports[0]] }), svc('web', { ports: [ports[1]] }), svc('web', { ports: [ports[0]] })],
      [svc('web', { selector: { app: 'web' }, ports }), svc('web', { ports: [ports[0]], selector: { app: 'other' } })],
      [svc('web', { ports }), svc('web', { ports: [ports[0]], type: 'ClusterIP' })],
      [svc('web', { selector: { app: 'web' } }), svc('web', { selector: { app: 'web' } })],
      [svc('web', { ports: [] }), svc('web', { ports: undefined })],
      [{ apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'x', namespace: 'a' }, spec: { hosts: ['x.com'], ports: [{ number: 443 }] } },
        { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'x', namespace: 'a' }, spec: { hosts: ['x.com'], ports: [{ number: 443 }] } }],
    ];
    for (const objects of cases) expect(inOrder(mergeExternals(objects))).toBe(inOrder(reference(objects)));
    expect(mergeExternals(cases[0])).toHaveLength(1);
    expect((mergeExternals(cases[1])[0] as any).spec.ports.map((p: any) => p.port)).toEqual([80, 443]);
  });
});
