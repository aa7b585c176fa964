#!/usr/bin/env node
// The issue's Pulumi target ("Pulumi registration at most 1.2x registering the same objects directly"),
// measured as a checker would: written from the issue and README.md's Pulumi section only, independently of
// bench/platform.ts and bench/pulumi-runs.ts. The package as users get it (the built lib/ through its
// `exports`, `istio-gateway-constructs/pulumi` required by name from a scratch project under
// .scratch/pulumi-checker/), under `pulumi.runtime.setMocks`, installed afresh for each run.
//
// Per team (distinct namespace, names, hosts, credential names, ports, weights, header values, filters and
// labels), the README's platform: a TenantGateway, a TlsHost SIMPLE taken by a CanaryRoute bound to the gateway
// with a header match (the README's payments team), a TlsHost SIMPLE with a route, a TlsHost PASSTHROUGH, a
// TcpGateway, an in-mesh CanaryRoute, an AccessLogPolicy with a filter. All plain values (no Inputs).
//
// Sides:
//   ours          the components above
//   direct        the Kubernetes objects ours registered (taken from its RegisterResource requests, outside any
//                 timing), written as a program would: @pulumi/kubernetes typed classes for core kinds,
//                 k8s.apiextensions.CustomResource for Istio kinds, ours' Pulumi names, in ours' order, each with
//                 `dependsOn` on the same objects ours ordered it after
//   direct-nodeps the same without any dependsOn (what a program not asking for an order writes)
//   direct-declared  as direct, in the order a program declares them: per team and construct (the component that
//                 registered each object, in ours' declaration order), ours' engine order inside one
// Before timing, one capturing run of each side checks at the engine that both direct programs register the
// same objects as ours (type, name, inputs), with dependencies on the same objects (direct-nodeps: none); the run
// stops otherwise. A run ends when `pulumi.runtime.waitForRPCs()` resolves (every registration
// and RegisterResourceOutputs sent) and the engine has seen every resource.
//
// Usage (after `npm run build`):
//   node --expose-gc bench/pulumi-checker.js warm  TEAMS [--runs=4] [--warmup=1]
//        one process; per round ours, the three floors, the floors reversed, ours (ABBA), each after a forced GC;
//        each ours run is paired with each floor's run in the same half-round
//   node bench/pulumi-checker.js fresh TEAMS [--runs=3]
//        one `node` process per registration (as `pulumi up` runs a program), the same order per round; the
//        child times from before it loads @pulumi/pulumi (and, for ours, the package) to the end of the run,
//        CPU of every thread (process.cpuUsage) and wall; a direct child reads its objects from a JSON file
//        before its timed region (a program would hold them as literals)
//   node --expose-gc bench/pulumi-checker.js all TEAMS    warm then fresh
// Options: --pkg=DIR  package root to link as istio-gateway-constructs (default: this checkout; e.g. a
//                     `git worktree` of another commit, built). Load average is printed before and after.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const Module = require('module');

const ROOT = path.resolve(__dirname, '..');
const SCRATCH = path.join(ROOT, '.scratch', 'pulumi-checker');

function opt(name, dflt) {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : dflt;
}
const positional = process.argv.slice(2).filter((x) => !x.startsWith('--'));
const PKG = path.resolve(opt('pkg', ROOT));

/** A scratch project whose node_modules holds the package and the SDKs a Pulumi program installs beside it. */
function scratchRequire() {
  const nm = path.join(SCRATCH, 'node_modules');
  fs.mkdirSync(path.join(nm, '@pulumi'), { recursive: true });
  const link = (name, target) => {
    const p = path.join(nm, name);
    try { if (fs.readlinkSync(p) === target) return; fs.unlinkSync(p); } catch { /* absent */ }
    fs.symlinkSync(target, p);
  };
  link('istio-gateway-constructs', PKG);
  for (const name of ['@pulumi/pulumi', '@pulumi/kubernetes', 'cdk8s', 'constructs']) link(name, fs.realpathSync(path.join(ROOT, 'node_modules', name)));
  if (!fs.existsSync(path.join(SCRATCH, 'package.json'))) fs.writeFileSync(path.join(SCRATCH, 'package.json'), '{"name":"pulumi-checker","private":true}\n');
  return Module.createRequire(path.join(SCRATCH, 'index.js'));
}

// ---------------------------------------------------------------- the programs

