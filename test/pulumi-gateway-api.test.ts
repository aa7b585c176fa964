// The Pulumi front end registers what the cdk8s constructs render in the Gateway API flavour too.
import { App, Chart } from 'cdk8s';
import { expectSameObjects, installMocks, kubeResources, settle } from './support/pulumi-mocks';
import * as cdk from '../src';
import * as igc from '../src/pulumi';

installMocks();

function declare(api: any, scope: ((id: string) => [any, string]) | undefined) {
  const at = (id: string) => (scope ? scope(id) : [id]);
  const gw = new api.TenantGateway(...at('payments'), { namespace: 'payments', name: 'payments-gw', api: 'gateway-api' });
  new api.TlsHost(...at('shop'), { gateway: gw, hosts: ['shop.payments.example.com'], credentialName: 'shop-cert', destination: { host: 'storefront', port: 8080 } });
  new api.TlsHost(...at('legacy'), { gateway: gw, hosts: ['legacy.payments.example.com'], mode: api.TlsMode.PASSTHROUGH, destination: { host: 'legacy', port: 8443 } });
  new api.TcpGateway(...at('ledger'), { gateway: gw, port: 7000, destination: { host: 'ledger', port: 7000 } });
  return gw;
}

test('Pulumi registers exactly the Gateway API objects cdk8s synthesizes', async () => {
  declare(igc, undefined);
  await settle(igc.PulumiPlatform.current().resources());
  const app = new App({ outdir: require('os').tmpdir() });
  const chart = new Chart(app, 'parity');
  declare(cdk, (id) => [chart, id] as any);
  const expected = chart.toJson();
  const actual = kubeResources().map((r) => r.inputs);
  expectSameObjects(actual, expected);
  expect(actual.some((o) => o.apiVersion.startsWith('networking.istio.io/'))).toBe(false);
  const types = new Map(kubeResources().map((r) => [`${r.inputs.kind} ${r.inputs.metadata.name}`, r.type]));
  expect(types.get('Gateway payments-gw')).toBe('kubernetes:gateway.networking.k8s.io/v1:Gateway');
  expect(types.get('TCPRoute ledger')).toBe('kubernetes:gateway.networking.k8s.io/v1alpha2:TCPRoute');
});
