// Every public construct and its main prop variants against the floor, one variant at a time: N
// instances (default 1,000) in one chart with the least scaffolding each needs, every instance with
// DISTINCT values (names, namespaces, hosts, credentials, ports, header values, filter texts, labels,
// subsets), as a checker's own platform would have them; the same objects as plain ApiObjects are the
// floor. Finds the construct, prop or input shape where we are far worse than bench/platform.ts's
// layouts (which repeat one value per team) suggest.
//
//   npm run build && node scripts/clean.js bench/.out && npx tsc -p bench/tsconfig.json
//   node --expose-gc bench/construct-sweep.js [N=1000] [RUNS=7] [VARIANT,...|all] [options]
//     --off        also time ours with the analyzer off (configureSynthAnalysis(app, { enabled: false }))
//                  and report the analyzer's share as (on - off) / on
//     --fresh=K    also K pairs of fresh processes per variant (one synthesis each, ours and floor
//                  alternating; the floor parses its JSON objects before its timer starts)
//     --dir=DIR    the compiled tree to load (default bench/.out; e.g. .scratch/before/bench/.out)
//     --ab=BEFORE  instead of the floor, compare the compiled tree BEFORE (e.g. .scratch/before) with --dir:
//                  warm, both trees in one process, ABBA; with --fresh=K, K pairs of fresh processes per
//                  variant, one tree each, ABBA; ratios are after / before, YAML identical or the script stops
//     --list       print the variants and exit
//     --json       one JSON line per variant after the text
//
// Warm: one process; per round ours, floor, floor, ours (ABBA), each after a forced GC, in CPU time of the
// process (all threads); the first round is warm-up and not counted; the ratio is the median of adjacent
// pairs' ratios. "check" is SynthCheck.run's share of our CPU (the marker, which also counts the first
// rendering of every object). "excess" is (ours - floor) / N in microseconds per instance. Every variant's
// YAML must be identical between ours and the floor, or the script stops.
'use strict';
const path = require('path');
const fs = require('fs');
const os = require('os');
const crypto = require('crypto');

const argv = process.argv.slice(2);
const opt = (name) => { const a = argv.find((x) => x.startsWith(`--${name}=`)); return a === undefined ? undefined : a.slice(name.length + 3); };
const pos = argv.filter((a) => !a.startsWith('--'));
const N = Number(pos[0] ?? 1000), RUNS = Number(pos[1] ?? 7);
const DIR = path.resolve(opt('dir') ?? 'bench/.out');

