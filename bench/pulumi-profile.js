// CPU profile of one side of the Pulumi benchmark only (after a warm-up of each side), so that
// profiles of ours, the direct registration and the bare components compare run for run:
//   node bench/pulumi-profile.js 100 ours 3 .scratch/prof/ours.cpuprofile     (ours | direct | bare | interleaved-auto,
//   the bare floor in ours' order: see bench/pulumi-shape.js)
//   node bench/profile-summary.js .scratch/prof/ours.cpuprofile register finishSeal
const fs = require('fs');
const path = require('path');
const inspector = require('inspector');
const teams = Number(process.argv[2] ?? 100), side = process.argv[3] ?? 'ours', runs = Number(process.argv[4] ?? 3);
const out = process.argv[5] ?? `.scratch/prof/pulumi-${side}.cpuprofile`;
const R = require(path.resolve(process.argv[6] ?? 'bench/.out', 'bench/pulumi-runs.js'));
const post = (s, m, p) => new Promise((res, rej) => s.post(m, p ?? {}, (e, r) => (e ? rej(e) : res(r))));
(async () => {
  await R.registerOurs(teams);
  const objects = R.lastRegisteredObjects();
  const sides = {
    ours: () => R.registerOurs(teams),
    direct: () => R.registerDirectly(objects),
    bare: () => R.registerUnderComponents(objects),
    'interleaved-auto': () => R.registerShaped(objects, teams, { outputs: 'pulumi', cdk8s: false }),
  };
  const run = sides[side];
  if (!run) throw new Error(`side: one of ${Object.keys(sides).join(', ')}`);
  await run();
  const s = new inspector.Session(); s.connect();
  await post(s, 'Profiler.enable'); await post(s, 'Profiler.start');
  const t0 = process.cpuUsage();
  for (let i = 0; i < runs; i++) await run();
  const c = process.cpuUsage(t0);
  const { profile } = await post(s, 'Profiler.stop');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(profile));
  console.log(`${side} N=${teams}: ${runs} runs, CPU ${((c.user + c.system) / 1e3).toFixed(0)} ms -> ${out}`);
})();
