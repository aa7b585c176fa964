// Inputs for the reading benchmark written as an outside checker would plausibly write "a 40-50 MB
// multi-document file for an Istio analyzer", independently of bench/read-shapes.ts (other object
// mixes, other YAML writers, other mistakes):
//   mixed  a cluster's worth of namespaces (some injection-labelled) with Deployments, Pods, Services,
//          Gateways, VirtualServices, DestinationRules, ServiceEntries, TLS Secrets, PeerAuthentications
//          and ConfigMaps, with mistakes a fraction of the time (a subset no DestinationRule defines, a
//          gateway port the ingress Service does not expose, two Gateways claiming one host, a Secret in
//          the workload's namespace instead of the gateway's, a destination that does not exist), written
//          by js-yaml `dump` with its DEFAULT options (80-column folded `>-` scalars, indented
//          sequences, single quotes): about 60,000 objects at 45 MB.
//   tiny   300,000 small objects (Services, ConfigMaps, ServiceEntries, Secrets, Sidecars,
//          VirtualServices) from hand-written templates: double- and single-quoted strings with escapes,
//          flow mappings and sequences, anchors and aliases, comments, a long plain line now and then.
// Deterministic: the same file every run.

import * as fs from 'fs';
import * as jsyaml from 'js-yaml';

type Obj = Record<string, unknown>;

/** xorshift32: a deterministic sequence in [0, 1). */
function random(seed: number): () => number {
  let s = (seed * 2654435761) >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 2 ** 32;
  };
}

// A self-signed P-256 certificate for *.apps.example.com valid until 2126 (generated once with openssl
// for this benchmark; public data). Secrets carry it, or (a mistake) a truncated copy.
const CERT = `-----BEGIN CERTIFICATE-----
MIIBkDCCATegAwIBAgIUDN6o7gwdERZVXCvx8LjjSe1WxIgwCgYIKoZIzj0EAwIw
HTEbMBkGA1UEAwwSKi5hcHBzLmV4YW1wbGUuY29tMCAXDTI2MTEzMDEzNDAwMloY
DzIxMjYxMTA2MTM0MDAyWjAdMRswGQYDVQQDDBIqLmFwcHMuZXhhbXBsZS5jb20w
WTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAQSM1svRy/EoO5GEd1l9p/lqfQQrX8+
btCp+5er+uKS7EvkWyyn0czi4GicuI+9u2PVXi97XJ6iOqfaLdwsP21Zo1MwUTAd
BgNVHQ4EFgQUDrSoBV5UjSURJRo8U1S7ilHGYbUwHwYDVR0jBBgwFoAUDrSoBV5U
jSURJRo8U1S7ilHGYbUwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNHADBE
AiB6K4PQFXy31AGc7MkYnQeqjqn/CdIo2GlRe51WTwuXAQIgEkvTrPpI9sw8pDjR
WkpsIjIv3zF7p06TgZLW5Jma+MY=
-----END CERTIFICATE-----
`;
/** Not a key (the analyzer checks only that tls.key is present); shaped like one. */
const KEY = `-----BEGIN PRIVATE KEY-----\n${Buffer.from('placeholder key material for the benchmark '.repeat(3)).toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END PRIVATE KEY-----\n`;
const B64_CERT = Buffer.from(CERT).toString('base64');
const B64_BROKEN = Buffer.from(CERT.slice(0, 200)).toString('base64');
const B64_KEY = Buffer.from(KEY).toString('base64');

const TIERS = ['frontend', 'backend', 'worker', 'cache'];
const WORDS = ['orders', 'payments', 'catalog', 'search', 'users', 'cart', 'billing', 'shipping', 'reviews', 'inventory', 'auth', 'notify'];

