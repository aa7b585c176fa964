// Where the synth check's CPU time goes (not part of `npm run bench`): builds and synthesizes the
// benchmark platform RUNS times (after one warm-up) with the check's parts wrapped in
// process.cpuUsage, and prints the median per synthesis of: the whole check, collecting the objects
// (of it: the first rendering of ours), each construct class's App-wide rules (appProblems), the
// declared externals (externalObjects, merged and filtered), the analyzer's index and each analyzer.
//   node scripts/clean.js bench/.out && npx tsc -p bench/tsconfig.json && node --expose-gc bench/check-split.js 1000 5 [one-chart] [bench/.out]
// With SPLIT_RUNS=1 it also prints the figures of each run (synthesis, check, analyzer, collecting).
// RUNS = 0: the one synthesis of a fresh process, cold (as `cdk8s synth` runs), no warm-up.
const path = require('path');
const { median: med } = require('./measure');
const os = require('os');
const [teams = 1000, runs = 5, layout = 'one-chart', root = 'bench/.out'] = process.argv.slice(2);
const r = (p) => require(path.resolve(root, p));
const { App } = require('cdk8s');
const P = r('bench/platform.js');
const sc = r('src/cdk8s/synth-check.js');
const ro = r('src/cdk8s/rendered-object.js');
const ri = r('src/analysis/resource-index.js');
const an = r('src/analysis/index.js');
let acc = new Map();
const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1e3; };
const add = (k, ms) => acc.set(k, (acc.get(k) ?? 0) + ms);
const wrap = (obj, name, label, filter) => {
  const f = obj[name];
  if (typeof f !== 'function' || f.__wrapped) return;
  const w = function (...a) { const t0 = cpu(); try { return f.apply(this, a); } finally { add(typeof label === 'function' ? label(this) : label, cpu() - t0); } };
  w.__wrapped = true;
  obj[name] = w;
};
wrap(sc.SynthCheck.prototype, 'check', 'check (all)');
wrap(sc.SynthCheck.prototype, 'collect', 'collect objects');
wrap(sc.SynthCheck.prototype, 'assumedExternals', 'externals (declared, merged, filtered)');
wrap(ro.RenderedObject.prototype, 'rendered', 'collect: first rendering of ours');
wrap(an, 'analyze', 'analyze (all)');
const Index = ri.ResourceIndex;
ri.ResourceIndex = class extends Index { constructor(...a) { const t0 = cpu(); super(...a); add('analyze: index build', cpu() - t0); } };
// The timing subclass has a hidden class of its own: one instance kept for the process's life, as
// resource-index.ts keeps one of the real class, or each full GC frees it and discards the analysis's
// optimized code (the figures would be those of the code before that fix).
module.exports.keptShape = new ri.ResourceIndex([]);
acc = new Map();
const seenAnalyzers = new Set();
const wrapAnalyzers = () => {
  for (const k of Object.keys(require.cache)) {
    if (!k.startsWith(path.resolve(root, 'src/analysis/analyzers'))) continue;
    for (const v of Object.values(require.cache[k].exports)) {
      if (v && typeof v.run === 'function' && typeof v.name === 'string' && !seenAnalyzers.has(v)) { seenAnalyzers.add(v); wrap(v, 'run', `analyze: ${v.name}`); }
    }
  }
};
wrapAnalyzers();
const build = () => { const app = new App({ outdir: os.tmpdir() }); P.buildCdk8sPlatform(app, Number(teams), layout); return app; };
// appProblems of every construct class that has one
const wrapMembers = (app) => {
  for (const c of app.node.findAll()) {
    const proto = Object.getPrototypeOf(c);
    if (typeof c.appProblems === 'function' && !Object.prototype.hasOwnProperty.call(proto, '__split')) {
      Object.defineProperty(proto, '__split', { value: true });
      wrap(proto, 'appProblems', (m) => `appProblems: ${m.constructor.name}`);
    }
  }
};
// Garbage-collection pauses (main thread, wall ms) that fall inside the check and inside analyze().
const { PerformanceObserver, performance } = require('perf_hooks');
const spans = [];
const gcs = [];
new PerformanceObserver((l) => { for (const e of l.getEntries()) gcs.push([e.startTime, e.startTime + e.duration]); }).observe({ entryTypes: ['gc'] });
for (const [obj, name, label] of [[sc.SynthCheck.prototype, 'check', 'gc pauses in check (wall)'], [an, 'analyze', 'gc pauses in analyze (wall)']]) {
  const f = obj[name];
  obj[name] = function (...a) { const t0 = performance.now(); try { return f.apply(this, a); } finally { spans.push([label, t0, performance.now()]); } };
}
const gcIn = () => { for (const [label, a, b] of spans) for (const [s, e] of gcs) if (s >= a && e <= b) add(label, e - s); spans.length = 0; gcs.length = 0; };
const results = [];
(async () => {
for (let i = 0; i <= runs; i++) {
  const app = build();
  wrapMembers(app);
  global.gc?.();
  acc = new Map();
  const t0 = cpu();
  app.synthYaml();
  acc.set('synthYaml (all)', cpu() - t0);
  await new Promise((res) => setTimeout(res, 50)); // gc entries are delivered asynchronously
  gcIn();
  if (i > 0 || Number(runs) === 0) results.push(acc);
}
if (process.env.SPLIT_RUNS) for (const k of ['synthYaml (all)', 'check (all)', 'analyze (all)', 'collect objects', 'gc pauses in check (wall)']) console.log(k, results.map((m) => Math.round(m.get(k) ?? 0)).join(' '));
const keys = [...new Set(results.flatMap((m) => [...m.keys()]))];
const rows = keys.map((k) => [k, med(results.map((m) => m.get(k) ?? 0))]).sort((a, b) => b[1] - a[1]);
console.log(`synth check split, ${layout} N=${teams}, median CPU ms per synthesis of ${results.length}:`);
for (const [k, ms] of rows) console.log(`  ${ms.toFixed(1).padStart(8)}  ${k}`);
})();
