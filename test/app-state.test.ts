// The core keeps no hidden state: what is cached lives with the App and only for one synthesis,
// validation hooks only return messages, warnings take one path with a switch, ordering edges
// are set at construction, and no module imports itself back through another.
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { configureSynthAnalysis, HttpRoute, IngressGateway, IstioGatewayError, suppressDiagnostic, SynthCheck, TenantGateway, TlsHost, WARNINGS_ENV } from '../src';
import { AppState } from '../src/cdk8s/app-state';
import { errorOf } from './support/synth';

function app(): App {
  return new App({ outdir: require('os').tmpdir() });
}

/** Two gateways on the shared workload serving one certificate: warning IST0138, no error. */
function duplicateCertificate(chart: Chart): [IngressGateway, IngressGateway] {
  const a = new IngressGateway(chart, 'a', { namespace: 'shop-a' });
  const b = new IngressGateway(chart, 'b', { namespace: 'shop-b' });
  new TlsHost(chart, 'ta', { gateway: a, hosts: ['a.example.com'], credentialName: 'wildcard-cert' });
  new TlsHost(chart, 'tb', { gateway: b, hosts: ['b.example.com'], credentialName: 'wildcard-cert' });
  return [a, b];
}

describe('two Apps in one process share nothing', () => {
  test('a suppression, options and findings stay with their App', () => {
    const one = app();
    const two = app();
    const warnOne: string[] = [];
    const warnTwo: string[] = [];
    configureSynthAnalysis(one, { warnings: 'print', warn: (l) => warnOne.push(l) });
    configureSynthAnalysis(two, { warnings: 'print', warn: (l) => warnTwo.push(l) });
    const [a1, b1] = duplicateCertificate(new Chart(one, 'c'));
    duplicateCertificate(new Chart(two, 'c'));
    suppressDiagnostic(a1, 'IST0138', 'one wildcard certificate on purpose');
    suppressDiagnostic(b1, 'IST0138', 'one wildcard certificate on purpose');
    one.synthYaml();
    two.synthYaml();
    expect(warnOne).toEqual([]);
    expect(warnTwo.some((l) => l.includes('IST0138'))).toBe(true);
    expect(SynthCheck.of(one)).not.toBe(SynthCheck.of(two));
    expect(SynthCheck.of(one).lastDiagnostics.map((d) => d.code)).not.toContain('IST0138');
  });

  test('one App\'s objects never count against the other\'s names', () => {
    const one = app();
    const two = app();
    new TenantGateway(new Chart(one, 'c'), 'gw', { namespace: 'team', name: 'edge' }).addHttpHosts(['a.example.com']);
    new TenantGateway(new Chart(two, 'c'), 'gw', { namespace: 'team', name: 'edge' }).addHttpHosts(['a.example.com']);
    expect(() => one.synthYaml()).not.toThrow();
    expect(() => two.synthYaml()).not.toThrow();
  });
});

describe('validation hooks only return messages', () => {
  test('validating an App with warnings prints nothing; with errors returns the messages instead of throwing', () => {
    const a = app();
    configureSynthAnalysis(a, { warnings: 'print' }); // printing on, so "prints nothing" is about validate()
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      duplicateCertificate(new Chart(a, 'c'));
      expect(a.node.validate()).toEqual([]);
      expect(warn).not.toHaveBeenCalled();
      const bad = new IngressGateway(new Chart(a, 'd'), 'bad', { namespace: 'shop-c' });
      new HttpRoute(a.node.findChild('d'), 'r', { hosts: ['other.example.com'], gateways: [bad], destination: { host: 'web', port: 80 } });
      bad.addHttpHosts(['c.example.com']);
      const messages = a.node.validate();
      expect(messages.join('\n')).toMatch(/\[HttpRoute 'd\/r'\] hosts: invalid value \["other.example.com"\]/);
      expect(warn).not.toHaveBeenCalled();
      // synthesis reports the same problems as the library's own error
      expect(errorOf(() => a.synthYaml())).toBeInstanceOf(IstioGatewayError);
    } finally {
      warn.mockRestore();
    }
  });
});

