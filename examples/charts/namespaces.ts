// The namespaces of the example platform, labelled for sidecar injection (the backends need
// sidecars: the mesh runs STRICT mTLS). Its chart id sorts first, so `kubectl apply -f dist/`
// (which reads the files in name order) creates them before anything that lives in them.
import { ApiObject, App, Chart } from 'cdk8s';
import { Construct } from 'constructs';

/** Created by the control-plane install, never by `kubectl apply -f dist/`. */
const CONTROL_PLANE_NAMESPACES = new Set(['istio-system']);

export class NamespacesChart extends Chart {
  /** The chart id: `00-` sorts before every other chart's file name. */
  static readonly ID = '00-namespaces';

  constructor(scope: Construct, namespaces: readonly string[]) {
    super(scope, NamespacesChart.ID);
    for (const name of namespaces) {
      new ApiObject(this, name, {
        apiVersion: 'v1', kind: 'Namespace',
        metadata: { name, labels: { 'istio-injection': 'enabled' } },
      });
    }
  }

  /** Every namespace an object of `app` lives in (but the control plane's), sorted. */
  static namespacesOf(app: App): string[] {
    const out = new Set<string>();
    for (const c of app.node.findAll()) {
      if (!(c instanceof ApiObject)) continue;
      const ns = c.metadata.namespace;
      if (ns !== undefined && !CONTROL_PLANE_NAMESPACES.has(ns)) out.add(ns);
    }
    return [...out].sort();
  }
}
