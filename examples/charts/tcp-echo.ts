// (a) A team's dedicated gateway that exposes only TCP 31400 and shifts its connections between
// two versions of Istio's tcp-echo sample (port 9000), 80/20: Istio's TCP traffic-shifting task.
// The tcp-echo sample itself is a prerequisite (examples/prerequisites.ts).
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { TcpCanaryRoute, TenantGateway } from '../../src';

export class TcpEchoChart extends Chart {
  public readonly gateway: TenantGateway;
  public readonly route: TcpCanaryRoute;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.gateway = new TenantGateway(this, 'my-user-gateway', { namespace: 'istioinaction' });
    this.route = new TcpCanaryRoute(this, 'tcp-echo', {
      gateway: this.gateway,
      port: 31400,
      destination: { host: 'tcp-echo', port: 9000 },
      stable: { subset: 'v1', labels: { version: 'v1' } },
      canary: { subset: 'v2', labels: { version: 'v2' }, weight: 20 },
    });
  }
}
