// Narrowing a routing picture to some gateways (by namespace or name): one team's part of a large
// platform, small enough for a Mermaid block in a pull request.

import { GraphEdge, RoutingGraph } from './model';

export interface GraphSelection {
  /** Keep gateways in these namespaces (mesh routes count by the route's namespace). */
  readonly namespaces?: readonly string[];
  /** Keep these gateways: `ns/name`, `mesh`, or `gateway-api:ns/name`. */
  readonly gateways?: readonly string[];
}

/** The gateways selected, their workloads, and everything reachable from them; sorted as the input. */
export function selectGraph(graph: RoutingGraph, sel: GraphSelection): RoutingGraph {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const out = new Map<string, GraphEdge[]>();
  for (const e of graph.edges) (out.get(e.from) ?? out.set(e.from, []).get(e.from)!).push(e);
  const ns = new Set(sel.namespaces ?? []);
  const gws = new Set(sel.gateways ?? []);
  const keep = new Set<string>();
  const starts = graph.nodes.filter((n) => n.kind === 'gateway' && (gws.has(n.group) || (n.namespace !== '' && ns.has(n.namespace))));
  const queue = starts.map((n) => n.id);
  // Mesh routes of a selected namespace: their host nodes carry the route's namespace.
  if (ns.size > 0) for (const n of graph.nodes) if (n.kind === 'host' && n.api === 'mesh' && ns.has(n.namespace)) queue.push(n.id);
  for (const id of queue) keep.add(id);
  while (queue.length > 0) {
    const id = queue.shift()!;
    for (const e of out.get(id) ?? []) {
      if (!keep.has(e.to)) {
        keep.add(e.to);
        queue.push(e.to);
      }
    }
  }
  for (const e of graph.edges) {
    if (keep.has(e.to) && byId.get(e.to)!.kind === 'gateway' && byId.get(e.from)!.kind === 'workload') keep.add(e.from);
    if (keep.has(e.to) && byId.get(e.to)!.kind === 'host' && byId.get(e.from)!.kind === 'gateway' && byId.get(e.to)!.api === 'mesh') keep.add(e.from);
  }
  return { nodes: graph.nodes.filter((n) => keep.has(n.id)), edges: graph.edges.filter((e) => keep.has(e.from) && keep.has(e.to)) };
}
