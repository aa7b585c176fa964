// Binding to a gateway this App does not own: TenantGateway.fromAttributes and
// IngressGateway.fromAttributes give an IGateway that routes and policies accept.
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import {
  AccessLogPolicy, CanaryRoute, HttpRoute, IngressGateway, IstioGatewayError, prerequisitesOf, SynthCheck, TenantGateway, TlsHost,
} from '../src';
import { errorOf, find } from './support/synth';

function teamChart(): { app: App; chart: Chart } {
  const app = Testing.app();
  return { app, chart: new Chart(app, 'team') };
}

const canary = {
  destination: { host: 'checkout', port: 8080 },
  stable: { subset: 'v1', labels: { version: 'v1' } },
  canary: { subset: 'v2', labels: { version: 'v2' }, weight: 10 },
};

describe('TenantGateway.fromAttributes', () => {
  test('a team App binds a CanaryRoute and an HttpRoute to the platform\'s gateway by namespace/name', () => {
    const { app, chart } = teamChart();
    const payments = TenantGateway.fromAttributes(chart, 'payments', { namespace: 'payments', name: 'payments-gw', hosts: ['shop.example.com'] });
    new CanaryRoute(chart, 'checkout', { namespace: 'checkout', hosts: ['shop.example.com'], gateways: [payments], ...canary });
    new HttpRoute(chart, 'status', { namespace: 'checkout', hosts: ['shop.example.com'], gateways: [payments], destination: { host: 'status', port: 80 }, match: [{ uri: { prefix: '/status' } }] });
    const objects = Testing.synth(chart);
    expect(find(objects, 'VirtualService', 'checkout', 'checkout').spec.gateways).toEqual(['payments/payments-gw']);
    expect(find(objects, 'VirtualService', 'status', 'checkout').spec.gateways).toEqual(['payments/payments-gw']);
    expect(objects.filter((o) => o.kind === 'Gateway' || o.kind === 'Deployment')).toEqual([]); // imports emit nothing
    expect(SynthCheck.of(app).lastDiagnostics.filter((d) => d.level === 'Error')).toEqual([]);
  });

  test('with hosts given, a route to another host is refused (IST0132)', () => {
    const { chart } = teamChart();
    const payments = TenantGateway.fromAttributes(chart, 'payments', { namespace: 'payments', name: 'payments-gw', hosts: ['shop.example.com'] });
    new HttpRoute(chart, 'other', { namespace: 'checkout', hosts: ['other.example.com'], gateways: [payments], destination: { host: 'other', port: 80 } });
    const err = errorOf(() => Testing.synth(chart));
    expect(err).toBeInstanceOf(IstioGatewayError);
    expect(err.message).toMatch(/\[HttpRoute 'team\/other'\] hosts: invalid value \["other.example.com"\]; Gateway payments\/payments-gw serves none of them .*IST0132/);
  });

  test('without hosts, the host check is skipped (the hosts are not known here)', () => {
    const { app, chart } = teamChart();
    const payments = TenantGateway.fromAttributes(chart, 'payments', { namespace: 'payments', name: 'payments-gw' });
    new HttpRoute(chart, 'any', { namespace: 'checkout', hosts: ['anything.example.com'], gateways: [payments], destination: { host: 'web', port: 80 } });
    expect(() => Testing.synth(chart)).not.toThrow();
    expect(SynthCheck.of(app).lastDiagnostics.map((d) => d.code)).not.toContain('IST0132');
  });

  test('an AccessLogPolicy selects exactly the pods a TenantGateway of that name and namespace has', () => {
    const { chart } = teamChart();
    const imported = TenantGateway.fromAttributes(chart, 'payments', { namespace: 'payments', name: 'payments-gw' });
    new AccessLogPolicy(chart, 'errors', { gateway: imported, filter: 'response.code >= 400' });
    const telemetry = find(Testing.synth(chart), 'Telemetry', 'errors', 'payments');
    const owned = new TenantGateway(new Chart(Testing.app(), 'platform'), 'payments', { namespace: 'payments', name: 'payments-gw' });
    expect(telemetry.spec.selector.matchLabels).toEqual(owned.selectorLabels);
  });

  test('a route to the imported gateway\'s own Service is refused as a loop', () => {
    const { chart } = teamChart();
    const payments = TenantGateway.fromAttributes(chart, 'payments', { namespace: 'payments', name: 'payments-gw' });
    expect(() => new HttpRoute(chart, 'loop', { hosts: ['shop.example.com'], gateways: [payments], destination: { host: 'payments-gw', port: 80 } }))
      .toThrow(/destination.host: invalid value "payments-gw"; this is the Service of gateway 'team\/payments' itself/);
  });

  test('servers cannot be added to an imported gateway', () => {
    const { chart } = teamChart();
    const payments = TenantGateway.fromAttributes(chart, 'payments', { namespace: 'payments', name: 'payments-gw' });
    expect(() => new TlsHost(chart, 'tls', { gateway: payments as any, hosts: ['tls.example.com'], credentialName: 'cert' }))
      .toThrow(/gateway: invalid value "team\/payments"; this gateway is imported \(fromAttributes\)/);
  });

  test('invalid attributes are refused before the import joins the tree', () => {
    const { chart } = teamChart();
    expect(() => TenantGateway.fromAttributes(chart, 'bad', { namespace: 'Bad_NS', name: 'gw' })).toThrow(/\[TenantGateway.fromAttributes 'team\/bad'\] namespace: invalid value "Bad_NS"/);
    expect(() => TenantGateway.fromAttributes(chart, 'bad', { namespace: 'ns', name: 'gw', hosts: ['https://x'] })).toThrow(IstioGatewayError);
    expect(chart.node.tryFindChild('bad')).toBeUndefined();
  });

  test('an import from another App is refused', () => {
    const other = teamChart();
    const { chart } = teamChart();
    const payments = TenantGateway.fromAttributes(other.chart, 'payments', { namespace: 'payments', name: 'payments-gw' });
    expect(() => new HttpRoute(chart, 'r', { hosts: ['shop.example.com'], gateways: [payments], destination: { host: 'web', port: 80 } }))
      .toThrow(/gateways\[0\]: invalid value "team\/payments"; the gateway belongs to another cdk8s App/);
  });
});

