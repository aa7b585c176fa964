// The CLI's defences against hostile or odd input (issue 10): stdin at most once, no secret or
// long value echoed, prototype-named kinds, unnamed objects, empty input, symbolic links, invalid
// UTF-8, kubectl's non-recursive folders, istioctl's default gateway and the prerequisites folder.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { main } from '../src/cli/main';
import type { CliIO } from '../src/cli/load';
import { firstPemBlock } from '../src/analysis/credentials';
import { gateway, Obj, pod, server, sharedIngress } from './fixtures/analysis/builders';

interface RunResult { code: number; stdout: string; stderr: string }

async function cli(args: string[], stdin: string | Buffer = ''): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, readStdin: async () => stdin };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

const yamlOf = (objs: Obj[]): string => objs.map((o) => stringify(o)).join('---\n');
let dir: string;
const file = (name: string, content: string | Buffer): string => {
  const p = path.join(dir, name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
  return p;
};
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-hardening-')); });
afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

const unselected = gateway('gw', 'apps', { istio: 'nothing' }, [server(80, ['shop.example.com'])]);
// A private key shaped like a real one (random base64), never to be echoed.
const KEY_BODY = Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 7919) % 256)).toString('base64').replace(/(.{64})/g, '$1\n');
const PRIVATE_KEY = `-----BEGIN PRIVATE KEY-----\n${KEY_BODY}\n-----END PRIVATE KEY-----\n`;
const KEY_PIECE = KEY_BODY.slice(100, 116);

describe('stdin', () => {
  test('- given twice across inputs and --external is a usage error, before anything is read', async () => {
    let reads = 0;
    const io: CliIO = { stdout: () => undefined, stderr: () => undefined, readStdin: async () => { reads++; return yamlOf([unselected]); } };
    expect(await main(['analyze', '-', '--external', '-'], io)).toBe(2);
    expect(reads).toBe(0);
    const r = await cli(['analyze', '-', '--external', '-'], yamlOf([unselected]));
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'istio-gateway: error: "-" (stdin) can be given only once across the inputs and --external\n' });
    expect((await cli(['analyze', '-', '-'])).code).toBe(2);
    expect((await cli(['validate', '-', '-'])).code).toBe(2);
  });
});

