#!/usr/bin/env node
// Where V8's compilation time goes in one fresh synthesis of a checker platform, ours against the floor, by
// V8's own accounting (`node --log-function-events`): for each kind of event (the script's first parse,
// preparsing, a lazy function's full parse on its first call, bytecode, Sparkplug's baseline code, TurboFan's
// jobs; the parses nest, see below) the milliseconds V8 logged, summed by whose code it was: ours (lib/bundle), node_modules (cdk8s,
// constructs, yaml), node's own. Parsing, bytecode and baseline code are main-thread work; TurboFan's time is
// mostly on V8's helper threads. With --gc, also the main thread's GC pauses (`--trace-gc`), in a separate
// process per side so the two logs do not disturb each other's timings. Medians of RUNS processes per side.
// Not part of `npm run bench`; run after `npm run build` (the checker loads the built package by name):
//   node bench/v8-events.js PLATFORM [TEAMS=1000] [RUNS=3] [--gc]
//   node bench/v8-events.js --log FILE...      summarize logs written by hand
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { median } = require('./measure');
const { floorFileOf } = require('./synth-checker');

const CHECKER = path.join(__dirname, 'synth-checker.js');
const SCRATCH = path.resolve(__dirname, '..', '.scratch', 'v8-events');

/** ms by "event owner" of one --log-function-events log (fields: function,EVENT,SCRIPT,START,END,TIME_MS,...). */
function summarize(file) {
  const names = new Map();
  const sums = new Map();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const f = line.split(',');
    if (f[0] === 'script-details') { names.set(f[1], f[2]); continue; }
    if (f[0] !== 'function') continue;
    const ms = Number(f[5]);
    if (!Number.isFinite(ms)) continue;
    const script = names.get(f[2]) ?? '';
    const owner = script.includes('/lib/bundle/') || script.includes('/lib/src/') ? 'ours'
      : script.includes('node_modules') ? 'node_modules' : script.startsWith('node:') ? 'node' : 'other';
    const key = `${f[1]} ${owner}`;
    sums.set(key, (sums.get(key) ?? 0) + ms);
  }
  return sums;
}

/** Main-thread GC pauses of one --trace-gc output: count, total ms, and the mark-compacts among them. */
function gcPauses(text) {
  const out = { count: 0, ms: 0, markCompacts: 0, markCompactMs: 0 };
  for (const m of text.matchAll(/(Scavenge|Mark-Compact)[^\n]*?MB, ([0-9.]+) \/ [0-9.]+ ms/g)) {
    out.count++; out.ms += Number(m[2]);
    if (m[1] === 'Mark-Compact') { out.markCompacts++; out.markCompactMs += Number(m[2]); }
  }
  return out;
}


function child(side, platform, teams, nodeArgs, floorFile) {
  const args = [...nodeArgs, CHECKER, '--child', side, platform, String(teams), '--synth=yaml'];
  if (side === 'floor') args.push(`--floor=${floorFile}`);
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`${side} child exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

function main() {
  const argv = process.argv.slice(2);
  if (argv[0] === '--log') {
    for (const file of argv.slice(1)) {
      console.log(file);
      for (const [k, ms] of [...summarize(file)].sort()) console.log(`  ${ms.toFixed(1).padStart(8)}  ${k}`);
    }
    return;
  }
  const positional = argv.filter((a) => !a.startsWith('--'));
  const [platform, teamsArg, runsArg] = positional;
  if (!platform) { console.error('usage: node bench/v8-events.js PLATFORM [TEAMS=1000] [RUNS=3] [--gc]'); process.exit(2); }
  const teams = Number(teamsArg ?? 1000); const runs = Number(runsArg ?? 3);
  fs.mkdirSync(SCRATCH, { recursive: true });
  // The floor's objects, as the checker writes them (its fresh mode reads the same file).
  const floorFile = floorFileOf(platform, teams);
  const sides = ['ours', 'floor'];
  const events = { ours: [], floor: [] };
  const gcs = { ours: [], floor: [] };
  for (let r = 0; r < runs; r++) {
    for (const side of r % 2 === 0 ? sides : [...sides].reverse()) {
      const log = path.join(SCRATCH, `${side}-${process.pid}-${r}.log`);
      child(side, platform, teams, ['--log-function-events', `--logfile=${log}`, '--no-logfile-per-isolate'], floorFile);
      events[side].push(summarize(log));
      fs.rmSync(log, { force: true });
      if (argv.includes('--gc')) gcs[side].push(gcPauses(child(side, platform, teams, ['--trace-gc'], floorFile)));
    }
  }
  const keys = [...new Set([...events.ours, ...events.floor].flatMap((m) => [...m.keys()]))]
    .filter((k) => !k.endsWith(' other')).sort();
  console.log(`V8 function events, ${platform} ${teams} teams, median of ${runs} fresh processes a side (ms as V8 logs them); load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`  ${'event owner'.padEnd(36)} ${'ours'.padStart(8)} ${'floor'.padStart(8)}`);
  for (const k of keys) {
    const a = median(events.ours.map((m) => m.get(k) ?? 0)); const b = median(events.floor.map((m) => m.get(k) ?? 0));
    if (a < 0.5 && b < 0.5) continue;
    console.log(`  ${k.padEnd(36)} ${a.toFixed(1).padStart(8)} ${b.toFixed(1).padStart(8)}`);
  }
  // The events nest as V8's parser calls do: a script's `full-parse` and `preparse-resolution` (inner functions
  // skipped) inside its `parse-eval`, a lazy function's inside its `parse-function`. The main thread's compile
  // work, without double counting: the two outer parses, bytecode and baseline code.
  const outer = ['parse-eval', 'parse-function', 'interpreter', 'baseline'];
  for (const owner of ['ours', 'node_modules']) {
    const total = (m) => outer.reduce((t, e) => t + (m.get(`${e} ${owner}`) ?? 0), 0);
    console.log(`  main-thread compile of ${owner} (${outer.join(' + ')}): ours ${median(events.ours.map(total)).toFixed(1)}, floor ${median(events.floor.map(total)).toFixed(1)} ms`);
  }
  if (argv.includes('--gc')) {
    for (const side of sides) {
      const g = gcs[side];
      console.log(`  GC pauses, ${side}: ${median(g.map((x) => x.count))} collections, ${median(g.map((x) => x.ms)).toFixed(1)} ms `
        + `(mark-compact ${median(g.map((x) => x.markCompacts))}, ${median(g.map((x) => x.markCompactMs)).toFixed(1)} ms)`);
    }
  }
}

main();
