// The two versions of a canary (CanaryRoute, TcpCanaryRoute): the subsets as props give them,
// their checks (names, pod labels that tell the versions apart, the weight), and what the
// DestinationRule (api 'istio') or the version Services (api 'gateway-api') are made from.
import { PropChecker } from '../checks';
import { HttpMatch } from './matches';
import { DestinationRuleSubset } from './objects';
import { PropReaders } from './destination';
import { normalizeTrafficPolicy, TrafficPolicy, TrafficPolicyModel } from './traffic-policy';

/**
 * One version of the destination as the props give it; the front end types `workload` (a
 * construct) and documents the props (`CanarySubset` in ../../cdk8s/canary-route).
 */
export interface SubsetProp {
  readonly subset: string;
  readonly labels?: Record<string, string>;
  readonly workload?: unknown;
}

/** The canary version as the props give it: a subset, its weight and (HTTP) its pinned matches. */
export interface CanaryTargetProp extends SubsetProp {
  readonly weight: number;
  readonly match?: HttpMatch[];
}

/** A validated subset: its name, its pod labels and the prop they came from (for messages). */
export interface SubsetModel {
  readonly subset: string;
  readonly labels: Record<string, string>;
  readonly labelsProp: string;
}

/** Validates a subset: a DNS-1123 name and at least one pod label (given, or read from `workload`). */
export function normalizeSubset(check: PropChecker, prop: string, s: SubsetProp | undefined, known: readonly string[], readers: PropReaders): SubsetModel {
  check.object(prop, s, true);
  check.knownProps(prop, s, [...known, 'workload']);
  const subset = check.name(`${prop}.subset`, s!.subset);
  if (subset === undefined) check.fail(`${prop}.subset`, s!.subset, 'this prop is required: a subset name such as "v1"');
  if (s!.workload !== undefined) {
    if (s!.labels !== undefined) check.fail(`${prop}.labels`, s!.labels, 'give either labels or workload, not both (the labels are derived from the workload\'s pod template)');
    const labels = readers.workloadLabels(check, `${prop}.workload`, s!.workload);
    if (Object.keys(labels).length === 0) {
      check.fail(`${prop}.workload`, s!.workload, `a workload whose pod template has labels: an empty set would select every pod of the Service (or give ${prop}.labels)`);
    }
    return { subset, labels, labelsProp: `${prop}.workload` };
  }
  if (s!.labels === undefined || (typeof s!.labels === 'object' && s!.labels !== null && Object.keys(s!.labels).length === 0)) {
    check.fail(`${prop}.labels`, s!.labels, `expected at least one pod label that selects only the ${prop} version's pods, e.g. { version: "v1" }; an empty set would select every pod of the Service`);
  }
  const labels = check.labels(`${prop}.labels`, s!.labels, { nonEmpty: true });
  return { subset, labels, labelsProp: `${prop}.labels` };
}

/** Refuses subsets where one selects the other's pods: the split would no longer be the split. */
export function checkDisjoint(check: PropChecker, stableSubset: SubsetModel, canarySubset: SubsetModel): void {
  const stable = stableSubset.labels;
  const canary = canarySubset.labels;
  const prop = canarySubset.labelsProp;
  const within = (x: Record<string, string>, y: Record<string, string>) => Object.keys(x).every((k) => y[k] === x[k]);
  if (within(stable, canary)) {
    check.fail(prop, canary, `every canary pod also carries the stable labels ${JSON.stringify(stable)}, so the stable subset would select canary pods too: give the versions labels with different values (e.g. version: v1 / version: v2)`);
  }
  if (within(canary, stable)) {
    check.fail(prop, canary, `every stable pod also carries these labels (stable: ${JSON.stringify(stable)}), so the canary subset would select stable pods too: give the versions labels with different values (e.g. version: v1 / version: v2)`);
  }
}

