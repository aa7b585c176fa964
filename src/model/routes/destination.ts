// Destinations as the props give them (a host, or a Service construct, and a port), and how the
// model reads props that may name constructs: the front end passes its readers, so this layer
// stays free of cdk8s (the cdk8s ones are in ../../cdk8s/kplus-interop).
import type { IConstruct } from 'constructs';
import { PropChecker } from '../checks';

/** A Kubernetes Service (or mesh host) and port that receives the hosts' traffic. */
export interface Destination {
  /**
   * Service host: `name` (in the route's namespace) or a full `name.namespace.svc.cluster.local`.
   * Istio takes any other dotted host (`name.namespace` too) literally, as a ServiceEntry host.
   * Give either `host` or `service`.
   * @default - derived from `service`
   */
  readonly host?: string;
  /**
   * The Service itself: a `kplus.Service` (cdk8s-plus) or any Service `ApiObject`. The host is its
   * name, fully qualified (`name.ns.svc.cluster.local`) when it has a namespace.
   * @default - none: give `host`
   */
  readonly service?: IConstruct;
  /**
   * Service port (1-65535).
   * @default - the Service's port when `service` has exactly one (else required)
   */
  readonly port?: number;
}

/** The Kubernetes Service (or mesh host) a route sends traffic to. */
export interface RouteDestination {
  /**
   * Service host: a short name (`reviews`, resolved in the route's namespace) or the full
   * `reviews.bookinfo.svc.cluster.local`. Give either `host` or `service`.
   * @default - derived from `service`
   */
  readonly host?: string;
  /**
   * The Service itself: a `kplus.Service` (cdk8s-plus) or any Service `ApiObject`. The host is its
   * name, fully qualified (`name.ns.svc.cluster.local`) when it has a namespace; its port is used
   * when it has exactly one (a given `port` must be one of its ports).
   * @default - none: give `host`
   */
  readonly service?: IConstruct;
  /**
   * Service port. Required when the Service exposes more than one port (istioctl IST0112).
   * @default - the Service's only port
   */
  readonly port?: number;
}

/** A destination once read: its host, and its port when given or derived. */
export interface DestinationModel {
  readonly host: string;
  readonly port?: number;
}

/** A destination whose port is known. */
export interface PortDestinationModel {
  readonly host: string;
  readonly port: number;
}

/**
 * How the model reads the props that may name constructs: a destination's `service`, a canary
 * subset's `workload`. Each either returns the plain value or refuses through `check`.
 */
export interface PropReaders {
  /** A destination prop: `{ host, port? }` or `{ service, port? }`. */
  destination(check: PropChecker, prop: string, value: unknown, portRequired: true): PortDestinationModel;
  destination(check: PropChecker, prop: string, value: unknown, portRequired?: false): DestinationModel;
  /** The pod labels of a workload construct (a canary subset's `workload`). */
  workloadLabels(check: PropChecker, prop: string, workload: unknown): Record<string, string>;
}

function plainDestination(check: PropChecker, prop: string, value: unknown, portRequired: true): PortDestinationModel;
function plainDestination(check: PropChecker, prop: string, value: unknown, portRequired?: false): DestinationModel;
function plainDestination(check: PropChecker, prop: string, value: unknown, portRequired = false): DestinationModel {
  const service = value !== null && typeof value === 'object' ? (value as { service?: unknown }).service : undefined;
  if (service !== undefined) check.fail(`${prop}.service`, String(service), 'a Service construct needs the cdk8s front end: give host instead');
  return portRequired ? check.destination(prop, value, true) : check.destination(prop, value);
}

/**
 * Readers for plain values only (no construct tree): a destination is `{ host, port }`, and a
 * subset `workload` is refused. For front ends without constructs, and for unit tests of the model.
 */
export const PLAIN_READERS: PropReaders = {
  destination: plainDestination,
  workloadLabels: (check, prop, workload) => check.fail(prop, workload, 'a workload construct needs the cdk8s front end: give the subset\'s labels instead'),
};
