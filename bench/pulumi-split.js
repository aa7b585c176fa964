// Where registering costs, side by side: ours, the same objects under bare components, and
// directly (the floors of pulumi-cpu.js). Per side, median of ROUNDS alternating runs, each after a
// forced GC: CPU time of the synchronous part (the program declaring everything: our constructs and
// the bridge, Pulumi's resource constructors) and of the rest (the seal, serialization, the mock
// engine, until the RPC queue drains); the garbage collector's pauses (young-generation scavenges
// and full collections, wall time of the main thread); the main thread's CPU apart from V8's other
// threads (Linux); and Pulumi's tracked promises (each captures
// and formats a stack trace) by what Pulumi tracks them for.
//   node scripts/clean.js bench/.out && npx tsc -p bench/tsconfig.json && node --expose-gc bench/pulumi-split.js 100 4
const path = require('path');
const { PerformanceObserver, constants } = require('perf_hooks');
const debuggable = require('@pulumi/pulumi/runtime/debuggable');
const teams = Number(process.argv[2] ?? 100), rounds = Number(process.argv[3] ?? 4);
const R = require(path.resolve(process.argv[4] ?? 'bench/.out', 'bench/pulumi-runs.js'));
const median = (v) => [...v].sort((p, q) => p - q)[Math.floor(v.length / 2)];
const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1e3; };
const fs = require('fs');
// CPU of the main thread alone (Linux: /proc/<pid>/task/<pid>/schedstat, ns), to tell it from V8's
// other threads (parallel and concurrent GC, TurboFan); 0 where /proc is not there.
const mainCpu = () => { try { return Number(fs.readFileSync(`/proc/${process.pid}/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6; } catch { return 0; } };
const pause = () => new Promise((r) => setTimeout(r, 30)); // lets the GC observer deliver its entries

let gc = {};
/** performance.now() at the end of the synchronous part of the run being measured: pauses before it are counted apart. */
let syncEnd = Infinity;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const kind = e.detail?.kind ?? e.kind;
    const k = kind === constants.NODE_PERFORMANCE_GC_MINOR ? 'minor' : kind === constants.NODE_PERFORMANCE_GC_MAJOR ? 'major' : 'other';
    gc[k] = (gc[k] ?? 0) + e.duration;
    gc[`${k}N`] = (gc[`${k}N`] ?? 0) + 1;
    if (e.startTime < syncEnd) gc.inSync = (gc.inSync ?? 0) + e.duration;
  }
}).observe({ entryTypes: ['gc'] });

// Counting wrapper: every caller inside Pulumi reads debuggablePromise through the module object.
let tracked = new Map();
const original = debuggable.debuggablePromise;
debuggable.debuggablePromise = function (p, ctx) {
  const what = String(ctx).replace(/[(<].*$/, '').replace(/^resource:.*$/, 'registerResource') || '(unnamed)';
  tracked.set(what, (tracked.get(what) ?? 0) + 1);
  return original(p, ctx);
};

(async () => {
  await R.registerOurs(teams);
  const objects = R.lastRegisteredObjects();
  const sides = { ours: () => R.registerOurs(teams), bare: () => R.registerUnderComponents(objects), direct: () => R.registerDirectly(objects) };
  for (const f of Object.values(sides)) await f(); // warm-up
  const rows = {};
  for (let i = 0; i < rounds; i++) {
    const order = i % 2 === 0 ? Object.keys(sides) : Object.keys(sides).reverse();
    for (const side of order) {
      global.gc?.(); await pause(); gc = {}; tracked = new Map(); syncEnd = Infinity;
      const m0 = mainCpu(); const c0 = cpu();
      const run = sides[side]();
      const c1 = cpu(); const m1 = mainCpu(); syncEnd = performance.now();
      await run;
      const c2 = cpu(); const m2 = mainCpu();
      await pause();
      (rows[side] ??= []).push({ total: c2 - c0, main: m2 - m0, mainSync: m1 - m0, sync: c1 - c0, rest: c2 - c1, minor: gc.minor ?? 0, minorN: gc.minorN ?? 0, major: gc.major ?? 0, gcSync: gc.inSync ?? 0, majorN: gc.majorN ?? 0, tracked: new Map(tracked) });
    }
  }
  console.log(`N=${teams}, ${rounds} rounds, CPU ms (medians); GC pauses in main-thread ms`);
  for (const [side, v] of Object.entries(rows)) {
    const m = (f) => median(v.map(f)).toFixed(0);
    const t = v[0].tracked; const all = [...t.values()].reduce((a, b) => a + b, 0);
    console.log(`${side.padEnd(6)} total ${m((x) => x.total)}  main thread ${m((x) => x.main)}  other threads ${m((x) => x.total - x.main)}  sync ${m((x) => x.sync)} (main thread ${m((x) => x.mainSync)})  rest ${m((x) => x.rest)}  scavenges ${m((x) => x.minorN)} (${m((x) => x.minor)} ms)  full GCs ${m((x) => x.majorN)} (${m((x) => x.major)} ms)  GC pauses in the synchronous part ${m((x) => x.gcSync)} ms  tracked promises ${all}`);
  }
  const names = new Set(Object.values(rows).flatMap((v) => [...v[0].tracked.keys()]));
  console.log('tracked promises by what for:', Object.keys(rows).join(' / '));
  for (const n of [...names].sort((a, b) => (rows.ours[0].tracked.get(b) ?? 0) - (rows.ours[0].tracked.get(a) ?? 0))) {
    console.log(`  ${n.padEnd(34)} ${Object.values(rows).map((v) => String(v[0].tracked.get(n) ?? 0).padStart(6)).join(' ')}`);
  }
})().catch((e) => { console.error(e); process.exit(1); });
