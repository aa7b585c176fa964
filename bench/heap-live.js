#!/usr/bin/env node
// What stays alive after building (and after synthesizing) one of bench/synth-checker.js's platforms, and what
// holds it: a heap snapshot (v8.writeHeapSnapshot) taken in a fresh process after a forced GC, parsed here, with
// each object's retained size from the dominator tree.
//
// Usage (after `npm run build`):
//   node bench/heap-live.js PLATFORM TEAMS [--side=ours|floor] [--pkg=DIR] [--after=build|synth]
//                           [--top=25] [--keep=FILE] [--json=FILE] [--holds=Class,...]
//                           [--tree=Class[:DEPTH]]
//   node bench/heap-live.js --read=FILE.heapsnapshot [--teams=N] [--top=25]     a snapshot taken before
// PLATFORM is one of synth-checker.js's (every, gateway-api, shared, quickstart, payments, chart-per-team).
// --side=floor builds the floor (the same objects as plain ApiObjects, read from JSON first, as the checker's
// floor does; the parsed JSON is dropped before the snapshot, so only what the ApiObjects keep stays).
// --after=synth synthesizes first (app.synthYaml(), the YAML string dropped) and keeps the App.
//
// Printed, per team (divided by TEAMS): the live heap; retained size and count per construct class (cdk8s's
// Construct subclasses, ours and cdk8s's own); for each class of ours, its retained bytes by the property that
// holds them (the first edge from the construct, with what it points to); and self size by object kind over the
// whole heap (type and constructor name), to see strings, arrays, Maps and closures kept.
'use strict';
const fs = require('fs');
const path = require('path');
const v8 = require('v8');
const { spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, '.scratch', 'heap');

function opt(name, dflt) {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  if (a) return a.slice(name.length + 3);
  return process.argv.includes(`--${name}`) ? true : dflt;
}
const positional = process.argv.slice(2).filter((x) => !x.startsWith('--'));

// ------------------------------------------------------------------ the child: build, GC, snapshot

function child() {
  const [platform, nStr] = positional;
  const n = Number(nStr);
  const side = opt('side', 'ours');
  const checker = require('./synth-checker.js');
  const pkg = path.resolve(opt('pkg', ROOT));
  let app;
  let cdk8s;
  if (side === 'floor') {
    let charts = JSON.parse(fs.readFileSync(opt('floor'), 'utf8'));
    cdk8s = checker.scratchRequire(pkg, 'floor')('cdk8s');
    app = new cdk8s.App();
    for (const c of charts) {
      const chart = new cdk8s.Chart(app, c.id);
      for (let k = 0; k < c.objects.length; k++) new cdk8s.ApiObject(chart, `o${k}`, c.objects[k]);
    }
    charts = undefined;
  } else {
    const ours = checker.loadOurs(pkg, undefined, 'ours');
    cdk8s = ours.cdk8s;
    app = new cdk8s.App();
    checker.PLATFORMS[platform](ours.P, cdk8s, app, n);
  }
  if (opt('after', 'build') === 'synth') app.synthYaml(); // the YAML string dropped, the App kept
  global.gc();
  global.gc();
  const used = process.memoryUsage().heapUsed;
  fs.mkdirSync(OUT, { recursive: true });
  const file = opt('keep', path.join(OUT, `${platform}-${n}-${side}-${opt('after', 'build')}-${process.pid}.heapsnapshot`));
  v8.writeHeapSnapshot(file);
  // `app` read after the snapshot, so that nothing could have let it go before
  process.stdout.write(JSON.stringify({ file, heapUsed: used, constructs: app.node.findAll().length }) + '\n');
}

// ------------------------------------------------------------------ reading a snapshot

/** The snapshot's number arrays are read by scanning, not JSON.parse: a large App's file passes V8's string limit. */
function readSnapshot(file) {
  const buf = fs.readFileSync(file);
  const find = (s, from) => { const i = buf.indexOf(s, from, 'latin1'); if (i < 0) throw new Error(`${file}: no ${s}`); return i; };
  const metaStart = find('"snapshot":');
  const nodesAt = find('"nodes":[', metaStart);
  const head = JSON.parse('{' + buf.toString('utf8', metaStart, nodesAt).replace(/,\s*$/, '') + '}');
  const numbers = (at) => {
    const out = [];
    let i = buf.indexOf(0x5b, at) + 1; // '['
    let v = 0; let inNum = false;
    for (;; i++) {
      const c = buf[i];
      if (c >= 48 && c <= 57) { v = v * 10 + (c - 48); inNum = true; continue; }
      if (inNum) { out.push(v); v = 0; inNum = false; }
      if (c === 0x5d) break; // ']'
    }
    return { values: Uint32Array.from(out), end: i };
  };
  const nodes = numbers(nodesAt);
  const edges = numbers(find('"edges":[', nodes.end));
  const stringsAt = find('"strings":[', edges.end) + '"strings":'.length;
  const last = buf.lastIndexOf(0x5d); // the strings array's ']' (the file ends with ']}')
  const strings = JSON.parse(buf.toString('utf8', stringsAt, last + 1));
  return { meta: head.snapshot.meta, nodes: nodes.values, edges: edges.values, strings };
}

