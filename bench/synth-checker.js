#!/usr/bin/env node
// The synthesis check (issue 16, "How it will be checked"), written from the issue and the public
// docs only, independently of bench/platform.ts: a platform of N teams through the PUBLIC constructs of the
// package as users get it (the built package through its `exports`, required by name from a scratch project
// under .scratch/checker/), against the same objects as plain cdk8s ApiObjects (taken from ours' synthesized
// output) in the same chart layout, built and synthesized the same way (`app.synthYaml()`, or `app.synth()` to a
// scratch folder with --synth=disk). Ours' YAML must equal the floor's, or the run stops.
//
// Platforms (each team gets distinct names, namespaces, hosts, credential names, ports, header values,
// weights, access-log filters and labels):
//   quickstart  the README's quick start per team (TenantGateway, TlsHost SIMPLE + redirect, TlsHost
//               PASSTHROUGH, TcpGateway), every team in one chart
//   every       every public construct per team, one chart: TenantGateway, IngressGateway (+ addHttpHosts),
//               TlsHost SIMPLE (no route, taken by a weighted CanaryRoute), MUTUAL, OPTIONAL_MUTUAL,
//               ISTIO_MUTUAL, PASSTHROUGH, TcpGateway, TcpCanaryRoute, CanaryRoute weighted and in-mesh
//               header-matched, HttpRoute, StrictMtls, AccessLogPolicy with a filter; TrimmedGatewayConfig
//               once, in a chart of its own
//   payments    examples/payments-canary.ts (the README's payments team) per team: TenantGateway, TlsHost, CanaryRoute
//               bound to the gateway with a header match, every team in one chart
//   chart-per-team   the quick start, one chart per team
//   gateway-api the docs' Gateway API example per team (TenantGateway api: 'gateway-api', TlsHost, CanaryRoute
//               header-matched + weighted), one chart
//   shared      the README's IngressGateway section per team: an IngressGateway (istioctl's shared workload) in
//               the team's namespace, addHttpHosts, an HttpRoute with matches/timeout/retries, one chart
//
// Usage (after `npm run build`; or `npm run bench:checker -- ARGS`, which builds first):
//   node bench/synth-checker.js warm  PLATFORM TEAMS [--runs=9] [--warmup=2] [--synth=yaml|disk] [--gc]
//   node bench/synth-checker.js fresh PLATFORM TEAMS [--runs=6] [--synth=yaml|disk] [--analysis=off]
//               (--analysis=off: ours with the synth check's analyzer off, the App-wide rules still run: a bound)
//   node bench/synth-checker.js scale PLATFORM TEAMS [--runs=6]     fresh, 4x TEAMS against 1x, both sides
//   node bench/synth-checker.js all   [TEAMS] [--platforms=a,b] [--no-scale]   every platform, warm + fresh + 4x
//   node bench/synth-checker.js check PLATFORM TEAMS [--runs=6] [--ab=DIR]    the synth check's share, fresh: ours with
//               the analyzer on and off (configureSynthAnalysis(app, { enabled: false })) in alternating processes, or
//               with --ab ours against DIR's, analyzer on; per side the phase marker (SynthCheck.run's CPU, every
//               thread, as a share of synthYaml()'s) and synthYaml()'s CPU; YAML identical checked
// Options: --pkg=DIR   package root to link as istio-gateway-constructs (default: this checkout);
//          --entry=FILE require this file instead of the package name (e.g. bench/.out/src/index.js);
//          --ab=DIR    fresh/warm A/B of ours (this checkout) against ours from DIR (a before tree with lib/),
//                      YAML identical checked; no floor.
// Warm: one process, ours and the floor alternating ABBA, median of --runs after --warmup pairs.
// Fresh: one `node` process per synthesis, sides alternating; the child times from before it loads cdk8s (and
// the package) to the YAML, wall and CPU (process.cpuUsage: every thread); the floor's objects are read from a
// JSON file before its timed region (a checker writes them as literals: no parsing to charge). The child's
// whole-process CPU (bootstrap included) and the parent's wall per spawn are reported beside.
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const os = require('os');
const { spawnSync } = require('child_process');
const Module = require('module');

