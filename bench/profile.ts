// Profiling driver (not part of the timings): builds and synthesizes the benchmark platform a few
// times so that `node --cpu-prof` sees steady-state code. Run `ours` first (it writes the objects
// the `floor` side re-emits):
//   node --cpu-prof --cpu-prof-dir=.scratch/prof/ours bench/.out/bench/profile.js 1000 one-chart ours 3
//   node --cpu-prof --cpu-prof-dir=.scratch/prof/floor bench/.out/bench/profile.js 1000 one-chart floor 3
//   node bench/profile-summary.js .scratch/prof/ours/*.cpuprofile synthYaml run analyze stringify
// `synth`: as `ours`, without first writing the floor's objects (a profile of ours alone).
// `build`: only building the constructs (no synthesis).
// `analyze`: the analyzer alone over the objects of the platform (what the synth check pays for it).
// Pulumi: `pulumi-ours` (the components), `pulumi-floor` (the same objects registered directly) or
// `pulumi-components` (those under bare components of the same types and names).
// (the first ours run also builds the floor's objects; compare per-run numbers accordingly).
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { analyze } from '../src/analysis';
import { AppState } from '../src/cdk8s/app-state';
import { buildCdk8sPlatform, Layout } from './platform';
import { lastRegisteredObjects, registerDirectly, registerOurs, registerUnderComponents } from './pulumi-runs';

const teams = Number(process.argv[2] ?? 200);
const layout = (process.argv[3] ?? 'one-chart') as Layout;
const side = process.argv[4] ?? 'ours';
const runs = Number(process.argv[5] ?? 3);

const outdir = require('os').tmpdir();
const build = () => { const app = new App({ outdir }); buildCdk8sPlatform(app, teams, layout); return app; };
// The floor's objects come from a file written by an earlier `ours` run, so that a floor profile
// holds no synthesis of ours.
const docsFile = path.join(outdir, `igc-bench-docs-${teams}-${layout}.json`);
// (as one synthesis: each chart's toJson() called alone would run the App-wide check once per chart)
if (side === 'ours') {
  const app = build();
  fs.writeFileSync(docsFile, JSON.stringify(AppState.of(app).synthesis(() => app.charts.map((c) => ({ id: c.node.id, objects: c.toJson() })))));
}
const docs: { id: string; objects: any[] }[] = side === 'floor' ? JSON.parse(fs.readFileSync(docsFile, 'utf8')) : [];
async function main(): Promise<void> {
  if (side.startsWith('pulumi')) {
    await registerOurs(teams);
    const objects = lastRegisteredObjects();
    for (let i = 0; i < runs; i++) {
      const t0 = Date.now();
      if (side === 'pulumi-ours') await registerOurs(teams);
      else if (side === 'pulumi-components') await registerUnderComponents(objects);
      else await registerDirectly(objects);
      process.stdout.write(`${side} N=${teams}: ${Date.now() - t0} ms\n`);
    }
    return;
  }
  if (side === 'analyze') {
    // The synth check's own call (its objects and the externals the constructs declare), captured.
    const mod = require('../src/analysis/index');
    let call: Parameters<typeof analyze> | undefined;
    const real = mod.analyze;
    mod.analyze = (...a: Parameters<typeof analyze>) => { call = a; return real(...a); };
    build().synthYaml();
    mod.analyze = real;
    if (!call) throw new Error('the synth check did not call analyze');
    for (let i = 0; i < runs; i++) {
      const t0 = Date.now();
      const n = analyze(...call).length;
      process.stdout.write(`analyze N=${teams}: ${call[0].length} objects, ${n} findings, ${Date.now() - t0} ms\n`);
    }
    return;
  }
  for (let i = 0; i < runs; i++) {
  const t0 = Date.now();
  if (side === 'ours' || side === 'synth') {
    build().synthYaml();
  } else if (side === 'build') {
    build();
  } else {
    const app = new App({ outdir });
    for (const d of docs) { const chart = new Chart(app, d.id); d.objects.forEach((o, j) => new ApiObject(chart, `o${j}`, o)); }
    app.synthYaml();
  }
  process.stdout.write(`${side} ${layout} N=${teams}: ${Date.now() - t0} ms\n`);
  }
}

void main();
