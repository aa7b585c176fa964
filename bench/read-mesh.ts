// Mesh-heavy inputs for the reading benchmark, written for issue 16's eleventh round independently of
// bench/read-shapes.ts and bench/read-checker.ts, as a checker might write "a whole cluster's
// configuration fed to an Istio analyzer" on a mesh-heavy cluster: per namespace a few Services with
// many ports, their Deployments (and Pods for some), DestinationRules with many subsets, VirtualServices
// with many http routes and matches (mirrors, retries, header matches), a Gateway with several servers
// and credentials, ServiceEntries (some with wildcard hosts), Sidecars, AuthorizationPolicies naming
// source namespaces, PeerAuthentications, RequestAuthentications and EnvoyFilters. Findings are heavy:
// subsets no workload carries, destinations and secrets that do not exist, multi-port destinations
// without a port, duplicate matches, source namespaces that do not exist.
//   mesh      `---`-separated documents (kubectl-like layout: 2-space indent, sequences not indented)
//   meshlist  the same objects as ONE `kind: List` document (`kubectl get -A -o yaml`)
// Deterministic: the same file every run.

import * as fs from 'fs';
import * as jsyaml from 'js-yaml';

type Obj = Record<string, unknown>;

/** A deterministic sequence in [0, 1) (a multiplicative congruential generator, seeded per namespace). */
function random(seed: number): () => number {
  let s = (seed * 48271 + 11) % 2147483647 || 1;
  return () => {
    s = (s * 48271) % 2147483647;
    return (s - 1) / 2147483646;
  };
}

const DOMAINS = ['shop', 'bank', 'media', 'ads', 'iot', 'ml', 'hr', 'crm'];
const PARTS = ['api', 'web', 'grpc', 'worker', 'gateway', 'store', 'index', 'auth'];
/** Port names: most carry a protocol prefix Istio knows; `metrics`, `admin`, `debug` do not (IST0118). */
const PORT_NAMES = ['http', 'http-admin', 'grpc', 'metrics', 'tcp-db', 'https', 'admin', 'http2-stream', 'debug'];

/** The namespace name of namespace `i` (also used by other namespaces' policies). */
function nsName(i: number): string {
  return `${DOMAINS[i % DOMAINS.length]}-${PARTS[(i >> 3) % PARTS.length]}-${i}`;
}

