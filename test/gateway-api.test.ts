// The Gateway API flavour: one platform program synthesized with api 'istio' and api 'gateway-api'.
// The second has no networking.istio.io object, and every request of a grid reaches the same pods
// with the same weights in both (test/support/request-oracle.ts, an independent reading of each API).
import { ApiObject, App, Chart, Testing, Yaml } from 'cdk8s';
import {
  AccessLogPolicy, CanaryRoute, GatewayApi, HttpRoute, IngressGateway, IstioGatewayError, TcpCanaryRoute, TcpGateway, TenantGateway, TlsHost, TlsMode,
} from '../src';
import { all, errorOf, find, newChart, synth, synthApp } from './support/synth';
import { gatewayApiIssues } from './support/gateway-api-crds';
import { expectValid } from './support/validate-helper';
import { SynthCheck } from '../src/cdk8s';
import { Outcome, routeGatewayApi, routeIstio, TestRequest } from './support/request-oracle';

function service(chart: Chart, ns: string, name: string, selector: Record<string, string>, port: number, targetPort = port): void {
  new ApiObject(chart, `svc-${ns}-${name}`, {
    apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns },
    spec: { selector, ports: [{ name: 'http', port, targetPort }] },
  } as any);
}

function workload(chart: Chart, ns: string, name: string, labels: Record<string, string>): void {
  new ApiObject(chart, `deploy-${ns}-${name}`, {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: `example/${name}` }] } } },
  } as any);
}

/** The platform, written once against the public API; only `api` differs. */
function platform(api: GatewayApi): { app: App; objects: any[] } {
  const app = Testing.app();
  const chart = new Chart(app, 'platform');
  service(chart, 'payments', 'storefront', { app: 'storefront' }, 8080);
  service(chart, 'payments', 'legacy', { app: 'legacy' }, 8443);
  service(chart, 'payments', 'ledger', { app: 'ledger' }, 7000);
  service(chart, 'ops', 'ledger-ui', { app: 'ledger-ui' }, 80, 8080);
  service(chart, 'bookinfo', 'productpage', { app: 'productpage' }, 9080);
  service(chart, 'bookinfo', 'reviews', { app: 'reviews' }, 9080);
  service(chart, 'bookinfo', 'ratings', { app: 'ratings' }, 9080);
  for (const app of ['reviews', 'ratings']) for (const v of ['v1', 'v2']) workload(chart, 'bookinfo', `${app}-${v}`, { app, version: v });

  const gw = new TenantGateway(chart, 'payments', { namespace: 'payments', name: 'payments-gw', api, replicas: 2, autoscaling: false, serviceAnnotations: { 'lb.example.com/internal': 'true' } });
  new TlsHost(chart, 'shop', { gateway: gw, hosts: ['shop.payments.example.com'], credentialName: 'shop-cert', destination: { host: 'storefront', port: 8080 } });
  new TlsHost(chart, 'legacy', { gateway: gw, hosts: ['legacy.payments.example.com'], mode: TlsMode.PASSTHROUGH, destination: { host: 'legacy', port: 8443 } });
  new TcpGateway(chart, 'ledger', { gateway: gw, port: 7000, destination: { host: 'ledger', port: 7000 } });
  service(chart, 'payments', 'tcp-echo', { app: 'tcp-echo' }, 9000);
  for (const v of ['v1', 'v2']) workload(chart, 'payments', `tcp-echo-${v}`, { app: 'tcp-echo', version: v });
  new TcpCanaryRoute(chart, 'tcp-echo', {
    gateway: gw, port: 31400, destination: { host: 'tcp-echo', port: 9000 },
    stable: { subset: 'v1', labels: { version: 'v1' } }, canary: { subset: 'v2', labels: { version: 'v2' }, weight: 20 },
  });
  gw.addHttpHosts(['bookinfo.example.com', 'ops.payments.example.com']);
  new HttpRoute(chart, 'ops', { gateways: [gw], hosts: ['ops.payments.example.com'], destination: { host: 'ledger-ui.ops.svc.cluster.local', port: 80 } });
  new HttpRoute(chart, 'productpage', {
    gateways: [gw], hosts: ['bookinfo.example.com'], namespace: 'bookinfo', timeout: '10s',
    destination: { host: 'productpage', port: 9080 }, match: [{ uri: { exact: '/productpage' } }, { uri: { prefix: '/static' } }],
  });
  new CanaryRoute(chart, 'reviews', {
    gateways: [gw], hosts: ['bookinfo.example.com'], namespace: 'bookinfo', match: [{ uri: { prefix: '/reviews' } }],
    destination: { host: 'reviews', port: 9080 },
    stable: { subset: 'v1', labels: { version: 'v1' } },
    canary: { subset: 'v2', labels: { version: 'v2' }, weight: 20, match: [{ headers: { 'end-user': { exact: 'jason' } } }] },
  });
  new CanaryRoute(chart, 'ratings', {
    api, hosts: ['ratings'], namespace: 'bookinfo', destination: { host: 'ratings', port: 9080 },
    stable: { subset: 'v1', labels: { version: 'v1' } }, canary: { subset: 'v2', labels: { version: 'v2' }, weight: 10 },
  });
  return { app, objects: synthApp(app) };
}

