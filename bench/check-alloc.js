// What the synth check (or the analyzer alone) allocates in a fresh process (not part of `npm run bench`):
// V8's sampling heap profiler through `inspector`, objects collected by scavenges and full GCs included,
// started and stopped around SynthCheck.run (or analyze()) of one synthesis. In a fresh process much of
// the check runs before V8 optimizes it, and unoptimized code allocates what optimized code does not
// (a `for...of` over an array: an iterator result per step), so this differs from bench/alloc-analyze.js,
// which measures warm code. Prints the total, the top allocating functions, builtins (Map#set,
// Array#push, iterator `next`, ...) by their calling function, and by source file.
//   node scripts/clean.js bench/.out && npx tsc -p bench/tsconfig.json
//   node bench/check-alloc.js [tree=bench/.out] [check|analyze] [LAYOUT=one-chart] [N=1000]
'use strict';
const path = require('path');
const os = require('os');
const inspector = require('inspector');
const [root = 'bench/.out', which = 'check', layout = 'one-chart', teams = '1000'] = process.argv.slice(2);
const session = new inspector.Session();
session.connect();
const { App } = require('cdk8s');
const P = require(path.resolve(root, 'bench/platform.js'));
const sc = require(path.resolve(root, 'src/cdk8s/synth-check.js'));
const an = require(path.resolve(root, 'src/analysis/index.js'));
let profile;
const start = () => {
  session.post('HeapProfiler.enable');
  session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
};
// The inspector answers synchronously within post() for these commands.
const stop = () => session.post('HeapProfiler.stopSampling', (e, r) => { if (e) throw e; profile = r.profile; });
if (which === 'analyze') {
  const real = an.analyze;
  an.analyze = (...a) => { start(); try { return real(...a); } finally { stop(); } };
} else {
  const run = sc.SynthCheck.prototype.run;
  sc.SynthCheck.prototype.run = function (...a) { start(); try { return run.apply(this, a); } finally { stop(); } };
}
const app = new App({ outdir: os.tmpdir() });
P.buildCdk8sPlatform(app, Number(teams), layout);
app.synthYaml();
if (!profile) throw new Error('nothing sampled: no synth check ran');
const name = (f) => `${f.functionName || '(anonymous)'} ${path.basename(f.url)}:${f.lineNumber + 1}`;
const file = (f) => f.url.replace(/.*\/(src|node_modules)\//, '$1/');
const self = new Map(), byCaller = new Map(), byFile = new Map();
const add = (m, k, v) => m.set(k, (m.get(k) ?? 0) + v);
let total = 0;
(function walk(n, caller, owner) {
  const f = n.callFrame;
  const builtin = f.url === '';
  total += n.selfSize;
  add(self, name(f), n.selfSize);
  if (builtin && caller) add(byCaller, `${f.functionName || '(anonymous)'} <- ${caller}`, n.selfSize);
  const me = builtin ? owner : file(f);
  add(byFile, me, n.selfSize);
  for (const c of n.children) walk(c, builtin ? caller : name(f), me);
})(profile.head, '', '(root)');
const top = (m, k) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([key, v]) => `${(v / 1e6).toFixed(2).padStart(7)} MB  ${key}`).join('\n');
console.log(`${which === 'analyze' ? 'analyze()' : 'the synth check'}, ${layout} N=${teams}, fresh process: ${(total / 1e6).toFixed(1)} MB allocated (sampled)`);
console.log(`by function (self):\n${top(self, 25)}`);
console.log(`builtins by calling function:\n${top(byCaller, 20)}`);
console.log(`by source file:\n${top(byFile, 15)}`);
