#!/usr/bin/env node
// A lower bound for any construct library of this shape, on the checker's shared-IngressGateway platform
// (bench/synth-checker.js `shared`): per team the same two objects, each made by a plain cdk8s ApiObject whose
// props are written out from the team's values at construction (no prop checks, no models, no synth check),
// either under a Construct of its own per object as a library's constructs put them ("lean": the tree ours
// builds, minus our code) or straight in the chart ("flat"). Fresh processes, alternating with ours (the
// package by name, analyzer on and off) and the floor (the same objects parsed from JSON before the clock),
// as synth-checker.js `fresh` runs them; every side's YAML must be the same. Not part of `npm run bench`;
// run after `npm run build`:
//   node bench/lean-bound.js [TEAMS=1000] [RUNS=8]
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { spawnSync } = require('child_process');
const { median } = require('./measure');

const CHECKER = path.join(__dirname, 'synth-checker.js');
const SCRATCH = path.resolve(__dirname, '..', '.scratch', 'checker');

const teamName = (i) => `team-${String(i).padStart(4, '0')}`;

/** One fresh synthesis of the lean or flat side; prints what synth-checker.js's child prints. */
function leanChild(side, teams) {
  const now = () => { const c = process.cpuUsage(); return { wall: performance.now(), cpu: (c.user + c.system) / 1000 }; };
  const t0 = now();
  const cdk8s = require('cdk8s');
  const { Construct } = require('constructs');
  const app = new cdk8s.App({ outdir: path.join(SCRATCH, 'out', `lean-${process.pid}`) });
  const chart = new cdk8s.Chart(app, 'platform');
  const flat = side === 'flat';
  for (let i = 0; i < teams; i++) {
    const t = teamName(i);
    const labels = { 'app.kubernetes.io/managed-by': 'istio-gateway-constructs' };
    new cdk8s.ApiObject(flat ? chart : new Construct(chart, `${t}-gateway`), flat ? `${t}-gateway` : 'Gateway', {
      apiVersion: 'networking.istio.io/v1', kind: 'Gateway',
      metadata: { labels, name: `${t}-gateway`, namespace: t },
      spec: { selector: { istio: 'ingressgateway' }, servers: [{ hosts: [`${t}.example.com`], port: { name: 'http-80', number: 80, protocol: 'HTTP' } }] },
    });
    new cdk8s.ApiObject(flat ? chart : new Construct(chart, `${t}-app`), flat ? `${t}-app` : 'VirtualService', {
      apiVersion: 'networking.istio.io/v1', kind: 'VirtualService',
      metadata: { labels: { ...labels }, name: `${t}-app`, namespace: t },
      spec: {
        gateways: [`${t}/${t}-gateway`], hosts: [`${t}.example.com`],
        http: [{
          match: [{ uri: { exact: `/${t}` } }, { uri: { prefix: `/static/${t}` } }], name: 'forward',
          retries: { attempts: 1 + (i % 5), perTryTimeout: '2s' },
          route: [{ destination: { host: `${t}-productpage`, port: { number: 9080 } } }], timeout: `${5 + (i % 20)}s`,
        }],
      },
    });
  }
  const t1 = now();
  const yaml = app.synthYaml();
  const t2 = now();
  const ru = process.resourceUsage();
  process.stdout.write(JSON.stringify({
    build: t1.wall - t0.wall, synth: t2.wall - t1.wall, wall: t2.wall - t0.wall, cpu: t2.cpu - t0.cpu,
    processCpu: (ru.userCPUTime + ru.systemCPUTime) / 1000,
    sha: crypto.createHash('sha256').update(yaml).digest('hex'), objects: (yaml.match(/^kind: /gm) || []).length,
  }) + '\n');
}

function run(args) {
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

function main() {
  const [teamsArg, runsArg] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const teams = Number(teamsArg ?? 1000);
  const runs = Number(runsArg ?? 8);
  const floorFile = require('./synth-checker').floorFileOf('shared', teams); // required here: the lean children need none of it
  const sides = {
    ours: [CHECKER, '--child', 'ours', 'shared', String(teams), '--synth=yaml'],
    'ours, analyzer off': [CHECKER, '--child', 'ours', 'shared', String(teams), '--synth=yaml', '--analysis=off'],
    lean: [__filename, '--child', 'lean', String(teams)],
    flat: [__filename, '--child', 'flat', String(teams)],
    floor: [CHECKER, '--child', 'floor', 'shared', String(teams), '--synth=yaml', `--floor=${floorFile}`],
  };
  const names = Object.keys(sides);
  const out = Object.fromEntries(names.map((n) => [n, []]));
  for (const n of names) run(sides[n]); // one of each first: file caches
  for (let r = 0; r < runs; r++) {
    const order = r % 2 === 0 ? names : names.slice().reverse();
    for (const n of order) out[n].push(run(sides[n]));
  }
  const shas = new Set(names.flatMap((n) => out[n].map((s) => s.sha)));
  if (shas.size !== 1) { console.error(`lean-bound: YAML differs between sides (${[...shas].join(' ')})`); process.exit(2); }
  const floor = out.floor;
  const load = fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(`shared ${teams} teams (${floor[0].objects} objects), ${runs} runs a side, fresh; load ${load}`);
  for (const n of names) {
    const s = out[n];
    const m = (k) => median(s.map((x) => x[k]));
    const pairs = median(s.map((x, i) => x.wall / floor[i].wall));
    console.log(`  ${n.padEnd(18)} wall ${m('wall').toFixed(1).padStart(7)} ms = ${(m('wall') / median(floor.map((x) => x.wall))).toFixed(3)} of the floor (pairs ${pairs.toFixed(3)}); ` +
      `CPU ${(m('cpu') / median(floor.map((x) => x.cpu))).toFixed(3)}; build ${m('build').toFixed(1)}, synth ${m('synth').toFixed(1)} ms wall`);
  }
}

if (process.argv[2] === '--child') leanChild(process.argv[3], Number(process.argv[4]));
else main();