describe('IngressGateway.fromAttributes', () => {
  test('routes bind to it; an AccessLogPolicy needs its selector', () => {
    const { chart } = teamChart();
    const shared = IngressGateway.fromAttributes(chart, 'shared', { namespace: 'bookinfo', name: 'bookinfo-gateway', hosts: ['bookinfo.example.com'] });
    new HttpRoute(chart, 'bookinfo', { namespace: 'bookinfo', hosts: ['bookinfo.example.com'], gateways: [shared], destination: { host: 'productpage', port: 9080 } });
    expect(() => new AccessLogPolicy(chart, 'edge', { gateway: shared }))
      .toThrow(/\[AccessLogPolicy 'team\/edge'\] gateway: invalid value "bookinfo\/bookinfo-gateway"; the labels of the pods of imported gateway 'team\/shared' are not known/);
    const withSelector = IngressGateway.fromAttributes(chart, 'shared2', { namespace: 'bookinfo', name: 'other-gateway', selector: { istio: 'ingressgateway' } });
    new AccessLogPolicy(chart, 'edge2', { gateway: withSelector });
    const objects = Testing.synth(chart);
    expect(find(objects, 'VirtualService', 'bookinfo', 'bookinfo').spec.gateways).toEqual(['bookinfo/bookinfo-gateway']);
    const telemetry = find(objects, 'Telemetry', 'edge2', 'istio-system');
    expect(telemetry.spec.selector.matchLabels).toEqual({ istio: 'ingressgateway' });
  });

  test('an owned IngressGateway in the same App still conflicts with nothing it should not', () => {
    const { app, chart } = teamChart();
    const owned = new IngressGateway(chart, 'owned', { namespace: 'shop' });
    owned.addHttpHosts(['shop.example.com']);
    IngressGateway.fromAttributes(chart, 'imported', { namespace: 'other', name: 'other-gw', selector: { istio: 'ingressgateway' } });
    expect(() => Testing.synth(chart)).not.toThrow();
    expect(SynthCheck.of(app).lastDiagnostics.map((d) => d.code)).not.toContain('IST0145');
  });
});

