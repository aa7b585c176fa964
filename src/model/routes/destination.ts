// Destinations as the props give them (a host, or a Service construct, and a port), and how the
// model reads props that may name constructs: the front end passes its readers, so this layer
// stays free of cdk8s and constructs (the cdk8s readers are in ../../cdk8s/kplus-interop).
import { PropChecker } from '../checks';

/**
 * A destination as the props give it: a host, or a Service construct of the front end (which
 * types it: `Destination` and `RouteDestination` in ../../cdk8s), and a port.
 */
export interface DestinationProp {
  readonly host?: string;
  readonly service?: unknown;
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
