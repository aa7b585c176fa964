// cdk8s-plus interop without depending on cdk8s-plus at load: a route's destination may be a
// `kplus.Service` (or any Service ApiObject), a canary subset may take its labels from a
// `kplus.Deployment` (or any workload ApiObject with a pod template), and a TenantGateway can be
// the selector of a `kplus.NetworkPolicy`. Objects are recognized by shape through cdk8s's
// `ApiObject.of`, so the root entry loads when cdk8s-plus-28 is not installed.
import { ApiObject } from 'cdk8s';
import { isApiObject } from './cdk8s-compat';
import { IConstruct } from 'constructs';
import { PropChecker } from '../model/checks';

/** A destination after its Service (if any) is resolved: what routes render. */
export interface ResolvedDestination {
  readonly host: string;
  readonly port?: number;
}

/** A destination as the props give it: a host, or a Service construct, and maybe a port. */
export interface DestinationInput {
  readonly host?: string;
  readonly service?: IConstruct;
  readonly port?: number;
}

function apiObjectOf(value: unknown): ApiObject | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (isApiObject(value)) return value;
  const node = (value as { node?: { tryFindChild?: unknown } }).node;
  if (!node || typeof node.tryFindChild !== 'function') return undefined;
  try {
    return ApiObject.of(value as IConstruct);
  } catch {
    return undefined;
  }
}

function clusterHost(name: string, namespace: string | undefined): string {
  return namespace === undefined ? name : `${name}.${namespace}.svc.cluster.local`;
}

/** The ports of a Service construct: a kplus.Service's current ports, else the object's spec.ports. */
function servicePorts(value: object, obj: ApiObject): number[] {
  const own = (value as { ports?: unknown }).ports;
  const list = Array.isArray(own) ? own : ((obj.toJson() as { spec?: { ports?: unknown } }).spec?.ports ?? []);
  return (Array.isArray(list) ? list : []).map((p) => (p as { port?: unknown }).port).filter((p): p is number => typeof p === 'number');
}

/**
 * Reads `prop` as a destination: `{ host, port? }` or `{ service, port? }` where `service` is a
 * `kplus.Service` or a Service ApiObject. The host is the Service's name, fully qualified
 * (`name.ns.svc.cluster.local`) when the Service has a namespace; the port is derived when the
 * Service has exactly one port, and a given port must be one of the Service's.
 */
export function destinationOf(check: PropChecker, prop: string, value: unknown, portRequired: true): { host: string; port: number };
export function destinationOf(check: PropChecker, prop: string, value: unknown, portRequired?: false): ResolvedDestination;
export function destinationOf(check: PropChecker, prop: string, value: unknown, portRequired = false): ResolvedDestination {
  const d = check.object<DestinationInput>(prop, value as DestinationInput, true);
  if (d.service === undefined) {
    return portRequired ? check.destination(prop, d, true) : check.destination(prop, d);
  }
  check.knownProps(prop, d, ['service', 'port']);
  if (d.host !== undefined) check.fail(`${prop}.host`, d.host, 'give either host or service, not both (the host is derived from the Service)');
  const obj = apiObjectOf(d.service);
  if (obj === undefined || obj.kind !== 'Service' || obj.apiVersion !== 'v1') {
    check.fail(`${prop}.service`, obj ? `${obj.apiVersion} ${obj.kind} ${obj.name}` : d.service, 'expected a kplus.Service or a v1 Service ApiObject (or give host instead)');
  }
  const host = clusterHost(obj.name, obj.metadata.namespace);
  const ports = servicePorts(d.service, obj);
  const given = check.port(`${prop}.port`, d.port);
  if (given !== undefined) {
    if (ports.length > 0 && !ports.includes(given)) check.fail(`${prop}.port`, given, `one of the ports of Service ${host}: ${ports.join(', ')}`);
    return check.destination(prop, { host, port: given });
  }
  if (ports.length === 1) return check.destination(prop, { host, port: ports[0] });
  if (portRequired) {
    check.fail(`${prop}.port`, d.port, ports.length === 0
      ? `this prop is required: Service ${host} declares no port yet, so name the port to send traffic to (1-65535)`
      : `this prop is required: Service ${host} has the ports ${ports.join(', ')}; name the one to send traffic to`);
  }
  return check.destination(prop, { host });
}

/** The namespace a destination prop names before validation (for defaults), or undefined. */
export function destinationHostOf(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const d = value as DestinationInput;
  if (typeof d.host === 'string') return d.host;
  const obj = apiObjectOf(d.service);
  return obj && obj.kind === 'Service' ? clusterHost(obj.name, obj.metadata.namespace) : undefined;
}

/**
 * The label cdk8s-plus puts on every pod template: a digest of the construct path. Not used for
 * subsets: it moves when the workload moves in the construct tree, and selectors come from
 * labels the user chose.
 */
const KPLUS_ADDRESS_LABEL = 'cdk8s.io/metadata.addr';

function withoutAddress(labels: unknown): unknown {
  if (labels === null || typeof labels !== 'object' || Array.isArray(labels)) return labels;
  const out = { ...(labels as Record<string, unknown>) };
  delete out[KPLUS_ADDRESS_LABEL];
  return out;
}

/**
 * The pod labels of a workload: a kplus workload's pod metadata, else the object's
 * `spec.template.metadata.labels` (Deployment, StatefulSet, DaemonSet, ...), without cdk8s-plus's
 * address label.
 */
export function workloadPodLabels(check: PropChecker, prop: string, workload: unknown): Record<string, string> {
  const podMetadata = (workload as { podMetadata?: { toJson?: () => { labels?: unknown } } } | null)?.podMetadata;
  if (podMetadata && typeof podMetadata.toJson === 'function') {
    return check.labels(prop, withoutAddress(podMetadata.toJson().labels ?? {}));
  }
  const obj = apiObjectOf(workload);
  const template = obj && (obj.toJson() as { spec?: { template?: { metadata?: { labels?: unknown } } } }).spec?.template;
  if (!obj || !template) {
    check.fail(prop, obj ? `${obj.apiVersion} ${obj.kind} ${obj.name}` : workload, 'expected a kplus.Deployment (or another workload with a pod template, e.g. a Deployment ApiObject)');
  }
  return check.labels(prop, withoutAddress(template.metadata?.labels ?? {}));
}

/**
 * The shape of cdk8s-plus's `PodSelectorConfig`. `labelSelector` is a cdk8s-plus `LabelSelector`
 * (typed loosely so that this package's types do not need cdk8s-plus-28 installed).
 */
export interface PodSelectorConfigLike {
  /** A cdk8s-plus `LabelSelector`. */
  readonly labelSelector: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** The namespaces the pods are in. */
  readonly namespaces?: { readonly names?: string[] };
}

/**
 * A cdk8s-plus `LabelSelector` for these labels. cdk8s-plus is loaded only here, when a cdk8s-plus
 * construct asks for a selector (so it is installed); an object with the same two methods stands in
 * when the caller is another cdk8s-plus major without cdk8s-plus-28.
 */
export function labelSelectorOf(labels: Record<string, string>): unknown {
  const matchLabels = { ...labels };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const kplus = require('cdk8s-plus-28') as typeof import('cdk8s-plus-28');
    return kplus.LabelSelector.of({ labels: matchLabels });
  } catch {
    return { isEmpty: () => Object.keys(matchLabels).length === 0, _toKube: () => ({ matchLabels: { ...matchLabels } }) };
  }
}