/** The variants: name -> (lib, chart, i, n) building instance i (and its scaffolding) into chart. */
function variants(L) {
  const { IngressGateway, TenantGateway, TlsHost, TlsMode, TcpGateway, TcpCanaryRoute, CanaryRoute, HttpRoute, StrictMtls, AccessLogPolicy, TrimmedGatewayConfig } = L;
  const { Construct } = require(require.resolve('constructs', { paths: [DIR] }));
  const ns = (i) => `team-${String(i).padStart(4, '0')}`;
  const host = (i, p = 'web') => `${p}.${ns(i)}.example.com`;
  // One shared istioctl ingress gateway per chart, made on the first instance.
  const shared = (chart) => chart.__shared ??= new IngressGateway(chart, 'shared', { namespace: 'edge' });
  const scope = (chart, i) => new Construct(chart, ns(i));
  const tenant = (s, i, extra = {}) => new TenantGateway(s, 'gw', { namespace: ns(i), name: `gw-${i}`, ...extra });
  const tls = (mode, extra = {}) => (L_, chart, i) => {
    new TlsHost(scope(chart, i), 'h', { gateway: shared(chart), namespace: ns(i), name: `h-${i}`, hosts: [host(i)], credentialName: `cert-${i}`, mode, ...extra(i) });
  };
  const routeHosts = (chart, i, k = 1) => {
    const hosts = Array.from({ length: k }, (_, j) => host(i, `r${j}`));
    shared(chart).addHttpHosts(hosts);
    return hosts;
  };
  const filters = [
    'response.code >= 400',
    'response.code >= 500 || response.duration > 1000',
    'request.headers["x-team"] == "TEAM" && response.code != 200',
  ];
  const longFilter = (i) => Array.from({ length: 20 }, (_, j) => `(request.headers["x-t${j}"] == "${ns(i)}-${j}" && response.code >= ${400 + j})`).join(' || ');
  const v = {
    // --- TenantGateway
    'tenant-plain': (_, c, i) => { tenant(scope(c, i), i); },
    'tenant-full': (_, c, i) => {
      tenant(scope(c, i), i, {
        autoscaling: { minReplicas: 2 + (i % 3), maxReplicas: 6 + (i % 5), targetCpuUtilization: 60 + (i % 20) },
        disruptionBudget: { minAvailable: 1 }, networkPolicy: true,
        labels: { team: ns(i), tier: `t${i % 7}` }, podAnnotations: { 'example.com/owner': `owner-${i}` },
        resources: { requests: { cpu: `${100 + i}m`, memory: `${128 + i}Mi` } },
      });
    },
    'tenant-ports': (_, c, i) => {
      tenant(scope(c, i), i, { ports: Array.from({ length: 10 }, (_x, j) => ({ name: `tcp-p${j}`, port: 9000 + j + (i % 50) * 10, protocol: 'TCP' })) });
    },
    'tenant-affinity': (_, c, i) => {
      tenant(scope(c, i), i, { affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1 + (i % 100), podAffinityTerm: {
        topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { team: ns(i) } } } }] } } });
    },
    'tenant-gwapi-resources+tls': (_, c, i) => {
      const s = scope(c, i); const gateway = tenant(s, i, { api: 'gateway-api', replicas: 2 + (i % 3), resources: { requests: { cpu: `${100 + i}m`, memory: `${128 + i}Mi` } } });
      new TlsHost(s, 'web', { gateway, hosts: [host(i)], credentialName: `cert-${i}`, destination: { host: `web-${i}`, port: 8080 + (i % 100) } });
    },
    'tenant+tls': (_, c, i) => {
      const s = scope(c, i); const gateway = tenant(s, i);
      new TlsHost(s, 'web', { gateway, hosts: [host(i)], credentialName: `cert-${i}`, destination: { host: `web-${i}`, port: 8080 + (i % 100) } });
    },
    'tenant-gwapi-std+tls': (_, c, i) => {
      const s = scope(c, i); const gateway = tenant(s, i, { api: 'gateway-api' });
      new TlsHost(s, 'web', { gateway, hosts: [host(i)], credentialName: `cert-${i}`, destination: { host: `web-${i}`, port: 8080 + (i % 100) } });
    },
    'tenant-gwapi-exp+pass+tcp': (_, c, i) => {
      const s = scope(c, i); const gateway = tenant(s, i, { api: 'gateway-api', gatewayApiChannel: 'experimental' });
      new TlsHost(s, 'legacy', { gateway, hosts: [host(i, 'legacy')], mode: TlsMode.PASSTHROUGH, destination: { host: `legacy-${i}`, port: 8443 } });
      new TcpGateway(s, 'ledger', { gateway, port: 7000 + (i % 1000), destination: { host: `ledger-${i}`, port: 7000 } });
    },
    // --- IngressGateway
    'ingress-own+http1': (_, c, i) => { const g = new IngressGateway(scope(c, i), 'edge', { namespace: ns(i), name: 'edge' }); g.addHttpHosts([host(i)]); },
    'ingress-own+http50': (_, c, i) => {
      const g = new IngressGateway(scope(c, i), 'edge', { namespace: ns(i), name: 'edge' });
      g.addHttpHosts(Array.from({ length: 50 }, (_x, j) => host(i, `h${j}`)));
    },
    'shared+http1': (_, c, i) => { shared(c).addHttpHosts([host(i)]); },
    // --- TlsHost on the shared ingress gateway
    'tls-simple': tls(TlsMode.SIMPLE, () => ({})),
    'tls-mutual-san': tls(TlsMode.MUTUAL, (i) => ({ subjectAltNames: [`client.${ns(i)}.example.com`, `spiffe://${ns(i)}/client`] })),
    'tls-optional-mutual': tls(TlsMode.OPTIONAL_MUTUAL, () => ({})),
    'tls-passthrough': (_, c, i) => {
      new TlsHost(scope(c, i), 'h', { gateway: shared(c), namespace: ns(i), name: `h-${i}`, hosts: [host(i)], mode: TlsMode.PASSTHROUGH, destination: { host: `svc-${i}`, port: 8443 } });
    },
    'tls-no-redirect': tls(TlsMode.SIMPLE, () => ({ httpsRedirect: false })),
    'tls-destination': tls(TlsMode.SIMPLE, (i) => ({ destination: { host: `svc-${i}`, port: 8080 + (i % 100) } })),
    'tls-20-hosts+dest': tls(TlsMode.SIMPLE, (i) => ({ hosts: Array.from({ length: 20 }, (_x, j) => host(i, `h${j}`)), destination: { host: `svc-${i}`, port: 8080 } })),
    // --- TCP (ten per TenantGateway: one TCP server per port of a workload)
    'tcp': (_, c, i) => {
      const g = Math.floor(i / 10);
      const s = c.node.tryFindChild(ns(g)) ?? scope(c, g);
      const gateway = s.node.tryFindChild('gw') ?? tenant(s, g);
      new TcpGateway(s, `tcp-${i}`, { gateway, port: 7000 + (i % 10), name: `tcp-${i}`, destination: { host: `db-${i}`, port: 5432 } });
    },
    'tcp-canary': (_, c, i) => {
      const g = Math.floor(i / 10);
      const s = c.node.tryFindChild(ns(g)) ?? scope(c, g);
      const gateway = s.node.tryFindChild('gw') ?? tenant(s, g);
      new TcpCanaryRoute(s, `tcp-${i}`, { gateway, port: 7000 + (i % 10), name: `tcp-${i}`, destination: { host: `db-${i}`, port: 5432 },
        stable: { subset: `v${i}a`, labels: { version: `v${i}a` } }, canary: { subset: `v${i}b`, labels: { version: `v${i}b` }, weight: 1 + (i % 50) } });
    },
    // --- routes on the shared ingress gateway (each host added with addHttpHosts: see shared+http1)
    'canary-weighted': (_, c, i) => {
      new CanaryRoute(scope(c, i), 'c', { gateways: [shared(c)], namespace: ns(i), name: `c-${i}`, hosts: routeHosts(c, i), destination: { host: `svc-${i}`, port: 8080 },
        stable: { subset: `s${i}`, labels: { version: `v${i}` } }, canary: { subset: `c${i}`, labels: { version: `v${i}-next` }, weight: 1 + (i % 99) } });
    },
    'canary-header': (_, c, i) => {
      new CanaryRoute(scope(c, i), 'c', { gateways: [shared(c)], namespace: ns(i), name: `c-${i}`, hosts: routeHosts(c, i), destination: { host: `svc-${i}`, port: 8080 },
        stable: { subset: 'stable', labels: { version: 'v1' } },
        canary: { subset: 'canary', labels: { version: 'v2' }, weight: 10, match: [{ headers: { 'x-canary': { exact: `team-${i}` } } }] } });
    },
    'canary-10-matches': (_, c, i) => {
      const match = Array.from({ length: 10 }, (_x, j) => (j % 2
        ? { headers: { [`x-h${j}`]: { regex: `^${ns(i)}-[a-z]+${j}$` } }, uri: { prefix: `/api/${i}/v${j}` } }
        : { headers: { [`x-h${j}`]: { exact: `${ns(i)}-${j}` } }, queryParams: { q: { exact: `v${i}-${j}` } } }));
      new CanaryRoute(scope(c, i), 'c', { gateways: [shared(c)], namespace: ns(i), name: `c-${i}`, hosts: routeHosts(c, i), destination: { host: `svc-${i}`, port: 8080 },
        stable: { subset: 'stable', labels: { version: 'v1' } }, canary: { subset: 'canary', labels: { version: 'v2' }, weight: 10, match } });
    },
    'http-plain': (_, c, i) => {
      new HttpRoute(scope(c, i), 'r', { gateways: [shared(c)], namespace: ns(i), name: `r-${i}`, hosts: routeHosts(c, i), destination: { host: `svc-${i}`, port: 8080 } });
    },
    'http-timeout-retries': (_, c, i) => {
      new HttpRoute(scope(c, i), 'r', { gateways: [shared(c)], namespace: ns(i), name: `r-${i}`, hosts: routeHosts(c, i), destination: { host: `svc-${i}`, port: 8080 },
        timeout: `${1 + (i % 30)}s`, retries: { attempts: 1 + (i % 5), perTryTimeout: `${100 + i}ms`, retryOn: ['5xx', 'reset'] } });
    },
    'http-all-options': (_, c, i) => {
      new HttpRoute(scope(c, i), 'r', { gateways: [shared(c)], namespace: ns(i), name: `r-${i}`, hosts: routeHosts(c, i), destination: { host: `svc-${i}`, port: 8080 },
        match: [{ uri: { prefix: `/t${i}/` } }, { headers: { 'x-team': { regex: `^${ns(i)}(-[a-z]+)?$` } } }],
        timeout: `${1 + (i % 30)}s`, retries: { attempts: 1 + (i % 5), perTryTimeout: `${100 + i}ms`, retryOn: ['5xx'] },
        mirror: { host: `shadow-${i}`, percentage: 1 + (i % 50) }, fault: { delay: { fixedDelay: `${1 + (i % 9)}s`, percentage: 1 } },
        rewrite: { uri: `/v${i}/` } });
    },
    'canary-gwapi': (_, c, i) => {
      const s = scope(c, i); const gateway = tenant(s, i, { api: 'gateway-api' });
      gateway.addHttpHosts([host(i)]);
      new CanaryRoute(s, 'c', { gateways: [gateway], name: `c-${i}`, hosts: [host(i)], destination: { host: `svc-${i}`, port: 8080 }, destinationSelector: { app: `svc-${i}` },
        stable: { subset: `s${i}`, labels: { version: `v${i}` } }, canary: { subset: `c${i}`, labels: { version: `v${i}-next` }, weight: 1 + (i % 99), match: [{ headers: { 'x-canary': { exact: ns(i) } } }] } });
    },
    'http-mesh-only': (_, c, i) => {
      new HttpRoute(scope(c, i), 'r', { includeMesh: true, namespace: ns(i), name: `r-${i}`, hosts: [`svc-${i}.${ns(i)}.svc.cluster.local`], destination: { host: `svc-${i}`, port: 8080 } });
    },
    // --- policy
    'mtls-namespace': (_, c, i) => { new StrictMtls(scope(c, i), 'm', { namespace: ns(i) }); },
    'mtls-selector': (_, c, i) => { new StrictMtls(scope(c, i), 'm', { namespace: ns(i), name: `m-${i}`, selector: { app: `app-${i}` }, portLevel: { [8000 + (i % 1000)]: 'PERMISSIVE' } }); },
    'mtls-mesh(1)': (_, c, i) => { if (i === 0) new StrictMtls(c, 'mesh'); },
    'log-no-filter': (_, c, i) => { new AccessLogPolicy(scope(c, i), 'l', { namespace: ns(i) }); },
    'log-same-filter': (_, c, i) => { new AccessLogPolicy(scope(c, i), 'l', { namespace: ns(i), filter: filters[0] }); },
    'log-3-filters': (_, c, i) => { new AccessLogPolicy(scope(c, i), 'l', { namespace: ns(i), filter: filters[i % 3] }); },
    'log-distinct-filter': (_, c, i) => { new AccessLogPolicy(scope(c, i), 'l', { namespace: ns(i), filter: `response.code >= 400 && request.headers["x-team"] == "${ns(i)}"` }); },
    'log-long-filter': (_, c, i) => { new AccessLogPolicy(scope(c, i), 'l', { namespace: ns(i), filter: longFilter(i) }); },
    'log-gateway+filter': (_, c, i) => {
      const s = scope(c, i); const gateway = tenant(s, i);
      new AccessLogPolicy(s, 'l', { gateway, filter: `response.code >= ${400 + (i % 100)}` });
    },
    'trimmed-config(1)': (_, c, i) => { if (i === 0) new TrimmedGatewayConfig(c, 'control-plane'); },
  };
  return v;
}

