// The Gateway API flavour's counterpart of the analyzer's IST0101 for VirtualServices: a route whose
// destination is a Service declared in the same App must name a port that Service has. (The analyzer
// reads VirtualServices only, and the API server accepts a backendRef to a missing port: the route
// then answers 500.)
import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { IstioGatewayErrorDetails } from '../errors';
import { SynthChecked } from './synth-check';

/** The ports of the v1 Service `namespace/name` of the App, or undefined when the App has none. */
function servicePorts(root: IConstruct, key: string): number[] | undefined {
  // No cache: module-level state is what the house avoids; this runs in the Gateway API flavour only,
  // once per route per synth check, and renders only the Service it looks for.
  for (const c of root.node.findAll()) {
    if (!(c instanceof ApiObject) || c.kind !== 'Service' || c.apiVersion !== 'v1') continue;
    if (`${c.metadata.namespace ?? Chart.of(c).namespace ?? 'default'}/${c.metadata.name}` !== key) continue;
    const spec = (c.toJson().spec ?? {}) as { ports?: { port?: number }[] };
    return (spec.ports ?? []).map((p) => Number(p.port));
  }
  return undefined;
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
