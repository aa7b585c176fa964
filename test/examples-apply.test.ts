// `kubectl apply -f dist/` on a cluster with only Istio 1.30 installed by the example's own
// control-plane config: dist/ (synthesized here, as `npx cdk8s synth` writes it) is walked in the
// order kubectl applies it (files by name, objects in file order), as the API server would see it.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { examplePrerequisites, Prerequisite, prerequisitesMarkdown } from '../examples/prerequisites';
import { buildControlPlane, buildExamplePlatform } from '../examples/platform';
import { analyze } from '../src';

/** Kinds a Kubernetes 1.30 API server serves, and whether they are namespaced. */
const KUBERNETES_KINDS: Record<string, boolean> = {
  'v1/Namespace': false, 'v1/Service': true, 'v1/ServiceAccount': true, 'v1/ConfigMap': true, 'v1/Secret': true,
  'apps/v1/Deployment': true, 'rbac.authorization.k8s.io/v1/Role': true, 'rbac.authorization.k8s.io/v1/RoleBinding': true,
  'autoscaling/v2/HorizontalPodAutoscaler': true, 'policy/v1/PodDisruptionBudget': true, 'networking.k8s.io/v1/NetworkPolicy': true,
};
/** The CRDs Istio 1.30 installs (manifests/charts/base), all namespaced; IstioOperator is not among them. */
const ISTIO_KINDS: Record<string, boolean> = Object.fromEntries([
  ...['Gateway', 'VirtualService', 'DestinationRule', 'ServiceEntry', 'Sidecar', 'WorkloadEntry', 'WorkloadGroup']
    .flatMap((k) => ['v1', 'v1beta1', 'v1alpha3'].map((v) => `networking.istio.io/${v}/${k}`)),
  'networking.istio.io/v1alpha3/EnvoyFilter', 'networking.istio.io/v1beta1/ProxyConfig',
  ...['PeerAuthentication', 'AuthorizationPolicy', 'RequestAuthentication'].flatMap((k) => ['v1', 'v1beta1'].map((v) => `security.istio.io/${v}/${k}`)),
  'telemetry.istio.io/v1/Telemetry', 'telemetry.istio.io/v1alpha1/Telemetry', 'extensions.istio.io/v1alpha1/WasmPlugin',
].map((k) => [k, true]));
/** Namespaces of a fresh cluster. */
const BUILT_IN_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

interface Doc { file: string; object: any }

/** Synthesizes the example platform as examples/main.ts does and reads dist/ as kubectl does. */
function synthesizeDist(): { dir: string; docs: Doc[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'igc-dist-'));
  const platform = new App({ outdir: dir });
  buildExamplePlatform(platform);
  platform.synth();
  const controlPlane = new App({ outdir: path.join(dir, 'istioctl') });
  buildControlPlane(controlPlane);
  controlPlane.synth();
  // `kubectl apply -f dir` (not -R) reads the directory's .json/.yaml/.yml files in name order
  const files = fs.readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ya?ml|json)$/.test(e.name)).map((e) => e.name).sort();
  const docs = files.flatMap((file) => parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8'))
    .map((d) => ({ file, object: d.toJS() })).filter((d) => d.object !== null));
  return { dir, docs };
}

/** What `kubectl apply` of `docs`, in order, would refuse: unserved kinds and namespaces that do not exist yet. */
function applyProblems(docs: readonly Doc[], prerequisites: readonly Prerequisite[]): string[] {
  const namespaces = new Set([
    ...BUILT_IN_NAMESPACES,
    ...prerequisites.filter((p) => p.when === 'before').flatMap((p) => p.provides as any[]).filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name),
  ]);
  const problems: string[] = [];
  for (const { file, object: o } of docs) {
    const key = `${o.apiVersion}/${o.kind}`;
    const namespaced = KUBERNETES_KINDS[key] ?? ISTIO_KINDS[key];
    const where = `${file}: ${o.kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
    if (namespaced === undefined) { problems.push(`${where}: ${key} is not served by Kubernetes or Istio 1.30`); continue; }
    if (!namespaced) {
      if (o.metadata?.namespace !== undefined) problems.push(`${where}: a cluster-scoped object with a namespace`);
      if (o.kind === 'Namespace') namespaces.add(o.metadata.name);
      continue;
    }
    if (typeof o.metadata?.namespace !== 'string') problems.push(`${where}: no namespace (it would land in the kubectl context's)`);
    else if (!namespaces.has(o.metadata.namespace)) problems.push(`${where}: namespace "${o.metadata.namespace}" does not exist yet ("namespace not found")`);
  }
  return problems;
}

