// What a cdk8s synthesis loads: `cdk8s synth` runs one process per synthesis, so every module the
// package root loads is paid each time. The validator's CEL runtime and the `yaml` writer are
// exported by the root but never run by a synthesis of the Istio API, so they must not load.
// Each test runs twice: on src/ (through ts-node, one module per file, as require.cache lists them) and
// on the shipped bundles (lib/bundle/index.js and the tools.js it requires for the parts loaded on first use,
// which `npm run build` makes), whose modules are functions run on their first require: there a module counts
// as loaded once its function ran (recorded by an instrumented copy of esbuild's `__commonJS` helper), under
// its path in lib/src (lib/src/validation/index.js).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '..');
const BUNDLE = path.join(root, 'lib', 'bundle', 'index.js');
if (!fs.existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run \`npm run build\` before these tests`);

type Layout = 'src' | 'bundle';

/**
 * The lines that load the package as `lib` in a fresh process: src/ through ts-node, or the bundles, each
 * compiled from its text with one line added to esbuild's `__commonJS` helper that records each module
 * whose function runs (as an absolute path under lib/src/) in `require.cache`'s keys' place: `modules()`.
 */
function prelude(layout: Layout): string {
  if (layout === 'src') return `const lib = require(${JSON.stringify(path.join(root, 'src'))}); const modules = () => Object.keys(require.cache);`;
  // Every file of lib/bundle is compiled instrumented when it is first required: the root, and tools.js (the
  // parts loaded on first use), which the root requires when one of those is first read.
  return `const lib = (() => {
    const Module = require('module'), fs = require('fs'), dir = ${JSON.stringify(path.dirname(BUNDLE) + path.sep)};
    const helper = 'var __commonJS = (cb, mod) => function __require() {\\n';
    globalThis.__evaluated = [];
    const compile = Module._extensions['.js'];
    Module._extensions['.js'] = function (m, file) {
      if (!file.startsWith(dir)) return compile(m, file);
      const text = fs.readFileSync(file, 'utf8');
      if (!text.includes(helper)) throw new Error('esbuild helper __commonJS not found in ' + file);
      m._compile(text.replace(helper, helper + '  if (!mod) globalThis.__evaluated.push(${JSON.stringify(root + '/')} + __getOwnPropNames(cb)[0]);\\n'), file);
    };
    return require(${JSON.stringify(BUNDLE)});
  })();
  const modules = () => [...Object.keys(require.cache), ...globalThis.__evaluated];
  if (!modules().some((m) => m.endsWith('/lib/src/cdk8s/index.js'))) throw new Error('the instrumented bundle recorded no module');`;
}

/** Runs `body` (JavaScript, with `lib` the package and `modules()` what has loaded) in a fresh process; its JSON output. */
function inFreshProcess(layout: Layout, body: string): any {
  const script = `${prelude(layout)} const { App, Chart } = require('cdk8s');\n${body}`;
  const r = spawnSync(process.execPath, [...(layout === 'src' ? ['-r', 'ts-node/register/transpile-only'] : []), '-e', script],
    { cwd: root, encoding: 'utf8', env: { ...process.env, TS_NODE_PROJECT: path.join(root, 'tsconfig.json') } });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout);
}

const loaded = (modules: string[], pattern: RegExp) => modules.map((m) => path.relative(root, m).split(path.sep).join('/')).filter((m) => pattern.test(m));
const CEL_INDEX = /node_modules\/@bufbuild\/cel\/dist\/cjs\/index\.js$/;
const CEL_PARSE = /node_modules\/@bufbuild\/cel\/dist\/cjs\/parse\.js$/;
const YAML_PACKAGE = /(?<!cdk8s\/)node_modules\/yaml\//; // our dependency, not cdk8s's own copy

