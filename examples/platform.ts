// The example platform: every scenario as one chart of one App. Shared by `cdk8s synth`
// (main.ts), the tests and the benchmark.
import { App } from 'cdk8s';
import { BookinfoChart } from './charts/bookinfo';
import { TcpEchoChart } from './charts/tcp-echo';
import { TlsGatewaysChart } from './charts/tls-gateways';

export function buildExamplePlatform(app: App): void {
  new TcpEchoChart(app, 'tcp-echo');
  new TlsGatewaysChart(app, 'tls-gateways');
  new BookinfoChart(app, 'bookinfo');
}