/** The README's platform, one team per iteration, every value distinct per team. */
function oursProgram(igc, teams) {
  for (let i = 0; i < teams; i++) {
    const t = `pay-${String(i).padStart(4, '0')}`;
    const gw = new igc.TenantGateway(`${t}-edge`, { namespace: t, name: `${t}-gw`, labels: { team: t, tier: `tier-${i % 7}` } });
    new igc.TlsHost(`${t}-shop`, { gateway: gw, hosts: [`shop.${t}.example.com`], credentialName: `${t}-shop-tls` });
    new igc.TlsHost(`${t}-api`, {
      gateway: gw, hosts: [`api.${t}.example.com`], credentialName: `${t}-api-tls`,
      destination: { host: `${t}-api`, port: 8000 + (i % 900) },
    });
    new igc.TlsHost(`${t}-legacy`, {
      gateway: gw, hosts: [`legacy.${t}.example.com`], mode: igc.TlsMode.PASSTHROUGH, destination: { host: `${t}-legacy`, port: 8443 },
    });
    new igc.TcpGateway(`${t}-ledger`, { gateway: gw, port: 7000 + (i % 2000), destination: { host: `${t}-ledger`, port: 5432 } });
    new igc.CanaryRoute(`${t}-checkout`, {
      gateways: [gw], namespace: t, hosts: [`shop.${t}.example.com`], destination: { host: `${t}-checkout`, port: 8080 },
      stable: { subset: 'v1', labels: { version: 'v1' } },
      canary: { subset: 'v2', labels: { version: 'v2' }, weight: 1 + (i % 99), match: [{ headers: { 'x-canary': { exact: `always-${i}` } } }] },
    });
    new igc.CanaryRoute(`${t}-reviews`, {
      namespace: t, hosts: [`${t}-reviews`], destination: { host: `${t}-reviews`, port: 9080 },
      stable: { subset: 'stable', labels: { track: 'stable' } }, canary: { subset: 'next', labels: { track: 'next' }, weight: (i * 7) % 100 },
    });
    new igc.AccessLogPolicy(`${t}-logs`, { gateway: gw, filter: `response.code >= ${400 + (i % 100)} && request.headers['x-team'] == '${t}'` });
  }
}

const TYPED = {
  'kubernetes:core/v1:Service': (k8s) => k8s.core.v1.Service,
  'kubernetes:core/v1:ServiceAccount': (k8s) => k8s.core.v1.ServiceAccount,
  'kubernetes:apps/v1:Deployment': (k8s) => k8s.apps.v1.Deployment,
  'kubernetes:autoscaling/v2:HorizontalPodAutoscaler': (k8s) => k8s.autoscaling.v2.HorizontalPodAutoscaler,
  'kubernetes:policy/v1:PodDisruptionBudget': (k8s) => k8s.policy.v1.PodDisruptionBudget,
  'kubernetes:rbac.authorization.k8s.io/v1:Role': (k8s) => k8s.rbac.v1.Role,
  'kubernetes:rbac.authorization.k8s.io/v1:RoleBinding': (k8s) => k8s.rbac.v1.RoleBinding,
};

/** The direct program: each object as a typed resource (core kinds) or a CustomResource (Istio kinds). */
function directProgram(k8s, objects, withDeps) {
  const made = [];
  for (const o of objects) {
    const Typed = TYPED[o.type];
    if (!Typed && !o.type.startsWith('kubernetes:networking.istio.io/') && !o.type.startsWith('kubernetes:security.istio.io/') && !o.type.startsWith('kubernetes:telemetry.istio.io/')) {
      throw new Error(`no class for ${o.type}: add it to TYPED`);
    }
    const opts = withDeps && o.deps.length > 0 ? { dependsOn: o.deps.map((d) => made[d]) } : {};
    made.push(Typed ? new (Typed(k8s))(o.name, o.inputs, opts) : new k8s.apiextensions.CustomResource(o.name, o.inputs, opts));
  }
  return made.length;
}

// ---------------------------------------------------------------- one run

/** Mocks installed afresh; with `capture`, every RegisterResource request as the engine received it. */
function installMocks(pulumi, capture) {
  const seen = { resources: 0, requests: [] };
  pulumi.runtime.setMocks({
    newResource(a) { seen.resources++; return { id: `${a.name}-id`, state: a.inputs }; },
    call(a) { return a.inputs; },
  }, 'checker', 'dev', false);
  if (capture) {
    const monitor = pulumi.runtime.getMonitor();
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) => register(req, (err, resp) => {
      if (!err) {
        seen.requests.push({
          urn: resp.getUrn(), type: req.getType(), name: req.getName(), custom: req.getCustom(),
          dependencies: [...req.getDependenciesList()], inputs: req.getObject()?.toJavaScript(),
        });
      }
      callback(err, resp);
    });
  }
  return seen;
}

