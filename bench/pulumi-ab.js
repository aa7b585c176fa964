// Pulumi registration of the benchmark platform by a tree compiled before a change against
// bench/.out now, in one process, ABBA, in CPU time (and wall time), each after a forced GC, each
// until every URN has resolved and the RPC queue drained. Checks first that both register the same
// objects with the same inputs, names and types (RUNS = 0: the checks only); with trees whose bench/pulumi-runs exports
// lastRegistrations, that every RegisterResource request (components included: URN, parent,
// dependencies, provider, protect, property dependencies, inputs) is the same at 20 teams, and with
// trees that export lastOutputRegistrations, every RegisterResourceOutputs request (URN, outputs).
//   node scripts/clean.js bench/.out && npx tsc -p bench/tsconfig.json && node --expose-gc bench/pulumi-ab.js BEFORE/bench/.out 200 4
const path = require('path');
const { cpuWallAsync, median: med } = require('./measure');
const before = require(path.resolve(process.argv[2], 'bench/pulumi-runs.js'));
const now = require(path.resolve('bench/.out/bench/pulumi-runs.js'));
const teams = Number(process.argv[3] ?? 200), runs = Number(process.argv[4] ?? 4);
const t = cpuWallAsync;
(async () => {
  await before.registerOurs(teams); const a = JSON.stringify(before.lastRegisteredObjects());
  await now.registerOurs(teams); const b = JSON.stringify(now.lastRegisteredObjects());
  if (a !== b) { console.log('the two trees register different objects'); process.exit(1); }
  if (before.lastRegistrations && now.lastRegistrations) {
    await before.registerOurs(20, true); const ra = JSON.stringify(before.lastRegistrations());
    await now.registerOurs(20, true); const rb = JSON.stringify(now.lastRegistrations());
    if (ra !== rb) { console.log('the two trees send different registrations at 20 teams'); process.exit(1); }
    console.log(`registrations at 20 teams identical (${before.lastRegistrations().length} requests)`);
    if (before.lastOutputRegistrations && now.lastOutputRegistrations) {
      const oa = JSON.stringify(before.lastOutputRegistrations()); const ob = JSON.stringify(now.lastOutputRegistrations());
      if (oa !== ob) { console.log('the two trees send different RegisterResourceOutputs requests at 20 teams'); process.exit(1); }
      console.log(`RegisterResourceOutputs requests at 20 teams identical (${before.lastOutputRegistrations().length})`);
    }
  }
  if (runs === 0) return; // the checks only
  const rc = [], rw = [], x = [], y = [];
  for (let i = 0; i < runs; i++) {
    const b1 = await t(() => before.registerOurs(teams)); const n1 = await t(() => now.registerOurs(teams));
    const n2 = await t(() => now.registerOurs(teams)); const b2 = await t(() => before.registerOurs(teams));
    x.push(b1[0], b2[0]); y.push(n1[0], n2[0]); rc.push(n1[0] / b1[0], n2[0] / b2[0]); rw.push(n1[1] / b1[1], n2[1] / b2[1]);
  }
  const list = (v) => v.map((r) => r.toFixed(2)).join(' ');
  console.log(`pulumi N=${teams}: CPU before ${med(x).toFixed(0)} ms, now ${med(y).toFixed(0)} ms; now/before CPU median ${med(rc).toFixed(3)} (${list(rc)}); wall ${med(rw).toFixed(3)} (${list(rw)})`);
})().catch((e) => { console.error(e); process.exit(1); });
