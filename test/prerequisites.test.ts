// prerequisitesOf / writePrerequisites: what the constructs declared as existing travels with the
// synthesized output, and the CLI agrees with synthesis on it (issue 10).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { buildExamplePlatform } from '../examples/platform';
import { prerequisitesOf, TcpGateway, TenantGateway, TlsHost, TlsMode, writePrerequisites } from '../src';
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
