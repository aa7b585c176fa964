// The cost of `require('istio-gateway-constructs')` alone in a fresh process, after cdk8s (which a
// cdk8s app has loaded anyway): one tree against another, one new `node` process per require,
// alternating ABBA, medians. CPU time of the process (all threads), CPU time of the main thread
// (Linux schedstat, nanoseconds) and wall time; also the number of modules the require loaded.
//   node bench/require-ab.js BEFORE_INDEX AFTER_INDEX [PAIRS=10]
//   e.g. node bench/require-ab.js .scratch/before/src/index.js lib/src/index.js 10
'use strict';
const path = require('path');
if (process.argv[2] === '--child') {
  const fs = require('fs');
  const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1e3; };
  const main = () => Number(fs.readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  require('cdk8s');
  const before = Object.keys(require.cache).length;
  const m0 = main(), c0 = cpu(), w0 = performance.now();
  require(path.resolve(process.argv[3]));
  const c1 = cpu(), w1 = performance.now(), m1 = main();
  process.stdout.write(JSON.stringify({ cpu: c1 - c0, main: m1 - m0, wall: w1 - w0, modules: Object.keys(require.cache).length - before }));
  process.exit(0);
}
const { spawnSync } = require('child_process');
const [A, B, pairs = 10] = process.argv.slice(2);
const run = (t) => JSON.parse(spawnSync(process.execPath, [__filename, '--child', t], { encoding: 'utf8' }).stdout);
const res = { [A]: [], [B]: [] };
for (let i = 0; i < Number(pairs); i++) for (const t of [A, B, B, A]) res[t].push(run(t));
const med = (v) => { const s = [...v].sort((p, q) => p - q); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
console.log(`require of the package after cdk8s, ${2 * pairs} fresh processes per tree (ABBA), load average ${require('os').loadavg()[0].toFixed(1)}`);
for (const t of [A, B]) {
  const r = res[t];
  console.log(`  ${t}: CPU ${med(r.map((x) => x.cpu)).toFixed(1)} ms, main thread ${med(r.map((x) => x.main)).toFixed(1)} ms, wall ${med(r.map((x) => x.wall)).toFixed(1)} ms, ${r[0].modules} modules`);
}
