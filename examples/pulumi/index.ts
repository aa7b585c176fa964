// The example platform (the same as the cdk8s examples in ../charts) declared with the Pulumi
// front end. `pulumi up` against a cluster with Istio's CRDs installed creates it; the gateway
// load-balancer addresses are exported for DNS records.
// In your own program: import * as igc from 'istio-gateway-constructs/pulumi';
import { App, Chart } from 'cdk8s';
import * as igc from '../../src/pulumi';
import { NamespacesChart } from '../charts/namespaces';
import { passthroughBackend } from '../charts/tls-gateways';

// the platform's namespaces (labelled for injection) and the passthrough host's nginx backend, from
// the cdk8s example charts; the other prerequisites are in ../prerequisites.ts (docs/examples.md)
const extras = new App();
const namespaces = igc.fromChart('namespaces', new NamespacesChart(extras, [
  'bookinfo', 'istioinaction', 'ratings-abort', 'ratings-delay', 'reviews-jason', 'reviews-split', 'reviews-v1-only', 'web',
]));
const inNamespaces = { dependsOn: [namespaces] };
const nginxChart = new Chart(extras, 'passthrough-backend');
passthroughBackend(nginxChart, 'istioinaction');
igc.fromChart('passthrough-backend', nginxChart, inNamespaces);

// (a) a team's dedicated gateway exposing only TCP 31400, shifted 80/20 between tcp-echo v1 and v2
const tcpGateway = new igc.TenantGateway('my-user-gateway', { namespace: 'istioinaction' }, inNamespaces);
new igc.TcpCanaryRoute('tcp-echo', {
  gateway: tcpGateway, port: 31400, destination: { host: 'tcp-echo', port: 9000 },
  stable: { subset: 'v1', labels: { version: 'v1' } }, canary: { subset: 'v2', labels: { version: 'v2' }, weight: 20 },
}, inNamespaces);

// (b) TLS hosts on one dedicated gateway
const webGateway = new igc.TenantGateway('web-gateway', { namespace: 'istioinaction' }, inNamespaces);
new igc.TlsHost('webapp', {
  gateway: webGateway, hosts: ['webapp.istioinaction.io'], credentialName: 'webapp-credential',
  destination: { host: 'httpbin', port: 8000 },
}, inNamespaces);
new igc.TlsHost('catalog', {
  gateway: webGateway, hosts: ['catalog.istioinaction.io'], credentialName: 'catalog-credential',
  destination: { host: 'helloworld', port: 5000 },
}, inNamespaces);
new igc.TlsHost('partner-api', {
  gateway: webGateway, hosts: ['partner.istioinaction.io'], mode: igc.TlsMode.MUTUAL, credentialName: 'partner-credential',
  destination: { host: 'httpbin', port: 8000 },
}, inNamespaces);
new igc.TlsHost('simple-tls-service', {
  gateway: webGateway, hosts: ['simple-sni-1.istioinaction.io'], mode: igc.TlsMode.PASSTHROUGH,
  destination: { host: 'my-nginx', port: 443 },
}, inNamespaces);

// (c) bookinfo through the shared ingress gateway
const bookinfo = new igc.IngressGateway('bookinfo-gateway', { namespace: 'bookinfo' }, inNamespaces);
bookinfo.addHttpHosts(['bookinfo.example.com']);
new igc.HttpRoute('bookinfo', {
  hosts: ['bookinfo.example.com'],
  gateways: [bookinfo],
  destination: { host: 'productpage', port: 9080 },
  match: [
    { uri: { exact: '/productpage' } },
    { uri: { prefix: '/static' } },
    { uri: { exact: '/login' } },
    { uri: { exact: '/logout' } },
    { uri: { prefix: '/api/v1/products' } },
  ],
}, inNamespaces);

// bookinfo traffic management, one namespace per scenario (they are alternatives)
const jason: igc.HttpMatch = { headers: { 'end-user': { exact: 'jason' } } };
const reviews = { host: 'reviews', port: 9080 };
const v1 = { subset: 'v1', labels: { version: 'v1' } };
const v2 = { subset: 'v2', labels: { version: 'v2' } };
new igc.CanaryRoute('reviews-v1-only', { namespace: 'reviews-v1-only', name: 'reviews', hosts: ['reviews'], destination: reviews, stable: v1, canary: { ...v2, weight: 0 } }, inNamespaces);
new igc.CanaryRoute('reviews-jason', { namespace: 'reviews-jason', name: 'reviews', hosts: ['reviews'], destination: reviews, stable: v1, canary: { ...v2, weight: 0, match: [jason] } }, inNamespaces);
new igc.CanaryRoute('reviews-split', { namespace: 'reviews-split', name: 'reviews', hosts: ['reviews'], destination: reviews, stable: v1, canary: { ...v2, weight: 10 } }, inNamespaces);
for (const [ns, fault] of [
  ['ratings-delay', { delay: { fixedDelay: '7s', percentage: 100 } }],
  ['ratings-abort', { abort: { httpStatus: 500, percentage: 100 } }],
] as const) {
  new igc.CanaryRoute(`${ns}-reviews`, { namespace: ns, name: 'reviews', hosts: ['reviews'], destination: reviews, stable: v1, canary: { ...v2, weight: 0, match: [jason] } }, inNamespaces);
  new igc.HttpRoute(ns, { namespace: ns, name: 'ratings', hosts: ['ratings'], destination: { host: 'ratings', port: 9080 }, fault: { ...fault, match: [jason] } }, inNamespaces);
}

// mesh policy: STRICT mTLS mesh-wide, a port-80 exception for nginx-app, error access logs at the edge
new igc.StrictMtls('mesh-wide');
new igc.StrictMtls('nginx-app', { namespace: 'web', name: 'nginx-app', selector: { app: 'nginx-app' }, portLevel: { 80: 'DISABLE' } }, inNamespaces);
new igc.AccessLogPolicy('edge-errors', { gateway: webGateway, filter: 'response.code >= 400' }, inNamespaces);

// control-plane settings for `istioctl install -f` (or the istiod Helm chart's values); profile
// default also installs the shared istio-ingressgateway that the bookinfo gateway selects
const controlPlane = new igc.TrimmedGatewayConfig('control-plane', { profile: 'default' });
export const istioOperator = controlPlane.istioOperatorYaml;

export const tcpGatewayAddress = tcpGateway.address;
export const webGatewayAddress = webGateway.address;