/** One namespace of the `mixed` shape: the objects and how many. */
function mixedNamespace(i: number): Obj[] {
  const r = random(i + 7);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const ns = `${WORDS[i % WORDS.length]}-${i}`;
  const out: Obj[] = [];
  const injection = r();
  const labels: Obj = { 'kubernetes.io/metadata.name': ns, team: `team-${i % 40}` };
  if (injection < 0.7) labels['istio-injection'] = 'enabled';
  else if (injection < 0.8) labels['istio.io/rev'] = 'default';
  const injected = injection < 0.8;
  out.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels } });
  const apps = 2 + Math.floor(r() * 3);
  const names: string[] = [];
  for (let a = 0; a < apps; a++) {
    const app = `${pick(WORDS)}-${pick(TIERS)}-${a}`;
    names.push(app);
    const podLabels = { app, version: 'v1', 'app.kubernetes.io/part-of': ns };
    const port = a % 3 === 0 ? 8080 : 9000 + a;
    out.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: app,
        namespace: ns,
        labels: podLabels,
        annotations: {
          description: `The ${app} service of ${ns}: it serves the ${pick(WORDS)} API to the ${pick(WORDS)} and ${pick(WORDS)} teams, `
            + 'with retries and timeouts configured in the mesh rather than in the client library, as agreed in the platform review.',
        },
      },
      spec: {
        replicas: 1 + Math.floor(r() * 4),
        selector: { matchLabels: { app, version: 'v1' } },
        template: {
          metadata: { labels: podLabels, annotations: r() < 0.2 ? { 'sidecar.istio.io/inject': 'false' } : { 'prometheus.io/scrape': 'true' } },
          spec: {
            serviceAccountName: app,
            containers: [{
              name: 'main',
              image: `ghcr.io/example/${app}:${1 + (i % 5)}.${a}.${Math.floor(r() * 20)}`,
              ports: [{ name: a % 4 === 3 ? 'metrics' : 'http', containerPort: port }],
              env: [
                { name: 'SERVICE_NAME', value: app },
                { name: 'UPSTREAM', value: `http://${names[0]}.${ns}.svc.cluster.local:8080` },
                { name: 'FEATURE_FLAGS', value: 'a,b,c' },
              ],
              readinessProbe: { httpGet: { path: '/ready', port }, periodSeconds: 10 },
              resources: { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '50m', memory: '64Mi' } },
            }],
          },
        },
      },
    });
    // Pods of about a third of the namespaces (a dump of a live cluster has them).
    if (i % 3 === 0) {
      for (let p = 0; p < 2; p++) {
        out.push({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            name: `${app}-6c9d7f${(i * 31 + a * 7 + p).toString(36)}`,
            namespace: ns,
            labels: { ...podLabels, 'pod-template-hash': '6c9d7f' },
            ...(injected ? { annotations: { 'sidecar.istio.io/status': '{"containers":["istio-proxy"],"initContainers":["istio-init"]}' } } : {}),
          },
          spec: {
            containers: [
              { name: 'main', image: `ghcr.io/example/${app}:1.0.0`, ports: [{ containerPort: port }] },
              ...(injected && r() < 0.95 ? [{ name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.30.3' }] : []),
            ],
          },
        });
      }
    }
    // A Service port without a protocol prefix now and then; a Service whose selector misses (a mistake).
    out.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: app, namespace: ns, labels: { app } },
      spec: {
        selector: r() < 0.05 ? { app: `${app}-old` } : { app },
        ports: [{ name: r() < 0.1 ? 'web' : 'http', port: 8080, targetPort: port, protocol: 'TCP' }],
      },
    });
    out.push({
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: app, namespace: ns },
      spec: {
        host: `${app}.${ns}.svc.cluster.local`,
        trafficPolicy: { connectionPool: { tcp: { maxConnections: 100 } }, outlierDetection: { consecutive5xxErrors: 5, interval: '30s' } },
        subsets: [{ name: 'v1', labels: { version: 'v1' } }, ...(r() < 0.3 ? [{ name: 'v2', labels: { version: 'v2' } }] : [])],
      },
    });
  }
  // TLS: the Secret belongs in istio-system (where the ingress gateway runs); 15% are in the namespace
  // instead (a mistake), 5% hold a truncated certificate.
  const host = `${ns}.apps.example.com`;
  const secretNs = r() < 0.15 ? ns : 'istio-system';
  out.push({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: `${ns}-tls`, namespace: secretNs },
    type: 'kubernetes.io/tls',
    data: { 'tls.crt': r() < 0.05 ? B64_BROKEN : B64_CERT, 'tls.key': B64_KEY },
  });
  // Gateways: 8% claim another namespace's host (conflict), 5% listen on a port the ingress Service lacks.
  const claimed = r() < 0.08 && i > 0 ? `${WORDS[(i - 1) % WORDS.length]}-${i - 1}.apps.example.com` : host;
  out.push({
    apiVersion: 'networking.istio.io/v1',
    kind: 'Gateway',
    metadata: { name: `${ns}-gateway`, namespace: ns },
    spec: {
      selector: { istio: 'ingressgateway' },
      servers: [
        { port: { number: r() < 0.05 ? 9443 : 443, name: 'https', protocol: 'HTTPS' }, hosts: [claimed], tls: { mode: 'SIMPLE', credentialName: `${ns}-tls` } },
        { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: [host], tls: { httpsRedirect: true } },
      ],
    },
  });
  // Routes: 10% name a subset no DestinationRule defines, 5% a Service that does not exist.
  out.push({
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: `${ns}-ingress`, namespace: ns },
    spec: {
      hosts: [host],
      gateways: [`${ns}-gateway`],
      http: names.map((app, k) => ({
        name: `route-${k}`,
        match: [{ uri: { prefix: `/${app.split('-')[0]}/` } }],
        route: [{
          destination: {
            host: r() < 0.05 ? `${app}-legacy` : `${app}.${ns}.svc.cluster.local`,
            port: { number: 8080 },
            subset: r() < 0.1 ? 'canary' : 'v1',
          },
        }],
        timeout: `${5 + k}s`,
        retries: { attempts: 2, perTryTimeout: '2s', retryOn: '5xx,reset,connect-failure' },
      })),
    },
  });
  if (i % 2 === 0) {
    out.push({
      apiVersion: 'networking.istio.io/v1',
      kind: 'ServiceEntry',
      metadata: { name: `${ns}-egress`, namespace: ns },
      spec: { hosts: [`api.${pick(WORDS)}.partner.example.org`], location: 'MESH_EXTERNAL', ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'DNS' },
    });
  }
  if (r() < 0.5) {
    out.push({
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      metadata: { name: 'default', namespace: ns },
      spec: { mtls: { mode: r() < 0.8 ? 'STRICT' : 'PERMISSIVE' } },
    });
  }
  out.push({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `${ns}-settings`, namespace: ns },
    data: { 'app.properties': names.map((n) => `${n}.enabled=true\n${n}.timeout=5s\n`).join(''), LOG_LEVEL: 'info' },
  });
  return out;
}