const ROOT = path.resolve(__dirname, '..');
const SCRATCH = path.join(ROOT, '.scratch', 'checker');

function opt(name, dflt) {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  if (a) return a.slice(name.length + 3);
  return process.argv.includes(`--${name}`) ? true : dflt;
}
const positional = process.argv.slice(2).filter((x) => !x.startsWith('--'));

/** A scratch project whose node_modules holds the package (a symlink to its root) and the checkout's cdk8s/constructs. */
function scratchRequire(pkgRoot, tag) {
  const dir = path.join(SCRATCH, tag);
  const nm = path.join(dir, 'node_modules');
  fs.mkdirSync(nm, { recursive: true });
  const link = (name, target) => {
    const p = path.join(nm, name);
    try { if (fs.readlinkSync(p) === target) return; fs.unlinkSync(p); } catch { /* absent */ }
    fs.symlinkSync(target, p);
  };
  link('istio-gateway-constructs', pkgRoot);
  link('cdk8s', fs.realpathSync(path.join(ROOT, 'node_modules', 'cdk8s')));
  link('constructs', fs.realpathSync(path.join(ROOT, 'node_modules', 'constructs')));
  if (!fs.existsSync(path.join(dir, 'package.json'))) fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"checker","private":true}\n');
  return Module.createRequire(path.join(dir, 'index.js'));
}

function loadOurs(pkgRoot, entry, tag) {
  const req = scratchRequire(pkgRoot, tag);
  const cdk8s = req('cdk8s');
  const P = entry ? require(path.resolve(entry)) : req('istio-gateway-constructs');
  return { cdk8s, P };
}

// ---------------------------------------------------------------- platforms (public API only)

const SAME_FILTER = process.env.CHECKER_FILTER === 'same';

function teamName(i) { return `team-${String(i).padStart(4, '0')}`; }

function quickstartTeam(P, chart, i) {
  const t = teamName(i);
  const gw = new P.TenantGateway(chart, `${t}-gw`, { namespace: t, name: `${t}-gw`, labels: { team: t, 'cost-center': `cc-${i % 97}` } });
  new P.TlsHost(chart, `${t}-shop`, {
    gateway: gw, hosts: [`shop.${t}.example.com`], credentialName: `${t}-shop-cert`,
    destination: { host: `${t}-storefront`, port: 8000 + (i % 1000) },
  });
  new P.TlsHost(chart, `${t}-legacy`, {
    gateway: gw, hosts: [`legacy.${t}.example.com`], mode: P.TlsMode.PASSTHROUGH,
    destination: { host: `${t}-legacy`, port: 8443 },
  });
  new P.TcpGateway(chart, `${t}-ledger`, { gateway: gw, port: 7000 + (i % 2000), destination: { host: `${t}-ledger`, port: 7000 + (i % 2000) } });
}

// examples/payments-canary.ts (README's payments team): a TenantGateway, a TlsHost without a route, a CanaryRoute
// bound to the gateway with a header match
function paymentsTeam(P, chart, i) {
  const t = teamName(i);
  const gw = new P.TenantGateway(chart, `${t}-payments`, { namespace: t, name: `${t}-gw` });
  new P.TlsHost(chart, `${t}-shop`, { gateway: gw, hosts: [`shop.${t}.example.com`], credentialName: `${t}-shop-cert` });
  new P.CanaryRoute(chart, `${t}-checkout`, {
    namespace: t, gateways: [gw], hosts: [`shop.${t}.example.com`], destination: { host: `${t}-checkout`, port: 8080 },
    stable: { subset: 'v1', labels: { version: 'v1' } },
    canary: { subset: 'v2', labels: { version: 'v2' }, weight: i % 101, match: [{ headers: { 'x-canary': { exact: `always-${i}` } } }] },
  });
}

