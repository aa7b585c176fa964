// The routing picture: model, builder and renderings (Mermaid, Graphviz dot, self-contained HTML).
export { routingGraph, describeMatches, shortHost } from './build';
export { toMermaid, toDot, mermaidText, dotString } from './render-text';
export { toHtml } from './render-html';
export { selectGraph } from './select';
export type { GraphSelection } from './select';
export { NODE_KINDS } from './model';
export type { GraphNode, GraphEdge, RoutingGraph, RoutingGraphOptions, NodeKind, EdgeKind, GraphApi } from './model';
