// A/B of two compiled trees of this library (not part of `npm run bench`): the benchmark platform
// built and synthesized by a tree compiled before a change (BEFORE, e.g. a copy of bench/.out made
// before editing) and by bench/.out now, alternating ABBA in one process, each after a forced GC.
// Reports CPU time (user + system of this process) as well as wall time: on a shared, loaded
// machine CPU time was far steadier (same-code spread 0.95-1.04 against 0.5-1.5 for wall time).
// Checks first that both trees emit byte-identical YAML.
//   node scripts/clean.js bench/.out && npx tsc -p bench/tsconfig.json && cp -r bench/.out .scratch/before    # before the change
//   (edit, then) node scripts/clean.js bench/.out && npx tsc -p bench/tsconfig.json
//   node --expose-gc bench/ab-synth.js .scratch/before 1000 2 [LAYOUT] [build]
// LAYOUT: one of bench/platform.ts's (one-chart, the default; chart-per-team, shared-ingress,
// shared-tls, tenant-mix, gateway-api, ingress-per-team). `build`: time building the
// constructs only (no synthesis; the YAML is still compared first), for changes to construction.
// AFTER=DIR: compare BEFORE with another compiled tree than bench/.out (two steps of a series).
const path = require('path');
const { cpuWall, median: med } = require('./measure');
const before = process.argv[2] ?? '.scratch/before';
const teams = Number(process.argv[3] ?? 250), runs = Number(process.argv[4] ?? 4), layout = process.argv[5] ?? 'one-chart', buildOnly = process.argv[6] === 'build';
const { App } = require('cdk8s');
const PA = require(path.resolve(before, 'bench/platform.js'));
const PB = require(path.resolve(process.env.AFTER ?? 'bench/.out', 'bench/platform.js'));
const os = require('os');
const synth = (P) => { const app = new App({ outdir: os.tmpdir() }); P.buildCdk8sPlatform(app, teams, layout); return app.synthYaml(); };
const go = buildOnly ? (P) => { P.buildCdk8sPlatform(new App({ outdir: os.tmpdir() }), teams, layout); } : synth;
const t = cpuWall;
const ya = synth(PA), yb = synth(PB);
if (ya !== yb) { console.log('DIFFERENT YAML'); process.exit(1); }
const a = [], b = [], rc = [], rw = [];
for (let i = 0; i < runs; i++) {
  const x = t(() => go(PA)), y = t(() => go(PB)), y2 = t(() => go(PB)), x2 = t(() => go(PA));
  a.push(x[0], x2[0]); b.push(y[0], y2[0]); rc.push(y[0] / x[0], y2[0] / x2[0]); rw.push(y[1] / x[1], y2[1] / x2[1]);
}
console.log(`${layout}${buildOnly ? ' (build only)' : ''} N=${teams}: CPU before median ${med(a).toFixed(0)} ms, now ${med(b).toFixed(0)} ms; now/before CPU median ${med(rc).toFixed(3)} (range ${Math.min(...rc).toFixed(2)}-${Math.max(...rc).toFixed(2)}), wall median ${med(rw).toFixed(3)} (range ${Math.min(...rw).toFixed(2)}-${Math.max(...rw).toFixed(2)})`);
