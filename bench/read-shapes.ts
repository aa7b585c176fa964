// Inputs for the reading benchmark (bench/read-bench.ts) shaped as checkers and real clusters
// produce them, not as our own generator does: `kubectl get -A -o yaml` (one `kind: List`
// document), `-o json`, multi-document dumps with comments, big ConfigMap/Secret data with block
// scalars and long lines, flow (`{...}`) documents, Istio-heavy clusters with overlapping hosts,
// CRLF line endings, and objects carrying managedFields. Each writes `mb` MiB (or a little more).

import * as fs from 'fs';
import * as jsyaml from 'js-yaml';
import { CHECKER_SHAPES, generateCheckerShape, type CheckerShape } from './read-checker';
import { generateMeshShape, MESH_SHAPES, type MeshShape } from './read-mesh';

/** Our shapes, then those of the independent checker-style generators (bench/read-checker.ts, bench/read-mesh.ts). */
export const SHAPES = ['list', 'dump', 'data', 'json', 'flow', 'istio', 'crlf', 'managed', ...CHECKER_SHAPES, ...MESH_SHAPES] as const;
export type Shape = (typeof SHAPES)[number];

type Obj = Record<string, unknown>;

/** A deterministic pseudo-random sequence (the files are byte-identical from run to run). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function uid(i: number, k: number): string {
  const h = ((i * 2654435761) ^ (k * 40503)) >>> 0;
  const x = h.toString(16).padStart(8, '0');
  return `${x}-${x.slice(0, 4)}-4${x.slice(1, 4)}-8${x.slice(4, 7)}-${x}${x.slice(0, 4)}`;
}

interface Options {
  /** `metadata.managedFields` as the API server keeps them (kubectl --show-managed-fields). */
  readonly managedFields?: boolean;
  /** Big ConfigMap/Secret data: long base64 lines, multi-line text. */
  readonly bigData?: boolean;
  /**
   * Many small Istio objects per namespace whose external hosts are shared by 4 (or 8) namespaces (a
   * host claimed by k Gateways makes k IST0145 messages each listing the other k-1, as in Istio); the
   * workloads' short names are unique per namespace (the same short destination host with subsets
   * in every namespace makes IST0140 findings grow with the square of the namespaces, as in Istio).
   */
  readonly istioHeavy?: boolean;
}