describe('every chart of the App is a synthesis scope', () => {
  test('a chart whose constructs were all refused, synthesized first, refuses the App with our error', () => {
    const a = app();
    configureSynthAnalysis(a, { warn: () => undefined }); // the App's state exists before any chart
    const empty = new Chart(a, 'empty');
    expect(() => new TenantGateway(empty, 'gw', { namespace: 'Bad_NS' })).toThrow(IstioGatewayError);
    const other = new Chart(a, 'other');
    new TenantGateway(other, 'one', { namespace: 'team', name: 'edge' }).addHttpHosts(['a.example.com']);
    new TenantGateway(other, 'two', { namespace: 'team', name: 'edge' }).addHttpHosts(['b.example.com']);
    const err = errorOf(() => empty.toJson());
    expect(err).toBeInstanceOf(IstioGatewayError);
    expect(err.message).toMatch(/Deployment, .*team\/edge are already emitted by TenantGateway 'other\/one'/);
  });
});

describe('one listing of the App per synthesis', () => {
  test('the App and each top-level chart get what findAll gives, nested charts and plain constructs included', () => {
    const a = app();
    const state = AppState.of(a);
    const first = new Chart(a, 'first');
    new TenantGateway(first, 'gw', { namespace: 'team', name: 'edge' }).addHttpHosts(['a.example.com']);
    const nested = new Chart(first, 'nested');
    new Construct(nested, 'inner');
    new Construct(a, 'plain');
    const last = new Chart(a, 'last');
    new TenantGateway(last, 'gw', { namespace: 'other', name: 'edge' });
    const scopes = [a, first, nested, a.node.findChild('plain'), last];
    const paths = (xs: readonly IConstruct[]) => xs.map((x) => x.node.path);
    for (const s of scopes) expect(paths(state.subtree(s))).toEqual(paths(s.node.findAll()));
    state.synthesis(() => {
      for (const s of scopes) expect(paths(state.subtree(s))).toEqual(paths(s.node.findAll()));
      // listed once: the App's own list is the same array on every call of this synthesis
      expect(state.subtree(a)).toBe(state.subtree(a));
    });
  });
});

describe('warnings: one reporting path, one switch', () => {
  const saved = process.env[WARNINGS_ENV];
  afterEach(() => {
    if (saved === undefined) delete process.env[WARNINGS_ENV]; else process.env[WARNINGS_ENV] = saved;
  });

  test('printed once per synthesis by default (to console.warn unless a sink is given)', () => {
    delete process.env[WARNINGS_ENV];
    const a = app();
    duplicateCertificate(new Chart(a, 'c'));
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      a.synthYaml();
      a.synthYaml();
      const lines = warn.mock.calls.map((c) => String(c[0])).filter((l) => l.includes('IST0138'));
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.length % 2).toBe(0); // the same lines, once for each of the two syntheses
    } finally {
      warn.mockRestore();
    }
  });

  test(`${WARNINGS_ENV}=silent drops them, =error fails synthesis on them; the option wins over the variable`, () => {
    const a = app();
    const lines: string[] = [];
    configureSynthAnalysis(a, { warn: (l) => lines.push(l) });
    duplicateCertificate(new Chart(a, 'c'));
    process.env[WARNINGS_ENV] = 'silent';
    a.synthYaml();
    expect(lines).toEqual([]);
    process.env[WARNINGS_ENV] = 'error';
    const err = errorOf(() => a.synthYaml());
    expect(err).toBeInstanceOf(IstioGatewayError);
    expect(err.message).toMatch(/Warning \[IST0138\]/);
    configureSynthAnalysis(a, { warnings: 'print' });
    a.synthYaml();
    expect(lines.some((l) => l.includes('IST0138'))).toBe(true);
  });

  test('an unknown setting is refused, naming where it came from', () => {
    const a = app();
    duplicateCertificate(new Chart(a, 'c'));
    process.env[WARNINGS_ENV] = 'loud';
    expect(errorOf(() => a.synthYaml()).message).toMatch(/\[environment ISTIO_GATEWAY_WARNINGS\] warnings: invalid value "loud"/);
  });
});