/** Both versions of a canary, checked together, and the canary's weight. */
export interface CanaryVersionsModel {
  readonly stable: SubsetModel;
  readonly canary: SubsetModel;
  /** Percentage of the split (HTTP) or of new connections (TCP) sent to the canary. */
  readonly weight: number;
}

/** What differs between the HTTP and the TCP canary when their versions are read. */
export interface CanaryVersionsOptions {
  /** Props the `canary` object may have besides `subset`, `labels` and `workload`. */
  readonly canaryProps: readonly string[];
  /** What the weight is a percentage of, as the refusal of a missing weight says it. */
  readonly share: string;
}

/** Reads `stable` and `canary`: two subsets with their own names and pod labels, and the weight. */
export function normalizeCanaryVersions(check: PropChecker, props: { readonly stable: SubsetProp; readonly canary: SubsetProp & { readonly weight: number } },
  opts: CanaryVersionsOptions, readers: PropReaders): CanaryVersionsModel {
  const stable = normalizeSubset(check, 'stable', props.stable, ['subset', 'labels'], readers);
  const canary = normalizeSubset(check, 'canary', props.canary, ['subset', 'labels', ...opts.canaryProps], readers);
  if (canary.subset === stable.subset) {
    check.fail('canary.subset', canary.subset, `the stable subset is already named "${stable.subset}": give each subset its own name (e.g. "v1" and "v2")`);
  }
  checkDisjoint(check, stable, canary);
  const weight = check.integer('canary.weight', props.canary.weight, 0, 100);
  if (weight === undefined) check.fail('canary.weight', props.canary.weight, `this prop is required: an integer from 0 to 100 (${opts.share}; stable gets the rest)`);
  return { stable, canary, weight };
}

/** The DestinationRule's subsets, stable then canary. */
export function destinationRuleSubsets(v: CanaryVersionsModel): DestinationRuleSubset[] {
  return [v.stable, v.canary].map((s) => ({ name: s.subset, labels: s.labels }));
}

/**
 * How the versions are selected: with api 'istio' a DestinationRule (with its optional traffic
 * policy); with api 'gateway-api', which has no subsets, one Service per version whose selector
 * is the destination's (`destinationSelector`, else found at synthesis) plus the subset labels.
 */
export type VersionSelectionModel =
  | { readonly api: 'istio'; readonly trafficPolicy?: TrafficPolicyModel }
  | { readonly api: 'gateway-api'; readonly destinationSelector?: Record<string, string> };

/** The refusals' fixes, which name where the API comes from (the route's `api`, or its gateway's). */
export interface VersionSelectionWording {
  /** The end of the refusal of `trafficPolicy` with api 'gateway-api'. */
  readonly trafficPolicyFix: string;
  /** How the refusal of `destinationSelector` with api 'istio' names the API. */
  readonly gatewayApi: string;
}

/**
 * Reads `trafficPolicy` and `destinationSelector` for the API the canary is written in: each
 * applies to one API only, and is refused, not dropped, in the other.
 */
export function normalizeVersionSelection(check: PropChecker, props: { readonly trafficPolicy?: TrafficPolicy; readonly destinationSelector?: Record<string, string> },
  api: 'istio' | 'gateway-api', wording: VersionSelectionWording): VersionSelectionModel {
  const trafficPolicy = normalizeTrafficPolicy(check, 'trafficPolicy', props.trafficPolicy);
  const selector = props.destinationSelector === undefined ? undefined : check.labels('destinationSelector', props.destinationSelector, { nonEmpty: true });
  if (api === 'gateway-api') {
    if (trafficPolicy) check.fail('trafficPolicy', props.trafficPolicy, `with api 'gateway-api' there is no DestinationRule, and Gateway API has no traffic policy: ${wording.trafficPolicyFix}`);
    return { api, ...(selector ? { destinationSelector: selector } : {}) };
  }
  if (selector) check.fail('destinationSelector', selector, `applies only ${wording.gatewayApi} (the DestinationRule's subsets select the pods in the Istio API): remove it`);
  return { api, ...(trafficPolicy ? { trafficPolicy } : {}) };
}
