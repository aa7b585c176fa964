// Mermaid and Graphviz dot renderings of the routing picture. Node ids are generated (`n0`, `n1`,
// ... in graph order) so that no host name or namespace can break the syntax; every label is quoted
// and escaped for its format.

import { GraphEdge, GraphNode, RoutingGraph } from './model';

/** Mermaid entity codes for everything that could end a quoted label or be read as markup. */
export function mermaidText(s: string): string {
  return s
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/#/g, '#35;')
    .replace(/&/g, '#38;')
    .replace(/"/g, '#quot;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/`/g, '#96;')
    .replace(/\|/g, '#124;');
}

/** A double-quoted Graphviz string. */
export function dotString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}

export function edgeText(e: GraphEdge): string | undefined {
  const parts: string[] = [];
  if (e.weight !== undefined) parts.push(`${e.weight}%`);
  if (e.dangling) parts.push(`missing: ${e.dangling}`);
  return parts.length > 0 ? parts.join(' ') : undefined;
}

/** How a gateway group is named for a reader: `Gateway ns/name`, `Gateway ns/name (Gateway API)`, mesh routes. */
export function groupTitle(group: string): string {
  if (group === 'mesh') return 'mesh routes (sidecars)';
  if (group === '') return 'not tied to a gateway';
  if (group.startsWith('gateway-api:')) return `Gateway ${group.slice('gateway-api:'.length)} (Gateway API)`;
  return `Gateway ${group}`;
}

/** Groups for drawing: one per gateway (`ns/name`, `mesh`), and destinations by their namespace. */
export function groupsOf(graph: RoutingGraph): Array<{ key: string; title: string; nodes: GraphNode[] }> {
  const groups = new Map<string, { key: string; title: string; nodes: GraphNode[] }>();
  for (const n of graph.nodes) {
    const key = n.kind === 'destination' ? `services:${n.namespace}` : `gateway:${n.group}`;
    const title = n.kind === 'destination' ? `services in namespace ${n.namespace || '(none)'}`
      : groupTitle(n.group);
    let g = groups.get(key);
    if (!g) groups.set(key, g = { key, title, nodes: [] });
    g.nodes.push(n);
  }
  return [...groups.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function ids(graph: RoutingGraph): Map<string, string> {
  return new Map(graph.nodes.map((n, i) => [n.id, `n${i}`]));
}

const KIND_STYLE: Record<string, string> = {
  workload: 'fill:#eef,stroke:#669',
  gateway: 'fill:#dde8ff,stroke:#335',
  listener: 'fill:#eef7ee,stroke:#585',
  host: 'fill:#fff8e0,stroke:#a80',
  route: 'fill:#f3eaff,stroke:#748',
  destination: 'fill:#e8f7f7,stroke:#377',
};

/** A Mermaid `flowchart LR` that GitHub and GitLab render in markdown. */
export function toMermaid(graph: RoutingGraph): string {
  const id = ids(graph);
  const out: string[] = ['flowchart LR'];
  for (const [kind, style] of Object.entries(KIND_STYLE)) out.push(`  classDef ${kind} ${style}`);
  out.push('  classDef missing fill:#fff,stroke:#c00,stroke-dasharray:4 3,color:#c00');
  groupsOf(graph).forEach((g, gi) => {
    out.push(`  subgraph g${gi}["${mermaidText(g.title)}"]`);
    for (const n of g.nodes) {
      const label = n.missing ? `${n.label} (missing: ${n.missing})` : n.label;
      out.push(`    ${id.get(n.id)}["${mermaidText(label)}"]:::${n.missing ? 'missing' : n.kind}`);
    }
    out.push('  end');
  });
  const dangling: number[] = [];
  graph.edges.forEach((e, i) => {
    const text = edgeText(e);
    const arrow = e.dangling ? '-.->' : '-->';
    if (e.dangling) dangling.push(i);
    out.push(`  ${id.get(e.from)} ${arrow}${text ? `|"${mermaidText(text)}"|` : ''} ${id.get(e.to)}`);
  });
  if (dangling.length > 0) out.push(`  linkStyle ${dangling.join(',')} stroke:#c00,color:#c00`);
  return `${out.join('\n')}\n`;
}

/** A Graphviz digraph with one cluster per gateway and per destination namespace. */
export function toDot(graph: RoutingGraph): string {
  const id = ids(graph);
  const out: string[] = [
    'digraph routing {',
    '  rankdir=LR;',
    '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="monospace", fontsize=10];',
    '  edge [fontname="monospace", fontsize=9];',
  ];
  const fill: Record<string, string> = {
    workload: '#eeeeff', gateway: '#dde8ff', listener: '#eef7ee', host: '#fff8e0', route: '#f3eaff', destination: '#e8f7f7',
  };
  groupsOf(graph).forEach((g, gi) => {
    out.push(`  subgraph cluster_${gi} {`, `    label=${dotString(g.title)};`);
    for (const n of g.nodes) {
      const attrs = [`label=${dotString(n.missing ? `${n.label}\nmissing: ${n.missing}` : n.label)}`, `tooltip=${dotString(n.id)}`];
      attrs.push(n.missing ? 'style="rounded,dashed", color="#cc0000", fontcolor="#cc0000"' : `fillcolor="${fill[n.kind]}"`);
      out.push(`    ${id.get(n.id)} [${attrs.join(', ')}];`);
    }
    out.push('  }');
  });
  for (const e of graph.edges) {
    const text = edgeText(e);
    const attrs: string[] = [];
    if (text) attrs.push(`label=${dotString(text)}`);
    if (e.dangling) attrs.push('style=dashed', 'color="#cc0000"', 'fontcolor="#cc0000"');
    out.push(`  ${id.get(e.from)} -> ${id.get(e.to)}${attrs.length ? ` [${attrs.join(', ')}]` : ''};`);
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}
