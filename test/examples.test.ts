// The example platform (what `npx cdk8s synth` writes to dist/): synthesizes, is schema-valid,
// passes the analyzer without errors, and is byte-identical across runs.
import { App, Testing } from 'cdk8s';
import { buildControlPlane, buildExamplePlatform } from '../examples/platform';
import { analyze } from '../src';
import { SynthCheck } from '../src/cdk8s';
import { expectValid } from './support/validate-helper';
import { breadthFindings } from './support/breadth';
import { namesHost } from './support/host-oracle';

function synthExamples(): { yaml: string; objects: any[]; app: App } {
  const app = Testing.app();
  buildExamplePlatform(app);
  const yaml = app.synthYaml();
  const objects = app.charts.flatMap((c) => c.toJson());
  return { yaml, objects, app };
}

describe('example platform', () => {
  const first = synthExamples();

  test('is deterministic: byte-identical YAML from two fresh Apps', () => {
    expect(synthExamples().yaml).toBe(first.yaml);
  });

  test('the control-plane output (dist/istioctl: the IstioOperator and the istiod Helm values) is deterministic too', () => {
    const controlPlane = () => {
      const app = Testing.app();
      const chart = buildControlPlane(app);
      return { yaml: app.synthYaml(), values: chart.controlPlane.helmValuesYaml() };
    };
    const a = controlPlane();
    expect(a.yaml).toContain('kind: IstioOperator');
    expect(controlPlane()).toEqual(a);
  });

  test('every object is valid against Istio 1.30.3 CRDs (with CEL) and Kubernetes schemas', () => {
    expectValid(first.objects);
  });

  test('the synth-time analysis found no errors', () => {
    const diagnostics = SynthCheck.of(first.app).lastDiagnostics;
    expect(diagnostics.filter((d) => d.level === 'Error')).toEqual([]);
    expect(breadthFindings(diagnostics)).toEqual([]);
  });

  test('no object name carries a cdk8s hash suffix', () => {
    for (const o of first.objects) expect(o.metadata.name).not.toMatch(/-c8[0-9a-f]{6}$/);
  });

  test('scenario (a): my-user-gateway exposes only TCP 31400 (plus status) and shifts it 80/20 between tcp-echo v1 and v2 on 9000', () => {
    const svc = first.objects.find((o) => o.kind === 'Service' && o.metadata.name === 'my-user-gateway');
    expect(svc.spec.ports.map((p: any) => p.port)).toEqual([15021, 31400]);
    const vs = first.objects.find((o) => o.kind === 'VirtualService' && o.metadata.name === 'tcp-echo');
    expect(vs.spec.tcp[0].route).toEqual([
      { destination: { host: 'tcp-echo', port: { number: 9000 }, subset: 'v1' }, weight: 80 },
      { destination: { host: 'tcp-echo', port: { number: 9000 }, subset: 'v2' }, weight: 20 },
    ]);
    const dr = first.objects.find((o) => o.kind === 'DestinationRule' && o.metadata.name === 'tcp-echo');
    expect(dr.spec.subsets.map((s: any) => s.name)).toEqual(['v1', 'v2']);
  });

  test('scenario (b): SIMPLE with redirect, a second certificate, MUTUAL and PASSTHROUGH by SNI on one gateway', () => {
    const gw = first.objects.find((o) => o.kind === 'Gateway' && o.metadata.name === 'web-gateway');
    // namespace part aside: a TenantGateway scopes its hosts to the namespaces whose routes bind (issue 11, item 10)
    const byHost = (h: string) => gw.spec.servers.filter((s: any) => s.hosts.some((x: string) => namesHost(x, h)));
    expect(byHost('webapp.istioinaction.io').map((s: any) => s.tls)).toEqual([{ mode: 'SIMPLE', credentialName: 'webapp-credential' }, { httpsRedirect: true }]);
    expect(byHost('catalog.istioinaction.io')[0].tls.credentialName).toBe('catalog-credential');
    expect(byHost('partner.istioinaction.io')[0].tls.mode).toBe('MUTUAL');
    expect(byHost('simple-sni-1.istioinaction.io')[0].tls.mode).toBe('PASSTHROUGH');
    const sni = first.objects.find((o) => o.kind === 'VirtualService' && o.spec.tls);
    expect(sni.spec.tls[0].match[0].sniHosts).toEqual(['simple-sni-1.istioinaction.io']);
  });

  test('as plain YAML without the cluster, the analyzer reports exactly the objects the constructs declared as existing', () => {
    // At synth the constructs tell the analyzer that the shared ingress gateway, the TLS Secrets and
    // the backend Services exist in the cluster; the bare YAML does not carry that knowledge (the
    // passthrough backend my-nginx is in the YAML; test/examples-apply.test.ts gives the rest as prerequisites).
    const found = analyze(first.objects).map((d) => `${d.code} ${d.origin}`).sort();
    expect(found).toEqual([
      'IST0101 Gateway bookinfo/bookinfo-gateway',
      'IST0101 Gateway istioinaction/web-gateway',
      'IST0101 Gateway istioinaction/web-gateway',
      'IST0101 Gateway istioinaction/web-gateway',
      'IST0101 VirtualService bookinfo/bookinfo',
      'IST0101 VirtualService istioinaction/catalog',
      'IST0101 VirtualService istioinaction/partner-api',
      'IST0101 VirtualService istioinaction/tcp-echo',
      'IST0101 VirtualService istioinaction/tcp-echo',
      'IST0101 VirtualService istioinaction/webapp',
      'IST0101 VirtualService ratings-abort/ratings',
      'IST0101 VirtualService ratings-abort/ratings',
      'IST0101 VirtualService ratings-abort/reviews',
      'IST0101 VirtualService ratings-abort/reviews',
      'IST0101 VirtualService ratings-abort/reviews',
      'IST0101 VirtualService ratings-delay/ratings',
      'IST0101 VirtualService ratings-delay/ratings',
      'IST0101 VirtualService ratings-delay/reviews',
      'IST0101 VirtualService ratings-delay/reviews',
      'IST0101 VirtualService ratings-delay/reviews',
      'IST0101 VirtualService reviews-jason/reviews',
      'IST0101 VirtualService reviews-jason/reviews',
      'IST0101 VirtualService reviews-jason/reviews',
      'IST0101 VirtualService reviews-split/reviews',
      'IST0101 VirtualService reviews-split/reviews',
      'IST0101 VirtualService reviews-v1-only/reviews',
      'IST0101 VirtualService reviews-v1-only/reviews',
      'IST0174 DestinationRule istioinaction/tcp-echo',
      'IST0174 DestinationRule ratings-abort/reviews',
      'IST0174 DestinationRule ratings-delay/reviews',
      'IST0174 DestinationRule reviews-jason/reviews',
      'IST0174 DestinationRule reviews-split/reviews',
      'IST0174 DestinationRule reviews-v1-only/reviews',
    ].sort());
  });
});