function load(dir) {
  const lib = require(path.join(dir, 'src'));
  const cdk8s = require(require.resolve('cdk8s', { paths: [dir] }));
  return { lib, cdk8s };
}

function cpu() { const c = process.cpuUsage(); return (c.user + c.system) / 1e3; }
function timed(f) { global.gc?.(); const c0 = cpu(); const r = f(); return [cpu() - c0, r]; }
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

function builders(name) {
  const { lib, cdk8s } = load(DIR);
  const { App, Chart, ApiObject } = cdk8s;
  const build = variants(lib)[name];
  const ours = (analysis = true) => {
    const app = new App({ outdir: os.tmpdir() });
    if (!analysis) lib.configureSynthAnalysis(app, { enabled: false });
    const chart = new Chart(app, 'sweep');
    for (let i = 0; i < N; i++) build(lib, chart, i, N);
    return app;
  };
  return { lib, cdk8s, App, Chart, ApiObject, ours };
}

function sweepWarm(name) {
  const { lib, App, Chart, ApiObject, ours } = builders(name);
  let checkCpu = 0;
  const run = lib.SynthCheck.prototype.run;
  lib.SynthCheck.prototype.run = function () { const c0 = cpu(); try { return run.apply(this, arguments); } finally { checkCpu += cpu() - c0; } };
  const app0 = ours();
  const docs = app0.charts.map((c) => ({ id: c.node.id, objects: c.toJson() }));
  const objects = docs.reduce((s, d) => s + d.objects.length, 0);
  const floorApp = () => { const app = new App({ outdir: os.tmpdir() }); for (const d of docs) { const ch = new Chart(app, d.id); d.objects.forEach((o, j) => new ApiObject(ch, `o${j}`, o)); } return app.synthYaml(); };
  const oursOn = () => ours(true).synthYaml();
  const oursOff = () => ours(false).synthYaml();
  const ref = floorApp();
  if (oursOn() !== ref) throw new Error(`${name}: YAML differs from the floor`);
  if (argv.includes('--off') && oursOff() !== ref) throw new Error(`${name}: YAML with the analyzer off differs`);
  const o = [], f = [], r = [], share = [], off = [], offShare = [];
  for (let k = 0; k <= Math.ceil(RUNS / 2); k++) {
    checkCpu = 0; const [a] = timed(oursOn); const s1 = checkCpu / a;
    const [b] = timed(floorApp); const [b2] = timed(floorApp);
    checkCpu = 0; const [a2] = timed(oursOn); const s2 = checkCpu / a2;
    let x, x2;
    if (argv.includes('--off')) { [x] = timed(oursOff); [x2] = timed(oursOff); }
    if (k === 0) continue; // warm-up
    o.push(a, a2); f.push(b, b2); r.push(a / b, a2 / b2); share.push(s1, s2);
    if (x !== undefined) { off.push(x, x2); offShare.push((a - x) / a, (a2 - x2) / a2); }
  }
  lib.SynthCheck.prototype.run = run;
  return {
    variant: name, n: N, objects, perInstance: objects / N, yamlBytes: ref.length,
    oursMs: median(o), floorMs: median(f), ratio: median(r), ratioMin: Math.min(...r), ratioMax: Math.max(...r),
    excessUs: (median(o) - median(f)) * 1000 / N, checkShare: median(share),
    offMs: off.length ? median(off) : undefined, analyzerShare: offShare.length ? median(offShare) : undefined,
  };
}

