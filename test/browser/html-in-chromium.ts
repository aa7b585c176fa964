// `npm run test:browser`: opens `graph -o html` pages in real headless Chromium and checks that the
// drawing appears (gateway and route nodes laid out with a size), that the page loaded nothing
// from outside itself, and that search and collapse work. Run by CI, not by jest: a user's machine
// may have no Chromium, and the jest suite never skips.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'cdk8s';
import { buildCdk8sPlatform, teamSpec } from '../../bench/platform';
import { buildExamplePlatform } from '../../examples/platform';
import { examplePrerequisites } from '../../examples/prerequisites';
import { routingGraph, toHtml } from '../../src';
import { dumpDom } from './chromium';

/** Appended to a copy of the page: measures what the browser drew and exercises the controls. */
const PROBE = `<script>
(function(){
  function drawn(sel){return Array.prototype.filter.call(document.querySelectorAll(sel),function(e){var r=e.getBoundingClientRect();return (r.width>0||r.height>0)&&(!e.checkVisibility||e.checkVisibility());});}
  function ids(sel){var s={};drawn(sel).forEach(function(e){s[e.getAttribute('data-id')]=1;});return Object.keys(s).length;}
  var closedAtStart=drawn('g.node.route').length===0;
  document.getElementById('expand').click();
  var res={closedAtStart:closedAtStart,gateways:ids('g.node.gateway'),routes:ids('g.node.route'),nodes:drawn('g.node').length,edges:drawn('g.edge path').length,
    resources:performance.getEntriesByType('resource').length,sections:drawn('details.gw').length};
  var q=document.getElementById('q');q.value=window.SEARCH;q.dispatchEvent(new Event('input'));
  res.searchSections=drawn('details.gw').length;res.searchHits=document.querySelectorAll('g.node.hit').length;
  q.value='';q.dispatchEvent(new Event('input'));
  var p=document.getElementById('problems');p.checked=true;p.dispatchEvent(new Event('change'));
  res.problemSections=drawn('details.gw').length;p.checked=false;p.dispatchEvent(new Event('change'));
  var route=document.querySelector('g.node.route');route.dispatchEvent(new MouseEvent('click',{bubbles:true}));
  var svg=route.closest('svg');res.litNodes=svg.querySelectorAll('g.node.lit').length;res.litGateway=!!svg.querySelector('g.node.gateway.lit');
  route.dispatchEvent(new MouseEvent('click',{bubbles:true}));res.litAfterSecondClick=svg.querySelectorAll('.lit').length;
  document.getElementById('collapse').click();res.routesAfterCollapse=ids('g.node.route');
  var pre=document.createElement('pre');pre.id='browser-check';pre.textContent=JSON.stringify(res);document.body.appendChild(pre);
})();
</script>`;

interface Probe { problemSections: number; litNodes: number; litGateway: boolean; litAfterSecondClick: number; closedAtStart: boolean; gateways: number; routes: number; nodes: number; edges: number; resources: number; sections: number; searchSections: number; searchHits: number; routesAfterCollapse: number }

function probe(html: string, search: string, dir: string, name: string): Probe {
  const file = path.join(dir, `${name}.html`);
  fs.writeFileSync(file, html.replace('</body>', `<script>window.SEARCH=${JSON.stringify(search)};</script>${PROBE}</body>`));
  const dom = dumpDom(file);
  const m = /<pre id="browser-check">([^<]*)<\/pre>/.exec(dom);
  if (!m) throw new Error(`${name}: the probe did not run (no #browser-check in the DOM Chromium dumped)`);
  return JSON.parse(m[1].replace(/&amp;/g, '&').replace(/&quot;/g, '"')) as Probe;
}

function objectsOf(build: (app: App) => void): object[] {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'browser-synth-')) });
  build(app);
  return app.charts.flatMap((c) => c.toJson());
}