/** The ingress gateway a dumped cluster has (its Service exposes 80 and 443 only). */
const INGRESS: Obj[] = [
  {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'istio-ingressgateway', namespace: 'istio-system', labels: { app: 'istio-ingressgateway', istio: 'ingressgateway' } },
    spec: { selector: { matchLabels: { istio: 'ingressgateway' } }, template: { metadata: { labels: { app: 'istio-ingressgateway', istio: 'ingressgateway' } }, spec: { containers: [{ name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.30.3' }] } } },
  },
  {
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'istio-ingressgateway', namespace: 'istio-system' },
    spec: { type: 'LoadBalancer', selector: { istio: 'ingressgateway' }, ports: [{ name: 'http2', port: 80, targetPort: 8080 }, { name: 'https', port: 443, targetPort: 8443 }] },
  },
];

/** One small object of the `tiny` shape, from a hand-written template (about 150 bytes). */
function tinyObject(n: number): string {
  const ns = `ns-${n % 2000}`;
  const app = `app-${n % 97}`;
  switch (n % 6) {
    case 0:
      return `---\napiVersion: "v1"\nkind: "Service"\nmetadata:\n  name: "svc-${n}"\n  namespace: "${ns}"\n  labels: &labels {app: "${app}", tier: 'backend'}\nspec:\n  selector: *labels\n  ports: [{name: http, port: 80, targetPort: 8080}]\n`;
    case 1:
      return `--- # settings\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-${n}, namespace: '${ns}'}\ndata:\n  greeting: "caf\\u00e9 \\"${n}\\"\\tok"\n  note: 'it''s ${n}'\n`;
    case 2:
      return `---\napiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: "se-${n}", namespace: "${ns}"}\nspec: {hosts: ["ext-${n % 500}.example.org"], ports: [{number: 443, name: https, protocol: HTTPS}], resolution: DNS}\n`;
    case 3:
      return `---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: "s-${n}"\n  namespace: ${ns}\ntype: Opaque\nstringData: {password: "${(n * 7919).toString(36)}"}\n`;
    case 4:
      return n % 600 === 4
        ? `---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: long-${n}, namespace: ${ns}}\ndata:\n  line: ${'segment-'.repeat(300)}end\n`
        : `---\napiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata: {name: "sc-${n}", namespace: "${ns}"}\nspec:\n  workloadSelector: {labels: {app: "${app}"}}\n  egress: [{hosts: ["./*", "istio-system/*"]}]\n`;
    default:
      return `---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: vs-${n}, namespace: ${ns}}\nspec:\n  hosts: [&h "svc-${n - 5}.${ns}.svc.cluster.local"]\n  http: [{route: [{destination: {host: *h, port: {number: 80}}}]}]\n`;
  }
}

export const CHECKER_SHAPES = ['mixed', 'tiny'] as const;
export type CheckerShape = (typeof CHECKER_SHAPES)[number];

/** Writes the input of one checker shape: at least `mb` MiB; returns the object and byte counts. */
export function generateCheckerShape(shape: CheckerShape, file: string, mb: number): { objects: number; bytes: number } {
  const fd = fs.openSync(file, 'w');
  let bytes = 0;
  let objects = 0;
  const write = (text: string, n: number): void => {
    fs.writeSync(fd, text);
    bytes += Buffer.byteLength(text);
    objects += n;
  };
  if (shape === 'mixed') {
    write(INGRESS.map((o) => `---\n${jsyaml.dump(o)}`).join(''), INGRESS.length);
    for (let i = 0; bytes < mb * 1024 * 1024; i++) {
      const objs = mixedNamespace(i);
      write(objs.map((o) => `---\n${jsyaml.dump(o)}`).join(''), objs.length);
    }
  } else {
    for (let n = 0; bytes < mb * 1024 * 1024;) {
      let text = '';
      for (const end = n + 1000; n < end; n++) text += tinyObject(n);
      write(text, 1000);
    }
  }
  fs.closeSync(fd);
  return { objects, bytes };
}
