// The Gateway API flavour's counterpart of the analyzer's IST0101 for VirtualServices: a route whose
// destination is a Service declared in the same App must name a port that Service has. (The analyzer
// reads VirtualServices only, and the API server accepts a backendRef to a missing port: the route
// then answers 500.) Also the App's v1 Services by namespace and name, which this check and a
// canary's version Services look their destination up in.
import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { IstioGatewayErrorDetails } from '../errors';
import { AppState } from './app-state';
import { SynthChecked } from './synth-check';

/** Memo key of {@link appServices}. */
const APP_SERVICES: Readonly<object> = Object.freeze({ appServices: true });

/**
 * The v1 Services of the App of `scope`, by `namespace/name`, each list in tree order. Built once
 * per synthesis (the tree cannot change inside one; outside a synthesis, every time): each route
 * and version Service of the Gateway API flavour looks its destination up here, and a walk of the
 * whole tree for each of them made a platform's synthesis quadratic.
 */
export function appServices(scope: IConstruct): ReadonlyMap<string, readonly ApiObject[]> {
  const root = scope.node.root;
  return AppState.of(root).memo(APP_SERVICES, () => {
    const out = new Map<string, ApiObject[]>();
    for (const c of AppState.of(root).apiObjects()) {
      if (c.kind !== 'Service' || c.apiVersion !== 'v1') continue;
      const key = `${c.metadata.namespace ?? Chart.of(c).namespace ?? 'default'}/${c.metadata.name}`;
      const list = out.get(key);
      if (list) list.push(c);
      else out.set(key, [c]);
    }
    return out;
  });
}

/** The ports of the v1 Service `namespace/name` of the App, or undefined when the App has none. */
function servicePorts(root: IConstruct, key: string): number[] | undefined {
  // Renders only the Service it looks for: the first of that name in the tree.
  const found = appServices(root).get(key)?.[0];
  if (!found) return undefined;
  const spec = (found.toJson().spec ?? {}) as { ports?: { port?: number }[] };
  return (spec.ports ?? []).map((p) => Number(p.port));
}

/** A problem when `host` names a Service of this App that lacks `port`. */
export function missingServicePort(scope: IConstruct, _run: readonly SynthChecked[], construct: string, prop: string,
  host: string, port: number | undefined, routeNamespace: string): IstioGatewayErrorDetails[] {
  if (port === undefined) return [];
  const fq = /^([^.]+)\.([^.]+)\.svc\.cluster\.local$/.exec(host.toLowerCase());
  const key = fq ? `${fq[2]}/${fq[1]}` : host.includes('.') ? undefined : `${routeNamespace}/${host.toLowerCase()}`;
  if (!key) return [];
  const ports = servicePorts(scope.node.root, key);
  if (!ports || ports.includes(port)) return [];
  return [{ construct, prop, value: port, expected: `Service ${key}, declared in this App, has no port ${port} (its ports: ${ports.join(', ') || 'none'}): name one of its ports` }];
}
