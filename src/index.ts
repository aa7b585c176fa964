// istio-gateway-constructs: typed cdk8s constructs for Istio ingress gateways, the static
// analyzer and the schema validator. The Pulumi front end is `istio-gateway-constructs/pulumi`.
export * from './cdk8s';
export { IstioGatewayError } from './errors';
export type { IstioGatewayErrorDetails } from './errors';
export { TlsMode } from './model/gateway';
export * as apiVersions from './render/api-versions';
export { migrate } from './migration';
export type { ListenerModel } from './render/gateway-api/translate';
// Types that appear in public signatures (props, getters, results).
export type { GatewayServer, ServerProtocol, ServerTls } from './model/gateway';
export type { ServicePortModel, TolerationModel } from './model/tenant-gateway';
export type { KubeObject, ObjectMeta } from './render/objects';
export type { MigrateOptions, MigrationResult } from './migration';
export { analyze, ANALYZER_NAMES, formatDiagnostic } from './analysis';
export type { AnalyzeOptions, Diagnostic, Level } from './analysis';
export { loadCrds, loadBundledCrds, bundledCrdPath, BUNDLED_CRDS, validateObjects, CrdSet } from './validation';
export type { BundledCrds } from './validation';
export type { ValidateOptions, ValidationIssue, ValidationResult, SkippedRule } from './validation';
export { routingGraph, toMermaid, toDot, toHtml } from './graph';
export type { GraphNode, GraphEdge, RoutingGraph, RoutingGraphOptions, NodeKind, EdgeKind, GraphApi } from './graph';
export { reviewChange, formatReviewText, formatReviewMarkdown, formatReviewJson } from './review';
export type { ChangeReview, ChangeKind, Disruption, DisruptionRule, ReviewChange, ReviewOptions, WeightShift } from './review';
