// Synthesis in a fresh process, as `cdk8s synth` runs it (build, synthesize once, exit): ours
// against the floor, or one compiled tree against another, one new `node` process per synthesis,
// alternating ABBA. Not part of the timed in-process benchmark (bench/cpu-ratio.js, bench.ts), whose
// code is warm after the first run; here every run pays for cold code, the require of the package
// and the GC of a heap that has never been collected.
//
//   node scripts/clean.js bench/.out && npx tsc -p bench/tsconfig.json
//   node bench/fresh-ratio.js [N=1000] [PAIRS=3] [LAYOUT=one-chart] [DIR=bench/.out] [options]
//     --ab=BEFORE   compare the tree BEFORE (e.g. .scratch/before, a copy of bench/.out made before a
//                   change) with DIR instead of ours with the floor: ratios are DIR / BEFORE
//     --phases      also report each phase's CPU median: require (cdk8s, then our package and the
//                   platform builder), build (the construct tree), synth (app.synthYaml()); and each
//                   phase's main-thread CPU median (require of both together), so that
//                   process CPU minus main thread gives the background threads' share per phase
//     --check       also report the synth check's share of synthYaml's CPU (SynthCheck.prototype.run
//                   wrapped, as bench/check-cold.js does)
//     --build-only  stop each process after the build (no synthYaml): about four times as many processes
//                   per minute for an A/B of a change to the build phase. Processes are then held to the
//                   same sorted list of ApiObjects (apiVersion, kind, namespace, name) instead of the same
//                   YAML: check the YAML with a normal run as well
//     --node=FLAGS  extra node flags for every measured process, comma-separated
//                   (e.g. --node=--max-semi-space-size=16)
//     --json        print one JSON line of the results after the text
//
// Timed in each process: from `require('cdk8s')` to the end of `app.synthYaml()`, in CPU time of the
// process (user + system, all threads, GC helpers included), in CPU time of the main thread alone
// (Linux, 10 ms ticks: about what wall time is on an idle machine whose other cores run V8's GC and
// compiler threads; steady under load, which wall time is not) and in wall time. Ours requires cdk8s,
// our package (through DIR/bench/platform.js), builds the platform of bench/platform.ts with the
// public constructs and synthesizes. The floor reads the same objects, written once by a preparing
// process as JSON and parsed before its timer starts, then requires cdk8s, adds them as plain
// ApiObjects to charts of the same ids and synthesizes. Every process reports the length and SHA-256
// of its YAML: all must be identical, or the script stops. Ratios are the medians of the ratios of
// adjacent processes (ABBA: A B, B A), which cancels a shared machine's slow drift.
// To profile one such process: node --cpu-prof bench/fresh-ratio.js --child ours 1000 one-chart bench/.out
'use strict';
const path = require('path');