function everyTeam(P, chart, i) {
  const t = teamName(i);
  const gw = new P.TenantGateway(chart, `${t}-gw`, { namespace: t, name: `${t}-gw`, labels: { team: t } });
  new P.TlsHost(chart, `${t}-shop`, { gateway: gw, hosts: [`shop.${t}.example.com`], credentialName: `${t}-shop-cert` });
  new P.CanaryRoute(chart, `${t}-checkout`, {
    namespace: t, gateways: [gw], hosts: [`shop.${t}.example.com`], destination: { host: `${t}-checkout`, port: 8080 },
    stable: { subset: 'v1', labels: { version: 'v1' } },
    canary: { subset: 'v2', labels: { version: 'v2' }, weight: i % 101 },
  });
  new P.TlsHost(chart, `${t}-partner`, {
    gateway: gw, hosts: [`partner.${t}.example.com`], mode: P.TlsMode.MUTUAL, credentialName: `${t}-partner-cert`,
    destination: { host: `${t}-partner-api`, port: 9000 + (i % 500) },
  });
  new P.TlsHost(chart, `${t}-beta`, {
    gateway: gw, hosts: [`beta.${t}.example.com`], mode: P.TlsMode.OPTIONAL_MUTUAL, credentialName: `${t}-beta-cert`,
    destination: { host: `${t}-beta`, port: 8080 },
  });
  new P.TlsHost(chart, `${t}-internal`, {
    gateway: gw, hosts: [`internal.${t}.example.com`], mode: P.TlsMode.ISTIO_MUTUAL,
    destination: { host: `${t}-internal`, port: 8080 },
  });
  new P.TlsHost(chart, `${t}-legacy`, {
    gateway: gw, hosts: [`legacy.${t}.example.com`], mode: P.TlsMode.PASSTHROUGH, destination: { host: `${t}-legacy`, port: 8443 },
  });
  new P.TcpGateway(chart, `${t}-ledger`, { gateway: gw, port: 7000 + (i % 2000), destination: { host: `${t}-ledger`, port: 7000 } });
  new P.TcpCanaryRoute(chart, `${t}-echo`, {
    gateway: gw, port: 31400, destination: { host: `${t}-echo`, port: 9000 },
    stable: { subset: 'v1', labels: { version: 'v1' } },
    canary: { subset: 'v2', labels: { version: 'v2' }, weight: (i * 7) % 101 },
  });
  new P.CanaryRoute(chart, `${t}-reviews`, {
    namespace: t, hosts: [`${t}-reviews`], destination: { host: `${t}-reviews`, port: 9080 },
    stable: { subset: 'v1', labels: { version: 'v1' } },
    canary: { subset: 'v2', labels: { version: 'v2' }, weight: (i * 3) % 101, match: [{ headers: { 'end-user': { exact: `user-${i}` } } }] },
  });
  const shared = new P.IngressGateway(chart, `${t}-public`, { namespace: t, name: `${t}-public` });
  shared.addHttpHosts([`www.${t}.example.com`]);
  new P.HttpRoute(chart, `${t}-www`, {
    namespace: t, hosts: [`www.${t}.example.com`], gateways: [shared], destination: { host: `${t}-web`, port: 8080 },
    match: [{ uri: { prefix: `/${t}` } }], timeout: `${5 + (i % 20)}s`, retries: { attempts: 1 + (i % 5), perTryTimeout: '2s' },
  });
  new P.StrictMtls(chart, `${t}-mtls`, { namespace: t, name: `${t}-api`, selector: { app: `${t}-api` }, portLevel: { [8000 + (i % 1000)]: 'DISABLE' } });
  // CHECKER_FILTER=same: one filter text for every team (as bench/platform.ts has it), to measure what distinct texts cost
  const filter = SAME_FILTER ? "response.code >= 400 && request.headers['x-team'] == 'team'" : `response.code >= ${400 + (i % 100)} && request.headers['x-team'] == '${t}'`;
  new P.AccessLogPolicy(chart, `${t}-logs`, { gateway: gw, filter });
}

function gatewayApiTeam(P, chart, i) {
  const t = teamName(i);
  const gw = new P.TenantGateway(chart, `${t}-gw`, { namespace: t, name: `${t}-gw`, api: 'gateway-api' });
  new P.TlsHost(chart, `${t}-shop`, {
    gateway: gw, hosts: [`shop.${t}.example.com`], credentialName: `${t}-shop-cert`,
    destination: { host: `${t}-storefront`, port: 8080 },
  });
  new P.CanaryRoute(chart, `${t}-reviews`, {
    gateways: [gw], hosts: [`shop.${t}.example.com`], namespace: t,
    match: [{ uri: { prefix: '/reviews' } }],
    destination: { host: `${t}-reviews`, port: 9080 }, destinationSelector: { app: `${t}-reviews` },
    stable: { subset: 'v1', labels: { version: 'v1' } },
    canary: { subset: 'v2', labels: { version: 'v2' }, weight: i % 101, match: [{ headers: { 'end-user': { exact: `user-${i}` } } }] },
  });
}