// Fresh: one process per synthesis; the child prints its CPU from before require('cdk8s') to after synthYaml().
function child() {
  const [, , , mode, name, n, docsFile] = process.argv;
  const c0 = cpu();
  if (mode === 'floor') {
    const docs = JSON.parse(fs.readFileSync(docsFile, 'utf8'));
    const t0 = cpu();
    const { App, Chart, ApiObject } = require(require.resolve('cdk8s', { paths: [DIR] }));
    const app = new App({ outdir: os.tmpdir() });
    for (const d of docs) { const ch = new Chart(app, d.id); d.objects.forEach((o, j) => new ApiObject(ch, `o${j}`, o)); }
    const y = app.synthYaml();
    process.stdout.write(JSON.stringify({ cpu: cpu() - t0, hash: crypto.createHash('sha256').update(y).digest('hex') }));
  } else {
    const { App, Chart } = require(require.resolve('cdk8s', { paths: [DIR] }));
    const lib = require(path.join(DIR, 'src'));
    const build = variants(lib)[name];
    const app = new App({ outdir: os.tmpdir() });
    const chart = new Chart(app, 'sweep');
    for (let i = 0; i < Number(n); i++) build(lib, chart, i, Number(n));
    const y = app.synthYaml();
    process.stdout.write(JSON.stringify({ cpu: cpu() - c0, hash: crypto.createHash('sha256').update(y).digest('hex') }));
  }
}