describe('the example platform applies to a fresh cluster (kubectl apply -f dist/)', () => {
  const { dir, docs } = synthesizeDist();
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const prerequisites = examplePrerequisites();

  test('dist/ holds the platform and dist/istioctl the control plane, which a non-recursive apply leaves alone', () => {
    expect(docs.length).toBeGreaterThan(40);
    expect(docs[0]).toEqual({ file: '00-namespaces.k8s.yaml', object: expect.objectContaining({ kind: 'Namespace' }) });
    expect(docs.some((d) => d.object.kind === 'IstioOperator')).toBe(false);
    const iop = parseAllDocuments(fs.readFileSync(path.join(dir, 'istioctl', 'control-plane.k8s.yaml'), 'utf8')).map((d) => d.toJS());
    // the control plane installs the shared ingress gateway that the bookinfo example selects
    expect(iop).toEqual([expect.objectContaining({ kind: 'IstioOperator', spec: expect.objectContaining({ profile: 'default' }) })]);
  });

  test('in apply order, every namespaced object finds its Namespace, and every kind is served by Kubernetes or Istio 1.30', () => {
    expect(applyProblems(docs, prerequisites)).toEqual([]);
  });

  test('the walk fails without the Namespaces first, and on an IstioOperator in dist/', () => {
    const late = [...docs.filter((d) => d.object.kind !== 'Namespace'), ...docs.filter((d) => d.object.kind === 'Namespace')];
    expect(applyProblems(late, prerequisites)).toContainEqual(expect.stringMatching(/tcp-echo.k8s.yaml: Deployment istioinaction\/my-user-gateway: namespace "istioinaction" does not exist yet/));
    const iop = { file: 'control-plane.k8s.yaml', object: { apiVersion: 'install.istio.io/v1alpha1', kind: 'IstioOperator', metadata: { name: 'cp', namespace: 'istio-system' } } };
    expect(applyProblems([...docs, iop], prerequisites)).toEqual(['control-plane.k8s.yaml: IstioOperator istio-system/cp: install.istio.io/v1alpha1/IstioOperator is not served by Kubernetes or Istio 1.30']);
  });

  test('the Namespaces are labelled for sidecar injection (the mesh runs STRICT mTLS)', () => {
    const ns = docs.filter((d) => d.object.kind === 'Namespace').map((d) => d.object);
    expect(ns.map((n) => n.metadata.name)).toEqual(['bookinfo', 'istioinaction', 'ratings-abort', 'ratings-delay', 'reviews-jason', 'reviews-split', 'reviews-v1-only', 'web']);
    for (const n of ns) expect(n.metadata.labels).toEqual({ 'istio-injection': 'enabled' });
  });

  test('every reference is to an object emitted in dist/ or listed as a prerequisite (no IST0101), and nothing else is an error', () => {
    const objects = docs.map((d) => d.object);
    const external = prerequisites.flatMap((p) => p.provides);
    const findings = analyze(objects, { external });
    expect(findings.filter((d) => d.code === 'IST0101')).toEqual([]);
    expect(findings.filter((d) => d.level === 'Error')).toEqual([]);
    // and the check can fail: without the prerequisites, every one of them is missing
    const without = analyze(objects).filter((d) => d.code === 'IST0101').map((d) => d.origin);
    expect(without).toEqual(expect.arrayContaining(['Gateway istioinaction/web-gateway', 'Gateway bookinfo/bookinfo-gateway', 'VirtualService istioinaction/tcp-echo', 'VirtualService bookinfo/bookinfo']));
  });

  test('the route backends and ports match the prerequisites: tcp-echo on 9000 with v1/v2, bookinfo on 9080, httpbin on 8000', () => {
    const vs = (ns: string, name: string) => docs.find((d) => d.object.kind === 'VirtualService' && d.object.metadata.namespace === ns && d.object.metadata.name === name)!.object;
    expect(vs('istioinaction', 'tcp-echo').spec.tcp[0].route.map((r: any) => [r.destination.host, r.destination.port.number, r.destination.subset, r.weight]))
      .toEqual([['tcp-echo', 9000, 'v1', 80], ['tcp-echo', 9000, 'v2', 20]]);
    expect(vs('bookinfo', 'bookinfo').spec.http[0].route[0].destination).toEqual({ host: 'productpage', port: { number: 9080 } });
    expect(vs('istioinaction', 'webapp').spec.http[0].route[0].destination).toEqual({ host: 'httpbin', port: { number: 8000 } });
  });

  test('docs/examples.md lists exactly the prerequisites of examples/prerequisites.ts', () => {
    const docsText = fs.readFileSync(path.join(__dirname, '..', 'docs', 'examples.md'), 'utf8');
    expect(docsText).toContain(prerequisitesMarkdown());
  });
});
