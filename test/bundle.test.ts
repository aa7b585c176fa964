// The shipped JavaScript is one file per entry point (scripts/bundle.js, run by `npm run build`):
// lib/bundle/index.js (the root), pulumi.js, cli.js and the CLI's reading worker, and tools.js, the root's
// parts loaded on first use (the validator, the routing graph, the change review, the migration). The
// Pulumi entry and the tools use the constructs and the model, which must exist once: those bundles hold
// only their own modules and ask the root bundle for every other one.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
const BUNDLE = path.join(ROOT, 'lib', 'bundle');
if (!fs.existsSync(path.join(BUNDLE, 'pulumi.js'))) throw new Error(`${BUNDLE} is missing: run \`npm run build\` before these tests`);
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

/**
 * The modules a bundle holds (esbuild writes `// lib/src/FILE.js` above each), those it takes from the root bundle,
 * and those it takes from the tools bundle.
 */
function modulesOf(file: string): { own: string[]; fromRoot: string[]; fromTools: string[] } {
  const text = fs.readFileSync(path.join(BUNDLE, file), 'utf8');
  return {
    own: [...text.matchAll(/^\/\/ (lib\/src\/\S+\.js)$/gm)].map((m) => m[1]).filter((m) => m !== 'lib/src/tools-entry.js'),
    fromRoot: [...text.matchAll(/^\/\/ root-module:(\S+\.js)$/gm)].map((m) => m[1]),
    fromTools: [...text.matchAll(/^\/\/ tools-module:(\S+\.js)$/gm)].map((m) => m[1]),
  };
}

