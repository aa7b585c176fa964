// Ours against the floor in CPU time (not part of `npm run bench`, which reports wall time): the
// platform through the constructs (bench/.out) against the same objects as plain ApiObjects,
// alternating ABBA, each after a forced GC, with the share of our CPU time spent in the synth
// check. For a shared machine whose load makes wall-clock ratios meaningless; CPU time counts GC
// helper threads too, so it reads somewhat higher than a quiet wall-clock ratio.
//   node scripts/clean.js bench/.out && npx tsc -p bench/tsconfig.json && node --expose-gc bench/cpu-ratio.js 1000 2 one-chart
// (the third argument: any layout of bench/platform.ts: one-chart, chart-per-team, shared-ingress,
// shared-tls, tenant-mix, gateway-api, ingress-per-team). With `--onoff` (fifth argument), each round
// also synthesizes ours with the analyzer off (`configureSynthAnalysis(app, { enabled: false })`, the
// switch users have) and prints what the analyzer costs as a reviewer would time it: (on - off) / on,
// beside the phase marker (SynthCheck.run's share, which also counts collecting and the App-wide rules).
const path = require('path');
const { cpuWall, median: med } = require('./measure');
const teams = Number(process.argv[2] ?? 1000), runs = Number(process.argv[3] ?? 2), layout = process.argv[4] ?? 'one-chart';
const onoff = process.argv.includes('--onoff');
const { App, Chart, ApiObject } = require('cdk8s');
const P = require(path.resolve('bench/.out/bench/platform.js'));
const { SynthCheck, configureSynthAnalysis } = require(path.resolve('bench/.out/src'));
const os = require('os');
let checkCpu = 0; const run = SynthCheck.prototype.run;
SynthCheck.prototype.run = function () { const c0 = process.cpuUsage(); try { return run.apply(this, arguments); } finally { const c = process.cpuUsage(c0); checkCpu += (c.user + c.system) / 1e3; } };
const ours = () => { const app = new App({ outdir: os.tmpdir() }); P.buildCdk8sPlatform(app, teams, layout); return app.synthYaml(); };
const oursOff = () => { const app = new App({ outdir: os.tmpdir() }); P.buildCdk8sPlatform(app, teams, layout); configureSynthAnalysis(app, { enabled: false }); return app.synthYaml(); };
const app0 = new App({ outdir: os.tmpdir() }); P.buildCdk8sPlatform(app0, teams, layout);
const docs = app0.charts.map((c) => ({ id: c.node.id, objects: c.toJson() }));
const floor = () => { const app = new App({ outdir: os.tmpdir() }); for (const d of docs) { const ch = new Chart(app, d.id); d.objects.forEach((o, j) => new ApiObject(ch, `o${j}`, o)); } return app.synthYaml(); };
const t = cpuWall;
if (ours() !== floor() || (onoff && oursOff() !== floor())) { console.log('YAML differs'); process.exit(1); }
const rc = [], rw = [], o = [], f = [], share = [], offShare = [];
for (let i = 0; i < runs; i++) {
  checkCpu = 0; const x = t(ours); share.push(checkCpu / x[0]);
  const xo = onoff ? t(oursOff) : undefined;
  const y = t(floor); const y2 = t(floor);
  const xo2 = onoff ? t(oursOff) : undefined;
  checkCpu = 0; const x2 = t(ours); share.push(checkCpu / x2[0]);
  if (onoff) offShare.push((x[0] - xo[0]) / x[0], (x2[0] - xo2[0]) / x2[0]);
  o.push(x[0], x2[0]); f.push(y[0], y2[0]); rc.push(x[0] / y[0], x2[0] / y2[0]); rw.push(x[1] / y[1], x2[1] / y2[1]);
}
console.log(`${layout} N=${teams}: CPU ours ${med(o).toFixed(0)} floor ${med(f).toFixed(0)}; ours/floor CPU median ${med(rc).toFixed(2)} (${rc.map((r) => r.toFixed(2)).join(' ')}), wall ${med(rw).toFixed(2)} (${rw.map((r) => r.toFixed(2)).join(' ')}); check share (CPU) ${share.map((s) => (100 * s).toFixed(1) + '%').join(' ')}`);
if (onoff) console.log(`  analyzer on vs off, (on - off) / on (CPU): ${offShare.map((s) => (100 * s).toFixed(1) + '%').join(' ')}; median ${(100 * med(offShare)).toFixed(1)}%`);