function sweepFresh(name, pairs) {
  const { execFileSync } = require('child_process');
  const { ours } = builders(name);
  const app = ours();
  const file = path.join(os.tmpdir(), `sweep-${process.pid}-${name.replace(/[^a-z0-9]/gi, '_')}.json`);
  fs.writeFileSync(file, JSON.stringify(app.charts.map((c) => ({ id: c.node.id, objects: c.toJson() }))));
  const one = (mode) => JSON.parse(execFileSync(process.execPath, [__filename, '--child', mode, name, String(N), file, `--dir=${DIR}`], { encoding: 'utf8', maxBuffer: 1 << 26 }));
  const o = [], f = [], r = []; let hash;
  for (let k = 0; k < pairs; k++) {
    const seq = k % 2 ? ['floor', 'ours'] : ['ours', 'floor'];
    const res = {};
    for (const m of seq) res[m] = one(m);
    hash ??= res.ours.hash;
    if (res.ours.hash !== res.floor.hash || res.ours.hash !== hash) throw new Error(`${name}: fresh YAML differs`);
    o.push(res.ours.cpu); f.push(res.floor.cpu); r.push(res.ours.cpu / res.floor.cpu);
  }
  fs.unlinkSync(file);
  return { freshOursMs: median(o), freshFloorMs: median(f), freshRatio: median(r), freshExcessUs: (median(o) - median(f)) * 1000 / N };
}

