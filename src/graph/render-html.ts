// One self-contained HTML page of the routing picture: no external script, style, font or image, so
// it opens offline and from a CI artifact. The drawing is laid out here (columns per layer, inline
// SVG per gateway); the page's own script only searches, collapses and highlights. For a platform
// of many teams the gateways are grouped by namespace, each in a collapsible section.

import { edgeText } from './render-text';
import { GraphEdge, GraphNode, NODE_KINDS, NodeKind, RoutingGraph } from './model';

const CLUSTER_DOMAIN_RE = /\.svc\.cluster\.local\b/g;
const CHAR_W = 7.2; // 12px monospace
const NODE_H = 22;
const ROW_H = 30;
const COL_GAP = 48;
const PAD = 10;
const MAX_CHARS = 48;

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function clip(s: string): string {
  return s.length > MAX_CHARS ? `${s.slice(0, MAX_CHARS - 1)}\u2026` : s;
}

interface Section {
  readonly key: string;
  readonly namespace: string;
  readonly title: string;
  readonly nodes: GraphNode[];
  readonly edges: GraphEdge[];
}

/** One section per gateway: the gateway, its workloads and everything reachable from it. */
function sections(graph: RoutingGraph): Section[] {
  const out = new Map<string, GraphEdge[]>();
  const into = new Map<string, GraphEdge[]>();
  for (const e of graph.edges) {
    (out.get(e.from) ?? out.set(e.from, []).get(e.from)!).push(e);
    (into.get(e.to) ?? into.set(e.to, []).get(e.to)!).push(e);
  }
  const result: Section[] = [];
  for (const gw of graph.nodes.filter((n) => n.kind === 'gateway')) {
    const seen = new Set<string>([gw.id]);
    const edges: GraphEdge[] = [];
    for (const e of into.get(gw.id) ?? []) {
      seen.add(e.from);
      edges.push(e);
    }
    const queue = [gw.id];
    while (queue.length > 0) {
      const id = queue.shift()!;
      for (const e of out.get(id) ?? []) {
        edges.push(e);
        if (!seen.has(e.to)) {
          seen.add(e.to);
          queue.push(e.to);
        }
      }
    }
    // Routes bound to a gateway that is missing hang off host nodes of that gateway only.
    const nodes = graph.nodes.filter((n) => seen.has(n.id));
    result.push({ key: gw.group, namespace: gw.namespace, title: gw.label, nodes, edges });
  }
  // Hosts and routes of a missing gateway are already reached from its (missing) node; anything
  // else unreachable (should not happen) gets a section of its own so nothing is silently dropped.
  const drawn = new Set(result.flatMap((s) => s.nodes.map((n) => n.id)));
  const rest = graph.nodes.filter((n) => !drawn.has(n.id));
  if (rest.length > 0) {
    const ids = new Set(rest.map((n) => n.id));
    result.push({ key: '(unattached)', namespace: '', title: 'not attached to any gateway', nodes: rest,
      edges: graph.edges.filter((e) => ids.has(e.from) && ids.has(e.to)) });
  }
  return result;
}

interface Placed { node: GraphNode; x: number; y: number; w: number; text: string }

