// The synthesis benchmark (issue 7): a generated platform of N teams built with the public
// constructs, timed against the floor, which is what cdk8s (or Pulumi) itself costs to emit the
// same objects written by hand. Run compiled (`npm run bench`, or `npm run bench -- --quick` in CI),
// never through ts-node: transpiling must not be inside the timings.
//
//   --quick            N = 20, 80; 3 runs after a warm-up; prints and writes, fails only on a crash
//   --sizes=50,200     team counts (default 50,200,1000)
//   --runs=5           measured runs per size, after --warmup=1 warm-up runs
//   --layout=one-chart|chart-per-team   how teams are laid out (default: both, see docs/performance.md)
//   --no-pulumi        skip the Pulumi comparison
//   --out=FILE         where to write the results (default bench/results.json)
//
// Each size is measured in this one process: ours and the floor alternate (ABBA), with a forced GC
// before each run, and the median is reported. Peak RSS is measured in a fresh child process
// per size, so that one size's garbage is not counted against another.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, Yaml } from 'cdk8s';
import { analyze, SynthCheck } from '../src';
import { buildCdk8sPlatform, buildPulumiPlatform, Layout, WARNINGS } from './platform';

interface Args {
  quick: boolean;
  sizes: number[];
  runs: number;
  warmup: number;
  layouts: Layout[];
  pulumi: boolean;
  cdk8s: boolean;
  out: string;
}

function parseArgs(argv: string[]): Args {
  const get = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const quick = argv.includes('--quick');
  const layout = get('layout');
  return {
    quick,
    sizes: (get('sizes') ?? (quick ? '20,80' : '50,200,1000')).split(',').map(Number),
    runs: Number(get('runs') ?? (quick ? 3 : 5)),
    warmup: Number(get('warmup') ?? 1),
    layouts: layout ? [layout as Layout] : (quick ? ['one-chart'] : ['one-chart', 'chart-per-team']),
    pulumi: !argv.includes('--no-pulumi'),
    cdk8s: !argv.includes('--no-cdk8s'),
    out: get('out') ?? path.join(__dirname, '..', '..', '..', 'bench', 'results.json'),
  };
}

const gc: () => void = (global as any).gc ?? (() => { throw new Error('run with node --expose-gc'); });

