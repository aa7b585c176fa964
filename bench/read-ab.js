// A/B of two builds of the CLI on one input, in fresh processes, alternating (before, after, before,
// ...): CPU time (user + system, all threads) and wall time from /usr/bin/time, and a check that both
// print byte-identical output with the same exit code. For the reading work of issue 16.
//   node bench/read-ab.js BEFORE/lib/src/cli/main.js AFTER/lib/src/cli/main.js FILE [--runs=5] [--cmd=analyze] [--args="-o json"]
'use strict';
const { spawnSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { median } = require('./measure');

const args = process.argv.slice(2);
const opt = (name, dflt) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const [before, after, file] = args.filter((a) => !a.startsWith('--'));
const runs = Number(opt('runs', '5'));
const cmd = opt('cmd', 'analyze');
const extra = opt('args', '-o json').split(' ').filter(Boolean);
const out = path.join(os.tmpdir(), `read-ab-${process.pid}.out`);

function run(main) {
  const fd = fs.openSync(out, 'w');
  const r = spawnSync('/usr/bin/time', ['-f', '@@%e %U %S %M', process.execPath, main, cmd, ...extra, file], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
  fs.closeSync(fd);
  const m = /@@([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr);
  if (!m) throw new Error(`no timing: ${r.stderr.slice(-300)}`);
  const hash = crypto.createHash('sha256').update(fs.readFileSync(out)).digest('hex');
  return { wall: Number(m[1]), cpu: Number(m[2]) + Number(m[3]), rss: Math.round(Number(m[4]) / 1024), code: /exited with non-zero status (\d+)/.exec(r.stderr)?.[1] ?? '0', hash };
}

const a = [];
const b = [];
for (let i = 0; i < runs; i++) {
  a.push(run(before));
  b.push(run(after));
  if (a[i].hash !== b[i].hash || a[i].code !== b[i].code) throw new Error(`run ${i + 1}: outputs differ (exit ${a[i].code} vs ${b[i].code})`);
  process.stdout.write(`run ${i + 1}: before ${a[i].cpu.toFixed(2)} s cpu ${a[i].wall} s wall ${a[i].rss} MiB; after ${b[i].cpu.toFixed(2)} s cpu ${b[i].wall} s wall ${b[i].rss} MiB\n`);
}
fs.rmSync(out, { force: true });
const ratio = (k) => median(b.map((x, i) => x[k] / a[i][k])).toFixed(3);
process.stdout.write(`${cmd} ${path.basename(file)}: cpu ${median(a.map((x) => x.cpu)).toFixed(2)} -> ${median(b.map((x) => x.cpu)).toFixed(2)} s (after/before ${ratio('cpu')}), `
  + `wall ${median(a.map((x) => x.wall))} -> ${median(b.map((x) => x.wall))} s (${ratio('wall')}), peak ${Math.max(...a.map((x) => x.rss))} -> ${Math.max(...b.map((x) => x.rss))} MiB; output identical\n`);