if (process.argv[2] === '--child') {
  // One measured synthesis. Only builtins are loaded before the timer starts.
  const [, , , mode, n, layout, dir, flags = ''] = process.argv;
  const teams = Number(n), root = path.resolve(dir);
  const fs = require('fs'), os = require('os'), crypto = require('crypto');
  const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1e3; };
  // The main thread's own CPU time (Linux: /proc, in clock ticks of 10 ms), without the GC helper and
  // compiler threads: what wall time would be on an idle machine with cores to spare for those.
  const mainCpu = () => {
    try {
      const stat = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(f[11]) + Number(f[12])) * 10;
    } catch {
      return NaN;
    }
  };
  const docs = mode === 'floor' ? JSON.parse(fs.readFileSync(flags.split(',').find((f) => f.startsWith('docs=')).slice(5), 'utf8')) : undefined;
  const m0 = mainCpu(), c0 = cpu(), w0 = performance.now();
  const { App, Chart, ApiObject } = require('cdk8s');
  const c1 = cpu(), m1 = mainCpu();
  let check = 0, c2 = c1, m2 = m1, yaml, app;
  if (mode === 'floor') {
    app = new App({ outdir: os.tmpdir() });
    for (const d of docs) { const ch = new Chart(app, d.id); d.objects.forEach((o, j) => new ApiObject(ch, `o${j}`, o)); }
  } else {
    const P = require(path.join(root, 'bench/platform.js'));
    if (flags.includes('check')) {
      const { SynthCheck } = require(path.join(root, 'src/cdk8s/synth-check.js'));
      const run = SynthCheck.prototype.run;
      SynthCheck.prototype.run = function (...a) { const t = cpu(); try { return run.apply(this, a); } finally { check += cpu() - t; } };
    }
    c2 = cpu(); m2 = mainCpu();
    app = new App({ outdir: os.tmpdir() });
    P.buildCdk8sPlatform(app, teams, layout);
    if (mode === 'dump') {
      // The floor's objects: what each chart holds once built (not timed).
      fs.writeFileSync(flags.split(',').find((f) => f.startsWith('docs=')).slice(5), JSON.stringify(app.charts.map((c) => ({ id: c.node.id, objects: c.toJson() }))));
    }
  }
  const c3 = cpu(), m3 = mainCpu();
  const buildOnly = flags.split(',').includes('buildonly');
  if (!buildOnly) yaml = app.synthYaml();
  const c4 = cpu(), w4 = performance.now(), m4 = mainCpu();
  // (after the timer) with --build-only, what was declared: every ApiObject's identity, sorted
  if (buildOnly) {
    yaml = app.node.findAll().filter((c) => ApiObject.isApiObject(c))
      .map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.namespace ?? ''}/${o.name}`).sort().join('\n');
  }
  const hash = crypto.createHash('sha256').update(yaml).digest('hex').slice(0, 16);
  process.stdout.write(JSON.stringify({
    cpu: c4 - c0, wall: w4 - w0, main: m4 - m0, len: yaml.length, hash,
    phases: { requireCdk8s: c1 - c0, requireOurs: c2 - c1, build: c3 - c2, synth: c4 - c3, check },
    mainPhases: { require: m2 - m0, build: m3 - m2, synth: m4 - m3 },
  }) + '\n');
  process.exit(0);
}

const { spawnSync } = require('child_process');
const fs = require('fs'), os = require('os');
const opts = process.argv.slice(2).filter((a) => a.startsWith('--'));
const pos = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const opt = (name) => opts.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
const val = (name) => opt(name)?.slice(name.length + 3);
const teams = Number(pos[0] ?? 1000), pairs = Number(pos[1] ?? 3), layout = pos[2] ?? 'one-chart', dir = pos[3] ?? 'bench/.out';
const before = val('ab'), phases = !!opt('phases'), withCheck = !!opt('check'), buildOnly = !!opt('build-only');
const nodeFlags = (val('node') ?? '').split(',').filter(Boolean);
for (const d of [dir, before].filter(Boolean)) {
  if (!fs.existsSync(path.join(d, 'bench/platform.js'))) throw new Error(`${d}/bench/platform.js not found: compile first (npx tsc -p bench/tsconfig.json)`);
}
const docsFile = path.join(os.tmpdir(), `fresh-ratio-${process.pid}-${layout}-${teams}.json`);

function child(mode, tree) {
  const flags = [withCheck ? 'check' : '', buildOnly ? 'buildonly' : '', `docs=${docsFile}`].filter(Boolean).join(',');
  const r = spawnSync(process.execPath, [...nodeFlags, __filename, '--child', mode, String(teams), layout, tree, flags],
    { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${mode} process (${tree}) failed: ${r.stderr || r.stdout}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

const median = (v) => { const s = [...v].sort((p, q) => p - q); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const A = before ? { name: 'before', run: () => child('ours', before) } : { name: 'floor', run: () => child('floor', dir) };
const B = before ? { name: 'after', run: () => child('ours', dir) } : { name: 'ours', run: () => child('ours', dir) };

let reference;
const same = (r, who) => {
  reference ??= r;
  if (r.len !== reference.len || r.hash !== reference.hash) {
    throw new Error(`${buildOnly ? 'declared objects differ' : 'YAML differs'}: ${who} wrote ${r.len} chars (sha256 ${r.hash}), the first process ${reference.len} (${reference.hash})`);
  }
};
try {
  // The preparing process writes the floor's objects and serves as a warm-up of the file cache.
  same(child('dump', before ?? dir), 'the preparing process');
  const a = [], b = [], rc = [], rw = [], rm = [];
  for (let i = 0; i < pairs; i++) {
    const x = A.run(), y = B.run(), y2 = B.run(), x2 = A.run();
    for (const [r, who] of [[x, A.name], [y, B.name], [y2, B.name], [x2, A.name]]) same(r, who);
    a.push(x, x2); b.push(y, y2);
    rc.push(y.cpu / x.cpu, y2.cpu / x2.cpu); rw.push(y.wall / x.wall, y2.wall / x2.wall); rm.push(y.main / x.main, y2.main / x2.main);
  }
  const ms = (v, k) => median(v.map((r) => r[k])).toFixed(0);
  const range = (v) => `${Math.min(...v).toFixed(2)}-${Math.max(...v).toFixed(2)}`;
  const load = os.loadavg()[0].toFixed(1);
  console.log(buildOnly
    ? `fresh processes, ${layout} N=${teams}, ${2 * pairs} per side (ABBA), build only: the same ApiObjects declared (${reference.len} chars of identities; YAML not compared), load average ${load}`
    : `fresh processes, ${layout} N=${teams}, ${2 * pairs} per side (ABBA), YAML identical (${reference.len} chars), load average ${load}`);
  console.log(`  ${A.name}: CPU ${ms(a, 'cpu')} ms, main thread ${ms(a, 'main')} ms, wall ${ms(a, 'wall')} ms;  ${B.name}: CPU ${ms(b, 'cpu')} ms, main thread ${ms(b, 'main')} ms, wall ${ms(b, 'wall')} ms`);
  console.log(`  ${B.name}/${A.name}: CPU ${median(rc).toFixed(3)} (${range(rc)}), main thread ${median(rm).toFixed(3)} (${range(rm)}), wall ${median(rw).toFixed(3)} (${range(rw)})`);
  const ph = (v) => Object.keys(v[0].phases).filter((k) => k !== 'check' || withCheck)
    .map((k) => `${k} ${median(v.map((r) => r.phases[k])).toFixed(0)}`).join(', ');
  if (phases) console.log(`  phases, CPU ms medians: ${A.name}: ${ph(a)};  ${B.name}: ${ph(b)}`);
  const mph = (v) => Object.keys(v[0].mainPhases).map((k) => `${k} ${median(v.map((r) => r.mainPhases[k])).toFixed(0)}`).join(', ');
  if (phases) console.log(`  phases, main-thread CPU ms medians (10 ms ticks): ${A.name}: ${mph(a)};  ${B.name}: ${mph(b)}`);
  if (withCheck) {
    const share = (v) => v.filter((r) => r.phases.synth > 0 && r.phases.check > 0).map((r) => 100 * r.phases.check / r.phases.synth);
    const s = [...share(a), ...share(b)];
    if (s.length) console.log(`  synth check share of synthYaml's CPU: ${s.map((x) => x.toFixed(1) + '%').join(' ')} (median ${median(s).toFixed(1)}%)`);
  }
  if (opt('json')) {
    console.log(JSON.stringify({
      layout, teams, pairs, compared: [A.name, B.name], cpuRatio: median(rc), wallRatio: median(rw), mainThreadRatio: median(rm), cpuRatios: rc, wallRatios: rw, mainThreadRatios: rm,
      [A.name]: { cpu: median(a.map((r) => r.cpu)), wall: median(a.map((r) => r.wall)), runs: a },
      [B.name]: { cpu: median(b.map((r) => r.cpu)), wall: median(b.map((r) => r.wall)), runs: b },
      yaml: { len: reference.len, sha256: reference.hash }, loadAverage: os.loadavg()[0],
    }));
  }
} finally {
  fs.rmSync(docsFile, { force: true });
}