function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** CPU time of this process (all threads, so GC helpers too), in ms: steadier than wall time on a busy machine. */
function cpu(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

// Time spent in the App-wide synth check (cross-construct rules and the analyzer), summed over
// every call in a synthesis: cdk8s validates the whole App once per chart.
let checkMs = 0;
const run = SynthCheck.prototype.run;
SynthCheck.prototype.run = function timedRun(this: SynthCheck) {
  const t0 = now();
  try {
    return run.call(this);
  } finally {
    checkMs += now() - t0;
  }
};

interface ChartDocs { id: string; objects: any[] }

/** Ours: build the App with the public constructs and synthesize it to YAML (no disk writes). */
function ours(teams: number, layout: Layout): { ms: number; cpuMs: number; constructMs: number; checkMs: number; yaml: string; app: App } {
  gc();
  checkMs = 0;
  const c0 = cpu();
  const t0 = now();
  const app = new App({ outdir: path.join(require('os').tmpdir(), 'igc-bench') });
  buildCdk8sPlatform(app, teams, layout);
  const t1 = now();
  const yaml = app.synthYaml();
  const t2 = now();
  return { ms: t2 - t0, cpuMs: cpu() - c0, constructMs: t1 - t0, checkMs, yaml, app };
}

/** The floor: the same objects, in the same charts, as plain ApiObjects, synthesized to YAML. */
function floor(docs: ChartDocs[]): { ms: number; cpuMs: number; yaml: string } {
  gc();
  const c0 = cpu();
  const t0 = now();
  const app = new App({ outdir: path.join(require('os').tmpdir(), 'igc-bench') });
  for (const d of docs) {
    const chart = new Chart(app, d.id);
    d.objects.forEach((o, i) => new ApiObject(chart, `o${i}`, o));
  }
  const yaml = app.synthYaml();
  return { ms: now() - t0, cpuMs: cpu() - c0, yaml };
}

function timed<T>(fn: () => T): { ms: number; value: T } {
  gc();
  const t0 = now();
  const value = fn();
  return { ms: now() - t0, value };
}

interface Cdk8sResult {
  layout: Layout;
  teams: number;
  objects: number;
  yamlBytes: number;
  oursMs: number;
  constructMs: number;
  synthCheckMs: number;
  synthCheckShare: number;
  floorMs: number;
  ratio: number;
  /** The same ratio in CPU time. */
  cpuRatio: number;
  yamlOnlyMs: number;
  analyzerMs: number;
  peakRssMiB?: number;
  samples: { ours: number[]; floor: number[]; oursCpu: number[]; floorCpu: number[] };
}

function measureCdk8s(teams: number, layout: Layout, args: Args): Cdk8sResult {
  WARNINGS.length = 0;
  const first = ours(teams, layout);
  if (WARNINGS.length > 0) throw new Error(`the benchmark platform must synthesize without findings; got:\n${WARNINGS.slice(0, 5).join('\n')}`);
  const docs: ChartDocs[] = first.app.charts.map((c) => ({ id: c.node.id, objects: c.toJson() }));
  const all = docs.flatMap((d) => d.objects);
  const check = floor(docs);
  if (check.yaml !== first.yaml) throw new Error('the floor does not emit the same YAML as the constructs');

  const samples = { ours: [] as number[], floor: [] as number[], oursCpu: [] as number[], floorCpu: [] as number[], construct: [] as number[], check: [] as number[] };
  for (let i = 0; i < args.warmup + args.runs; i++) {
    // ABBA: neither side always runs on a heap the other just left.
    const order = i % 2 === 0 ? ['ours', 'floor'] : ['floor', 'ours'];
    for (const side of order) {
      if (side === 'ours') {
        const r = ours(teams, layout);
        if (i >= args.warmup) { samples.ours.push(r.ms); samples.oursCpu.push(r.cpuMs); samples.construct.push(r.constructMs); samples.check.push(r.checkMs); }
      } else {
        const r = floor(docs);
        if (i >= args.warmup) { samples.floor.push(r.ms); samples.floorCpu.push(r.cpuMs); }
      }
    }
  }
  const yamlOnly: number[] = [];
  const analyzer: number[] = [];
  for (let i = 0; i < args.warmup + args.runs; i++) {
    const y = timed(() => Yaml.stringify(...all));
    const a = timed(() => analyze(all));
    if (i >= args.warmup) { yamlOnly.push(y.ms); analyzer.push(a.ms); }
  }
  const oursMs = median(samples.ours);
  const floorMs = median(samples.floor);
  const synthCheckMs = median(samples.check);
  return {
    layout, teams, objects: all.length, yamlBytes: Buffer.byteLength(first.yaml),
    oursMs, constructMs: median(samples.construct), synthCheckMs, synthCheckShare: synthCheckMs / oursMs,
    floorMs, ratio: oursMs / floorMs, cpuRatio: median(samples.oursCpu) / median(samples.floorCpu),
    yamlOnlyMs: median(yamlOnly), analyzerMs: median(analyzer),
    samples: { ours: samples.ours, floor: samples.floor, oursCpu: samples.oursCpu, floorCpu: samples.floorCpu },
  };
}

/** Peak RSS of one build + synthesis, in a fresh process. */
function peakRss(teams: number, layout: Layout): number {
  const out = execFileSync(process.execPath, ['--expose-gc', __filename, `--rss-child=${teams}`, `--layout=${layout}`], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').pop()!).peakRssMiB;
}

function rssChild(teams: number, layout: Layout): void {
  ours(teams, layout);
  process.stdout.write(JSON.stringify({ peakRssMiB: process.resourceUsage().maxRSS / 1024 }) + '\n');
}

// ---------------------------------------------------------------------------------------------
// Pulumi: registering the platform through the components, under mocks, against registering the
// same objects directly as @pulumi/kubernetes resources. Both wait until every resource's URN
// has resolved, i.e. until the mock engine has seen every registration with its inputs.

interface PulumiResult {
  teams: number;
  resources: number;
  components: number;
  oursMs: number;
  floorMs: number;
  ratio: number;
  samples: { ours: number[]; floor: number[] };
}

async function measurePulumi(teams: number, args: Args): Promise<PulumiResult> {
  const pulumi = await import('@pulumi/pulumi');
  const k8s = await import('@pulumi/kubernetes');
  const igc = await import('../src/pulumi');

  let captured: { type: string; name: string; inputs: any }[] = [];
  const install = () => {
    captured = [];
    pulumi.runtime.setMocks({
      newResource(a) {
        captured.push({ type: a.type, name: a.name, inputs: a.inputs });
        return { id: `${a.name}-id`, state: a.inputs };
      },
      call(a) { return a.inputs; },
    }, 'bench', 'bench', false);
  };
  const urnOf = (r: { urn: import('@pulumi/pulumi').Output<string> }) => new Promise<string>((resolve) => r.urn.apply((u) => { resolve(u); return u; }));

  const oursRun = async () => {
    gc();
    const t0 = now();
    install();
    igc.PulumiPlatform.reset();
    const components = buildPulumiPlatform(igc, teams);
    const resources = igc.PulumiPlatform.current().resources();
    await Promise.all([...components, ...resources].map(urnOf));
    return { ms: now() - t0, components: components.length, resources: resources.length };
  };

  // The objects ours registered (inputs as the engine saw them), to be registered directly.
  const first = await oursRun();
  const objects = captured.filter((c) => c.type.startsWith('kubernetes:')).map((c) => c.inputs);
  if (objects.length !== first.resources) throw new Error(`expected ${first.resources} Kubernetes registrations, saw ${objects.length}`);
  type Ctor = new (name: string, args: any, opts?: any) => import('@pulumi/pulumi').CustomResource;
  const typed: Record<string, Ctor> = {
    'v1/Service': k8s.core.v1.Service,
    'v1/ServiceAccount': k8s.core.v1.ServiceAccount,
    'apps/v1/Deployment': k8s.apps.v1.Deployment,
    'autoscaling/v2/HorizontalPodAutoscaler': k8s.autoscaling.v2.HorizontalPodAutoscaler,
    'policy/v1/PodDisruptionBudget': k8s.policy.v1.PodDisruptionBudget,
    'rbac.authorization.k8s.io/v1/Role': k8s.rbac.v1.Role,
    'rbac.authorization.k8s.io/v1/RoleBinding': k8s.rbac.v1.RoleBinding,
  };
  const floorRun = async () => {
    gc();
    const t0 = now();
    install();
    const resources = objects.map((o) => {
      const name = `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
      const Typed = typed[`${o.apiVersion}/${o.kind}`];
      return Typed ? new Typed(name, o) : new k8s.apiextensions.CustomResource(name, o);
    });
    await Promise.all(resources.map(urnOf));
    return { ms: now() - t0 };
  };

  const samples = { ours: [] as number[], floor: [] as number[] };
  for (let i = 0; i < args.warmup + args.runs; i++) {
    const order = i % 2 === 0 ? [oursRun, floorRun] : [floorRun, oursRun];
    for (const f of order) {
      const r = await f();
      if (i >= args.warmup) (f === oursRun ? samples.ours : samples.floor).push(r.ms);
    }
  }
  const oursMs = median(samples.ours);
  const floorMs = median(samples.floor);
  return { teams, resources: first.resources, components: first.components, oursMs, floorMs, ratio: oursMs / floorMs, samples };
}

// ---------------------------------------------------------------------------------------------

interface Target { name: string; value: number; limit: number; pass: boolean }

function fmt(ms: number): string {
  return ms >= 10000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 100 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`;
}

function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const child = argv.find((a) => a.startsWith('--rss-child='));
  if (child) {
    const layout = (argv.find((a) => a.startsWith('--layout='))?.split('=')[1] ?? 'one-chart') as Layout;
    rssChild(Number(child.split('=')[1]), layout);
    return;
  }
  const args = parseArgs(argv);
  const log = (s: string) => process.stdout.write(s + '\n');
  log(`istio-gateway-constructs benchmark (${args.quick ? 'quick' : 'full'}): teams ${args.sizes.join(', ')}; median of ${args.runs} runs after ${args.warmup} warm-up; node ${process.version}`);

  const cdk8s: Cdk8sResult[] = [];
  for (const layout of args.cdk8s ? args.layouts : []) {
    for (const teams of args.sizes) {
      const r = measureCdk8s(teams, layout, args);
      r.peakRssMiB = peakRss(teams, layout);
      cdk8s.push(r);
      log(`  cdk8s ${layout} N=${teams}: ours ${fmt(r.oursMs)}, floor ${fmt(r.floorMs)}, ratio ${r.ratio.toFixed(2)}`);
    }
  }
  const pulumiResults: PulumiResult[] = [];
  if (args.pulumi) {
    for (const teams of args.sizes) {
      const r = await measurePulumi(teams, args);
      pulumiResults.push(r);
      log(`  pulumi N=${teams}: ours ${fmt(r.oursMs)}, floor ${fmt(r.floorMs)}, ratio ${r.ratio.toFixed(2)}`);
    }
  }

  log('');
  log(table(
    ['layout', 'teams', 'objects', 'YAML', 'ours', 'floor', 'ratio', 'CPU ratio', 'construct', 'synth check', 'check share', 'YAML only', 'analyzer', 'peak RSS'],
    cdk8s.map((r) => [r.layout, r.teams, r.objects, `${(r.yamlBytes / 1048576).toFixed(1)} MiB`, fmt(r.oursMs), fmt(r.floorMs), r.ratio.toFixed(2), r.cpuRatio.toFixed(2),
      fmt(r.constructMs), fmt(r.synthCheckMs), `${(100 * r.synthCheckShare).toFixed(0)}%`, fmt(r.yamlOnlyMs), fmt(r.analyzerMs), `${r.peakRssMiB!.toFixed(0)} MiB`]),
  ));
  if (pulumiResults.length > 0) {
    log('');
    log(table(['pulumi', 'teams', 'resources', 'components', 'ours', 'floor', 'ratio'],
      pulumiResults.map((r) => ['mocks', r.teams, r.resources, r.components, fmt(r.oursMs), fmt(r.floorMs), r.ratio.toFixed(2)])));
  }

  // Targets, on the largest size and the 5x (or, in quick mode, 4x) step below it.
  const targets: Target[] = [];
  const sizes = [...args.sizes].sort((a, b) => a - b);
  const big = sizes[sizes.length - 1];
  const small = sizes.length > 1 ? sizes[sizes.length - 2] : undefined;
  for (const layout of args.cdk8s ? args.layouts : []) {
    const at = (n: number) => cdk8s.find((r) => r.layout === layout && r.teams === n)!;
    targets.push({ name: `${layout}: ours / floor at N=${big}`, value: at(big).ratio, limit: 1.5, pass: at(big).ratio <= 1.5 });
    if (small !== undefined) {
      const growth = at(big).oursMs / at(small).oursMs;
      const limit = 1.1 * (big / small); // linear, with 10% slack (5.5x for 200 -> 1000)
      targets.push({ name: `${layout}: ours N=${big} / N=${small} (linear = ${big / small}x)`, value: growth, limit, pass: growth <= limit });
      const floorGrowth = at(big).floorMs / at(small).floorMs;
      targets.push({ name: `${layout}: (floor N=${big} / N=${small}, for reference)`, value: floorGrowth, limit: NaN, pass: true });
    }
    targets.push({ name: `${layout}: peak RSS at N=${big} (MiB)`, value: at(big).peakRssMiB!, limit: 1024, pass: at(big).peakRssMiB! < 1024 });
  }
  if (pulumiResults.length > 0) {
    const p = pulumiResults.find((r) => r.teams === big)!;
    targets.push({ name: `pulumi: ours / floor at N=${big}`, value: p.ratio, limit: 1.5, pass: p.ratio <= 1.5 });
  }
  log('');
  for (const t of targets) {
    const verdict = Number.isNaN(t.limit) ? 'INFO' : args.quick ? (t.pass ? 'ok' : 'over') : (t.pass ? 'PASS' : 'FAIL');
    log(`${verdict.padEnd(4)}  ${t.name}: ${t.value.toFixed(2)}${Number.isNaN(t.limit) ? '' : ` (limit ${t.limit.toFixed(2)})`}`);
  }

  const results = {
    date: new Date().toISOString(),
    mode: args.quick ? 'quick' : 'full',
    node: process.version,
    platform: `${process.platform} ${process.arch}, ${require('os').cpus().length} CPUs`,
    runs: args.runs,
    warmup: args.warmup,
    cdk8s,
    pulumi: pulumiResults,
    targets: targets.map((t) => ({ ...t, limit: Number.isNaN(t.limit) ? null : t.limit })),
  };
  fs.mkdirSync(path.dirname(args.out), { recursive: true });
  fs.writeFileSync(args.out, JSON.stringify(results, null, 2) + '\n');
  log(`\nwritten to ${path.relative(process.cwd(), args.out)}`);
  // Only the full run judges: CI machines are too noisy for the quick run to fail on a ratio.
  if (!args.quick && targets.some((t) => !t.pass)) process.exitCode = 1;
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : e}\n`);
  process.exit(2);
});