function sharedTeam(P, chart, i) {
  const t = teamName(i);
  const gw = new P.IngressGateway(chart, `${t}-gateway`, { namespace: t, name: `${t}-gateway` });
  gw.addHttpHosts([`${t}.example.com`]);
  new P.HttpRoute(chart, `${t}-app`, {
    namespace: t, hosts: [`${t}.example.com`], gateways: [gw], destination: { host: `${t}-productpage`, port: 9080 },
    match: [{ uri: { exact: `/${t}` } }, { uri: { prefix: `/static/${t}` } }],
    timeout: `${5 + (i % 20)}s`, retries: { attempts: 1 + (i % 5), perTryTimeout: '2s' },
  });
}

const PLATFORMS = {
  quickstart: (P, cdk8s, app, n) => { const c = new cdk8s.Chart(app, 'platform'); for (let i = 0; i < n; i++) quickstartTeam(P, c, i); },
  every: (P, cdk8s, app, n) => {
    const c = new cdk8s.Chart(app, 'platform');
    for (let i = 0; i < n; i++) everyTeam(P, c, i);
    new P.TrimmedGatewayConfig(new cdk8s.Chart(app, 'control-plane'), 'control-plane');
  },
  payments: (P, cdk8s, app, n) => { const c = new cdk8s.Chart(app, 'platform'); for (let i = 0; i < n; i++) paymentsTeam(P, c, i); },
  'chart-per-team': (P, cdk8s, app, n) => { for (let i = 0; i < n; i++) quickstartTeam(P, new cdk8s.Chart(app, teamName(i)), i); },
  'gateway-api': (P, cdk8s, app, n) => { const c = new cdk8s.Chart(app, 'platform'); for (let i = 0; i < n; i++) gatewayApiTeam(P, c, i); },
  shared: (P, cdk8s, app, n) => { const c = new cdk8s.Chart(app, 'platform'); for (let i = 0; i < n; i++) sharedTeam(P, c, i); },
};

// ---------------------------------------------------------------- one synthesis

function now() { const c = process.cpuUsage(); return { wall: performance.now(), cpu: (c.user + c.system) / 1000 }; }

function synthOf(cdk8s, app, mode, tag) {
  if (mode === 'disk') {
    app.synth();
    // the YAML as written, read back only for the identity check (outside the caller's timing when it matters)
    return () => fs.readdirSync(app.outdir).sort().map((f) => `# ${f}\n` + fs.readFileSync(path.join(app.outdir, f), 'utf8')).join('');
  }
  const y = app.synthYaml();
  return () => y;
}

function outdirFor(tag) { const d = path.join(SCRATCH, 'out', `${tag}-${process.pid}`); fs.rmSync(d, { recursive: true, force: true }); return d; }

function runOurs(ours, platform, n, mode, analysisOff) {
  const t0 = now();
  const app = new ours.cdk8s.App({ outdir: outdirFor('ours') });
  if (analysisOff) ours.P.configureSynthAnalysis(app, { enabled: false });
  PLATFORMS[platform](ours.P, ours.cdk8s, app, n);
  const t1 = now();
  const yaml = synthOf(ours.cdk8s, app, mode);
  const t2 = now();
  return { t0, t1, t2, yaml, app };
}

function runFloor(cdk8s, charts, mode) {
  const t0 = now();
  const app = new cdk8s.App({ outdir: outdirFor('floor') });
  for (const c of charts) {
    const chart = new cdk8s.Chart(app, c.id);
    const objs = c.objects;
    for (let k = 0; k < objs.length; k++) new cdk8s.ApiObject(chart, `o${k}`, objs[k]);
  }
  const t1 = now();
  const yaml = synthOf(cdk8s, app, mode);
  const t2 = now();
  return { t0, t1, t2, yaml, app };
}

