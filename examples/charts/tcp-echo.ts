// (a) A team's dedicated gateway that exposes only TCP 31400 and forwards it to tcp-echo.
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { TcpGateway, TenantGateway } from '../../src';

export class TcpEchoChart extends Chart {
  public readonly gateway: TenantGateway;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.gateway = new TenantGateway(this, 'my-user-gateway', { namespace: 'istioinaction' });
    new TcpGateway(this, 'tcp-echo', {
      gateway: this.gateway,
      port: 31400,
      destination: { host: 'tcp-echo', port: 31400 },
    });
  }
}
