// Objects a construct refers to but does not emit (a backend Service, a certificate Secret):
// declared to the synth-time analysis as existing in the cluster, so that a platform is not
// refused for what another team or tool deploys. Hand-written YAML beside the App that does
// define them wins: the analysis then checks the real object.

const CLUSTER_SUFFIX = '.svc.cluster.local';

/** A destination host as an existing Service (or, for a non-cluster host, a ServiceEntry). */
export function externalDestination(host: string, port: number | undefined, routeNamespace: string): object {
  const ports = port === undefined ? [] : [{ name: `tcp-${port}`, port, protocol: 'TCP', targetPort: port }];
  const labels = host.split('.');
  let name: string | undefined;
  let namespace = routeNamespace;
  // Istio expands only dot-less names (in the route's namespace); any other host is taken literally,
  // so "name.namespace" is not the Service "name" of "namespace" but, like a host outside the
  // cluster, the host of a ServiceEntry.
  if (labels.length === 1) {
    name = host;
  } else if (host.endsWith(CLUSTER_SUFFIX) && labels.length === 5) {
    [name, namespace] = labels;
  }
  if (name !== undefined) {
    return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { ports } };
  }
  return {
    apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry',
    metadata: { name: `external-${host.replace(/[^a-z0-9-]/gi, '-').toLowerCase()}`.slice(0, 63), namespace: routeNamespace },
    spec: { hosts: [host], ports: ports.map((p) => ({ number: p.port, name: p.name, protocol: 'TCP' })), resolution: 'DNS', location: 'MESH_EXTERNAL' },
  };
}

/** A TLS credential Secret that cert-manager or an operator keeps in the gateway's namespace. */
export function externalSecret(name: string, namespace: string): object {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, type: 'kubernetes.io/tls' };
}

/**
 * One declaration per object: several constructs may declare the same backend (a route's
 * destination and its mirror, two routes to two ports of one Service). Their ports (and a
 * ServiceEntry's hosts) are united, so no declaration hides a port another relies on; the first
 * declaration's other fields (a Service selector the user gave) are kept, filled in from later ones.
 */
export function mergeExternals(objects: readonly object[]): object[] {
  const byIdentity = new Map<string, any>();
  for (const o of objects as any[]) {
    const apiVersion = String(o?.apiVersion);
    const slash = apiVersion.indexOf('/');
    const key = `${slash < 0 ? apiVersion : apiVersion.slice(0, slash)}|${o?.kind}|${o?.metadata?.namespace ?? ''}|${o?.metadata?.name}`;
    const first = byIdentity.get(key);
    if (!first) {
      byIdentity.set(key, o);
      continue;
    }
    if ((o.kind !== 'Service' && o.kind !== 'ServiceEntry') || typeof first.spec !== 'object' || typeof o.spec !== 'object') continue;
    const number = (p: any) => (o.kind === 'Service' ? p?.port : p?.number);
    const ports = [...(first.spec.ports ?? [])];
    for (const p of o.spec.ports ?? []) if (!ports.some((q) => number(q) === number(p))) ports.push(p);
    const spec = { ...o.spec, ...first.spec, ports };
    if (o.kind === 'ServiceEntry') spec.hosts = [...new Set([...(first.spec.hosts ?? []), ...(o.spec.hosts ?? [])])];
    byIdentity.set(key, { ...first, spec });
  }
  return [...byIdentity.values()];
}