function analyze(snap, teams, top) {
  const { meta, nodes, edges, strings } = snap;
  const NF = meta.node_fields.length; const EF = meta.edge_fields.length;
  const nType = meta.node_fields.indexOf('type'); const nName = meta.node_fields.indexOf('name');
  const nSize = meta.node_fields.indexOf('self_size'); const nEdges = meta.node_fields.indexOf('edge_count');
  const eType = meta.edge_fields.indexOf('type'); const eName = meta.edge_fields.indexOf('name_or_index');
  const eTo = meta.edge_fields.indexOf('to_node');
  const nodeTypes = meta.node_types[nType]; const edgeTypes = meta.edge_types[eType];
  const WEAK = edgeTypes.indexOf('weak'); const SHORTCUT = edgeTypes.indexOf('shortcut');
  const ELEMENT = edgeTypes.indexOf('element'); const HIDDEN = edgeTypes.indexOf('hidden');
  const N = nodes.length / NF;
  const firstEdge = new Uint32Array(N + 1);
  for (let i = 0, e = 0; i < N; i++) { firstEdge[i] = e; e += nodes[i * NF + nEdges] * EF; firstEdge[i + 1] = e; }
  const typeOf = (i) => nodeTypes[nodes[i * NF + nType]];
  const nameOf = (i) => strings[nodes[i * NF + nName]];
  const sizeOf = (i) => nodes[i * NF + nSize];
  const edgeLabel = (e) => {
    const t = edges[e + eType]; const v = edges[e + eName];
    return t === ELEMENT || t === HIDDEN ? `[${v}]` : String(strings[v]);
  };
  const strong = (e) => { const t = edges[e + eType]; return t !== WEAK && t !== SHORTCUT; };

  // reverse post-order from the root (node 0), iteratively
  const order = new Int32Array(N).fill(-1); // node -> its RPO number
  const post = new Uint32Array(N); let count = 0;
  const stackN = new Uint32Array(N); const stackE = new Uint32Array(N); let sp = 0;
  const seen = new Uint8Array(N);
  stackN[0] = 0; stackE[0] = firstEdge[0]; seen[0] = 1; sp = 1;
  while (sp > 0) {
    const v = stackN[sp - 1]; let e = stackE[sp - 1];
    let pushed = false;
    for (; e < firstEdge[v + 1]; e += EF) {
      if (!strong(e)) continue;
      const w = edges[e + eTo] / NF;
      if (seen[w]) continue;
      seen[w] = 1; stackE[sp - 1] = e + EF; stackN[sp] = w; stackE[sp] = firstEdge[w]; sp++; pushed = true; break;
    }
    if (!pushed) { post[count++] = v; sp--; }
  }
  const rpo = new Uint32Array(count);
  for (let k = 0; k < count; k++) { rpo[k] = post[count - 1 - k]; order[rpo[k]] = k; }
  // predecessors (strong edges, reachable nodes only)
  const predCount = new Uint32Array(N + 1);
  for (let v = 0; v < N; v++) {
    if (order[v] < 0) continue;
    for (let e = firstEdge[v]; e < firstEdge[v + 1]; e += EF) if (strong(e)) predCount[edges[e + eTo] / NF + 1]++;
  }
  for (let v = 0; v < N; v++) predCount[v + 1] += predCount[v];
  const preds = new Uint32Array(predCount[N]); const fill = predCount.slice(0, N);
  for (let v = 0; v < N; v++) {
    if (order[v] < 0) continue;
    for (let e = firstEdge[v]; e < firstEdge[v + 1]; e += EF) if (strong(e)) { const w = edges[e + eTo] / NF; preds[fill[w]++] = v; }
  }
  // Cooper, Harvey and Kennedy's iterative dominators, on RPO numbers
  const idom = new Int32Array(count).fill(-1); idom[0] = 0;
  for (let changed = true; changed;) {
    changed = false;
    for (let k = 1; k < count; k++) {
      const v = rpo[k]; let d = -1;
      for (let p = predCount[v]; p < predCount[v + 1]; p++) {
        let a = order[preds[p]];
        if (a < 0 || idom[a] < 0) continue;
        if (d < 0) { d = a; continue; }
        let b = d;
        while (a !== b) { while (a > b) a = idom[a]; while (b > a) b = idom[b]; }
        d = a;
      }
      if (d >= 0 && idom[k] !== d) { idom[k] = d; changed = true; }
    }
  }
  const retained = new Float64Array(count);
  for (let k = 0; k < count; k++) retained[k] = sizeOf(rpo[k]);
  for (let k = count - 1; k > 0; k--) retained[idom[k]] += retained[k];

  // constructs: objects with a property `node` pointing to a constructs `Node`
  const isConstruct = new Uint8Array(count);
  for (let k = 0; k < count; k++) {
    const v = rpo[k];
    if (typeOf(v) !== 'object') continue;
    for (let e = firstEdge[v]; e < firstEdge[v + 1]; e += EF) {
      if (edgeTypes[edges[e + eType]] === 'property' && strings[edges[e + eName]] === 'node' && nameOf(edges[e + eTo] / NF) === 'Node') { isConstruct[k] = 1; break; }
    }
  }
  const per = (x) => x / teams;
  const kb = (x) => (x / 1024).toFixed(1);
  let total = 0; for (let k = 0; k < count; k++) total += sizeOf(rpo[k]);
  console.log(`live heap (reachable, self sizes): ${(total / 1048576).toFixed(1)} MB; per team ${kb(per(total))} KB; ${count} objects`);

  // per construct class: count, retained (each construct's own dominated subgraph)
  const byClass = new Map();
  for (let k = 0; k < count; k++) {
    if (!isConstruct[k]) continue;
    const c = nameOf(rpo[k]);
    const r = byClass.get(c) || { n: 0, retained: 0, props: new Map() };
    r.n++; r.retained += retained[k];
    const v = rpo[k];
    for (let e = firstEdge[v]; e < firstEdge[v + 1]; e += EF) {
      if (!strong(e)) continue;
      const wk = order[edges[e + eTo] / NF];
      if (wk < 0 || idom[wk] !== k) continue; // held by others too: not this construct's alone
      const w = rpo[wk];
      const key = `${edgeLabel(e)} -> ${typeOf(w)} ${nameOf(w).slice(0, 40)}`;
      r.props.set(key, (r.props.get(key) || 0) + retained[wk]);
    }
    byClass.set(c, r);
  }
  const classes = [...byClass].sort((a, b) => b[1].retained - a[1].retained);
  console.log('\nconstructs by class: count, retained per team KB (retained per construct, bytes)');
  for (const [c, r] of classes) console.log(`  ${c.padEnd(28)} ${String(r.n).padStart(7)}  ${kb(per(r.retained)).padStart(8)} KB/team  ${(r.retained / r.n).toFixed(0).padStart(7)} B each`);
  console.log('\nwhat each class holds alone (first edge from the construct -> what it points to), bytes per construct:');
  for (const [c, r] of classes) {
    if (r.retained / teams < 256) continue;
    console.log(`  ${c}:`);
    const rows = [...r.props].sort((a, b) => b[1] - a[1]).slice(0, 12);
    for (const [k, b] of rows) console.log(`    ${(b / r.n).toFixed(0).padStart(7)} B  ${k}`);
  }
  // --holds=Class,...: the same table for objects of other classes (the state a construct keeps, e.g. AppState)
  const holds = String(opt('holds', '')).split(',').filter(Boolean);
  for (const cls of holds) {
    let n = 0; let sum = 0; const props = new Map();
    for (let k = 0; k < count; k++) {
      const v = rpo[k];
      if (nameOf(v) !== cls || typeOf(v) !== 'object') continue;
      n++; sum += retained[k];
      for (let e = firstEdge[v]; e < firstEdge[v + 1]; e += EF) {
        if (!strong(e)) continue;
        const wk = order[edges[e + eTo] / NF];
        if (wk < 0 || idom[wk] !== k) continue;
        const w = rpo[wk];
        const key = `${edgeLabel(e)} -> ${typeOf(w)} ${nameOf(w).slice(0, 40)}`;
        props.set(key, (props.get(key) || 0) + retained[wk]);
      }
    }
    console.log(`\n${cls}: ${n} objects, retained ${kb(per(sum))} KB per team; what it holds alone, bytes per object:`);
    for (const [k, b] of [...props].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`    ${(b / Math.max(n, 1)).toFixed(0).padStart(9)} B  ${k}`);
  }
  // --tree=Class[:depth]: the dominator subtree of one object of that class (the 11th found, past the
  // first teams), each child with its retained bytes, to see which fields and closures hold what
  const tree = opt('tree', undefined);
  if (tree) {
    const [cls, depthStr] = String(tree).split(':');
    const depth = Number(depthStr || 4);
    const kids = new Map();
    for (let k = 1; k < count; k++) { const d = idom[k]; if (!kids.has(d)) kids.set(d, []); kids.get(d).push(k); }
    let found = 0; let root = -1;
    for (let k = 0; k < count && root < 0; k++) if (nameOf(rpo[k]) === cls && typeOf(rpo[k]) === 'object' && ++found === 11) root = k;
    const labelOf = (parent, k) => {
      const v = rpo[parent]; const w = rpo[k];
      for (let e = firstEdge[v]; e < firstEdge[v + 1]; e += EF) if (edges[e + eTo] / NF === w) return edgeLabel(e);
      return '(via another)';
    };
    const show = (k, d, label) => {
      const v = rpo[k];
      console.log(`${'  '.repeat(d + 1)}${String(retained[k]).padStart(6)} B  ${label}: ${typeOf(v)} ${nameOf(v).slice(0, 60).replace(/\n/g, ' ')}`);
      if (d >= depth) return;
      for (const c of (kids.get(k) || []).sort((a, b) => retained[b] - retained[a])) if (retained[c] >= 24) show(c, d + 1, labelOf(k, c));
    };
    if (root >= 0) { console.log(`\n${cls}, one object's dominator tree (bytes retained):`); show(root, 0, cls); }
  }
  // self size by kind, grouped by the nearest dominating construct's class ("owner")
  const owner = new Int32Array(count).fill(-1);
  for (let k = 1; k < count; k++) owner[k] = isConstruct[k] ? k : owner[idom[k]] >= 0 ? owner[idom[k]] : -1;
  const kinds = new Map();
  for (let k = 0; k < count; k++) {
    const v = rpo[k]; const t = typeOf(v);
    const name = t === 'object' || t === 'closure' || t === 'native' ? nameOf(v).slice(0, 40) : '';
    const o = owner[k] >= 0 && owner[k] !== k ? nameOf(rpo[owner[k]]) : owner[k] === k ? '(the construct itself)' : '(no construct)';
    const key = `${t} ${name}`.trim() + `  | in ${o}`;
    const r = kinds.get(key) || { n: 0, size: 0 };
    r.n++; r.size += sizeOf(v); kinds.set(key, r);
  }
  console.log(`\nself size by kind and owning construct class, top ${top}, per team:`);
  for (const [k, r] of [...kinds].sort((a, b) => b[1].size - a[1].size).slice(0, top)) {
    console.log(`  ${kb(per(r.size)).padStart(8)} KB  ${per(r.n).toFixed(1).padStart(7)} objs  ${k}`);
  }
  return { total, count, classes: Object.fromEntries(classes.map(([c, r]) => [c, { n: r.n, retained: r.retained }])) };
}

