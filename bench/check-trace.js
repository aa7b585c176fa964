// What V8 compiles and deoptimizes inside the synth check of one fresh synthesis (not part of `npm run
// bench`): runs a child `node --trace-opt --trace-deopt [--trace-gc] [FLAGS] bench/check-trace.js --child`
// that prints a marker before and after SynthCheck.prototype.run, and sums the lines between the
// markers: TurboFan jobs by function (on the stack: "OSR"), the compile phase's time of each ("took
// a, b, c ms": b, wall time on the compiling thread, so only comparable within one run and load),
// compiles thrown away ("aborted ... dependency change"), and every deoptimization, in order, with the
// scavenges around them. Analyzers' `run`s all print as `run`: with --name-runs the child loads a copy
// of the tree (in .scratch/check-trace) whose analyzers' `run` methods are named run_<file>_<line>.
//   node scripts/clean.js bench/.out && npx tsc -p bench/tsconfig.json
//   node bench/check-trace.js [N=1000] [LAYOUT=one-chart] [TREE=bench/.out] [--top=40] [--name-runs] [--node=--single-threaded,...]
'use strict';
const path = require('path');
const fs = require('fs');
const os = require('os');

const START = '@@@CHECK-START';
const END = '@@@CHECK-END';
if (process.argv[2] === '--child') {
  const [, , , teams, layout, root] = process.argv;
  const { App } = require('cdk8s');
  const P = require(path.resolve(root, 'bench/platform.js'));
  const { SynthCheck } = require(path.resolve(root, 'src'));
  const run = SynthCheck.prototype.run;
  SynthCheck.prototype.run = function (...a) {
    process.stdout.write(`${START}\n`);
    try { return run.apply(this, a); } finally { process.stdout.write(`${END}\n`); }
  };
  const app = new App({ outdir: os.tmpdir() });
  P.buildCdk8sPlatform(app, Number(teams), layout);
  app.synthYaml();
  process.exit(0);
}

const args = process.argv.slice(2);
const opt = (name, dflt) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const [teams = '1000', layout = 'one-chart', tree = 'bench/.out'] = args.filter((a) => !a.startsWith('--'));
const top = Number(opt('top', '40'));
let root = tree;
if (args.includes('--name-runs')) {
  root = path.join('.scratch', 'check-trace');
  fs.rmSync(root, { recursive: true, force: true });
  fs.cpSync(tree, root, { recursive: true });
  const dir = path.join(root, 'src/analysis/analyzers');
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.js'))) {
    const base = f.slice(0, -3).replace(/-/g, '_');
    const lines = fs.readFileSync(path.join(dir, f), 'utf8').split('\n');
    const named = lines.map((l, i) => (/^ {4}run\(ctx\) \{/.test(l) ? l.replace('run(ctx) {', `run: function run_${base}_${i + 1}(ctx) {`) : l));
    fs.writeFileSync(path.join(dir, f), named.join('\n'));
  }
}
const flags = ['--trace-opt', '--trace-deopt', '--trace-gc', ...opt('node', '').split(',').filter(Boolean)];
const { spawnSync } = require('child_process');
const r = spawnSync(process.execPath, [...flags, __filename, '--child', teams, layout, root], { encoding: 'utf8', maxBuffer: 1 << 30 });
if (r.status !== 0) throw new Error(`child failed: ${r.stderr.slice(-2000)}`);
const lines = r.stdout.split('\n');
const from = lines.indexOf(START);
const to = lines.indexOf(END);
if (from < 0 || to < 0) throw new Error('no check markers in the child output');
const byFn = new Map();
let jobs = 0;
let compileMs = 0;
let wasted = 0;
const events = [];
const fnName = (l) => (/<JSFunction ([^ >]*) ?\(sfi/.exec(l)?.[1] || '(anonymous)');
for (const l of lines.slice(from + 1, to)) {
  const done = /^\[completed compiling .*?(OSR)? - took [\d.]+, ([\d.]+), [\d.]+ ms\]/.exec(l);
  const aborted = /^\[aborted optimizing .*? because: (.*?) - took [\d.]+, ([\d.]+), [\d.]+ ms\]/.exec(l);
  if (done || aborted) {
    const key = `${fnName(l)}${/ OSR /.test(l) ? ' OSR' : ''}${aborted ? ' (aborted)' : ''}`;
    const ms = Number((done ?? aborted)[2]);
    jobs++;
    compileMs += ms;
    if (aborted) { wasted += ms; events.push(`aborted ${key}: ${aborted[1]} (${ms} ms)`); }
    const e = byFn.get(key) ?? { jobs: 0, ms: 0 };
    e.jobs++;
    e.ms += ms;
    byFn.set(key, e);
  } else if (/^\[bailout \(kind: ([^,]*), reason: ([^)]*)\)/.test(l)) {
    const m = /^\[bailout \(kind: ([^,]*), reason: ([^)]*)\)/.exec(l);
    events.push(`deopt ${fnName(l)}: ${m[1]}, ${m[2]}`);
  } else if (/^\[marking dependent code/.test(l)) {
    events.push(`dropped ${/SharedFunctionInfo ([^>]*)>/.exec(l)?.[1] || '(anonymous)'}: code dependencies`);
  } else if (/: (Scavenge|Mark-Compact|Mark-sweep)/.test(l)) {
    events.push(`gc ${l.replace(/^\[[^\]]*\]\s*/, '').slice(0, 90)}`);
  }
}
console.log(`synth check, ${layout} N=${teams}, tree ${tree}, node ${flags.join(' ')}`);
console.log(`TurboFan jobs in the check: ${jobs}, compile phase ${compileMs.toFixed(0)} ms (wall on the compiling thread), of it aborted ${wasted.toFixed(0)} ms`);
console.log('by function (ms, jobs):');
for (const [k, e] of [...byFn].sort((a, b) => b[1].ms - a[1].ms).slice(0, top)) console.log(`  ${e.ms.toFixed(1).padStart(7)} ${String(e.jobs).padStart(2)}  ${k}`);
console.log('deoptimizations, dropped code, aborted compiles and GCs, in order:');
for (const e of events) console.log(`  ${e}`);
