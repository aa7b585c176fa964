// A/B of the synth check between two compiled trees (not part of `npm run bench`): the check's CPU
// time and its share of synthYaml's CPU time at N teams, one chart, for a tree compiled before a
// change (BEFORE) and bench/.out (or AFTER).
//   `warm`:  both trees in this process, alternating ABBA, each synthesis of a new App after a forced
//            GC (as cpu-ratio.js and bench.ts time them), after one warm-up synthesis of each; the
//            YAML of both is compared first.
//   `fresh`: one new process per synthesis (bench/check-cold.js fresh), alternating A and B, as
//            `cdk8s synth` runs.
//   `onoff`: one tree (the second argument), the same platform synthesized with the analyzer on and
//            off (`configureSynthAnalysis(app, { enabled: false })`, the switch users have),
//            alternating ABBA after a forced GC each: what the check costs as a reviewer would time
//            it (on minus off, as a share of on), beside the phase marker (SynthCheck.run's CPU) of
//            both sides. With the analyzer off the cross-construct rules still run, and so does
//            collecting the objects (it renders them, for the YAML too).
//   `onoff-fresh`: the same in fresh processes (bench/check-cold.js fresh, SYNTH_ANALYSIS=off for off),
//            alternating on and off, one synthesis each, as `cdk8s synth` runs.
//   node scripts/clean.js bench/.out && npx tsc -p bench/tsconfig.json && cp -r bench/.out .scratch/before    # before the change
//   (edit, then) node scripts/clean.js bench/.out && npx tsc -p bench/tsconfig.json
//   node --expose-gc bench/check-ab.js warm .scratch/before 1000 4 [AFTER]
//   node bench/check-ab.js fresh .scratch/before 1000 5 [AFTER]
//   node --expose-gc bench/check-ab.js onoff bench/.out 1000 4 [LAYOUT]
//   node bench/check-ab.js onoff-fresh bench/.out 1000 5      (one-chart only, as check-cold.js)
// (warm and onoff take a layout of bench/platform.ts as the last argument: one-chart by default)
const path = require('path');
const os = require('os');
const { execFileSync } = require('child_process');
const { median: med } = require('./measure');
const [mode = 'warm', before = '.scratch/before', teams = 1000, runs = 4, fifth, sixth] = process.argv.slice(2);
const after = mode === 'onoff' || mode === 'onoff-fresh' ? before : fifth ?? 'bench/.out';
const layout = (mode === 'onoff' ? fifth : sixth) ?? 'one-chart';
const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1e3; };
const trees = { A: before, B: after };
const out = { A: { check: [], synth: [], share: [] }, B: { check: [], synth: [], share: [] } };
const record = (side, synth, check) => { out[side].synth.push(synth); out[side].check.push(check); out[side].share.push(check / synth); };
const summary = () => {
  for (const side of ['A', 'B']) {
    const o = out[side];
    console.log(`${side === 'A' ? 'before' : 'after '} (${trees[side]}): check ${med(o.check).toFixed(0)} ms CPU of synthYaml ${med(o.synth).toFixed(0)} ms; share median ${(100 * med(o.share)).toFixed(1)}% (${o.share.map((s) => (100 * s).toFixed(1)).join(' ')})`);
  }
  const ratios = out.A.check.map((a, i) => out.B.check[i] / a);
  console.log(`check after/before median ${med(ratios).toFixed(3)} (${ratios.map((r) => r.toFixed(2)).join(' ')})`);
};
if (mode === 'warm') {
  if (!global.gc) throw new Error('run with node --expose-gc');
  const { App } = require('cdk8s');
  const load = (root) => {
    const P = require(path.resolve(root, 'bench/platform.js'));
    const { SynthCheck } = require(path.resolve(root, 'src'));
    const state = { check: 0 };
    const run = SynthCheck.prototype.run;
    SynthCheck.prototype.run = function (...a) { const c0 = cpu(); try { return run.apply(this, a); } finally { state.check += cpu() - c0; } };
    const build = () => { const app = new App({ outdir: os.tmpdir() }); P.buildCdk8sPlatform(app, Number(teams), layout); return app; };
    return { build, state };
  };
  const sides = { A: load(before), B: load(after) };
  if (sides.A.build().synthYaml() !== sides.B.build().synthYaml()) { console.log('DIFFERENT YAML'); process.exit(1); }
  const time = (side) => {
    const s = sides[side];
    const app = s.build();
    global.gc();
    s.state.check = 0;
    const c0 = cpu();
    app.synthYaml();
    record(side, cpu() - c0, s.state.check);
  };
  for (let i = 0; i < Number(runs); i++) { time('A'); time('B'); time('B'); time('A'); }
  console.log(`warm, ${layout} N=${teams}, ${out.A.check.length} syntheses per tree (ABBA, forced GC before each):`);
  summary();
} else if (mode === 'onoff') {
  if (!global.gc) throw new Error('run with node --expose-gc');
  const { App } = require('cdk8s');
  const P = require(path.resolve(before, 'bench/platform.js'));
  const { SynthCheck, configureSynthAnalysis } = require(path.resolve(before, 'src'));
  const state = { check: 0 };
  const run = SynthCheck.prototype.run;
  SynthCheck.prototype.run = function (...a) { const c0 = cpu(); try { return run.apply(this, a); } finally { state.check += cpu() - c0; } };
  const build = (on) => {
    const app = new App({ outdir: os.tmpdir() });
    P.buildCdk8sPlatform(app, Number(teams), layout);
    if (!on) configureSynthAnalysis(app, { enabled: false });
    return app;
  };
  const res = { on: { synth: [], check: [] }, off: { synth: [], check: [] } };
  if (build(true).synthYaml() !== build(false).synthYaml()) { console.log('DIFFERENT YAML'); process.exit(1); }
  const time = (side) => {
    const app = build(side === 'on');
    global.gc();
    state.check = 0;
    const c0 = cpu();
    app.synthYaml();
    res[side].synth.push(cpu() - c0);
    res[side].check.push(state.check);
  };
  for (let i = 0; i < Number(runs); i++) { time('on'); time('off'); time('off'); time('on'); }
  // per pair (rounds of ABBA: on/off, off/on), the analyzer's cost as a share of synthesis with it on
  const shares = [];
  for (let i = 0; i < res.on.synth.length; i++) shares.push((res.on.synth[i] - res.off.synth[i]) / res.on.synth[i]);
  const marker = res.on.check.map((c, i) => c / res.on.synth[i]);
  const f = (v) => v.map((x) => (100 * x).toFixed(1)).join(' ');
  console.log(`on vs off, ${layout} N=${teams}, tree ${before}, ${res.on.synth.length} syntheses per side (ABBA, forced GC before each), CPU ms:`);
  console.log(`  analyzer on:  synthYaml ${med(res.on.synth).toFixed(0)} (${res.on.synth.map((x) => x.toFixed(0)).join(' ')}), the check (SynthCheck.run) ${med(res.on.check).toFixed(0)}`);
  console.log(`  analyzer off: synthYaml ${med(res.off.synth).toFixed(0)} (${res.off.synth.map((x) => x.toFixed(0)).join(' ')}), the check without the analyzer ${med(res.off.check).toFixed(0)}`);
  console.log(`  (on - off) / on per pair: median ${(100 * med(shares)).toFixed(1)}% (${f(shares)}); of the medians ${(100 * (med(res.on.synth) - med(res.off.synth)) / med(res.on.synth)).toFixed(1)}%`);
  console.log(`  phase marker, the whole check / synthYaml (on): median ${(100 * med(marker)).toFixed(1)}% (${f(marker)})`);
} else if (mode === 'fresh') {
  const one = (root) => {
    const line = execFileSync(process.execPath, [path.join(__dirname, 'check-cold.js'), 'fresh', String(teams), root], { encoding: 'utf8' });
    const m = line.match(/synthYaml (\d+) ms CPU, the check (\d+) ms/);
    if (!m) throw new Error(`unexpected output: ${line}`);
    return [Number(m[1]), Number(m[2])];
  };
  for (let i = 0; i < Number(runs); i++) {
    for (const side of i % 2 === 0 ? ['A', 'B'] : ['B', 'A']) record(side, ...one(trees[side]));
  }
  console.log(`fresh processes, N=${teams}, ${runs} per tree (alternating):`);
  summary();
} else if (mode === 'onoff-fresh') {
  const one = (on) => {
    const env = { ...process.env, SYNTH_ANALYSIS: on ? 'on' : 'off' };
    const line = execFileSync(process.execPath, [path.join(__dirname, 'check-cold.js'), 'fresh', String(teams), before], { encoding: 'utf8', env });
    const m = line.match(/synthYaml (\d+) ms CPU, the check (\d+) ms/);
    if (!m) throw new Error(`unexpected output: ${line}`);
    return [Number(m[1]), Number(m[2])];
  };
  const res = { on: [], off: [], marker: [] };
  for (let i = 0; i < Number(runs); i++) {
    for (const on of i % 2 === 0 ? [true, false] : [false, true]) {
      const [synth, check] = one(on);
      if (on) { res.on.push(synth); res.marker.push(check / synth); } else res.off.push(synth);
    }
  }
  const shares = res.on.map((x, i) => (x - res.off[i]) / x);
  const f = (v) => v.map((x) => (100 * x).toFixed(1)).join(' ');
  console.log(`on vs off in fresh processes, one-chart N=${teams}, tree ${before}, ${runs} per side (alternating), CPU ms:`);
  console.log(`  synthYaml on ${med(res.on).toFixed(0)} (${res.on.join(' ')}), off ${med(res.off).toFixed(0)} (${res.off.join(' ')})`);
  console.log(`  (on - off) / on per pair: median ${(100 * med(shares)).toFixed(1)}% (${f(shares)}); of the medians ${(100 * (med(res.on) - med(res.off)) / med(res.on)).toFixed(1)}%`);
  console.log(`  phase marker (on): median ${(100 * med(res.marker)).toFixed(1)}% (${f(res.marker)})`);
} else {
  throw new Error(`unknown mode ${mode}: warm, fresh, onoff or onoff-fresh`);
}
