// istio-gateway-constructs: typed cdk8s constructs for Istio ingress gateways, the static
// analyzer and the schema validator. The Pulumi front end is `istio-gateway-constructs/pulumi`.
import type * as Analysis from './analysis';
import type * as Graph from './graph';
import type * as Migration from './migration';
import type * as Review from './review';
import type * as Validation from './validation';

// The analyzer, the migration, the validator, the routing graph and the change review load on
// first use: `cdk8s synth` runs one process per synthesis, which never calls the last four (js-yaml,
// the schema compiler, ... were about 17 ms of every synthesis). Each name below is a getter returning the
// module's own value (`instanceof CrdSet` holds). The placeholders keep the names visible to Node's
// import of this CommonJS file from ES modules (cjs-module-lexer reads `exports.NAME =`), and keep
// `Object.keys` of the package in the order of the eager re-exports they replace.
exports.formatReviewJson = exports.formatReviewMarkdown = exports.formatReviewText = exports.reviewChange = exports.toHtml
  = exports.toDot = exports.toMermaid = exports.routingGraph = exports.CrdSet = exports.validateObjects = exports.BUNDLED_CRDS
  = exports.bundledCrdPath = exports.loadBundledCrds = exports.loadCrds = exports.formatDiagnostic = exports.ANALYZER_NAMES
  = exports.analyze = exports.migrate = undefined;
export * from './cdk8s';
export { IstioGatewayError } from './errors';
export type { IstioGatewayErrorDetails } from './errors';
export { TlsMode } from './model/gateway';
export * as apiVersions from './render/api-versions';
lazy(() => require('./migration') as typeof Migration, ['migrate']);
lazy(() => require('./analysis') as typeof Analysis, ['analyze', 'ANALYZER_NAMES', 'formatDiagnostic']);
lazy(() => require('./validation') as typeof Validation, ['loadCrds', 'loadBundledCrds', 'bundledCrdPath', 'BUNDLED_CRDS', 'validateObjects', 'CrdSet']);
lazy(() => require('./graph') as typeof Graph, ['routingGraph', 'toMermaid', 'toDot', 'toHtml']);
lazy(() => require('./review') as typeof Review, ['reviewChange', 'formatReviewText', 'formatReviewMarkdown', 'formatReviewJson']);

/** Defines each of `names` on the package's exports as a getter of the value in the module `load()` requires on first read. */
function lazy<M extends object>(load: () => M, names: readonly (keyof M & string)[]): void {
  let loaded: M | undefined;
  for (const name of names) Object.defineProperty(exports, name, { enumerable: true, configurable: true, get: () => (loaded ??= load())[name] });
}

/**
 * Converts Istio networking objects to Gateway API v1.5.1 objects for Istio's `istio` GatewayClass
 * (the `migrate` command). See `MigrateOptions` and `MigrationResult`.
 */
export declare const migrate: typeof Migration.migrate;
/**
 * Analyzes plain Kubernetes objects as `istioctl analyze` does (same codes, names and levels) and
 * returns the findings, sorted by analyzer, origin, code and message.
 * @throws Error when `options.analyzers` names an unknown analyzer.
 */
export declare const analyze: typeof Analysis.analyze;
/** Names of the available analyzers (Istio's `package.TypeName`), in the order their findings are listed. */
export declare const ANALYZER_NAMES: typeof Analysis.ANALYZER_NAMES;
/** istioctl's line format: `Error [IST0145] (Gateway ns/name) message`. */
export declare const formatDiagnostic: typeof Analysis.formatDiagnostic;
/**
 * Builds a CrdSet from CRD objects, YAML/JSON files, and folders of them (read recursively); without
 * sources, the schemas bundled with the package. Throws a `CrdLoadError` naming the source.
 */
export declare const loadCrds: typeof Validation.loadCrds;
/** A CrdSet of bundled schemas, by default Istio 1.30.3 and the Gateway API v1.5.1 standard channel. */
export declare const loadBundledCrds: typeof Validation.loadBundledCrds;
/** Absolute path of a bundled artifact: a JSON `List` of CRDs, also usable as a `--crds` file. */
export declare const bundledCrdPath: typeof Validation.bundledCrdPath;
/** The CRD schemas shipped in the package's `schemas/` folder, by name. */
export declare const BUNDLED_CRDS: typeof Validation.BUNDLED_CRDS;
/**
 * Validates plain objects as the API server would before admission: custom resources against their
 * CRD's schema and CEL rules, core kinds against kubernetes-models' schemas, everyone's metadata.
 */
export declare const validateObjects: typeof Validation.validateObjects;
/** Schemas from a set of CRDs. Build one with `loadCrds`. */
export declare const CrdSet: typeof Validation.CrdSet;
/** Schemas from a set of CRDs. Build one with `loadCrds`. */
export type CrdSet = Validation.CrdSet;
/** The routing picture of plain Kubernetes objects (synthesized or hand-written). */
export declare const routingGraph: typeof Graph.routingGraph;
/** A Mermaid `flowchart LR` that GitHub and GitLab render in markdown. */
export declare const toMermaid: typeof Graph.toMermaid;
/** A Graphviz digraph with one cluster per gateway and per destination namespace. */
export declare const toDot: typeof Graph.toDot;
/** The routing picture as one HTML page that needs nothing else to open. */
export declare const toHtml: typeof Graph.toHtml;
/** The change review of `after` against `before`: pure and deterministic. */
export declare const reviewChange: typeof Review.reviewChange;
/** A change review as plain text. */
export declare const formatReviewText: typeof Review.formatReviewText;
/** A change review as markdown (a pull-request comment). */
export declare const formatReviewMarkdown: typeof Review.formatReviewMarkdown;
/** A change review as JSON. */
export declare const formatReviewJson: typeof Review.formatReviewJson;

export type { ListenerModel } from './render/gateway-api/listeners';
// Types that appear in public signatures (props, getters, results).
export type { GatewayServer, ServerProtocol, ServerTls } from './model/gateway';
export type { ServicePortModel, TolerationModel } from './model/tenant-gateway';
export type { KubeObject, ObjectMeta } from './render/objects';
export type { MigrateOptions, MigrationResult } from './migration';
export type { AnalyzeOptions, Diagnostic, Level } from './analysis';
export type { BundledCrds } from './validation';
export type { ValidateOptions, ValidationIssue, ValidationResult, SkippedRule } from './validation';
export type { GraphNode, GraphEdge, RoutingGraph, RoutingGraphOptions, NodeKind, EdgeKind, GraphApi } from './graph';
export type { ChangeReview, ChangeKind, Disruption, DisruptionRule, ReviewChange, ReviewOptions, WeightShift } from './review';
