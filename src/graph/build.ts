// routingGraph(): the routing picture of Istio and Gateway API objects (Gateways, routes,
// DestinationRules, Services, ServiceEntries and workloads) from plain objects. Pure and
// deterministic: the same objects, in any order, give the same graph. The builder is in builder.ts.

import { isRecord, recs, str, strs } from '../analysis/objects';
import { ResourceIndex } from '../analysis/resource-index';
import { Builder, cmp } from './builder';
import { addGatewayApi } from './gateway-api';
import { RoutingGraph, RoutingGraphOptions } from './model';

export { MESH, describeMatches, shortHost } from './builder';

/** The routing picture of plain Kubernetes objects (synthesized or hand-written). */
export function routingGraph(objects: readonly object[], options: RoutingGraphOptions = {}): RoutingGraph {
  const idx = new ResourceIndex(objects, options.external ?? []);
  const b = new Builder(idx);
  const inputGateways = idx.list('Gateway').filter((g) => !g.external).sort((x, y) => cmp(x.fullName, y.fullName));
  for (const g of inputGateways) b.gateway(g);
  const vss = idx.list('VirtualService').filter((v) => !v.external).sort((x, y) => cmp(x.fullName, y.fullName));
  // A delegate VirtualService (no hosts, named by another's `delegate`) is drawn under its root.
  const delegates = new Set<string>();
  for (const vs of vss) {
    for (const rule of recs(vs.spec.http)) {
      if (isRecord(rule.delegate)) delegates.add(`${str(rule.delegate.namespace) || vs.namespace}/${str(rule.delegate.name) ?? ''}`);
    }
  }
  for (const vs of vss) if (!(delegates.has(vs.fullName) && strs(vs.spec.hosts).length === 0)) b.virtualService(vs);
  addGatewayApi(b, objects);
  return b.result();
}