/** Objects of one mesh namespace. */
function meshNamespace(i: number): Obj[] {
  const r = random(i + 101);
  const ns = nsName(i);
  const out: Obj[] = [];
  out.push({
    apiVersion: 'v1', kind: 'Namespace',
    metadata: { name: ns, labels: { 'kubernetes.io/metadata.name': ns, 'istio-injection': r() < 0.9 ? 'enabled' : 'disabled', owner: `team-${i % 50}` } },
    spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' },
  });
  const nServices = 3 + Math.floor(r() * 3);
  const apps: Array<{ app: string; ports: number[] }> = [];
  for (let s = 0; s < nServices; s++) {
    const app = `${PARTS[(i + s) % PARTS.length]}-${s}`;
    const nPorts = 2 + Math.floor(r() * 6);
    const ports: number[] = [];
    for (let p = 0; p < nPorts; p++) ports.push(p === 0 ? 8080 : 9000 + p * 10);
    apps.push({ app, ports });
    const podLabels = { app, version: 'v1', 'app.kubernetes.io/name': app, 'app.kubernetes.io/part-of': ns };
    out.push({
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: { name: app, namespace: ns, labels: { app }, annotations: { 'deployment.kubernetes.io/revision': String(1 + (i % 7)) } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app, version: 'v1' } },
        template: {
          metadata: { labels: podLabels, annotations: { 'proxy.istio.io/config': '{"holdApplicationUntilProxyStarts": true}' } },
          spec: {
            serviceAccountName: app,
            containers: [{
              name: app, image: `registry.example.com/${ns}/${app}:2.${i % 13}.${s}`,
              ports: ports.map((n, k) => ({ containerPort: n, name: PORT_NAMES[k % PORT_NAMES.length].slice(0, 15), protocol: 'TCP' })),
              env: [{ name: 'NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }, { name: 'PORT', value: String(ports[0]) }],
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } },
            }],
          },
        },
      },
    });
    if (i % 4 === 0) {
      out.push({
        apiVersion: 'v1', kind: 'Pod',
        metadata: {
          name: `${app}-5f7c9d${(i * 7 + s).toString(36)}-x${s}`, namespace: ns,
          labels: { ...podLabels, 'pod-template-hash': '5f7c9d', 'security.istio.io/tlsMode': 'istio' },
          annotations: { 'sidecar.istio.io/status': '{"initContainers":["istio-init"],"containers":["istio-proxy"]}' },
        },
        spec: {
          nodeName: `node-${i % 40}`,
          containers: [{ name: app, image: `registry.example.com/${ns}/${app}:2.${i % 13}.${s}` }, { name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.30.3' }],
        },
      });
    }
    out.push({
      apiVersion: 'v1', kind: 'Service',
      metadata: { name: app, namespace: ns, labels: { app } },
      spec: {
        type: 'ClusterIP', clusterIP: `10.${(i >> 8) & 255}.${i & 255}.${s + 10}`,
        selector: { app },
        ports: ports.map((n, k) => ({ name: PORT_NAMES[k % PORT_NAMES.length], port: n, targetPort: n, protocol: 'TCP' })),
      },
    });
    // Subsets: v1 is carried by the pods; the others (canary, v2, blue, green, ...) usually are not (IST0173).
    const nSubsets = 3 + Math.floor(r() * 6);
    const subsets: Obj[] = [{ name: 'v1', labels: { version: 'v1' } }];
    for (let k = 1; k < nSubsets; k++) subsets.push({ name: `v${k + 1}`, labels: { version: `v${k + 1}` }, trafficPolicy: { loadBalancer: { simple: k % 2 ? 'ROUND_ROBIN' : 'LEAST_REQUEST' } } });
    out.push({
      apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule',
      metadata: { name: app, namespace: ns },
      spec: {
        host: r() < 0.03 ? `${app}-old.${ns}.svc.cluster.local` : `${app}.${ns}.svc.cluster.local`,
        trafficPolicy: {
          connectionPool: { http: { http2MaxRequests: 1000, maxRequestsPerConnection: 10 }, tcp: { maxConnections: 200 } },
          outlierDetection: { consecutive5xxErrors: 7, interval: '5m', baseEjectionTime: '15m' },
          portLevelSettings: ports.slice(0, 2).map((n) => ({ port: { number: n }, tls: { mode: 'ISTIO_MUTUAL' } })),
        },
        subsets,
      },
    });
    // A mesh VirtualService per Service: many routes, each with 1-3 matches; destinations with subsets.
    const nRoutes = 6 + Math.floor(r() * 14);
    const http: Obj[] = [];
    for (let k = 0; k < nRoutes; k++) {
      const matches: Obj[] = [];
      const nMatches = 1 + Math.floor(r() * 3);
      for (let m = 0; m < nMatches; m++) {
        const dup = r() < 0.04 && k > 0; // a match an earlier rule already has (IST0131)
        matches.push(dup
          ? { uri: { prefix: `/v1/${PARTS[0]}/0` } }
          : { uri: { prefix: `/v${1 + (k % 3)}/${PARTS[k % PARTS.length]}/${k}${m}` }, headers: r() < 0.3 ? { 'x-tenant': { exact: `t-${m}` } } : undefined });
      }
      const target = r();
      const port = r() < 0.08 ? undefined : { number: ports[k % ports.length] };
      const destHost = target < 0.05 ? `${app}-missing` : target < 0.1 ? `${apps[0].app}.${nsName(i + 1)}.svc.cluster.local` : app;
      http.push({
        name: `r${k}`,
        match: matches.map((mm) => JSON.parse(JSON.stringify(mm)) as Obj),
        route: [
          { destination: { host: destHost, subset: 'v1', ...(port ? { port } : {}) }, weight: 90 },
          { destination: { host: destHost, subset: r() < 0.15 ? 'canary' : `v${2 + (k % Math.max(1, nSubsets - 1))}`, ...(port ? { port } : {}) }, weight: 10 },
        ],
        ...(r() < 0.1 ? { mirror: { host: `${app}-shadow`, port: { number: ports[0] } }, mirrorPercentage: { value: 5 } } : {}),
        retries: { attempts: 3, perTryTimeout: '2s', retryOn: 'gateway-error,connect-failure,refused-stream' },
        timeout: `${10 + k}s`,
      });
    }
    http.push({ name: 'default', route: [{ destination: { host: app, subset: 'v1', port: { number: ports[0] } } }] });
    out.push({
      apiVersion: 'networking.istio.io/v1', kind: 'VirtualService',
      metadata: { name: app, namespace: ns },
      spec: { hosts: [app], http },
    });
  }
  // The namespace's Gateway on the shared ingress: several servers, one credential each (a few missing,
  // a few in the wrong namespace), a port the ingress Service lacks now and then.
  const nServers = 3 + Math.floor(r() * 5);
  const servers: Obj[] = [];
  const gwHosts: string[] = [];
  for (let s = 0; s < nServers; s++) {
    const host = `${PARTS[s % PARTS.length]}${s}.${ns}.example.com`;
    gwHosts.push(host);
    servers.push({
      port: { number: r() < 0.04 ? 8443 + s : 443, name: `https-${s}`, protocol: 'HTTPS' },
      hosts: [host],
      tls: { mode: r() < 0.1 ? 'MUTUAL' : 'SIMPLE', credentialName: `${ns}-cred-${s}` },
    });
  }
  servers.push({ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: gwHosts.slice(), tls: { httpsRedirect: true } });
  out.push({
    apiVersion: 'networking.istio.io/v1', kind: 'Gateway',
    metadata: { name: `${ns}-ingress`, namespace: ns },
    spec: { selector: { istio: 'ingressgateway' }, servers },
  });
  for (let s = 0; s < nServers; s++) {
    if (r() < 0.12) continue; // missing (IST0101)
    out.push({
      apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls',
      metadata: { name: `${ns}-cred-${s}`, namespace: r() < 0.1 ? ns : 'istio-system' },
      data: { 'tls.crt': Buffer.from(`not a certificate ${ns} ${s}`).toString('base64'), 'tls.key': Buffer.from(`not a key ${ns} ${s}`).toString('base64') },
    });
  }
  out.push({
    apiVersion: 'networking.istio.io/v1', kind: 'VirtualService',
    metadata: { name: `${ns}-ingress`, namespace: ns },
    spec: {
      hosts: gwHosts,
      gateways: [`${ns}-ingress`],
      http: apps.map((a, k) => ({
        match: [{ uri: { prefix: `/${a.app}` } }, { headers: { ':authority': { exact: gwHosts[k % gwHosts.length] } } }],
        route: [{ destination: { host: `${a.app}.${ns}.svc.cluster.local`, port: { number: a.ports[0] } } }],
      })),
    },
  });
  // Egress: ServiceEntries, one in four with a wildcard host.
  const nEntries = 1 + Math.floor(r() * 3);
  for (let e = 0; e < nEntries; e++) {
    out.push({
      apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry',
      metadata: { name: `egress-${e}`, namespace: ns },
      spec: {
        hosts: [e === 0 && i % 4 === 0 ? `*.${DOMAINS[i % DOMAINS.length]}-partner-${i % 97}.example.net` : `api-${e}.${DOMAINS[(i + e) % DOMAINS.length]}.example.org`],
        location: 'MESH_EXTERNAL', resolution: 'DNS',
        ports: [{ number: 443, name: 'tls', protocol: 'TLS' }, { number: 80, name: 'http', protocol: 'HTTP' }],
        exportTo: ['.'],
      },
    });
  }
  // A namespace-wide Sidecar; one selecting a workload (now and then one that does not exist).
  out.push({
    apiVersion: 'networking.istio.io/v1', kind: 'Sidecar',
    metadata: { name: 'default', namespace: ns },
    spec: { egress: [{ hosts: ['./*', 'istio-system/*', `${nsName(i + 1)}/*`] }], outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } },
  });
  out.push({
    apiVersion: 'networking.istio.io/v1', kind: 'Sidecar',
    metadata: { name: `${apps[0].app}-sidecar`, namespace: ns },
    spec: { workloadSelector: { labels: { app: r() < 0.1 ? 'retired' : apps[0].app } }, egress: [{ port: { number: 9080, protocol: 'HTTP', name: 'egresshttp' }, hosts: ['./*'] }] },
  });
  // Authorization: per Service, allow from this namespace, the ingress and two neighbours (now and
  // then one that does not exist: IST0101).
  for (const a of apps) {
    out.push({
      apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy',
      metadata: { name: `${a.app}-allow`, namespace: ns },
      spec: {
        selector: { matchLabels: { app: r() < 0.05 ? `${a.app}-v0` : a.app } },
        action: 'ALLOW',
        rules: [
          { from: [{ source: { namespaces: [ns, 'istio-system', nsName(i + 3), r() < 0.08 ? `${nsName(i)}-legacy` : nsName(i + 5)] } }], to: [{ operation: { methods: ['GET', 'POST'], paths: ['/api/*'] } }] },
          { from: [{ source: { principals: [`cluster.local/ns/${nsName(i + 2)}/sa/${a.app}`] } }], to: [{ operation: { ports: a.ports.slice(0, 2).map(String) } }] },
        ],
      },
    });
  }
  out.push({ apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: ns }, spec: { mtls: { mode: 'STRICT' } } });
  if (i % 3 === 0) {
    out.push({
      apiVersion: 'security.istio.io/v1', kind: 'RequestAuthentication',
      metadata: { name: 'jwt', namespace: ns },
      spec: { selector: { matchLabels: { app: apps[0].app } }, jwtRules: [{ issuer: `https://issuer.${ns}.example.com`, jwksUri: `https://issuer.${ns}.example.com/.well-known/jwks.json` }] },
    });
  }
  if (i % 5 === 0) {
    out.push({
      apiVersion: 'networking.istio.io/v1alpha3', kind: 'EnvoyFilter',
      metadata: { name: 'lua-headers', namespace: ns },
      spec: {
        workloadSelector: { labels: { app: apps[0].app } },
        configPatches: [{
          applyTo: 'HTTP_FILTER',
          match: { context: 'SIDECAR_INBOUND', listener: { filterChain: { filter: { name: 'envoy.filters.network.http_connection_manager' } } } },
          patch: { operation: 'INSERT_BEFORE', value: { name: 'envoy.lua', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.lua.v3.Lua', inlineCode: 'function envoy_on_request(h)\n  h:headers():add("x-ns", "' + ns + '")\nend\n' } } },
        }],
      },
    });
  }
  return out;
}

/** The shared ingress gateway (its Service has 80 and 443) and the control plane's root policy. */
const SHARED: Obj[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'istio-system', labels: { 'kubernetes.io/metadata.name': 'istio-system' } } },
  {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'istio-ingressgateway', namespace: 'istio-system', labels: { app: 'istio-ingressgateway', istio: 'ingressgateway' } },
    spec: { selector: { matchLabels: { istio: 'ingressgateway' } }, template: { metadata: { labels: { app: 'istio-ingressgateway', istio: 'ingressgateway' } }, spec: { containers: [{ name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.30.3' }] } } },
  },
  {
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'istio-ingressgateway', namespace: 'istio-system', labels: { app: 'istio-ingressgateway', istio: 'ingressgateway' } },
    spec: { type: 'LoadBalancer', selector: { istio: 'ingressgateway' }, ports: [{ name: 'status-port', port: 15021, targetPort: 15021 }, { name: 'http2', port: 80, targetPort: 8080 }, { name: 'https', port: 443, targetPort: 8443 }] },
  },
  { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: 'istio-system' }, spec: { mtls: { mode: 'STRICT' } } },
  {
    apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'mesh-default', namespace: 'istio-system' },
    spec: { host: '*.local', trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } },
  },
];

