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
