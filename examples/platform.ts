// The example platform: every scenario as one chart of one App, the Namespaces they live in, and
// the control-plane settings in an App of their own. What the cluster needs besides is listed in
// prerequisites.ts. Shared by `cdk8s synth` (main.ts), the tests and the benchmark.
import { App } from 'cdk8s';
import { BookinfoChart } from './charts/bookinfo';
import { ControlPlaneChart, MeshPolicyChart } from './charts/mesh-policy';
import { NamespacesChart } from './charts/namespaces';
import { TcpEchoChart } from './charts/tcp-echo';
import { TlsGatewaysChart } from './charts/tls-gateways';
import { TrafficManagementChart } from './charts/traffic-management';

export function buildExamplePlatform(app: App): void {
  new TcpEchoChart(app, 'tcp-echo');
  const tls = new TlsGatewaysChart(app, 'tls-gateways');
  new BookinfoChart(app, 'bookinfo');
  new TrafficManagementChart(app, 'traffic-management');
  new MeshPolicyChart(app, 'mesh-policy', { edgeGateway: tls.gateway });
  // last, so that it sees every namespace; its file sorts first in dist/
  new NamespacesChart(app, NamespacesChart.namespacesOf(app));
}

/**
 * The control-plane settings, for `istioctl install -f`, not `kubectl apply`: a 1.30 cluster has no
 * IstioOperator CRD. main.ts writes them to their own folder (dist/istioctl/), which a
 * non-recursive `kubectl apply -f dist/` leaves alone.
 */
export function buildControlPlane(app: App): ControlPlaneChart {
  return new ControlPlaneChart(app, 'control-plane');
}