function meta(name: string, ns: string, i: number, k: number, extra: Obj = {}, opts: Options = {}, kind = 'Deployment'): Obj {
  if (opts.istioHeavy) return { name, namespace: ns, ...extra };
  const m: Obj = {
    ...extra,
    creationTimestamp: `2026-0${1 + (i % 9)}-1${k % 10}T0${k % 10}:1${i % 10}:2${k % 10}Z`,
    generation: 1 + (k % 4),
    name,
    namespace: ns,
    resourceVersion: String(1000000 + i * 97 + k),
    uid: uid(i, k),
  };
  if (opts.managedFields) {
    m.managedFields = [
      {
        apiVersion: kind === 'Deployment' ? 'apps/v1' : 'v1',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:annotations': { '.': {}, 'f:kubectl.kubernetes.io/last-applied-configuration': {} }, 'f:labels': { '.': {}, 'f:app': {}, 'f:version': {} } },
          'f:spec': {
            'f:replicas': {},
            'f:selector': {},
            'f:template': {
              'f:metadata': { 'f:labels': { '.': {}, 'f:app': {}, 'f:version': {} } },
              'f:spec': {
                'f:containers': { [`k:{"name":"${name}"}`]: { '.': {}, 'f:image': {}, 'f:imagePullPolicy': {}, 'f:name': {}, 'f:ports': { '.': {}, 'k:{"containerPort":8080,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {}, 'f:name': {}, 'f:protocol': {} } }, 'f:resources': { '.': {}, 'f:requests': { '.': {}, 'f:cpu': {}, 'f:memory': {} } } } },
                'f:dnsPolicy': {}, 'f:restartPolicy': {}, 'f:schedulerName': {}, 'f:securityContext': {}, 'f:terminationGracePeriodSeconds': {},
              },
            },
          },
        },
        manager: 'kubectl-client-side-apply',
        operation: 'Update',
        time: '2026-01-10T10:00:00Z',
      },
      {
        apiVersion: kind === 'Deployment' ? 'apps/v1' : 'v1',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:metadata': { 'f:annotations': { 'f:deployment.kubernetes.io/revision': {} } }, 'f:status': { 'f:availableReplicas': {}, 'f:conditions': { '.': {}, 'k:{"type":"Available"}': { '.': {}, 'f:lastTransitionTime': {}, 'f:lastUpdateTime': {}, 'f:message': {}, 'f:reason': {}, 'f:status': {}, 'f:type': {} }, 'k:{"type":"Progressing"}': { '.': {}, 'f:lastTransitionTime': {}, 'f:lastUpdateTime': {}, 'f:message': {}, 'f:reason': {}, 'f:status': {}, 'f:type': {} } }, 'f:observedGeneration': {}, 'f:readyReplicas': {}, 'f:replicas': {}, 'f:updatedReplicas': {} } },
        manager: 'kube-controller-manager',
        operation: 'Update',
        subresource: 'status',
        time: '2026-01-10T10:00:05Z',
      },
    ];
  }
  return m;
}

/** The objects of one namespace of a cluster, as the API server returns them (status included). */
function namespaceObjects(i: number, opts: Options): Obj[] {
  const ns = `team-${i}`;
  const r = rng(i + 1);
  const appOf = (a: number): string => (opts.istioHeavy ? `${ns}-app-${a}` : `app-${a}`);
  const out: Obj[] = [];
  out.push({ apiVersion: 'v1', kind: 'Namespace', metadata: meta(ns, undefined as unknown as string, i, 0, { labels: { 'istio-injection': 'enabled', 'kubernetes.io/metadata.name': ns } }, {}), spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
  delete (out[0].metadata as Obj).namespace;
  const apps = opts.istioHeavy ? 2 : 3;
  for (let a = 0; a < apps; a++) {
    const app = appOf(a);
    const labels = { app, version: 'v1' };
    const container = {
      image: `registry.example.com/${ns}/${app}:1.${i % 10}.${a}`,
      imagePullPolicy: 'IfNotPresent',
      name: app,
      ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }],
      resources: { requests: { cpu: '100m', memory: '128Mi' } },
      env: [{ name: 'LOG_LEVEL', value: 'info' }, { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } }],
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
    };
    const lastApplied = JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { annotations: {}, labels, name: app, namespace: ns }, spec: { replicas: 2, selector: { matchLabels: { app } }, template: { metadata: { labels }, spec: { containers: [{ image: container.image, name: app, ports: [{ containerPort: 8080, name: 'http' }] }] } } } });
    out.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta(app, ns, i, a * 10 + 1, { annotations: { 'deployment.kubernetes.io/revision': '3', 'kubectl.kubernetes.io/last-applied-configuration': `${lastApplied}\n` }, labels }, opts),
      spec: {
        progressDeadlineSeconds: 600,
        replicas: 2,
        revisionHistoryLimit: 10,
        selector: { matchLabels: { app } },
        strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' }, type: 'RollingUpdate' },
        template: { metadata: { creationTimestamp: null, labels }, spec: { containers: [container], dnsPolicy: 'ClusterFirst', restartPolicy: 'Always', schedulerName: 'default-scheduler', securityContext: {}, terminationGracePeriodSeconds: 30 } },
      },
      status: {
        availableReplicas: 2,
        conditions: [
          { lastTransitionTime: '2026-01-10T10:00:05Z', lastUpdateTime: '2026-01-10T10:00:05Z', message: 'Deployment has minimum availability.', reason: 'MinimumReplicasAvailable', status: 'True', type: 'Available' },
          { lastTransitionTime: '2026-01-10T10:00:00Z', lastUpdateTime: '2026-01-10T10:00:05Z', message: `ReplicaSet "${app}-7d9f8b6c5d" has successfully progressed.`, reason: 'NewReplicaSetAvailable', status: 'True', type: 'Progressing' },
        ],
        observedGeneration: 3,
        readyReplicas: 2,
        replicas: 2,
        updatedReplicas: 2,
      },
    });
    for (let p = 0; p < 2; p++) {
      const pod = `${app}-7d9f8b6c5d-${(i * 7 + a * 3 + p).toString(36).padStart(5, 'x')}`;
      out.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: meta(pod, ns, i, a * 10 + 2 + p, {
          annotations: {
            'istio.io/rev': 'default',
            'kubectl.kubernetes.io/default-container': app,
            'kubectl.kubernetes.io/default-logs-container': app,
            'prometheus.io/path': '/stats/prometheus',
            'prometheus.io/port': '15020',
            'prometheus.io/scrape': 'true',
            'sidecar.istio.io/status': JSON.stringify({ initContainers: ['istio-init'], containers: ['istio-proxy'], volumes: ['workload-socket', 'credential-socket', 'workload-certs', 'istio-envoy', 'istio-data', 'istio-podinfo', 'istio-token', 'istiod-ca-cert'], imagePullSecrets: null, revision: 'default' }),
          },
          labels: { ...labels, 'pod-template-hash': '7d9f8b6c5d', 'security.istio.io/tlsMode': 'istio', 'service.istio.io/canonical-name': app, 'service.istio.io/canonical-revision': 'v1' },
          ownerReferences: [{ apiVersion: 'apps/v1', blockOwnerDeletion: true, controller: true, kind: 'ReplicaSet', name: `${app}-7d9f8b6c5d`, uid: uid(i, a * 10 + 9) }],
        }, opts, 'Pod'),
        spec: {
          containers: [
            container,
            {
              args: ['proxy', 'sidecar', '--domain', '$(POD_NAMESPACE).svc.cluster.local', '--proxyLogLevel=warning', '--proxyComponentLogLevel=misc:error', '--log_output_level=default:info'],
              env: ['PILOT_CERT_PROVIDER', 'CA_ADDR', 'POD_NAME', 'POD_NAMESPACE', 'INSTANCE_IP', 'SERVICE_ACCOUNT', 'HOST_IP', 'ISTIO_CPU_LIMIT', 'PROXY_CONFIG', 'ISTIO_META_POD_PORTS', 'ISTIO_META_APP_CONTAINERS', 'ISTIO_META_CLUSTER_ID', 'ISTIO_META_NODE_NAME', 'ISTIO_META_INTERCEPTION_MODE', 'ISTIO_META_WORKLOAD_NAME', 'ISTIO_META_OWNER', 'ISTIO_META_MESH_ID', 'TRUST_DOMAIN']
                .map((n, k) => ({ name: n, value: k % 3 === 0 ? `value-${k}-${r().toString(36).slice(2, 10)}` : n === 'PROXY_CONFIG' ? '{}' : `${n.toLowerCase()}` })),
              image: 'docker.io/istio/proxyv2:1.30.3',
              name: 'istio-proxy',
              ports: [{ containerPort: 15090, name: 'http-envoy-prom', protocol: 'TCP' }],
              readinessProbe: { failureThreshold: 4, httpGet: { path: '/healthz/ready', port: 15021, scheme: 'HTTP' }, periodSeconds: 15, successThreshold: 1, timeoutSeconds: 3 },
              resources: { limits: { cpu: '2', memory: '1Gi' }, requests: { cpu: '10m', memory: '40Mi' } },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: false, readOnlyRootFilesystem: true, runAsGroup: 1337, runAsNonRoot: true, runAsUser: 1337 },
              volumeMounts: ['workload-socket', 'credential-socket', 'workload-certs', 'istiod-ca-cert', 'istio-data', 'istio-envoy', 'istio-token', 'istio-podinfo'].map((v) => ({ mountPath: `/var/run/secrets/${v}`, name: v })),
            },
          ],
          initContainers: [{ args: ['istio-iptables', '-p', '15001', '-z', '15006', '-u', '1337', '-m', 'REDIRECT', '-i', '*', '-x', '', '-b', '*', '-d', '15090,15021,15020'], image: 'docker.io/istio/proxyv2:1.30.3', name: 'istio-init' }],
          nodeName: `node-${i % 50}`,
          serviceAccountName: 'default',
          volumes: [{ emptyDir: {}, name: 'workload-socket' }, { emptyDir: { medium: 'Memory' }, name: 'istio-envoy' }, { configMap: { defaultMode: 420, name: 'istio-ca-root-cert' }, name: 'istiod-ca-cert' }],
        },
        status: {
          conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((t) => ({ lastProbeTime: null, lastTransitionTime: '2026-01-10T10:00:03Z', status: 'True', type: t })),
          containerStatuses: [app, 'istio-proxy'].map((n) => ({ containerID: `containerd://${uid(i, p).replace(/-/g, '')}${uid(a, p).replace(/-/g, '')}`, image: n, imageID: `sha256:${uid(i, a).replace(/-/g, '')}`, lastState: {}, name: n, ready: true, restartCount: 0, started: true, state: { running: { startedAt: '2026-01-10T10:00:02Z' } } })),
          hostIP: `10.0.${i % 250}.${p + 1}`,
          phase: 'Running',
          podIP: `10.244.${i % 250}.${a * 2 + p + 2}`,
          qosClass: 'Burstable',
          startTime: '2026-01-10T10:00:00Z',
        },
      });
    }
    out.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(app, ns, i, a * 10 + 5, { labels: { app } }, opts, 'Service'),
      spec: { clusterIP: `10.96.${i % 250}.${a + 10}`, clusterIPs: [`10.96.${i % 250}.${a + 10}`], internalTrafficPolicy: 'Cluster', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', ports: [{ name: 'http', port: 8080, protocol: 'TCP', targetPort: 8080 }], selector: { app }, sessionAffinity: 'None', type: 'ClusterIP' },
      status: { loadBalancer: {} },
    });
    const data: Obj = opts.bigData
      ? {
        'application.yaml': `server:\n  port: 8080\nlogging:\n  level: INFO\nfeatures:\n${Array.from({ length: 40 }, (_, k) => `  flag-${k}: ${k % 2 === 0}\n`).join('')}`,
        'nginx.conf': Array.from({ length: 30 }, (_, k) => `location /api/v${k} {\n    proxy_pass http://${app}:8080;\n    proxy_set_header Host $host;\n}\n`).join(''),
        'rules.json': JSON.stringify(Array.from({ length: 60 }, (_, k) => ({ id: k, match: `/path/${k}/*`, allow: ['GET', 'POST'], limit: 100 + k }))),
        'motd.txt': `Welcome to ${ns}. ${'This line is long. '.repeat(200)}`,
      }
      : { 'settings.json': `{"feature": true, "limit": ${100 + a}, "name": "${app}"}\n`, mode: 'production' };
    out.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(`${app}-config`, ns, i, a * 10 + 6, {}, opts, 'ConfigMap'), data });
  }
  const certBytes = opts.bigData ? 3000 : 40;
  const cert = Buffer.from(Array.from({ length: certBytes }, (_, k) => String.fromCharCode(33 + ((k * 31 + i) % 90))).join('')).toString('base64');
  out.push({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: meta(`${ns}-cert`, 'istio-system', i, 40, {}, opts, 'Secret'),
    type: 'kubernetes.io/tls',
    data: { 'tls.crt': cert, 'tls.key': cert.slice(0, cert.length >> 1), ...(opts.bigData ? { 'ca.crt': cert } : {}) },
  });
  // Istio: with `istioHeavy`, many objects per namespace whose hosts are shared by a few namespaces.
  const gateways = opts.istioHeavy ? 4 : 1;
  const services = opts.istioHeavy ? 8 : 1;
  for (let g = 0; g < gateways; g++) {
    out.push({
      apiVersion: 'networking.istio.io/v1',
      kind: 'Gateway',
      metadata: meta(`${ns}-gw-${g}`, ns, i, 50 + g, {}, opts, 'Gateway'),
      spec: {
        selector: { istio: 'ingressgateway' },
        servers: [
          { hosts: [`${ns}.example.com`, `shared-${i >> 2}.example.com`, `*.team${i >> 3}.example.com`], port: { name: `https-${g}`, number: 443, protocol: 'HTTPS' }, tls: { credentialName: `${ns}-cert`, mode: 'SIMPLE' } },
          { hosts: [`${ns}/*`], port: { name: `http-${g}`, number: 80, protocol: 'HTTP' }, tls: { httpsRedirect: true } },
        ],
      },
    });
  }
  for (let v = 0; v < services; v++) {
    const host = v % 2 === 0 ? `${ns}.example.com` : `shared-${(i >> 2) + (v & 1)}.example.com`;
    out.push({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: meta(`${ns}-routes-${v}`, ns, i, 60 + v, {}, opts, 'VirtualService'),
      spec: {
        gateways: [`${ns}-gw-${v % gateways}`, 'mesh'],
        hosts: [host, appOf(v % apps)],
        http: [
          { match: [{ uri: { prefix: `/api/v${v}` } }, { headers: { 'x-team': { exact: ns } } }], route: [{ destination: { host: appOf(v % apps), port: { number: 8080 }, subset: 'v1' }, weight: 90 }, { destination: { host: appOf((v + 1) % apps), port: { number: 8080 } }, weight: 10 }], retries: { attempts: 3, perTryTimeout: '2s' }, timeout: '10s' },
          { route: [{ destination: { host: `${appOf(v % apps)}.${ns}.svc.cluster.local`, port: { number: 8080 } } }] },
        ],
      },
    });
    out.push({
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: meta(`${appOf(v)}-dr`, ns, i, 70 + v, {}, opts, 'DestinationRule'),
      spec: { host: appOf(v % apps), subsets: [{ labels: { version: 'v1' }, name: 'v1' }, { labels: { version: 'v2' }, name: 'v2' }], trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' }, connectionPool: { http: { http1MaxPendingRequests: 100 } } } },
    });
    if (opts.istioHeavy) {
      out.push({
        apiVersion: 'networking.istio.io/v1',
        kind: 'ServiceEntry',
        metadata: meta(`external-${v}`, ns, i, 80 + v, {}, opts, 'ServiceEntry'),
        spec: { hosts: [`api-${v % 5}.partner.example.org`, `shared-${(i >> 2) + (v & 1)}.example.com`], location: 'MESH_EXTERNAL', ports: [{ name: 'https', number: 443, protocol: 'TLS' }], resolution: 'DNS' },
      });
    }
  }
  if (opts.istioHeavy) {
    // Small documents: no status, Pods with their sidecar annotations and containers only.
    for (const o of out) {
      delete o.status;
      if (o.kind === 'Pod') {
        const spec = o.spec as { containers: Obj[] };
        o.spec = { containers: spec.containers.map((c) => ({ image: c.image, name: c.name, ...(c.ports ? { ports: c.ports } : {}) })) };
      }
    }
  }
  return out;
}