function abWarm(name, before) {
  const trees = [before, DIR].map((dir) => {
    const { lib, cdk8s } = load(dir);
    const build = variants(lib)[name];
    return () => {
      const app = new cdk8s.App({ outdir: os.tmpdir() });
      const chart = new cdk8s.Chart(app, 'sweep');
      for (let i = 0; i < N; i++) build(lib, chart, i, N);
      return app.synthYaml();
    };
  });
  if (trees[0]() !== trees[1]()) throw new Error(`${name}: YAML differs between the trees`);
  const b = [], a = [], r = [];
  for (let k = 0; k <= Math.ceil(RUNS / 2); k++) {
    const [x] = timed(trees[0]); const [y] = timed(trees[1]); const [y2] = timed(trees[1]); const [x2] = timed(trees[0]);
    if (k === 0) continue;
    b.push(x, x2); a.push(y, y2); r.push(y / x, y2 / x2);
  }
  return { variant: name, beforeMs: median(b), afterMs: median(a), ratio: median(r), ratioMin: Math.min(...r), ratioMax: Math.max(...r) };
}

function abFresh(name, before, pairs) {
  const { execFileSync } = require('child_process');
  const one = (dir) => JSON.parse(execFileSync(process.execPath, [__filename, '--child', 'ours', name, String(N), '-', `--dir=${dir}`], { encoding: 'utf8', maxBuffer: 1 << 26 }));
  const b = [], a = [], r = []; let hash;
  for (let k = 0; k < pairs; k++) {
    const res = {};
    for (const d of k % 2 ? [DIR, before] : [before, DIR]) res[d] = one(d);
    hash ??= res[DIR].hash;
    if (res[DIR].hash !== hash || res[before].hash !== hash) throw new Error(`${name}: fresh YAML differs between the trees`);
    b.push(res[before].cpu); a.push(res[DIR].cpu); r.push(res[DIR].cpu / res[before].cpu);
  }
  return { freshBeforeMs: median(b), freshAfterMs: median(a), freshRatio: median(r), freshMin: Math.min(...r), freshMax: Math.max(...r) };
}