describe('imports of gateways on one workload', () => {
  const declared = (app: App) => (prerequisitesOf(app) as any[]).map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`);

  test('declare its pods once: one Pod per workload in the prerequisites, and findings on its pods name one pod', () => {
    const { app, chart } = teamChart();
    for (const t of ['a', 'b', 'c']) IngressGateway.fromAttributes(chart, t, { namespace: `team-${t}`, name: `edge-${t}`, selector: { istio: 'ingressgateway' } });
    // Another workload (its own selector, or the same labels in another namespace) still declares its own pod.
    IngressGateway.fromAttributes(chart, 'internal', { namespace: 'edge', name: 'internal', selector: { istio: 'internal-gateway' } });
    IngressGateway.fromAttributes(chart, 'helm', { namespace: 'web', name: 'web', selector: { istio: 'ingressgateway' }, workloadNamespace: 'istio-ingress' });
    // A selector not known: a Gateway selecting no pod, and no Pod.
    IngressGateway.fromAttributes(chart, 'unknown', { namespace: 'other', name: 'other' });
    for (const name of ['log-1', 'log-2']) {
      new ApiObject(chart, name, {
        apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry', metadata: { name, namespace: 'istio-system' },
        spec: { selector: { matchLabels: { istio: 'ingressgateway' } }, accessLogging: [{ providers: [{ name: 'envoy' }] }] },
      });
    }
    expect(declared(app)).toEqual([
      'Gateway edge/internal', 'Gateway other/other', 'Gateway team-a/edge-a', 'Gateway team-b/edge-b', 'Gateway team-c/edge-c', 'Gateway web/web',
      'Pod istio-ingress/web-imported-gateway', 'Pod istio-system/edge-a-imported-gateway', 'Pod istio-system/internal-imported-gateway',
    ]);
    expect(() => Testing.synth(chart)).toThrow(/IST0159/);
    const ist0159 = SynthCheck.of(chart).lastDiagnostics.filter((d) => d.code === 'IST0159');
    // One finding per Telemetry (three per Telemetry before, one for each import's declared pod).
    expect(ist0159.map((d) => d.origin)).toEqual(['Telemetry istio-system/log-1', 'Telemetry istio-system/log-2']);
    for (const d of ist0159) expect(d.message).toContain('"edge-a-imported-gateway"');
  });

  test('the pods are declared by the next import when the first leaves the tree (a refused Pulumi declaration)', () => {
    const { app, chart } = teamChart();
    for (const t of ['a', 'b']) IngressGateway.fromAttributes(chart, t, { namespace: `team-${t}`, name: `edge-${t}`, selector: { istio: 'ingressgateway' } });
    expect(declared(app)).toEqual(['Gateway team-a/edge-a', 'Gateway team-b/edge-b', 'Pod istio-system/edge-a-imported-gateway']);
    SynthCheck.of(chart).forget(chart.node.findChild('a'));
    chart.node.tryRemoveChild('a');
    expect(declared(app)).toEqual(['Gateway team-b/edge-b', 'Pod istio-system/edge-b-imported-gateway']);
  });
});

describe('fromAttributes with api: \'gateway-api\'', () => {
  test('an HttpRoute and a CanaryRoute become HTTPRoutes whose parentRefs name the imported Gateway; the analysis sees it (no IST0101)', () => {
    const { app, chart } = teamChart();
    const payments = TenantGateway.fromAttributes(chart, 'payments', { namespace: 'payments', name: 'payments-gw', hosts: ['shop.example.com'], api: 'gateway-api' });
    expect(payments.api).toBe('gateway-api');
    new CanaryRoute(chart, 'checkout', { namespace: 'checkout', hosts: ['shop.example.com'], gateways: [payments], destinationSelector: { app: 'checkout' }, ...canary });
    new HttpRoute(chart, 'status', { namespace: 'checkout', hosts: ['shop.example.com'], gateways: [payments], destination: { host: 'status', port: 80 }, match: [{ uri: { prefix: '/' } }] });
    const objects = Testing.synth(chart);
    const parent = [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'payments-gw', namespace: 'payments' }];
    expect(find(objects, 'HTTPRoute', 'checkout', 'checkout').spec.parentRefs).toEqual(parent);
    expect(find(objects, 'HTTPRoute', 'status', 'checkout').spec.parentRefs).toEqual(parent);
    expect(find(objects, 'HTTPRoute', 'status', 'checkout').spec.hostnames).toEqual(['shop.example.com']);
    expect(objects.filter((o) => String(o.apiVersion).startsWith('networking.istio.io/') || o.kind === 'Gateway')).toEqual([]);
    expect(SynthCheck.of(app).lastDiagnostics.filter((d) => d.code === 'IST0101' || d.code === 'IST0132')).toEqual([]);
  });

  test('with hosts given, a route to another host is refused', () => {
    const { chart } = teamChart();
    const payments = TenantGateway.fromAttributes(chart, 'payments', { namespace: 'payments', name: 'payments-gw', hosts: ['shop.example.com'], api: 'gateway-api' });
    new HttpRoute(chart, 'other', { namespace: 'checkout', hosts: ['other.example.com'], gateways: [payments], destination: { host: 'other', port: 80 } });
    const err = errorOf(() => Testing.synth(chart));
    expect(err).toBeInstanceOf(IstioGatewayError);
    expect(err.message).toMatch(/\[HttpRoute 'team\/other'\] hosts: invalid value \["other.example.com"\]; Gateway payments\/payments-gw serves none of them/);
  });

  test('an AccessLogPolicy targets the imported Gateway by targetRefs; a route cannot mix APIs; a bad api is refused', () => {
    const { chart } = teamChart();
    const imported = TenantGateway.fromAttributes(chart, 'payments', { namespace: 'payments', name: 'payments-gw', api: 'gateway-api' });
    new AccessLogPolicy(chart, 'errors', { gateway: imported, filter: 'response.code >= 400' });
    const telemetry = find(Testing.synth(chart), 'Telemetry', 'errors', 'payments');
    expect(telemetry.spec.targetRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'payments-gw' }]);
    expect(telemetry.spec.selector).toBeUndefined();
    const istio = TenantGateway.fromAttributes(chart, 'legacy', { namespace: 'payments', name: 'legacy-gw' });
    expect(() => new HttpRoute(chart, 'both', { namespace: 'checkout', hosts: ['x.example.com'], gateways: [imported, istio], destination: { host: 'x', port: 80 } }))
      .toThrow(/gateways: .*written in different APIs/);
    // Istio's automated deployment names the gateway's Service <name>-istio: routing to it is a loop.
    expect(() => new HttpRoute(chart, 'loop', { namespace: 'checkout', hosts: ['x.example.com'], gateways: [imported], destination: { host: 'payments-gw-istio.payments.svc.cluster.local', port: 80 } }))
      .toThrow(/destination.host: .*gateway would send the traffic back to itself/);
    expect(() => TenantGateway.fromAttributes(chart, 'bad', { namespace: 'payments', name: 'gw', api: 'k8s' as any }))
      .toThrow(/\[TenantGateway.fromAttributes 'team\/bad'\] api: invalid value "k8s"/);
  });
});
