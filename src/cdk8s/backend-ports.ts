// The Gateway API flavour's counterpart of the analyzer's IST0101 for VirtualServices: a route whose
// destination is a Service declared in the same App must name a port that Service has. (The analyzer
// reads VirtualServices only, and the API server accepts a backendRef to a missing port: the route
// then answers 500.)
import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { IstioGatewayErrorDetails } from '../errors';
import { SynthChecked } from './synth-check';

// The Services of an App, indexed once per synth check run (the run's member array is fresh each time).
const RUN_INDEX = new WeakMap<readonly SynthChecked[], Map<string, number[]>>();

function servicesOf(root: IConstruct, run: readonly SynthChecked[]): Map<string, number[]> {
  let index = RUN_INDEX.get(run);
  if (!index) {
    index = new Map();
    for (const c of root.node.findAll()) {
      if (!(c instanceof ApiObject) || c.kind !== 'Service' || c.apiVersion !== 'v1') continue;
      const ns = c.metadata.namespace ?? Chart.of(c).namespace ?? 'default';
      const spec = (c.toJson().spec ?? {}) as { ports?: { port?: number }[] };
      index.set(`${ns}/${c.metadata.name}`, (spec.ports ?? []).map((p) => Number(p.port)));
    }
    RUN_INDEX.set(run, index);
  }
  return index;
}

/** A problem when `host` names a Service of this App that lacks `port`. */
export function missingServicePort(scope: IConstruct, run: readonly SynthChecked[], construct: string, prop: string,
  host: string, port: number | undefined, routeNamespace: string): IstioGatewayErrorDetails[] {
  if (port === undefined) return [];
  const fq = /^([^.]+)\.([^.]+)\.svc\.cluster\.local$/.exec(host.toLowerCase());
  const key = fq ? `${fq[2]}/${fq[1]}` : host.includes('.') ? undefined : `${routeNamespace}/${host.toLowerCase()}`;
  if (!key) return [];
  const ports = servicesOf(scope.node.root, run).get(key);
  if (!ports || ports.includes(port)) return [];
  return [{ construct, prop, value: port, expected: `Service ${key}, declared in this App, has no port ${port} (its ports: ${ports.join(', ') || 'none'}): name one of its ports` }];
}