const istio = platform('istio').objects;
const gatewayApi = platform('gateway-api').objects;

const GW = 'payments/payments-gw';
const grid: [string, TestRequest][] = [
  ['https shop /', { gateway: GW, port: 443, host: 'shop.payments.example.com', path: '/' }],
  ['https shop /cart', { gateway: GW, port: 443, host: 'shop.payments.example.com', path: '/cart' }],
  ['http shop (redirect)', { gateway: GW, port: 80, host: 'shop.payments.example.com', path: '/' }],
  ['https unknown host', { gateway: GW, port: 443, host: 'nope.example.com', path: '/' }],
  ['passthrough legacy', { gateway: GW, port: 443, host: 'legacy.payments.example.com' }],
  ['tcp 7000', { gateway: GW, port: 7000, host: 'anything' }],
  ['tcp 31400 (weighted)', { gateway: GW, port: 31400, host: 'anything' }],
  ['ops (cross-namespace backend)', { gateway: GW, port: 80, host: 'ops.payments.example.com', path: '/x' }],
  ['/productpage', { gateway: GW, port: 80, host: 'bookinfo.example.com', path: '/productpage' }],
  ['/static/app.js', { gateway: GW, port: 80, host: 'bookinfo.example.com', path: '/static/app.js' }],
  ['/staticx (Istio\'s string prefix)', { gateway: GW, port: 80, host: 'bookinfo.example.com', path: '/staticx' }],
  ['/reviewsx', { gateway: GW, port: 80, host: 'bookinfo.example.com', path: '/reviewsx', headers: { 'end-user': 'jason' } }],
  ['/reviews/1', { gateway: GW, port: 80, host: 'bookinfo.example.com', path: '/reviews/1' }],
  ['/reviews/1 as jason', { gateway: GW, port: 80, host: 'bookinfo.example.com', path: '/reviews/1', headers: { 'end-user': 'jason' } }],
  ['/reviews/1 as bob', { gateway: GW, port: 80, host: 'bookinfo.example.com', path: '/reviews/1', headers: { 'end-user': 'bob' } }],
  ['/other', { gateway: GW, port: 80, host: 'bookinfo.example.com', path: '/other' }],
  ['unknown port', { gateway: GW, port: 8443, host: 'shop.payments.example.com', path: '/' }],
  ['mesh: ratings', { gateway: 'mesh', port: 9080, host: 'ratings.bookinfo', path: '/ratings/1' }],
  ['mesh: reviews (no mesh route)', { gateway: 'mesh', port: 9080, host: 'reviews.bookinfo', path: '/' }],
];

