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
  if (labels.length === 1) {
    name = host;
  } else if (host.endsWith(CLUSTER_SUFFIX) && labels.length === 5) {
    [name, namespace] = labels;
  } else if (labels.length === 2 || (labels.length === 3 && labels[2] === 'svc')) {
    // "name.namespace" and "name.namespace.svc" resolve to a Service inside the cluster too.
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
