// The routing picture as data: nodes in six layers (gateway workload -> gateway -> listener -> host
// -> route -> destination) and the edges between them. The model is API-neutral: `api` says where a
// gateway or route came from, so the Kubernetes Gateway API (Gateway, HTTPRoute, TLSRoute, TCPRoute)
// adds nodes of the same kinds rather than new ones.

/** The layer a node belongs to, left to right in every drawing. */
export type NodeKind = 'workload' | 'gateway' | 'listener' | 'host' | 'route' | 'destination';

export const NODE_KINDS: readonly NodeKind[] = ['workload', 'gateway', 'listener', 'host', 'route', 'destination'];

/** Which API an object came from. `mesh` is the pseudo-gateway of routes bound to sidecars. */
export type GraphApi = 'istio' | 'gateway-api' | 'mesh';

export interface GraphNode {
  /** Stable identity: the same configuration gives the same id, in every run (used by the review). */
  readonly id: string;
  readonly kind: NodeKind;
  /** One-line text for a drawing. */
  readonly label: string;
  /** Namespace the node belongs to (a destination: the namespace of its service). */
  readonly namespace: string;
  /**
   * The gateway a node is drawn under (`ns/name`, `mesh`, or `` for destinations shared by many
   * gateways): the unit of grouping and collapsing.
   */
  readonly group: string;
  readonly api: GraphApi;
  /** The facts behind the label, for search and for the review (port, protocol, tlsMode, credentialName, match, ...). */
  readonly attrs: Readonly<Record<string, string>>;
  /** Set when the node is referenced but does not exist in the input: the reason, for a dangling drawing. */
  readonly missing?: string;
}

export type EdgeKind = 'runs' | 'listens' | 'serves' | 'routes' | 'sends';

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  /** `sends` edges: the share of the route's traffic, 0..100. */
  readonly weight?: number;
  /** Set when the edge points at something missing (a subset, a host no gateway serves, a service): the reason. */
  readonly dangling?: string;
}

export interface RoutingGraph {
  /** Sorted by kind (layer order), then id. */
  readonly nodes: readonly GraphNode[];
  /** Sorted by from, to, kind. */
  readonly edges: readonly GraphEdge[];
}

export interface RoutingGraphOptions {
  /**
   * Objects that exist in the cluster but not in the input (the shared ingress gateway's Deployment,
   * other teams' Services): they satisfy references, so edges to them are not drawn dangling.
   */
  readonly external?: readonly object[];
}