describe('one platform, two APIs', () => {
  test('the Gateway API flavour has no networking.istio.io object', () => {
    expect(gatewayApi.filter((o) => o.apiVersion.startsWith('networking.istio.io/')).map((o) => `${o.kind} ${o.metadata.name}`)).toEqual([]);
    expect(istio.some((o) => o.apiVersion.startsWith('gateway.networking.k8s.io/'))).toBe(false);
  });

  test.each(grid)('%s reaches the same pods with the same weights', (_name, req) => {
    expect(routeGatewayApi(gatewayApi, req)).toEqual(routeIstio(istio, req));
  });

  test('the grid tells outcomes apart', () => {
    const out = (r: TestRequest): Outcome => routeGatewayApi(gatewayApi, r);
    const at = (name: string): TestRequest => grid.find(([n]) => n === name)![1];
    expect(out(at('tcp 31400 (weighted)'))).toEqual({ kind: 'route', shares: [
      { pods: 'payments:app=tcp-echo,version=v1', port: 9000, percent: 80 }, { pods: 'payments:app=tcp-echo,version=v2', port: 9000, percent: 20 }] });
    expect(out(at('https shop /'))).toEqual({ kind: 'route', shares: [{ pods: 'payments:app=storefront', port: 8080, percent: 100 }] });
    expect(out(at('http shop (redirect)'))).toEqual({ kind: 'redirect', scheme: 'https' });
    expect(out(at('https unknown host'))).toEqual({ kind: 'none' });
    expect(out(at('ops (cross-namespace backend)'))).toEqual({ kind: 'route', shares: [{ pods: 'ops:app=ledger-ui', port: 80, percent: 100 }] });
    expect(out(at('/reviews/1'))).toEqual({ kind: 'route', shares: [
      { pods: 'bookinfo:app=reviews,version=v1', port: 9080, percent: 80 }, { pods: 'bookinfo:app=reviews,version=v2', port: 9080, percent: 20 }] });
    expect(out(at('mesh: ratings'))).toEqual({ kind: 'route', shares: [
      { pods: 'bookinfo:app=ratings,version=v1', port: 9080, percent: 90 }, { pods: 'bookinfo:app=ratings,version=v2', port: 9080, percent: 10 }] });
    expect(out(at('mesh: reviews (no mesh route)'))).toEqual({ kind: 'none' });
    expect(out(at('/reviews/1 as jason'))).toEqual({ kind: 'route', shares: [{ pods: 'bookinfo:app=reviews,version=v2', port: 9080, percent: 100 }] });
  });

  test('every object validates against the Gateway API v1.5.1 CRDs (with CEL) and Kubernetes schemas', () => {
    const r = gatewayApiIssues(gatewayApi);
    expect(r.errors).toEqual([]);
    // every rule is evaluated, isIP() on route hostnames included
    expect(r.skipped).toEqual([]);
  });

  test('synthesis is deterministic', () => {
    const yaml = (objs: any[]) => Yaml.stringify(...objs);
    expect(yaml(platform('gateway-api').objects)).toEqual(yaml(gatewayApi));
  });
});

