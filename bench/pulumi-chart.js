// Pulumi registration through `fromChart`, in CPU time: the benchmark platform built with the cdk8s
// constructs (bench/platform.ts, layout one-chart: the teams' chart; the mesh chart holds the
// IstioOperator, which is not a cluster object) and registered with `fromChart('platform', chart)`,
// one component for the whole chart, against the same objects registered directly: the same
// inputs, names and `dependsOn`, in the same order, as typed @pulumi/kubernetes classes for core
// kinds and CustomResource for Istio kinds. Ours' side includes building the constructs, the
// chart's validation and the synth check. Alternating (ours, direct, direct, ours), each after a
// forced GC, each until every URN has resolved and Pulumi's RPC queue has drained, under fresh mocks.
// Before timing, the direct program's RegisterResource requests are checked against fromChart's.
//   node scripts/clean.js bench/.out && npx tsc -p bench/tsconfig.json && node --expose-gc bench/pulumi-chart.js 200 3 [DIR]
const path = require('path');
const { cpuWallAsync, median } = require('./measure');
const teams = Number(process.argv[2] ?? 200), runs = Number(process.argv[3] ?? 3);
const dir = path.resolve(process.argv[4] ?? 'bench/.out');
const pulumi = require('@pulumi/pulumi');
const k8s = require('@pulumi/kubernetes');
const { App } = require('cdk8s');
const igc = require(path.join(dir, 'src/pulumi'));
const { buildCdk8sPlatform } = require(path.join(dir, 'bench/platform.js'));

// The classes a hand-written program uses for each kind: the same table as the other Pulumi floors.
const { TYPED } = require(path.join(dir, 'bench/pulumi-runs.js'));

let requests = [];
function installMocks(capture) {
  requests = [];
  pulumi.runtime.setMocks({
    newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs }),
    call: (a) => a.inputs,
  }, 'bench', 'bench', false);
  if (!capture) return;
  const monitor = pulumi.runtime.getMonitor();
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => register(req, (err, resp) => {
    if (!err && req.getCustom()) {
      requests.push({ urn: resp.getUrn(), type: req.getType(), name: req.getName(), dependencies: [...req.getDependenciesList()].sort(), inputs: req.getObject()?.toJavaScript() });
    }
    callback(err, resp);
  });
}

const urnOf = (r) => new Promise((resolve) => r.urn.apply((u) => { resolve(u); return u; }));
async function settle(resources) {
  await Promise.all(resources.map(urnOf));
  await pulumi.runtime.waitForRPCs();
}

/** Ours: build the platform with the constructs, register its teams' chart with fromChart. */
async function viaChart(capture = false) {
  installMocks(capture);
  const app = new App({ outdir: require('os').tmpdir() });
  buildCdk8sPlatform(app, teams, 'one-chart');
  const chart = app.node.findChild('teams');
  const registered = igc.fromChart('platform', chart);
  const resources = Object.values(registered.resources);
  await settle([registered, ...resources]);
  return resources;
}

/** The plan the direct program replays: each object of fromChart's, in its order, with its dependsOn (by index). */
let plan = [];
async function makePlan() {
  const resources = await viaChart(true);
  const byKey = new Map(requests.map((r) => [`${r.type}\u0000${r.name}`, r]));
  const urns = resources.map((r) => byKey.get(`${r.__pulumiType}\u0000${r.__name}`).urn);
  const at = new Map(urns.map((u, i) => [u, i]));
  plan = resources.map((r) => {
    const q = byKey.get(`${r.__pulumiType}\u0000${r.__name}`);
    return { name: r.__name, inputs: q.inputs, deps: q.dependencies.map((u) => at.get(u)) };
  });
  return requests.map((r) => ({ type: r.type, name: r.name, inputs: r.inputs, dependencies: r.dependencies }));
}

async function direct(capture = false) {
  installMocks(capture);
  const resources = [];
  for (const p of plan) {
    const Typed = TYPED[`${p.inputs.apiVersion}/${p.inputs.kind}`];
    const opts = p.deps.length > 0 ? { dependsOn: p.deps.map((i) => resources[i]) } : {};
    resources.push(Typed ? new Typed(p.name, p.inputs, opts) : new k8s.apiextensions.CustomResource(p.name, p.inputs, opts));
  }
  await settle(resources);
  return resources;
}

/** The same objects, inputs and dependencies (URNs without the component's type in them). */
function sameRequests(a, b) {
  const key = (r) => `${r.type}\u0000${r.name}`;
  const sort = (l) => [...l].sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
  const strip = (r) => ({ ...r, dependencies: r.dependencies.map((u) => u.replace('istio-gateway-constructs:index:Chart$', '')).sort() });
  return JSON.stringify(sort(a).map(strip)) === JSON.stringify(sort(b).map(strip));
}

async function main() {
  const ours = await makePlan();
  await direct(true);
  const floor = requests.map((r) => ({ type: r.type, name: r.name, inputs: r.inputs, dependencies: r.dependencies }));
  if (!sameRequests(ours, floor)) { console.log('the direct program does not register what fromChart registers'); process.exit(1); }
  const o = [], d = [], ow = [], dw = [];
  for (let i = 0; i < runs; i++) {
    const a = await cpuWallAsync(() => viaChart());
    const b = await cpuWallAsync(() => direct());
    const b2 = await cpuWallAsync(() => direct());
    const a2 = await cpuWallAsync(() => viaChart());
    o.push(a[0], a2[0]); d.push(b[0], b2[0]); ow.push(a[1], a2[1]); dw.push(b[1], b2[1]);
  }
  const pairs = o.map((x, i) => (x / d[i]).toFixed(2)).join(' ');
  console.log(`fromChart N=${teams} (${plan.length} resources under one component): CPU ours ${median(o).toFixed(0)} ms, direct ${median(d).toFixed(0)} ms`);
  console.log(`  ours/direct CPU median ${(median(o) / median(d)).toFixed(2)} (${pairs}); wall ${(median(ow) / median(dw)).toFixed(2)}`);
}
main().catch((e) => { console.error(e); process.exit(1); });
