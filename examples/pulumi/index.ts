// The example platform (the same as the cdk8s examples in ../charts) declared with the Pulumi
// front end. `pulumi up` against a cluster with Istio's CRDs installed creates it; the gateway
// load-balancer addresses are exported for DNS records.
// In your own program: import * as igc from 'istio-gateway-constructs/pulumi';
import * as igc from '../../src/pulumi';

// (a) a team's dedicated gateway exposing only TCP 31400, forwarded to tcp-echo
const tcpGateway = new igc.TenantGateway('my-user-gateway', { namespace: 'istioinaction' });
new igc.TcpGateway('tcp-echo', { gateway: tcpGateway, port: 31400, destination: { host: 'tcp-echo', port: 31400 } });

// (b) TLS hosts on one dedicated gateway
const webGateway = new igc.TenantGateway('web-gateway', { namespace: 'istioinaction' });
new igc.TlsHost('webapp', {
  gateway: webGateway, hosts: ['webapp.istioinaction.io'], credentialName: 'webapp-credential',
  destination: { host: 'webapp', port: 80 },
});
new igc.TlsHost('catalog', {
  gateway: webGateway, hosts: ['catalog.istioinaction.io'], credentialName: 'catalog-credential',
  destination: { host: 'catalog', port: 80 },
});
new igc.TlsHost('partner-api', {
  gateway: webGateway, hosts: ['partner.istioinaction.io'], mode: igc.TlsMode.MUTUAL, credentialName: 'partner-credential',
  destination: { host: 'partner-api', port: 8080 },
});
new igc.TlsHost('simple-tls-service', {
  gateway: webGateway, hosts: ['simple-sni-1.istioinaction.io'], mode: igc.TlsMode.PASSTHROUGH,
  destination: { host: 'simple-tls-service-1', port: 80 },
});

// (c) bookinfo through the shared ingress gateway
const bookinfo = new igc.IngressGateway('bookinfo-gateway', { namespace: 'bookinfo' });
bookinfo.addHttpHosts(['bookinfo.example.com']);

export const tcpGatewayAddress = tcpGateway.address;
export const webGatewayAddress = webGateway.address;