/** The floor's input: ours' synthesized objects, chart by chart, in the order synthYaml writes them. */
function floorCharts(ours, platform, n) {
  const r = runOurs(ours, platform, n, 'yaml');
  const app = r.app;
  // synthYaml orders charts as cdk8s's App does (dependencies first); keep the same order for the floor
  const ordered = app.charts.slice();
  return ordered.map((c) => ({ id: c.node.id, objects: c.toJson() }));
}

function sha(s) { return crypto.createHash('sha256').update(s).digest('hex'); }

function sample(r) {
  return { build: r.t1.wall - r.t0.wall, synth: r.t2.wall - r.t1.wall, wall: r.t2.wall - r.t0.wall, cpu: r.t2.cpu - r.t0.cpu, buildCpu: r.t1.cpu - r.t0.cpu, synthCpu: r.t2.cpu - r.t1.cpu };
}

const median = (xs) => { const s = xs.slice().sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const f1 = (x) => x.toFixed(1);
const f3 = (x) => x.toFixed(3);

function summarize(label, A, B, nameA, nameB) {
  const keys = ['wall', 'cpu', 'build', 'synth', 'buildCpu', 'synthCpu'];
  const out = { label };
  for (const k of keys) {
    const a = median(A.map((s) => s[k])); const b = median(B.map((s) => s[k]));
    out[k] = { [nameA]: a, [nameB]: b, ratio: a / b };
  }
  // ratio of medians, and the median of per-pair ratios (pairs taken in run order)
  const pr = (k) => median(A.map((s, i) => s[k] / B[i][k]));
  out.pairWall = pr('wall'); out.pairCpu = pr('cpu');
  const cpuPairs = A.map((s, i) => s.cpu / B[i].cpu); out.pairCpuRange = [Math.min(...cpuPairs), Math.max(...cpuPairs)];
  console.log(`${label}: wall ${f1(out.wall[nameA])} / ${f1(out.wall[nameB])} ms = ${f3(out.wall.ratio)} (pairs ${f3(out.pairWall)}); ` +
    `CPU ${f1(out.cpu[nameA])} / ${f1(out.cpu[nameB])} = ${f3(out.cpu.ratio)} (pairs ${f3(out.pairCpu)} [${f3(out.pairCpuRange[0])}-${f3(out.pairCpuRange[1])}]); ` +
    `build ${f1(out.build[nameA])} / ${f1(out.build[nameB])}, synth ${f1(out.synth[nameA])} / ${f1(out.synth[nameB])} ms wall; ` +
    `build CPU ${f1(out.buildCpu[nameA])} / ${f1(out.buildCpu[nameB])}, synth CPU ${f1(out.synthCpu[nameA])} / ${f1(out.synthCpu[nameB])}`);
  return out;
}

// ---------------------------------------------------------------- warm

function warm(platform, n) {
  const runs = Number(opt('runs', 9)); const warmup = Number(opt('warmup', 2)); const mode = opt('synth', 'yaml');
  const forceGc = opt('gc', false) && typeof global.gc === 'function';
  const abDir = opt('ab', undefined);
  const ours = loadOurs(opt('pkg', ROOT), opt('entry', undefined), 'ours');
  let other; let nameB;
  if (abDir) {
    const before = loadOurs(path.resolve(abDir), undefined, 'before');
    other = () => runOurs(before, platform, n, mode); nameB = 'before';
  } else {
    const charts = floorCharts(ours, platform, n);
    other = () => runFloor(ours.cdk8s, charts, mode); nameB = 'floor';
  }
  const A = []; const B = []; let expected;
  for (let r = 0; r < warmup + runs; r++) {
    const order = r % 2 === 0 ? ['a', 'b'] : ['b', 'a'];
    for (const side of order) {
      if (forceGc) global.gc();
      const res = side === 'a' ? runOurs(ours, platform, n, mode) : other();
      const y = res.yaml();
      if (expected === undefined) expected = y;
      else if (y !== expected) { console.error(`YAML differs (${side}, run ${r})`); process.exit(2); }
      if (r >= warmup) (side === 'a' ? A : B).push(sample(res));
    }
  }
  const objects = (expected.match(/^kind: /gm) || []).length;
  return summarize(`warm ${platform} ${n} teams (${objects} objects, ${runs} ABBA pairs, synth ${mode}${forceGc ? ', gc' : ''})`, A, B, abDir ? 'ours' : 'ours', nameB);
}

// ---------------------------------------------------------------- fresh

function child() {
  // node synth-checker.js --child SIDE PLATFORM TEAMS [--floor=FILE] [--pkg --entry --synth]
  const [side, platform, nStr] = positional.slice(0, 3);
  const n = Number(nStr); const mode = opt('synth', 'yaml');
  let charts;
  if (side === 'floor') charts = JSON.parse(fs.readFileSync(opt('floor'), 'utf8'));
  const t0 = now();
  let res;
  if (side === 'floor') {
    const req = scratchRequire(opt('pkg', ROOT), 'floor');
    res = runFloor(req('cdk8s'), charts, mode);
  } else {
    const ours = loadOurs(opt('pkg', ROOT), opt('entry', undefined), side === 'before' ? 'before' : 'ours');
    // check mode: SynthCheck.run's CPU (the phase marker), on the class the package exports (its own, bundled or not)
    let checkCpu;
    if (opt('check', false)) {
      const { SynthCheck } = ours.P;
      const run = SynthCheck.prototype.run;
      checkCpu = 0;
      SynthCheck.prototype.run = function timedRun() { const c = now().cpu; try { return run.call(this); } finally { checkCpu += now().cpu - c; } };
    }
    res = runOurs(ours, platform, n, mode, opt('analysis', 'on') === 'off');
    if (checkCpu !== undefined) res.checkCpu = () => checkCpu;
  }
  res.t0 = t0; // the timed region starts before cdk8s and the package load
  const s = sample(res);
  if (res.checkCpu) s.checkCpu = res.checkCpu();
  const y = res.yaml();
  const ru = process.resourceUsage();
  s.processCpu = (ru.userCPUTime + ru.systemCPUTime) / 1000;
  s.sha = sha(y); s.objects = (y.match(/^kind: /gm) || []).length;
  process.stdout.write(JSON.stringify(s) + '\n');
}

function spawnChild(args) {
  const t = performance.now();
  const r = spawnSync(process.execPath, [__filename, '--child', ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const wall = performance.now() - t;
  if (r.status !== 0) { console.error(r.stderr); throw new Error(`child ${args.join(' ')} exited ${r.status}`); }
  const s = JSON.parse(r.stdout.trim().split('\n').pop());
  s.processWall = wall;
  return s;
}

function floorFile(platform, n) {
  const file = path.join(SCRATCH, `floor-${platform}-${n}.json`);
  const ours = loadOurs(opt('pkg', ROOT), opt('entry', undefined), 'ours');
  fs.mkdirSync(SCRATCH, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(floorCharts(ours, platform, n)));
  return file;
}

/** The floor's objects file of PLATFORM at N teams as floorFile writes it, written only when missing (for other bench scripts). */
function floorFileOf(platform, n) {
  const file = path.join(SCRATCH, `floor-${platform}-${n}.json`);
  return fs.existsSync(file) ? file : floorFile(platform, n);
}

function fresh(platform, n, quiet) {
  const runs = Number(opt('runs', 6)); const mode = opt('synth', 'yaml');
  const abDir = opt('ab', undefined);
  const common = [`--synth=${mode}`];
  if (opt('entry', undefined)) common.push(`--entry=${opt('entry')}`);
  if (opt('pkg', undefined)) common.push(`--pkg=${path.resolve(opt('pkg'))}`);
  const analysisOff = opt('analysis', 'on') === 'off';
  const argsA = ['ours', platform, String(n), ...common, ...(analysisOff ? ['--analysis=off'] : [])];
  const argsB = abDir ? ['before', platform, String(n), `--pkg=${path.resolve(abDir)}`, `--synth=${mode}`]
    : ['floor', platform, String(n), `--floor=${floorFile(platform, n)}`, `--synth=${mode}`];
  const A = []; const B = [];
  spawnChild(argsA); spawnChild(argsB); // one of each first: file caches, compile caches of node itself
  for (let r = 0; r < runs; r++) {
    const order = r % 2 === 0 ? [argsA, argsB] : [argsB, argsA];
    for (const a of order) { const s = spawnChild(a); (a === argsA ? A : B).push(s); }
  }
  const shas = new Set([...A, ...B].map((s) => s.sha));
  if (shas.size !== 1) { console.error(`fresh: YAML differs between sides (${[...shas].join(' ')})`); process.exit(2); }
  const nameB = abDir ? 'before' : 'floor';
  const out = summarize(`fresh ${platform} ${n} teams (${A[0].objects} objects, ${runs} pairs, synth ${mode}${analysisOff ? ', ours with the analyzer off' : ''})`, A, B, 'ours', nameB);
  const pw = median(A.map((s) => s.processWall)) / median(B.map((s) => s.processWall));
  const pc = median(A.map((s) => s.processCpu)) / median(B.map((s) => s.processCpu));
  out.processWall = { ours: median(A.map((s) => s.processWall)), [nameB]: median(B.map((s) => s.processWall)), ratio: pw };
  out.processCpu = { ours: median(A.map((s) => s.processCpu)), [nameB]: median(B.map((s) => s.processCpu)), ratio: pc };
  if (!quiet) console.log(`  whole process: wall ${f1(out.processWall.ours)} / ${f1(out.processWall[nameB])} = ${f3(pw)}; CPU ${f1(out.processCpu.ours)} / ${f1(out.processCpu[nameB])} = ${f3(pc)}`);
  out.samples = { ours: A, [nameB]: B };
  return out;
}

/** The synth check's share in fresh processes: analyzer on against off, or (--ab) ours against a before tree. */
function checkShare(platform, n) {
  const runs = Number(opt('runs', 6)); const mode = opt('synth', 'yaml');
  const abDir = opt('ab', undefined);
  const argsA = ['ours', platform, String(n), `--synth=${mode}`, '--check'];
  const argsB = abDir ? ['before', platform, String(n), `--pkg=${path.resolve(abDir)}`, `--synth=${mode}`, '--check'] : [...argsA, '--analysis=off'];
  const nameA = abDir ? 'ours' : 'on'; const nameB = abDir ? 'before' : 'off';
  const A = []; const B = [];
  spawnChild(argsA); spawnChild(argsB);
  for (let r = 0; r < runs; r++) {
    const order = r % 2 === 0 ? [argsA, argsB] : [argsB, argsA];
    for (const a of order) (a === argsA ? A : B).push(spawnChild(a));
  }
  const shas = new Set([...A, ...B].map((s) => s.sha));
  if (shas.size !== 1) { console.error(`check: YAML differs between sides (${[...shas].join(' ')})`); process.exit(2); }
  const pct = (x) => `${(100 * x).toFixed(1)}%`;
  const list = (xs, f) => xs.map(f).join(' ');
  const marker = (X) => X.map((s) => s.checkCpu / s.synthCpu);
  console.log(`check ${platform} ${n} teams (${A[0].objects} objects, ${runs} pairs, fresh, synth ${mode}), CPU ms; load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  for (const [name, X] of [[nameA, A], [nameB, B]]) {
    console.log(`  ${name}: synthYaml ${f1(median(X.map((s) => s.synthCpu)))} (${list(X, (s) => f1(s.synthCpu))}), check ${f1(median(X.map((s) => s.checkCpu)))} (${list(X, (s) => f1(s.checkCpu))}), `
      + `marker ${pct(median(marker(X)))} (${marker(X).map(pct).join(' ')}), process ${f1(median(X.map((s) => s.cpu)))}`);
  }
  if (!abDir) {
    const pairs = A.map((s, i) => (s.synthCpu - B[i].synthCpu) / s.synthCpu);
    console.log(`  (on - off) / on of synthYaml per pair: median ${pct(median(pairs))} (${pairs.map(pct).join(' ')}); of the medians ${pct(1 - median(B.map((s) => s.synthCpu)) / median(A.map((s) => s.synthCpu)))}`);
    // The same in wall time: V8's compilation and parallel GC on the second core are in CPU time, not in the wait.
    const wallPairs = A.map((s, i) => (s.synth - B[i].synth) / s.synth);
    console.log(`  wall: synthYaml on ${f1(median(A.map((s) => s.synth)))}, off ${f1(median(B.map((s) => s.synth)))} ms; (on - off) / on per pair: median ${pct(median(wallPairs))} (${wallPairs.map(pct).join(' ')}); of the medians ${pct(1 - median(B.map((s) => s.synth)) / median(A.map((s) => s.synth)))}`);
  } else {
    const r = (k) => median(A.map((s, i) => s[k] / B[i][k]));
    console.log(`  ours / before per pair, median: check ${f3(r('checkCpu'))}, synthYaml ${f3(r('synthCpu'))}, process ${f3(r('cpu'))}`);
  }
}

/** 4x teams against 1x, fresh, both sides (the floor's own growth shows what is the machine's). */
function scale(platform, n) {
  const runs = Number(opt('runs', 6)); const mode = opt('synth', 'yaml');
  const pkg = opt('pkg', undefined) ? [`--pkg=${path.resolve(opt('pkg'))}`] : [];
  const sides = [['ours', (m) => ['ours', platform, String(m), `--synth=${mode}`, ...pkg]], ['floor', (m) => ['floor', platform, String(m), `--floor=${floorFile(platform, m)}`, `--synth=${mode}`]]];
  const res = {};
  for (const [name, args] of sides) {
    const a1 = args(n); const a4 = args(4 * n);
    spawnChild(a1); spawnChild(a4);
    const X1 = []; const X4 = [];
    for (let r = 0; r < runs; r++) {
      const order = r % 2 === 0 ? [a1, a4] : [a4, a1];
      for (const a of order) (a === a1 ? X1 : X4).push(spawnChild(a));
    }
    res[name] = {
      wall: median(X4.map((s) => s.wall)) / median(X1.map((s) => s.wall)),
      cpu: median(X4.map((s) => s.cpu)) / median(X1.map((s) => s.cpu)),
      wall1: median(X1.map((s) => s.wall)), wall4: median(X4.map((s) => s.wall)),
      cpu1: median(X1.map((s) => s.cpu)), cpu4: median(X4.map((s) => s.cpu)),
    };
    const x = res[name];
    console.log(`scale ${platform} ${name}: ${n} -> ${4 * n} teams, fresh wall ${f1(x.wall1)} -> ${f1(x.wall4)} ms = ${f3(x.wall)}x; CPU ${f1(x.cpu1)} -> ${f1(x.cpu4)} = ${f3(x.cpu)}x`);
  }
  return res;
}

function main() {
  if (process.argv.includes('--child')) return child();
  const [cmd, platform, nStr] = positional;
  const n = Number(nStr ?? 1000);
  if (cmd === 'all') {
    const n2 = Number(platform ?? 1000);
    const out = {}; const list = opt('platforms', Object.keys(PLATFORMS).join(',')).split(',');
    for (const p of list) out[p] = { warm: warm(p, n2), fresh: fresh(p, n2) };
    if (!opt('no-scale', false)) for (const p of list) out[p].scale = scale(p, n2);
    fs.writeFileSync(path.join(SCRATCH, `all-${n2}.json`), JSON.stringify(out, null, 1));
    return;
  }
  if (!PLATFORMS[platform]) { console.error(`platform: one of ${Object.keys(PLATFORMS).join(', ')}`); process.exit(1); }
  if (cmd === 'warm') warm(platform, n);
  else if (cmd === 'fresh') fresh(platform, n);
  else if (cmd === 'scale') scale(platform, n);
  else if (cmd === 'check') checkShare(platform, n);
  else if (cmd === 'yaml') { const ours = loadOurs(opt('pkg', ROOT), opt('entry', undefined), 'ours'); process.stdout.write(runOurs(ours, platform, n, 'yaml').yaml()); }
  else { console.error('usage: see the header comment'); process.exit(1); }
}

// bench/heap-live.js builds the same platforms in its own child processes
if (require.main === module) main();
else module.exports = { PLATFORMS, loadOurs, scratchRequire, floorCharts, floorFileOf };
