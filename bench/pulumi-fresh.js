// Pulumi registration in fresh processes, as `pulumi up` runs a program: one node process per
// registration, timed in CPU (and wall) from before loading the SDK and the package to every URN
// resolved and the RPC queue drained; ours against the same objects registered directly (with
// ours' dependsOn), alternating ABBA. The floor's objects come from a run of ours (written to a file).
//   node scripts/clean.js bench/.out && npx tsc -p bench/tsconfig.json && node bench/pulumi-fresh.js 200 3
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { median } = require('./measure');
const teams = Number(process.argv[2] ?? 200), rounds = Number(process.argv[3] ?? 3);
const runs = path.resolve(process.argv[4] ?? 'bench/.out', 'bench/pulumi-runs.js');
const plan = path.join(os.tmpdir(), `igc-pulumi-plan-${process.pid}.json`);
const child = (side) => `
const c0 = process.cpuUsage(); const w0 = process.hrtime.bigint();
const R = require(${JSON.stringify(runs)});
const done = ${side === 'ours' ? `R.registerOurs(${teams})` : `(R.usePlan(JSON.parse(require('fs').readFileSync(${JSON.stringify(plan)}, 'utf8'))), R.registerDirectly(R.lastPlan().objects))`};
done.then(() => { const c = process.cpuUsage(c0); process.stdout.write(JSON.stringify([(c.user + c.system) / 1e3, Number(process.hrtime.bigint() - w0) / 1e6])); });`;
const run = (side) => JSON.parse(execFileSync(process.execPath, ['-e', child(side)], { encoding: 'utf8', maxBuffer: 1 << 26 }));
execFileSync(process.execPath, ['-e', `const R = require(${JSON.stringify(runs)}); R.registerOurs(${teams}).then(() => require('fs').writeFileSync(${JSON.stringify(plan)}, JSON.stringify(R.lastPlan())));`]);
const rc = [], rw = [], o = [], f = [];
for (let i = 0; i < rounds; i++) {
  const a = run('ours'), b = run('direct'), b2 = run('direct'), a2 = run('ours');
  o.push(a[0], a2[0]); f.push(b[0], b2[0]); rc.push(a[0] / b[0], a2[0] / b2[0]); rw.push(a[1] / b[1], a2[1] / b2[1]);
}
fs.rmSync(plan, { force: true });
const list = (v) => v.map((r) => r.toFixed(2)).join(' ');
console.log(`pulumi N=${teams}, fresh processes: CPU ours ${median(o).toFixed(0)} ms, direct ${median(f).toFixed(0)} ms; ours/direct CPU median ${median(rc).toFixed(2)} (${list(rc)}); wall ${median(rw).toFixed(2)} (${list(rw)})`);