describe('no secret and no long value in any message', () => {
  test('analyze - < tls.key: the parse result is described by type, the key is not echoed', async () => {
    const r = await cli(['analyze', '-'], PRIVATE_KEY);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^istio-gateway: error: <stdin>:1: expected a Kubernetes object \(a mapping with apiVersion and kind\), found a string \(\d+ characters\)\n$/);
    expect(r.stderr + r.stdout).not.toContain(KEY_PIECE);
    expect(r.stderr + r.stdout).not.toContain('BEGIN PRIVATE KEY');
  });

  test('a YAML error quotes no source text', async () => {
    const f = file('bad.yaml', `apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData:\n  tls.key: "${KEY_BODY.replace(/\n/g, '')}\n  x: [\n`);
    const r = await cli(['analyze', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^istio-gateway: error: ${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: invalid YAML: `));
    expect(r.stderr).not.toContain(KEY_PIECE);
    expect(r.stderr.length).toBeLessThan(f.length + 200);
  });

  test('validate: a malformed base64 tls.key is reported without its value', async () => {
    const bad = `${KEY_BODY.replace(/\n/g, '')}!!not-base64`;
    const f = file('secret.yaml', yamlOf([{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'cert', namespace: 'apps' },
      type: 'kubernetes.io/tls', data: { 'tls.crt': 'AAAA', 'tls.key': bad } }]));
    const r = await cli(['validate', f]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${f}:1: Secret apps/cert: data["tls.key"]`);
    expect(r.stdout).toContain('<redacted');
    expect(r.stdout).not.toContain(KEY_PIECE);
    expect(r.stdout).not.toContain(bad.slice(0, 8));
    const json = await cli(['validate', '-o', 'json', f]);
    expect(json.stdout).not.toContain(bad.slice(0, 8));
  });

  test('validate: long values are clipped', async () => {
    const long = `x${'a'.repeat(300)}`;
    const f = file('svc.yaml', yamlOf([{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc', namespace: 'apps' },
      spec: { type: long, ports: [{ port: 80 }] } }]));
    const r = await cli(['validate', f]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('spec.type');
    expect(r.stdout).not.toContain('a'.repeat(40));
  });
});

describe('PEM parsing', () => {
  test('finds the first complete block the way the old regular expression did', () => {
    expect(firstPemBlock('junk\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\nrest')).toEqual({
      label: 'CERTIFICATE', block: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----' });
    // A BEGIN without its END is skipped; the END must carry the same label.
    expect(firstPemBlock('-----BEGIN X-----\n-----BEGIN CERTIFICATE-----\nA\n-----END X Y-----\n-----END CERTIFICATE-----')).toEqual({
      label: 'CERTIFICATE', block: '-----BEGIN CERTIFICATE-----\nA\n-----END X Y-----\n-----END CERTIFICATE-----' });
    expect(firstPemBlock('-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\n')).toBeUndefined();
    expect(firstPemBlock('-----BEGIN lower-----\n-----END lower-----')).toBeUndefined();
    expect(firstPemBlock(PRIVATE_KEY)?.label).toBe('PRIVATE KEY');
  });

  test('a crafted 1 MB tls.crt (40,000 BEGIN lines, no END) is reported as not PEM-encoded', async () => {
    const crafted = '-----BEGIN CERTIFICATE-----\n'.repeat(40000);
    const f = file('in.yaml', yamlOf([
      gateway('gw', 'istio-system', { istio: 'ingressgateway' }, [{ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['a.example.com'], tls: { mode: 'SIMPLE', credentialName: 'cert' } }]),
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'cert', namespace: 'istio-system' }, type: 'kubernetes.io/tls',
        stringData: { 'tls.crt': crafted, 'tls.key': PRIVATE_KEY } },
    ]));
    const r = await cli(['analyze', f]);
    expect(r.stdout).toContain('IST0161');
    expect(r.stdout).toContain('not PEM-encoded');
    expect(r.stdout).not.toContain(KEY_PIECE);
  });
});

describe('odd objects', () => {
  test.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'])('kind %s is analyzed like any unknown kind', async (kind) => {
    const f = file('odd.yaml', `apiVersion: v1\nkind: ${kind}\nmetadata:\n  name: x\n  namespace: apps\n---\n${yamlOf([unselected])}`);
    const r = await cli(['analyze', f]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('IST0101');
    expect(r.stdout).not.toContain('internal error');
  });

  test('labels and keys named like Object.prototype members are plain data', async () => {
    // Written as YAML: in a JavaScript literal `__proto__` would set the prototype instead of a key.
    const gw = 'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: gw, namespace: apps}\n'
      + 'spec:\n  selector: {constructor: x, __proto__: y}\n  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: [a.example.com]}]\n';
    const f = file('odd.yaml', `${gw}---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: apps, labels: {toString: x, __proto__: y}}\n`);
    const r = await cli(['analyze', f]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Referenced selector not found');
  });

  test('objects without metadata.name or kind are reported with file:line (exit 2), the rest is analyzed', async () => {
    const f = file('unnamed.yaml', `${yamlOf([unselected])}---\napiVersion: v1\nkind: Service\nmetadata:\n  namespace: apps\n---\napiVersion: v1\nmetadata: {name: x}\n`);
    const r = await cli(['analyze', f]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('IST0101');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`^istio-gateway: error: ${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: the Service has no metadata.name`)),
      expect.stringMatching(/: the object has no kind; it is not analyzed$/),
    ]);
    const serviceLine = fs.readFileSync(f, 'utf8').split('\n').indexOf('kind: Service');
    expect(lines[0]).toContain(`:${serviceLine}: `);
  });

  test('zero objects is an error, not success', async () => {
    const empty = file('empty.yaml', '# nothing here\n---\n');
    for (const cmd of ['analyze', 'validate']) {
      const r = await cli([cmd, empty]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('no Kubernetes object found (1 file(s) read)');
    }
    fs.mkdirSync(path.join(dir, 'nested', 'deeper'), { recursive: true });
    file('nested/deeper/gw.yaml', yamlOf([unselected]));
    const r = await cli(['analyze', path.join(dir, 'nested')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unless -R is given');
  });
});

describe('files and folders', () => {
  test('a folder is read like kubectl apply -f: its own files only; -R reads sub-folders', async () => {
    file('dist/app.k8s.yaml', yamlOf([gateway('gw', 'apps', { istio: 'ingressgateway' }, [server(80, ['a.example.com'])])]));
    file('dist/istioctl/control-plane.k8s.yaml', 'apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nmetadata: {name: cp}\n');
    file('dist/istioctl/istiod-values.yaml', 'pilot:\n  env: {}\n');
    const r = await cli(['analyze', path.join(dir, 'dist')]);
    expect(r).toEqual({ code: 0, stdout: `\u2714 No validation issues found when analyzing ${path.join(dir, 'dist')}.\n`, stderr: '' });
    const v = await cli(['validate', path.join(dir, 'dist')]);
    expect(v.stdout).not.toContain('IstioOperator');
    const deep = await cli(['validate', '-R', path.join(dir, 'dist')]);
    expect(deep.stdout).toContain('IstioOperator');
  });

  test('symbolic links to folders are followed, and a loop is read once', async () => {
    file('real/gw.yaml', yamlOf([unselected]));
    fs.mkdirSync(path.join(dir, 'top'));
    fs.symlinkSync(path.join(dir, 'real'), path.join(dir, 'top', 'linked'));
    fs.symlinkSync(path.join(dir, 'top'), path.join(dir, 'top', 'loop'));
    const r = await cli(['analyze', '-R', '-o', 'json', path.join(dir, 'top')]);
    expect(r.stderr).toBe('');
    const ds = JSON.parse(r.stdout) as Array<{ path: string }>;
    expect(ds.map((d) => d.path)).toEqual([`${path.join(dir, 'top', 'linked', 'gw.yaml')}:1`]);
    // A link given directly is read too.
    expect((await cli(['analyze', path.join(dir, 'top', 'linked')])).code).toBe(1);
  });

  test('invalid UTF-8 is refused naming the file, line and column', async () => {
    const f = file('latin1.yaml', Buffer.concat([Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    const r = await cli(['analyze', f]);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `istio-gateway: error: ${f}:4:12: invalid UTF-8: the file is not UTF-8 text (kubectl and istioctl refuse it too)\n` });
    const stdin = await cli(['validate', '-'], Buffer.from([0x61, 0x3a, 0x20, 0xff, 0x0a]));
    expect(stdin.code).toBe(2);
    expect(stdin.stderr).toContain('<stdin>:1:4: invalid UTF-8');
    // Valid multi-byte text and a byte order mark are fine.
    const ok = file('utf8.yaml', `\ufeff${yamlOf([{ ...unselected, metadata: { ...unselected.metadata, annotations: { note: 'café ☕ 😀' } } }])}`);
    expect((await cli(['analyze', ok])).code).toBe(1);
  });

  test('items of a List, in YAML and JSON, are located at their own line', async () => {
    const list = { apiVersion: 'v1', kind: 'List', items: [pod('a', 'apps', { app: 'a' }), unselected] };
    const y = file('list.yaml', stringify(list));
    const j = file('list.json', JSON.stringify(list, null, 2));
    for (const f of [y, j]) {
      const r = await cli(['analyze', '-o', 'json', f]);
      const text = fs.readFileSync(f, 'utf8').split('\n');
      const gwLine = text.findIndex((l, i) => /name"?: "?gw/.test(l) && i > 0) + 1;
      const ds = JSON.parse(r.stdout) as Array<{ origin: string; path: string }>;
      const d = ds.find((x) => x.origin === 'Gateway apps/gw')!;
      const line = Number(d.path.split(':').pop());
      expect(line).toBeGreaterThan(3);
      expect(line).toBeLessThanOrEqual(gwLine);
    }
  });
});

describe('what istioctl analyze assumes offline', () => {
  const bookinfo = path.join(__dirname, 'fixtures', 'cli', 'bookinfo-gateway.yaml');

  test("Istio's bookinfo gateway sample: no IST0101 on its selector (the default ingress gateway is assumed)", async () => {
    const r = await cli(['analyze', '-o', 'json', bookinfo]);
    const ds = JSON.parse(r.stdout) as Array<{ code: string; origin: string; message: string }>;
    expect(ds.filter((d) => d.origin === 'Gateway default/bookinfo-gateway' || d.origin === 'Gateway bookinfo-gateway')
      .filter((d) => d.code === 'IST0101')).toEqual([]);
    // The route's backend is not in the file: that is still reported, as istioctl does.
    expect(ds.some((d) => d.code === 'IST0101' && d.message.includes('productpage'))).toBe(true);
  });

  test('--no-default-gateway turns the assumption off', async () => {
    const r = await cli(['analyze', '-o', 'json', '--no-default-gateway', bookinfo]);
    const ds = JSON.parse(r.stdout) as Array<{ code: string; origin: string; message: string }>;
    expect(ds.some((d) => d.code === 'IST0101' && d.origin.startsWith('Gateway') && d.message.includes('istio=ingressgateway'))).toBe(true);
  });

  test('a given gateway Service replaces the assumed one', async () => {
    const gw = gateway('gw', 'apps', { istio: 'ingressgateway' }, [server(8443, ['a.example.com'])]);
    const assumed = await cli(['analyze', file('a.yaml', yamlOf([gw]))]);
    expect(assumed.stdout).toContain('IST0162');
    const given = await cli(['analyze', file('b.yaml', yamlOf([...sharedIngress(), gw]))]);
    expect(given.stdout).toContain('No validation issues');
  });

  test('<dir>/prerequisites is read as --external, never as input; --no-prerequisites turns it off', async () => {
    const tls = gateway('gw', 'apps', { app: 'edge' }, [{ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['a.example.com'], tls: { mode: 'SIMPLE', credentialName: 'cert' } }]);
    file('dist/app.k8s.yaml', yamlOf([tls]));
    file('dist/prerequisites/prerequisites.yaml', yamlOf([
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'cert', namespace: 'edge' }, type: 'kubernetes.io/tls' },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'edge', namespace: 'edge', labels: { app: 'edge' } }, spec: { containers: [{ name: 'istio-proxy' }] } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'edge', namespace: 'edge' }, spec: { selector: { app: 'edge' }, ports: [{ port: 443 }] } },
    ]));
    const d = path.join(dir, 'dist');
    expect(await cli(['analyze', d])).toEqual({ code: 0, stdout: `\u2714 No validation issues found when analyzing ${d}.\n`, stderr: '' });
    expect(await cli(['analyze', '-R', d])).toEqual({ code: 0, stdout: `\u2714 No validation issues found when analyzing ${d}.\n`, stderr: '' });
    const off = await cli(['analyze', '--no-prerequisites', d]);
    expect(off.code).toBe(1);
    expect(off.stdout).toContain('IST0101');
  });
});

