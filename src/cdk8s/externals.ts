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
 * One object per identity (API group, kind, namespace, name), in the order first declared.
 */
export function mergeExternals(objects: readonly object[]): object[] {
  return objects.every(hasPlainParts) ? mergeByParts(objects) : mergeByKey(objects);
}

/**
 * Whether the parts of the declaration's identity are strings (the namespace may be absent) with
 * no `|` in them: then two declarations have one identity key (`group|kind|namespace|name`, as
 * mergeByKey writes it) exactly when their parts are equal, and the parts are compared without
 * writing the key, a string per declaration (6,000 and more at 1,000 teams).
 */
function hasPlainParts(o: any): boolean {
  const apiVersion = o?.apiVersion;
  const kind = o?.kind;
  const name = o?.metadata?.name;
  const ns = o?.metadata?.namespace;
  return typeof apiVersion === 'string' && apiVersion.indexOf('|') < 0
    && typeof kind === 'string' && kind.indexOf('|') < 0
    && typeof name === 'string' && name.indexOf('|') < 0
    && (ns === undefined || ns === null || (typeof ns === 'string' && ns.indexOf('|') < 0));
}

/** A merged declaration of mergeByParts: its identity's parts and where it is in the output. */
interface Declared {
  readonly apiVersion: string;
  readonly kind: string;
  readonly at: number;
}

/** mergeExternals of declarations that all have plain parts (see hasPlainParts): by namespace and name, then kind and group. */
function mergeByParts(objects: readonly object[]): object[] {
  const out: any[] = [];
  const byNamespace = new Map<string, Map<string, Declared | Declared[]>>();
  for (let i = 0; i < objects.length; i++) {
    const o = objects[i] as any;
    const name: string = o.metadata.name;
    const ns: string = o.metadata.namespace ?? '';
    const kind: string = o.kind;
    const apiVersion: string = o.apiVersion;
    let byName = byNamespace.get(ns);
    if (byName === undefined) byNamespace.set(ns, byName = new Map());
    const here = byName.get(name);
    let same: Declared | undefined;
    if (here !== undefined) {
      if (!Array.isArray(here)) {
        if (here.kind === kind && sameGroup(here.apiVersion, apiVersion)) same = here;
      } else {
        for (let j = 0; j < here.length; j++) if (here[j].kind === kind && sameGroup(here[j].apiVersion, apiVersion)) { same = here[j]; break; }
      }
    }
    if (same === undefined) {
      const d: Declared = { apiVersion, kind, at: out.length };
      out.push(o);
      if (here === undefined) byName.set(name, d);
      else if (Array.isArray(here)) here.push(d);
      else byName.set(name, [here, d]);
      continue;
    }
    const merged = mergedWith(out[same.at], o);
    if (merged !== undefined) out[same.at] = merged;
  }
  return out;
}

/** Whether two apiVersions name one API group (`networking.istio.io/v1` and `.../v1beta1`; `v1` and `v1`). */
function sameGroup(a: string, b: string): boolean {
  if (a === b) return true;
  const i = a.indexOf('/');
  const j = b.indexOf('/');
  return i === j && (i < 0 ? a === b : a.startsWith(b.slice(0, j + 1)));
}

/** mergeExternals keyed by `group|kind|namespace|name`, a string per declaration. */
function mergeByKey(objects: readonly object[]): object[] {
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
    const merged = mergedWith(first, o);
    if (merged !== undefined) byIdentity.set(key, merged);
  }
  return [...byIdentity.values()];
}

/** The first declaration of an identity with a later one's ports (and hosts) added, or undefined to keep the first as it is. */
function mergedWith(first: any, o: any): object | undefined {
  if ((o.kind !== 'Service' && o.kind !== 'ServiceEntry') || typeof first.spec !== 'object' || typeof o.spec !== 'object') return undefined;
  const number = (p: any) => (o.kind === 'Service' ? p?.port : p?.number);
  const ports = [...(first.spec.ports ?? [])];
  for (const p of o.spec.ports ?? []) if (!ports.some((q) => number(q) === number(p))) ports.push(p);
  const spec = { ...o.spec, ...first.spec, ports };
  if (o.kind === 'ServiceEntry') spec.hosts = [...new Set([...(first.spec.hosts ?? []), ...(o.spec.hosts ?? [])])];
  return { ...first, spec };
}