describe('what the Gateway API flavour emits', () => {
  test('TenantGateway: a Gateway of class istio with automated deployment, customized through infrastructure and a ConfigMap', () => {
    const gw = find(gatewayApi, 'Gateway', 'payments-gw', 'payments');
    expect(gw.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(gw.spec.gatewayClassName).toBe('istio');
    expect(gw.spec.addresses).toBeUndefined();
    expect(gw.spec.infrastructure.parametersRef).toEqual({ group: '', kind: 'ConfigMap', name: 'payments-gw-options' });
    const cm = find(gatewayApi, 'ConfigMap', 'payments-gw-options', 'payments');
    expect(cm.data.deployment).toContain('replicas: 2');
    expect(cm.data.service).toContain('lb.example.com/internal');
    expect(all(gatewayApi, 'Deployment').filter((d) => d.metadata.name.startsWith('payments-gw'))).toEqual([]);
    expect(find(gatewayApi, 'RoleBinding', 'payments-gw', 'payments').subjects).toEqual([{ kind: 'ServiceAccount', name: 'payments-gw-istio', namespace: 'payments' }]);
    // routes from bookinfo bind; no other namespace is admitted
    const https = gw.spec.listeners.find((l: any) => l.protocol === 'HTTPS');
    expect(https).toMatchObject({ hostname: 'shop.payments.example.com', port: 443, tls: { mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: 'shop-cert' }] } });
    expect(https.allowedRoutes.namespaces).toEqual({ from: 'Selector', selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['bookinfo', 'payments'] }] } });
  });

  test('TenantGateway settings reach the ConfigMap; routeNamespaces decide allowedRoutes', () => {
    const { chart } = newChart();
    const a = new TenantGateway(chart, 'a', {
      namespace: 'web', api: 'gateway-api', routeNamespaces: ['*'], minReadySeconds: 5, imagePullSecrets: ['regcred'],
      affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'x' } } } }] } },
      ipFamilyPolicy: 'PreferDualStack',
    });
    a.addHttpHosts(['a.example.com']);
    const b = new TenantGateway(chart, 'b', { namespace: 'web2', api: 'gateway-api', routeNamespaces: ['team-a'] });
    b.addHttpHosts(['b.example.com']);
    const objects = synth(chart);
    expect(find(objects, 'Gateway', 'a', 'web').spec.listeners[0].allowedRoutes).toEqual({ namespaces: { from: 'All' } });
    expect(find(objects, 'Gateway', 'b', 'web2').spec.listeners[0].allowedRoutes.namespaces.selector.matchExpressions[0].values).toEqual(['team-a']);
    const data = find(objects, 'ConfigMap', 'a-options', 'web').data;
    expect(data.deployment).toContain('minReadySeconds: 5');
    expect(data.deployment).toContain('regcred');
    expect(data.deployment).toContain('podAntiAffinity');
    expect(data.service).toContain('ipFamilyPolicy: PreferDualStack');
    expect(gatewayApiIssues(objects).errors).toEqual([]);
  });

  test('the ConfigMaps of equal patches share their text; patches that differ in a value, a type of value or a key get their own', () => {
    const { chart } = newChart();
    const gw = (id: string, props: object) => new TenantGateway(chart, id, { namespace: id, name: 'gw', api: 'gateway-api', ...props }).addHttpHosts([`${id}.example.com`]);
    gw('a', { replicas: 2, env: { FOO: '1' } });
    gw('b', { replicas: 3, env: { FOO: '1' } });
    gw('c', { replicas: 2, env: { FOO: '1' } });
    gw('d', { replicas: 2, env: { FOO: 'n1' } });
    gw('e', { replicas: 2, env: { BAR: '1' } });
    const objects = synth(chart);
    const deployment = (id: string) => find(objects, 'ConfigMap', 'gw-options', id).data.deployment as string;
    expect(deployment('a')).toContain('replicas: 2');
    expect(deployment('b')).toContain('replicas: 3');
    expect(deployment('c')).toBe(deployment('a'));
    expect(deployment('d')).toContain('value: n1');
    expect(deployment('e')).toContain('name: BAR');
    expect(new Set(['a', 'b', 'd', 'e'].map(deployment)).size).toBe(4);
  });

  test('passthrough is a TLS listener and a TLSRoute v1; TCP a TCPRoute v1alpha2 on its listener', () => {
    const tls = find(gatewayApi, 'TLSRoute', 'legacy', 'payments');
    expect(tls.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(tls.spec.hostnames).toEqual(['legacy.payments.example.com']);
    const tcp = find(gatewayApi, 'TCPRoute', 'ledger', 'payments');
    expect(tcp.apiVersion).toBe('gateway.networking.k8s.io/v1alpha2');
    expect(tcp.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'payments-gw', sectionName: 'tcp-7000-ledger' }]);
  });

  test('the canary: one Service per version, header-matched rule first, then the weighted split; no DestinationRule', () => {
    expect(find(gatewayApi, 'Service', 'reviews-v2', 'bookinfo').spec).toEqual({ selector: { app: 'reviews', version: 'v2' }, ports: [{ name: 'http', port: 9080, targetPort: 9080 }] });
    const route = find(gatewayApi, 'HTTPRoute', 'reviews', 'bookinfo');
    expect(route.spec.rules[0].matches[0].headers).toEqual([{ name: 'end-user', type: 'Exact', value: 'jason' }]);
    expect(route.spec.rules[1].backendRefs.map((b: any) => [b.name, b.weight])).toEqual([['reviews-v1', 80], ['reviews-v2', 20]]);
    expect(route.spec.parentRefs.every((p: any) => p.namespace === 'payments')).toBe(true);
    expect(all(gatewayApi, 'DestinationRule')).toEqual([]);
  });

  test('a mesh route is a GAMMA HTTPRoute whose parent is the Service', () => {
    const route = find(gatewayApi, 'HTTPRoute', 'ratings', 'bookinfo');
    expect(route.spec.parentRefs).toEqual([{ group: '', kind: 'Service', name: 'ratings' }]);
    expect(route.spec.hostnames).toBeUndefined();
    expect(route.spec.rules[0].backendRefs.map((b: any) => [b.name, b.weight])).toEqual([['ratings-v1', 90], ['ratings-v2', 10]]);
  });

  test('a backend in another namespace gets a ReferenceGrant there', () => {
    const grant = find(gatewayApi, 'ReferenceGrant', 'ops-httproute-from-payments', 'ops');
    expect(grant.spec).toEqual({ from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'payments' }], to: [{ group: '', kind: 'Service' }] });
    expect(find(gatewayApi, 'HTTPRoute', 'ops', 'payments').spec.rules[0].backendRefs).toEqual([{ group: '', kind: 'Service', name: 'ledger-ui', namespace: 'ops', port: 80 }]);
  });

  test('the redirect is an HTTPRoute with a RequestRedirect filter on the redirect listener only', () => {
    const r = find(gatewayApi, 'HTTPRoute', 'shop-https-redirect', 'payments');
    expect(r.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'payments-gw', sectionName: 'http-80-redirect-shop' }]);
    expect(r.spec.rules).toEqual([{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }]);
  });

  test('IngressGateway: manual deployment bound to the existing Service, listeners on the ports clients use', () => {
    const { chart } = newChart();
    const shared = new IngressGateway(chart, 'bookinfo-gateway', { namespace: 'bookinfo', api: 'gateway-api' });
    shared.addHttpHosts(['bookinfo.example.com'], { port: 8080 });
    new TlsHost(chart, 'secure', { gateway: shared, hosts: ['secure.example.com'], credentialName: 'secure-cert', port: 8443, httpsRedirect: false });
    const objects = synth(chart);
    const gw = find(objects, 'Gateway', 'bookinfo-gateway', 'bookinfo');
    expect(gw.spec.addresses).toEqual([{ type: 'Hostname', value: 'istio-ingressgateway.istio-system.svc.cluster.local' }]);
    expect(gw.spec.listeners.map((l: any) => [l.port, l.protocol, l.allowedRoutes.namespaces.from])).toEqual([[80, 'HTTP', 'All'], [443, 'HTTPS', 'All']]);
    expect(gw.spec.listeners[1].tls.certificateRefs).toEqual([{ group: '', kind: 'Secret', name: 'secure-cert', namespace: 'istio-system' }]);
    expect(find(objects, 'ReferenceGrant', 'bookinfo-gateway-certificates-from-bookinfo', 'istio-system').spec.to).toEqual([{ group: '', kind: 'Secret', name: 'secure-cert' }]);
  });
});