describe('ordering edges are set at construction', () => {
  test('a route in a scope that comes before its gateway\'s is listed after the Gateway, its edge added by the first synthesis, none by the next', () => {
    const a = app();
    const chart = new Chart(a, 'c');
    const routes = new Construct(chart, 'routes'); // created first: comes first in the tree
    const gateways = new Construct(chart, 'gateways');
    const gw = new IngressGateway(gateways, 'gw', { namespace: 'shop' });
    const route = new HttpRoute(routes, 'r', { hosts: ['shop.example.com'], gateways: [gw], destination: { host: 'web', port: 80 } });
    gw.addHttpHosts(['shop.example.com']); // the Gateway object appears after the route
    // only a listing of the chart tells these two user scopes apart: the edge is added at the start
    // of the first synthesis, before cdk8s orders the chart (and expands it to the gateway's objects, once)
    expect(route.virtualService!.node.dependencies).toEqual([]);
    const kinds = chart.toJson().map((o) => o.kind);
    expect(route.virtualService!.node.dependencies[0]).toBe(gw);
    expect(kinds.indexOf('Gateway')).toBeLessThan(kinds.indexOf('VirtualService'));
    const yaml = a.synthYaml();
    const edges = route.virtualService!.node.dependencies.length;
    expect(a.synthYaml()).toBe(yaml);
    expect(route.virtualService!.node.dependencies.length).toBe(edges);
  });

  test('a route after its gateway in the tree gets no cdk8s dependency (tree order is enough)', () => {
    const a = app();
    const chart = new Chart(a, 'c');
    const gw = new IngressGateway(chart, 'gw', { namespace: 'shop' });
    gw.addHttpHosts(['shop.example.com']);
    const route = new HttpRoute(chart, 'r', { hosts: ['shop.example.com'], gateways: [gw], destination: { host: 'web', port: 80 } });
    expect(route.virtualService!.node.dependencies).toEqual([]);
    const kinds = chart.toJson().map((o) => o.kind);
    expect(kinds.indexOf('Gateway')).toBeLessThan(kinds.indexOf('VirtualService'));
  });
});

describe('the source keeps no hidden state', () => {
  const src = path.join(__dirname, '..', 'src');
  const files = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));

  test('no module-level mutable variable or collection in the construct and Pulumi layers', () => {
    const offenders: string[] = [];
    for (const f of [...files(path.join(src, 'cdk8s')), ...files(path.join(src, 'pulumi'))]) {
      fs.readFileSync(f, 'utf8').split('\n').forEach((line, i) => {
        // (a constant typed ReadonlySet/ReadonlyMap is a lookup table, not state)
        if (/^(export\s+)?(let|var)\s/.test(line) || (/^(export\s+)?const\s+\w+(\s*:[^=]+)?\s*=\s*new\s+(Weak)?(Map|Set)\b/.test(line) && !/^(export\s+)?const\s+\w+\s*:\s*Readonly/.test(line))) {
          offenders.push(`${path.relative(src, f)}:${i + 1}: ${line.trim()}`);
        }
      });
    }
    // The one exception: the synth check's shape samples (see SHAPE_SAMPLES in synth-check.ts),
    // which must outlive every App and are written only, never read.
    expect(offenders.map((o) => o.replace(/:\d+:/, ':'))).toEqual(['cdk8s/synth-check.ts: const SHAPE_SAMPLES = new Map<Function, Map<string, object>>();']);
  });

  test('no import circle between the modules of src/', () => {
    const graph = new Map<string, string[]>();
    for (const f of files(src)) {
      const deps: string[] = [];
      // (`import type` is erased at compile time: no circle at run time)
      for (const m of fs.readFileSync(f, 'utf8').matchAll(/^(?:import|export)\s(?!type\s)[^;]*?from\s+'(\.[^']+)'/gm)) {
        const target = path.resolve(path.dirname(f), m[1]);
        deps.push(fs.existsSync(target + '.ts') ? target + '.ts' : path.join(target, 'index.ts'));
      }
      graph.set(f, deps);
    }
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (f: string, stack: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        const cycle = stack.slice(stack.indexOf(f));
        // an index barrel re-exporting its folder is not a circle of code
        if (!cycle.every((c) => c.endsWith('index.ts') || cycle.some((d) => d.endsWith('index.ts')))) cycles.push([...cycle, f].map((c) => path.relative(src, c)).join(' -> '));
        return;
      }
      state.set(f, 'open');
      for (const d of graph.get(f) ?? []) visit(d, [...stack, f]);
      state.set(f, 'done');
    };
    for (const f of graph.keys()) visit(f, []);
    expect(cycles).toEqual([]);
  });
});
