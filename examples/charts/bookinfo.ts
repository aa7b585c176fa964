// (c) bookinfo through the shared ingress gateway (istio: ingressgateway in istio-system), HTTP :80.
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { HttpRoute, IngressGateway } from '../../src';

export class BookinfoChart extends Chart {
  public readonly gateway: IngressGateway;
  public readonly route: HttpRoute;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.gateway = new IngressGateway(this, 'bookinfo-gateway', { namespace: 'bookinfo' });
    this.gateway.addHttpHosts(['bookinfo.example.com']);
    // Istio's samples/bookinfo/networking/bookinfo-gateway.yaml: the pages and API of productpage.
    this.route = new HttpRoute(this, 'bookinfo', {
      hosts: ['bookinfo.example.com'],
      gateways: [this.gateway],
      destination: { host: 'productpage', port: 9080 },
      match: [
        { uri: { exact: '/productpage' } },
        { uri: { prefix: '/static' } },
        { uri: { exact: '/login' } },
        { uri: { exact: '/logout' } },
        { uri: { prefix: '/api/v1/products' } },
      ],
    });
  }
}