describe('analyzer messages', () => {
  test('a huge value from the input is clipped in the finding', async () => {
    const host = `${'h'.repeat(5000)}.example.com`;
    const f = file('vs.yaml', yamlOf([{ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'vs', namespace: 'apps' },
      spec: { hosts: ['a.example.com'], http: [{ route: [{ destination: { host } }] }] } }]));
    const r = await cli(['analyze', f]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('IST0101');
    expect(r.stdout).not.toContain('h'.repeat(100));
    expect(r.stdout.length).toBeLessThan(1000);
  });

  test('clipping splits tokens where a regular expression\'s \\s would (Unicode spaces too), and nothing else', async () => {
    const value = `${'a'.repeat(60)}\u2003${'b'.repeat(120)}`;
    const f = file('gw.yaml', yamlOf([gateway('gw', 'apps', { istio: value }, [server(80, ['shop.example.com'])])]));
    const r = await cli(['analyze', f]);
    expect(r.code).toBe(1);
    // `"istio=aaa…` (67 characters) stays; `bbb…".` (122) is cut to its first 64.
    expect(r.stdout).toContain(`"istio=${'a'.repeat(60)}\u2003${'b'.repeat(64)}...(122 chars) `);
    expect(r.stdout).not.toContain('b'.repeat(65));
  });

  test('1,500 gateways claiming one host: every IST0145 lists the others, in linear time per message', async () => {
    // The clipping expression this replaced tried 97 characters at every position of such messages (2.8 s for this input).
    const gws = Array.from({ length: 1500 }, (_, i) => gateway(`gw-${i}`, `team-${i}`, { istio: 'ingressgateway' }, [server(80, ['shared.example.com'])]));
    const f = file('many.yaml', yamlOf([...sharedIngress(), ...gws]));
    const r = await cli(['analyze', f]);
    const lines = r.stdout.trimEnd().split('\n').filter((l) => l.includes('[IST0145]'));
    expect(lines).toHaveLength(1500);
    expect(lines[0]).toContain('team-1/gw-1, team-10/gw-10');
    expect(lines.every((l) => / \S{1,96}\.\.\.\(\d+ chars\) /.test(l) && !/\S{97}/.test(l))).toBe(true);
  });
});

describe('keys named like Object.prototype members in the analyzers', () => {
  test('two routes matching different values of a header named __proto__ are not duplicates', async () => {
    const vs = (a: string, b: string) => 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: vs, namespace: apps}\n'
      + 'spec:\n  hosts: [a.example.com]\n  http:\n'
      + `  - match: [{headers: {__proto__: {exact: ${a}}}}]\n    route: [{destination: {host: a.example.com}}]\n`
      + `  - match: [{headers: {__proto__: {exact: ${b}}}}]\n    route: [{destination: {host: a.example.com}}]\n`;
    const run = async (text: string) => JSON.parse((await cli(['analyze', '-o', 'json', '--analyzers', 'schema.ValidationAnalyzer.VirtualService', file('vs.yaml', text)])).stdout) as Array<{ code: string }>;
    expect(await run(vs('one', 'two'))).toEqual([]);
    // The check can fail: the same value twice is a duplicate.
    expect((await run(vs('one', 'one'))).map((d) => d.code)).toContain('IST0131');
  });
});
