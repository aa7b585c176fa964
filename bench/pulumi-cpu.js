// Pulumi registration in CPU time (not part of `npm run bench`, which reports wall time): the
// platform through the components against the same objects registered directly, and against
// those under bare components of our types and names, alternating (ours, floor, bare, bare,
// floor, ours), each after a forced GC, each until every URN has resolved under fresh mocks.
// First checks (at 20 teams, at the engine's end) that both floors register what ours registers
// minus the components: the same objects, inputs and dependsOn, and for the bare floor the same parents.
// For a shared machine whose load makes wall-clock ratios meaningless.
//   node scripts/clean.js bench/.out && npx tsc -p bench/tsconfig.json && node --expose-gc bench/pulumi-cpu.js 200 3 [DIR]
// DIR (default bench/.out) may be another compiled tree, e.g. one built before a change.
const path = require('path');
const { cpuWallAsync, median: med } = require('./measure');
const teams = Number(process.argv[2] ?? 200), runs = Number(process.argv[3] ?? 3);
const dir = path.resolve(process.argv[4] ?? 'bench/.out');
const R = require(path.join(dir, 'bench/pulumi-runs.js'));
const t = cpuWallAsync;
async function main() {
  const problems = await R.checkFloors(Math.min(teams, 20));
  if (problems.length > 0) { console.log(`the floors do not register what ours registers:\n${problems.join('\n')}`); process.exit(1); }
  const first = await R.registerOurs(teams);
  const objects = R.lastRegisteredObjects();
  await R.registerDirectly(objects); await R.registerUnderComponents(objects); // warm-up
  const o = [], f = [], b = [], rf = [], rb = [], wf = [];
  for (let i = 0; i < runs; i++) {
    const x = await t(() => R.registerOurs(teams));
    const y = await t(() => R.registerDirectly(objects));
    const z = await t(() => R.registerUnderComponents(objects));
    const z2 = await t(() => R.registerUnderComponents(objects));
    const y2 = await t(() => R.registerDirectly(objects));
    const x2 = await t(() => R.registerOurs(teams));
    o.push(x[0], x2[0]); f.push(y[0], y2[0]); b.push(z[0], z2[0]);
    rf.push(x[0] / y[0], x2[0] / y2[0]); rb.push(x[0] / z[0], x2[0] / z2[0]); wf.push(x[1] / y[1], x2[1] / y2[1]);
  }
  const list = (v) => v.map((r) => r.toFixed(2)).join(' ');
  console.log(`pulumi N=${teams} (${first.resources} resources, ${first.components} components): CPU ours ${med(o).toFixed(0)} ms, direct ${med(f).toFixed(0)} ms, bare components ${med(b).toFixed(0)} ms`);
  console.log(`  ours/direct CPU median ${med(rf).toFixed(2)} (${list(rf)}); wall ${med(wf).toFixed(2)} (${list(wf)})`);
  console.log(`  ours/bare-components CPU median ${med(rb).toFixed(2)} (${list(rb)}); bare/direct ${(med(b) / med(f)).toFixed(2)}`);
}
main().catch((e) => { console.error(e); process.exit(1); });