/** Columns per layer; within a column, nodes follow the order of their first parent (fewer crossings). */
function layout(s: Section): { placed: Map<string, Placed>; width: number; height: number } {
  const cols = new Map<NodeKind, GraphNode[]>(NODE_KINDS.map((k) => [k, []]));
  for (const n of s.nodes) cols.get(n.kind)!.push(n);
  const parents = new Map<string, string[]>();
  for (const e of s.edges) (parents.get(e.to) ?? parents.set(e.to, []).get(e.to)!).push(e.from);
  const placed = new Map<string, Placed>();
  let x = PAD;
  let height = 0;
  for (const kind of NODE_KINDS) {
    const col = cols.get(kind)!;
    if (col.length === 0) continue;
    const rank = (n: GraphNode): number => {
      const ys = (parents.get(n.id) ?? []).map((p) => placed.get(p)?.y).filter((y): y is number => y !== undefined);
      return ys.length > 0 ? Math.min(...ys) : -1;
    };
    col.sort((a, b) => rank(a) - rank(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    // Inside a gateway's section its namespace goes without saying; the tooltip keeps the full label.
    // (and the cluster domain of service names).
    const texts = col.map((n) => clip((s.namespace ? n.label.split(`${s.namespace}/`).join('') : n.label).replace(CLUSTER_DOMAIN_RE, '')));
    const w = Math.ceil(Math.max(...texts.map((t) => t.length)) * CHAR_W + 16);
    col.forEach((n, i) => placed.set(n.id, { node: n, x, y: PAD + i * ROW_H, w, text: texts[i] }));
    height = Math.max(height, PAD * 2 + col.length * ROW_H);
    x += w + COL_GAP;
  }
  return { placed, width: x - COL_GAP + PAD, height };
}

function svgOf(s: Section): string {
  const { placed, width, height } = layout(s);
  const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`];
  for (const e of s.edges) {
    const a = placed.get(e.from);
    const b = placed.get(e.to);
    if (!a || !b) continue;
    const x1 = a.x + a.w;
    const y1 = a.y + NODE_H / 2;
    const x2 = b.x;
    const y2 = b.y + NODE_H / 2;
    const mx = (x1 + x2) / 2;
    const text = edgeText(e);
    parts.push(`<g class="edge${e.dangling ? ' dangling' : ''}" data-from="${escapeHtml(e.from)}" data-to="${escapeHtml(e.to)}">`
      + `<path d="M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}"/>`
      // At the target end: one destination per row, so the labels of a split never overlap.
      + (e.weight !== undefined ? `<text x="${x2 - 3}" y="${y2 - 3}" text-anchor="end">${e.weight}%</text>` : '')
      + (text ? `<title>${escapeHtml(text)}</title>` : '')
      + '</g>');
  }
  for (const p of placed.values()) {
    const n = p.node;
    const search = [n.label, n.id, ...Object.values(n.attrs), n.missing ?? ''].join(' ').toLowerCase();
    parts.push(`<g class="node ${n.kind}${n.missing ? ' missing' : ''}" data-id="${escapeHtml(n.id)}" data-kind="${n.kind}" data-search="${escapeHtml(search)}">`
      + `<rect x="${p.x}" y="${p.y}" width="${p.w}" height="${NODE_H}" rx="4"/>`
      + `<text x="${p.x + 8}" y="${p.y + 15}">${escapeHtml(p.text)}</text>`
      + `<title>${escapeHtml(n.label + (n.missing ? `\nmissing: ${n.missing}` : ''))}</title>`
      + '</g>');
  }
  parts.push('</svg>');
  return parts.join('\n');
}

const STYLE = `
body{font:14px system-ui,sans-serif;margin:0;color:#222;background:#fafafa}
header{position:sticky;top:0;background:#fff;border-bottom:1px solid #ddd;padding:8px 16px;z-index:1;display:flex;gap:12px;align-items:center;flex-wrap:wrap}
header h1{font-size:16px;margin:0}
input[type=search]{width:320px;padding:4px 8px}
main{padding:8px 16px}
details{margin:6px 0}
details.ns>summary{font-weight:600;font-size:15px}
details.gw{margin-left:16px;background:#fff;border:1px solid #e2e2e2;border-radius:6px;padding:4px 8px}
.scroll{overflow-x:auto}
svg{font:12px monospace;display:block}
.node rect{stroke-width:1.2}
.node.workload rect{fill:#eef;stroke:#669}.node.gateway rect{fill:#dde8ff;stroke:#335}
.node.listener rect{fill:#eef7ee;stroke:#585}.node.host rect{fill:#fff8e0;stroke:#a80}
.node.route rect{fill:#f3eaff;stroke:#748}.node.destination rect{fill:#e8f7f7;stroke:#377}
.node.missing rect{fill:#fff;stroke:#c00;stroke-dasharray:4 3}.node.missing text{fill:#c00}
.node.hit rect{stroke:#f60;stroke-width:3}
.edge path{fill:none;stroke:#999;stroke-width:1.2}.edge text{fill:#555;font-size:11px;paint-order:stroke;stroke:#fafafa;stroke-width:3px}
.edge.dangling path{stroke:#c00;stroke-dasharray:5 4}.edge.dangling text{fill:#c00}
.legend span{display:inline-block;padding:1px 6px;margin-right:4px;border:1px solid #999;border-radius:4px;font-size:12px}
.hidden{display:none}
svg.focus g.node:not(.lit),svg.focus g.edge:not(.lit){opacity:.25}
g.node{cursor:pointer}
`;

const SCRIPT = `
(function(){
  var q=document.getElementById('q'), count=document.getElementById('count');
  var problems=document.getElementById('problems');
  function run(){
    var v=q.value.trim().toLowerCase(), hits=0, onlyBad=problems.checked;
    document.querySelectorAll('details.gw').forEach(function(d){
      var any=false;
      d.querySelectorAll('g.node').forEach(function(n){
        var h=v!==''&&n.getAttribute('data-search').indexOf(v)>=0;
        n.classList.toggle('hit',h); if(h){any=true;hits++;}
      });
      var hide=(v!==''&&!any&&d.getAttribute('data-search').indexOf(v)<0)||(onlyBad&&!d.querySelector('g.edge.dangling'));
      d.classList.toggle('hidden',hide);
      if(v!==''&&any) d.open=true;
    });
    document.querySelectorAll('details.ns').forEach(function(ns){
      ns.classList.toggle('hidden',!ns.querySelector('details.gw:not(.hidden)'));
      if(v!=='') ns.open=true;
    });
    count.textContent=v===''?'':hits+' matching nodes';
  }
  problems.addEventListener('change',run);
  // Clicking a node lights up every path through it (upstream and downstream) in its drawing.
  function light(svg,id){
    svg.querySelectorAll('.lit').forEach(function(x){x.classList.remove('lit');});
    svg.classList.toggle('focus',id!==null); if(id===null) return;
    var edges=Array.prototype.slice.call(svg.querySelectorAll('g.edge'));
    [['data-from','data-to'],['data-to','data-from']].forEach(function(dir){
      var seen={}; seen[id]=1; var todo=[id];
      while(todo.length){var cur=todo.pop();edges.forEach(function(e){if(e.getAttribute(dir[0])===cur){e.classList.add('lit');var nx=e.getAttribute(dir[1]);if(!seen[nx]){seen[nx]=1;todo.push(nx);}}});}
      Object.keys(seen).forEach(function(k){svg.querySelectorAll('g.node').forEach(function(n){if(n.getAttribute('data-id')===k)n.classList.add('lit');});});
    });
  }
  document.querySelectorAll('svg').forEach(function(svg){
    svg.addEventListener('click',function(ev){var n=ev.target.closest&&ev.target.closest('g.node');light(svg,n&&!n.classList.contains('lit')?n.getAttribute('data-id'):null);});
  });
  q.addEventListener('input',run);
  document.getElementById('expand').onclick=function(){document.querySelectorAll('details').forEach(function(d){d.open=true;});};
  document.getElementById('collapse').onclick=function(){document.querySelectorAll('details.gw').forEach(function(d){d.open=false;});};
})();
`;

/** The routing picture as one HTML page that needs nothing else to open. */
export function toHtml(graph: RoutingGraph, title = 'Istio routing'): string {
  const secs = sections(graph);
  const byNs = new Map<string, Section[]>();
  for (const s of secs) (byNs.get(s.namespace) ?? byNs.set(s.namespace, []).get(s.namespace)!).push(s);
  const namespaces = [...byNs.keys()].sort();
  const count = (k: NodeKind): number => graph.nodes.filter((n) => n.kind === k).length;
  const dangling = graph.edges.filter((e) => e.dangling).length;
  const body: string[] = [];
  for (const ns of namespaces) {
    const list = byNs.get(ns)!;
    body.push(`<details class="ns" open data-namespace="${escapeHtml(ns)}"><summary>${ns ? `namespace ${escapeHtml(ns)}` : 'mesh'} (${list.length} gateway${list.length === 1 ? '' : 's'})</summary>`);
    for (const s of list) {
      const routes = s.nodes.filter((n) => n.kind === 'route').length;
      const hosts = s.nodes.filter((n) => n.kind === 'host').length;
      const bad = s.edges.filter((e) => e.dangling).length;
      body.push(`<details class="gw" open data-gateway="${escapeHtml(s.key)}" data-search="${escapeHtml(s.title.toLowerCase())}">`
        + `<summary>${escapeHtml(s.title)}: ${hosts} host${hosts === 1 ? '' : 's'}, ${routes} route${routes === 1 ? '' : 's'}`
        + `${bad > 0 ? `, <b style="color:#c00">${bad} dangling</b>` : ''}</summary>`
        + `<div class="scroll">${svgOf(s)}</div></details>`);
    }
    body.push('</details>');
  }
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(title)}</h1>
<span id="summary">${count('gateway')} gateways, ${count('listener')} listeners, ${count('host')} hosts, ${count('route')} routes, ${count('destination')} destinations${dangling > 0 ? `, ${dangling} dangling edges` : ''}</span>
<input type="search" id="q" placeholder="search hosts, routes, services, certificates" aria-label="search">
<span id="count"></span>
<label><input type="checkbox" id="problems"> only gateways with dangling references</label>
<button id="expand" type="button">expand all</button><button id="collapse" type="button">collapse all</button>
<span class="legend"><span style="background:#eef">workload</span><span style="background:#dde8ff">gateway</span><span style="background:#eef7ee">listener</span><span style="background:#fff8e0">host</span><span style="background:#f3eaff">route</span><span style="background:#e8f7f7">destination</span><span style="color:#c00;border-color:#c00;border-style:dashed">missing</span></span>
</header>
<main>
${body.join('\n')}
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
