// The synthesis benchmark (issue 7): a generated platform of N teams built with the public
// constructs, timed against the floor, which is what cdk8s (or Pulumi) itself costs to emit the
// same objects written by hand. Run compiled (`npm run bench`, or `npm run bench -- --quick` in CI),
// never through ts-node: transpiling must not be inside the timings. docs/performance.md explains
// the results.
//
//   --quick                 teams 20, 80 (Pulumi 10, 40), 3 runs; prints and writes, fails only on a crash
//   --sizes=50,250,1000     team counts for cdk8s, one chart for the whole platform (the targets;
//                           growth is judged between the two largest, 4x teams at most 4.4x time)
//   --chart-per-team=50,200 team counts for cdk8s with one chart per team (target: ratio at most
//                           1.4 at the largest size when it is 200 or more; its growth is for
//                           reference: cdk8s itself is quadratic in the number of charts); 0 to skip
//   --shared-ingress=200,1000 team counts for a second platform, every team on one shared
//                           IngressGateway (for reference: stays linear); 0 to skip
//   --shared-tls=1000 --tenant-mix=1000 --gateway-api=1000 --ingress-per-team=1000
//                           team counts for the other one-chart platforms of bench/platform.ts
//                           (Layout): a shared IngressGateway with SIMPLE and MUTUAL TlsHosts and
//                           CanaryRoutes; TenantGateways with four TlsHosts, two TcpGateways and a
//                           StrictMtls each; the issue's platform in the Gateway API; an
//                           IngressGateway per team on the shared ingress workload. Each is held
//                           to the one-chart limit (1.2) at its largest size when that is 1000 or
//                           more; quick: 20 each (that they synthesize, without findings); 0 to skip
//   --pulumi-sizes=50,200   team counts for Pulumi; 0 to skip
//   --fresh[=1000]          also one chart in fresh processes, one synthesis each as `cdk8s synth`
//                           runs (bench/fresh-ratio.js, --runs pairs ABBA); off unless given (quick: 20)
//   --runs=5 --warmup=1     measured runs per size, after warm-up runs
//   --out=FILE              where to write the results (default bench/results.json; with --quick,
//                           bench/results.local.json, which git ignores)
//
// Each size is measured in this one process: ours and the floor alternate (ABBA), each after a
// forced GC. The ratio is the median of the ratios of adjacent runs, which cancels the slow drift
// of a shared machine; the medians of each side are reported too. Peak RSS is measured in a fresh
// child process per size, so that one size's garbage is not counted against another.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Yaml } from 'cdk8s';
import { analyze, SynthCheck } from '../src';
import { AppState } from '../src/cdk8s/app-state';
import { buildCdk8sPlatform, Layout, WARNINGS } from './platform';

interface Args {
  quick: boolean;
  sizes: number[];
  chartPerTeam: number[];
  sharedIngress: number[];
  sharedTls: number[];
  tenantMix: number[];
  gatewayApi: number[];
  ingressPerTeam: number[];
  pulumiSizes: number[];
  fresh: number[];
  runs: number;
  warmup: number;
  out: string;
}

function parseArgs(argv: string[]): Args {
  const get = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const list = (name: string, full: string, quick: string) =>
    (get(name) ?? (argv.includes('--quick') ? quick : full)).split(',').map(Number).filter((n) => n > 0);
  const quick = argv.includes('--quick');
  return {
    quick,
    sizes: list('sizes', '50,250,1000', '20,80'),
    chartPerTeam: list('chart-per-team', '50,200', '0'),
    sharedIngress: list('shared-ingress', '200,1000', '0'),
    sharedTls: list('shared-tls', '1000', '20'),
    tenantMix: list('tenant-mix', '1000', '20'),
    gatewayApi: list('gateway-api', '1000', '20'),
    ingressPerTeam: list('ingress-per-team', '1000', '20'),
    pulumiSizes: list('pulumi-sizes', '50,200', '10,40'),
    fresh: argv.includes('--fresh') ? [quick ? 20 : 1000] : list('fresh', '0', '0'),
    runs: Number(get('runs') ?? (quick ? 3 : 5)),
    warmup: Number(get('warmup') ?? 1),
    // The quick run (CI) writes beside, not over, the committed results of a full run.
    out: get('out') ?? path.join(__dirname, '..', '..', '..', 'bench', quick ? 'results.local.json' : 'results.json'),
  };
}