/**
 * Runs one side's program and waits until the engine has every resource (`plan.total` for ours, components
 * included; every object for a direct program): CPU and wall ms, and the requests when capturing.
 */
async function runSide(side, teams, plan, capture) {
  const req = scratchRequire();
  const c0 = process.cpuUsage();
  const w0 = process.hrtime.bigint();
  const pulumi = req('@pulumi/pulumi');
  const seen = installMocks(pulumi, capture);
  let expected;
  if (side === 'ours') {
    oursProgram(req('istio-gateway-constructs/pulumi'), teams);
    expected = plan?.total;
  } else {
    expected = directProgram(req('@pulumi/kubernetes'), side === 'direct-declared' ? plan.declared : plan.objects, side !== 'direct-nodeps');
  }
  await pulumi.runtime.waitForRPCs();
  const c = process.cpuUsage(c0);
  const wall = Number(process.hrtime.bigint() - w0) / 1e6;
  if (expected !== undefined && seen.resources !== expected) throw new Error(`${side}: the engine saw ${seen.resources} resources, expected ${expected}`);
  return { cpu: (c.user + c.system) / 1e3, wall, resources: seen.resources, requests: seen.requests };
}

// ---------------------------------------------------------------- the plan and the check

/** Sorted-key JSON: the engine's Struct does not keep a program's key order. */
function canonical(v) {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

/** Ours' Kubernetes objects, in the order the engine registered them, with dependencies as indices. */
function planFrom(requests) {
  const custom = requests.filter((r) => r.custom);
  const at = new Map(custom.map((r, i) => [r.urn, i]));
  return custom.map((r) => ({
    type: r.type, name: r.name, inputs: r.inputs,
    deps: r.dependencies.map((u) => {
      const i = at.get(u);
      if (i === undefined) throw new Error(`ours: ${r.name} depends on ${u}, not one of its Kubernetes objects`);
      return i;
    }),
  }));
}

function checkSame(plan, requests, side) {
  const withDeps = side !== 'direct-nodeps';
  const custom = requests.filter((r) => r.custom);
  if (custom.length !== plan.length) throw new Error(`${side}: ${custom.length} objects registered, ours ${plan.length}`);
  if (requests.length !== custom.length) throw new Error(`${side}: registered ${requests.length - custom.length} components`);
  const byUrn = new Map(custom.map((r) => [r.urn, r]));
  const byKey = new Map(custom.map((r) => [`${r.type} ${r.name}`, r]));
  for (const o of plan) {
    const r = byKey.get(`${o.type} ${o.name}`);
    if (!r) throw new Error(`${side}: ${o.type} ${o.name} not registered`);
    if (canonical(r.inputs) !== canonical(o.inputs)) throw new Error(`${side}: ${o.name} inputs differ:\n${canonical(r.inputs)}\nours:\n${canonical(o.inputs)}`);
    const want = withDeps ? o.deps.map((d) => `${plan[d].type} ${plan[d].name}`).sort() : [];
    const got = r.dependencies.map((u) => { const d = byUrn.get(u); return d ? `${d.type} ${d.name}` : u; }).sort();
    if (canonical(want) !== canonical(got)) throw new Error(`${side}: ${o.name} depends on ${got.join(', ')}; expected ${want.join(', ')}`);
  }
}

/**
 * The same objects in the order a program declaring them per team and construct would write them: by the
 * component that registered each (components in the order ours declared them), ours' engine order inside one.
 */
function declaredOrder(objects, componentNames) {
  const rank = new Map(componentNames.map((n, i) => [n, i]));
  const at = objects.map((o, i) => i).sort((a, b) => (rank.get(objects[a].name.split('/')[0]) - rank.get(objects[b].name.split('/')[0])) || a - b);
  const moved = new Map(at.map((old, i) => [old, i]));
  return at.map((old, i) => {
    const o = objects[old];
    const deps = o.deps.map((d) => moved.get(d));
    if (deps.some((d) => d === undefined || d >= i)) throw new Error(`declared order: ${o.name} would come before what it depends on`);
    return { ...o, deps };
  });
}

// ---------------------------------------------------------------- modes

const median = (v) => { const s = [...v].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const range = (v) => `${Math.min(...v).toFixed(2)}-${Math.max(...v).toFixed(2)}`;
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
const gc = () => { if (global.gc) global.gc(); };

async function preparePlan(teams) {
  const ours = await runSide('ours', teams, undefined, true);
  const objects = planFrom(ours.requests);
  const components = ours.requests.length - objects.length;
  if (objects.length === 0) throw new Error('ours registered no Kubernetes objects');
  const plan = { objects, declared: declaredOrder(objects, ours.requests.filter((r) => !r.custom).map((r) => r.name)), total: ours.requests.length };
  for (const side of FLOORS) checkSame(objects, (await runSide(side, teams, plan, true)).requests, side);
  const deps = objects.reduce((n, o) => n + o.deps.length, 0);
  console.log(`pulumi-checker N=${teams}: ours ${objects.length} objects under ${components} components; the direct programs register the same objects (type, name, inputs), with the same ${deps} dependencies (direct-nodeps: none)`);
  return plan;
}

function report(label, rows) {
  const r = (a, b) => rows.ours.map((x, i) => x[a] / rows[b][i][a]);
  const ms = (side, k) => median(rows[side].map((x) => x[k])).toFixed(0);
  console.log(`${label}: CPU ms ${SIDES.map((s) => `${s} ${ms(s, 'cpu')}`).join(', ')}; wall ms ${SIDES.map((s) => ms(s, 'wall')).join(' / ')}`);
  for (const floor of FLOORS) {
    const cpu = r('cpu', floor); const wall = r('wall', floor);
    console.log(`  ours / ${floor}: CPU ${median(cpu).toFixed(3)} (${range(cpu)}; ${cpu.length} pairs), wall ${median(wall).toFixed(3)} (${range(wall)})`);
  }
}

const FLOORS = ['direct', 'direct-nodeps', 'direct-declared'];
const SIDES = ['ours', ...FLOORS];
/** One round: ours, the floors, the floors reversed, ours; each ours run is paired with the floor run at the same distance. */
const ORDER = [...SIDES, ...[...SIDES].reverse()];
const emptyRows = () => Object.fromEntries(SIDES.map((s) => [s, []]));

async function warm(teams, plan) {
  const runs = Number(opt('runs', 4)); const warmup = Number(opt('warmup', 1));
  const rows = emptyRows();
  console.log(`warm, load ${load()}`);
  for (let round = 0; round < warmup + runs; round++) {
    for (const side of ORDER) {
      gc();
      const x = await runSide(side, teams, plan, false);
      if (round >= warmup) rows[side].push(x);
    }
  }
  report(`warm N=${teams}, ${runs} rounds (load ${load()})`, rows);
}

function fresh(teams, plan) {
  const runs = Number(opt('runs', 3));
  const file = path.join(SCRATCH, `plan-${process.pid}.json`);
  fs.writeFileSync(file, JSON.stringify(plan));
  const rows = emptyRows();
  console.log(`fresh, load ${load()}`);
  try {
    for (let round = 0; round < runs; round++) {
      for (const side of ORDER) {
        const out = execFileSync(process.execPath, [__filename, 'child', String(teams), `--side=${side}`, `--plan=${file}`, `--pkg=${PKG}`], { encoding: 'utf8', maxBuffer: 1 << 26 });
        rows[side].push(JSON.parse(out.trim().split('\n').pop()));
      }
    }
  } finally {
    fs.rmSync(file, { force: true });
  }
  report(`fresh N=${teams}, ${runs} rounds (load ${load()})`, rows);
}

async function child(teams) {
  const side = opt('side');
  const plan = JSON.parse(fs.readFileSync(opt('plan'), 'utf8'));
  const x = await runSide(side, teams, plan, false);
  process.stdout.write(`${JSON.stringify({ cpu: x.cpu, wall: x.wall })}\n`);
}

async function main() {
  const [mode, n] = positional;
  const teams = Number(n ?? 200);
  if (mode === 'child') return child(teams);
  if (!['warm', 'fresh', 'all'].includes(mode)) throw new Error('usage: pulumi-checker.js warm|fresh|all TEAMS [--runs=N] [--pkg=DIR]');
  if (!fs.existsSync(path.join(PKG, 'lib', 'src', 'pulumi', 'index.js'))) throw new Error(`${PKG}: not built (npm run build)`);
  if (mode !== 'fresh' && !global.gc) console.log('(no --expose-gc: runs are not preceded by a forced GC)');
  const plan = await preparePlan(teams);
  if (mode === 'warm' || mode === 'all') await warm(teams, plan);
  if (mode === 'fresh' || mode === 'all') fresh(teams, plan);
}

main().catch((e) => { console.error(e); process.exit(1); });
