// Where ours' excess over the bare-components floor comes from (a probe, not a floor): in one
// process, alternating (forward, then reverse order), each run after a forced GC, CPU time of
//   bare             the bare floor of pulumi-cpu.js: every component first, then every object, then registerOutputs
//   interleaved      the same registrations in ours' order: each component, then its children, then its registerOutputs({})
//   interleaved-auto the same, registerOutputs left to Pulumi (after the synchronous part), as ours does
//   + cdk8s          the same, with each team's cdk8s constructs built before its components and the App checked and
//                    each object rendered at setImmediate (ours' constructs and seal, without the bridge)
//   ours             the components of this package
// The differences between neighbours are what Pulumi's order costs, what the constructs and the
// check cost inside a Pulumi program, and what the bridge costs (its bookkeeping, the content's
// promises and the component's frame in each child's stack).
//   node scripts/clean.js bench/.out && npx tsc -p bench/tsconfig.json && node --expose-gc bench/pulumi-shape.js 100 6 [DIR]
const path = require('path');
const { cpuWallAsync, median } = require('./measure');
const teams = Number(process.argv[2] ?? 100), rounds = Number(process.argv[3] ?? 6);
const R = require(path.resolve(process.argv[4] ?? 'bench/.out', 'bench/pulumi-runs.js'));
(async () => {
  await R.registerOurs(teams);
  const objects = R.lastRegisteredObjects();
  const sides = {
    'bare': () => R.registerUnderComponents(objects),
    'interleaved': () => R.registerShaped(objects, teams, { outputs: 'each', cdk8s: false }),
    'interleaved-auto': () => R.registerShaped(objects, teams, { outputs: 'pulumi', cdk8s: false }),
    '+ cdk8s': () => R.registerShaped(objects, teams, { outputs: 'pulumi', cdk8s: true }),
    'ours': () => R.registerOurs(teams),
  };
  for (const f of Object.values(sides)) await f(); // warm-up
  const cpu = {};
  for (let i = 0; i < rounds; i++) {
    const order = i % 2 === 0 ? Object.keys(sides) : Object.keys(sides).reverse();
    for (const side of order) (cpu[side] ??= []).push((await cpuWallAsync(sides[side]))[0]);
  }
  console.log(`N=${teams}, ${rounds} runs each, CPU ms (median; runs); step = median minus the row above`);
  let previous;
  for (const [side, v] of Object.entries(cpu)) {
    const m = median(v);
    console.log(`${side.padEnd(17)} ${m.toFixed(0).padStart(6)}  step ${previous === undefined ? '     -' : (m - previous >= 0 ? '+' : '') + (m - previous).toFixed(0).padStart(5)}  / bare ${(m / median(cpu.bare)).toFixed(3)}  (${v.map((x) => x.toFixed(0)).join(' ')})`);
    previous = m;
  }
})().catch((e) => { console.error(e); process.exit(1); });
