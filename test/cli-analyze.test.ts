import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { main } from '../src/cli/main';
import { CliIO } from '../src/cli/load';
import { gateway, Obj, pod, server, service, sharedIngress, virtualService } from './fixtures/analysis/builders';

interface RunResult { code: number; stdout: string; stderr: string }

async function cli(args: string[], stdin = ''): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (t) => { stdout += t; },
    stderr: (t) => { stderr += t; },
    readStdin: async () => stdin,
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

const yamlOf = (objs: Obj[]): string => objs.map((o) => stringify(o)).join('---\n');

let dir: string;
const file = (name: string, content: string): string => {
  const p = path.join(dir, name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
  return p;
};

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-analyze-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const goodGateway = gateway('gw', 'apps', { istio: 'ingressgateway' }, [server(80, ['shop.example.com'])]);
const badPortGateway = gateway('gw', 'apps', { istio: 'ingressgateway' }, [server(9999, ['shop.example.com'])]);
const noWorkloadGateway = gateway('gw', 'apps', { istio: 'nothing' }, [server(80, ['shop.example.com'])]);

describe('istio-gateway analyze', () => {
  test('clean input: exit 0 and the istioctl success line', async () => {
    const f = file('ok.yaml', yamlOf([...sharedIngress(), goodGateway]));
    const r = await cli(['analyze', f]);
    expect(r).toEqual({ code: 0, stdout: `\u2714 No validation issues found when analyzing ${f}.\n`, stderr: '' });
  });

  test('an Error finding: exit 1 and one istioctl-style line per finding', async () => {
    const f = file('bad.yaml', yamlOf([noWorkloadGateway]));
    const r = await cli(['analyze', f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    // istioctl's line, with the file and line of the object in the origin as istioctl prints it for files.
    expect(lines[0].startsWith(`Error [IST0101] (Gateway apps/gw ${f}:1) Referenced selector not found: "istio=nothing". Fix: `)).toBe(true);
  });

  test('--failure-threshold decides which levels fail', async () => {
    const f = file('warn.yaml', yamlOf([...sharedIngress(), badPortGateway]));
    const def = await cli(['analyze', f]);
    expect(def.code).toBe(0);
    expect(def.stdout).toMatch(/^Warning \[IST0162\] \(Gateway apps\/gw \S+warn\.yaml:\d+\) /);
    expect((await cli(['analyze', f, '--failure-threshold', 'Warning'])).code).toBe(1);
    expect((await cli(['analyze', f, '--failure-threshold', 'info'])).code).toBe(1);
    expect((await cli(['analyze', f, '--failure-threshold', 'Error'])).code).toBe(0);
    const bad = await cli(['analyze', f, '--failure-threshold', 'Fatal']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--failure-threshold must be one of Error, Warning, Info');
  });

  test('-o json prints the diagnostics with the file and line of each object', async () => {
    const f = file('bad.yaml', yamlOf([...sharedIngress(), noWorkloadGateway]));
    const r = await cli(['analyze', '-o', 'json', f]);
    expect(r.code).toBe(1);
    const parsed = JSON.parse(r.stdout);
    expect(parsed).toEqual([expect.objectContaining({
      code: 'IST0101', name: 'ReferencedResourceNotFound', level: 'Error', analyzer: 'gateway.IngressGatewayPortAnalyzer',
      origin: 'Gateway apps/gw', path: `${f}:${fs.readFileSync(f, 'utf8').split('\n').indexOf('apiVersion: networking.istio.io/v1') + 1}`,
    })]);
    const clean = await cli(['analyze', '-o', 'json', file('ok.yaml', yamlOf([...sharedIngress(), goodGateway]))]);
    expect(clean).toEqual({ code: 0, stdout: '[]\n', stderr: '' });
  });

  test('--analyzers runs only the named analyzers; unknown names are a usage error', async () => {
    const f = file('bad.yaml', yamlOf([noWorkloadGateway, virtualService('vs', 'apps', { hosts: ['x'], gateways: ['nope'] })]));
    const all = await cli(['analyze', '-o', 'json', f]);
    expect(JSON.parse(all.stdout).map((d: { code: string }) => d.code).sort()).toEqual(['IST0101', 'IST0101', 'IST0132']);
    const some = await cli(['analyze', '-o', 'json', '--analyzers', 'virtualservice.GatewayAnalyzer', f]);
    expect(JSON.parse(some.stdout).map((d: { analyzer: string }) => d.analyzer)).toEqual(['virtualservice.GatewayAnalyzer', 'virtualservice.GatewayAnalyzer']);
    const bad = await cli(['analyze', '--analyzers', 'gateway.Bogus', f]);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/^istio-gateway: error: Unknown analyzer\(s\): gateway\.Bogus\. Valid names: gateway\.IngressGatewayPortAnalyzer/);
  });

  test('--external objects satisfy references and are not reported', async () => {
    const f = file('in.yaml', yamlOf([goodGateway]));
    const ext = file('cluster/ingress.yaml', yamlOf([...sharedIngress(), noWorkloadGateway]));
    expect((await cli(['analyze', f, '--no-default-gateway'])).code).toBe(1);
    const r = await cli(['analyze', f, '--no-default-gateway', '--external', path.dirname(ext)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No validation issues found');
  });

  test('with -R directories are read recursively in sorted order; only .yaml, .yml and .json files', async () => {
    file('tree/b/gw.yml', yamlOf([noWorkloadGateway]));
    file('tree/a/ingress.json', JSON.stringify({ apiVersion: 'v1', kind: 'List', items: sharedIngress() }));
    file('tree/notes.txt', 'not: [yaml');
    file('tree/c/vs.yaml', yamlOf([virtualService('vs', 'apps', { hosts: ['x'], gateways: ['apps/gw'] })]));
    const r = await cli(['analyze', '-R', '-o', 'json', path.join(dir, 'tree')]);
    expect(r.stderr).toBe('');
    const ds = JSON.parse(r.stdout) as Array<{ code: string; path: string }>;
    expect(ds.map((d) => d.code)).toEqual(['IST0101', 'IST0132']);
    expect(ds[0].path).toBe(`${path.join(dir, 'tree/b/gw.yml')}:1`);
  });

  test('- reads stdin', async () => {
    const r = await cli(['analyze', '-'], yamlOf([noWorkloadGateway]));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('(Gateway apps/gw <stdin>:1)');
    const clean = await cli(['analyze', '-'], yamlOf([...sharedIngress(), goodGateway]));
    expect(clean.stdout).toBe('\u2714 No validation issues found when analyzing <stdin>.\n');
  });

  test('broken YAML: exit 2 naming the file, line and column, no stack trace', async () => {
    const f = file('broken.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n---\nkind: Service\n');
    const r = await cli(['analyze', f]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^istio-gateway: error: ${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: invalid YAML: `));
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test('a document that is not an object is an input error naming its line', async () => {
    const f = file('scalar.yaml', `${yamlOf([goodGateway])}---\njust a string\n`);
    const r = await cli(['analyze', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${f}:`);
    expect(r.stderr).toContain('expected a Kubernetes object');
  });

  test('a missing file: exit 2 naming it', async () => {
    const r = await cli(['analyze', path.join(dir, 'nope.yaml')]);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `istio-gateway: error: ${path.join(dir, 'nope.yaml')}: cannot read: no such file or directory\n` });
  });

  test('usage errors exit 2: no command, no path, unknown option, bad -o', async () => {
    expect((await cli([])).code).toBe(2);
    expect((await cli(['analyze'])).code).toBe(2);
    const unknown = await cli(['analyze', '--nope', 'x.yaml']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown option '--nope'");
    const badOutput = await cli(['analyze', '-o', 'xml', 'x.yaml']);
    expect(badOutput.code).toBe(2);
    expect(badOutput.stderr).toContain('xml');
  });

  test('--help and --version exit 0', async () => {
    const help = await cli(['analyze', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--failure-threshold');
    const version = await cli(['--version']);
    expect(version).toEqual({ code: 0, stdout: `${JSON.parse(fs.readFileSync(path.join(__dirname, '../package.json'), 'utf8')).version}\n`, stderr: '' });
  });

  test('an internal error prints one line and exits 2', async () => {
    const f = file('ok.yaml', yamlOf([noWorkloadGateway]));
    let stderr = '';
    const code = await main(['analyze', f], {
      stdout: () => { throw new Error('disk full\nwith detail'); },
      stderr: (t) => { stderr += t; },
      readStdin: async () => '',
    });
    expect(code).toBe(2);
    expect(stderr).toBe('istio-gateway: internal error: disk full\n');
  });
});

test('the istio-gateway bin runs as a process', () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-spawn-'));
  const f = file('bad.yaml', yamlOf([noWorkloadGateway]));
  const root = path.resolve(__dirname, '..');
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(root, 'src/cli/main.ts'), 'analyze', f],
    { cwd: root, encoding: 'utf8', env: { ...process.env, TS_NODE_PROJECT: path.join(root, 'tsconfig.json') } });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(1);
  expect(r.stdout.startsWith(`Error [IST0101] (Gateway apps/gw ${f}:1) `)).toBe(true);
  expect(fs.readFileSync(path.join(root, 'src/cli/main.ts'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
});

describe('start-up: a command loads only what it runs', () => {
  // Module loading is paid on every run; `analyze` of a cluster dump is held to a multiple of a bare
  // js-yaml parse (issue 16), so the CEL runtime, the graph or the YAML writer must not load for it.
  const loaded = (command: string, f: string): string[] => {
    const root = path.resolve(__dirname, '..');
    const script = `require(${JSON.stringify(path.join(root, 'src/cli/main.ts'))}).main([${JSON.stringify(command)}, ${JSON.stringify(f)}], `
      + "{ stdout: () => {}, stderr: () => {}, readStdin: async () => '' }).then((code) => "
      + 'process.stdout.write(JSON.stringify({ code, modules: Object.keys(require.cache) })))';
    const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script],
      { cwd: root, encoding: 'utf8', env: { ...process.env, TS_NODE_PROJECT: path.join(root, 'tsconfig.json') } });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { code: number; modules: string[] };
    expect(out.code).toBe(1);
    return out.modules.map((m) => path.relative(root, m).split(path.sep).join('/'));
  };
  const heavy = (mods: string[], pattern: RegExp) => mods.filter((m) => pattern.test(m));

  test('analyze loads neither validation nor graph, review, migration, cdk8s, Pulumi or the yaml package', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-load-'));
    const mods = loaded('analyze', file('bad.yaml', yamlOf([noWorkloadGateway])));
    expect(mods).toContain('src/analysis/index.ts');
    expect(heavy(mods, /^src\/(validation\/(?!yaml-files)|graph\/|review\/|migration\/|render\/|cdk8s\/|pulumi\/)|node_modules\/(yaml|@bufbuild|kubernetes-models|cdk8s|constructs|@pulumi)\//)).toEqual([]);
  });

  test('validate loads neither the graph, review, migration, cdk8s, Pulumi nor the yaml package', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-load-'));
    const mods = loaded('validate', file('bad.yaml', 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {bogus: 1}\n'));
    expect(mods).toContain('src/validation/core.ts');
    expect(heavy(mods, /^src\/(graph\/|review\/|migration\/|render\/|cdk8s\/|pulumi\/)|node_modules\/(yaml|cdk8s|constructs|@pulumi)\//)).toEqual([]);
  });
});

describe('many findings', () => {
  // 4,000 gateways selecting no workload: about 2 MB of JSON, written a megabyte at a time.
  const many = (): string => file('many.yaml', yamlOf(Array.from({ length: 4000 }, (_, i) =>
    gateway(`gw-${i}`, `ns-${i % 7}`, { istio: `nothing-${i}` }, [server(80, [`h${i}.example.com`])]))));

  test('-o json is exactly JSON.stringify(findings, null, 2), written in pieces', async () => {
    const f = many();
    const pieces: string[] = [];
    const code = await main(['analyze', '-o', 'json', f], { stdout: (t) => { pieces.push(t); }, stderr: () => {}, readStdin: async () => '' });
    expect(code).toBe(1);
    const out = pieces.join('');
    const findings = JSON.parse(out) as Array<{ code: string; path: string }>;
    expect(findings).toHaveLength(4000);
    expect(findings.every((d) => d.code === 'IST0101')).toBe(true);
    expect(out).toBe(`${JSON.stringify(findings, null, 2)}\n`);
    expect(pieces.length).toBeGreaterThan(1);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(1.1 * 2 ** 20);
  });

  test('text output: one line per finding, in pieces', async () => {
    const f = many();
    const pieces: string[] = [];
    await main(['analyze', f], { stdout: (t) => { pieces.push(t); }, stderr: () => {}, readStdin: async () => '' });
    const lines = pieces.join('').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(4000);
    expect(lines.every((l) => /^Error \[IST0101\] \(Gateway ns-\d\/gw-\d+ \S+many\.yaml:\d+\) Referenced selector not found/.test(l))).toBe(true);
    expect(pieces.length).toBeGreaterThan(1);
  });

  test('-o json escapes what JSON.stringify escapes: quotes, backslashes, control characters, lone surrogates', async () => {
    const value = 'q"b\\s\tt\u2028l\ud83d\ude00e\ud800x\u0001';
    // IST0162 quotes the selector unquoted, and the origin names the Gateway as written.
    const name = 'gw"\\\t\ud800';
    const f = file('odd.json', JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [
      pod('gw-pod', 'apps', { istio: value }), service('gw-svc', 'apps', { istio: value }, [{ port: 8080 }]),
      gateway(name, 'apps', { istio: value }, [server(80, ['a.example.com'])]),
    ] }));
    const r = await cli(['analyze', '-o', 'json', f]);
    const findings = JSON.parse(r.stdout) as Array<{ code: string; origin: string; message: string }>;
    expect(findings.some((d) => d.code === 'IST0162' && d.origin === `Gateway apps/${name}` && d.message.includes(`istio=${value}`))).toBe(true);
    expect(r.stdout).toBe(`${JSON.stringify(findings, null, 2)}\n`);
  });

  test('-o json writes strings whose only escapes are double quotes as JSON.stringify does', async () => {
    // Quotes alone, several of them, at the ends; with U+2028 and a surrogate pair, which JSON.stringify keeps as they are.
    for (const value of ['"q"', 'a"b""c', 'x\u2028"y\ud83d\ude00"']) {
      const f = file('quotes.json', JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [
        pod('gw-pod', 'apps', { istio: value }), service('gw-svc', 'apps', { istio: value }, [{ port: 8080 }]),
        gateway(`gw-${value}`, 'apps', { istio: value }, [server(80, ['a.example.com'])]),
      ] }));
      const r = await cli(['analyze', '-o', 'json', f]);
      const findings = JSON.parse(r.stdout) as Array<{ code: string; origin: string; message: string }>;
      expect(findings.some((d) => d.code === 'IST0162' && d.origin === `Gateway apps/gw-${value}` && d.message.includes(`istio=${value}`))).toBe(true);
      expect(r.stdout).toBe(`${JSON.stringify(findings, null, 2)}\n`);
    }
  });

  test('no findings in JSON is an empty array', async () => {
    const f = file('ok.yaml', yamlOf([...sharedIngress(), goodGateway]));
    expect((await cli(['analyze', '-o', 'json', f])).stdout).toBe('[]\n');
  });
});
