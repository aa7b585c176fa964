// (e) Mesh policy: STRICT mTLS everywhere with a plain-text exception for one workload's port and
// access logs of errors for the TLS example's tenant gateway (kubectl apply); and, as a chart of
// its own, the control-plane settings that keep dedicated gateways lean (istioctl install -f: an
// IstioOperator is istioctl input, not a resource the cluster serves).
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { AccessLogPolicy, GatewayBase, StrictMtls, TrimmedGatewayConfig } from '../../src';

export interface MeshPolicyChartProps {
  /** The gateway whose pods get error access logs. */
  readonly edgeGateway: GatewayBase;
}

export class MeshPolicyChart extends Chart {
  constructor(scope: Construct, id: string, props: MeshPolicyChartProps) {
    super(scope, id);

    // istio-system/default: every workload of the mesh accepts only mTLS.
    new StrictMtls(this, 'mesh-wide');

    // nginx-app keeps port 80 open to plain-text clients outside the mesh (e.g. a node-local
    // health checker); its other ports stay STRICT. Port exceptions need a selector.
    new StrictMtls(this, 'nginx-app', {
      namespace: 'web',
      name: 'nginx-app',
      selector: { app: 'nginx-app' },
      portLevel: { 80: 'DISABLE' },
    });

    // Envoy access logs of the edge gateway's pods, for failed requests only.
    new AccessLogPolicy(this, 'edge-errors', {
      gateway: props.edgeGateway,
      filter: 'response.code >= 400',
    });
  }
}

/**
 * `istioctl install -f dist/istioctl/control-plane.k8s.yaml`; Helm users: `controlPlane.helmValuesYaml()`.
 * Profile `default`: besides istiod it installs the shared `istio-ingressgateway` that the bookinfo
 * example's IngressGateway selects (the library's default is `minimal`, for platforms whose
 * gateways are all TenantGateways).
 */
export class ControlPlaneChart extends Chart {
  public readonly controlPlane: TrimmedGatewayConfig;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.controlPlane = new TrimmedGatewayConfig(this, 'control-plane', { profile: 'default' });
  }
}
