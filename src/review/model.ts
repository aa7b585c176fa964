// What a change review reports: the changes a reviewer reads, grouped by gateway and host, and the
// changes that would disrupt live traffic or fail to apply, each with its reason and a safe sequence.

export type ChangeKind =
  | 'host-added' | 'host-removed' | 'host-moved'
  | 'listener-opened' | 'listener-closed'
  | 'certificate-changed'
  | 'traffic-shift' | 'match-changed' | 'route-added' | 'route-removed';

export interface WeightShift {
  /** The destination as `host:port subset s`. */
  readonly destination: string;
  /** Percent of the route's traffic; 0 when the destination was not in the route. */
  readonly before: number;
  readonly after: number;
}

export interface ReviewChange {
  readonly kind: ChangeKind;
  /** `ns/name` of the gateway, `mesh` for sidecar routes. */
  readonly gateway: string;
  /** The host the change is about, when there is one. */
  readonly host?: string;
  readonly summary: string;
  readonly before?: string;
  readonly after?: string;
  /** Route changes: the route rule (`ns/vs http[0] name`). */
  readonly route?: string;
  /** traffic-shift: the weights per destination. */
  readonly shifts?: readonly WeightShift[];
}

export type DisruptionRule =
  | 'immutable-field'
  | 'service-type'
  | 'service-port-removed'
  | 'subset-removed'
  | 'gateway-selector'
  | 'host-removed-while-routed'
  | 'host-moved'
  | 'sds-rolebinding'
  | 'certificate-secret';

export interface Disruption {
  readonly rule: DisruptionRule;
  /** `Kind namespace/name` of the object whose change is disruptive. */
  readonly object: string;
  readonly gateway?: string;
  readonly host?: string;
  /** What breaks, and why. */
  readonly reason: string;
  /** How to make the same change without breaking traffic. */
  readonly safeSequence: string;
}

export interface ChangeReview {
  /** Sorted by gateway, host, kind, summary. */
  readonly changes: readonly ReviewChange[];
  /** Sorted by gateway, object, rule. */
  readonly disruptions: readonly Disruption[];
}

export interface ReviewOptions {
  /** Objects that exist in the cluster in both states but are not in either input (see `routingGraph`). */
  readonly external?: readonly object[];
}