export const MESH_SHAPES = ['mesh', 'meshlist'] as const;
export type MeshShape = (typeof MESH_SHAPES)[number];

/** kubectl's layout: 2-space indent, sequences at their key's indentation, no line folding, no anchors. */
const KUBECTL_YAML: jsyaml.DumpOptions = { noArrayIndent: true, lineWidth: -1, noRefs: true, skipInvalid: true };

/** Writes one mesh shape: at least `mb` MiB; returns the object and byte counts. */
export function generateMeshShape(shape: MeshShape, file: string, mb: number): { objects: number; bytes: number } {
  const fd = fs.openSync(file, 'w');
  let bytes = 0;
  let objects = 0;
  const write = (text: string, n: number): void => {
    fs.writeSync(fd, text);
    bytes += Buffer.byteLength(text);
    objects += n;
  };
  const list = shape === 'meshlist';
  const render = (objs: Obj[]): string => (list
    ? jsyaml.dump(objs, KUBECTL_YAML)
    : objs.map((o) => `---\n${jsyaml.dump(o, KUBECTL_YAML)}`).join(''));
  if (list) write('apiVersion: v1\nitems:\n', 0);
  write(render(SHARED), SHARED.length);
  for (let i = 0; bytes < mb * 1024 * 1024; i++) {
    const objs = meshNamespace(i);
    write(render(objs), objs.length);
  }
  if (list) write('kind: List\nmetadata:\n  resourceVersion: ""\n', 0);
  fs.closeSync(fd);
  return { objects, bytes };
}

if (require.main === module) {
  // node bench/.out/bench/read-mesh.js SHAPE FILE MB
  const [shape, file, mb] = process.argv.slice(2);
  const g = generateMeshShape(shape as MeshShape, file, Number(mb ?? '45'));
  process.stdout.write(`${shape}: ${(g.bytes / 1048576).toFixed(1)} MB, ${g.objects} objects\n`);
}
