// Summarizes a .cpuprofile: self time by function and by source area, and the inclusive time
// of the functions named on the command line. `node bench/profile-summary.js FILE [fn ...]`
// `--under=fn`: only samples inside fn. `--children=fn`: the inclusive time of each function that fn
// calls directly (e.g. `--children=check` splits the synth check, `--children=analyze` by analyzer).
'use strict';
const fs = require('fs');
const args = process.argv.slice(2);
const under = args.find((a) => a.startsWith('--under='))?.slice('--under='.length);
const children = args.find((a) => a.startsWith('--children='))?.slice('--children='.length);
const [file, ...wanted] = args.filter((a) => !a.startsWith('--under=') && !a.startsWith('--children='));
const prof = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map();
const dt = prof.timeDeltas;
// With --under=fn, only samples whose stack contains fn count.
const inScope = (id) => {
  if (!under) return true;
  for (let n = id; n !== undefined; n = parent.get(n)) if (byId.get(n).callFrame.functionName === under) return true;
  return false;
};
for (let i = 0; i < prof.samples.length; i++) {
  if (inScope(prof.samples[i])) self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + (dt[i] ?? 0) / 1000);
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
const area = (url) => {
  if (!url) return '(native/gc)';
  const m = url.match(/node_modules\/((@[^/]+\/)?[^/]+)/);
  if (m) return m[1];
  const s = url.match(/\/(src|bench)\/(.*)$/);
  return s ? `${s[1]}/${s[2]}` : url.replace(/^.*\//, '');
};
const key = (n) => `${n.callFrame.functionName || '(anon)'} ${area(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
const fnSelf = new Map(); const areaSelf = new Map();
for (const [id, ms] of self) {
  const n = byId.get(id);
  fnSelf.set(key(n), (fnSelf.get(key(n)) ?? 0) + ms);
  const a = area(n.callFrame.url);
  areaSelf.set(a, (areaSelf.get(a) ?? 0) + ms);
}
const top = (m, k) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k);
console.log(`total ${total.toFixed(0)} ms`);
console.log('\nself time by area:');
for (const [a, ms] of top(areaSelf, 15)) console.log(`  ${ms.toFixed(0).padStart(7)} ms ${(100 * ms / total).toFixed(1).padStart(5)}%  ${a}`);
console.log('\nself time by function:');
for (const [f, ms] of top(fnSelf, 30)) console.log(`  ${ms.toFixed(0).padStart(7)} ms ${(100 * ms / total).toFixed(1).padStart(5)}%  ${f}`);
// inclusive time of named functions (counted once per sample even when recursive)
if (wanted.length) {
  console.log('\ninclusive:');
  const incl = new Map(wanted.map((w) => [w, 0]));
  for (let i = 0; i < prof.samples.length; i++) {
    const seen = new Set();
    for (let id = prof.samples[i]; id !== undefined; id = parent.get(id)) {
      const fn = byId.get(id).callFrame.functionName;
      if (incl.has(fn) && !seen.has(fn)) { seen.add(fn); incl.set(fn, incl.get(fn) + (dt[i] ?? 0) / 1000); }
    }
  }
  for (const [f, ms] of incl) console.log(`  ${ms.toFixed(0).padStart(7)} ms ${(100 * ms / total).toFixed(1).padStart(5)}%  ${f}`);
}
// inclusive time of each direct callee of `--children=fn` (the innermost fn frame on the stack)
if (children) {
  const incl = new Map();
  let whole = 0;
  for (let i = 0; i < prof.samples.length; i++) {
    let child;
    for (let id = prof.samples[i]; id !== undefined; id = parent.get(id)) {
      const n = byId.get(id);
      if (n.callFrame.functionName === children) {
        const ms = (dt[i] ?? 0) / 1000;
        whole += ms;
        const k = child === undefined ? '(self)' : key(byId.get(child));
        incl.set(k, (incl.get(k) ?? 0) + ms);
        break;
      }
      child = id;
    }
  }
  console.log(`\ninside ${children} (${whole.toFixed(0)} ms), by direct callee:`);
  for (const [f, ms] of top(incl, 40)) console.log(`  ${ms.toFixed(0).padStart(7)} ms ${(100 * ms / whole).toFixed(1).padStart(5)}%  ${f}`);
}