// ------------------------------------------------------------------ the parent

function main() {
  if (process.argv.includes('--child')) return child();
  const top = Number(opt('top', 25));
  let file = opt('read', undefined);
  let teams = Number(opt('teams', 1));
  if (!file) {
    const [platform, nStr] = positional;
    teams = Number(nStr);
    const side = opt('side', 'ours');
    const args = [__filename, '--child', platform, nStr, `--side=${side}`, `--after=${opt('after', 'build')}`];
    if (opt('pkg', undefined)) args.push(`--pkg=${path.resolve(opt('pkg'))}`);
    if (opt('keep', undefined)) args.push(`--keep=${path.resolve(opt('keep'))}`);
    if (side === 'floor') {
      const checker = require('./synth-checker.js');
      const ours = checker.loadOurs(path.resolve(opt('pkg', ROOT)), undefined, 'ours');
      const f = path.join(OUT, `floor-${platform}-${teams}.json`);
      fs.mkdirSync(OUT, { recursive: true });
      fs.writeFileSync(f, JSON.stringify(checker.floorCharts(ours, platform, teams)));
      args.push(`--floor=${f}`);
    }
    const r = spawnSync(process.execPath, ['--expose-gc', ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (r.status !== 0) { console.error(r.stderr); process.exit(1); }
    const out = JSON.parse(r.stdout.trim().split('\n').pop());
    file = out.file;
    console.log(`${platform} ${teams} teams, ${side}, after ${opt('after', 'build')}: heapUsed ${(out.heapUsed / 1048576).toFixed(1)} MB (${(out.heapUsed / teams / 1024).toFixed(1)} KB a team), ${out.constructs} constructs; ${file}`);
  }
  const res = analyze(readSnapshot(file), teams, top);
  if (opt('json', undefined)) fs.writeFileSync(opt('json'), JSON.stringify(res, null, 1));
  if (!opt('keep', undefined) && !opt('read', undefined)) fs.unlinkSync(file);
}

main();