// Every gateway section opens drawn; search narrows, collapse all folds them.
// The example's backends are not in its output, so every gateway has dangling edges until its
// prerequisites are declared external; the 50 teams get their Services declared external.
const teamServices = (n: number): object[] => Array.from({ length: n }, (_, i) => teamSpec(i).ns).flatMap((ns) =>
  [['web', 8080], ['api', 8080], ['legacy', 8443], ['ledger', 7000]].map(([name, port]) =>
    ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { selector: { app: name }, ports: [{ port }] } })));
const cases: Array<{ name: string; objects: () => object[]; external?: object[]; search: string; searchSections: number; closedAtStart: boolean; problemSections: number }> = [
  { name: 'example platform', objects: () => objectsOf(buildExamplePlatform), search: 'webapp.istioinaction.io', searchSections: 1, closedAtStart: false, problemSections: 4 },
  { name: 'example platform with its prerequisites', objects: () => objectsOf(buildExamplePlatform), external: examplePrerequisites().flatMap((p) => p.provides),
    search: 'partner-credential', searchSections: 1, closedAtStart: false, problemSections: 0 },
  { name: '50-team platform', objects: () => objectsOf((app) => buildCdk8sPlatform(app, 50, 'one-chart')), external: teamServices(50),
    search: 'api.team-0042.example.com', searchSections: 1, closedAtStart: false, problemSections: 0 },
];

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'browser-check-'));
let failed = 0;
for (const c of cases) {
  const graph = routingGraph(c.objects(), { external: c.external });
  const expected = {
    gateways: graph.nodes.filter((n) => n.kind === 'gateway').length,
    routes: graph.nodes.filter((n) => n.kind === 'route').length,
  };
  const html = toHtml(graph, c.name);
  const got = probe(html, c.search, dir, c.name.replace(/\W+/g, '-'));
  const problems: string[] = [];
  if (got.gateways !== expected.gateways) problems.push(`drawn gateway nodes ${got.gateways}, expected ${expected.gateways}`);
  if (got.routes !== expected.routes) problems.push(`drawn route nodes ${got.routes}, expected ${expected.routes}`);
  if (got.closedAtStart !== c.closedAtStart) problems.push(`gateway sections ${got.closedAtStart ? 'closed' : 'open'} when the page opened`);
  if (got.problemSections !== c.problemSections) problems.push(`"only gateways with dangling references" left ${got.problemSections} sections, expected ${c.problemSections}`);
  if (!got.litGateway || got.litNodes < 3) problems.push(`clicking a route lit ${got.litNodes} nodes${got.litGateway ? '' : ', not its gateway'}`);
  if (got.litAfterSecondClick !== 0) problems.push('a second click did not clear the highlight');
  if (got.edges === 0) problems.push('no edge drawn');
  if (got.resources !== 0) problems.push(`the page loaded ${got.resources} resources; it must load none`);
  if (got.searchSections !== c.searchSections) problems.push(`search "${c.search}" left ${got.searchSections} gateway sections, expected ${c.searchSections}`);
  if (got.searchHits === 0) problems.push(`search "${c.search}" highlighted nothing`);
  if (got.routesAfterCollapse !== 0) problems.push(`collapse all left ${got.routesAfterCollapse} route nodes drawn`);
  const line = `${c.name}: ${got.gateways} gateways, ${got.routes} routes, ${got.nodes} nodes, ${got.edges} edges drawn; `
    + `${got.resources} external loads; search -> ${got.searchSections} section(s), ${got.searchHits} hit(s); `
    + `only-dangling -> ${got.problemSections} section(s); a click lit ${got.litNodes} nodes; html ${Math.round(html.length / 1024)} KiB`;
  if (problems.length > 0) {
    failed++;
    console.error(`FAIL ${line}\n  ${problems.join('\n  ')}`);
  } else {
    console.log(`ok   ${line}`);
  }
}
fs.rmSync(dir, { recursive: true, force: true });
console.log(`browser check: ${cases.length - failed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
