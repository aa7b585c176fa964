// What a cdk8s synthesis loads: `cdk8s synth` runs one process per synthesis, so every module the
// package root loads is paid each time. The validator's CEL runtime and the `yaml` writer are
// exported by the root but never run by a synthesis of the Istio API, so they must not load.
import { spawnSync } from 'child_process';
import * as path from 'path';

const root = path.resolve(__dirname, '..');

/** Runs `body` (JavaScript, with `lib` the package root from src/) in a fresh process; its JSON output. */
function inFreshProcess(body: string): any {
  const script = `const lib = require(${JSON.stringify(path.join(root, 'src'))}); const { App, Chart } = require('cdk8s');\n${body}`;
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script],
    { cwd: root, encoding: 'utf8', env: { ...process.env, TS_NODE_PROJECT: path.join(root, 'tsconfig.json') } });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout);
}

const loaded = (modules: string[], pattern: RegExp) => modules.map((m) => path.relative(root, m).split(path.sep).join('/')).filter((m) => pattern.test(m));
const CEL_INDEX = /node_modules\/@bufbuild\/cel\/dist\/cjs\/index\.js$/;
const YAML_PACKAGE = /(?<!cdk8s\/)node_modules\/yaml\//; // our dependency, not cdk8s's own copy

test('requiring the package root and synthesizing an Istio platform without a CEL filter loads neither the CEL evaluator nor the yaml package', () => {
  const out = inFreshProcess(`
    const atRequire = Object.keys(require.cache);
    const app = new App({ outdir: require('os').tmpdir() });
    const chart = new Chart(app, 'c');
    const gw = new lib.TenantGateway(chart, 'gw', { namespace: 'team', name: 'edge' });
    new lib.TlsHost(chart, 'web', { gateway: gw, hosts: ['web.example.com'], credentialName: 'web-cert', destination: { host: 'web', port: 8080 } });
    new lib.AccessLogPolicy(chart, 'all', { gateway: gw });
    new lib.TrimmedGatewayConfig(chart, 'cp');
    const yaml = app.synthYaml();
    process.stdout.write(JSON.stringify({ atRequire, modules: Object.keys(require.cache), telemetry: yaml.includes('kind: Telemetry') }));`);
  expect(loaded(out.atRequire, /@bufbuild\/cel\//)).toEqual([]);
  expect(loaded(out.modules, /@bufbuild\/cel\//)).toEqual([]);
  expect(loaded(out.modules, YAML_PACKAGE)).toEqual([]);
  expect(out.telemetry).toBe(true);
});

test('a CEL filter loads the parser when the first filter is checked, and is still parsed', () => {
  const out = inFreshProcess(`
    const app = new App({ outdir: require('os').tmpdir() });
    const chart = new Chart(app, 'c');
    const gw = new lib.TenantGateway(chart, 'gw', { namespace: 'team', name: 'edge' });
    const before = Object.keys(require.cache);
    new lib.AccessLogPolicy(chart, 'errors', { gateway: gw, filter: 'response.code >= 400' });
    let refused = '';
    try { new lib.AccessLogPolicy(chart, 'bad', { gateway: gw, filter: 'response.code >=' }); } catch (e) { refused = e.message; }
    const yaml = app.synthYaml();
    process.stdout.write(JSON.stringify({ before, modules: Object.keys(require.cache), refused, telemetry: yaml.includes('expression: response.code >= 400') }));`);
  expect(loaded(out.before, CEL_INDEX)).toEqual([]);
  expect(loaded(out.modules, CEL_INDEX)).toHaveLength(1);
  // a good filter is written, a bad one refused with the parser's reason
  expect(out.telemetry).toBe(true);
  expect(out.refused).toMatch(/\[AccessLogPolicy 'c\/bad'\] filter:/);
});

test('the exports that need them still load them when used', () => {
  const out = inFreshProcess(`
    const app = new App({ outdir: require('os').tmpdir() });
    const values = new lib.TrimmedGatewayConfig(new Chart(app, 'c'), 'cp').helmValuesYaml();
    const crds = lib.loadBundledCrds();
    const result = lib.validateObjects([{ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'g', namespace: 'n' },
      spec: { gatewayClassName: 'istio', addresses: [{ type: 'IPAddress', value: '10.0.0.300' }], listeners: [{ name: 'l', port: 80, protocol: 'HTTP' }] } }], { crds });
    process.stdout.write(JSON.stringify({ values, issues: result.errors.map((i) => i.message), modules: Object.keys(require.cache) }));`);
  expect(out.values).toMatch(/^pilot:\n/m);
  expect(loaded(out.modules, YAML_PACKAGE).length).toBeGreaterThan(0);
  // the Gateway API CRD's CEL rule on IPAddress values ran (isIP), so the evaluator loaded
  expect(out.issues.join('\n')).toMatch(/IPAddress/);
  expect(loaded(out.modules, CEL_INDEX)).toHaveLength(1);
});

// The analyzer, migration, validator, routing graph and change review are exported by the root as
// getters that load their module on first use: a synthesis never calls the last four.
const NEVER_FOR_SYNTHESIS = /^(src\/(validation\/(index|crd-schemas|validate|structural|yaml-files|cel)|graph\/|review\/|migration\/)|node_modules\/js-yaml\/)/;

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
  const out = inFreshProcess(`
    const atRequire = Object.keys(require.cache);
    const app = new App({ outdir: require('os').tmpdir() });
    const chart = new Chart(app, 'c');
    const shared = new lib.IngressGateway(chart, 'shared', { namespace: 'edge' });
    new lib.TlsHost(chart, 'web', { gateway: shared, namespace: 'team', name: 'web', hosts: ['web.example.com'], credentialName: 'web-cert', destination: { host: 'web', port: 8080 } });
    shared.addHttpHosts(['api.example.com']);
    new lib.HttpRoute(chart, 'api', { gateways: [shared], namespace: 'team', name: 'api', hosts: ['api.example.com'], destination: { host: 'api', port: 8080 } });
    const yaml = app.synthYaml();
    const modules = Object.keys(require.cache);
    // (ts-node compiles file by file, so names re-exported as types only appear here, as undefined)
    const keys = Object.keys(lib).filter((k) => lib[k] !== undefined);
    process.stdout.write(JSON.stringify({ atRequire, modules, keys, routes: yaml.split('kind: VirtualService').length - 1 }));`);
  expect(loaded(out.atRequire, NEVER_FOR_SYNTHESIS)).toEqual([]);
  expect(loaded(out.modules, NEVER_FOR_SYNTHESIS)).toEqual([]);
  expect(out.routes).toBe(2);
  expect(out.keys).toEqual(ROOT_EXPORTS);
});

test('each lazily loaded export is its module\'s own value, loaded when first read', () => {
  const out = inFreshProcess(`
    const before = Object.keys(require.cache);
    const crds = lib.loadBundledCrds();
    const v = require('./src/validation'), g = require('./src/graph'), r = require('./src/review'), m = require('./src/migration'), a = require('./src/analysis');
    const same = {
      CrdSet: lib.CrdSet === v.CrdSet, instance: crds instanceof lib.CrdSet, validateObjects: lib.validateObjects === v.validateObjects,
      BUNDLED_CRDS: lib.BUNDLED_CRDS === v.BUNDLED_CRDS, routingGraph: lib.routingGraph === g.routingGraph, toHtml: lib.toHtml === g.toHtml,
      reviewChange: lib.reviewChange === r.reviewChange, formatReviewJson: lib.formatReviewJson === r.formatReviewJson,
      migrate: lib.migrate === m.migrate, analyze: lib.analyze === a.analyze, ANALYZER_NAMES: lib.ANALYZER_NAMES === a.ANALYZER_NAMES,
    };
    let refused = '';
    try { lib.loadCrds(['/nonexistent/crds.yaml']); } catch (e) { refused = e.constructor.name + ': ' + e.message; }
    process.stdout.write(JSON.stringify({ before, after: Object.keys(require.cache), same, refused }));`);
  expect(loaded(out.before, /^src\/validation\/crd-schemas/)).toEqual([]);
  expect(loaded(out.after, /^src\/validation\/crd-schemas/)).toHaveLength(1);
  expect(Object.entries(out.same).filter(([, ok]) => !ok)).toEqual([]);
  expect(out.refused).toMatch(/^CrdLoadError: .*\/nonexistent\/crds\.yaml/);
});

test('an ES module imports the root\'s own exports by name (Node\'s CommonJS export detection sees the lazy ones)', () => {
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
const TRANSLATION = /^src\/render\/gateway-api\/translate/;

test('an Istio platform never loads the Gateway API route translation; the first Gateway API route does', () => {
  const out = inFreshProcess(`
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
    const afterIstio = Object.keys(require.cache);
    const gatewayApi = build({ api: 'gateway-api', gatewayApiChannel: 'experimental' });
    process.stdout.write(JSON.stringify({ afterIstio, modules: Object.keys(require.cache),
      istioRoutes: istio.split('kind: VirtualService').length - 1, httpRoutes: gatewayApi.split('kind: HTTPRoute').length - 1 }));`);
  expect(out.istioRoutes).toBe(4);
  expect(loaded(out.afterIstio, TRANSLATION)).toEqual([]);
  expect(out.httpRoutes).toBeGreaterThan(0);
  expect(loaded(out.modules, TRANSLATION)).toHaveLength(1);
});
