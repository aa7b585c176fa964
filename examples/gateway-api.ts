// The seed scenarios in the Kubernetes Gateway API flavour (api: 'gateway-api'), written beside the
// Istio ones: `npx cdk8s synth` puts them in dist/gateway-api/, an alternative to dist/ (apply one or
// the other), on a cluster with the Gateway API CRDs installed (experimental channel: TCPRoute).
// What this flavour cannot say yet is left out, with the reason in a comment at the scenario.
import { App, Chart } from 'cdk8s';
import { CanaryRoute, HttpMatch, HttpRoute, IngressGateway, TcpCanaryRoute, TenantGateway, TlsHost, TlsMode } from '../src';
import { passthroughBackend } from './charts/tls-gateways';
import { NamespacesChart } from './charts/namespaces';

const JASON: HttpMatch = { headers: { 'end-user': { exact: 'jason' } } };

export function buildGatewayApiPlatform(app: App): void {
  // (a) A dedicated gateway exposing only TCP 31400 and shifting it 80/20 between tcp-echo v1 and v2
  // (port 9000): a weighted TCPRoute to the Services tcp-echo-v1 and tcp-echo-v2, each selecting
  // app: tcp-echo plus its version (Istio's tcp-echo sample labels).
  const tcp = new Chart(app, 'tcp-echo');
  const tcpGateway = new TenantGateway(tcp, 'my-user-gateway', { namespace: 'istioinaction', api: 'gateway-api', gatewayApiChannel: 'experimental' });
  new TcpCanaryRoute(tcp, 'tcp-echo', {
    gateway: tcpGateway, port: 31400, destination: { host: 'tcp-echo', port: 9000 }, destinationSelector: { app: 'tcp-echo' },
    stable: { subset: 'v1', labels: { version: 'v1' } }, canary: { subset: 'v2', labels: { version: 'v2' }, weight: 20 },
  });

  // (b) TLS hosts on one dedicated gateway: SIMPLE with the redirect, a second certificate, and
  // PASSTHROUGH by SNI. MUTUAL is refused in this API by this library (a listener here terminates
  // with a server certificate only), so partner.istioinaction.io stays in the Istio flavour.
  const tls = new Chart(app, 'tls-gateways');
  const web = new TenantGateway(tls, 'web-gateway', { namespace: 'istioinaction', api: 'gateway-api' });
  new TlsHost(tls, 'webapp', { gateway: web, hosts: ['webapp.istioinaction.io'], credentialName: 'webapp-credential', destination: { host: 'httpbin', port: 8000 } });
  new TlsHost(tls, 'catalog', { gateway: web, hosts: ['catalog.istioinaction.io'], credentialName: 'catalog-credential', destination: { host: 'helloworld', port: 5000 } });
  new TlsHost(tls, 'simple-tls-service', { gateway: web, hosts: ['simple-sni-1.istioinaction.io'], mode: TlsMode.PASSTHROUGH, destination: { host: 'my-nginx', port: 443 } });
  passthroughBackend(tls, 'istioinaction');

  // (c) bookinfo through the shared ingress gateway, bound to its existing Service (manual deployment).
  const bookinfo = new Chart(app, 'bookinfo');
  const shared = new IngressGateway(bookinfo, 'bookinfo-gateway', { namespace: 'bookinfo', api: 'gateway-api' });
  shared.addHttpHosts(['bookinfo.example.com']);
  new HttpRoute(bookinfo, 'bookinfo', {
    hosts: ['bookinfo.example.com'], gateways: [shared], destination: { host: 'productpage', port: 9080 },
    match: [{ uri: { exact: '/productpage' } }, { uri: { prefix: '/static' } }, { uri: { exact: '/login' } }, { uri: { exact: '/logout' } }, { uri: { prefix: '/api/v1/products' } }],
  });

  // (d) bookinfo's header and weighted routing of reviews as GAMMA routes (parentRefs: the reviews
  // Service); each version is a Service of its own selecting app: reviews plus the version label.
  // The fault-injection scenarios are refused in this API (HTTPRoute has no fault injection).
  const traffic = new Chart(app, 'traffic-management');
  const V1 = { subset: 'v1', labels: { version: 'v1' } };
  const V2 = { subset: 'v2', labels: { version: 'v2' } };
  const common = { api: 'gateway-api' as const, name: 'reviews', hosts: ['reviews'], destination: { host: 'reviews', port: 9080 }, destinationSelector: { app: 'reviews' }, stable: V1 };
  new CanaryRoute(traffic, 'reviews-jason', { ...common, namespace: 'reviews-jason', canary: { ...V2, weight: 0, match: [JASON] } });
  new CanaryRoute(traffic, 'reviews-split', { ...common, namespace: 'reviews-split', canary: { ...V2, weight: 10 } });

  new NamespacesChart(app, NamespacesChart.namespacesOf(app));
}