const YAML_OPTS: jsyaml.DumpOptions = { lineWidth: -1, noArrayIndent: true, noRefs: true, quotingType: '"' };

/** Writes `text` pieces to a file until it reaches `mb` MiB; returns the object and byte counts. */
function writeUntil(file: string, mb: number, piece: (i: number) => { text: string; objects: number }, head = '', tail = ''): { objects: number; bytes: number } {
  const fd = fs.openSync(file, 'w');
  let bytes = 0;
  let objects = 0;
  fs.writeSync(fd, head);
  bytes += Buffer.byteLength(head);
  for (let i = 0; bytes < mb * 1024 * 1024; i++) {
    const p = piece(i);
    fs.writeSync(fd, p.text);
    bytes += Buffer.byteLength(p.text);
    objects += p.objects;
  }
  fs.writeSync(fd, tail);
  bytes += Buffer.byteLength(tail);
  fs.closeSync(fd);
  return { objects, bytes };
}

/** Writes the input of one shape. */
export function generateShape(shape: Shape, file: string, mb: number): { objects: number; bytes: number } {
  switch (shape) {
    case 'list':
      // `kubectl get -A -o yaml`: ONE document, a List whose items start at column 0.
      return writeUntil(file, mb, (i) => {
        const objs = namespaceObjects(i, {});
        return { text: jsyaml.dump(objs, YAML_OPTS), objects: objs.length };
      }, 'apiVersion: v1\nitems:\n', 'kind: List\nmetadata:\n  resourceVersion: ""\n');
    case 'json': {
      // `kubectl get -A -o json`: one JSON List, 4-space indented.
      let first = true;
      return writeUntil(file, mb, (i) => {
        const objs = namespaceObjects(i, {});
        const text = objs.map((o) => JSON.stringify(o, null, 4).replace(/^/gm, '        ')).join(',\n');
        const sep = first ? '' : ',\n';
        first = false;
        return { text: sep + text, objects: objs.length };
      }, '{\n    "apiVersion": "v1",\n    "items": [\n', '\n    ],\n    "kind": "List",\n    "metadata": {\n        "resourceVersion": ""\n    }\n}\n');
    }
    case 'flow':
      // One single-line flow mapping per document (`{...}`), as JSON converted to multi-document YAML.
      return writeUntil(file, mb, (i) => {
        const objs = namespaceObjects(i, {});
        return { text: objs.map((o) => `---\n${JSON.stringify(o)}\n`).join(''), objects: objs.length };
      });
    case 'dump':
    case 'crlf':
    case 'data':
    case 'istio':
    case 'managed': {
      // A multi-document dump as a chart or a backup tool writes it: `---`, comments between and inside.
      const opts: Options = { bigData: shape === 'data', istioHeavy: shape === 'istio', managedFields: shape === 'managed' };
      const eol = shape === 'crlf' ? '\r\n' : '\n';
      return writeUntil(file, mb, (i) => {
        const objs = namespaceObjects(i, opts);
        let text = objs.map((o) => `---\n# Source: platform/templates/${String(o.kind).toLowerCase()}.yaml\n${jsyaml.dump(o, YAML_OPTS)}`).join('');
        if (shape === 'data') {
          // Folded scalars and a long plain line beside the literal ones js-yaml writes.
          text += `---\n# folded text\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: folded-${i}\n  namespace: team-${i}\ndata:\n  description: >\n    ${'folded words '.repeat(40)}\n    second line of the paragraph\n\n    next paragraph\n  script: |-\n    #!/bin/sh\n    set -e\n    echo "${'x'.repeat(3000)}"\n  oneline: ${'plain-'.repeat(800)}end\n`;
        }
        if (eol !== '\n') text = text.replace(/\n/g, eol);
        return { text, objects: objs.length + (shape === 'data' ? 1 : 0) };
      });
    }
    case 'mixed':
    case 'tiny':
      return generateCheckerShape(shape satisfies CheckerShape, file, mb);
    case 'mesh':
    case 'meshlist':
      return generateMeshShape(shape satisfies MeshShape, file, mb);
    default:
      throw new Error(`unknown shape ${shape as string}`);
  }
}