describe.each<[Layout]>([['src'], ['bundle']])('from %s', (layout) => {
test('requiring the package root and synthesizing an Istio platform without a CEL filter loads neither the CEL evaluator nor the yaml package', () => {
  const out = inFreshProcess(layout, `
    const atRequire = modules();
    const app = new App({ outdir: require('os').tmpdir() });
    const chart = new Chart(app, 'c');
    const gw = new lib.TenantGateway(chart, 'gw', { namespace: 'team', name: 'edge' });
    new lib.TlsHost(chart, 'web', { gateway: gw, hosts: ['web.example.com'], credentialName: 'web-cert', destination: { host: 'web', port: 8080 } });
    new lib.AccessLogPolicy(chart, 'all', { gateway: gw });
    new lib.TrimmedGatewayConfig(chart, 'cp');
    const yaml = app.synthYaml();
    process.stdout.write(JSON.stringify({ atRequire, modules: modules(), telemetry: yaml.includes('kind: Telemetry') }));`);
  expect(loaded(out.atRequire, /@bufbuild\/cel\//)).toEqual([]);
  expect(loaded(out.modules, /@bufbuild\/cel\//)).toEqual([]);
  expect(loaded(out.modules, YAML_PACKAGE)).toEqual([]);
  expect(out.telemetry).toBe(true);
});

test('a CEL filter loads the parser alone (not the evaluator) when the first filter is checked, and is still parsed', () => {
  const out = inFreshProcess(layout, `
    const app = new App({ outdir: require('os').tmpdir() });
    const chart = new Chart(app, 'c');
    const gw = new lib.TenantGateway(chart, 'gw', { namespace: 'team', name: 'edge' });
    const before = modules();
    new lib.AccessLogPolicy(chart, 'errors', { gateway: gw, filter: 'response.code >= 400' });
    let refused = '';
    try { new lib.AccessLogPolicy(chart, 'bad', { gateway: gw, filter: 'response.code >=' }); } catch (e) { refused = e.message; }
    const yaml = app.synthYaml();
    process.stdout.write(JSON.stringify({ before, modules: modules(), refused, telemetry: yaml.includes('expression: response.code >= 400') }));`);
  expect(loaded(out.before, /@bufbuild\/cel\//)).toEqual([]);
  expect(loaded(out.modules, CEL_PARSE)).toHaveLength(1);
  expect(loaded(out.modules, CEL_INDEX)).toEqual([]);
  expect(loaded(out.modules, /@bufbuild\/(protobuf|re2)\//)).toEqual([]);
  // a good filter is written, a bad one refused with the parser's reason
  expect(out.telemetry).toBe(true);
  expect(out.refused).toMatch(/\[AccessLogPolicy 'c\/bad'\] filter:/);
});

test('the exports that need them still load them when used', () => {
  const out = inFreshProcess(layout, `
    const app = new App({ outdir: require('os').tmpdir() });
    const values = new lib.TrimmedGatewayConfig(new Chart(app, 'c'), 'cp').helmValuesYaml();
    const crds = lib.loadBundledCrds();
    const result = lib.validateObjects([{ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'g', namespace: 'n' },
      spec: { gatewayClassName: 'istio', addresses: [{ type: 'IPAddress', value: '10.0.0.300' }], listeners: [{ name: 'l', port: 80, protocol: 'HTTP' }] } }], { crds });
    process.stdout.write(JSON.stringify({ values, issues: result.errors.map((i) => i.message), modules: modules() }));`);
  expect(out.values).toMatch(/^pilot:\n/m);
  expect(loaded(out.modules, YAML_PACKAGE).length).toBeGreaterThan(0);
  // the Gateway API CRD's CEL rule on IPAddress values ran (isIP), so the evaluator loaded
  expect(out.issues.join('\n')).toMatch(/IPAddress/);
  expect(loaded(out.modules, CEL_INDEX)).toHaveLength(1);
});

// The analyzer, migration, validator, routing graph and change review are exported by the root as
// getters that load their module on first use: a synthesis never calls the last four.
const NEVER_FOR_SYNTHESIS = /^((lib\/)?src\/(validation\/(index|crd-schemas|validate|structural|yaml-files|cel)|graph\/|review\/|migration\/)|node_modules\/js-yaml\/)/;

/** The root's export names, in order (`Object.keys(require('istio-gateway-constructs'))`). */
const ROOT_EXPORTS = [
  'IstioGatewayError', 'TlsMode', 'apiVersions', 'migrate', 'analyze', 'ANALYZER_NAMES', 'formatDiagnostic', 'loadCrds',
  'loadBundledCrds', 'bundledCrdPath', 'BUNDLED_CRDS', 'validateObjects', 'CrdSet', 'routingGraph', 'toMermaid', 'toDot',
  'toHtml', 'reviewChange', 'formatReviewText', 'formatReviewMarkdown', 'formatReviewJson', 'ImportedGateway',
  'RenderedObject', 'suppressDiagnostic', 'configureSynthAnalysis', 'SynthCheck', 'WARNINGS_ENV', 'prerequisitesOf',
  'writePrerequisites', 'PREREQUISITES_FOLDER', 'PREREQUISITES_FILE', 'GATEWAY_APIS', 'GatewayBase',
  'DEFAULT_INGRESS_SERVICE_PORTS', 'HELM_GATEWAY_SERVICE_PORTS', 'ISTIOCTL_INGRESS_SERVICE_PORTS', 'IngressGateway',
  'NAMESPACE_SELECTOR_LABEL', 'TenantGateway', 'TlsHost', 'TcpGateway', 'TcpCanaryRoute', 'HTTP_ROUTE_OPTION_PROPS',
  'ROUTE_BINDING_PROPS', 'RouteBase', 'HttpRoute', 'CanaryRoute', 'StrictMtls', 'AccessLogPolicy', 'DNS_CAPTURE_METADATA',
  'FILTER_GATEWAY_CLUSTER_CONFIG_ENV', 'TrimmedGatewayConfig',
];

test('requiring the root and synthesizing loads neither the validator, js-yaml, the graph, the review nor the migration', () => {
  const out = inFreshProcess(layout, `
    const atRequire = modules();
    const app = new App({ outdir: require('os').tmpdir() });
    const chart = new Chart(app, 'c');
    const shared = new lib.IngressGateway(chart, 'shared', { namespace: 'edge' });
    new lib.TlsHost(chart, 'web', { gateway: shared, namespace: 'team', name: 'web', hosts: ['web.example.com'], credentialName: 'web-cert', destination: { host: 'web', port: 8080 } });
    shared.addHttpHosts(['api.example.com']);
    new lib.HttpRoute(chart, 'api', { gateways: [shared], namespace: 'team', name: 'api', hosts: ['api.example.com'], destination: { host: 'api', port: 8080 } });
    const yaml = app.synthYaml();
    const all = modules();
    // (ts-node compiles file by file, so names re-exported as types only appear here, as undefined)
    const keys = Object.keys(lib).filter((k) => lib[k] !== undefined);
    process.stdout.write(JSON.stringify({ atRequire, modules: all, keys, routes: yaml.split('kind: VirtualService').length - 1 }));`);
  expect(loaded(out.atRequire, NEVER_FOR_SYNTHESIS)).toEqual([]);
  expect(loaded(out.modules, NEVER_FOR_SYNTHESIS)).toEqual([]);
  expect(out.routes).toBe(2);
  expect(out.keys).toEqual(ROOT_EXPORTS);
});

test('each lazily loaded export is its module\'s own value, loaded when first read', () => {
  const out = inFreshProcess(layout, `
    const before = modules();
    const crds = lib.loadBundledCrds();
    // (in the bundle the modules are not files of their own: each getter returns the same value on every read)
    const v = ${layout === 'src' ? "require('./src/validation')" : 'lib'}, g = ${layout === 'src' ? "require('./src/graph')" : 'lib'}, r = ${layout === 'src' ? "require('./src/review')" : 'lib'};
    const m = ${layout === 'src' ? "require('./src/migration')" : 'lib'}, a = ${layout === 'src' ? "require('./src/analysis')" : 'lib'};
    const same = {
      CrdSet: lib.CrdSet === v.CrdSet, instance: crds instanceof lib.CrdSet, validateObjects: lib.validateObjects === v.validateObjects,
      BUNDLED_CRDS: lib.BUNDLED_CRDS === v.BUNDLED_CRDS, routingGraph: lib.routingGraph === g.routingGraph, toHtml: lib.toHtml === g.toHtml,
      reviewChange: lib.reviewChange === r.reviewChange, formatReviewJson: lib.formatReviewJson === r.formatReviewJson,
      migrate: lib.migrate === m.migrate, analyze: lib.analyze === a.analyze, ANALYZER_NAMES: lib.ANALYZER_NAMES === a.ANALYZER_NAMES,
    };
    let refused = '';
    try { lib.loadCrds(['/nonexistent/crds.yaml']); } catch (e) { refused = e.constructor.name + ': ' + e.message; }
    process.stdout.write(JSON.stringify({ before, after: modules(), same, refused }));`);
  expect(loaded(out.before, /^(lib\/)?src\/validation\/crd-schemas/)).toEqual([]);
  expect(loaded(out.after, /^(lib\/)?src\/validation\/crd-schemas/)).toHaveLength(1);
  expect(Object.entries(out.same).filter(([, ok]) => !ok)).toEqual([]);
  expect(out.refused).toMatch(/^CrdLoadError: .*\/nonexistent\/crds\.yaml/);
});

if (layout === 'bundle') {
  test('an ES module imports every export of the bundle by name (the names its footer lists for Node\'s CommonJS export detection)', () => {
    const script = `import * as ns from ${JSON.stringify(BUNDLE)};\nimport { CrdSet, validateObjects, routingGraph, reviewChange, migrate, analyze, TlsMode, TenantGateway } from ${JSON.stringify(BUNDLE)};\n`
      + 'process.stdout.write(JSON.stringify({ names: Object.keys(ns).filter((k) => k !== "default"), types: [CrdSet, validateObjects, routingGraph, reviewChange, migrate, analyze, TenantGateway, TlsMode].map((f) => typeof f) }));';
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect([...out.names].sort()).toEqual([...ROOT_EXPORTS, '__esModule'].sort());
    expect(out.types).toEqual([...Array(7).fill('function'), 'object']);
  });
} else test('an ES module imports the root\'s own exports by name (Node\'s CommonJS export detection sees the lazy ones)', () => {
  // The root compiled as `npm run build` compiles it, with its requires pointed at src/ (run through ts-node).
  const ts = require('typescript') as typeof import('typescript');
  const fs = require('fs') as typeof import('fs');
  const os = require('os') as typeof import('os');
  const js = ts.transpileModule(fs.readFileSync(path.join(root, 'src/index.ts'), 'utf8'), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText
    .replace(/require\((["'])\.\/([^"']+)\1\)/g, (_, q, m) => `require(${JSON.stringify(path.join(root, 'src', m))})`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'igc-esm-'));
  try {
    fs.writeFileSync(path.join(dir, 'index.cjs'), js);
    // (the names of './cdk8s', a re-export Node follows to a file it reads itself, are left out: ts-node serves it)
    const script = `import * as ns from ${JSON.stringify(path.join(dir, 'index.cjs'))};\nimport { CrdSet, validateObjects, routingGraph, reviewChange, migrate, analyze, TlsMode } from ${JSON.stringify(path.join(dir, 'index.cjs'))};\n`
      + 'process.stdout.write(JSON.stringify({ names: Object.keys(ns).filter((k) => k !== "default"), types: [CrdSet, validateObjects, routingGraph, reviewChange, migrate, analyze, TlsMode].map((f) => typeof f) }));';
    const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '--input-type=module', '-e', script],
      { cwd: root, encoding: 'utf8', env: { ...process.env, TS_NODE_PROJECT: path.join(root, 'tsconfig.json') } });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect([...out.names].sort()).toEqual([...ROOT_EXPORTS.slice(0, ROOT_EXPORTS.indexOf('ImportedGateway')), '__esModule'].sort());
    expect(out.types).toEqual([...Array(6).fill('function'), 'object']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// The route translation (render/gateway-api/translate) is loaded by the first Gateway API route:
// the Istio flavour uses only the gateway's own Gateway API helpers (render/gateway-api/listeners).
const TRANSLATION = /^(lib\/)?src\/render\/gateway-api\/translate/;

test('an Istio platform never loads the Gateway API route translation; the first Gateway API route does', () => {
  const out = inFreshProcess(layout, `
    const build = (api) => {
      const app = new App({ outdir: require('os').tmpdir() });
      const chart = new Chart(app, 'c');
      const gw = new lib.TenantGateway(chart, 'gw', { namespace: 'team', name: 'edge', ...api });
      new lib.TlsHost(chart, 'web', { gateway: gw, hosts: ['web.example.com'], credentialName: 'web-cert', destination: { host: 'web', port: 8080 } });
      new lib.TcpGateway(chart, 'db', { gateway: gw, port: 5432, destination: { host: 'db', port: 5432 } });
      gw.addHttpHosts(['api.example.com']);
      new lib.CanaryRoute(chart, 'api', { gateways: [gw], name: 'api', hosts: ['api.example.com'], destination: { host: 'api', port: 8080 },
        stable: { subset: 'stable', labels: { version: 'v1' } }, canary: { subset: 'canary', labels: { version: 'v2' }, weight: 10 },
        ...(api.api ? { destinationSelector: { app: 'api' } } : {}) });
      const shared = new lib.IngressGateway(chart, 'shared', { namespace: 'edge' });
      shared.addHttpHosts(['shop.example.com']);
      new lib.HttpRoute(chart, 'shop', { gateways: [shared], namespace: 'team', name: 'shop', hosts: ['shop.example.com'], destination: { host: 'shop', port: 8080 } });
      return app.synthYaml();
    };
    const istio = build({});
    const afterIstio = modules();
    const gatewayApi = build({ api: 'gateway-api', gatewayApiChannel: 'experimental' });
    process.stdout.write(JSON.stringify({ afterIstio, modules: modules(),
      istioRoutes: istio.split('kind: VirtualService').length - 1, httpRoutes: gatewayApi.split('kind: HTTPRoute').length - 1 }));`);
  expect(out.istioRoutes).toBe(4);
  expect(loaded(out.afterIstio, TRANSLATION)).toEqual([]);
  expect(out.httpRoutes).toBeGreaterThan(0);
  expect(loaded(out.modules, TRANSLATION)).toHaveLength(1);
});
});
