// A/B of the analyzer alone (not part of `npm run bench`): the synth check's own call to analyze()
// (its objects and the externals the constructs declare), captured from one synthesis of the
// benchmark platform by a tree compiled before a change (BEFORE) and by bench/.out now (or AFTER),
// then repeated alternately ABBA in CPU time after a forced GC. Checks first that both give the
// same findings.
//   node scripts/clean.js bench/.out && npx tsc -p bench/tsconfig.json && cp -r bench/.out .scratch/before    # before the change
//   (edit, then) node scripts/clean.js bench/.out && npx tsc -p bench/tsconfig.json
//   node --expose-gc bench/ab-analyze.js .scratch/before 1000 6 [AFTER]
const path = require('path');
const { cpuWall, median: med } = require('./measure');
const [before, teams = 1000, runs = 6, after = 'bench/.out'] = process.argv.slice(2);
const { App } = require('cdk8s');
const os = require('os');
const capture = (root) => {
  const mod = require(path.resolve(root, 'src/analysis/index.js'));
  const P = require(path.resolve(root, 'bench/platform.js'));
  let call; const real = mod.analyze;
  mod.analyze = (...a) => { call = a; return real(...a); };
  const app = new App({ outdir: os.tmpdir() }); P.buildCdk8sPlatform(app, Number(teams), 'one-chart'); app.synthYaml();
  mod.analyze = real;
  return () => real(...call);
};
const A = capture(before), B = capture(after);
if (JSON.stringify(A()) !== JSON.stringify(B())) { console.log('DIFFERENT FINDINGS'); process.exit(1); }
const t = (f) => cpuWall(f)[0];
const a = [], b = [];
for (let i = 0; i < runs; i++) { a.push(t(A)); b.push(t(B)); b.push(t(B)); a.push(t(A)); }
console.log(`analyze N=${teams}: before ${med(a).toFixed(0)} ms, now ${med(b).toFixed(0)} ms CPU (median of ${a.length})`);