const gc: () => void = (global as any).gc ?? (() => { throw new Error('run with node --expose-gc'); });

function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Runs `ours` and `floor` alternately (ABBA) after warm-ups; medians and the median pairwise ratio. */
async function alternate(runs: number, warmup: number, ours: () => Promise<number> | number, floor: () => Promise<number> | number) {
  const o: number[] = [];
  const f: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    let a: number;
    let b: number;
    if (i % 2 === 0) { a = await ours(); b = await floor(); } else { b = await floor(); a = await ours(); }
    if (i >= warmup) { o.push(a); f.push(b); }
  }
  return { ours: o, floor: f, oursMs: median(o), floorMs: median(f), ratio: median(o.map((x, i) => x / f[i])) };
}

/** CPU time of this process (user + system, V8's GC helper threads included), in ms. */
function cpu(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

// Time spent in the App-wide synth check (cross-construct rules and the analyzer), once per
// synthesis, in wall and CPU time; and, inside it, the CPU time of collecting the objects, which
// renders each of ours for the first time in the synthesis (cdk8s's lazy fields reuse that
// rendering, so it is paid for the YAML, not for the check).
let checkMs = 0;
let checkCpuMs = 0;
let collectCpuMs = 0;
const run = SynthCheck.prototype.run;
SynthCheck.prototype.run = function timedRun(this: SynthCheck) {
  const t0 = now();
  const c0 = cpu();
  try {
    return run.call(this);
  } finally {
    checkMs += now() - t0;
    checkCpuMs += cpu() - c0;
  }
};
const collect = (SynthCheck.prototype as any).collect;
(SynthCheck.prototype as any).collect = function timedCollect(this: SynthCheck) {
  const c0 = cpu();
  try {
    return collect.call(this);
  } finally {
    collectCpuMs += cpu() - c0;
  }
};

interface ChartDocs { id: string; objects: any[] }

const OUTDIR = path.join(os.tmpdir(), 'igc-bench');

/** Ours: build the App with the public constructs and synthesize it to YAML (no disk writes). */
function ours(teams: number, layout: Layout) {
  gc();
  checkMs = 0;
  checkCpuMs = 0;
  collectCpuMs = 0;
  const c0 = cpu();
  const t0 = now();
  const app = new App({ outdir: OUTDIR });
  buildCdk8sPlatform(app, teams, layout);
  const t1 = now();
  const yaml = app.synthYaml();
  const t2 = now();
  return { ms: t2 - t0, cpuMs: cpu() - c0, constructMs: t1 - t0, checkMs, checkCpuMs, collectCpuMs, yaml, app };
}

/** The floor: the same objects, in the same charts, as plain ApiObjects, synthesized to YAML. */
function floor(docs: readonly ChartDocs[]): { ms: number; cpuMs: number; yaml: string } {
  gc();
  const c0 = cpu();
  const t0 = now();
  const app = new App({ outdir: OUTDIR });
  for (const d of docs) {
    const chart = new Chart(app, d.id);
    d.objects.forEach((o, i) => new ApiObject(chart, `o${i}`, o));
  }
  const yaml = app.synthYaml();
  return { ms: now() - t0, cpuMs: cpu() - c0, yaml };
}

function timed(fn: () => unknown): number {
  gc();
  const t0 = now();
  fn();
  return now() - t0;
}

interface Cdk8sResult {
  layout: Layout;
  teams: number;
  objects: number;
  yamlBytes: number;
  /** Median of ours / floor over adjacent runs. */
  ratio: number;
  oursMs: number;
  floorMs: number;
  constructMs: number;
  /** The synth-time check (cross-construct rules and the analyzer), part of oursMs. */
  synthCheckMs: number;
  synthCheckShare: number;
  /**
   * The same in CPU time (user + system of the process, GC threads included: steadier than wall
   * time on a shared machine): median of ours / floor over adjacent runs, and the check's share
   * of our CPU time, with and without the first rendering of our objects that happens inside it.
   */
  cpuRatio: number;
  oursCpuMs: number;
  floorCpuMs: number;
  synthCheckCpuShare: number;
  synthCheckCpuShareWithoutRendering: number;
  /** cdk8s's Yaml.stringify of the same objects, alone. */
  yamlOnlyMs: number;
  /** analyze() over the same objects, alone (without the externals the synth check adds). */
  analyzerMs: number;
  peakRssMiB: number;
  samples: { ours: number[]; floor: number[] };
}

async function measureCdk8s(teams: number, layout: Layout, args: Args): Promise<Cdk8sResult> {
  WARNINGS.length = 0;
  const first = ours(teams, layout);
  if (WARNINGS.length > 0) throw new Error(`the benchmark platform must synthesize without findings; got:\n${WARNINGS.slice(0, 5).join('\n')}`);
  // One synthesis for all charts (each chart's toJson() alone would run the App-wide check again).
  const docs: ChartDocs[] = AppState.of(first.app).synthesis(() => first.app.charts.map((c) => ({ id: c.node.id, objects: c.toJson() })));
  const all = docs.flatMap((d) => d.objects);
  if (floor(docs).yaml !== first.yaml) throw new Error('the floor does not emit the same YAML as the constructs');

  const construct: number[] = [];
  const check: number[] = [];
  const oursCpu: number[] = [];
  const floorCpu: number[] = [];
  const checkCpuShare: number[] = [];
  const checkCpuShareWithoutRendering: number[] = [];
  const r = await alternate(args.runs, args.warmup, () => {
    const x = ours(teams, layout);
    construct.push(x.constructMs);
    check.push(x.checkMs);
    oursCpu.push(x.cpuMs);
    checkCpuShare.push(x.checkCpuMs / x.cpuMs);
    checkCpuShareWithoutRendering.push((x.checkCpuMs - x.collectCpuMs) / x.cpuMs);
    return x.ms;
  }, () => {
    const y = floor(docs);
    floorCpu.push(y.cpuMs);
    return y.ms;
  });
  const oc = oursCpu.slice(args.warmup);
  const fc = floorCpu.slice(args.warmup);
  const yamlOnly: number[] = [];
  const analyzer: number[] = [];
  for (let i = 0; i < args.warmup + args.runs; i++) {
    const y = timed(() => Yaml.stringify(...all));
    const a = timed(() => analyze(all));
    if (i >= args.warmup) { yamlOnly.push(y); analyzer.push(a); }
  }
  const synthCheckMs = median(check.slice(args.warmup));
  return {
    layout, teams, objects: all.length, yamlBytes: Buffer.byteLength(first.yaml),
    ratio: r.ratio, oursMs: r.oursMs, floorMs: r.floorMs,
    constructMs: median(construct.slice(args.warmup)), synthCheckMs, synthCheckShare: synthCheckMs / r.oursMs,
    cpuRatio: median(oc.map((x, i) => x / fc[i])), oursCpuMs: median(oc), floorCpuMs: median(fc),
    synthCheckCpuShare: median(checkCpuShare.slice(args.warmup)),
    synthCheckCpuShareWithoutRendering: median(checkCpuShareWithoutRendering.slice(args.warmup)),
    yamlOnlyMs: median(yamlOnly), analyzerMs: median(analyzer), peakRssMiB: peakRss(teams, layout),
    samples: { ours: r.ours, floor: r.floor },
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

interface PulumiResult {
  teams: number;
  resources: number;
  components: number;
  ratio: number;
  oursMs: number;
  floorMs: number;
  /** The floor's objects under bare components of ours' types and names: ours / that. */
  ratioToComponentFloor: number;
  componentFloorMs: number;
  /** The same ratios in CPU time of the process (user + system), steadier on a shared machine. */
  cpuRatio: number;
  cpuRatioToComponentFloor: number;
  samples: { ours: number[]; floor: number[]; componentFloor: number[] };
}

/** Pulumi under mocks (see pulumi-runs.ts), alternating in the same way. */
async function measurePulumi(teams: number, args: Args): Promise<PulumiResult> {
  // Loaded here: the Pulumi SDK would weigh on the peak RSS of the cdk8s runs' child processes.
  const { lastRegisteredObjects, registerDirectly, registerOurs, registerUnderComponents } = await import('./pulumi-runs');
  const first = await registerOurs(teams);
  const objects = lastRegisteredObjects();
  if (objects.length !== first.resources) throw new Error(`expected ${first.resources} Kubernetes registrations, saw ${objects.length}`);
  const cpu = { ours: [] as number[], floor: [] as number[], ours2: [] as number[], bare: [] as number[] };
  const time = async (fn: () => Promise<unknown>, into: number[]) => {
    gc();
    const c0 = process.cpuUsage();
    const t0 = now();
    await fn();
    const ms = now() - t0;
    const c = process.cpuUsage(c0);
    into.push((c.user + c.system) / 1000);
    return ms;
  };
  const r = await alternate(args.runs, args.warmup, () => time(() => registerOurs(teams), cpu.ours), () => time(() => registerDirectly(objects), cpu.floor));
  const c = await alternate(args.runs, 0, () => time(() => registerOurs(teams), cpu.ours2), () => time(() => registerUnderComponents(objects), cpu.bare));
  const cpuRatio = (a: number[], b: number[], skip: number) => median(a.slice(skip).map((x, i) => x / b[skip + i]));
  return {
    teams, resources: first.resources, components: first.components, ratio: r.ratio, oursMs: r.oursMs, floorMs: r.floorMs,
    ratioToComponentFloor: c.ratio, componentFloorMs: c.floorMs,
    cpuRatio: cpuRatio(cpu.ours, cpu.floor, args.warmup), cpuRatioToComponentFloor: cpuRatio(cpu.ours2, cpu.bare, 0),
    samples: { ours: r.ours, floor: r.floor, componentFloor: c.floor },
  };
}

interface Target { name: string; value: number; limit: number | null; pass: boolean }

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
  log(`istio-gateway-constructs benchmark (${args.quick ? 'quick' : 'full'}): median of ${args.runs} runs after ${args.warmup} warm-up; `
    + `node ${process.version}, ${os.cpus().length} CPUs`);

  const cdk8s: Cdk8sResult[] = [];
  const plan: [Layout, number][] = [
    ...args.sizes.map((n) => ['one-chart', n] as [Layout, number]),
    ...args.chartPerTeam.map((n) => ['chart-per-team', n] as [Layout, number]),
    ...args.sharedIngress.map((n) => ['shared-ingress', n] as [Layout, number]),
    ...args.sharedTls.map((n) => ['shared-tls', n] as [Layout, number]),
    ...args.tenantMix.map((n) => ['tenant-mix', n] as [Layout, number]),
    ...args.gatewayApi.map((n) => ['gateway-api', n] as [Layout, number]),
    ...args.ingressPerTeam.map((n) => ['ingress-per-team', n] as [Layout, number]),
  ];
  for (const [layout, teams] of plan) {
    const r = await measureCdk8s(teams, layout, args);
    cdk8s.push(r);
    log(`  cdk8s ${layout} N=${teams}: ours ${fmt(r.oursMs)}, floor ${fmt(r.floorMs)}, ratio ${r.ratio.toFixed(2)}; CPU ratio ${r.cpuRatio.toFixed(2)}`);
  }
  // Fresh processes (bench/fresh-ratio.js, not compiled: it sits beside this file's source).
  const fresh = args.fresh.map((n) => {
    const out = execFileSync(process.execPath, [path.join(__dirname, '..', '..', '..', 'bench', 'fresh-ratio.js'), String(n), String(args.runs),
      'one-chart', path.join(__dirname, '..'), '--json'], { encoding: 'utf8', maxBuffer: 1 << 24 });
    log(out.trim().split('\n').slice(0, -1).map((l) => `  ${l}`).join('\n'));
    const r = JSON.parse(out.trim().split('\n').pop()!);
    return {
      teams: n, wallRatio: r.wallRatio as number, cpuRatio: r.cpuRatio as number, mainThreadRatio: r.mainThreadRatio as number,
      oursCpuMs: r.ours.cpu as number, floorCpuMs: r.floor.cpu as number,
    };
  });
  const pulumiResults: PulumiResult[] = [];
  for (const teams of args.pulumiSizes) {
    const r = await measurePulumi(teams, args);
    pulumiResults.push(r);
    log(`  pulumi N=${teams}: ours ${fmt(r.oursMs)}, floor ${fmt(r.floorMs)}, ratio ${r.ratio.toFixed(2)} (CPU ${r.cpuRatio.toFixed(2)}); `
      + `ours / floor under bare components ${r.ratioToComponentFloor.toFixed(2)} (CPU ${r.cpuRatioToComponentFloor.toFixed(2)})`);
  }

  log('');
  if (cdk8s.length > 0) {
    log(table(
      ['cdk8s', 'teams', 'objects', 'YAML', 'ours / floor', 'CPU ratio', 'ours', 'floor', 'construct', 'synth check', 'check share', 'CPU share (w/o render)', 'YAML only', 'analyzer only', 'peak RSS'],
      cdk8s.map((r) => [r.layout, r.teams, r.objects, `${(r.yamlBytes / 1048576).toFixed(1)} MiB`, r.ratio.toFixed(2), r.cpuRatio.toFixed(2), fmt(r.oursMs), fmt(r.floorMs),
        fmt(r.constructMs), fmt(r.synthCheckMs), `${(100 * r.synthCheckShare).toFixed(0)}%`,
        `${(100 * r.synthCheckCpuShare).toFixed(0)}% (${(100 * r.synthCheckCpuShareWithoutRendering).toFixed(0)}%)`,
        fmt(r.yamlOnlyMs), fmt(r.analyzerMs), `${r.peakRssMiB.toFixed(0)} MiB`]),
    ));
  }
  if (pulumiResults.length > 0) {
    log('');
    log(table(['pulumi (mocks)', 'teams', 'resources', 'components', 'ours / floor', '(CPU)', 'ours', 'floor', 'floor + bare components', 'ours / that', '(CPU)'],
      pulumiResults.map((r) => ['register', r.teams, r.resources, r.components, r.ratio.toFixed(2), r.cpuRatio.toFixed(2), fmt(r.oursMs), fmt(r.floorMs),
        fmt(r.componentFloorMs), r.ratioToComponentFloor.toFixed(2), r.cpuRatioToComponentFloor.toFixed(2)])));
  }

  // Targets (issue 16): one chart, ours / floor at most 1.2 at the largest size; chart per team at
  // most 1.4 at its largest size when that is 200 teams or more; growth between the two largest
  // one-chart sizes linear with 10% slack (4.4x for 250 -> 1000); the synth check at most 10% of
  // our synthesis at the largest one-chart size; peak RSS under 1 GiB; Pulumi at most 1.2.
  // The floors' growth and the shared ingress are for reference.
  const targets: Target[] = [];
  const push = (name: string, value: number, limit: number | null) => targets.push({ name, value, limit, pass: limit === null || value <= limit });
  const growth = (layout: Layout, sizes: number[], ratioLimit: number | null, growthTarget: boolean) => {
    const at = (n: number) => cdk8s.find((r) => r.layout === layout && r.teams === n)!;
    const s = [...sizes].filter((n) => n > 0).sort((a, b) => a - b);
    if (s.length === 0) return;
    const big = s[s.length - 1];
    push(`${layout}: ours / floor at N=${big}`, at(big).ratio, ratioLimit);
    push(`${layout}: ours / floor in CPU time at N=${big}`, at(big).cpuRatio, null);
    if (s.length > 1) {
      const small = s[s.length - 2];
      push(`${layout}: ours N=${big} / N=${small} (linear: ${big / small}x)`, at(big).oursMs / at(small).oursMs, growthTarget ? 1.1 * (big / small) : null);
      push(`${layout}: floor N=${big} / N=${small}`, at(big).floorMs / at(small).floorMs, null);
      push(`${layout}: ours N=${big} / N=${small} in CPU time`, at(big).oursCpuMs / at(small).oursCpuMs, null);
      push(`${layout}: floor N=${big} / N=${small} in CPU time`, at(big).floorCpuMs / at(small).floorCpuMs, null);
    }
    if (layout === 'one-chart') {
      push(`${layout}: synth check share of ours at N=${big}`, at(big).synthCheckShare, 0.1);
      push(`${layout}: synth check share of ours in CPU time at N=${big}`, at(big).synthCheckCpuShare, null);
      push(`${layout}: the same without the first rendering of our objects inside it`, at(big).synthCheckCpuShareWithoutRendering, null);
    }
    push(`${layout}: peak RSS at N=${big} (MiB)`, at(big).peakRssMiB, layout === 'one-chart' ? 1024 : null);
  };
  growth('one-chart', args.sizes, 1.2, true);
  const cptMax = Math.max(0, ...args.chartPerTeam);
  growth('chart-per-team', args.chartPerTeam, cptMax >= 200 ? 1.4 : null, false);
  growth('shared-ingress', args.sharedIngress, null, false);
  // The other one-chart platforms: the one-chart limit at their largest size, from 1,000 teams.
  for (const [layout, sizes] of [['shared-tls', args.sharedTls], ['tenant-mix', args.tenantMix], ['gateway-api', args.gatewayApi], ['ingress-per-team', args.ingressPerTeam]] as [Layout, number[]][]) {
    growth(layout, sizes, Math.max(0, ...sizes) >= 1000 ? 1.2 : null, false);
  }
  for (const f of fresh) {
    push(`one-chart in a fresh process per synthesis: ours / floor at N=${f.teams}`, f.wallRatio, null);
    push(`one-chart in a fresh process per synthesis: ours / floor in CPU time at N=${f.teams}`, f.cpuRatio, null);
    push(`one-chart in a fresh process per synthesis: ours / floor in main-thread CPU time at N=${f.teams}`, f.mainThreadRatio, null);
  }
  if (pulumiResults.length > 0) {
    const p = pulumiResults.reduce((a, b) => (b.teams > a.teams ? b : a));
    push(`pulumi: ours / floor at N=${p.teams}`, p.ratio, 1.2);
  }
  log('');
  for (const t of targets) {
    const verdict = t.limit === null ? 'info' : args.quick ? (t.pass ? 'ok' : 'over') : (t.pass ? 'PASS' : 'FAIL');
    log(`${verdict.padEnd(4)}  ${t.name}: ${t.value.toFixed(2)}${t.limit === null ? '' : ` (limit ${t.limit.toFixed(2)})`}`);
  }

  const results = {
    date: new Date().toISOString(),
    mode: args.quick ? 'quick' : 'full',
    node: process.version,
    machine: `${process.platform} ${process.arch}, ${os.cpus().length} CPUs, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`,
    runs: args.runs,
    warmup: args.warmup,
    cdk8s,
    fresh,
    pulumi: pulumiResults,
    targets,
  };
  fs.mkdirSync(path.dirname(args.out), { recursive: true });
  fs.writeFileSync(args.out, JSON.stringify(results, null, 2) + '\n');
  log(`\nwritten to ${path.relative(process.cwd(), args.out)}`);
  // Only the full run judges: a CI machine is too noisy for the quick run to fail on a ratio.
  if (!args.quick && targets.some((t) => !t.pass)) process.exitCode = 1;
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : e}\n`);
  process.exit(2);
});