test('package.json points the entries and the bin at the bundles, and ships no per-module JavaScript', () => {
  expect(pkg.main).toBe('lib/bundle/index.js');
  expect(pkg.exports['.']).toEqual({ types: './lib/src/index.d.ts', default: './lib/bundle/index.js' });
  expect(pkg.exports['./pulumi']).toEqual({ types: './lib/src/pulumi/index.d.ts', default: './lib/bundle/pulumi.js' });
  expect(pkg.bin['istio-gateway']).toBe('lib/bundle/cli.js');
  expect(pkg.files).toEqual(expect.arrayContaining(['lib/bundle', 'lib/src/**/*.d.ts']));
  expect(pkg.files).not.toContain('lib/src');
  expect(fs.readFileSync(path.join(BUNDLE, 'cli.js'), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
});

test('no module is in both the root and the pulumi bundle: the pulumi bundle takes every module outside src/pulumi from the root bundle', () => {
  const root = modulesOf('index.js');
  const pulumi = modulesOf('pulumi.js');
  expect(root.own).toContain('lib/src/cdk8s/tls-host.js');
  expect(root.fromRoot).toEqual([]);
  expect(pulumi.own.length).toBeGreaterThan(0);
  expect(pulumi.own.filter((m) => !m.startsWith('lib/src/pulumi/'))).toEqual([]);
  expect(pulumi.own.filter((m) => root.own.includes(m))).toEqual([]);
  // what it takes from the root: the constructs, the model's TlsMode, the errors, ... all held by the root bundle
  expect(pulumi.fromRoot).toEqual(expect.arrayContaining(['cdk8s/index.js', 'errors.js']));
  expect(pulumi.fromRoot.filter((id) => !root.own.includes(`lib/src/${id}`))).toEqual([]);
});

test('the root\'s parts loaded on first use are in lib/bundle/tools.js, which takes every other module from the root bundle', () => {
  const root = modulesOf('index.js');
  const tools = modulesOf('tools.js');
  const pulumi = modulesOf('pulumi.js');
  expect(root.fromTools.sort()).toEqual(['graph/index.js', 'migration/index.js', 'review/index.js', 'validation/index.js']);
  expect(tools.own).toEqual(expect.arrayContaining(['lib/src/validation/structural.js', 'lib/src/validation/yaml-files.js',
    'lib/src/graph/builder.js', 'lib/src/review/review.js', 'lib/src/migration/index.js']));
  expect(tools.own.filter((m) => root.own.includes(m) || pulumi.own.includes(m))).toEqual([]);
  // what the constructs use stays in the root: the analyzer, the names' rules, the Gateway API translation
  expect(root.own).toEqual(expect.arrayContaining(['lib/src/analysis/index.js', 'lib/src/validation/names.js', 'lib/src/render/gateway-api/translate.js']));
  expect(tools.fromRoot).toEqual(expect.arrayContaining(['manifests.js', 'validation/core.js']));
  expect(tools.fromRoot.filter((id) => !root.own.includes(`lib/src/${id}`))).toEqual([]);
  expect(pulumi.fromTools).toEqual([]);
});

test('a synthesis never reads lib/bundle/tools.js; the first read of a tool\'s name does, with the root\'s modules', () => {
  const script = `
    const bundles = () => Object.keys(require.cache).filter((f) => f.startsWith(${JSON.stringify(path.join(ROOT, 'lib') + '/')})).map((f) => require('path').relative(${JSON.stringify(ROOT)}, f));
    const root = require(${JSON.stringify(path.join(BUNDLE, 'index.js'))});
    const { App, Chart } = require('cdk8s');
    const app = new App({ outdir: require('os').tmpdir() });
    const gw = new root.TenantGateway(new Chart(app, 'c'), 'gw', { namespace: 'team-a', name: 'team-a-gw' });
    const yaml = app.synthYaml();
    const afterSynth = bundles();
    const crds = root.loadBundledCrds();
    const shared = root[Symbol.for('istio-gateway-constructs.module')];
    const tools = require(${JSON.stringify(path.join(BUNDLE, 'tools.js'))})[Symbol.for('istio-gateway-constructs.tools')];
    const objects = require('yaml').parseAllDocuments(yaml).map((d) => d.toJS());
    process.stdout.write(JSON.stringify({
      afterSynth, afterTools: bundles(), objects: objects.length, valid: root.validateObjects(objects, crds).valid,
      crdSet: crds instanceof root.CrdSet, originOf: tools('validation/index.js').originOf === shared('manifests.js').originOf,
      graph: typeof root.routingGraph(objects), review: typeof root.reviewChange, migrate: typeof root.migrate,
    }));`;
  const r = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  const out = JSON.parse(r.stdout);
  expect(out).toEqual({
    afterSynth: ['lib/bundle/index.js'], afterTools: ['lib/bundle/index.js', 'lib/bundle/tools.js'], objects: out.objects,
    valid: true, crdSet: true, originOf: true, graph: 'object', review: 'function', migrate: 'function',
  });
  expect(out.objects).toBeGreaterThan(3);
});

test('the pulumi entry shares the root\'s classes at run time (one copy: instanceof holds across the entries)', () => {
  const script = `
    const root = require(${JSON.stringify(path.join(BUNDLE, 'index.js'))});
    const pulumi = require(${JSON.stringify(path.join(BUNDLE, 'pulumi.js'))});
    const shared = root[Symbol.for('istio-gateway-constructs.module')];
    const { App, Chart } = require('cdk8s');
    const chart = new Chart(new App({ outdir: require('os').tmpdir() }), 'c');
    const gw = shared('cdk8s/index.js').TenantGateway.fromAttributes(chart, 'gw', { namespace: 'n', name: 'g' });
    let refusal;
    try { new root.TlsHost(chart, 'bad', { gateway: gw, hosts: [], destination: { host: 'x', port: 1 } }); } catch (e) { refusal = e; }
    process.stdout.write(JSON.stringify({
      error: pulumi.IstioGatewayError === root.IstioGatewayError, refusal: refusal instanceof pulumi.IstioGatewayError,
      tlsMode: pulumi.TlsMode === root.TlsMode, constructs: shared('cdk8s/index.js').TlsHost === root.TlsHost,
      gateway: gw instanceof root.ImportedGateway, keys: Object.keys(root).includes('undefined'),
      bundles: Object.keys(require.cache).filter((f) => f.startsWith(${JSON.stringify(path.join(ROOT, 'lib') + '/')})).map((f) => require('path').relative(${JSON.stringify(ROOT)}, f)),
    }));`;
  const r = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(JSON.parse(r.stdout)).toEqual({
    error: true, refusal: true, tlsMode: true, constructs: true, gateway: true, keys: false,
    bundles: ['lib/bundle/index.js', 'lib/bundle/pulumi.js'],
  });
});

test('the CLI bundle starts its reading worker from lib/bundle/yaml-split-worker.js', () => {
  // A file above the two-thread threshold, and a preload that records every Worker the CLI starts.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'igc-bundle-'));
  try {
    const file = path.join(dir, 'large.yaml');
    const doc = (i: number) => `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\n  namespace: default\ndata:\n  key: "${'v'.repeat(200)}"\n`;
    fs.writeFileSync(file, Array.from({ length: 40000 }, (_, i) => doc(i)).join(''));
    const log = path.join(dir, 'workers.log');
    const hook = path.join(dir, 'hook.js');
    fs.writeFileSync(hook, `const wt = require('worker_threads'); const fs = require('fs'); const W = wt.Worker;
      wt.Worker = class extends W { constructor(f, o) { super(f, o); fs.appendFileSync(${JSON.stringify(log)}, f + '\\n'); this.on('message', () => fs.appendFileSync(${JSON.stringify(log)}, 'message\\n')); } };`);
    const r = spawnSync(process.execPath, ['-r', hook, path.join(BUNDLE, 'cli.js'), 'validate', file], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = fs.readFileSync(log, 'utf8').split('\n');
    expect(lines[0]).toBe(path.join(BUNDLE, 'yaml-split-worker.js'));
    expect(lines).toContain('message');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
