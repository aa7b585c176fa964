// The synth check's parts beyond rendering (not part of `npm run bench`): for each tree, one App of
// N teams is built, and inside one synthesis scope (where every object's rendering is memoized, so
// the first collect renders and later ones do not) the check's collecting, its declared externals and
// its App-wide rules are each timed REPS times, a forced GC before each round, the trees alternating.
// check-split.js times these parts inside real syntheses, but it wraps RenderedObject.rendered with
// process.cpuUsage (two calls per object and per rendered field the YAML reads), which inflates its
// collecting and rendering figures; this measures the parts without that wrapper.
//   node scripts/clean.js bench/.out && npx tsc -p bench/tsconfig.json
//   node --expose-gc bench/check-parts.js 1000 20 one-chart [.scratch/before bench/.out]
const path = require('path');
const os = require('os');
const { median: med } = require('./measure');
const [teams = 1000, reps = 20, layout = 'one-chart', ...trees] = process.argv.slice(2);
if (!global.gc) throw new Error('run with node --expose-gc');
const { App } = require('cdk8s');
const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1e3; };
const sides = (trees.length ? trees : ['.scratch/before', 'bench/.out']).map((root) => {
  const P = require(path.resolve(root, 'bench/platform.js'));
  const { SynthCheck } = require(path.resolve(root, 'src/cdk8s/synth-check.js'));
  const { AppState } = require(path.resolve(root, 'src/cdk8s/app-state.js'));
  const app = new App({ outdir: os.tmpdir() });
  P.buildCdk8sPlatform(app, Number(teams), layout);
  return { root, app, check: SynthCheck.of(app), AppState };
});
const res = sides.map(() => ({ collect: [], externals: [], rules: [] }));
const seen = new Set(); // the externals of each tree as JSON: the trees must agree
for (let r = 0; r < Number(reps); r++) {
  sides.forEach((s, k) => {
    s.AppState.of(s.app).synthesis(() => {
      s.check.collect(); // renders on the first round (memoized for this scope)
      // The list of the App's ApiObjects (AppState.apiObjects, memoized per synthesis since the
      // seventh round) is dropped, so that each timed collect walks the tree as a synthesis does once.
      const memos = s.AppState.of(s.app).memos;
      for (const k of [...memos.keys()]) if (k && k.apiObjects === true) memos.delete(k);
      global.gc();
      let t0 = cpu();
      const collected = s.check.collect();
      res[k].collect.push(cpu() - t0);
      const members = [...s.check.members]; // a fresh array, as each run of the check has
      t0 = cpu();
      const external = s.check.assumedExternals(members, collected.ownerByOrigin);
      res[k].externals.push(cpu() - t0);
      t0 = cpu();
      let problems = 0;
      for (const m of members) problems += (m.appProblems?.(members) ?? []).length;
      res[k].rules.push(cpu() - t0);
      if (r === 0) seen.add(JSON.stringify(external));
      if (r === 0) console.log(`${s.root}: ${collected.objects.length} objects, ${external.length} externals (${JSON.stringify(external).length} bytes as JSON), ${problems} problems`);
    });
  });
}
if (seen.size !== 1) { console.log('THE TREES DECLARE DIFFERENT EXTERNALS'); process.exit(1); }
console.log(`${layout} N=${teams}, median CPU ms of ${reps} rounds (trees alternating):`);
res.forEach((x, k) => console.log(`  ${sides[k].root}: collecting without rendering ${med(x.collect).toFixed(1)}, declared externals ${med(x.externals).toFixed(1)}, App-wide rules ${med(x.rules).toFixed(1)}`));
