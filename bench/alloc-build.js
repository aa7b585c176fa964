// Allocation of building the benchmark platform (not part of `npm run bench`): RUNS builds of the
// construct tree (after two warm-up builds), under V8's sampling heap profiler with objects collected
// by minor and major GCs included, so it counts everything allocated, not only what survives. Building
// a large platform is mostly paid in young-generation collections, each of which copies what is alive
// (the App being built), so what a construct allocates costs it more than the allocation itself.
// Prints MB allocated per build, by allocating function (a native function by its caller too) and,
// inclusive, by our functions.
//   node scripts/clean.js bench/.out && npx tsc -p bench/tsconfig.json && node bench/alloc-build.js [N=1000] [LAYOUT=one-chart] [RUNS=3] [tree=bench/.out] [top=30]
'use strict';
const path = require('path');
const os = require('os');
const inspector = require('inspector');
const [teams = 1000, layout = 'one-chart', runs = 3, root = 'bench/.out', top = 30] = process.argv.slice(2);
const { App } = require('cdk8s');
const P = require(path.resolve(root, 'bench/platform.js'));
const build = () => { const app = new App({ outdir: os.tmpdir() }); P.buildCdk8sPlatform(app, Number(teams), layout); return app; };
for (let i = 0; i < 2; i++) build();
const session = new inspector.Session();
session.connect();
const post = (method, params) => new Promise((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r))));
(async () => {
  await post('HeapProfiler.enable');
  await post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  for (let i = 0; i < Number(runs); i++) build();
  const { profile } = await post('HeapProfiler.stopSampling');
  const self = new Map();
  const inclusive = new Map();
  const name = (n) => `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.replace(/^.*\/(src|bench|node_modules)\//, '$1/')}:${n.callFrame.lineNumber + 1}`;
  let total = 0;
  const walk = (n, stack, parent) => {
    total += n.selfSize;
    let k = name(n);
    if (!n.callFrame.url && parent) k = `${k} <- ${parent}`;
    self.set(k, (self.get(k) ?? 0) + n.selfSize);
    const here = new Set(stack).add(k);
    for (const f of here) inclusive.set(f, (inclusive.get(f) ?? 0) + n.selfSize);
    for (const c of n.children) walk(c, here, name(n));
  };
  walk(profile.head, new Set(), undefined);
  const mb = (b) => (b / 1e6 / Number(runs)).toFixed(2).padStart(7);
  console.log(`${layout} N=${teams}: ${mb(total)} MB allocated per build (sampled every 4 KB)`);
  console.log('by allocating function:');
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) console.log(`${mb(v)}  ${k}`);
  console.log('inclusive, our functions:');
  for (const [k, v] of [...inclusive].filter(([k]) => k.includes('src/')).sort((a, b) => b[1] - a[1]).slice(0, Number(top))) console.log(`${mb(v)}  ${k}`);
})();
