// How cold the synth check runs (not part of `npm run bench`). Four probes, at N teams, one chart:
//   `fresh`:    one synthesis in this (new) process, as `cdk8s synth` runs: the check's share of
//               synthYaml's CPU time. Run it in several processes. SYNTH_ANALYSIS=off switches the
//               analyzer off (configureSynthAnalysis(app, { enabled: false })).
//   `after-gc`: the analyzer alone on the synth check's own captured call, warm, and in the first run
//               after a forced full GC (which the timing scripts and bench.ts do before each run, and
//               after which V8 discarded the analysis's optimized code until resource-index.ts kept one index:
//               docs/performance-history.md, "Why the analyzer ran cold").
//   `series`:   six syntheses of new Apps, a forced GC before each: synthYaml's, the check's and the
//               analyzer's CPU time per synthesis, and the check's share; with --trace-deopt, which
//               optimized code each GC discards.
//   `threads`:  one synthesis in this process: the check's parts and each analyzer, CPU time on the
//               main thread and on V8's other threads (compilation, GC), from /proc (Linux).
//   `analyze-cold`: the synth check's own analyze() call, captured during one synthesis (which then
//               skips the analysis) and run afterwards, cold, once: its CPU time, and the index's
//               alone (a ResourceIndex of the same objects, built first, also cold). EXTERNALS=off
//               runs both without the declared externals; then the analyzers that report on missing
//               ones (DestinationHost, Secret, PodNotSelected) are left out, with them or without:
//               alternate processes with EXTERNALS=on and off to see what the externals cost.
// Every probe takes LAYOUT=gateway-api (etc., see bench/platform.ts; default one-chart), so `check-ab.js
// onoff-fresh` also runs per layout. `fresh` also takes SKIP_ANALYZERS=name,name (those analyzers left out:
// what skipping them for free would save at most) and EXTERNALS=off (no declared externals at all; with the
// three analyzers that report missing ones skipped in both processes compared).
//   node scripts/clean.js bench/.out && npx tsc -p bench/tsconfig.json
//   node --expose-gc [--trace-deopt] bench/check-cold.js series 300 [tree]
//   node bench/check-cold.js fresh|threads|analyze-cold 1000 [tree=bench/.out];  node --expose-gc bench/check-cold.js after-gc 1000 [tree]
const path = require('path');
const os = require('os');
const [mode = 'fresh', teams = 1000, root = 'bench/.out'] = process.argv.slice(2);
const { App } = require('cdk8s');
const P = require(path.resolve(root, 'bench/platform.js'));
const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1e3; };
// LAYOUT=gateway-api (etc.): another layout of bench/platform.ts than one chart.
const layout = process.env.LAYOUT || 'one-chart';
const build = () => { const app = new App({ outdir: os.tmpdir() }); P.buildCdk8sPlatform(app, Number(teams), layout); return app; };
if (mode === 'fresh') {
  const { SynthCheck } = require(path.resolve(root, 'src'));
  let check = 0;
  const run = SynthCheck.prototype.run;
  SynthCheck.prototype.run = function (...a) { const c0 = cpu(); try { return run.apply(this, a); } finally { check += cpu() - c0; } };
  // SKIP_ANALYZERS=name,name: those analyzers left out of the check's analysis (an upper bound of what
  // skipping them, for free, would save: what a provable skip could gain at most)
  if (process.env.SKIP_ANALYZERS) {
    const mod = require(path.resolve(root, 'src/analysis/index.js'));
    const skip = new Set(process.env.SKIP_ANALYZERS.split(','));
    const real = mod.analyze;
    mod.analyze = (objects, options) => real(objects, { ...options, analyzers: mod.ANALYZER_NAMES.filter((n) => !skip.has(n)) });
  }
  // EXTERNALS=off: no declared externals at all (not declared, not merged, not indexed); with it, skip
  // the three analyzers that report on missing ones (SKIP_ANALYZERS above), in both processes to compare.
  if (process.env.EXTERNALS === 'off') require(path.resolve(root, 'src/cdk8s/synth-check.js')).SynthCheck.prototype.assumedExternals = () => [];
  const app = build();
  // SYNTH_ANALYSIS=off: the analyzer switched off as users switch it (check-ab.js onoff-fresh)
  if (process.env.SYNTH_ANALYSIS === 'off') require(path.resolve(root, 'src')).configureSynthAnalysis(app, { enabled: false });
  const c0 = cpu();
  app.synthYaml();
  const total = cpu() - c0;
  console.log(`fresh process, N=${teams}: synthYaml ${total.toFixed(0)} ms CPU, the check ${check.toFixed(0)} ms = ${(100 * check / total).toFixed(1)}%`);
} else if (mode === 'after-gc') {
  if (!global.gc) throw new Error('run with node --expose-gc');
  const mod = require(path.resolve(root, 'src/analysis/index.js'));
  let call;
  const real = mod.analyze;
  mod.analyze = (...a) => { call = a; return real(...a); };
  build().synthYaml();
  mod.analyze = real;
  const t = () => { const c0 = cpu(); real(...call); return Math.round(cpu() - c0); };
  for (let i = 0; i < 8; i++) t();
  const warm = [], afterGc = [];
  for (let i = 0; i < 6; i++) { warm.push(t()); global.gc(); afterGc.push(t()); }
  console.log(`analyze N=${teams}, CPU ms: warm ${warm.join(' ')}; first run after a forced GC ${afterGc.join(' ')}`);
} else if (mode === 'series') {
  // Six syntheses, each of a new App after a forced GC (as the timing scripts run them): synthYaml's
  // and analyze()'s CPU per synthesis. Under `node --trace-deopt`, a line `=====GC` precedes each
  // forced GC, so the "weak objects" deoptimizations it causes can be counted per GC.
  if (!global.gc) throw new Error('run with node --expose-gc');
  const mod = require(path.resolve(root, 'src/analysis/index.js'));
  const real = mod.analyze;
  let an = 0;
  let check = 0;
  mod.analyze = (...a) => { const c0 = cpu(); try { return real(...a); } finally { an += cpu() - c0; } };
  const { SynthCheck } = require(path.resolve(root, 'src'));
  const run = SynthCheck.prototype.run;
  SynthCheck.prototype.run = function (...a) { const c0 = cpu(); try { return run.apply(this, a); } finally { check += cpu() - c0; } };
  const out = [];
  for (let i = 0; i < 6; i++) {
    if (process.execArgv.includes('--trace-deopt')) console.log('=====GC');
    global.gc();
    const app = build();
    an = 0;
    check = 0;
    const c0 = cpu();
    app.synthYaml();
    const synth = cpu() - c0;
    out.push(`${Math.round(synth)}/${Math.round(check)}/${Math.round(an)} (${(100 * check / synth).toFixed(1)}%)`);
  }
  console.log(`N=${teams}, six syntheses after a forced GC each, CPU ms synthYaml/check/analyze (check share): ${out.join(' ')}`);
} else if (mode === 'analyze-cold') {
  const mod = require(path.resolve(root, 'src/analysis/index.js'));
  const { ResourceIndex } = require(path.resolve(root, 'src/analysis/resource-index.js'));
  let call;
  const real = mod.analyze;
  mod.analyze = (...a) => { call = a; return []; };
  build().synthYaml();
  mod.analyze = real;
  const [objects, options] = call;
  const setting = process.env.EXTERNALS;
  const reporting = new Set(['virtualservice.DestinationHostAnalyzer', 'gateway.SecretAnalyzer', 'destinationrule.PodNotSelectedAnalyzer']);
  const opts = setting === 'off' || setting === 'on'
    ? { ...options, external: setting === 'off' ? [] : options.external, analyzers: mod.ANALYZER_NAMES.filter((n) => !reporting.has(n)) }
    : options;
  const c0 = cpu();
  new ResourceIndex(objects, opts.external);
  const c1 = cpu();
  const found = real(objects, opts);
  const c2 = cpu();
  console.log(`analyze() cold, N=${teams}, ${opts.external.length} externals${opts.analyzers ? `, ${opts.analyzers.length} analyzers` : ''}: `
    + `index ${(c1 - c0).toFixed(0)} ms CPU, then analyze ${(c2 - c1).toFixed(0)} ms; ${found.length} findings`);
} else if (mode === 'threads') {
  // One synthesis in this (new) process: the CPU time of the check, its parts and each analyzer, split
  // into the main thread and V8's other threads (TurboFan's compilations, parallel and concurrent GC),
  // read from /proc/<pid>/task/*/schedstat (Linux; nanoseconds). Work queued on a worker thread during
  // one part and done during the next is counted in the next. `node --single-threaded-gc` leaves the
  // other threads only compilation.
  const fs = require('fs');
  const r = (p) => require(path.resolve(root, p));
  const sc = r('src/cdk8s/synth-check.js');
  const an = r('src/analysis/index.js');
  const ri = r('src/analysis/resource-index.js');
  const snap = () => {
    let main = 0, other = 0;
    for (const t of fs.readdirSync(`/proc/${process.pid}/task`)) {
      let ns;
      try { ns = Number(fs.readFileSync(`/proc/${process.pid}/task/${t}/schedstat`, 'utf8').split(' ')[0]); } catch { continue; }
      if (Number(t) === process.pid) main += ns; else other += ns;
    }
    return [main / 1e6, other / 1e6];
  };
  const acc = new Map();
  const add = (label, s0, s1) => { const o = acc.get(label) ?? [0, 0]; o[0] += s1[0] - s0[0]; o[1] += s1[1] - s0[1]; acc.set(label, o); };
  const wrap = (obj, name, label) => { const f = obj[name]; obj[name] = function (...a) { const s0 = snap(); try { return f.apply(this, a); } finally { add(label, s0, snap()); } }; };
  wrap(sc.SynthCheck.prototype, 'run', 'check');
  wrap(sc.SynthCheck.prototype, 'collect', 'check: collect');
  wrap(sc.SynthCheck.prototype, 'assumedExternals', 'check: externals');
  wrap(an, 'analyze', 'check: analyze');
  const Index = ri.ResourceIndex;
  ri.ResourceIndex = class extends Index { constructor(...a) { const s0 = snap(); super(...a); add('analyze: index', s0, snap()); } };
  for (const k of Object.keys(require.cache)) {
    if (!k.startsWith(path.resolve(root, 'src/analysis/analyzers'))) continue;
    for (const v of Object.values(require.cache[k].exports)) if (v && typeof v.run === 'function' && typeof v.name === 'string') wrap(v, 'run', `analyze: ${v.name}`);
  }
  const app = build();
  const s0 = snap();
  app.synthYaml();
  add('synthYaml', s0, snap());
  console.log(`fresh process, N=${teams}, CPU ms (main thread + other threads):`);
  for (const [k, [m, o]] of [...acc.entries()].sort((a, b) => (b[1][0] + b[1][1]) - (a[1][0] + a[1][1]))) {
    if (m + o >= 3) console.log(`${(m + o).toFixed(0).padStart(7)} = ${m.toFixed(0).padStart(5)} + ${o.toFixed(0).padStart(4)}  ${k}`);
  }
} else {
  throw new Error(`unknown mode ${mode}: fresh, after-gc, series, threads or analyze-cold`);
}