describe('refused in the Gateway API flavour, naming the construct, the prop and why', () => {
  const setup = () => {
    const { app, chart } = newChart();
    const gw = new TenantGateway(chart, 'gw', { namespace: 'web', api: 'gateway-api' });
    gw.addHttpHosts(['web.example.com']);
    return { app, chart, gw };
  };
  const refusal = (fn: () => unknown) => {
    const e = errorOf(fn);
    expect(e).toBeInstanceOf(IstioGatewayError);
    return e as IstioGatewayError;
  };

  test('fault injection', () => {
    const { chart, gw } = setup();
    const e = refusal(() => new HttpRoute(chart, 'r', { gateways: [gw], hosts: ['web.example.com'], destination: { host: 'web', port: 80 }, fault: { abort: { httpStatus: 503, percentage: 10 } } }));
    expect(e.construct).toContain('test/r');
    expect(e.prop).toBe('fault');
    expect(e.message).toContain('HTTPRoute has no fault injection');
  });

  test('retries (experimental channel only)', () => {
    const { chart, gw } = setup();
    expect(refusal(() => new HttpRoute(chart, 'r', { gateways: [gw], hosts: ['web.example.com'], destination: { host: 'web', port: 80 }, retries: { attempts: 3 } })).prop).toBe('retries');
  });

  test('Istio\'s string prefix is kept exactly: /static also matches /staticx, as in the Istio flavour', () => {
    const { chart, gw } = setup();
    new HttpRoute(chart, 'r', { gateways: [gw], hosts: ['web.example.com'], destination: { host: 'web', port: 80 }, match: [{ uri: { prefix: '/static' } }] });
    const route = find(synth(chart), 'HTTPRoute', 'r', 'web');
    expect(route.spec.rules[0].matches).toEqual([{ path: { type: 'PathPrefix', value: '/static' } }, { path: { type: 'RegularExpression', value: '/static[^/].*' } }]);
  });

  test('a prefix rewrite Gateway API cannot write', () => {
    const { chart, gw } = setup();
    const e = refusal(() => new HttpRoute(chart, 'r', { gateways: [gw], hosts: ['web.example.com'], destination: { host: 'web', port: 80 }, match: [{ uri: { prefix: '/api' } }], rewrite: { uri: '/v2' } }));
    expect(e.prop).toBe('rewrite');
  });

  test('a timeout Gateway API cannot write', () => {
    const { chart, gw } = setup();
    const e = refusal(() => new HttpRoute(chart, 'r', { gateways: [gw], hosts: ['web.example.com'], destination: { host: 'web', port: 80 }, timeout: '1.5s' }));
    expect(e.prop).toBe('timeout');
    expect(e.message).toContain('"1500ms", not "1.5s"');
  });

  test('more listeners than a Gateway can hold', () => {
    const { gw } = setup();
    const hosts = Array.from({ length: 64 }, (_, i) => `h${i}.example.com`);
    const e = refusal(() => gw.addHttpHosts(hosts, { port: 8080 }));
    expect(e.message).toContain('at most 64 listeners');
  });

  test('the limit counts the listeners the Gateway has, whether added one host at a time or many at once', () => {
    const { gw } = setup(); // one listener (web.example.com on 80)
    for (let i = 0; i < 60; i++) gw.addHttpHosts([`h${i}.example.com`], { port: 8080 });
    gw.addHttpHosts(['x.example.com', 'y.example.com']); // merged into the port-80 server: 63 listeners
    expect(gw.listeners).toHaveLength(63);
    gw.addHttpHosts(['z.example.com'], { port: 9090 });
    const e = refusal(() => gw.addHttpHosts(['a.example.com', 'b.example.com'], { port: 9090 }));
    expect(e.message).toContain('gateway \'test/gw\' has 64 and this adds 2');
    expect(gw.listeners).toHaveLength(64);
  });

  test('MUTUAL TLS', () => {
    const { chart, gw } = setup();
    const e = refusal(() => new TlsHost(chart, 't', { gateway: gw, hosts: ['m.example.com'], credentialName: 'c', mode: TlsMode.MUTUAL }));
    expect(e.prop).toBe('mode');
    expect(e.message).toContain('MUTUAL');
  });

  test('ServiceAccount annotations (Istio generates the ServiceAccount)', () => {
    const { chart } = newChart();
    expect(refusal(() => new TenantGateway(chart, 'gw', { namespace: 'web', api: 'gateway-api', serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:x' } })).prop).toBe('serviceAccountAnnotations');
  });

  test('extra Service ports on an automated deployment', () => {
    const { chart } = newChart();
    expect(refusal(() => new TenantGateway(chart, 'gw', { namespace: 'web', api: 'gateway-api', ports: [{ name: 'x', port: 9000 }] })).prop).toBe('ports');
  });

  test('a route bound to gateways of both APIs, and an api that contradicts its gateways', () => {
    const { chart, gw } = setup();
    const other = new TenantGateway(chart, 'gw2', { namespace: 'web2' });
    other.addHttpHosts(['web.example.com']);
    expect(refusal(() => new HttpRoute(chart, 'r', { gateways: [gw, other], hosts: ['web.example.com'], destination: { host: 'web', port: 80 } })).prop).toBe('gateways');
    expect(refusal(() => new HttpRoute(chart, 'r2', { gateways: [gw], api: 'istio', hosts: ['web.example.com'], destination: { host: 'web', port: 80 } })).prop).toBe('api');
  });

  test('TcpCanaryRoute on a gateway that declares the standard channel (no TCPRoute)', () => {
    const { chart } = newChart();
    const gw = new TenantGateway(chart, 'gw', { namespace: 'web', api: 'gateway-api', gatewayApiChannel: 'standard' });
    expect(refusal(() => new TcpCanaryRoute(chart, 't', {
      gateway: gw, port: 31400, destination: { host: 'tcp-echo', port: 9000 },
      stable: { subset: 'v1', labels: { version: 'v1' } }, canary: { subset: 'v2', labels: { version: 'v2' }, weight: 20 },
    })).prop).toBe('gateway');
  });

  test('a canary whose Service selector is unknown fails synthesis naming destinationSelector; the prop fixes it', () => {
    const { app, chart, gw } = setup();
    const props = {
      gateways: [gw], hosts: ['web.example.com'], destination: { host: 'web', port: 80 },
      stable: { subset: 'v1', labels: { version: 'v1' } }, canary: { subset: 'v2', labels: { version: 'v2' }, weight: 5 },
    };
    new CanaryRoute(chart, 'c', props);
    const e = errorOf(() => app.synth());
    expect(e.message).toContain('destinationSelector');
    const ok = newChart();
    const gw2 = new TenantGateway(ok.chart, 'gw', { namespace: 'web', api: 'gateway-api' });
    gw2.addHttpHosts(['web.example.com']);
    new CanaryRoute(ok.chart, 'c', { ...props, gateways: [gw2], destinationSelector: { app: 'web' } });
    expect(find(synth(ok.chart), 'Service', 'web-v1', 'web').spec.selector).toEqual({ app: 'web', version: 'v1' });
  });

  test('a route whose hosts no listener serves fails synthesis', () => {
    const { app, chart, gw } = setup();
    new HttpRoute(chart, 'r', { gateways: [gw], hosts: ['other.example.com'], destination: { host: 'web', port: 80 } });
    expect(errorOf(() => app.synth()).message).toContain('other.example.com');
  });
});

describe('checks in both flavours', () => {
  test.each(['istio', 'gateway-api'] as GatewayApi[])('%s: a backend port the Service (declared in the App) lacks fails synthesis', (api) => {
    const { app, chart } = newChart();
    service(chart, 'web', 'web', { app: 'web' }, 8080);
    const gw = new TenantGateway(chart, 'gw', { namespace: 'web', api });
    gw.addHttpHosts(['web.example.com']);
    new HttpRoute(chart, 'r', { gateways: [gw], hosts: ['web.example.com'], destination: { host: 'web', port: 80 } });
    const e = errorOf(() => app.synth());
    // the analyzer's IST0101 for the VirtualService; the library's own check for the HTTPRoute
    expect(e.message).toContain(api === 'istio' ? 'IST0101' : 'Service web/web, declared in this App, has no port 80 (its ports: 8080)');
  });

  test.each(['istio', 'gateway-api'] as GatewayApi[])('%s: a host served twice on one port of a gateway is refused', (api) => {
    const { chart } = newChart();
    const gw = new TenantGateway(chart, 'gw', { namespace: 'web', api });
    new TlsHost(chart, 'a', { gateway: gw, hosts: ['a.example.com'], credentialName: 'a' });
    expect(errorOf(() => new TlsHost(chart, 'b', { gateway: gw, hosts: ['a.example.com'], credentialName: 'b' }))).toBeInstanceOf(IstioGatewayError);
  });

  test('a TCPRoute on a gateway that declares the standard channel is refused', () => {
    const { chart } = newChart();
    const gw = new TenantGateway(chart, 'gw', { namespace: 'web', api: 'gateway-api', gatewayApiChannel: 'standard' });
    const e = errorOf(() => new TcpGateway(chart, 't', { gateway: gw, port: 7000, destination: { host: 'ledger', port: 7000 } }));
    expect(e).toBeInstanceOf(IstioGatewayError);
    expect(e.message).toContain('no TCPRoute');
    const ok = new TenantGateway(chart, 'gw2', { namespace: 'web2', api: 'gateway-api', gatewayApiChannel: 'experimental' });
    new TcpGateway(chart, 't2', { gateway: ok, port: 7000, destination: { host: 'ledger', port: 7000 } });
    expect(find(synth(chart), 'TCPRoute', 't2', 'web2').spec.rules[0].backendRefs[0]).toEqual({ group: '', kind: 'Service', name: 'ledger', port: 7000 });
  });
});

describe('policies on a Gateway API gateway', () => {
  test('a policy selecting its pods by labels instead is reported at synth (IST0166: Istio runs those pods)', () => {
    const { app, chart } = newChart();
    const gw = new TenantGateway(chart, 'gw', { namespace: 'web', api: 'gateway-api' });
    gw.addHttpHosts(['web.example.com']);
    new AccessLogPolicy(chart, 'logs', { namespace: 'web', selector: { 'gateway.networking.k8s.io/gateway-name': 'gw' } });
    app.synth();
    const found = SynthCheck.of(app).lastDiagnostics.filter((d) => d.code === 'IST0166');
    expect(found.map((d) => d.origin)).toContain('Telemetry web/logs');
    expect(found[0].message).toContain('Ineffective selector on Kubernetes Gateway gw');
  });


  test('AccessLogPolicy targets the Gateway by targetRefs, in its namespace', () => {
    const { chart } = newChart();
    const gw = new TenantGateway(chart, 'gw', { namespace: 'web', api: 'gateway-api' });
    gw.addHttpHosts(['web.example.com']);
    new AccessLogPolicy(chart, 'logs', { gateway: gw, filter: 'response.code >= 400' });
    const t = find(synth(chart), 'Telemetry', 'logs', 'web');
    expect(t.spec.targetRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gw' }]);
    expect(t.spec.selector).toBeUndefined();
    expectValid([t]);
  });
});
