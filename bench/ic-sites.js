// Which property reads and writes of a process met many hidden classes: a summary of V8's inline
// cache log by site. Not part of `npm run bench`. A site that sees a new hidden class at every
// call (an object made by a spread and then given more properties, say) goes to the runtime at
// every call, in every tier; a CPU profile shows that only as a slow function, this shows why.
//
//   node --log-ic --logfile=/tmp/ic.log bench/fresh-ratio.js --child ours 300 gateway-api bench/.out buildonly
//   node bench/ic-sites.js /tmp/ic.log [--all] [--min=10]
//
// (V8 may name the file isolate-<address>-<pid>-ic.log.) Prints, per site (file, function, line,
// kind of access, property), the number of log events and of distinct hidden classes, most
// classes first, then the number of megamorphic misses (N→N) per file. Sites in our src/ and
// bench/ only, unless --all. Keep N small (300 teams): the log grows with every miss.
'use strict';
const fs = require('fs');
const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
if (!file) throw new Error('usage: node bench/ic-sites.js IC_LOG [--all] [--min=N]');
const all = args.includes('--all');
const min = Number((args.find((a) => a.startsWith('--min=')) ?? '--min=10').slice(6));
const lines = fs.readFileSync(file, 'utf8').split('\n');

// Code objects by address, to name the function an event's pc is in.
const codes = [];
for (const l of lines) {
  if (!l.startsWith('code-creation,')) continue;
  const f = l.split(',');
  codes.push({ start: parseInt(f[4], 16), size: Number(f[5]), name: f.slice(6).join(',') });
}
codes.sort((a, b) => a.start - b.start);
function codeAt(pc) {
  let lo = 0, hi = codes.length - 1, best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (codes[mid].start <= pc) { best = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return best >= 0 && pc < codes[best].start + codes[best].size ? codes[best].name : '';
}

// Event lines: type, pc, time, line, column, old state, new state, map, key, ...
const sites = new Map();
const missesByFile = new Map();
for (const l of lines) {
  if (!/^(LoadIC|KeyedLoadIC|StoreIC|KeyedStoreIC),/.test(l)) continue;
  const f = l.split(',');
  const code = codeAt(parseInt(f[1], 16));
  const where = /(node_modules\/(?:@[^/]+\/)?[^/:]+\/[^:]*|\bsrc\/[^:]*|\bbench\/[^:]*)/.exec(code)?.[1] ?? '(unknown)';
  if (!all && (where.includes('node_modules') || where === '(unknown)')) continue;
  const fn = /([\w<>$.]+) \//.exec(code)?.[1] ?? '(anonymous)';
  const key = `${where.replace(/^bench\/\.out\//, '')} ${fn} line ${f[3]} ${f[0]} .${f[8]}`;
  let s = sites.get(key);
  if (!s) sites.set(key, s = { events: 0, maps: new Set() });
  s.events++;
  s.maps.add(f[7]);
  if (f[5] === 'N' && f[6] === 'N') missesByFile.set(where, (missesByFile.get(where) ?? 0) + 1);
}
const rows = [...sites].filter(([, s]) => s.maps.size >= min).sort((a, b) => b[1].maps.size - a[1].maps.size || b[1].events - a[1].events);
console.log(`sites with at least ${min} hidden classes: ${rows.length}`);
for (const [key, s] of rows.slice(0, 40)) console.log(`${String(s.maps.size).padStart(6)} classes ${String(s.events).padStart(7)} events  ${key}`);
console.log('megamorphic misses (N→N) by file:');
for (const [where, n] of [...missesByFile].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${String(n).padStart(8)}  ${where}`);