module.exports = { variants };
if (require.main !== module) {
  // required for its variants (e.g. by a profiling script)
} else if (process.argv[2] === '--child') {
  child();
} else {
  const all = Object.keys(variants(load(DIR).lib));
  if (argv.includes('--list')) { console.log(all.join('\n')); process.exit(0); }
  const chosen = !pos[2] || pos[2] === 'all' ? all : pos[2].split(',');
  for (const v of chosen) if (!all.includes(v)) throw new Error(`unknown variant '${v}': one of ${all.join(', ')}`);
  const fresh = Number(opt('fresh') ?? 0);
  const ab = opt('ab');
  if (ab !== undefined) {
    const before = path.resolve(ab);
    console.log(`N=${N}, A/B ${path.relative(process.cwd(), before)} (before) against ${path.relative(process.cwd(), DIR)} (after), ${RUNS}+ warm pairs, CPU ms, load ${os.loadavg()[0].toFixed(1)}`);
    for (const v of chosen) {
      const r = abWarm(v, before);
      if (fresh) Object.assign(r, abFresh(v, before, fresh));
      console.log(`${v}: warm ${r.beforeMs.toFixed(0)} -> ${r.afterMs.toFixed(0)} ms, ${r.ratio.toFixed(3)} (${r.ratioMin.toFixed(2)}-${r.ratioMax.toFixed(2)})`
        + (fresh ? `; fresh ${r.freshBeforeMs.toFixed(0)} -> ${r.freshAfterMs.toFixed(0)} ms, ${r.freshRatio.toFixed(3)} (${r.freshMin.toFixed(2)}-${r.freshMax.toFixed(2)}), ${fresh} pairs` : ''));
      if (argv.includes('--json')) console.log(JSON.stringify(r));
    }
    process.exit(0);
  }
  console.log(`N=${N}, ${RUNS}+ warm pairs per variant (CPU ms, all threads), tree ${path.relative(process.cwd(), DIR)}, load ${os.loadavg()[0].toFixed(1)}`);
  console.log('variant | objects/inst | ours ms | floor ms | ours/floor (range) | excess us/inst | check share' + (argv.includes('--off') ? ' | analyzer on-off' : '') + (fresh ? ' | fresh ours/floor, excess us/inst' : ''));
  for (const v of chosen) {
    const r = sweepWarm(v);
    if (fresh) Object.assign(r, sweepFresh(v, fresh));
    console.log(`${v} | ${r.perInstance.toFixed(1)} | ${r.oursMs.toFixed(0)} | ${r.floorMs.toFixed(0)} | ${r.ratio.toFixed(2)} (${r.ratioMin.toFixed(2)}-${r.ratioMax.toFixed(2)}) | ${r.excessUs.toFixed(0)} | ${(100 * r.checkShare).toFixed(1)}%`
      + (r.analyzerShare !== undefined ? ` | ${(100 * r.analyzerShare).toFixed(1)}%` : '')
      + (fresh ? ` | ${r.freshRatio.toFixed(2)}, ${r.freshExcessUs.toFixed(0)}` : ''));
    if (argv.includes('--json')) console.log(JSON.stringify(r));
  }
}
