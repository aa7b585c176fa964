// (c) bookinfo through the shared ingress gateway (istio: ingressgateway in istio-system), HTTP :80.
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { IngressGateway } from '../../src';

export class BookinfoChart extends Chart {
  public readonly gateway: IngressGateway;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.gateway = new IngressGateway(this, 'bookinfo-gateway', { namespace: 'bookinfo' });
    this.gateway.addHttpHosts(['bookinfo.example.com']);
    // TODO(routing): route bookinfo.example.com to productpage:9080 (HttpRoute)
  }
}
